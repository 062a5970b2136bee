//! `Callback`, `Wait`, `WaitAll`, `Arguments` and `YieldFuture` on chapter
//! 04's Runner, ported from the intent of Tornado 4.5.3's gen_test.py
//! (`GenEngineTest`): `test_inline_cb`, `test_ioloop_cb`, `test_with_arg`,
//! `test_with_arg_tuple`, `test_parallel_callback`, `test_reuse`,
//! `test_wait_all`, `test_exception_in_yield`,
//! `test_resume_after_exception_in_yield`, `test_arguments`; and the
//! iteration each yield point costs, as Tornado 4.5.3 and 3.2.2 print it.
//!
//! Every expected order and iteration here was first printed by a small
//! program under real Tornado 4.5.3 (`[it=N]` counts the loop's polls, as
//! `tests/tornado/twin.py` does).

mod common;

use common::{fake_loop, recorded};

use std::collections::BTreeMap;

use ch00_trace::say;
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::GenError;
use ch05_coroutine::coroutine;
use ch06_gen_task::{Arguments, Callback, Wait, WaitAll, YieldFuture, task};

/// `test_inline_cb`: a callback called inside the generator, before its
/// `Wait`, is kept; the `Wait` finds it ready and resumes at once, with
/// Python's `None`. Only the first yield point costs an iteration.
#[test]
fn test_inline_cb() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("before Callback");
            co.yield_(Callback::new("k1")).await?.call_none()?;
            say!("after Callback (the first yield point)");
            let () = co.yield_(Wait::new("k1")).await?;
            say!("Wait -> None");
            co.yield_(Callback::new("k2")).await?.call(42)?;
            let res: i32 = co.yield_(Wait::new("k2")).await?;
            say!("Wait k2 -> {res}");
            Ok("ok")
        })
    });
    assert_eq!(result.unwrap(), "ok");
    // Tornado 4.5.3 printed the same four lines at it=0, 1, 1, 1.
    assert_eq!(
        recording.prints(),
        [
            "[it=0] before Callback",
            "[it=1] after Callback (the first yield point)",
            "[it=1] Wait -> None",
            "[it=1] Wait k2 -> 42",
        ]
    );
}

/// `test_ioloop_cb`: a callback called later from the loop resumes the
/// generator *inside the call*: the coroutine goes on before the call
/// returns, with no trip through the loop.
#[test]
fn test_ioloop_cb() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let cb = co.yield_(Callback::new("k1")).await?;
            say!("co: schedules cb");
            IOLoop::current().unwrap().add_callback(move || {
                say!("fire: calls cb");
                let delivered = cb.call("v");
                say!("fire: cb returned");
                delivered
            });
            let res: &str = co.yield_(Wait::new("k1")).await?;
            say!("co: resumed with {res}");
            Ok(res)
        })
    });
    assert_eq!(result.unwrap(), "v");
    assert_eq!(
        recording.prints(),
        [
            "[it=1] co: schedules cb",
            "[it=2] fire: calls cb",
            "[it=2] co: resumed with v",
            "[it=2] fire: cb returned",
        ]
    );
}

/// `test_with_arg`: the value the callback is called with is what the
/// `Wait` evaluates to.
#[test]
fn test_with_arg() {
    let io_loop = fake_loop();
    let res = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?.call(42)?;
                    co.yield_(Wait::<i32>::new("k1")).await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(res, 42);
}

/// `test_with_arg_tuple`: any key will do, and one argument that is a tuple
/// stays one value (not `Arguments`). Keys here are text, numbers or unique
/// objects, so Tornado's tuple key `(1, 2)` becomes the number 12.
#[test]
fn test_with_arg_tuple() {
    let io_loop = fake_loop();
    let res = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new(12i64)).await?.call((3, 4))?;
                    co.yield_(Wait::<(i32, i32)>::new(12i64)).await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(res, (3, 4));
}

/// `test_parallel_callback`: several keys outstanding at once, called in
/// one order and waited for in another; each `Wait` gets its own key's value.
#[test]
fn test_parallel_callback() {
    let io_loop = fake_loop();
    let waited = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    for k in 0..3i64 {
                        let cb = co.yield_(Callback::new(k)).await?;
                        IOLoop::current().unwrap().add_callback(move || cb.call(k));
                    }
                    let mut waited = vec![co.yield_(Wait::<i64>::new(1i64)).await?];
                    let cb = co.yield_(Callback::new(3i64)).await?;
                    IOLoop::current()
                        .unwrap()
                        .add_callback(move || cb.call(3i64));
                    for k in [0i64, 3, 2] {
                        waited.push(co.yield_(Wait::<i64>::new(k)).await?);
                    }
                    Ok(waited)
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(waited, [1, 0, 3, 2]);
}

