//! Ports Tornado 4.5.3's `Future._set_done` error handling (`ch02_done_callbacks`'s "bad
//! callback"): a done-callback that fails is logged on `tornado.application`
//! as `Exception in callback ... for ...`, and the callbacks after it still run.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch02_future::{Future, PyError};

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
