//! `Multi`: a list of yield points waited on together (`yield [...]` when
//! the list holds a yield point, Tornado 4.5.3's `MultiYieldPoint`). Ported
//! from the intent of gen_test.py (`GenEngineTest`): `test_multi`,
//! `test_multi_yieldpoint_delayed`, `test_multi_mixed_types`,
//! `test_multi_exceptions`.
//!
//! The dict form (`MultiMap`), `quiet_exceptions` and the size of the work
//! are ported from `test_multi_dict`, `test_multi_yieldpoint_dict_delayed`,
//! the quiet half of `test_multi_exceptions` and `test_multi_performance`.
//!
//! Every expected order and iteration was first printed by the same program
//! under real Tornado 4.5.3.

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use common::{fake_loop, recorded};

use ch00_trace::{EventKind, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::Value;
use ch05_coroutine::{coroutine, moment};
use ch06_gen_task::{
    Callback, Multi, MultiMap, ResultCallback, Runner, Task, Wait, YieldFuture, YieldPoint, task,
};

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

/// `test_multi_dict`: `yield dict(foo=gen.Wait("k1"), bar=gen.Wait("k2"))`
/// evaluates to the results under the same keys.
#[test]
fn test_multi_dict() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?.call("v1")?;
                    co.yield_(Callback::new("k2")).await?.call("v2")?;
                    co.yield_(
                        MultiMap::<&str, &str>::new()
                            .and("foo", Wait::<&str>::new("k1"))
                            .and("bar", Wait::<&str>::new("k2")),
                    )
                    .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, BTreeMap::from([("foo", "v1"), ("bar", "v2")]));
}

/// `test_multi_yieldpoint_dict_delayed`, with Tornado 4's `gen.Task`s as
/// `YieldFuture`s (`gen.MultiYieldPoint(dict(...))` in the Python run): the
/// results keep their keys whatever order the callbacks come in, and the
/// coroutine resumes one iteration after the last one, as real Tornado 4.5.3
/// printed.
#[test]
fn test_multi_yieldpoint_dict_delayed() {
    let (results, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("starts");
            let responses = co
                .yield_(
                    MultiMap::<&str, &str>::new()
                        .and(
                            "foo",
                            YieldFuture::new(task::<&str>(|callback| {
                                delay_callback(3, callback, "v1")
                            })),
                        )
                        .and(
                            "bar",
                            YieldFuture::new(task::<&str>(|callback| {
                                delay_callback(1, callback, "v2")
                            })),
                        ),
                )
                .await?;
            say!("resumed with {responses:?}");
            Ok(responses)
        })
    });
    assert_eq!(
        results.unwrap(),
        BTreeMap::from([("foo", "v1"), ("bar", "v2")])
    );
    assert_eq!(
        recording.prints(),
        [
            "[it=0] starts",
            "[it=1] delay_callback: calls back with v2",
            "[it=3] delay_callback: calls back with v1",
            "[it=4] resumed with {\"bar\": \"v2\", \"foo\": \"v1\"}",
        ]
    );
}

/// The quiet half of `test_multi_exceptions`, for yield points
/// (`gen.MultiYieldPoint(..., quiet_exceptions=RuntimeError)`): a later
/// failure whose type is quiet is not logged, one of another type still is;
/// and the dict form raises the first failure in key order and logs the
/// other. Tornado 4.5.3 printed and logged the same lines at the same
/// iterations.
#[test]
fn test_multi_exceptions_quiet() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new("k")).await?.call("v")?;
            let quiet = Multi::<&str>::new()
                .and(Wait::<&str>::new("k"))
                .and(YieldFuture::new(async_exception("error 1")))
                .and(YieldFuture::new(async_exception("error 2")))
                .and(YieldFuture::new(failing("ValueError", "error 3")))
                .quiet_exceptions(|e| {
                    e.downcast_ref::<PyError>()
                        .is_some_and(|e| e.name == "RuntimeError")
                });
            say!("caught {}", co.yield_(quiet).await.unwrap_err());

            co.yield_(Callback::new("k")).await?.call("v")?;
            let dict = MultiMap::<&str, &str>::new()
                .and("a", Wait::<&str>::new("k"))
                .and("b", YieldFuture::new(async_exception("error b")))
                .and("c", YieldFuture::new(async_exception("error c")));
            say!("caught {}", co.yield_(dict).await.unwrap_err());
            Ok(())
        })
    });
    result.unwrap();
    assert_eq!(
        recording.prints(),
        [
            "[it=3] caught RuntimeError: error 1",
            "[it=5] caught RuntimeError: error b",
        ]
    );
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=3] ! ERROR tornado.application: Multiple exceptions in yield list: ValueError: error 3\n\
         [it=5] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: error c\n"
    );
}

