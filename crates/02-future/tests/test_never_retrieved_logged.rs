//! Ports Tornado 4.5.3's `ReturnFutureTest.test_uncaught_exception_log` and
//! `Future.__del__`: a failed future whose exception nobody retrieved logs
//! `Future ... exception was never retrieved: ...` when it goes away.

use ch00_trace::{EventKind, record};
use ch02_future::{Future, PyError};

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
    let failed = || {
        let f: Future<i32> = Future::new();
        f.set_exception(PyError::new("ValueError", "bad")).unwrap();
        f
    };
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
