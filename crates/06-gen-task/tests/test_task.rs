//! `gen.Task` in its two shapes: Tornado 4's [`task`], a function returning a
//! future, and Tornado 3's [`Task`] yield point (the upload article's), driven
//! by Tornado 4.5.3's Runner as a user-defined `YieldPoint` would be. Ported
//! from the intent of gen_test.py: `GenEngineTest.test_task`,
//! `test_exception_in_task_phase1`, `test_task_refcounting`,
//! `GenCoroutineTest.test_pass_callback`, `GenEngineTest.test_async_raise_return`,
//! and a run of Tornado 4.5.3
//! (docs/conformance.md) (a callback called twice).
//!
//! `test_exception_in_task_phase2` (an error raised later by a callback the
//! task's function scheduled) travels through stack contexts: it is in
//! `test_stack_context.rs`.
//!
//! Every expected order and value was first printed by the same program
//! under real Tornado 4.5.3, with the upload article's `Task` class as the 3.x Task.

mod common;

use common::{fake_loop, recorded};

use std::collections::BTreeMap;
use std::rc::Rc;

use ch00_trace::say;
use ch01_yield::{Exception, PyError};
use ch03_ioloop::IOLoop;
use ch04_runner::{Value, Yieldable, Yielded};
use ch05_coroutine::{coroutine, coroutine_with_callback};
use ch06_gen_task::{Arguments, ResultCallback, Runner, Task, YieldPoint, task, yielded};

/// `def later(callback)`: says it was called, and calls back with no
/// argument from the next loop iteration, saying so.
fn later(name: &'static str, callback: ResultCallback) -> Result<(), Exception> {
    say!("{name}: func called");
    IOLoop::current().unwrap().add_callback(move || {
        say!("{name}: calls back");
        let delivered = callback.call_none();
        say!("{name}: callback returned");
        delivered
    });
    Ok(())
}

/// `def fail_task(callback): 1 / 0`.
fn fail_task(_callback: ResultCallback) -> Result<(), Exception> {
    Err(PyError::new("ZeroDivisionError", "division by zero").into())
}

/// `test_task` (`yield gen.Task(self.io_loop.add_callback)`): Tornado 4's
/// `gen.Task` calls its function when it is *made*, and, being a future,
/// resumes the coroutine one iteration after the callback ran.
#[test]
fn test_task() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("makes gen.Task");
            let t = task::<()>(|callback| later("T", callback));
            say!("yields it");
            let () = co.yield_(t).await?;
            say!("resumed");
            Ok(())
        })
    });
    result.unwrap();
    assert_eq!(
        recording.prints(),
        [
            "[it=0] makes gen.Task",
            "[it=0] T: func called",
            "[it=0] yields it",
            "[it=1] T: calls back",
            "[it=1] T: callback returned",
            "[it=2] resumed",
        ]
    );
}

/// The upload article's `gen.Task`, Tornado 3's yield point, on 4.5.3's Runner: its
/// function runs when it is *yielded* (the first yield point one iteration
/// late), and the coroutine resumes *inside* the callback call; a second
/// Task starts at once.
#[test]
fn test_task_as_a_yield_point() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            say!("makes Task (3.x)");
            let t = Task::<()>::new(|callback| later("T", callback));
            say!("yields it");
            let () = co.yield_(t).await?;
            say!("resumed");
            let () = co
                .yield_(Task::new(|callback| later("U", callback)))
                .await?;
            say!("resumed from the second");
            Ok(())
        })
    });
    result.unwrap();
    assert_eq!(
        recording.prints(),
        [
            "[it=0] makes Task (3.x)",
            "[it=0] yields it",
            "[it=1] T: func called",
            "[it=2] T: calls back",
            "[it=2] resumed",
            "[it=2] U: func called",
            "[it=2] T: callback returned",
            "[it=3] U: calls back",
            "[it=3] resumed from the second",
            "[it=3] U: callback returned",
        ]
    );
}

