//! S4 timers, ours: `py/s4_timers.py` on the course's IOLoop.
//!
//! N `call_later` timeouts with delays from the shared 64-bit LCG in [0, 50 ms],
//! every second one removed with `remove_timeout` before the loop starts; run
//! until the other N/2 have fired (the last one stops the loop).
//!
//! Timed: from the first `call_later` until `start()` returns. The wall time
//! cannot be below the largest kept delay (`floor_s`, 50 ms), so `per_op_ns` is
//! the time beyond that floor per registered timer: `(total_s - floor_s) / N`.
//! `sched_s` (ours only) is the part spent before `start()`.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use ch03_ioloop::{IOLoop, TimeoutHandle};
use course_bench::measure::{self, delays_us, fail};

const N: u64 = 200_000;
const MAX_DELAY_US: u64 = 50_000;

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let delays: Vec<f64> = delays_us(N as usize, MAX_DELAY_US)
        .into_iter()
        .map(|us| us as f64 / 1e6)
        .collect();
    // PY: floor = max(delays[0::2])
    let floor_s = delays.iter().step_by(2).copied().fold(0.0, f64::max);
    let fired = Rc::new(Cell::new(0u64));

    let t0 = Instant::now();
    let handles: Vec<TimeoutHandle> = delays
        .iter()
        .map(|&delay| {
            let (fired, lp) = (Rc::clone(&fired), io_loop.clone());
            io_loop.call_later(delay, move || {
                fired.set(fired.get() + 1);
                if fired.get() == N / 2 {
                    lp.stop();
                }
            })
        })
        .collect();
    // PY: for h in handles[1::2]: loop.remove_timeout(h)
    for handle in handles.iter().skip(1).step_by(2) {
        io_loop.remove_timeout(handle);
    }
    let scheduled_s = t0.elapsed().as_secs_f64();
    io_loop.start().unwrap_or_else(|e| fail("start", e));
    let total_s = t0.elapsed().as_secs_f64();

    assert_eq!(fired.get(), N / 2);
    measure::report_per_op(
        "S4",
        N,
        total_s,
        (total_s - floor_s) / N as f64 * 1e9,
        &[
            ("floor_s", format!("{floor_s:.6}")),
            ("fired", fired.get().to_string()),
            ("sched_s", format!("{scheduled_s:.6}")),
        ],
    );
    drop(handles);
    io_loop.close(true);
}
