//! Ports Tornado 4.5.3's `Future.add_done_callback` (`ch02_done_callbacks`'s "cb3 (added
//! after done)"): on a future that is already done, the callback runs at once,
//! in the caller's frame, before `add_done_callback` returns.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch02_future::{Exception, Future, PyError};

/// The callback has run by the time `add_done_callback` returns.
#[test]
fn test_add_done_callback_when_done_runs_at_once() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let f = Future::resolved(5);

    let s = seen.clone();
    f.add_done_callback(move |f: &Future<i32>| s.borrow_mut().push(f.result().unwrap()));
    seen.borrow_mut().push(-1);

    assert_eq!(*seen.borrow(), [5, -1]);
}

/// It works for a failed future too, and the recording says "at once".
#[test]
fn test_add_done_callback_on_failed_future() {
    let seen: Rc<RefCell<Option<Exception>>> = Rc::default();
    let ((), recording) = record(|| {
        let f: Future<()> = Future::new();
        f.set_exception(PyError::new("ValueError", "early"))
            .unwrap();
        let s = seen.clone();
        f.add_done_callback(move |f: &Future<()>| *s.borrow_mut() = f.exception().unwrap());
    });
    assert_eq!(
        seen.borrow().as_ref().unwrap().to_string(),
        "ValueError: early"
    );
    assert_eq!(
        recording.only(&[EventKind::Future]),
        "[it=0]   future f1 set_exception: ValueError: early\n\
         [it=0]   future f1 runs done-callback at once (already done)\n"
    );
}

/// A late callback that fails is logged (Tornado 4.5.3 would let the
/// exception out of `add_done_callback`; see `Future::add_done_callback`).
#[test]
fn test_add_done_callback_when_done_failure_logged() {
    let ((), recording) = record(|| {
        let f = Future::resolved(());
        f.add_done_callback(|_: &Future<()>| Err(PyError::new("ValueError", "late")));
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback (added when done) \
         for future f1: ValueError: late\n"
    );
}
