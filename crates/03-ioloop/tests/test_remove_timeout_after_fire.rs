//! Port of Tornado's `TestIOLoop.test_remove_timeout_after_fire`: removing a
//! timeout that already ran is harmless (and still counted, as in 4.5.3).

use std::cell::Cell;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

#[test]
fn test_remove_timeout_after_fire() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let fired = Rc::new(Cell::new(0));
    let (f, lp) = (fired.clone(), io_loop.clone());
    let handle = io_loop.add_timeout(io_loop.time(), move || {
        f.set(f.get() + 1);
        lp.stop();
    });
    io_loop.start().unwrap();
    assert_eq!(fired.get(), 1);

    io_loop.remove_timeout(&handle);
    io_loop.remove_timeout(&handle);
    // Lazy removal over-counts: two removals, no entry left to purge.
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (0, 2));
    io_loop.close(true);
}
