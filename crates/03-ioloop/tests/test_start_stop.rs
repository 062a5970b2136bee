//! `start()` and `stop()`: `stop()` before `start()`, `stop()` in the middle
//! of an iteration, and `start()` from inside the running loop. Ports
//! Tornado 4.5.3's ioloop_test.py `TestIOLoop.test_reentrant` and the rules
//! of `PollIOLoop.start`/`stop` (the twin `ch03_stop_start`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch03_ioloop::{IOLoop, IOLoopError};

// ----------------------------------------------------------------------
// `ch03_stop_start` (Tornado 4.5.3's `PollIOLoop.start`: `if self._stopped: self._stopped
// = False; return`): `stop()` before `start()` makes that `start()` return
// at once without running anything; the next `start()` runs normally.

#[test]
fn stop_before_start_returns_at_once() {
    let io_loop = IOLoop::new().unwrap();
    let ran = Rc::new(Cell::new(0));
    let r = ran.clone();
    io_loop.add_callback(move || r.set(r.get() + 1));
    io_loop.stop();
    io_loop.start().unwrap();
    assert_eq!(ran.get(), 0, "start() after stop() must not run anything");

    // The flag was consumed: this start runs the pending callback.
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(ran.get(), 1);
    io_loop.close(true);
}

/// `stop()` mid-batch: the rest of the batch and the due timeouts still
/// run; a callback added after `stop()` waits for the next `start()`.
#[test]
fn stop_mid_batch_finishes_the_iteration() {
    let io_loop = IOLoop::new().unwrap();
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let (l, lp) = (log.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        l.borrow_mut().push("s1 stops");
        lp.stop();
        let l2 = l.clone();
        lp.add_callback(move || l2.borrow_mut().push("added after stop"));
    });
    let l = log.clone();
    io_loop.add_callback(move || l.borrow_mut().push("s2"));
    let l = log.clone();
    io_loop.add_timeout(io_loop.time() - 1.0, move || {
        l.borrow_mut().push("due timeout")
    });
    io_loop.start().unwrap();
    assert_eq!(*log.borrow(), ["s1 stops", "s2", "due timeout"]);

    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(log.borrow().last(), Some(&"added after stop"));
    io_loop.close(true);
}

/// Tornado's `stop()` writes a byte into the waker, which nobody reads
/// before the loop breaks: the next poll returns at once, an extra empty
/// iteration (and a fake clock must not jump ahead for it).
#[test]
fn the_wake_up_of_stop_makes_the_next_poll_return_at_once() {
    use ch00_trace::{record, say};
    use ch03_ioloop::FakeClock;

    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.stop();
        io_loop.start().unwrap(); // returns at once; the wake-up is still pending
        let lp = io_loop.clone();
        io_loop.call_later(10.0, move || {
            say!("the timeout fires at t={}", lp.time());
            lp.stop();
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    // Poll 1 returned at once (the wake-up), poll 2 waited for the timeout.
    assert_eq!(recording.prints(), ["[it=2] the timeout fires at t=10"]);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_reentrant`: calling `start()` from
// inside the running loop fails with `RuntimeError: IOLoop is already
// running` instead of deadlocking or nesting a loop.

#[test]
fn test_reentrant() {
    let io_loop = IOLoop::new().unwrap();
    let outcome = Rc::new(RefCell::new(None));
    let (o, lp) = (outcome.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        *o.borrow_mut() = Some(lp.start());
        lp.stop();
    });
    io_loop.start().unwrap();
    let nested = outcome.borrow_mut().take().expect("the callback ran");
    let err = nested.unwrap_err();
    assert!(matches!(err, IOLoopError::AlreadyRunning));
    assert_eq!(err.to_string(), "RuntimeError: IOLoop is already running");
    io_loop.close(true);
}

/// `start()` after `close()` is a `RuntimeError` that says what to do
/// instead: use a new loop (the message is ours; no twin prints it).
#[test]
fn start_after_close_says_to_use_a_new_loop() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.close(false);
    let err = io_loop.start().unwrap_err();
    assert!(matches!(err, IOLoopError::Closed));
    assert_eq!(
        err.to_string(),
        "RuntimeError: IOLoop is closed; use a new IOLoop (a closed one cannot be used again)"
    );
}
