//! Helpers shared by more than one of this crate's test files (`mod common;`).

use ch00_trace::{Era, with_era};
use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

/// The `ch03_remove_timeout` scenario's table, under `era`'s rules: `total`
/// far-away timeouts on a fake clock, `remove` of them removed (the latest
/// ones, or the earliest), then exactly one iteration. Returns (heap length,
/// cancellations) before and after it.
pub fn one_iteration(era: Era, total: usize, remove: usize, earliest: bool) -> [(usize, usize); 2] {
    let io_loop = with_era(era, || IOLoop::with_clock(FakeClock::new(0.0)).unwrap());
    io_loop.make_current();
    let base = io_loop.time() + 3600.0;
    let handles: Vec<TimeoutHandle> = (0..total)
        .map(|i| io_loop.add_timeout(base + i as f64, || ()))
        .collect();
    let victims = if earliest {
        &handles[..remove]
    } else {
        &handles[total - remove..]
    };
    for handle in victims {
        io_loop.remove_timeout(handle);
    }
    let before = (io_loop.timeouts_len(), io_loop.cancellations());
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    let after = (io_loop.timeouts_len(), io_loop.cancellations());
    io_loop.close(true);
    IOLoop::clear_current();
    [before, after]
}
