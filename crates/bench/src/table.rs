//! The table `run.sh` prints: medians per scenario and implementation, and ratios
//! taken within a round.
//!
//! `run.sh` tags every program's line with its round and implementation:
//! `<round> <impl> <SCENARIO> N=.. total_s=.. per_op_ns=.. [k=v ...]`. The machine
//! is shared and noisy, so a ratio is computed
//! between the neighbouring runs of one round, and the table shows the median of
//! those ratios, never a ratio of two medians.
//!
//! A line that also carries `coroutines=C base_rss_kb=B peak_rss_kb=P` (S3)
//! gives a second figure, the memory per coroutine `(P − B) × 1024 / C` bytes,
//! which gets a row of its own under the scenario's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::SCENARIOS;

/// Our loop, built as usual: the recorder is compiled in and not recording.
pub const OURS: &str = "course";
/// Our loop built with `RUSTFLAGS="--cfg course_no_trace"`: events compiled out.
pub const OURS_NO_TRACE: &str = "course-notrace";
/// Tornado 4.5.3 running `crates/bench/py/`.
pub const TORNADO: &str = "t4.5.3";
/// The floor: `crates/bench/floor` (package `course-bench-floor`).
pub const FLOOR: &str = "limit";
/// tokio's current_thread runtime on the same shapes: `crates/bench/tokio`
/// (S1, S2, S3, S6 only), a workspace of its own built by `run.sh`.
pub const TOKIO: &str = "tokio";

/// Every figure read, by (figure, implementation), then by round. A figure
/// is a scenario's `per_op_ns` (keyed by the scenario's name) or its memory
/// per coroutine (keyed by [`memory_key`]). A program may run several times
/// in a round (`run.sh` repeats the recording-off pair); the round's figure
/// is then the median of its runs.
#[derive(Debug, Default)]
pub struct Runs {
    per_op: BTreeMap<(String, String), BTreeMap<u32, Vec<f64>>>,
}

/// The key under which a scenario's memory per coroutine is kept.
pub fn memory_key(scenario: &str) -> String {
    format!("{scenario} B/coroutine")
}

/// `(peak_rss_kb − base_rss_kb) × 1024 / coroutines`, in bytes, if the line's
/// fields have all three (as `py/s3_fanout.py` prints them).
///
/// ```
/// use course_bench::table::bytes_per_coroutine;
/// let fields = "coroutines=10000 base_rss_kb=2232 peak_rss_kb=9816".split(' ');
/// assert_eq!(bytes_per_coroutine(fields), Some(7584.0 * 1024.0 / 10000.0));
/// assert_eq!(bytes_per_coroutine("per_op_ns=5".split(' ')), None);
/// ```
pub fn bytes_per_coroutine<'a>(fields: impl Iterator<Item = &'a str>) -> Option<f64> {
    let (mut count, mut base, mut peak) = (None, None, None);
    for field in fields {
        let Some((key, value)) = field.split_once('=') else {
            continue;
        };
        let value = value.parse::<f64>().ok();
        match key {
            "coroutines" => count = value,
            "base_rss_kb" => base = value,
            "peak_rss_kb" => peak = value,
            _ => {}
        }
    }
    let count = count.filter(|&c| c > 0.0)?;
    Some((peak? - base?) * 1024.0 / count)
}

