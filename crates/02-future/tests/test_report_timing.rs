//! When a failed future nobody looked at is reported: where Python would free
//! it (the `ch02_report_after_callbacks` twin shows Tornado 4.5.3's order).

use ch00_trace::{Recording, record, say};
use ch02_future::{CallbackBatch, Future, PyError, released_now};

fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why))
}

/// The program's prints and log lines, in order (the log lines shortened to
/// what failed).
fn lines(recording: &Recording) -> Vec<String> {
    recording
        .lines_like(&["[it=0] LOG any"])
        .into_iter()
        .map(
            |line| match line.split_once("was never retrieved: ValueError: ") {
                Some((_, why)) => format!("reported: {why}"),
                None => line.trim_start_matches("[it=0] ").to_string(),
            },
        )
        .collect()
}

/// A failed future captured by done-callback 1 of 2 is reported after
/// callback 2, inside `set_result` (Python frees `_callbacks` after the loop).
#[test]
fn a_done_callbacks_capture_is_reported_after_the_last_callback() {
    let ((), recording) = record(|| {
        let pending: Future<()> = Future::new();
        let held = failed("captured");
        pending.add_done_callback(move |_: &Future<()>| {
            drop(held);
            say!("callback 1");
        });
        pending.add_done_callback(|_: &Future<()>| say!("callback 2"));
        pending.set_result(()).unwrap();
        say!("set_result returned");
    });
    assert_eq!(
        lines(&recording),
        [
            "callback 1",
            "callback 2",
            "reported: captured",
            "set_result returned"
        ]
    );
}

/// A future that a done-callback fails itself and drops is a local of the
/// callback: reported at once, as Python frees a frame's locals.
#[test]
fn a_future_a_done_callback_fails_and_drops_is_reported_at_once() {
    let ((), recording) = record(|| {
        let pending: Future<()> = Future::new();
        pending.add_done_callback(|_: &Future<()>| {
            drop(failed("local"));
            say!("callback 1");
        });
        pending.add_done_callback(|_: &Future<()>| say!("callback 2"));
        pending.set_result(()).unwrap();
    });
    assert_eq!(
        lines(&recording),
        ["reported: local", "callback 1", "callback 2"]
    );
}

/// `released_now` reports at once inside a batch (what `remove_timeout` and
/// `remove_handler` use: Python frees the removed callback there and then).
#[test]
fn released_now_reports_at_once_inside_a_batch() {
    let ((), recording) = record(|| {
        let held = failed("released");
        let batch = CallbackBatch::begin();
        batch.next();
        released_now(|| drop(held));
        say!("still in the batch");
        drop(batch);
    });
    assert_eq!(
        lines(&recording),
        ["reported: released", "still in the batch"]
    );
}

/// `finish` hands the held-back reports to an owner; they are made when it
/// drops (a timeout whose handle the program keeps).
#[test]
fn finished_batch_reports_when_its_owner_drops() {
    let ((), recording) = record(|| {
        let held = failed("kept");
        let batch = CallbackBatch::begin();
        batch.next();
        let callback = move || drop(held); // the callback's capture
        callback();
        let owner = batch.finish();
        say!("batch finished");
        drop(owner);
        say!("owner dropped");
    });
    assert_eq!(
        lines(&recording),
        ["batch finished", "reported: kept", "owner dropped"]
    );
}
