//! Ports Tornado 4.5.3's `chain_future` (`tests/tornado/ch02_chain_future.py`, and the intent of
//! `concurrent_test`'s chained-future uses): `a`'s outcome is copied into `b`
//! when `a` completes, unless `b` is done by then.

use ch00_trace::{EventKind, record};
use ch02_future::{Future, PyError, chain_future};

/// A result is copied inside `a.set_result`.
#[test]
fn test_chain_future_result() {
    let a = Future::new();
    let b = Future::new();
    chain_future(&a, &b);
    assert!(!b.done());
    a.set_result(7).unwrap();
    assert_eq!(b.result().unwrap(), 7);
}

/// An exception is copied too: the same exception object (Python's `is`).
#[test]
fn test_chain_future_exception() {
    let a: Future<i32> = Future::new();
    let b = Future::new();
    chain_future(&a, &b);
    a.set_exception(PyError::new("ValueError", "upstream"))
        .unwrap();
    let from_a = a.exception().unwrap().unwrap();
    let from_b = b.exception().unwrap().unwrap();
    assert!(from_a.ptr_eq(&from_b));
}

/// A target that is done first keeps its own outcome, and nothing is logged
/// (`if b.done(): return`).
#[test]
fn test_chain_future_into_done_target() {
    let ((), recording) = record(|| {
        let a = Future::new();
        let b = Future::new();
        b.set_result("b's own").unwrap();
        chain_future(&a, &b);
        a.set_result("from a").unwrap();
        assert_eq!(b.result().unwrap(), "b's own");
    });
    assert_eq!(recording.only(&[EventKind::Log]), "", "nothing to report");
}

/// Chaining from an `a` that is already done copies at once.
#[test]
fn test_chain_future_from_done_source() {
    let a = Future::resolved(3);
    let b = Future::new();
    chain_future(&a, &b);
    assert_eq!(b.result().unwrap(), 3);
}

/// The copy retrieves `a`'s exception, so only `b` (if nobody looks at it)
/// is reported as never retrieved.
#[test]
fn test_chain_future_hands_over_never_retrieved() {
    let ((), recording) = record(|| {
        let a: Future<()> = Future::new();
        let b = Future::new();
        chain_future(&a, &b);
        a.set_exception(PyError::new("ValueError", "x")).unwrap();
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Future f2 exception was never retrieved: \
         ValueError: x\n"
    );
}
