//! `Future` itself: done-callbacks (when they run, in what order, what a
//! failing one does, what one may do with the future running it), the
//! `result()`/`exception()` rules, a second `set_result`, reference
//! semantics, and the "exception was never retrieved" log. Ports Tornado
//! 4.5.3's `tornado/concurrent.py` `Future` (`add_done_callback`,
//! `_set_done`, `_check_done`, `__del__`) and concurrent_test.py's
//! `ReturnFutureTest.test_uncaught_exception_log`, with the twin
//! `ch02_done_callbacks`. `chain_future` is in `test_chain_future.rs`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch02_future::{Exception, Future, FutureError, PyError};

// ----------------------------------------------------------------------
// Ports the intent of Tornado 4.5.3's `Future._set_done` (exercised by the
// twin `ch02_done_callbacks`): done-callbacks run synchronously inside
// `set_result` / `set_exception`, in registration order, before it returns.

/// A shared log the callbacks write into, so the test sees the order.
fn journal() -> Rc<RefCell<Vec<String>>> {
    Rc::new(RefCell::new(Vec::new()))
}

/// `set_result` runs every waiting callback, in order, before it returns.
#[test]
fn test_callbacks_run_in_order_inside_set_result() {
    let seen = journal();
    let f: Future<i32> = Future::new();
    for name in ["cb1", "cb2", "cb3"] {
        let seen = seen.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            seen.borrow_mut()
                .push(format!("{name} {}", f.result().unwrap()));
        });
    }
    assert!(
        seen.borrow().is_empty(),
        "no callback may run before the future is done"
    );

    seen.borrow_mut().push("before".into());
    f.set_result(42).unwrap();
    seen.borrow_mut().push("after".into());

    assert_eq!(
        *seen.borrow(),
        ["before", "cb1 42", "cb2 42", "cb3 42", "after"]
    );
}

/// `set_exception` runs them the same way, and each sees the exception.
#[test]
fn test_callbacks_run_inside_set_exception() {
    let seen = journal();
    let f: Future<i32> = Future::new();
    for name in ["cb1", "cb2"] {
        let seen = seen.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            let exc = f.exception().unwrap().unwrap();
            seen.borrow_mut().push(format!("{name} {exc}"));
        });
    }
    f.set_exception(PyError::new("ValueError", "bad")).unwrap();
    seen.borrow_mut().push("after".into());

    assert_eq!(
        *seen.borrow(),
        ["cb1 ValueError: bad", "cb2 ValueError: bad", "after"]
    );
}

/// Each callback runs exactly once: a later (refused) second set does not
/// run them again.
#[test]
fn test_callbacks_run_once() {
    let count = Rc::new(RefCell::new(0));
    let f = Future::new();
    let c = count.clone();
    f.add_done_callback(move |_: &Future<()>| *c.borrow_mut() += 1);
    f.set_result(()).unwrap();
    let _ = f.set_result(());
    assert_eq!(*count.borrow(), 1);
}

// ----------------------------------------------------------------------
// Ports Tornado 4.5.3's `Future.add_done_callback` (`ch02_done_callbacks`'s "cb3 (added
// after done)"): on a future that is already done, the callback runs at once,
// in the caller's frame, before `add_done_callback` returns.

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

// ----------------------------------------------------------------------
// Ports Tornado 4.5.3's `Future._set_done` error handling (`ch02_done_callbacks`'s "bad
// callback"): a done-callback that fails is logged on `tornado.application`
// as `Exception in callback ... for ...`, and the callbacks after it still run.

/// The log lines of a recording, as `ERROR target: message`.
fn logs(recording: &ch00_trace::Recording) -> Vec<String> {
    recording
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Log)
        .map(|e| e.text.clone())
        .collect()
}

/// An `Err` and a panic are both logged; the third callback still runs and
/// `set_result` still returns `Ok`.
#[test]
fn test_failing_callback_logged_others_run() {
    let ran = Rc::new(RefCell::new(Vec::new()));
    let (returned, recording) = record(|| {
        let f: Future<i32> = Future::new();
        f.add_done_callback(|_: &Future<i32>| Err(PyError::new("ValueError", "boom")));
        f.add_done_callback(|_: &Future<i32>| -> () { panic!("kaboom") });
        let r = ran.clone();
        f.add_done_callback(move |_: &Future<i32>| r.borrow_mut().push("third"));
        f.set_result(1)
    });

    assert_eq!(
        returned,
        Ok(()),
        "a failing callback must not fail set_result"
    );
    assert_eq!(*ran.borrow(), ["third"]);
    assert_eq!(
        logs(&recording),
        [
            "ERROR tornado.application: Exception in callback 1 of 3 for future f1: \
             ValueError: boom",
            "ERROR tornado.application: Exception in callback 2 of 3 for future f1: \
             panic: kaboom",
        ]
    );
}

