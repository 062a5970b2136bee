//! When a coroutine's machinery lets go of a failed future nobody looked at,
//! and so when it is reported as never retrieved. The
//! `ch05_report_where_freed` twin shows two orders that equal Tornado
//! 4.5.3's (a discarded result, `with_timeout`'s result); these tests hold
//! the rest, each first run under real Tornado 4.5.3: where it is equal,
//! and the two places where 4.5.3 reports only at its next cycle
//! collection (docs/conformance.md, "Orders that depended on what Tornado
//! ignores or keeps").

use ch00_trace::{Recording, record, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment, multi};

fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why.to_string()))
}

/// Runs `main` with `run_sync` on a fresh loop while recording.
fn run(main: impl FnOnce() -> Future<()> + 'static) -> Recording {
    let (outcome, recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current();
        let outcome = io_loop.run_sync(main, Some(60.0));
        io_loop.close(true);
        IOLoop::clear_current();
        outcome
    });
    outcome.unwrap();
    recording
}

/// The program's prints and log lines, in order, with their iterations;
/// a never-retrieved report shortened to `reported: <what failed>`.
fn lines(recording: &Recording) -> Vec<String> {
    recording
        .lines_like(&["[it=0] LOG any"])
        .into_iter()
        .map(|line| {
            match line
                .split_once("LOG ERROR tornado.application: Future exception was never retrieved: ")
            {
                Some((it, why)) => format!("{it}reported: {why}"),
                None => line,
            }
        })
        .collect()
}

/// A coroutine's result kept by a local (`x = inner(); yield x`) is
/// reported when the local goes, as in 4.5.3, where the generator's frame
/// keeps `x`, and with it the future's result, until `x` is rebound. In
/// Rust the local must be yielded as a clone (`co.yield_(x.clone())`):
/// `co.yield_(x)` moves it, and the result goes when the step ends, as for
/// `yield inner()` (the twin).
#[test]
fn a_local_that_keeps_a_yielded_future_keeps_its_result() {
    let recording = run(|| {
        coroutine(|co| async move {
            let x = coroutine(|co| async move {
                co.yield_(moment()).await?;
                Ok(failed("kept by x"))
            });
            co.yield_(x.clone()).await?;
            say!("resumed; x still names the future");
            co.yield_(moment()).await?;
            say!("one moment later");
            drop(x);
            say!("x let go");
            Ok::<(), Exception>(())
        })
    });
    assert_eq!(
        lines(&recording),
        [
            "[it=2] resumed; x still names the future",
            "[it=3] one moment later",
            "[it=3] reported: ValueError: kept by x",
            "[it=3] x let go",
        ]
    );
}

/// A coroutine that raises lets go of its locals as it raises: a failed
/// future it kept in one is reported then, before its caller resumes.
/// 4.5.3 differs: the exception's traceback keeps the coroutine's frame,
/// and the frame is in a reference cycle, so the report waits for Python's
/// cycle collector (after the program here; at once under `gc.collect()`).
#[test]
fn a_raising_coroutines_locals_go_when_it_raises() {
    let recording = run(|| {
        coroutine(|co| async move {
            let raiser = coroutine(|co| async move {
                let _local = failed("a local of a coroutine that raised");
                co.yield_(moment()).await?;
                Err::<(), Exception>(PyError::new("KeyError", "raised").into())
            });
            if co.yield_(raiser).await.is_err() {
                say!("caught KeyError");
            }
            Ok::<(), Exception>(())
        })
    });
    assert_eq!(
        lines(&recording),
        [
            "[it=1] reported: ValueError: a local of a coroutine that raised",
            "[it=2] caught KeyError",
        ]
    );
}

/// A `multi` whose future nobody holds fails with its child's exception
/// when its last child resolves, and is reported then. 4.5.3 differs: the
/// exception it sets (`set_exc_info`, inside `multi_future`'s callback)
/// has a traceback whose frame keeps that future: a cycle, reported only by
/// Python's cycle collector.
#[test]
fn a_dropped_multis_failure_is_reported_when_its_last_child_resolves() {
    let recording = run(|| {
        coroutine(|co| async move {
            let (child, pending) = (Future::<()>::new(), Future::<()>::new());
            drop(multi(vec![child.clone(), pending.clone()]));
            child.set_exception(PyError::new("ValueError", "a failed child"))?;
            say!("the child failed");
            co.yield_(moment()).await?;
            pending.set_result(())?;
            say!("the last child resolved");
            Ok::<(), Exception>(())
        })
    });
    assert_eq!(
        lines(&recording),
        [
            "[it=0] the child failed",
            "[it=1] reported: ValueError: a failed child",
            "[it=1] the last child resolved",
        ]
    );
}
