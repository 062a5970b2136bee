//! S1 callbacks, ours: `py/s1_callbacks.py` on the course's IOLoop.
//!
//! N `add_callback` calls before the loop starts, then `start()`. Each callback
//! counts; the last one stops the loop. Timed: from the first `add_callback`
//! until `start()` returns; `sched_s`/`run_s` split it when the last
//! `add_callback` returned.
//!
//! Argument `inloop` (reported as `S1inloop`): the same N callbacks scheduled
//! from a callback on the running loop.
//!
//! Tornado 4.5.3 writes a wake-up byte for every `add_callback` made before
//! `start()` (its `_thread_ident` is still `None`). Ours never does: an `IOLoop`
//! cannot leave its thread, so its `add_callback` is always the loop thread's,
//! and other threads go through `RemoteLoop`. So S1 and S1' cost us the same.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use ch03_ioloop::IOLoop;
use course_bench::measure::{self, fail};

const N: u64 = 1_000_000;

/// `schedule_all()`: N callbacks; returns when the last `add_callback` returned.
fn schedule_all(io_loop: &IOLoop, count: &Rc<Cell<u64>>) -> Instant {
    for _ in 0..N {
        // PY: `tick` reaches `loop` and `count` through its closure cell; ours
        // holds a handle to each (two reference counts), as the limit's does.
        let (lp, count) = (io_loop.clone(), Rc::clone(count));
        io_loop.add_callback(move || {
            count.set(count.get() + 1);
            if count.get() == N {
                lp.stop();
            }
        });
    }
    Instant::now()
}

fn main() {
    let in_loop = std::env::args().nth(1).as_deref() == Some("inloop");
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let count = Rc::new(Cell::new(0u64));
    let scheduled_at = Rc::new(Cell::new(None));

    let t0 = Instant::now();
    if in_loop {
        let (lp, count, mark) = (io_loop.clone(), Rc::clone(&count), Rc::clone(&scheduled_at));
        io_loop.add_callback(move || mark.set(Some(schedule_all(&lp, &count))));
    } else {
        scheduled_at.set(Some(schedule_all(&io_loop, &count)));
    }
    io_loop.start().unwrap_or_else(|e| fail("start", e));
    let t2 = Instant::now();
    let t1 = scheduled_at
        .get()
        .unwrap_or_else(|| fail("schedule_all", "never ran"));

    assert_eq!(count.get(), N);
    let name = if in_loop { "S1inloop" } else { "S1" };
    measure::report(
        name,
        N,
        t2 - t0,
        &[
            ("sched_s", format!("{:.6}", (t1 - t0).as_secs_f64())),
            ("run_s", format!("{:.6}", (t2 - t1).as_secs_f64())),
        ],
    );
    io_loop.close(true);
}