impl Runs {
    /// Reads the raw lines; `#` comments, blank and malformed lines are skipped.
    ///
    /// ```
    /// use course_bench::table::Runs;
    /// let runs = Runs::parse("# header\n1 course S5 N=10 total_s=0.1 per_op_ns=4500.0\n");
    /// assert_eq!(runs.rounds(), 1);
    /// ```
    pub fn parse(text: &str) -> Runs {
        let mut runs = Runs::default();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(round), Some(imp), Some(scenario)) =
                (words.next(), words.next(), words.next())
            else {
                continue;
            };
            let Ok(round) = round.parse() else { continue };
            let fields: Vec<&str> = words.collect();
            let per_op = fields
                .iter()
                .filter_map(|w| w.strip_prefix("per_op_ns="))
                .find_map(|v| v.parse().ok());
            if let Some(per_op) = per_op {
                runs.add(scenario, imp, round, per_op);
            }
            if let Some(bytes) = bytes_per_coroutine(fields.iter().copied()) {
                runs.add(&memory_key(scenario), imp, round, bytes);
            }
        }
        runs
    }

    fn add(&mut self, figure: &str, imp: &str, round: u32, value: f64) {
        self.per_op
            .entry((figure.to_string(), imp.to_string()))
            .or_default()
            .entry(round)
            .or_default()
            .push(value);
    }

    /// How many rounds the lines cover.
    pub fn rounds(&self) -> u32 {
        self.per_op
            .values()
            .filter_map(|r| r.keys().max())
            .max()
            .copied()
            .unwrap_or(0)
    }

    /// One figure per round: the median of that round's runs.
    fn per_round(&self, scenario: &str, imp: &str) -> BTreeMap<u32, f64> {
        self.per_op
            .get(&(scenario.to_string(), imp.to_string()))
            .map(|rounds| {
                rounds
                    .iter()
                    .filter_map(|(&round, runs)| Some((round, median(runs)?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn values(&self, scenario: &str, imp: &str) -> Vec<f64> {
        self.per_round(scenario, imp).into_values().collect()
    }

    /// `**median** (min–max)` of one implementation's per-op ns, or `None`.
    pub fn cell(&self, scenario: &str, imp: &str) -> Option<String> {
        let values = self.values(scenario, imp);
        let mid = median(&values)?;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(format!("**{}** ({}–{})", num(mid), num(min), num(max)))
    }

    /// Is there any figure under this key, for any implementation?
    fn has(&self, figure: &str) -> bool {
        self.per_op.keys().any(|(f, _)| f == figure)
    }

    /// The median over rounds of `num / den`, each taken within one round.
    ///
    /// ```
    /// use course_bench::table::Runs;
    /// let runs = Runs::parse(
    ///     "1 a X per_op_ns=10\n1 b X per_op_ns=5\n\
    ///      2 a X per_op_ns=30\n2 b X per_op_ns=10\n\
    ///      3 a X per_op_ns=40\n3 b X per_op_ns=10\n",
    /// );
    /// assert_eq!(runs.ratio("X", "a", "b"), Some(3.0)); // median of 2, 3, 4
    /// assert_eq!(runs.ratio("X", "a", "c"), None);
    /// ```
    pub fn ratio(&self, scenario: &str, num: &str, den: &str) -> Option<f64> {
        let (a, b) = (self.per_round(scenario, num), self.per_round(scenario, den));
        let per_round: Vec<f64> = a
            .iter()
            .filter_map(|(round, x)| Some(x / b.get(round).filter(|&&y| y > 0.0)?))
            .collect();
        median(&per_round)
    }
}

/// The median (the mean of the two middle values for an even count).
///
/// ```
/// use course_bench::table::median;
/// assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
/// assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
/// assert_eq!(median(&[]), None);
/// ```
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// A figure as the tables show it: `5,684` from 100 up, `44.1` below.
fn num(x: f64) -> String {
    if x.abs() < 100.0 {
        return format!("{x:.1}");
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// A ratio: `118×` from 10 up, `1.09×` below, `—` without one.
fn times(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= 10.0 => format!("{r:.0}×"),
        Some(r) => format!("{r:.2}×"),
        None => "—".to_string(),
    }
}

/// One row of the main table: ours, Tornado's, the floor's, the ratios, then
/// tokio's and ours ÷ tokio (last, so the older columns keep their places).
fn row(out: &mut String, runs: &Runs, figure: &str, title: &str, ours: String) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |",
        title,
        ours,
        runs.cell(figure, TORNADO).unwrap_or("—".into()),
        runs.cell(figure, FLOOR).unwrap_or("—".into()),
        times(runs.ratio(figure, TORNADO, OURS)),
        times(runs.ratio(figure, OURS, FLOOR)),
        runs.cell(figure, TOKIO).unwrap_or("—".into()),
        times(runs.ratio(figure, OURS, TOKIO)),
    );
}

/// The whole Markdown report for the raw lines of one run.
pub fn render(runs: &Runs) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Median ns per op over {} rounds (min–max). Ratios are taken within a round, \
         then the median. The floor is crates/bench/floor (S5 and POLLturn on `polling`). \
         tokio is its current_thread runtime on the same shapes (crates/bench/tokio). \
         The memory row is in bytes, not ns.\n",
        runs.rounds()
    );
    out.push_str(
        "| scenario | ours | Tornado 4.5.3 | floor (limit) | 4.5.3 ÷ ours | ours ÷ floor \
         | tokio current_thread | ours ÷ tokio |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for s in SCENARIOS {
        let ours = runs.cell(s.name, OURS).unwrap_or_else(|| "—".to_string());
        row(&mut out, runs, s.name, s.title, ours);
        // S3's memory, in bytes per coroutine, under its time.
        let memory = memory_key(s.name);
        if runs.has(&memory) {
            let title = format!(
                "{} memory per coroutine (B, (peak − base RSS) / coroutines)",
                s.name
            );
            let ours = runs.cell(&memory, OURS).unwrap_or_else(|| "—".into());
            row(&mut out, runs, &memory, &title, ours);
        }
    }

    out.push_str(
        "\nRecording off: the recorder compiled in but not recording (as built by default) \
         against the same program built with `RUSTFLAGS=\"--cfg course_no_trace\"`, run \
         alternately several times per round (a round's figure is the median of its runs).\n\n\
         | scenario | recorder present, off | compiled out | cost of \"off\" |\n\
         |---|---:|---:|---:|\n",
    );
    for s in SCENARIOS {
        let Some(compiled_out) = runs.cell(s.name, OURS_NO_TRACE) else {
            continue;
        };
        let cost = runs
            .ratio(s.name, OURS, OURS_NO_TRACE)
            .map_or("—".to_string(), |r| {
                format!("{:+.1} %", (r - 1.0) * 100.0)
            });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            s.title,
            runs.cell(s.name, OURS).unwrap_or("—".into()),
            compiled_out,
            cost
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_the_baseline() {
        assert_eq!(num(5684.4), "5,684");
        assert_eq!(num(44.06), "44.1");
        assert_eq!(num(1_234_567.0), "1,234,567");
        assert_eq!(num(168.0), "168");
        assert_eq!(times(Some(118.4)), "118×");
        assert_eq!(times(Some(1.094)), "1.09×");
        assert_eq!(times(None), "—");
    }

    #[test]
    fn a_scenario_ours_did_not_run_shows_a_dash_and_keeps_the_peers_figures() {
        let runs = Runs::parse(
            "1 t4.5.3 S6 N=100000 total_s=0.95 per_op_ns=9535.0\n\
             1 limit S6 N=100000 total_s=0.01 per_op_ns=100.0\n",
        );
        let table = render(&runs);
        let row = table.lines().find(|l| l.contains("S6 gen.Task")).unwrap();
        assert_eq!(
            row,
            "| S6 gen.Task round trip | — | \
             **9,535** (9,535–9,535) | **100** (100–100) | — | — | — | — |"
        );
    }

    #[test]
    fn s3_gets_a_memory_row_in_bytes_per_coroutine() {
        let runs = Runs::parse(
            "1 course S3 N=100000 total_s=0.05 per_op_ns=500.0 \
             coroutines=10000 base_rss_kb=2000 peak_rss_kb=6000\n\
             1 t4.5.3 S3 N=100000 total_s=0.46 per_op_ns=4601.0 \
             coroutines=10000 base_rss_kb=10000 peak_rss_kb=30000\n",
        );
        let table = render(&runs);
        let row = table
            .lines()
            .find(|l| l.starts_with("| S3 memory"))
            .unwrap();
        // (6000 - 2000) KiB / 10,000 = 409.6 B; Tornado's 2,048 B is 5× that.
        assert!(
            row.ends_with(
                "| **410** (410–410) | **2,048** (2,048–2,048) | — | 5.00× | — | — | — |"
            ),
            "{row}"
        );
    }

    /// A tokio line fills the last two columns: its time and ours ÷ tokio.
    #[test]
    fn tokio_gets_a_column_and_a_ratio() {
        let runs = Runs::parse("1 course S3 per_op_ns=120\n1 tokio S3 per_op_ns=100\n");
        let table = render(&runs);
        let row = table.lines().find(|l| l.starts_with("| S3 ")).unwrap();
        assert!(row.ends_with("| **100** (100–100) | 1.20× |"), "{row}");
    }

    #[test]
    fn several_runs_in_a_round_count_as_their_median() {
        let runs = Runs::parse(
            "1 a X per_op_ns=10\n1 a X per_op_ns=50\n1 a X per_op_ns=12\n1 b X per_op_ns=6\n",
        );
        assert_eq!(runs.ratio("X", "a", "b"), Some(2.0));
        assert_eq!(runs.cell("X", "a").unwrap(), "**12.0** (12.0–12.0)");
    }

    #[test]
    fn ratios_and_the_cost_of_recording_off() {
        let runs = Runs::parse(
            "1 course S1 per_op_ns=50\n1 course-notrace S1 per_op_ns=48\n\
             1 t4.5.3 S1 per_op_ns=5000\n1 limit S1 per_op_ns=40\n",
        );
        let table = render(&runs);
        let row = table
            .lines()
            .find(|l| l.starts_with("| S1 callbacks"))
            .unwrap();
        assert!(row.ends_with("| 100× | 1.25× | — | — |"), "{row}");
        let cost = table
            .lines()
            .filter(|l| l.starts_with("| S1 callbacks"))
            .nth(1)
            .unwrap();
        assert!(cost.ends_with("| +4.2 % |"), "{cost}");
    }
}
