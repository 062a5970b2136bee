//! Chapter 02's graded exercises: the tests of each one.
//!
//! Run one exercise's tests with `cargo test -p ch02-future --test exercises
//! ex02_3` (its id with `_` for `.`); the tasks, and their hints, are in
//! `crates/02-future/exercises/README.md` (`cargo run -- hint ex02.3`).
//! Every test goes through the crate's public API only.

use std::cell::Cell;
use std::rc::Rc;

use ch00_trace::{EventKind, Recording, record, say};
use ch02_future::scenarios::SCENARIOS;
use ch02_future::{Exception, Future, FutureError, PyError, catch_panic, chain_future};

/// The log records of a recording, as `ERROR tornado.application: ...`.
fn logs(recording: &Recording) -> Vec<String> {
    recording
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Log)
        .map(|e| e.text.clone())
        .collect()
}

// ----------------------------------------------------------------------
// ex02.1: `Future::exception`

/// `exception()` on a pending future is an error, not a wait, with Tornado
/// 4.5.3's words (`_check_done`).
#[test]
fn ex02_1_exception_of_a_pending_future_is_an_error() {
    testkit::exercise("ex02.1", || {
        let f: Future<i32> = Future::new();
        let asked = f.exception();
        let err = match asked {
            Err(err) => err,
            Ok(none_or_some) => panic!(
                "exception() of a pending future must raise (Tornado's `self._check_done()`); \
                 it returned Ok({none_or_some:?}), as if the future had succeeded"
            ),
        };
        assert_eq!(
            err.downcast_ref::<FutureError>(),
            Some(&FutureError::NotDone),
            "a pending future raises FutureError::NotDone; it raised {err}"
        );
        assert_eq!(
            err.to_string(),
            "Exception: DummyFuture does not support blocking for results",
            "Tornado 4.5.3's words (`_check_done`)"
        );
    });
}

/// A future that succeeded has no exception: `Ok(None)`.
#[test]
fn ex02_1_a_successful_future_has_no_exception() {
    testkit::exercise("ex02.1", || {
        let f = Future::resolved(42);
        let asked = f.exception();
        assert!(
            matches!(asked, Ok(None)),
            "exception() of a future that succeeded returns None; it gave {asked:?}"
        );
    });
}

/// A failed future hands out its exception: the same object, to every caller.
#[test]
fn ex02_1_exception_returns_the_stored_exception() {
    testkit::exercise("ex02.1", || {
        let exc = Exception::msg("ValueError", "bad");
        let f: Future<i32> = Future::failed(exc.clone());
        for caller in ["the first caller", "a second caller"] {
            let asked = f.exception();
            assert!(
                asked
                    .as_ref()
                    .is_ok_and(|e| e.as_ref().is_some_and(|e| e.ptr_eq(&exc))),
                "exception() returns Some(the exception set_exception stored), the same object,                  to {caller}; it gave {asked:?}"
            );
        }
    });
}

/// `exception()` counts as retrieving the exception (`_clear_tb_log`): the
/// future is not reported as never retrieved when dropped. Asking `done()`
/// does not count.
#[test]
fn ex02_1_exception_counts_as_retrieving_it() {
    testkit::exercise("ex02.1", || {
        let ((), recording) = record(|| {
            let f: Future<i32> = Future::failed(PyError::new("ValueError", "seen"));
            let _ = f.exception();
            drop(f);
            let g: Future<i32> = Future::failed(PyError::new("ValueError", "only done()"));
            let _ = g.done();
            drop(g);
        });
        assert_eq!(
            recording.lines_like(&["[it=0] LOG any"]),
            [
                "[it=0] LOG ERROR tornado.application: Future exception was never retrieved: \
              ValueError: only done()"
            ],
            "a failed future whose exception() was asked is not reported when dropped: \
             exception() starts with Tornado's self._clear_tb_log(); one only asked done() is"
        );
    });
}

// ----------------------------------------------------------------------
// ex02.2: `Future::run_guarded`, a done-callback's try/except

/// A done-callback that fails by returning `Err` is logged on
/// `tornado.application` with Tornado's words, and goes no further.
#[test]
fn ex02_2_a_callback_that_returns_err_is_logged() {
    testkit::exercise("ex02.2", || {
        let ((), recording) = record(|| {
            let f = Future::resolved(1);
            f.add_done_callback(|_: &Future<i32>| Err(PyError::new("ValueError", "boom")));
            say!("add_done_callback returned");
        });
        assert_eq!(
            logs(&recording),
            [
                "ERROR tornado.application: Exception in callback (added when done) for future f1: \
              ValueError: boom"
            ],
            "Tornado's `except Exception: app_log.exception('Exception in callback %r for %r', \
             cb, self)`, once"
        );
        assert_eq!(
            recording.prints(),
            ["[it=0] add_done_callback returned"],
            "the failure does not escape add_done_callback"
        );
    });
}

