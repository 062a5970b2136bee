//! The chapter's recorded programs: the upload article's upload story, stale and
//! fixed, and the rules of the callback world. Each has a Python twin under
//! `tests/tornado/` run by real Tornado 4.5.3.

use std::collections::BTreeMap;

use ch00_trace::{Scenario, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch04_runner::GenError;
use ch05_coroutine::{Object, coroutine};

use crate::{
    Arguments, Callback, Multi, MultiMap, ResultCallback, Task, Wait, WaitAll, YieldFuture, task,
};

mod report_where_freed;
mod stack_context;
mod upload;

/// Every program of chapter 06.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch06_upload_stale",
        title: "the upload article as it was: the handler caches the answers before the renames finish",
        twin: Some("ch06_upload_stale"),
        run: upload::stale,
    },
    Scenario {
        name: "ch06_upload_fixed",
        title: "the upload article fixed: the answers are cached when every renaming future is done",
        twin: Some("ch06_upload_fixed"),
        run: upload::fixed,
    },
    Scenario {
        name: "ch06_task_callback_wait",
        title: "gen.Task calls its function at once and costs a hop; Wait resumes inside the callback",
        twin: Some("ch06_task_callback_wait"),
        run: task_callback_wait,
    },
    Scenario {
        name: "ch06_task3_yield_point",
        title: "Tornado 3's Task, a yield point: its function runs when yielded",
        twin: Some("ch06_task3_yield_point"),
        run: task3_yield_point,
    },
    Scenario {
        name: "ch06_errors",
        title: "KeyReuseError, UnknownKeyError, BadYieldError, a failing Task, a leaked callback",
        twin: Some("ch06_errors"),
        run: errors,
    },
    Scenario {
        name: "ch06_arguments_multi",
        title: "Arguments, keys waited in any order, WaitAll, a list of yield points, a reused key",
        twin: Some("ch06_arguments_multi"),
        run: arguments_multi,
    },
    Scenario {
        name: "ch06_multi_map",
        title: "a dict of yield points: results under their keys; the first failure raised, the others logged unless quiet",
        twin: Some("ch06_multi_map"),
        run: multi_map,
    },
    Scenario {
        name: "ch06_stack_context",
        title: "stack contexts: a callback's error thrown into the coroutine, failing gen.Task, or only logged",
        twin: Some("ch06_stack_context"),
        run: stack_context::stack_context,
    },
    Scenario {
        name: "ch06_report_where_freed",
        title: "gen.Task lets go of a second call's argument at once; multi logs its later failures before the yield raises",
        twin: Some("ch06_report_where_freed"),
        run: report_where_freed::report_where_freed,
    },
];

/// A fresh loop on a fake clock, made current.
fn new_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).expect("a new IOLoop");
    io_loop.make_current();
    io_loop
}

/// Starts `main` from the loop's first callback, and the loop.
fn run_loop(io_loop: &IOLoop, main: impl FnOnce() + 'static) {
    io_loop.add_callback(main);
    io_loop.start().expect("the loop starts");
}

// ANCHOR: legacy
/// A callback-style function: `def legacy(name, callback)`. It schedules
/// its callback on the loop, as a real asynchronous call would.
fn legacy(name: &'static str, callback: ResultCallback) -> Result<(), Exception> {
    say!("legacy({name}) called; schedules its callback");
    IOLoop::current().unwrap().add_callback(move || {
        say!("fire({name}): calls the callback");
        let delivered = callback.call(format!("{name}-result"));
        say!("fire({name}): the callback returned");
        delivered
    });
    Ok(())
}
// ANCHOR_END: legacy

// ANCHOR: task_callback_wait
fn co() -> Future<&'static str> {
    coroutine(|co| async move {
        say!("co: makes the Task (not yielded yet)");
        let t = task::<String>(|callback| legacy("T", callback));
        say!("co: Task made; yields it");
        let r = co.yield_(t).await?;
        say!("co: resumed from the Task with {r}");
        let cb = co.yield_(Callback::new("k")).await?;
        say!("co: got the Callback's callback; schedules it");
        IOLoop::current().unwrap().add_callback(move || {
            say!("fire2: calls Callback('k')");
            let delivered = cb.call("k-result".to_string());
            say!("fire2: Callback('k') returned");
            delivered
        });
        let r: String = co.yield_(Wait::new("k")).await?;
        say!("co: resumed from Wait('k') with {r}");
        Ok("done")
    })
}
// ANCHOR_END: task_callback_wait

/// `main`: calls a coroutine, and stops the loop when its future is done.
fn call_and_stop<T: Clone + std::fmt::Display + 'static>(
    name: &'static str,
    coroutine: fn() -> Future<T>,
) {
    let f = coroutine();
    say!("main: {name}() returned");
    IOLoop::current()
        .unwrap()
        .add_future(&f, move |f: Future<T>| {
            say!("{name} finished: {}", f.result()?);
            IOLoop::current().unwrap().stop();
            Ok::<(), Exception>(())
        });
}