/// gen_test's `async_exception` with an exception of any name.
fn failing(name: &'static str, message: &'static str) -> Future<&'static str> {
    coroutine(move |co| async move {
        co.yield_(moment()).await?;
        Err(PyError::new(name, message).into())
    })
}

/// A yield point that counts how often it is asked `is_ready`.
struct Counted<P> {
    point: P,
    asked: Rc<Cell<usize>>,
}

impl<P: YieldPoint> YieldPoint for Counted<P> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        self.point.start(runner)
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        self.asked.set(self.asked.get() + 1);
        self.point.is_ready(runner)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        self.point.get_result(runner)
    }

    fn describe(&self) -> String {
        self.point.describe()
    }
}

/// `test_multi_performance` for yield points, ten times larger: a `Multi` of
/// 20,000 tasks, each called back by the loop (`gen.Task(self.io_loop.add_callback)`),
/// completes in linear work. Tornado asserts under a second of wall clock;
/// here the work is counted: the Runner asks the `Multi` once per child's
/// callback, and the `Multi` asks its children about twice each in all
/// (the one that became ready, and the next, still pending), where asking
/// every child each time would be N²/2 = 200 million questions.
#[test]
fn test_multi_performance() {
    const N: usize = 20_000;
    let asked = Rc::new(Cell::new(0));
    let counter = asked.clone();
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            move || {
                let mut multi = Multi::<usize>::new();
                for i in 0..N {
                    // Two iterations late: a coroutine's first yield point
                    // starts one iteration late, and the children must
                    // still be pending then for the Multi to wait on them.
                    let task = task::<usize>(move |callback| {
                        IOLoop::current().unwrap().add_callback(move || {
                            IOLoop::current()
                                .unwrap()
                                .add_callback(move || callback.call(i));
                        });
                        Ok(())
                    });
                    multi = multi.and(Counted {
                        point: YieldFuture::new(task),
                        asked: counter.clone(),
                    });
                }
                coroutine(|co| async move { co.yield_(multi).await })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, (0..N).collect::<Vec<_>>());
    let asked = asked.get();
    assert!(asked <= 2 * N, "{asked} questions for {N} children");
}

/// A `MultiMap` is a dict: a key added twice keeps the later child, and the
/// earlier one is dropped unstarted (a `Wait` for a key nobody registered,
/// which would fail with `UnknownKeyError` if it were started).
#[test]
fn multi_map_key_added_twice_keeps_the_later_child() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k")).await?.call("v")?;
                    co.yield_(
                        MultiMap::<&str, &str>::new()
                            .and("a", Wait::<&str>::new("nobody registered this"))
                            .and("a", Wait::<&str>::new("k")),
                    )
                    .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, BTreeMap::from([("a", "v")]));
}

/// A `quiet_exceptions` predicate is user code: one that panics counts as
/// "not quiet", so the later failure is logged and the `Multi` still
/// raises the first.
#[test]
fn a_panicking_quiet_predicate_logs_the_exception() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let both = Multi::<&str>::new()
                .and(YieldFuture::new(async_exception("error 1")))
                .and(YieldFuture::new(async_exception("error 2")))
                .quiet_exceptions(|_| panic!("predicate bug"));
            say!("caught {}", co.yield_(both).await.unwrap_err());
            Ok(())
        })
    });
    result.unwrap();
    assert_eq!(recording.prints(), ["[it=1] caught RuntimeError: error 1"]);
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=1] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: error 2\n"
    );
}
