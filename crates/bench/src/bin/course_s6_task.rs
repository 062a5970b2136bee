//! S6 task, ours: `py/s6_task.py` on the course's `gen.Task` (chapter 06).
//!
//! One coroutine that N times yields `task(f)`, where `f(callback)` schedules
//! its callback with `add_callback`. One op is one task round trip: `task`
//! calls `f` at once; the callback runs on the next iteration and resolves
//! the task's future, which schedules the Runner's `run` (through
//! `add_future`) for the iteration after. Timed: `run_sync(task_chain)`.
use std::time::Instant;

use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::coroutine;
use ch06_gen_task::{ResultCallback, task};
use course_bench::measure::{self, fail};

const N: u64 = 100_000;

/// ```python
/// def f(callback):
///     loop.add_callback(callback)
/// ```
fn f(io_loop: &IOLoop, callback: ResultCallback) {
    io_loop.add_callback(move || callback.call_none());
}

/// ```python
/// @gen.coroutine
/// def task_chain():
///     done = 0
///     for _ in range(N):
///         yield gen.Task(f)
///         done += 1
///     return done
/// ```
fn task_chain(io_loop: IOLoop) -> Future<u64> {
    coroutine(move |co| async move {
        let mut done = 0;
        for _ in 0..N {
            co.yield_(task::<()>(|callback| {
                f(&io_loop, callback);
                Ok(())
            }))
            .await?;
            done += 1;
        }
        Ok(done)
    })
}

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let lp = io_loop.clone();

    let t0 = Instant::now();
    let got = io_loop
        .run_sync(move || task_chain(lp), None)
        .unwrap_or_else(|e| fail("run_sync", e));
    let total = t0.elapsed();

    assert_eq!(got, N, "{got}");
    measure::report("S6", N, total, &[("task", "gen.Task".to_string())]);
    io_loop.close(true);
}
