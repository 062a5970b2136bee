//! Ports Tornado 4.5.3's `Future._check_done`: `result()` and `exception()`
//! on a pending future raise `Exception("DummyFuture does not support
//! blocking for results")` instead of blocking.

use ch02_future::{Future, FutureError};

/// `result()` before the future is done is `FutureError::NotDone`, with
/// Tornado's message.
#[test]
fn test_result_before_done() {
    let f: Future<i32> = Future::new();
    let err = f.result().unwrap_err();
    assert_eq!(
        err.downcast_ref::<FutureError>(),
        Some(&FutureError::NotDone)
    );
    assert_eq!(
        err.to_string(),
        "Exception: DummyFuture does not support blocking for results"
    );
    assert!(!f.done(), "asking must not complete the future");
}

/// `exception()` before the future is done is the same error.
#[test]
fn test_exception_before_done() {
    let f: Future<i32> = Future::new();
    let err = f.exception().unwrap_err();
    assert_eq!(
        err.downcast_ref::<FutureError>(),
        Some(&FutureError::NotDone)
    );
}

/// Once done, both answer: the value, and no exception.
#[test]
fn test_result_after_done() {
    let f = Future::new();
    f.set_result("value").unwrap();
    assert_eq!(f.result().unwrap(), "value");
    assert!(f.exception().unwrap().is_none());
    // Asked twice, the same answer (Python hands out the same object).
    assert_eq!(f.result().unwrap(), "value");
}
