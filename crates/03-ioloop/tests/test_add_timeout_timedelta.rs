//! Port of Tornado 4.5.3's `TestIOLoop.test_add_timeout_timedelta`:
//! `add_timeout` takes a relative deadline (Python's `datetime.timedelta`,
//! our `Duration`) as well as an absolute one.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use ch03_ioloop::{FakeClock, IOLoop};

/// `add_timeout(timedelta(microseconds=1), self.stop)` stops the loop:
/// the deadline is one microsecond after `time()`, not at time 0.000001.
#[test]
fn test_add_timeout_timedelta() {
    let clock = FakeClock::new(1000.0);
    let io_loop = IOLoop::with_clock(clock).unwrap();
    let lp = io_loop.clone();
    let handle = io_loop.add_timeout(Duration::from_micros(1), move || lp.stop());
    assert_eq!(handle.deadline(), 1000.0 + 1e-6);
    io_loop.start().unwrap();
    assert_eq!(io_loop.time(), 1000.0 + 1e-6);
    io_loop.close(true);
}

/// Relative and absolute deadlines share one heap: they run by their
/// absolute times, equal ones in the order they were added.
#[test]
fn relative_and_absolute_deadlines_interleave() {
    let io_loop = IOLoop::with_clock(FakeClock::new(10.0)).unwrap();
    let order = Rc::new(RefCell::new(Vec::new()));
    let o = order.clone();
    io_loop.add_timeout(Duration::from_secs(2), move || {
        o.borrow_mut().push("after 2 s")
    });
    let o = order.clone();
    io_loop.add_timeout(11.0, move || o.borrow_mut().push("at 11"));
    let o = order.clone();
    io_loop.add_timeout(12.0, move || o.borrow_mut().push("at 12"));
    let lp = io_loop.clone();
    io_loop.add_timeout(Duration::from_secs(3), move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*order.borrow(), ["at 11", "after 2 s", "at 12"]);
    io_loop.close(true);
}
