//! The chapter's recorded programs.
//!
//! Each [`Scenario`] is a small program that prints with [`say!`]. The tour
//! (`cargo run`) shows them, `tests/scenarios.rs` snapshots their recordings,
//! and those with a `twin` are compared line for line with a Python program
//! under `tests/tornado/` run by real Tornado 4.5.3.
//!
//! None of them needs an IOLoop: in Tornado 4.5.3 a future runs its
//! done-callbacks itself, so every line happens in iteration 0.

use ch00_trace::{Era, Scenario, era, say};
use ch01_yield::{Exception, PyError};

use crate::{Future, FutureError, chain_future};

/// Every scenario of chapter 2, in the order the tour shows them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch02_done_callbacks",
        title: "done-callbacks run inside set_result, in order; a late one runs at once",
        twin: Some("ch02_done_callbacks"),
        run: done_callbacks,
    },
    Scenario {
        name: "ch02_future_api",
        title: "done, result and exception, before and after the future is done",
        twin: Some("ch02_future_api"),
        run: future_api,
    },
    Scenario {
        name: "ch02_double_set",
        title: "a second set_result is refused with InvalidStateError (4.5.3 overwrites)",
        twin: None,
        run: double_set,
    },
    Scenario {
        name: "ch02_reentrant_set_result",
        title: "set_result inside a done-callback: depth first in 4.5.3, one level per iteration in 6.x",
        twin: Some("ch02_reentrant_set_result"),
        run: reentrant_set_result,
    },
    Scenario {
        name: "ch02_chain_future",
        title: "chain_future copies a's outcome into b, inside a's set_result",
        twin: Some("ch02_chain_future"),
        run: chain,
    },
    Scenario {
        name: "ch02_never_retrieved",
        title: "a failed future nobody looked at is reported when it is dropped",
        twin: Some("ch02_never_retrieved"),
        run: never_retrieved,
    },
    Scenario {
        name: "ch02_report_after_callbacks",
        title: "a failed future held only by a done-callback is reported after the last callback",
        twin: Some("ch02_report_after_callbacks"),
        run: report_after_callbacks,
    },
];

