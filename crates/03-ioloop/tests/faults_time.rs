//! Fault: time that is not a finite number. A NaN, +inf or -inf deadline or
//! delay given to `call_at`, `call_later`, `add_timeout` or `run_sync`, and a
//! fake clock so far from zero that a small step does not change an `f64`.
//! Also: a `run_sync` that fails (nested in a running loop, after `stop()`,
//! or by its timeout) leaves nothing queued that acts later.
//!
//! The loop must never spin: every test runs on a `testkit::GuardedClock`, a fake clock that
//! panics when the loop reads it more than `testkit::MAX_READS` times, so a loop
//! that iterates without end fails the test instead of hanging it. The
//! iteration counts come from the recorder (`[it=N]` is the number of polls).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch00_trace::{iteration, record};
use ch02_future::Future;
use ch03_ioloop::{IOLoop, IOLoopError};
use testkit::GuardedClock;

fn guarded_loop(start: f64) -> (IOLoop, GuardedClock) {
    let clock = GuardedClock::new(start);
    (IOLoop::with_clock(clock.clone()).unwrap(), clock)
}

type Log = Rc<RefCell<Vec<String>>>;

/// A timeout that logs its name and the clock when it fires.
fn logged(io_loop: &IOLoop, log: &Log, name: &'static str) -> impl FnOnce() + 'static {
    let (lp, log) = (io_loop.clone(), log.clone());
    move || log.borrow_mut().push(format!("{name} at {}", lp.time()))
}

/// A NaN deadline never fires, sorts after every other deadline (so it
/// starves none of them) and does not make the loop spin. Both NaN signs are
/// covered: `f64::total_cmp` alone sorts a negative NaN before everything.
#[test]
fn nan_deadline_never_fires_and_starves_no_later_timer() {
    let (io_loop, clock) = guarded_loop(1000.0);
    let log = Log::default();
    io_loop.call_at(f64::NAN, logged(&io_loop, &log, "nan"));
    io_loop.call_at(-f64::NAN, logged(&io_loop, &log, "-nan"));
    io_loop.call_later(f64::NAN, logged(&io_loop, &log, "later nan"));
    io_loop.call_later(2.0, logged(&io_loop, &log, "b"));
    io_loop.call_later(1.0, logged(&io_loop, &log, "a"));
    let lp = io_loop.clone();
    io_loop.call_later(3.0, move || lp.stop());
    let (polls, _) = record(|| {
        io_loop.start().unwrap();
        iteration()
    });
    assert_eq!(*log.borrow(), ["a at 1001", "b at 1002"]);
    // One poll per finite deadline: the NaN ones cost no iteration.
    assert_eq!((clock.clock.time(), polls), (1003.0, 3));
    assert_eq!(
        io_loop.timeouts_len(),
        3,
        "the three NaN timeouts still wait"
    );
    io_loop.close(true);
}

/// A handle keeps the deadline it was given, NaN included: only the order
/// of the heap reads NaN as +inf.
#[test]
fn nan_deadline_handle_reports_nan() {
    let (io_loop, _) = guarded_loop(0.0);
    assert!(io_loop.call_at(f64::NAN, || ()).deadline().is_nan());
    assert!(io_loop.call_later(f64::NAN, || ()).deadline().is_nan());
    io_loop.close(true);
}

/// An infinite deadline (or delay) never fires, as in Tornado (`inf <= now`
/// is false), and the timers after it run on time.
#[test]
fn infinite_deadline_never_fires_and_later_timers_run() {
    let (io_loop, clock) = guarded_loop(0.0);
    let log = Log::default();
    io_loop.call_at(f64::INFINITY, logged(&io_loop, &log, "inf"));
    io_loop.call_later(f64::INFINITY, logged(&io_loop, &log, "later inf"));
    io_loop.call_later(5.0, logged(&io_loop, &log, "a"));
    let lp = io_loop.clone();
    io_loop.call_later(5.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*log.borrow(), ["a at 5"]);
    assert_eq!(clock.clock.time(), 5.0);
    assert_eq!(io_loop.timeouts_len(), 2);
    io_loop.close(true);
}

/// A deadline of -inf (or a delay of -inf) is due at the next iteration,
/// before every finite deadline, as in Tornado (`-inf <= now`).
#[test]
fn minus_infinite_deadline_is_due_first() {
    let (io_loop, clock) = guarded_loop(50.0);
    let log = Log::default();
    io_loop.call_at(0.0, logged(&io_loop, &log, "zero"));
    io_loop.call_later(f64::NEG_INFINITY, logged(&io_loop, &log, "later -inf"));
    io_loop.call_at(f64::NEG_INFINITY, logged(&io_loop, &log, "-inf"));
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    let (polls, _) = record(|| {
        io_loop.start().unwrap();
        iteration()
    });
    assert_eq!(
        *log.borrow(),
        ["later -inf at 50", "-inf at 50", "zero at 50"]
    );
    assert_eq!((polls, clock.clock.time()), (0, 50.0));
    io_loop.close(true);
}

/// Far from zero, one hour is less than half a unit in the last place of
/// the clock (at 1e20 an `f64` steps by 16384): `now + 3600 == now`. The
/// fake clock must still reach a deadline a day away, in one jump.
#[test]
fn far_future_fake_clock_still_reaches_the_deadline() {
    for (start, delay) in [(1e20, 86_400.0), (1e300, 1e290)] {
        let (io_loop, clock) = guarded_loop(start);
        assert_eq!(start + 3600.0, start, "an hour is lost at {start}");
        let lp = io_loop.clone();
        let deadline = io_loop.call_later(delay, move || lp.stop()).deadline();
        assert!(deadline > start);
        let (polls, _) = record(|| {
            io_loop.start().unwrap();
            iteration()
        });
        assert_eq!((clock.clock.time(), polls), (deadline, 1));
        io_loop.close(true);
    }
}

/// A delay too small to change a far-future clock makes a deadline equal to
/// now: it is due at the next iteration, as Tornado's arithmetic gives.
#[test]
fn far_future_small_delay_is_due_at_once() {
    let (io_loop, clock) = guarded_loop(1e17);
    let lp = io_loop.clone();
    let handle = io_loop.call_later(0.5, move || lp.stop());
    assert_eq!(handle.deadline(), 1e17);
    io_loop.start().unwrap();
    assert_eq!(clock.clock.time(), 1e17);
    io_loop.close(true);
}

/// The fake clock lands exactly on the deadline, not on `now + (deadline -
/// now)`, which rounds: from -1.0 to 1e-17 that sum is 0.0, and the loop
/// took a second idle poll to get there.
#[test]
fn fake_clock_lands_exactly_on_the_deadline() {
    let (io_loop, clock) = guarded_loop(-1.0);
    assert_ne!(-1.0 + (1e-17 - -1.0), 1e-17);
    let lp = io_loop.clone();
    io_loop.call_at(1e-17, move || lp.stop());
    let (polls, _) = record(|| {
        io_loop.start().unwrap();
        iteration()
    });
    assert_eq!((clock.clock.time(), polls), (1e-17, 1));
    io_loop.close(true);
}

/// `run_sync(func, Some(NaN))` fails with `ValueError` (Python's wording for
/// `time.sleep(nan)`) before it queues or runs anything. Tornado would add a
/// NaN timeout and spin until the future is done.
#[test]
fn run_sync_nan_timeout_is_a_value_error() {
    let (io_loop, _) = guarded_loop(0.0);
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    let err = io_loop
        .run_sync(
            move || {
                r.set(true);
                Future::<i32>::new()
            },
            Some(f64::NAN),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "ValueError: Invalid value NaN (not a number)"
    );
    assert!(matches!(
        err.downcast_ref::<IOLoopError>(),
        Some(IOLoopError::NotANumber)
    ));
    assert!(!ran.get());
    assert_eq!(io_loop.timeouts_len(), 0);
    io_loop.close(true);
}

/// `run_sync(func, Some(inf))` is a run without a timeout (as in Tornado).
#[test]
fn run_sync_infinite_timeout_never_times_out() {
    let (io_loop, clock) = guarded_loop(0.0);
    let lp = io_loop.clone();
    let value = io_loop.run_sync(
        move || {
            let future = Future::new();
            let f = future.clone();
            lp.call_later(1e5, move || f.set_result(7));
            future
        },
        Some(f64::INFINITY),
    );
    assert_eq!(value.unwrap(), 7);
    assert_eq!(clock.clock.time(), 1e5);
    // Removed, lazily as in Tornado: one cancelled entry left in the heap.
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (1, 1));
    io_loop.close(true);
}