/// The log line is recorded where the failure happened: after the failing
/// callback's event and before the next callback's.
#[test]
fn test_failure_logged_in_place() {
    let ((), recording) = record(|| {
        let f: Future<()> = Future::new();
        f.add_done_callback(|_: &Future<()>| Err(PyError::new("KeyError", "'k'")));
        f.add_done_callback(|_: &Future<()>| ());
        f.set_result(()).unwrap();
    });
    let lines: Vec<String> = recording.events.iter().map(|e| e.text.clone()).collect();
    assert_eq!(
        lines,
        [
            "future f1 set_result",
            "future f1 runs done-callback 1 of 2",
            "ERROR tornado.application: Exception in callback 1 of 2 for future f1: KeyError: 'k'",
            "future f1 runs done-callback 2 of 2",
        ]
    );
}

// ----------------------------------------------------------------------
// A done-callback may use the future that is running it: read its result,
// add another done-callback (which, the future being done, runs at once, as
// Tornado 4.5.3's `add_done_callback` does because `_set_done` sets `_done`
// before calling anyone), and complete other futures whose callbacks run
// nested inside. Nothing may be borrowed while user code runs.

/// A callback that adds a callback to its own future: the new one runs at
/// once, nested, before the next waiting callback.
#[test]
fn test_callback_reenters_future() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let f: Future<i32> = Future::new();

    let s = seen.clone();
    f.add_done_callback(move |f: &Future<i32>| {
        s.borrow_mut()
            .push(format!("cb1 sees {}", f.result().unwrap()));
        let s2 = s.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            s2.borrow_mut()
                .push(format!("nested sees {}", f.result().unwrap()));
        });
        assert!(
            f.set_result(0).is_err(),
            "already done, even inside its callbacks"
        );
    });
    let s = seen.clone();
    f.add_done_callback(move |_: &Future<i32>| s.borrow_mut().push("cb2".to_string()));

    f.set_result(9).unwrap();
    assert_eq!(*seen.borrow(), ["cb1 sees 9", "nested sees 9", "cb2"]);
}

/// A callback that completes another future runs that future's callbacks
/// nested inside its own: the chain unrolls depth-first.
#[test]
fn test_callback_resolves_other_future() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let first: Future<i32> = Future::new();
    let second: Future<i32> = Future::new();

    let s = seen.clone();
    second.add_done_callback(move |g: &Future<i32>| {
        s.borrow_mut()
            .push(format!("second done {}", g.result().unwrap()))
    });
    let s = seen.clone();
    let next = second.clone();
    first.add_done_callback(move |f: &Future<i32>| {
        s.borrow_mut().push("first cb starts".to_string());
        next.set_result(f.result().unwrap() + 1).unwrap();
        s.borrow_mut().push("first cb ends".to_string());
    });

    first.set_result(1).unwrap();
    assert_eq!(
        *seen.borrow(),
        ["first cb starts", "second done 2", "first cb ends"]
    );
}

/// `Debug` works from inside a callback too.
#[test]
fn test_debug_inside_callback() {
    let shown = Rc::new(RefCell::new(String::new()));
    let f: Future<()> = Future::new();
    let s = shown.clone();
    f.add_done_callback(move |f: &Future<()>| *s.borrow_mut() = format!("{f:?}"));
    f.set_result(()).unwrap();
    assert_eq!(*shown.borrow(), "Future(f0, done)");
}

// ----------------------------------------------------------------------
// Ports Tornado 4.5.3's `Future._check_done`: `result()` and `exception()`
// on a pending future raise `Exception("DummyFuture does not support
// blocking for results")` instead of blocking.

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

// ----------------------------------------------------------------------
// A second `set_result`/`set_exception` is refused with
// `InvalidStateError`, as in Tornado 3.x (`concurrent.futures`) and 6.x
// (`asyncio`). Tornado 4.5.3 checks nothing ("It is undefined to call any of
// the set methods more than once"): it overwrites and then fails with
// `TypeError`. The course chose the error of the other two versions.

