//! Fault: `sleep` and `with_timeout` given a time that is not a finite
//! number. NaN is refused with a named error (`ValueError`) in the future
//! they return; +inf never fires, -inf fires at the next iteration, as in
//! Tornado. Chapter 03's `faults_time.rs` covers the loop underneath.
//!
//! Every test runs on a `testkit::GuardedClock`, a fake clock that panics
//! when read more than `testkit::MAX_READS` times, so a loop that spins
//! fails instead of hanging.

use ch00_trace::{iteration, record};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{IOLoop, IOLoopError};
use ch05_coroutine::{TimeoutError, coroutine, maybe_future, sleep, with_timeout};
use testkit::GuardedClock;

fn guarded_loop() -> IOLoop {
    let clock = GuardedClock::new(100.0);
    let io_loop = IOLoop::with_clock(clock).unwrap();
    io_loop.make_current();
    io_loop
}

const NAN_ERROR: &str = "ValueError: Invalid value NaN (not a number)";

/// `sleep(NaN)` in a coroutine raises `ValueError` at the `yield`, which
/// the coroutine can catch; no timeout is scheduled.
#[test]
fn sleep_nan_fails_with_value_error() {
    let io_loop = guarded_loop();
    let caught = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let err = co.yield_(sleep(f64::NAN)).await.unwrap_err();
                    let named = matches!(
                        err.downcast_ref::<IOLoopError>(),
                        Some(IOLoopError::NotANumber)
                    );
                    Ok((err.to_string(), named))
                })
            },
            Some(10.0),
        )
        .unwrap();
    assert_eq!(caught, (NAN_ERROR.to_string(), true));
    // Only run_sync's own timeout, removed (lazily) when it returned.
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (1, 1));
}

/// `sleep(inf)` never resolves (a sleep forever), and a shorter sleep
/// started after it still wakes on time.
#[test]
fn sleep_infinite_never_resolves_and_later_sleeps_wake() {
    let io_loop = guarded_loop();
    let forever = sleep(f64::INFINITY);
    let woke_at = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(sleep(2.0)).await?;
                    Ok(IOLoop::current().unwrap().time())
                })
            },
            Some(10.0),
        )
        .unwrap();
    assert_eq!(woke_at, 102.0);
    assert!(!forever.done());
}

/// `sleep(-inf)` resolves in the next iteration, exactly as `sleep(0)`:
/// the same clock and the same number of polls.
#[test]
fn sleep_minus_infinite_wakes_like_sleep_zero() {
    let run = |duration: f64| {
        let io_loop = guarded_loop();
        let (woke_at, _) = record(|| {
            let woke_at = io_loop
                .run_sync(
                    move || {
                        coroutine(move |co| async move {
                            co.yield_(sleep(duration)).await?;
                            Ok(IOLoop::current().unwrap().time())
                        })
                    },
                    None,
                )
                .unwrap();
            (woke_at, iteration())
        });
        woke_at
    };
    assert_eq!(run(f64::NEG_INFINITY), run(0.0));
    assert_eq!(run(f64::NEG_INFINITY).0, 100.0);
}

/// `with_timeout(NaN, f)` is failed at once with `ValueError`, even when
/// `f` is already done, and schedules nothing.
#[test]
fn with_timeout_nan_fails_at_once_with_value_error() {
    let io_loop = guarded_loop();
    for future in [Future::<i32>::new(), maybe_future(24)] {
        let result = with_timeout(f64::NAN, future);
        assert_eq!(result.result().unwrap_err().to_string(), NAN_ERROR);
    }
    assert_eq!(io_loop.timeouts_len(), 0);
}

/// After `with_timeout(NaN, f)`, a later failure of `f` has nobody to go
/// to and is logged, as after a timeout.
#[test]
fn with_timeout_nan_logs_a_later_failure() {
    let ((), recording) = record(|| {
        let _io_loop = guarded_loop();
        let slow = Future::<i32>::new();
        let _ = with_timeout(f64::NAN, slow.clone());
        slow.set_exception(PyError::new("ValueError", "late"))
            .unwrap();
    });
    assert!(
        recording
            .to_string()
            .contains("after timeout: ValueError: late"),
        "{recording}"
    );
}

/// `with_timeout(inf, f)` never times out: the result is `f`'s, however
/// late it comes.
#[test]
fn with_timeout_infinite_never_times_out() {
    let io_loop = guarded_loop();
    let value = io_loop
        .run_sync(
            || {
                let slow = Future::new();
                let s = slow.clone();
                IOLoop::current()
                    .unwrap()
                    .call_later(1e5, move || s.set_result(5));
                with_timeout(f64::INFINITY, slow)
            },
            None,
        )
        .unwrap();
    assert_eq!(value, 5);
    assert_eq!(io_loop.time(), 100_100.0);
}

/// `with_timeout(-inf, f)` times out at the next iteration, before `f`
/// resolves one second later.
#[test]
fn with_timeout_minus_infinite_times_out_at_once() {
    let io_loop = guarded_loop();
    let err = io_loop
        .run_sync(
            || {
                let slow = Future::new();
                let s = slow.clone();
                IOLoop::current()
                    .unwrap()
                    .call_later(1.0, move || s.set_result(5));
                with_timeout(f64::NEG_INFINITY, slow)
            },
            None,
        )
        .unwrap_err();
    assert!(err.downcast_ref::<TimeoutError>().is_some());
    assert_eq!(io_loop.time(), 100.0);
}