/// Python's `str(True)`: the twins print booleans the Python way.
// PY: `"%s" % True` is "True"; Rust's `{}` would print "true".
fn py(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

/// The twin `tests/tornado/ch02_done_callbacks.py`, ported.
// ANCHOR: done_callbacks
fn done_callbacks() {
    let f = Future::new();
    f.add_done_callback(|f: &Future<i32>| say!("cb1 result={}", f.result().unwrap()));
    f.add_done_callback(|_: &Future<i32>| say!("cb2"));
    say!("before set_result");
    f.set_result(42).unwrap();
    say!("after set_result");
    f.add_done_callback(|_: &Future<i32>| say!("cb3 (added after done)"));
    say!("after add_done_callback on done future");

    let g = Future::new();
    // PY: `raise ValueError(...)` inside the callback; ours returns `Err`.
    g.add_done_callback(|_: &Future<i32>| {
        say!("bad callback raising");
        Err(PyError::new("ValueError", "boom-in-callback"))
    });
    g.add_done_callback(|_: &Future<i32>| say!("callback after the raising one still runs"));
    g.set_result(1).unwrap();
    say!("set_result returned normally");
}
// ANCHOR_END: done_callbacks

/// Prints what a `result()`/`exception()` call gave, as the twin's `describe`.
fn describe<V: std::fmt::Debug>(name: &str, outcome: Result<V, Exception>) {
    // PY: `except Exception as e: "%s: %s" % (type(e).__name__, e)`; an
    // Exception's Display already reads `Name: message`.
    match outcome {
        Ok(value) => say!("{name} returned {value:?}"),
        Err(exc) => say!("{name} raised {exc}"),
    }
}

/// Prints what `exception()` gave: `None`, the exception, or the error it raised.
fn describe_exception(outcome: Result<Option<Exception>, Exception>) {
    match outcome {
        Ok(None) => say!("exception() returned None"),
        Ok(Some(exc)) => say!("exception() returned {exc}"),
        Err(exc) => say!("exception() raised {exc}"),
    }
}

/// `tests/tornado/ch02_future_api.py`: the API before and after completion.
// ANCHOR: future_api
fn future_api() {
    let f: Future<i32> = Future::new();
    say!("new future: {}", state(&f));
    describe("result()", f.result());
    describe_exception(f.exception());
    if era() == Era::Tornado6 {
        // 6.x: cancel() cancels, and a cancelled f could not be set below.
        let c: Future<i32> = Future::new();
        say!(
            "cancel() of another future returned {}, cancelled() returns {}",
            py(c.cancel()),
            py(c.cancelled())
        );
    } else {
        say!(
            "cancel() returned {}, cancelled() returns {}",
            py(f.cancel()),
            py(f.cancelled())
        );
    }

    f.set_result(42).unwrap();
    say!("after set_result(42): {}", state(&f));
    describe("result()", f.result());
    describe_exception(f.exception());

    let g: Future<i32> = Future::new();
    g.set_exception(PyError::new("ValueError", "bad")).unwrap();
    say!("after set_exception: done={}", py(g.done()));
    describe("result()", g.result());
    describe_exception(g.exception());
}
// ANCHOR_END: future_api

/// `done=` and `running=`; Tornado 6's (asyncio's) `Future` has no `running()`.
fn state(f: &Future<i32>) -> String {
    match era() {
        Era::Tornado6 => format!("done={}", py(f.done())),
        Era::Tornado4 => format!("done={} running={}", py(f.done()), py(f.running())),
    }
}

/// A second `set_result`/`set_exception` is refused, and the first outcome
/// stays. Rust only: Tornado 4.5.3 overwrites the value, then raises
/// `TypeError` (see the chapter).
// ANCHOR: double_set
fn double_set() {
    let f = Future::new();
    f.add_done_callback(|f: &Future<i32>| say!("done-callback: result={}", f.result().unwrap()));
    f.set_result(1).unwrap();
    match f.set_result(2) {
        Ok(()) => say!("second set_result accepted"),
        Err(err) => say!("second set_result raised {err}"),
    }
    if let Err(err) = f.set_exception(PyError::new("ValueError", "too late")) {
        say!("set_exception after set_result raised {err}");
    }
    // The first outcome stays, and the callbacks did not run again.
    say!("result() returns {}", f.result().unwrap());
    let failed = f.set_result(3).unwrap_err();
    say!(
        "is FutureError::InvalidState: {}",
        failed == FutureError::InvalidState
    );
}
// ANCHOR_END: double_set

/// `tests/tornado/ch02_reentrant_set_result.py`: a done-callback that
/// completes a second future, whose done-callback completes a third.
///
/// Under Tornado 4.5.3's rules `set_result` runs the callbacks before it
/// returns, so the chain is walked depth first, all at once: A, C, D, then
/// the `set_result`s return from the innermost out, and B runs last. Under
/// Tornado 6's, each `set_result` only schedules, and the chain is walked
/// breadth first, one level per iteration.
// ANCHOR: reentrant_set_result
fn reentrant_set_result() {
    let (f1, f2, f3) = (Future::new(), Future::new(), Future::new());
    f2.add_done_callback({
        let f3 = f3.clone();
        move |_: &Future<i32>| {
            say!("C: f2 done, setting f3");
            f3.set_result(3).unwrap();
            say!("C: f3.set_result returned");
        }
    });
    f3.add_done_callback(|_: &Future<i32>| say!("D: f3 done"));
    f1.add_done_callback(move |_: &Future<i32>| {
        say!("A: f1 done, setting f2");
        f2.set_result(2).unwrap();
        say!("A: f2.set_result returned");
    });
    f1.add_done_callback(|_: &Future<i32>| say!("B: f1 done"));
    say!("main: setting f1");
    f1.set_result(1).unwrap();
    say!("main: f1.set_result returned");
}
// ANCHOR_END: reentrant_set_result

/// `tests/tornado/ch02_chain_future.py`: `chain_future` in its four cases.
// ANCHOR: chain_future
fn chain() {
    // A result travels from a to b, during a.set_result.
    let a = Future::new();
    let b = Future::new();
    chain_future(&a, &b);
    b.add_done_callback(|b: &Future<i32>| {
        say!("b's done-callback: result={}", b.result().unwrap())
    });
    say!("chained: b.done()={}", py(b.done()));
    a.set_result(7).unwrap();
    if era() == Era::Tornado6 {
        // 6.x: the copy is only scheduled; b is still pending here.
        say!("a.set_result(7) returned: b.done()={}", py(b.done()));
    } else {
        say!(
            "a.set_result(7) returned: b.result()={}",
            b.result().unwrap()
        );
    }

    // An exception travels the same way.
    let a: Future<i32> = Future::new();
    let b = Future::new();
    chain_future(&a, &b);
    a.set_exception(PyError::new("ValueError", "failed upstream"))
        .unwrap();
    let show_exception = |b: &Future<i32>| {
        if let Ok(Some(exc)) = b.exception() {
            say!("b.exception() is {exc}");
        }
    };
    if era() == Era::Tornado6 {
        // 6.x: b fails one iteration later; read it once it has.
        b.add_done_callback(show_exception);
    } else {
        show_exception(&b);
    }

    // A target that is already done keeps its own outcome.
    let a = Future::new();
    let b = Future::new();
    b.set_result("b's own").unwrap();
    chain_future(&a, &b);
    a.set_result("from a").unwrap();
    // PY: `%r` of a str; Rust's `{:?}` quotes the same way here.
    say!("b was done already: b.result()={:?}", b.result().unwrap());

    // Chaining from a future that is already done copies at once.
    let a = Future::resolved(3);
    let b = Future::new();
    chain_future(&a, &b);
    say!(
        "a was done already: b.done()={} b.result()={}",
        py(b.done()),
        b.result().unwrap()
    );
}
// ANCHOR_END: chain_future

/// `tests/tornado/ch02_never_retrieved.py`: who counts as having looked.
// ANCHOR: never_retrieved
fn never_retrieved() {
    let f: Future<()> = Future::new();
    f.set_exception(PyError::new("ValueError", "nobody looked at me"))
        .unwrap();
    say!("dropping a failed future nobody looked at");
    // PY: `del f`. CPython frees the future right there, as `Rc` does.
    drop(f);
    say!("dropped: its exception was reported as never retrieved");

    let f: Future<()> = Future::new();
    f.set_exception(PyError::new("ValueError", "seen")).unwrap();
    if let Ok(Some(exc)) = f.exception() {
        say!("dropping a failed future after exception() returned {exc}");
    }
    drop(f);
    say!("dropped: nothing reported");

    let f: Future<()> = Future::new();
    f.set_exception(PyError::new("ValueError", "done() is not enough"))
        .unwrap();
    say!(
        "dropping a failed future after done() returned {}",
        py(f.done())
    );
    drop(f);
    say!("dropped: done() does not count, it was reported");

    let f: Future<()> = Future::new();
    // Tornado's own advice for a future whose failure may be ignored.
    f.add_done_callback(|f: &Future<()>| {
        let _ = f.exception();
    });
    f.set_exception(PyError::new("ValueError", "a done-callback looked"))
        .unwrap();
    say!("dropping a failed future whose done-callback called exception()");
    drop(f);
    say!("dropped: nothing reported");
}
// ANCHOR_END: never_retrieved

/// A future failed with `ValueError: why`.
fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why))
}

/// The twin `tests/tornado/ch02_report_after_callbacks.py`, ported: what a
/// done-callback captured lives until the last callback has run.
fn report_after_callbacks() {
    let pending: Future<()> = Future::new();
    let held = failed("held only by done-callback 1");
    // PY: `def callback_1(future, held=held)`: the callback refers to it.
    pending.add_done_callback(move |_: &Future<()>| {
        let _held = held;
        say!("done-callback 1 of 3 runs");
        let local = failed("made and dropped by done-callback 1");
        drop(local);
        say!("done-callback 1 dropped its own failed future");
    });
    pending.add_done_callback(|_: &Future<()>| say!("done-callback 2 of 3 runs"));
    pending.add_done_callback(|_: &Future<()>| say!("done-callback 3 of 3 runs"));
    say!("the pending future resolves");
    pending.set_result(()).expect("a pending future");
    say!("set_result returned");
}
