//! Chapter 06's graded exercises: the tests of each one, named after it.
//!
//! Run one exercise's tests with `cargo test -p ch06-gen-task --test
//! exercises ex06_1` (and so on); the tasks, with their hints, are in
//! `crates/06-gen-task/exercises/README.md`. Every test goes through the
//! crate's public API only, on a loop with a fake clock, and with a timeout
//! on `run_sync`, so a coroutine left waiting fails its test instead of
//! hanging it.

use ch00_trace::{EventKind, Recording, record, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, sleep};
use ch06_gen_task::{Callback, ResultCallback, Wait, WaitAll, YieldFuture, task};

/// A fresh loop on a fake clock, made current.
fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// Runs `main` to completion on a fresh loop while recording. With a
/// timeout: on the fake clock it costs nothing, and a coroutine left
/// waiting fails with `TimeoutError: Operation timed out after 60 seconds`.
fn recorded<T: Clone + 'static>(
    main: impl FnOnce() -> Future<T> + 'static,
) -> (Result<T, String>, Recording) {
    let (result, recording) = record(|| fake_loop().run_sync(main, Some(60.0)));
    (result.map_err(|e| e.to_string()), recording)
}

/// The current loop (the tests' coroutines run on it).
fn io_loop() -> IOLoop {
    IOLoop::current().unwrap()
}

// ex06.1 · WaitAll waits for every key

/// `WaitAll` resumes only when the last of its keys has been called back.
#[test]
fn ex06_1_waits_for_every_key() {
    testkit::exercise("ex06.1", || {
        let (result, recording) = recorded(|| {
            coroutine(|co| async move {
                let k1 = co.yield_(Callback::new("k1")).await?;
                let k2 = co.yield_(Callback::new("k2")).await?;
                io_loop().add_callback(move || {
                    say!("k1 called back");
                    k1.call(1)
                });
                io_loop().call_later(1.0, move || {
                    say!("k2 called back");
                    k2.call(2)
                });
                let both: Vec<i32> = co.yield_(WaitAll::new(["k1", "k2"])).await?;
                say!("resumed with {both:?}");
                Ok(both)
            })
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=2] k1 called back",
                "[it=3] k2 called back",
                "[it=3] resumed with [1, 2]",
            ],
            "WaitAll is ready when *all* its keys are (Python's `all(...)`): the coroutine \
             resumes inside the last callback, not the first (result: {result:?})"
        );
    });
}

/// Keys whose callbacks were all called before the `WaitAll` are ready at once.
#[test]
fn ex06_1_keys_called_before_are_ready_at_once() {
    testkit::exercise("ex06.1", || {
        let (result, _) = recorded(|| {
            coroutine(|co| async move {
                co.yield_(Callback::new("a")).await?.call("x")?;
                co.yield_(Callback::new("b")).await?.call("y")?;
                co.yield_(WaitAll::<&str>::new(["a", "b"])).await
            })
        });
        assert_eq!(
            result,
            Ok(vec!["x", "y"]),
            "both results were there already: WaitAll is ready when yielded"
        );
    });
}

/// A key that was never registered is an `UnknownKeyError`, raised at the `yield`.
#[test]
fn ex06_1_an_unknown_key_is_an_unknown_key_error() {
    testkit::exercise("ex06.1", || {
        let (result, _) = recorded(|| {
            coroutine(|co| async move {
                co.yield_(Callback::new("k1")).await?.call(1)?;
                match co.yield_(WaitAll::<i32>::new(["k1", "nope"])).await {
                    Ok(values) => Ok(format!("resumed with {values:?}")),
                    Err(exc) => Ok(format!("raised {exc}")),
                }
            })
        });
        assert_eq!(
            result,
            Ok("raised UnknownKeyError: key 'nope' is not pending".to_string()),
            "Runner.is_ready raises UnknownKeyError for a key never registered, and \
             WaitAll.is_ready lets it go on: it is thrown in at the yield"
        );
    });
}

// ex06.2 · YieldFuture's result

