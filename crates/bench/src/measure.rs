//! What every program shares: the output line, the S4 delays, the memory probe.
//!
//! The line is the one the floor's and Tornado's programs print, so one reader takes all:
//! `SCENARIO N=<n> total_s=<s> per_op_ns=<ns> [key=value ...]`.

use std::time::Duration;

/// Prints `SCENARIO N=<n> total_s=<s> per_op_ns=<ns>` plus extra fields, where
/// one op is `total / n`.
pub fn report(scenario: &str, n: u64, total: Duration, extra: &[(&str, String)]) {
    let total_s = total.as_secs_f64();
    report_per_op(scenario, n, total_s, total_s / n as f64 * 1e9, extra);
}

/// Like [`report`], for scenarios whose per-op figure is not total/N (S4).
pub fn report_per_op(
    scenario: &str,
    n: u64,
    total_s: f64,
    per_op_ns: f64,
    extra: &[(&str, String)],
) {
    println!("{}", line(scenario, n, total_s, per_op_ns, extra));
}

/// The line [`report`] prints.
///
/// ```
/// use course_bench::measure::line;
/// assert_eq!(
///     line("S5", 4, 0.00001, 2500.0, &[]),
///     "S5 N=4 total_s=0.000010 per_op_ns=2500.0"
/// );
/// ```
pub fn line(
    scenario: &str,
    n: u64,
    total_s: f64,
    per_op_ns: f64,
    extra: &[(&str, String)],
) -> String {
    let mut line = format!("{scenario} N={n} total_s={total_s:.6} per_op_ns={per_op_ns:.1}");
    for (key, value) in extra {
        line.push_str(&format!(" {key}={value}"));
    }
    line
}

/// The S4 delays in microseconds, in [0, `max_us`]: the 64-bit LCG (Knuth's MMIX
/// constants) of `py/s4_timers.py` and `limit_s4_timers`, so all three schedule
/// the same timers.
///
/// ```python
/// x = 1
/// for _ in range(n):
///     x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFF_FFFF_FFFF_FFFF
///     out.append((x >> 33) % (MAX_DELAY_US + 1))
/// ```
///
/// ```
/// // The first delays Python computes.
/// assert_eq!(course_bench::measure::delays_us(3, 50_000), [16_598, 22_275, 13_350]);
/// ```
pub fn delays_us(n: usize, max_us: u64) -> Vec<u64> {
    let mut x: u64 = 1;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % (max_us + 1)
        })
        .collect()
}

/// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`), as S3's programs
/// read it: `proc_status_kb` of `py/s3_fanout.py` and of the limit.
///
/// ```
/// # if cfg!(target_os = "linux") {
/// assert!(course_bench::measure::proc_status_kb("VmRSS") > 0);
/// # }
/// ```
pub fn proc_status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_else(|e| fail("/proc/self/status", e));
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| fail("/proc/self/status", format!("no {field} field")))
}

/// Exits the program with a message: a benchmark that went wrong must not
/// print a figure (and a panic inside a callback would only be logged by the
/// loop, which would then wait forever).
pub fn fail(what: &str, err: impl std::fmt::Display) -> ! {
    eprintln!("benchmark failed: {what}: {err}");
    std::process::exit(1);
}