fn task_callback_wait() {
    run_loop(&new_loop(), || call_and_stop("co", co));
}

// ANCHOR: task3
fn co_task3() -> Future<String> {
    coroutine(|co| async move {
        say!("co: makes Task(legacy, 'A') and yields it");
        let a: String = co
            .yield_(Task::new(|callback| legacy("A", callback)))
            .await?;
        say!("co: resumed from Task A with {a}");
        say!("co: makes Task(legacy, 'B') and yields it");
        let b: String = co
            .yield_(Task::new(|callback| legacy("B", callback)))
            .await?;
        say!("co: resumed from Task B with {b}");
        Ok(format!("{a} {b}"))
    })
}
// ANCHOR_END: task3

fn task3_yield_point() {
    run_loop(&new_loop(), || call_and_stop("co", co_task3));
}

/// `def failing(callback)`: raises before it could call back.
fn failing(_callback: ResultCallback) -> Result<(), Exception> {
    say!("  failing() raises before calling back");
    Err(PyError::new("ValueError", "no connection").into())
}

// ANCHOR: errors
fn misuses() -> Future<&'static str> {
    coroutine(|co| async move {
        co.yield_(Callback::new("k")).await?;
        match co.yield_(Callback::new("k")).await {
            Err(exc) if exc.is::<ch04_runner::GenError>() => say!("caught {exc}"),
            other => drop(other?),
        }
        match co.yield_(Wait::<()>::new("nobody")).await {
            Err(exc) if exc.is::<ch04_runner::GenError>() => say!("caught {exc}"),
            other => other?,
        }
        match co.yield_(Object(42)).await {
            Err(exc) if exc.is::<GenError>() => say!("caught {exc}"),
            other => other?,
        }
        match co.yield_(Task::<()>::new(failing)).await {
            Err(exc) => say!("caught from Task (3.x): {exc}"),
            Ok(()) => say!("not reached"),
        }
        let f = task::<()>(failing);
        let failure = f.exception()?.map(|e| e.to_string()).unwrap_or_default();
        let message = failure.strip_prefix("ValueError: ").unwrap_or(&failure);
        say!("gen.Task (4.x) returned; its future failed: {message}");
        match co.yield_(f).await {
            Err(exc) => say!("caught from gen.Task (4.x): {exc}"),
            Ok(()) => say!("not reached"),
        }
        // Key 'k' is still pending, but exceptions were thrown in: no leak error.
        Ok("misuses done")
    })
}

fn leaky() -> Future<&'static str> {
    coroutine(|co| async move {
        let _callback = co.yield_(Callback::new("forgotten")).await?;
        say!("leaky: returns without waiting for 'forgotten'");
        Ok("never delivered")
    })
}
// ANCHOR_END: errors

fn errors() {
    run_loop(&new_loop(), || {
        IOLoop::current()
            .unwrap()
            .add_future(&misuses(), |f: Future<&'static str>| {
                say!("misuses finished: {}", f.result()?);
                let leaky_future = leaky();
                IOLoop::current().unwrap().call_later(0.5, move || {
                    let done = if leaky_future.done() { "True" } else { "False" };
                    say!("leaky's future done: {done}");
                    IOLoop::current().unwrap().stop();
                });
                Ok::<(), Exception>(())
            });
    });
}

// ANCHOR: arguments
fn arguments() -> Future<()> {
    coroutine(|co| async move {
        co.yield_(Callback::new("noargs")).await?.call_none()?;
        let () = co.yield_(Wait::new("noargs")).await?;
        say!("noargs: None");
        co.yield_(Callback::new("1arg")).await?.call(42)?;
        let one: i32 = co.yield_(Wait::new("1arg")).await?;
        say!("1arg: {one}");
        co.yield_(Callback::new("2args"))
            .await?
            .call_args(Arguments::new((42, 43), ()))?;
        let two: Arguments<(i32, i32), ()> = co.yield_(Wait::new("2args")).await?;
        say!("2args: args={:?} kwargs={{}}", two.args);
        let kwargs = BTreeMap::from([("value", 42)]);
        co.yield_(Callback::new("kwargs"))
            .await?
            .call_args(Arguments::new((), kwargs))?;
        let named: Arguments<(), BTreeMap<&str, i32>> = co.yield_(Wait::new("kwargs")).await?;
        say!(
            "kwargs: args={:?} kwargs={{'value': {}}}",
            named.args,
            named.kwargs["value"]
        );
        Ok(())
    })
}
// ANCHOR_END: arguments

