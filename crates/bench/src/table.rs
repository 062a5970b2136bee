//! The table `run.sh` prints: medians per scenario and implementation, and ratios
//! taken within a round.
//!
//! `run.sh` tags every program's line with its round and implementation:
//! `<round> <impl> <SCENARIO> N=.. total_s=.. per_op_ns=.. [k=v ...]`. The machine
//! is shared and noisy, so, as in `shared/bench/summarize.py`, a ratio is computed
//! between the neighbouring runs of one round, and the table shows the median of
//! those ratios, never a ratio of two medians.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::SCENARIOS;

/// Our loop, built as usual: the recorder is compiled in and not recording.
pub const OURS: &str = "course";
/// Our loop built with `RUSTFLAGS="--cfg course_no_trace"`: events compiled out.
pub const OURS_NO_TRACE: &str = "course-notrace";
/// Tornado 4.5.3 running `shared/bench/py/`.
pub const TORNADO: &str = "t4.5.3";
/// The floor: `shared/bench/limit`.
pub const FLOOR: &str = "limit";

/// Every `per_op_ns` read, by (scenario, implementation), then by round.
/// A program may run several times in a round (`run.sh` repeats the
/// recording-off pair); the round's figure is then the median of its runs.
#[derive(Debug, Default)]
pub struct Runs {
    per_op: BTreeMap<(String, String), BTreeMap<u32, Vec<f64>>>,
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
            let per_op = words
                .filter_map(|w| w.strip_prefix("per_op_ns="))
                .find_map(|v| v.parse().ok());
            if let Some(per_op) = per_op {
                runs.per_op
                    .entry((scenario.to_string(), imp.to_string()))
                    .or_default()
                    .entry(round)
                    .or_default()
                    .push(per_op);
            }
        }
        runs
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

/// The whole Markdown report for the raw lines of one run.
pub fn render(runs: &Runs) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Median ns per op over {} rounds (min–max). Ratios are taken within a round, \
         then the median. The floor is shared/bench/limit (S5 and POLLturn on `polling`).\n",
        runs.rounds()
    );
    out.push_str(
        "| scenario | ours | Tornado 4.5.3 | floor (limit) | 4.5.3 ÷ ours | ours ÷ floor |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    for s in SCENARIOS {
        let ours = runs
            .cell(s.name, OURS)
            .unwrap_or_else(|| s.pending.unwrap_or("—").to_string());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            s.title,
            ours,
            runs.cell(s.name, TORNADO).unwrap_or("—".into()),
            runs.cell(s.name, FLOOR).unwrap_or("—".into()),
            times(runs.ratio(s.name, TORNADO, OURS)),
            times(runs.ratio(s.name, OURS, FLOOR)),
        );
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
    fn a_pending_scenario_says_so_and_keeps_the_peers_figures() {
        let runs = Runs::parse(
            "1 t4.5.3 S2 N=100000 total_s=0.8 per_op_ns=8048.0\n\
             1 limit S2 N=100000 total_s=0.0086 per_op_ns=85.7\n",
        );
        let table = render(&runs);
        let row = table.lines().find(|l| l.contains("S2 future")).unwrap();
        assert_eq!(
            row,
            "| S2 future round trip in a coroutine | pending (chapter 05/06) | \
             **8,048** (8,048–8,048) | **85.7** (85.7–85.7) | — | — |"
        );
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
        assert!(row.ends_with("| 100× | 1.25× |"), "{row}");
        let cost = table
            .lines()
            .filter(|l| l.starts_with("| S1 callbacks"))
            .nth(1)
            .unwrap();
        assert!(cost.ends_with("| +4.2 % |"), "{cost}");
    }
}
