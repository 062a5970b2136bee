//! Timer order, as Tornado 4.5.3's `test_timeout_with_arguments` expects it
//! (`[1, 2, 3, 4]` exactly), plus `test_add_timeout_return`,
//! `test_call_at_return` and `test_call_later_return`: every scheduling
//! method returns a handle `remove_timeout` accepts.

use std::cell::RefCell;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

fn fake_loop() -> IOLoop {
    IOLoop::with_clock(FakeClock::new(1000.0)).unwrap()
}

/// Port of `test_timeout_with_arguments`: `add_timeout(now)`, `call_at(now)`
/// and two `call_later(0)`, all due at the same moment, run in insertion
/// order (4.5.3's `_timeout_counter` tie-breaker).
#[test]
fn test_timeout_with_arguments() {
    let io_loop = fake_loop();
    let results = Rc::new(RefCell::new(Vec::new()));
    let now = io_loop.time();
    let push = |n: i32| {
        let r = results.clone();
        move || r.borrow_mut().push(n)
    };
    io_loop.add_timeout(now, push(1));
    io_loop.call_at(now, push(2));
    io_loop.call_later(0.0, push(3));
    io_loop.call_later(0.0, push(4));
    let lp = io_loop.clone();
    io_loop.call_later(0.01, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*results.borrow(), [1, 2, 3, 4]);
    io_loop.close(true);
}

/// Different deadlines run in deadline order whatever the insertion order;
/// equal ones in insertion order (`ch03_equal_deadlines`: 4.5.3 is FIFO, 3.2.2 was not).
#[test]
fn deadlines_then_insertion_order() {
    let io_loop = fake_loop();
    let results = Rc::new(RefCell::new(Vec::new()));
    let t0 = io_loop.time();
    for (delay, name) in [
        (3.0, "c1"),
        (1.0, "a1"),
        (2.0, "b1"),
        (1.0, "a2"),
        (3.0, "c2"),
        (1.0, "a3"),
    ] {
        let r = results.clone();
        io_loop.call_at(t0 + delay, move || r.borrow_mut().push(name));
    }
    let lp = io_loop.clone();
    io_loop.call_at(t0 + 3.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*results.borrow(), ["a1", "a2", "a3", "b1", "c1", "c2"]);
    assert_eq!(io_loop.time(), t0 + 3.0);
    io_loop.close(true);
}

/// Ports of `test_add_timeout_return`, `test_call_at_return`,
/// `test_call_later_return`: the handles cancel their timeouts.
#[test]
fn test_add_timeout_call_at_call_later_return() {
    let io_loop = fake_loop();
    let now = io_loop.time();
    let handles = [
        io_loop.add_timeout::<()>(now, || panic!("removed")),
        io_loop.call_at::<()>(now, || panic!("removed")),
        io_loop.call_later::<()>(0.0, || panic!("removed")),
    ];
    for handle in &handles {
        io_loop.remove_timeout(handle);
    }
    let lp = io_loop.clone();
    io_loop.call_later(0.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(handles[2].deadline(), now);
    io_loop.close(true);
}

/// With a FakeClock the loop jumps to each deadline instead of sleeping:
/// an hour of timers takes no time, and the clock reads each deadline.
#[test]
fn a_fake_clock_jumps_to_each_deadline() {
    let clock = FakeClock::new(0.0);
    let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    for delay in [10.0, 1800.0, 3600.0] {
        let (s, lp) = (seen.clone(), io_loop.clone());
        io_loop.call_later(delay, move || s.borrow_mut().push(lp.time()));
    }
    let lp = io_loop.clone();
    // More than the 3600 s a poll may wait at most: two waits.
    io_loop.call_later(5000.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), [10.0, 1800.0, 3600.0]);
    assert_eq!(clock.time(), 5000.0);
    io_loop.close(true);
}
