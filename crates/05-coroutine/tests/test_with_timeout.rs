//! `sleep` and `with_timeout` (gen_test's `test_sleep`, `WithTimeoutTest`),
//! on a fake clock: the tests wait for nothing.

use std::time::Instant;

use ch00_trace::record;
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{TimeoutError, coroutine, maybe_future, sleep, with_timeout};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(100.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// `test_sleep`: an hour-long sleep on the fake clock, finished at once.
#[test]
fn test_sleep() {
    let started = Instant::now();
    let io_loop = fake_loop();
    let woke_at = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(sleep(3600.0)).await?;
                    Ok(IOLoop::current().unwrap().time())
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(woke_at, 3700.0);
    assert!(started.elapsed().as_secs() < 60);
}

/// `test_timeout`: the deadline passes first: `TimeoutError`, and the slow
/// future is not cancelled.
#[test]
fn test_timeout() {
    let io_loop = fake_loop();
    let slow = Future::<i32>::new();
    let s = slow.clone();
    let err = io_loop
        .run_sync(
            move || {
                let deadline = IOLoop::current().unwrap().time() + 0.1;
                with_timeout(deadline, s)
            },
            None,
        )
        .unwrap_err();
    assert!(err.is::<TimeoutError>());
    assert_eq!(err.to_string(), "TimeoutError: Timeout");
    assert!(!slow.done());
    slow.set_result(1).unwrap(); // completes later without complaint
}

/// `test_completes_before_timeout`: the result comes through and the
/// timeout is removed.
#[test]
fn test_completes_before_timeout() {
    let io_loop = fake_loop();
    let value = io_loop
        .run_sync(
            || {
                let deadline = IOLoop::current().unwrap().time() + 10.0;
                coroutine(move |co| async move {
                    let quick = coroutine(|co| async move {
                        co.yield_(sleep(0.1)).await?;
                        Ok(5)
                    });
                    co.yield_(with_timeout(deadline, quick)).await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(value, 5);
    assert_eq!(io_loop.timeouts_len(), 0, "the timeout was removed");
}

/// `test_fails_before_timeout`: the failure comes through, not a timeout.
#[test]
fn test_fails_before_timeout() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                let failing = Future::<i32>::new();
                let f = failing.clone();
                IOLoop::current().unwrap().add_callback(move || {
                    f.set_exception(PyError::new("ZeroDivisionError", "division by zero"))
                });
                with_timeout(IOLoop::current().unwrap().time() + 10.0, failing)
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "ZeroDivisionError: division by zero");
}

/// `test_already_resolved`: an already-done future passes straight through.
#[test]
fn test_already_resolved() {
    let _io_loop = fake_loop();
    let f = with_timeout(IOLoop::current().unwrap().time() + 10.0, maybe_future(24));
    assert_eq!(f.result().unwrap(), 24);
}

/// A run of Tornado 4.5.3 (docs/conformance.md): a failure after the timeout
/// has nobody to go to; it is logged.
#[test]
fn a_failure_after_the_timeout_is_logged() {
    let ((), recording) = record(|| {
        let io_loop = fake_loop();
        let slow = Future::<i32>::new();
        let s = slow.clone();
        let _ = io_loop.run_sync(
            move || with_timeout(IOLoop::current().unwrap().time() + 0.1, s),
            None,
        );
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