/// A pending future's value reaches the `yield`, through the Runner's key.
#[test]
fn ex06_2_a_pending_future_resolves_the_yield() {
    testkit::exercise("ex06.2", || {
        let (result, _) = recorded(|| {
            coroutine(|co| async move {
                let f = Future::new();
                let resolve = f.clone();
                io_loop().call_later(1.0, move || resolve.set_result(42));
                co.yield_(YieldFuture::new(f)).await
            })
        });
        assert_eq!(
            result,
            Ok(42),
            "the key's result is the future itself (`runner.pop_result(key)`); the \
             yield gets its `.result()`"
        );
    });
}

/// A future already done when yielded is read directly.
#[test]
fn ex06_2_a_done_future_is_read_at_once() {
    testkit::exercise("ex06.2", || {
        let (result, _) = recorded(|| {
            coroutine(|co| async move { co.yield_(YieldFuture::new(Future::resolved(5))).await })
        });
        assert_eq!(
            result,
            Ok(5),
            "a done future registered no key: `get_result` is its `result()`"
        );
    });
}

/// A failed future raises its error at the `yield`.
#[test]
fn ex06_2_a_failed_future_raises_at_the_yield() {
    testkit::exercise("ex06.2", || {
        let (result, _) = recorded(|| {
            coroutine(|co| async move {
                let f = Future::<i32>::new();
                let fail = f.clone();
                io_loop().add_callback(move || fail.set_exception(PyError::new("IOError", "gone")));
                match co.yield_(YieldFuture::new(f)).await {
                    Ok(value) => Ok(format!("resumed with {value}")),
                    Err(exc) => Ok(format!("raised {exc}")),
                }
            })
        });
        assert_eq!(
            result,
            Ok("raised IOError: gone".to_string()),
            "`pop_result(key).result()` raises the future's exception, and the Runner \
             throws it in at the yield"
        );
    });
}

// ex06.3 · gen.Task, Tornado 4's

/// `func` runs when `task` is called, before anything is yielded.
#[test]
fn ex06_3_func_runs_when_task_is_called() {
    testkit::exercise("ex06.3", || {
        let ((), recording) = record(|| {
            let _io_loop = fake_loop();
            say!("calling task");
            let f = task::<i32>(|callback| {
                say!("func runs");
                callback.call(1)
            });
            say!("task returned: done={}", f.done());
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=0] calling task",
                "[it=0] func runs",
                "[it=0] task returned: done=true",
            ],
            "Tornado 4's gen.Task calls `func` at once, and a callback called inside it \
             resolves the future before `task` returns"
        );
    });
}

/// The first value given to the callback wins; later calls are ignored, quietly.
#[test]
fn ex06_3_the_first_value_wins() {
    testkit::exercise("ex06.3", || {
        let (result, recording) = recorded(|| {
            task::<i32>(|callback| {
                io_loop().add_callback(move || {
                    callback.call(1)?;
                    callback.call(2)
                });
                Ok(())
            })
        });
        assert_eq!(result, Ok(1), "the first call's value resolves the future");
        assert_eq!(
            recording.only(&[EventKind::Log]),
            "",
            "a second call is ignored (`if future.done(): return`), not an error"
        );
    });
}

/// An error `func` returns fails the future; it is not raised to the caller.
#[test]
fn ex06_3_an_error_func_returns_fails_the_future() {
    testkit::exercise("ex06.3", || {
        let _io_loop = fake_loop();
        let f = task::<i32>(|_callback| Err(PyError::new("ValueError", "bad call").into()));
        assert_eq!(
            f.result().map_err(|e| e.to_string()),
            Err("ValueError: bad call".to_string()),
            "what `func` raises is caught by the ExceptionStackContext's handler, which \
             fails the future"
        );
    });
}

/// An error raised later, by a callback `func` scheduled, fails the future too.
#[test]
fn ex06_3_a_later_error_from_funcs_callback_fails_the_future() {
    testkit::exercise("ex06.3", || {
        let (result, _) = recorded(|| {
            task::<i32>(|_callback| {
                io_loop().add_callback(|| -> Result<(), Exception> {
                    Err(PyError::new("IOError", "connection lost").into())
                });
                Ok(())
            })
        });
        assert_eq!(
            result,
            Err("IOError: connection lost".to_string()),
            "`func` runs inside `with ExceptionStackContext(handle_exception)`, so what it \
             schedules carries the handler: a later error fails the future instead of \
             going to the loop's log (and the future waiting forever)"
        );
    });
}

