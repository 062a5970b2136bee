//! When the yield-point half of the Runner lets go of a failed future
//! nobody looked at, and so when it is reported as never retrieved. The
//! `ch06_report_where_freed` twin shows the orders that equal Tornado
//! 4.5.3's (`gen.Task`'s ignored second argument, `multi`'s later
//! failures); these tests hold the two that differ, each first run under
//! real Tornado 4.5.3 and documented in docs/conformance.md ("Orders that
//! depended on what Tornado ignores or keeps").

use ch00_trace::{Recording, record, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, engine, moment};
use ch06_gen_task::{Callback, ResultCallback, Wait};

fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why.to_string()))
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

/// Runs `program` on a fresh current loop until it stops, while recording.
fn run(program: impl FnOnce(&IOLoop)) -> Recording {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current();
        program(&io_loop);
        io_loop.start().unwrap();
        io_loop.close(true);
        IOLoop::clear_current();
    });
    recording
}

/// A value delivered to `gen.Wait` through its callback moves into the
/// generator, and goes when the generator lets go of it: a failed future
/// discarded at the `yield` is reported before the generator's next print.
/// 4.5.3 differs: `Runner.set_result` also stores the value in the
/// Runner's future (`self.future.set_result(...)`), and the loop callback
/// `add_future` scheduled on that future keeps it until it runs, in the
/// next iteration, after the generator's next step (there:
/// `[it=2] one moment later`, then the report). A `Value` need not be
/// `Clone`, so the Runner cannot keep a second handle on it.
#[test]
fn a_value_delivered_to_wait_goes_when_the_generator_lets_go() {
    let recording = run(|io_loop| {
        let lp = io_loop.clone();
        engine(move |co| async move {
            let callback: ResultCallback = co.yield_(Callback::new("k")).await?;
            IOLoop::current()?.add_callback(move || {
                say!("calling back");
                let delivered = callback.call(failed("delivered to Wait, discarded"));
                say!("callback returned");
                delivered
            });
            co.yield_(Wait::<Future<()>>::new("k")).await?;
            say!("resumed, the value discarded");
            co.yield_(moment()).await?;
            say!("one moment later");
            lp.stop();
            Ok(())
        })
        .unwrap();
    });
    assert_eq!(
        lines(&recording),
        [
            "[it=1] calling back",
            "[it=1] reported: ValueError: delivered to Wait, discarded",
            "[it=1] resumed, the value discarded",
            "[it=1] callback returned",
            "[it=2] one moment later",
        ]
    );
}

/// A result the Runner keeps under a key nobody waits for goes with the
/// Runner, when its generator raises. 4.5.3 differs: a Runner lives as
/// long as its coroutine's future (`_futures_to_runners`, and the
/// traceback of the exception in it, which keeps `Runner.run`'s frame), so
/// the result is reported when the caller lets go of that future (there:
/// after `dropped the future`). Here the coroutine's future does not keep
/// its Runner.
#[test]
fn a_runners_unclaimed_result_goes_when_its_generator_raises() {
    let recording = run(|io_loop| {
        let lp = io_loop.clone();
        let main = coroutine(move |co| async move {
            let raiser = coroutine(|co| async move {
                let callback: ResultCallback = co.yield_(Callback::new("k")).await?;
                callback.call(failed("kept under key k"))?;
                drop(callback);
                say!("called back; raises");
                Err::<(), Exception>(PyError::new("KeyError", "raised").into())
            });
            co.yield_(moment()).await?;
            if co.yield_(raiser).await.is_err() {
                say!("caught");
            }
            say!("dropped the future");
            lp.stop();
            Ok::<(), Exception>(())
        });
        drop(main);
    });
    assert_eq!(
        lines(&recording),
        [
            "[it=0] called back; raises",
            "[it=0] reported: ValueError: kept under key k",
            "[it=0] caught",
            "[it=0] dropped the future",
        ]
    );
}