/// A done-callback that panics has raised: the panic is caught and logged
/// like an `Err`, and never escapes.
#[test]
fn ex02_2_a_callback_that_panics_is_logged_not_raised() {
    testkit::exercise("ex02.2", || {
        let (escaped, recording) = record(|| {
            let f = Future::resolved(1);
            catch_panic(|| f.add_done_callback(|_: &Future<i32>| -> () { panic!("oops") }))
        });
        assert!(
            escaped.is_ok(),
            "a panicking done-callback is Python's raising one: it must be caught (catch_panic) \
             and logged, not escape add_done_callback; it escaped: {escaped:?}"
        );
        assert_eq!(
            logs(&recording),
            [
                "ERROR tornado.application: Exception in callback (added when done) for future f1: \
              panic: oops"
            ],
            "the panic is logged as the exception it is"
        );
    });
}

/// A callback that succeeds runs once, and nothing is logged.
#[test]
fn ex02_2_a_callback_that_succeeds_runs_once_and_logs_nothing() {
    testkit::exercise("ex02.2", || {
        let runs = Rc::new(Cell::new(0));
        let ((), recording) = record(|| {
            let f = Future::resolved(1);
            let r = runs.clone();
            f.add_done_callback(move |_: &Future<i32>| r.set(r.get() + 1));
        });
        assert_eq!(runs.get(), 1, "the callback runs exactly once");
        assert_eq!(
            logs(&recording),
            Vec::<String>::new(),
            "a callback that succeeds logs nothing"
        );
    });
}

// ----------------------------------------------------------------------
// ex02.3: `Future::run_callbacks`, the loop of `_set_done`

/// `set_result` runs the waiting callbacks before it returns, in the order
/// they were added.
#[test]
fn ex02_3_callbacks_run_in_order_inside_set_result() {
    testkit::exercise("ex02.3", || {
        let ((), recording) = record(|| {
            let f: Future<i32> = Future::new();
            for name in ["cb1", "cb2", "cb3"] {
                f.add_done_callback(move |_: &Future<i32>| say!("{name}"));
            }
            say!("before set_result");
            f.set_result(42).unwrap();
            say!("after set_result");
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=0] before set_result",
                "[it=0] cb1",
                "[it=0] cb2",
                "[it=0] cb3",
                "[it=0] after set_result"
            ],
            "in Tornado 4.5.3 every done-callback runs inside set_result, in registration order"
        );
    });
}

/// A callback that fails (by `Err` or by panicking) is logged with its
/// number, and the callbacks after it still run.
#[test]
fn ex02_3_a_failing_callback_does_not_stop_the_rest() {
    testkit::exercise("ex02.3", || {
        let ((), recording) = record(|| {
            let f: Future<()> = Future::new();
            f.add_done_callback(|_: &Future<()>| Err(PyError::new("ValueError", "boom")));
            f.add_done_callback(|_: &Future<()>| -> () { panic!("oops") });
            f.add_done_callback(|_: &Future<()>| say!("cb3 runs"));
            f.set_result(()).unwrap();
            say!("set_result returned");
        });
        assert_eq!(
            recording.lines_like(&["[it=0] LOG any"]),
            [
                "[it=0] LOG ERROR tornado.application: Exception in callback 1 of 3 for future \
                 f1: ValueError: boom",
                "[it=0] LOG ERROR tornado.application: Exception in callback 2 of 3 for future \
                 f1: panic: oops",
                "[it=0] cb3 runs",
                "[it=0] set_result returned"
            ],
            "each callback runs under its own try/except (run_guarded, named `N of M`): a \
             failing one is logged and the next one still runs"
        );
    });
}

/// A failed future that only done-callback 1 of 3 holds is reported after
/// callback 3, as real Tornado 4.5.3 prints for the twin
/// `ch02_report_after_callbacks` (its list of callbacks is freed after the loop).
#[test]
fn ex02_3_a_captured_failed_future_is_reported_after_the_last_callback() {
    testkit::exercise("ex02.3", || {
        let scenario = SCENARIOS
            .iter()
            .find(|s| s.name == "ch02_report_after_callbacks")
            .expect("the chapter's scenario ch02_report_after_callbacks");
        let twin = scenario
            .twin_prints()
            .expect("a scenario with a twin")
            .expect("the twin's output under tests/tornado/expected/");
        let recording = scenario.record();
        assert_eq!(
            recording.lines_like(&twin),
            twin,
            "Tornado's _set_done keeps every callback (and what it captured) until the loop is \
             over: run the callbacks inside one report::CallbackBatch, calling its next() before \
             each; what callback 1 captured is reported after callback 3"
        );
    });
}

// ----------------------------------------------------------------------
// ex02.4: `chain_future`