// ex06.4 · Predict: a Callback, a Wait and a Task

// ANCHOR: callback_and_task
/// A callback-style function: calls `callback` with its name on the next
/// iteration.
fn legacy(name: &'static str, callback: ResultCallback) -> Result<(), Exception> {
    say!("legacy({name}) called");
    IOLoop::current()?.add_callback(move || {
        say!("legacy({name}) calls back");
        callback.call(name)?;
        say!("legacy({name}): its callback returned");
        Ok::<(), Exception>(())
    });
    Ok(())
}

/// The program of ex06.4: a `Callback`/`Wait` pair and a `task` side by side.
fn callback_and_task() {
    let io_loop = fake_loop();
    let main = || {
        coroutine(|co| async move {
            say!("main: first step");
            let callback = co.yield_(Callback::new("k")).await?;
            say!("main: got the callback for k");
            legacy("W", callback)?;
            let t = task::<&str>(|callback| legacy("T", callback));
            say!("main: the Task is made");
            let w: &str = co.yield_(Wait::new("k")).await?;
            say!("main: Wait(k) gave {w}");
            let t = co.yield_(t).await?;
            say!("main: the Task gave {t}");
            Ok(())
        })
    };
    io_loop.run_sync(main, None).unwrap();
    say!("run_sync returned");
}
// ANCHOR_END: callback_and_task

/// Your prediction of what `callback_and_task` prints (`exercises/ex06.4.txt`).
#[test]
fn ex06_4_predict_callback_and_task() {
    testkit::exercise("ex06.4", || {
        testkit::predict("ex06.4", env!("CARGO_MANIFEST_DIR"))
    });
}

// ex06.5 · Predict: a leaked callback

// ANCHOR: leaked_callback
/// Calls `callback` with `value` on the next iteration, and says what the
/// call returned.
fn call_soon_with(callback: ResultCallback, value: &'static str) {
    IOLoop::current().unwrap().add_callback(move || {
        say!("fire: calls back with {value}");
        match callback.call(value) {
            Ok(()) => say!("fire: the call returned"),
            Err(exc) => say!("fire: the call raised {exc}"),
        }
    });
}

/// A coroutine that takes two callbacks and waits for one.
fn leaky() -> Future<()> {
    coroutine(|co| async move {
        say!("leaky: first step");
        let cb1 = co.yield_(Callback::new("k1")).await?;
        let _cb2 = co.yield_(Callback::new("k2")).await?;
        say!("leaky: has two callbacks");
        call_soon_with(cb1, "one");
        let value: &str = co.yield_(Wait::new("k1")).await?;
        say!("leaky: Wait(k1) gave {value}; returns");
        Ok(())
    })
}

/// The program of ex06.5: `main` calls `leaky` and looks at its future a
/// second later.
fn leaked_callback() {
    let io_loop = fake_loop();
    let main = || {
        coroutine(|co| async move {
            let f = leaky();
            say!("main: leaky() returned, done={}", py(f.done()));
            co.yield_(sleep(1.0)).await?;
            say!("main: a second later, leaky's future done={}", py(f.done()));
            Ok(())
        })
    };
    io_loop.run_sync(main, None).unwrap();
    say!("run_sync returned");
}
// ANCHOR_END: leaked_callback

/// Python's `str(True)`.
fn py(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

/// Your prediction of what `leaked_callback` prints (`exercises/ex06.5.txt`).
#[test]
fn ex06_5_predict_leaked_callback() {
    testkit::exercise("ex06.5", || {
        testkit::predict("ex06.5", env!("CARGO_MANIFEST_DIR"))
    });
}

/// The predictions' keys are those of the programs as they run now.
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(callback_and_task);
    let prints = recording.prints().join("\n");
    testkit::prediction_key(
        "ex06.4",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&prints),
    );
    let ((), recording) = record(leaked_callback);
    let prints = recording.prints().join("\n");
    testkit::prediction_key(
        "ex06.5",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&prints),
    );
}
