//! POLLturn, ours: `py/poll_turn.py` on the course's IOLoop.
//!
//! One empty poll with timeout 0 on the loop's own poller (the `polling` crate),
//! what every iteration that polls pays. Like the Python program, it reaches past
//! the public API to time exactly what the loop calls: a hidden hook,
//! `IOLoop::poll_zero_for_bench`, where Python uses `loop._impl.poll`.
use std::time::Instant;

use ch03_ioloop::IOLoop;
use course_bench::measure::{self, fail};

const N: u64 = 100_000;

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    let t0 = Instant::now();
    for _ in 0..N {
        io_loop
            .poll_zero_for_bench()
            .unwrap_or_else(|e| fail("poll", e));
    }
    let elapsed = t0.elapsed();
    measure::report("POLLturn", N, elapsed, &[("poller", "course".into())]);
    io_loop.close(true);
}