/// `a`'s result is copied into `b` inside `a.set_result`: `b`'s own
/// callbacks run before `a.set_result` returns.
#[test]
fn ex02_4_a_result_is_copied_inside_a_set_result() {
    testkit::exercise("ex02.4", || {
        let (b_result, recording) = record(|| {
            let a = Future::new();
            let b = Future::new();
            chain_future(&a, &b);
            b.add_done_callback(|_: &Future<i32>| say!("b's callback"));
            say!("chained: b.done()={}", b.done());
            a.set_result(7).unwrap();
            say!("a.set_result returned");
            b.result().ok()
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=0] chained: b.done()=false",
                "[it=0] b's callback",
                "[it=0] a.set_result returned"
            ],
            "the copy is a done-callback of a: b is set, and runs its callbacks, inside \
             a.set_result"
        );
        assert_eq!(b_result, Some(7), "b holds a's result");
    });
}

/// `a`'s exception is copied into `b`, the same object.
#[test]
fn ex02_4_an_exception_is_copied() {
    testkit::exercise("ex02.4", || {
        let a: Future<i32> = Future::new();
        let b = Future::new();
        chain_future(&a, &b);
        let exc = Exception::msg("ValueError", "failed upstream");
        a.set_exception(exc.clone()).unwrap();
        assert!(
            b.done(),
            "b is done once a failed: chain_future copies exceptions too"
        );
        let copied = b.exception().ok().flatten();
        assert!(
            copied.as_ref().is_some_and(|c| c.ptr_eq(&exc)),
            "b holds a's exception, the same object; it holds {copied:?}"
        );
    });
}

/// Copying `a`'s exception retrieves it: `a` is not reported when dropped,
/// `b`, which now holds it, is.
#[test]
fn ex02_4_b_takes_over_the_never_retrieved_report() {
    testkit::exercise("ex02.4", || {
        let ((), recording) = record(|| {
            let a: Future<i32> = Future::new();
            let b = Future::new();
            chain_future(&a, &b);
            a.set_exception(PyError::new("ValueError", "nobody looked"))
                .unwrap();
            say!("dropping a");
            drop(a);
            say!("dropping b");
            drop(b);
        });
        assert_eq!(
            recording.lines_like(&["[it=0] LOG any"]),
            [
                "[it=0] dropping a",
                "[it=0] dropping b",
                "[it=0] LOG ERROR tornado.application: Future exception was never retrieved: \
                 ValueError: nobody looked"
            ],
            "the copy asks a.exception(), which retrieves it; b holds it now and nobody looked \
             at b, so b (and only b) is reported"
        );
    });
}

/// A `b` that is done first keeps its own outcome, and the copy does nothing
/// (no error logged).
#[test]
fn ex02_4_a_target_done_first_keeps_its_outcome() {
    testkit::exercise("ex02.4", || {
        let (b_result, recording) = record(|| {
            let a = Future::new();
            let b = Future::new();
            b.set_result("b's own").unwrap();
            chain_future(&a, &b);
            a.set_result("from a").unwrap();
            b.result().ok()
        });
        assert_eq!(b_result, Some("b's own"), "b keeps the outcome it had");
        assert_eq!(
            logs(&recording),
            Vec::<String>::new(),
            "Tornado's copy starts with `if b.done(): return`: nothing is set twice, nothing \
             logged"
        );
    });
}

/// Chaining from an `a` that is already done copies at once, inside
/// `chain_future`.
#[test]
fn ex02_4_a_source_done_first_copies_at_once() {
    testkit::exercise("ex02.4", || {
        let a = Future::resolved(3);
        let b = Future::new();
        chain_future(&a, &b);
        assert_eq!(
            b.result().ok(),
            Some(3),
            "a done-callback added to a done future runs at once: b has a's result as soon as \
             chain_future returns"
        );
    });
}

// ----------------------------------------------------------------------
// ex02.5: predict what `nested_callbacks` prints

/// The program of ex02.5: done-callbacks that add callbacks and complete
/// other futures. Predict its lines in `crates/02-future/exercises/ex02.5.txt`.
fn nested_callbacks() {
    let a: Future<i32> = Future::new();
    let b: Future<i32> = Future::new();

    a.add_done_callback(|a: &Future<i32>| {
        say!("first sees a.result()={}", a.result().unwrap());
        a.add_done_callback(|_: &Future<i32>| say!("added by first"));
        say!("first returns");
    });
    chain_future(&a, &b);
    a.add_done_callback(|_: &Future<i32>| say!("last of a's callbacks"));
    b.add_done_callback(|b: &Future<i32>| {
        say!("b's callback sees b.result()={}", b.result().unwrap())
    });
    say!("a.set_result(1)");
    a.set_result(1).unwrap();
    say!("a.set_result returned");
    b.add_done_callback(|_: &Future<i32>| say!("added to b after it was done"));
    say!("the end");
}

/// Grades the prediction of ex02.5 against the key.
#[test]
fn ex02_5_predict_nested_callbacks() {
    testkit::exercise("ex02.5", || {
        testkit::predict("ex02.5", env!("CARGO_MANIFEST_DIR"))
    })
}

/// Not an exercise: each prediction's key is the key of what its program
/// prints now (`COURSE_BLESS=1` rewrites it).
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(nested_callbacks);
    let output = recording.prints().join("\n");
    testkit::prediction_key(
        "ex02.5",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&output),
    );
}