/// The body of `test_reuse`: key 0 handed out, called from the loop, waited.
fn callback_zero() -> Future<i64> {
    coroutine(|co| async move {
        let cb = co.yield_(Callback::new(0i64)).await?;
        IOLoop::current()
            .unwrap()
            .add_callback(move || cb.call(7i64));
        co.yield_(Wait::<i64>::new(0i64)).await
    })
}

/// `test_reuse`: keys belong to one Runner and are free again once waited
/// for: the same coroutine runs twice, and one coroutine reuses a key after
/// its `Wait`.
#[test]
fn test_reuse() {
    let io_loop = fake_loop();
    assert_eq!(io_loop.run_sync(callback_zero, None).unwrap(), 7);
    assert_eq!(io_loop.run_sync(callback_zero, None).unwrap(), 7);
    let both = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("a")).await?.call(1)?;
                    let first: i32 = co.yield_(Wait::new("a")).await?;
                    co.yield_(Callback::new("a")).await?.call(2)?;
                    let second: i32 = co.yield_(Wait::new("a")).await?;
                    Ok((first, second))
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(both, (1, 2));
}

/// `test_wait_all`: `WaitAll` evaluates to the results in the order of its
/// keys, whatever order the callbacks were called in.
#[test]
fn test_wait_all() {
    let io_loop = fake_loop();
    let (in_order, reversed) = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?.call("v1")?;
                    co.yield_(Callback::new("k2")).await?.call("v2")?;
                    let in_order: Vec<&str> = co.yield_(WaitAll::new(["k1", "k2"])).await?;
                    let cb1 = co.yield_(Callback::new("k1")).await?;
                    let cb2 = co.yield_(Callback::new("k2")).await?;
                    IOLoop::current()
                        .unwrap()
                        .add_callback(move || cb2.call("v2"));
                    IOLoop::current()
                        .unwrap()
                        .add_callback(move || cb1.call("v1"));
                    let reversed: Vec<&str> = co.yield_(WaitAll::new(["k2", "k1"])).await?;
                    Ok((in_order, reversed))
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(in_order, ["v1", "v2"]);
    assert_eq!(reversed, ["v2", "v1"]);
}

/// `test_exception_in_yield` and `test_resume_after_exception_in_yield`: a
/// `Wait` for a key nobody registered throws `UnknownKeyError` at the
/// `yield`; caught, the coroutine goes on using yield points as before.
#[test]
fn test_resume_after_exception_in_yield() {
    let io_loop = fake_loop();
    let res = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let caught = co.yield_(Wait::<()>::new("k1")).await.unwrap_err();
                    assert_eq!(
                        caught.downcast_ref::<GenError>(),
                        Some(&GenError::UnknownKey { key: "k1".into() })
                    );
                    co.yield_(Callback::new("k2")).await?.call("v2")?;
                    co.yield_(Wait::<&str>::new("k2")).await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(res, "v2");
}

/// `test_arguments`: the argument adapter. No argument gives `None`, one
/// gives itself, several or any keyword give `Arguments(args, kwargs)`; the
/// same for the callback `gen.Task` hands out.
#[test]
fn test_arguments() {
    type Kwargs = BTreeMap<&'static str, &'static str>;
    let io_loop = fake_loop();
    io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("noargs")).await?.call_none()?;
                    let () = co.yield_(Wait::new("noargs")).await?;

                    co.yield_(Callback::new("1arg")).await?.call(42)?;
                    assert_eq!(co.yield_(Wait::<i32>::new("1arg")).await?, 42);

                    // callback(value=42)
                    let kwargs = BTreeMap::from([("value", 42)]);
                    co.yield_(Callback::new("kwargs"))
                        .await?
                        .call_args(Arguments::new((), kwargs.clone()))?;
                    let result: Arguments<(), BTreeMap<&str, i32>> =
                        co.yield_(Wait::new("kwargs")).await?;
                    assert_eq!(result, Arguments::new((), kwargs));
                    assert_eq!(result.kwargs["value"], 42);

                    // callback(42, 43)
                    co.yield_(Callback::new("2args"))
                        .await?
                        .call_args(Arguments::new((42, 43), ()))?;
                    let result: Arguments<(i32, i32), ()> = co.yield_(Wait::new("2args")).await?;
                    assert_eq!(result.args, (42, 43));

                    // def task_func(callback): callback(None, error="foo")
                    let errors: Kwargs = BTreeMap::from([("error", "foo")]);
                    let result = co
                        .yield_(task::<Arguments<((),), Kwargs>>(|callback| {
                            callback.call_args(Arguments::new(((),), errors))
                        }))
                        .await?;
                    assert_eq!(
                        result,
                        Arguments::new(((),), BTreeMap::from([("error", "foo")]))
                    );
                    Ok(())
                })
            },
            None,
        )
        .unwrap();
}

