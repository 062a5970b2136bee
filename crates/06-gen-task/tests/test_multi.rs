//! `Multi`: a list of yield points waited on together (`yield [...]` when
//! the list holds a yield point, Tornado 4.5.3's `MultiYieldPoint`). Ported
//! from the intent of gen_test.py (`GenEngineTest`): `test_multi`,
//! `test_multi_yieldpoint_delayed`, `test_multi_mixed_types`,
//! `test_multi_exceptions`.
//!
//! `test_multi_dict` and `test_multi_yieldpoint_dict_delayed` are not
//! ported: the dict form of `Multi` is not implemented (chapter 05's
//! `multi_map` covers dicts of futures).
//!
//! Every expected order and iteration was first printed by the same program
//! under real Tornado 4.5.3.

mod common;

use common::{fake_loop, recorded};

use ch00_trace::{EventKind, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::{coroutine, moment};
use ch06_gen_task::{Callback, Multi, ResultCallback, Task, Wait, YieldFuture, task};

/// gen_test's `delay_callback`: runs `callback(arg)` after a number of loop
/// iterations.
fn delay_callback(
    iterations: u32,
    callback: ResultCallback,
    arg: &'static str,
) -> Result<(), Exception> {
    if iterations == 0 {
        say!("delay_callback: calls back with {arg}");
        callback.call(arg)
    } else {
        IOLoop::current()
            .unwrap()
            .add_callback(move || delay_callback(iterations - 1, callback, arg));
        Ok(())
    }
}

/// gen_test's `async_exception`: a coroutine that fails after one moment.
fn async_exception(message: &'static str) -> Future<&'static str> {
    coroutine(move |co| async move {
        co.yield_(moment()).await?;
        Err(PyError::new("RuntimeError", message).into())
    })
}

/// `test_multi`: `yield [gen.Wait("k1"), gen.Wait("k2")]` evaluates to the
/// results in list order.
#[test]
fn test_multi() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?.call("v1")?;
                    co.yield_(Callback::new("k2")).await?.call("v2")?;
                    co.yield_(
                        Multi::<&str>::new()
                            .and(Wait::<&str>::new("k1"))
                            .and(Wait::<&str>::new("k2")),
                    )
                    .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, ["v1", "v2"]);
}

/// `test_multi_yieldpoint_delayed`, with Tornado 4's `gen.Task`s: their
/// futures go into the `Multi` as `YieldFuture`s. Results keep list order
/// although the second callback comes first, and the coroutine resumes one
/// iteration after the last callback (the `add_future` of a `YieldFuture`).
#[test]
fn test_multi_yieldpoint_delayed() {
    let (results, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("starts");
            let responses = co
                .yield_(
                    Multi::<&str>::new()
                        .and(YieldFuture::new(task::<&str>(|callback| {
                            delay_callback(3, callback, "v1")
                        })))
                        .and(YieldFuture::new(task::<&str>(|callback| {
                            delay_callback(1, callback, "v2")
                        }))),
                )
                .await?;
            say!("resumed with {responses:?}");
            Ok(responses)
        })
    });
    assert_eq!(results.unwrap(), ["v1", "v2"]);
    assert_eq!(
        recording.prints(),
        [
            "[it=0] starts",
            "[it=1] delay_callback: calls back with v2",
            "[it=3] delay_callback: calls back with v1",
            "[it=4] resumed with [\"v1\", \"v2\"]",
        ]
    );
}

/// `test_multi_yieldpoint_delayed` as Tornado 3.2.2 wrote it, with Tasks
/// that are yield points (the upload article's, on 4.5.3's Runner): their functions
/// run when the `Multi` starts, one iteration late as the first yield
/// point, and the coroutine resumes inside the last callback call.
#[test]
fn test_multi_yieldpoint_delayed_with_task_yield_points() {
    let (results, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("starts");
            let responses = co
                .yield_(
                    Multi::<&str>::new()
                        .and(Task::<&str>::new(|callback| {
                            delay_callback(3, callback, "v1")
                        }))
                        .and(Task::<&str>::new(|callback| {
                            delay_callback(1, callback, "v2")
                        })),
                )
                .await?;
            say!("resumed with {responses:?}");
            Ok(responses)
        })
    });
    assert_eq!(results.unwrap(), ["v1", "v2"]);
    assert_eq!(
        recording.prints(),
        [
            "[it=0] starts",
            "[it=2] delay_callback: calls back with v2",
            "[it=4] delay_callback: calls back with v1",
            "[it=4] resumed with [\"v1\", \"v2\"]",
        ]
    );
}

/// `test_multi_mixed_types`: a yield point (`Wait`) and a future (a 4.x
/// `gen.Task`) in one list, through the yield-point path.
#[test]
fn test_multi_mixed_types() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?.call("v1")?;
                    co.yield_(Multi::<&str>::new().and(Wait::<&str>::new("k1")).and(
                        YieldFuture::new(task::<&str>(|callback| {
                            delay_callback(3, callback, "v2")
                        })),
                    ))
                    .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, ["v1", "v2"]);
}

/// `test_multi_exceptions`: with two failures, the first in *list* order is
/// raised and the other logged ("Multiple exceptions in yield list"), even
/// when the later one failed first; with one failure nothing is logged.
/// Tornado 4.5.3 printed and logged the same lines, at the same iterations.
#[test]
fn test_multi_exceptions() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new("k")).await?.call("v")?;
            let both = Multi::<&str>::new()
                .and(Wait::<&str>::new("k"))
                .and(YieldFuture::new(async_exception("error 1")))
                .and(YieldFuture::new(async_exception("error 2")));
            let caught = co.yield_(both).await.unwrap_err();
            say!("caught {caught}");

            // The second in the list fails first.
            let (f1, f2) = (Future::<&str>::new(), Future::<&str>::new());
            let (s1, s2) = (f1.clone(), f2.clone());
            IOLoop::current().unwrap().add_callback(move || {
                say!("fails error 2");
                s2.set_exception(PyError::new("RuntimeError", "error 2"))
            });
            IOLoop::current().unwrap().add_callback(move || {
                IOLoop::current().unwrap().add_callback(move || {
                    say!("fails error 1");
                    s1.set_exception(PyError::new("RuntimeError", "error 1"))
                })
            });
            co.yield_(Callback::new("k")).await?.call("v")?;
            let reversed = Multi::<&str>::new()
                .and(Wait::<&str>::new("k"))
                .and(YieldFuture::new(f1))
                .and(YieldFuture::new(f2));
            let caught = co.yield_(reversed).await.unwrap_err();
            say!("caught {caught}");

            co.yield_(Callback::new("k")).await?.call("v")?;
            let fine = Future::new();
            let setter = fine.clone();
            IOLoop::current()
                .unwrap()
                .add_callback(move || setter.set_result("fine"));
            let one = Multi::<&str>::new()
                .and(Wait::<&str>::new("k"))
                .and(YieldFuture::new(async_exception("error 1")))
                .and(YieldFuture::new(fine));
            let caught = co.yield_(one).await.unwrap_err();
            say!("caught (one error) {caught}");
            Ok(())
        })
    });
    result.unwrap();
    assert_eq!(
        recording.prints(),
        [
            "[it=3] caught RuntimeError: error 1",
            "[it=4] fails error 2",
            "[it=5] fails error 1",
            "[it=6] caught RuntimeError: error 1",
            "[it=8] caught (one error) RuntimeError: error 1",
        ]
    );
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=3] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: error 2\n\
         [it=6] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: error 2\n"
    );
}
