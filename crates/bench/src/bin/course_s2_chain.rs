//! S2 chain, ours: `py/s2_chain.py` on the course's coroutines (chapter 05).
//!
//! One coroutine that N times makes a future, schedules a callback on the
//! loop that sets its result, and yields it. One op is one full
//! suspend/resume round trip through the Runner: the callback runs on one
//! iteration, resolving the future schedules the Runner's `run` (through
//! `add_future`) for the next. Timed: `run_sync(chain)`.
use std::time::Instant;

use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::coroutine;
use course_bench::measure::{self, fail};

const N: u64 = 100_000;

/// ```python
/// @gen.coroutine
/// def chain():
///     total = 0
///     for i in range(N):
///         f = Future()
///         loop.add_callback(f.set_result, i)
///         total += yield f
///     return total
/// ```
fn chain(io_loop: IOLoop) -> Future<u64> {
    coroutine(move |co| async move {
        let mut total = 0;
        for i in 0..N {
            let f = Future::new();
            // PY: `loop.add_callback(f.set_result, i)`: a bound method; ours
            // is a closure holding a handle to the same future.
            let setter = f.clone();
            io_loop.add_callback(move || setter.set_result(i));
            total += co.yield_(f).await?;
        }
        Ok(total)
    })
}

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let lp = io_loop.clone();

    let t0 = Instant::now();
    let got = io_loop
        .run_sync(move || chain(lp), None)
        .unwrap_or_else(|e| fail("run_sync", e));
    let total = t0.elapsed();

    assert_eq!(got, N * (N - 1) / 2, "{got}");
    measure::report("S2", N, total, &[]);
    io_loop.close(true);
}