/// `test_exception_in_task_phase1`: a function that raises before calling
/// back. Tornado 4's `gen.Task` puts the error in its future (nothing is
/// raised where the Task is made), and the `yield` raises it; Tornado 3's
/// Task raises it from `start`, which throws it in at the `yield` too.
#[test]
fn test_exception_in_task_phase1() {
    let io_loop = fake_loop();
    let caught = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let f = task::<()>(fail_task);
                    assert!(f.done(), "the error is in the future before the yield");
                    let four = co.yield_(f).await.unwrap_err().to_string();
                    let three = co
                        .yield_(Task::<()>::new(fail_task))
                        .await
                        .unwrap_err()
                        .to_string();
                    Ok((four, three))
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(
        caught,
        (
            "ZeroDivisionError: division by zero".to_string(),
            "ZeroDivisionError: division by zero".to_string()
        )
    );
}

/// `GenCoroutineTest.test_pass_callback`: `gen.Task(f)` of a coroutine
/// hands it the `callback=` argument; the coroutine's result comes back
/// through it (it=0 called, it=1 callback, it=2 resumed, as in 4.5.3).
#[test]
fn test_pass_callback() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            // @gen.coroutine
            // def f(): raise gen.Return(42)
            let t = task::<i32>(|callback| {
                coroutine_with_callback(
                    move |v: i32| {
                        callback.call(v).expect("gen.Task's callback never fails");
                    },
                    |_co| async move { Ok(42) },
                );
                Ok(())
            });
            let r = co.yield_(t).await?;
            say!("pass_callback -> {r}");
            Ok(r)
        })
    });
    assert_eq!(result.unwrap(), 42);
    assert_eq!(recording.prints(), ["[it=2] pass_callback -> 42"]);
}

/// `def twice(callback): callback("first"); callback("second")`.
fn twice_now(callback: ResultCallback) -> Result<(), Exception> {
    callback.call("first")?;
    callback.call("second")
}

/// Both calls scheduled on the loop, one after the other.
fn twice_from_the_loop(callback: ResultCallback) -> Result<(), Exception> {
    let again = callback.clone();
    IOLoop::current()
        .unwrap()
        .add_callback(move || callback.call("first"));
    IOLoop::current()
        .unwrap()
        .add_callback(move || again.call("second"));
    Ok(())
}

/// A run of Tornado 4.5.3 (docs/conformance.md): Tornado 4's `gen.Task` keeps
/// the first value its callback gets; later calls are ignored, whether they
/// come at once or from the loop.
#[test]
fn task_keeps_the_first_value_when_called_twice() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let now = co.yield_(task::<&str>(twice_now)).await?;
                    let from_the_loop = co.yield_(task::<&str>(twice_from_the_loop)).await?;
                    Ok((now, from_the_loop))
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, ("first", "first"));
}

/// A run of Tornado 4.5.3 (docs/conformance.md) with the upload article's Task
/// on 4.5.3's Runner, which does what 3.2.2's did: both calls made inside
/// `start`, before the Task was asked if it is ready, leave the *last* value
/// (`'second'`; the Runner's `results[key]` is overwritten). Calls from the
/// loop: the first resumes the coroutine and pops the key, so the second lands
/// in a key nobody waits for: `'first'`. Tornado 4.5.3 printed `'second'` then
/// `'first'`, as the first yield point or a later one alike.
#[test]
fn task_yield_point_keeps_the_last_value_if_both_come_before_resuming() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let first_point = co.yield_(Task::<&str>::new(twice_now)).await?;
                    let later_point = co.yield_(Task::<&str>::new(twice_now)).await?;
                    let from_the_loop = co.yield_(Task::<&str>::new(twice_from_the_loop)).await?;
                    Ok((first_point, later_point, from_the_loop))
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, ("second", "second", "first"));
}

/// Something to see freed: Python's `class Foo(object): pass`.
#[derive(Debug)]
struct Foo;