/// The second `set_result` is `InvalidState`, and the first value stays.
#[test]
fn test_double_set_result() {
    let f = Future::new();
    f.set_result(1).unwrap();
    assert_eq!(f.set_result(2), Err(FutureError::InvalidState));
    assert_eq!(f.result().unwrap(), 1);
}

/// `set_exception` after `set_result` (and the other way round) is refused
/// too, and stores nothing.
#[test]
fn test_set_exception_after_set_result() {
    let f = Future::new();
    f.set_result(1).unwrap();
    assert_eq!(
        f.set_exception(PyError::new("ValueError", "late")),
        Err(FutureError::InvalidState)
    );
    assert!(f.exception().unwrap().is_none());

    let g: Future<i32> = Future::new();
    g.set_exception(PyError::new("ValueError", "first"))
        .unwrap();
    assert_eq!(g.set_result(2), Err(FutureError::InvalidState));
    assert_eq!(g.result().unwrap_err().to_string(), "ValueError: first");
}

/// A refused set does not run the done-callbacks a second time.
#[test]
fn test_double_set_does_not_rerun_callbacks() {
    let runs = Rc::new(Cell::new(0));
    let f = Future::new();
    let r = runs.clone();
    f.add_done_callback(move |_: &Future<i32>| r.set(r.get() + 1));
    f.set_result(1).unwrap();
    let _ = f.set_result(2);
    assert_eq!(runs.get(), 1);
}

/// The error reads like Python's and converts into an `Exception` with `?`.
#[test]
fn test_invalid_state_error_display() {
    fn set_twice() -> Result<(), ch02_future::Exception> {
        let f = Future::resolved(());
        f.set_result(())?;
        Ok(())
    }
    let exc = set_twice().unwrap_err();
    assert_eq!(exc.to_string(), "InvalidStateError: invalid state");
    assert!(exc.is::<FutureError>());
}

// ----------------------------------------------------------------------
// Python's reference semantics: `g = f` names the same Future, so a result
// set through one name is seen through the other, and `g is f`.

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

// ----------------------------------------------------------------------
// Ports Tornado 4.5.3's `ReturnFutureTest.test_uncaught_exception_log` and
// `Future.__del__`: a failed future whose exception nobody retrieved logs
// `Future ... exception was never retrieved: ...` when it goes away.

/// The log lines of what `program` did.
fn logs_of(program: impl FnOnce()) -> String {
    record(program).1.only(&[EventKind::Log])
}

/// Nobody looked: logged when the last reference is dropped, not before.
#[test]
fn test_never_retrieved_logged() {
    let ((), recording) = record(|| {
        let f: Future<()> = Future::new();
        let g = f.clone();
        f.set_exception(PyError::new("ZeroDivisionError", "division by zero"))
            .unwrap();
        drop(f);
        ch00_trace::say!("one reference left");
        drop(g);
    });
    let lines: Vec<String> = recording.events.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "[it=0]   future f1 set_exception: ZeroDivisionError: division by zero",
            "[it=0] > one reference left",
            "[it=0] ! ERROR tornado.application: Future f1 exception was never retrieved: \
             ZeroDivisionError: division by zero",
        ]
    );
}

/// `result()` and `exception()` count as retrieving; `done()` does not.
#[test]
fn test_what_counts_as_retrieved() {
    let failed = || Future::<i32>::failed(PyError::new("ValueError", "bad"));
    assert_eq!(logs_of(|| drop(failed().result())), "");
    assert_eq!(logs_of(|| drop(failed().exception())), "");
    let after_done = logs_of(|| {
        let f = failed();
        assert!(f.done());
    });
    assert!(after_done.contains("exception was never retrieved: ValueError: bad"));
}

/// A succeeded or pending future is never reported.
#[test]
fn test_no_report_without_exception() {
    assert_eq!(logs_of(|| drop(Future::resolved(1))), "");
    assert_eq!(logs_of(|| drop(Future::<i32>::new())), "");
}

/// A done-callback that looks at the exception retrieves it (Tornado's advice:
/// `f.add_done_callback(lambda f: f.exception())`).
#[test]
fn test_done_callback_retrieves() {
    let logs = logs_of(|| {
        let f: Future<()> = Future::new();
        f.add_done_callback(|f: &Future<()>| drop(f.exception()));
        f.set_exception(PyError::new("ValueError", "seen")).unwrap();
    });
    assert_eq!(logs, "");
}