/// `run_sync(func, Some(-inf))` times out in the first iteration, after
/// `func` ran (as in Tornado: "after -inf seconds").
#[test]
fn run_sync_minus_infinite_timeout_times_out_at_once() {
    let (io_loop, _) = guarded_loop(0.0);
    let err = io_loop
        .run_sync(Future::<i32>::new, Some(f64::NEG_INFINITY))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after -inf seconds"
    );
    io_loop.close(true);
}

/// A `run_sync` inside a callback of the running loop fails with
/// `RuntimeError: IOLoop is already running` and leaves nothing queued: its
/// `func` never runs and nothing stops the outer loop early. (Tornado 4.5.3
/// leaves its `run` callback and its timeout queued: `func` runs after the
/// failure and its future stops the outer loop.)
#[test]
fn nested_run_sync_fails_and_leaves_nothing_queued() {
    let (io_loop, clock) = guarded_loop(1000.0);
    let log = Log::default();
    let (lp, lg) = (io_loop.clone(), log.clone());
    io_loop.add_callback(move || {
        let (inner_lp, inner_lg) = (lp.clone(), lg.clone());
        let err = lp
            .run_sync(
                move || {
                    inner_lg.borrow_mut().push("inner func runs".to_string());
                    let future = Future::new();
                    let f = future.clone();
                    inner_lp.call_later(2.0, move || f.set_result(1));
                    future
                },
                Some(10.0),
            )
            .unwrap_err();
        lg.borrow_mut().push(err.to_string());
        lg.borrow_mut()
            .push(format!("timeouts after: {}", lp.timeouts_len()));
    });
    let lp = io_loop.clone();
    io_loop.call_later(100.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(
        *log.borrow(),
        [
            "RuntimeError: IOLoop is already running",
            "timeouts after: 1"
        ]
    );
    assert_eq!(clock.clock.time(), 1100.0, "the outer loop ran its course");
    io_loop.close(true);
}

/// A `run_sync` that timed out leaves no `stop` armed on its future: when
/// the future resolves during a later `start()`, that `start()` is not cut
/// short. (Tornado 4.5.3's `add_future(future, lambda future: self.stop())`
/// stays and stops the later `start()`.)
#[test]
fn timed_out_run_sync_does_not_stop_a_later_start() {
    let (io_loop, clock) = guarded_loop(1000.0);
    let future = Future::new();
    let f = future.clone();
    io_loop.call_later(5.0, move || f.set_result("late"));
    let pending = future.clone();
    let err = io_loop.run_sync(move || pending, Some(1.0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after 1.0 seconds"
    );
    let lp = io_loop.clone();
    io_loop.call_later(50.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(future.result().unwrap(), "late");
    assert_eq!(clock.clock.time(), 1051.0, "the planned stop ended it");
    io_loop.close(true);
}

/// A `run_sync` after `stop()` returns at once with a `TimeoutError`
/// (Tornado 4.5.3 fails there with `AttributeError` on `None.done()`) and
/// leaves no callback queued: `func` does not run on the next `start()`.
#[test]
fn run_sync_after_stop_leaves_nothing_queued() {
    let (io_loop, _) = guarded_loop(0.0);
    io_loop.stop();
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    let err = io_loop
        .run_sync(
            move || {
                r.set(true);
                Future::<i32>::new()
            },
            Some(1.0),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after 1.0 seconds"
    );
    let lp = io_loop.clone();
    io_loop.call_later(5.0, move || lp.stop());
    io_loop.start().unwrap();
    assert!(!ran.get(), "func never ran");
    assert_eq!(io_loop.timeouts_len(), 0);
    io_loop.close(true);
}
