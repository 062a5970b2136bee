//! Ports of Tornado's `TestIOLoopRunSync`: `test_sync_result`,
//! `test_sync_exception`, `test_async_result`, `test_async_exception`,
//! `test_current` and `test_timeout` (`ch03_run_sync`), on a fake clock.

use ch01_yield::{Panic, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

fn fake_loop() -> IOLoop {
    IOLoop::with_clock(FakeClock::new(0.0)).unwrap()
}

/// `test_sync_result`: an already-resolved future (4.5.3 refuses a plain
/// value with `BadYieldError`; a value must come in a future).
#[test]
fn test_sync_result() {
    let io_loop = fake_loop();
    let value = io_loop.run_sync(
        || {
            let future = Future::new();
            future.set_result(42).unwrap();
            future
        },
        None,
    );
    assert_eq!(value.unwrap(), 42);
    io_loop.close(true);
}

/// `test_sync_exception`: `func` itself fails (a panic here, Python's raise).
#[test]
fn test_sync_exception() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync::<i32>(|| panic!("division by zero"), None)
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<Panic>().unwrap().message,
        "division by zero"
    );
    io_loop.close(true);
}

/// `test_async_result`: the future resolves on a later iteration.
#[test]
fn test_async_result() {
    let io_loop = fake_loop();
    let lp = io_loop.clone();
    let value = io_loop.run_sync(
        move || {
            let future = Future::new();
            let f = future.clone();
            lp.call_later(1.0, move || f.set_result(42));
            future
        },
        None,
    );
    assert_eq!(value.unwrap(), 42);
    assert_eq!(io_loop.time(), 1.0);
    io_loop.close(true);
}

/// `test_async_exception`: the future fails on a later iteration.
#[test]
fn test_async_exception() {
    let io_loop = fake_loop();
    let lp = io_loop.clone();
    let err = io_loop
        .run_sync(
            move || {
                let future = Future::<i32>::new();
                let f = future.clone();
                lp.add_callback(move || f.set_exception(PyError::new("ZeroDivisionError", "x")));
                future
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "ZeroDivisionError: x");
    io_loop.close(true);
}

/// `test_current`: inside `func`, the loop is the current loop.
#[test]
fn test_current() {
    IOLoop::clear_current();
    let io_loop = fake_loop();
    IOLoop::clear_current();
    let lp = io_loop.clone();
    let was_current = io_loop
        .run_sync(
            move || {
                let future = Future::new();
                future
                    .set_result(IOLoop::current().unwrap().ptr_eq(&lp))
                    .unwrap();
                future
            },
            None,
        )
        .unwrap();
    assert!(was_current);
    assert!(
        IOLoop::try_current().is_none(),
        "the previous current loop is restored"
    );
    io_loop.close(true);
}

/// `test_timeout`: the future never resolves; after the timeout (instantly,
/// on the fake clock) `run_sync` fails with `TimeoutError`.
#[test]
fn test_timeout() {
    let clock = FakeClock::new(0.0);
    let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
    let err = io_loop
        .run_sync(Future::<i32>::new, Some(0.01))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after 0.01 seconds"
    );
    assert!(matches!(
        err.downcast_ref::<IOLoopError>(),
        Some(IOLoopError::Timeout(Some(_)))
    ));
    assert_eq!(clock.time(), 0.01);
    io_loop.close(true);
}

/// `ch03_run_sync`, "run_sync where someone calls stop() first": `after None seconds`.
#[test]
fn stopped_by_someone_else() {
    let io_loop = fake_loop();
    let lp = io_loop.clone();
    let err = io_loop
        .run_sync(
            move || {
                let stopper = lp.clone();
                lp.add_callback(move || stopper.stop());
                Future::<i32>::new()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after None seconds"
    );
    io_loop.close(true);
}
