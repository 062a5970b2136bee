//! Timeouts: `call_at`, `call_later`, `add_timeout` and `remove_timeout`,
//! the order due timeouts run in, and the compaction of the timer heap.
//! Ports Tornado 4.5.3's ioloop_test.py `TestIOLoop.test_timeout_with_arguments`,
//! `test_add_timeout_return`, `test_call_at_return`, `test_call_later_return`,
//! `test_remove_timeout_after_fire`, `test_remove_timeout_cleanup` and
//! `test_remove_timeout_from_timeout` (the twin `ch03_remove_timeout`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

mod common;

// ----------------------------------------------------------------------
// Timer order, as Tornado 4.5.3's `test_timeout_with_arguments` expects it
// (`[1, 2, 3, 4]` exactly), plus `test_add_timeout_return`,
// `test_call_at_return` and `test_call_later_return`: every scheduling
// method returns a handle `remove_timeout` accepts.

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

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_remove_timeout_after_fire`: removing a
// timeout that already ran is harmless (and still counted, as in 4.5.3).

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

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_remove_timeout_cleanup` (many add/remove
// pairs go through the compaction path) and of `ch03_remove_timeout`'s table: the heap is
// compacted only when `cancellations > 512 and cancellations > len / 2`.

/// The table under Tornado 4.5.3's rules (see `common::one_iteration`).
fn one_iteration(total: usize, remove: usize, earliest: bool) -> [(usize, usize); 2] {
    common::one_iteration(ch00_trace::Era::Tornado4, total, remove, earliest)
}

#[test]
fn compaction_needs_more_than_512_cancellations() {
    assert_eq!(one_iteration(600, 513, false), [(600, 513), (87, 0)]);
    assert_eq!(one_iteration(600, 512, false), [(600, 512), (600, 512)]);
}

#[test]
fn compaction_needs_more_than_half_of_the_heap() {
    assert_eq!(one_iteration(2000, 600, false), [(2000, 600), (2000, 600)]);
    assert_eq!(
        one_iteration(2000, 1000, false),
        [(2000, 1000), (2000, 1000)]
    );
    assert_eq!(one_iteration(2000, 1001, false), [(2000, 1001), (999, 0)]);
}

#[test]
fn small_heaps_are_never_compacted() {
    assert_eq!(one_iteration(150, 76, false), [(150, 76), (150, 76)]);
}

#[test]
fn cancelled_heads_are_popped_lazily() {
    assert_eq!(one_iteration(10, 5, true), [(10, 5), (5, 0)]);
}

/// The Tornado test: 2000 timeouts added and removed one by one while the
/// loop runs, then one more timeout that must still fire.
#[test]
fn test_remove_timeout_cleanup() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    for _ in 0..2000 {
        let handle = io_loop.call_later(3600.0, || ());
        io_loop.remove_timeout(&handle);
    }
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        let stopper = lp.clone();
        lp.call_later(0.0, move || stopper.stop());
    });
    io_loop.start().unwrap();
    // Every entry was cancelled, so each reached the head and was popped.
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (0, 0));
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_remove_timeout_from_timeout`: a due
// timeout removed by an earlier timeout of the same iteration does not run;
// the same holds when a callback of that iteration removes it.

#[test]
fn test_remove_timeout_from_timeout() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let calls = Rc::new(RefCell::new(Vec::new()));
    let t2: Rc<RefCell<Option<TimeoutHandle>>> = Rc::new(RefCell::new(None));

    // Two timeouts due at the same moment: the first removes the second.
    let now = io_loop.time();
    let (c, lp, h) = (calls.clone(), io_loop.clone(), t2.clone());
    io_loop.add_timeout(now + 0.01, move || {
        c.borrow_mut().push("t1");
        lp.remove_timeout(h.borrow().as_ref().unwrap());
    });
    let c = calls.clone();
    *t2.borrow_mut() = Some(io_loop.add_timeout(now + 0.01, move || c.borrow_mut().push("t2")));
    let lp = io_loop.clone();
    io_loop.add_timeout(now + 0.02, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*calls.borrow(), ["t1"]);
    io_loop.close(true);
}

#[test]
fn a_callback_removes_a_timeout_due_in_its_iteration() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    let due = io_loop.add_timeout(io_loop.time(), move || r.set(true));
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        lp.remove_timeout(&due);
        lp.stop();
    });
    io_loop.start().unwrap();
    assert!(
        !ran.get(),
        "the timeout was already chosen, but removed: it must not run"
    );
    io_loop.close(true);
}

/// Port of Tornado 4.5.3's `TestIOLoop.test_add_timeout_timedelta`:
/// `add_timeout` takes a relative deadline (Python's `datetime.timedelta`,
/// our `Duration`) as well as an absolute one.
mod add_timeout_timedelta {
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
}
