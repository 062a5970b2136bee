//! POLLturn, ours: `py/poll_turn.py` on the course's poller.
//!
//! One empty poll with timeout 0 on a fresh `polling::Poller`, what every
//! iteration of the course's IOLoop that polls pays: the loop's `poll()` is
//! `Poller::wait` with the poll timeout, on a poller with no descriptor of
//! ours registered (the loop's `add_callback` needs none). Python reaches past
//! the public API for the same figure (`loop._impl.poll`); we build the same
//! poller here instead, so chapter 03 needs no benchmark hook.
use std::time::{Duration, Instant};

use course_bench::measure::{self, fail};
use polling::{Events, Poller};

const N: u64 = 100_000;

fn main() {
    let poller = Poller::new().unwrap_or_else(|e| fail("Poller::new", e));
    let mut events = Events::new();
    let t0 = Instant::now();
    for _ in 0..N {
        // PY: the loop's `Poller::poll` clears the buffer, then waits.
        events.clear();
        poller
            .wait(&mut events, Some(Duration::ZERO))
            .unwrap_or_else(|e| fail("poll", e));
    }
    let elapsed = t0.elapsed();
    measure::report("POLLturn", N, elapsed, &[("poller", "course".into())]);
}