/// A run of Tornado 4.5.3 (docs/conformance.md): the first yield point of a
/// coroutine is started one iteration late (Tornado 4.5.3 opens its stack
/// context there and starts it from a callback); the next ones start at once.
/// Tornado 3.2.2 printed the same three lines all at it=0: 4.5.3 costs exactly
/// one iteration more.
#[test]
fn the_first_yield_point_costs_one_iteration_more_than_in_3_2_2() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("before the first yield point");
            let a = co.yield_(Callback::new("a")).await?;
            say!("after the first yield point");
            let b = co.yield_(Callback::new("b")).await?;
            say!("after the second yield point");
            a.call(1)?;
            b.call(2)?;
            co.yield_(WaitAll::<i32>::new(["a", "b"])).await
        })
    });
    assert_eq!(result.unwrap(), [1, 2]);
    assert_eq!(
        recording.prints(),
        [
            "[it=0] before the first yield point",
            "[it=1] after the first yield point",
            "[it=1] after the second yield point",
        ]
    );
}

/// `YieldFuture` of a future already done resolves inline: `start` keeps
/// no key and `is_ready` says yes at once, so the coroutine goes on in the
/// same iteration. Of a pending future it waits through `add_future`, one
/// iteration after the future resolves. Tornado 4.5.3 printed the same
/// iterations, relative to the warm-up yield point.
#[test]
fn yield_future_of_a_done_future_resolves_inline() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            // Past the first yield point, which costs an iteration of its own.
            co.yield_(Callback::new("k")).await?.call_none()?;
            let () = co.yield_(Wait::new("k")).await?;
            say!("before YieldFuture(done)");
            let r = co.yield_(YieldFuture::new(Future::resolved(5))).await?;
            say!("YieldFuture(done) -> {r}");
            let g = Future::new();
            let setter = g.clone();
            IOLoop::current().unwrap().add_callback(move || {
                say!("setg: sets g");
                setter.set_result(6)
            });
            let r = co.yield_(YieldFuture::new(g)).await?;
            say!("YieldFuture(pending) -> {r}");
            Ok(r)
        })
    });
    assert_eq!(result.unwrap(), 6);
    assert_eq!(
        recording.prints(),
        [
            "[it=1] before YieldFuture(done)",
            "[it=1] YieldFuture(done) -> 5",
            "[it=2] setg: sets g",
            "[it=3] YieldFuture(pending) -> 6",
        ]
    );
}

/// A `YieldFuture` that is a coroutine's first yield point still pays the
/// first yield point's iteration, done future or not (4.5.3: it=0, then it=1).
#[test]
fn yield_future_as_the_first_yield_point_still_costs_an_iteration() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("before the first YieldFuture(done)");
            let r = co.yield_(YieldFuture::new(Future::resolved(5))).await?;
            say!("after -> {r}");
            Ok(r)
        })
    });
    assert_eq!(result.unwrap(), 5);
    assert_eq!(
        recording.prints(),
        [
            "[it=0] before the first YieldFuture(done)",
            "[it=1] after -> 5",
        ]
    );
}

/// A `YieldFuture` of a failed future throws its exception at the `yield`.
#[test]
fn yield_future_of_a_failed_future_throws_at_the_yield() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let failed = Future::<i32>::new();
                    let setter = failed.clone();
                    IOLoop::current().unwrap().add_callback(move || {
                        setter.set_exception(ch01_yield::PyError::new("ValueError", "late"))
                    });
                    co.yield_(YieldFuture::new(failed)).await
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "ValueError: late");
}