/// Python's `repr` of a list of strings: `['C', 'D']`.
fn py_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `loop.add_callback(callback, value)`.
fn call_soon(callback: ResultCallback, value: &'static str) {
    IOLoop::current()
        .unwrap()
        .add_callback(move || callback.call(value.to_string()));
}

// ANCHOR: parallel
fn parallel() -> Future<()> {
    coroutine(|co| async move {
        let a = co.yield_(Callback::new("a")).await?;
        let b = co.yield_(Callback::new("b")).await?;
        call_soon(b, "B");
        call_soon(a, "A");
        say!("parallel: waits for 'a' first, though 'b' is called first");
        say!("parallel: a={}", co.yield_(Wait::<String>::new("a")).await?);
        say!("parallel: b={}", co.yield_(Wait::<String>::new("b")).await?);
        let c = co.yield_(Callback::new("c")).await?;
        let d = co.yield_(Callback::new("d")).await?;
        call_soon(d, "D");
        call_soon(c, "C");
        let both: Vec<String> = co.yield_(WaitAll::new(["c", "d"])).await?;
        say!("parallel: WaitAll(['c', 'd']) = {}", py_list(&both));
        let e = co.yield_(Callback::new("e")).await?;
        let f = Future::new();
        call_soon(e, "E");
        let setter = f.clone();
        IOLoop::current()
            .unwrap()
            .add_callback(move || setter.set_result("F".to_string()));
        let list = Multi::new()
            .and(Wait::<String>::new("e"))
            .and(YieldFuture::new(f));
        let results: Vec<String> = co.yield_(list).await?;
        say!(
            "parallel: a list of Wait('e') and a future = {}",
            py_list(&results)
        );
        let again = co.yield_(Callback::new("a")).await?;
        call_soon(again, "A again");
        say!(
            "parallel: key 'a' reused: {}",
            co.yield_(Wait::<String>::new("a")).await?
        );
        Ok(())
    })
}
// ANCHOR_END: parallel

fn arguments_multi() {
    run_loop(&new_loop(), || {
        IOLoop::current().unwrap().add_future(&arguments(), |_| {
            IOLoop::current().unwrap().add_future(&parallel(), |_| {
                say!("both finished");
                IOLoop::current().unwrap().stop();
            });
        });
    });
}

// ANCHOR: multi_map
/// The twin's `def later(value, callback)`: calls back with `value` two iterations from now.
fn two_hops_later(value: &'static str, callback: ResultCallback) -> Result<(), Exception> {
    IOLoop::current().unwrap().add_callback(move || {
        IOLoop::current()
            .unwrap()
            .add_callback(move || callback.call(value))
    });
    Ok(())
}

/// A coroutine that fails after one moment, saying so.
fn fails_later(name: &'static str, message: &'static str) -> Future<&'static str> {
    coroutine(move |co| async move {
        co.yield_(ch05_coroutine::moment()).await?;
        say!("failing: raises {name}: {message}");
        Err(PyError::new(name, message).into())
    })
}

/// `quiet_exceptions=RuntimeError`.
fn is_runtime_error(exc: &Exception) -> bool {
    exc.downcast_ref::<PyError>()
        .is_some_and(|e| e.name == "RuntimeError")
}

fn keyed() -> Future<()> {
    coroutine(|co| async move {
        co.yield_(Callback::new("k")).await?.call("now")?;
        // yield gen.MultiYieldPoint(dict(a=gen.Task(later, "late"), b=gen.Wait("k")))
        let results = co
            .yield_(
                MultiMap::<&str, &str>::new()
                    .and(
                        "a",
                        YieldFuture::new(task::<&str>(|cb| two_hops_later("late", cb))),
                    )
                    .and("b", Wait::<&str>::new("k")),
            )
            .await?;
        say!("keyed: a={} b={}", results["a"], results["b"]);
        co.yield_(Callback::new("k")).await?.call("fine")?;
        let failures = MultiMap::<&str, &str>::new()
            .and("a", Wait::<&str>::new("k"))
            .and(
                "b",
                YieldFuture::new(fails_later("RuntimeError", "error b")),
            )
            .and("c", YieldFuture::new(fails_later("ValueError", "error c")))
            .and(
                "d",
                YieldFuture::new(fails_later("RuntimeError", "error d")),
            )
            .quiet_exceptions(is_runtime_error);
        if let Err(exc) = co.yield_(failures).await {
            say!("keyed: caught {exc}");
        }
        Ok(())
    })
}
// ANCHOR_END: multi_map

fn multi_map() {
    run_loop(&new_loop(), || {
        IOLoop::current().unwrap().add_future(&keyed(), |_| {
            say!("finished");
            IOLoop::current().unwrap().stop();
        });
    });
}
