//! What the tokio programs share: the runtime and the output line.
//!
//! The line is the one every other program prints (crates/bench/src/measure.rs):
//! `SCENARIO N=<n> total_s=<s> per_op_ns=<ns> [key=value ...]`.

use std::time::Duration;

/// A current_thread runtime (one thread, like an IOLoop) and a `LocalSet`
/// on it, so tasks may hold `Rc`s as our coroutines do.
pub fn runtime() -> (tokio::runtime::Runtime, tokio::task::LocalSet) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    (runtime, tokio::task::LocalSet::new())
}

/// Prints the scenario's line, one op being `total / n`.
pub fn report(scenario: &str, n: u64, total: Duration, extra: &[(&str, String)]) {
    let total_s = total.as_secs_f64();
    let per_op_ns = total_s / n as f64 * 1e9;
    let mut line = format!("{scenario} N={n} total_s={total_s:.6} per_op_ns={per_op_ns:.1}");
    for (key, value) in extra {
        line.push_str(&format!(" {key}={value}"));
    }
    println!("{line}");
}

/// A `kB` field of `/proc/self/status` (`VmRSS`, `VmHWM`), as the other S3
/// programs read it.
pub fn proc_status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .expect("a kB field")
}