/// A 3.x Task that can be seen freed: Python takes a weak reference to the
/// Task itself; here the Task travels with an `Rc` only it holds.
struct Tracked<T> {
    task: Task<T>,
    _alive: Rc<Foo>,
}

impl<T> YieldPoint for Tracked<T> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        self.task.start(runner)
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        self.task.is_ready(runner)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        self.task.get_result(runner)
    }

    fn describe(&self) -> String {
        self.task.describe()
    }
}

impl<T: 'static> Yieldable for Tracked<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// `gen.Task(self.io_loop.add_callback, arg=arg)`'s function: the loop
/// calls the callback with `arg=arg`, which becomes
/// `Arguments((), {'arg': arg})`.
fn add_callback_with(arg: Rc<Foo>) -> impl FnOnce(ResultCallback) -> Result<(), Exception> {
    move |callback| {
        IOLoop::current().unwrap().add_callback(move || {
            callback.call_args(Arguments::new((), BTreeMap::from([("arg", arg)])))
        });
        Ok(())
    }
}

/// `test_task_refcounting`: as soon as the coroutine is done, the Task and
/// the argument its function passed on to the loop are freed (Python checks
/// it with weak references on CPython; here with `Rc`'s weak ones): no
/// reference cycle through the Runner keeps them. Tornado 4.5.3 frees both,
/// for its own `gen.Task` and for the upload article's Task class alike.
#[test]
fn test_task_refcounting() {
    type Kwargs = BTreeMap<&'static str, Rc<Foo>>;
    let io_loop = fake_loop();
    let (arg3, task3, arg4) = (Rc::new(Foo), Rc::new(Foo), Rc::new(Foo));
    let weak = [
        ("the 3.x Task's arg", Rc::downgrade(&arg3)),
        ("the 3.x Task", Rc::downgrade(&task3)),
        ("the 4.x task's arg", Rc::downgrade(&arg4)),
    ];
    io_loop
        .run_sync(
            move || {
                coroutine(move |co| async move {
                    let tracked = Tracked {
                        task: Task::new(add_callback_with(arg3)),
                        _alive: task3,
                    };
                    let got: Arguments<(), Kwargs> = co.yield_(tracked).await?;
                    assert!(got.kwargs.contains_key("arg"));
                    let got: Arguments<(), Kwargs> =
                        co.yield_(task(add_callback_with(arg4))).await?;
                    assert!(got.kwargs.contains_key("arg"));
                    Ok(())
                })
            },
            None,
        )
        .unwrap();
    for (what, weak) in weak {
        assert!(weak.upgrade().is_none(), "{what} is still alive");
    }
}

/// `test_async_raise_return`: an `@gen.engine` body that waits on a
/// `gen.Task`, then ends with a bare `raise gen.Return()` (here `Ok(())`,
/// the only value an engine body may return) finishes cleanly: the program
/// after it runs and nothing is logged (no `ReturnValueIgnoredError`). The
/// same program under Tornado 4.5.3 printed these lines at these iterations.
#[test]
fn test_async_raise_return() {
    let ((), recording) = ch00_trace::record(|| {
        let io_loop = fake_loop();
        let result = Rc::new(std::cell::Cell::new(0));
        let (stopper, got) = (io_loop.clone(), result.clone());
        io_loop.add_callback(move || {
            ch05_coroutine::engine(move |co| async move {
                co.yield_(task::<()>(|callback| {
                    IOLoop::current()
                        .unwrap()
                        .add_callback(move || callback.call_none());
                    Ok(())
                }))
                .await?;
                say!("stop(42)");
                got.set(42);
                stopper.stop();
                Ok(()) // PY: raise gen.Return()
            })
            .unwrap();
            say!("f() returned");
        });
        io_loop.start().unwrap();
        say!("result {}", result.get());
    });
    assert_eq!(
        recording.prints(),
        ["[it=0] f() returned", "[it=2] stop(42)", "[it=2] result 42"]
    );
    assert_eq!(recording.only(&[ch00_trace::EventKind::Log]), "");
}
