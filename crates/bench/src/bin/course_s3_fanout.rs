//! S3 fanout, ours: `py/s3_fanout.py` on the course's coroutines (chapter 05).
//!
//! C coroutines, each yields `moment` ROUNDS times; a main coroutine waits
//! for all of them (`yield [list]`, which is `multi`). N = C × ROUNDS
//! suspend/resume steps. Timed: `run_sync(fanout)`. Memory: VmRSS just
//! before the work (`base_rss_kb`) and VmHWM after (`peak_rss_kb`); the
//! table divides their difference by C.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::{coroutine, moment};
use course_bench::measure::{self, fail, proc_status_kb};

const C: u64 = 10_000;
const ROUNDS: u64 = 10;

/// ```python
/// @gen.coroutine
/// def worker():
///     nonlocal steps
///     for _ in range(ROUNDS):
///         yield gen.moment
///         steps += 1
/// ```
fn worker(steps: Rc<Cell<u64>>) -> Future<()> {
    coroutine(move |co| async move {
        for _ in 0..ROUNDS {
            co.yield_(moment()).await?;
            steps.set(steps.get() + 1);
        }
        Ok(())
    })
}

/// ```python
/// @gen.coroutine
/// def fanout():
///     yield [worker() for _ in range(C)]
/// ```
fn fanout(steps: Rc<Cell<u64>>) -> Future<()> {
    coroutine(move |co| async move {
        let workers: Vec<Future<()>> = (0..C).map(|_| worker(steps.clone())).collect();
        co.yield_(workers).await?;
        Ok(())
    })
}

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let steps = Rc::new(Cell::new(0u64));

    let base = proc_status_kb("VmRSS");
    let t0 = Instant::now();
    let s = steps.clone();
    io_loop
        .run_sync(move || fanout(s), None)
        .unwrap_or_else(|e| fail("run_sync", e));
    let total = t0.elapsed();
    let peak = proc_status_kb("VmHWM");

    let n = C * ROUNDS;
    assert_eq!(steps.get(), n, "{}", steps.get());
    measure::report(
        "S3",
        n,
        total,
        &[
            ("coroutines", C.to_string()),
            ("base_rss_kb", base.to_string()),
            ("peak_rss_kb", peak.to_string()),
        ],
    );
    io_loop.close(true);
}
