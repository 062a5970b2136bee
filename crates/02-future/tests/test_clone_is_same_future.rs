//! Python's reference semantics: `g = f` names the same Future, so a result
//! set through one name is seen through the other, and `g is f`.

use ch02_future::Future;

/// A clone shares the outcome and the callbacks; `ptr_eq` is `is`.
#[test]
fn test_clone_is_same_future() {
    let f: Future<i32> = Future::new();
    let g = f.clone();
    assert!(f.ptr_eq(&g));
    assert!(!f.ptr_eq(&Future::new()));

    g.set_result(3).unwrap();
    assert!(f.done());
    assert_eq!(f.result().unwrap(), 3);
}

/// Tornado 4.5.3's futures cannot be cancelled: `cancel()` is a no-op.
#[test]
fn test_cancel_is_a_no_op() {
    let f: Future<i32> = Future::new();
    assert!(!f.cancel());
    assert!(!f.cancelled());
    assert!(f.running(), "still pending after cancel()");
    f.set_result(1).unwrap();
    assert!(!f.running());
}

/// Recording ids name futures `f1`, `f2`... per recording, 0 when off.
#[test]
fn test_ids() {
    assert_eq!(Future::<()>::new().id(), 0);
    let (ids, _) = ch00_trace::record(|| {
        let a: Future<()> = Future::new();
        let b: Future<()> = Future::new();
        (a.id(), b.id(), a.clone().id())
    });
    assert_eq!(ids, (1, 2, 1));
}
