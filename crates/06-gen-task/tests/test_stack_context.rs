//! Stack contexts with coroutines: ports of Tornado 4.5.3's gen_test.py
//! (`test_exception_in_task_phase2`, `test_replace_context_exception`,
//! `test_swallow_context_exception`, `test_stack_context_leak`,
//! `test_stack_context_leak_exception`, `test_task_transfer_stack_context`)
//! and of the `gen` half of stack_context_test.py (`test_yield_in_with`,
//! `test_yield_outside_with`, their `ExceptionStackContext` twins and
//! `test_run_with_stack_context`).
//!
//! `test_wait_transfer_stack_context` is not ported: it hands the
//! already-wrapped callback of a `gen.Callback` to `add_callback` inside
//! another context, which Tornado does not wrap again (`_wrapped`); a Rust
//! closure that calls it is a new callable, and is wrapped (see
//! `docs/reliability.md`).

mod common;

use common::recorded;

use std::cell::RefCell;
use std::rc::Rc;

use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch03_ioloop::stack_context::{
    ContextManager, Contexts, ExceptionStackContext, StackContext, run_with_stack_context,
};
use ch05_coroutine::coroutine;
use ch06_gen_task::{Callback, ResultCallback, Wait, task};

fn io_loop() -> IOLoop {
    IOLoop::current().unwrap()
}

fn zero_division() -> Result<(), PyError> {
    Err(PyError::new("ZeroDivisionError", "division by zero"))
}

/// `gen.Task(self.io_loop.add_callback)`: a task whose function schedules
/// its callback.
fn next_iteration() -> Future<()> {
    task::<()>(|callback| {
        io_loop().add_callback(move || callback.call_none());
        Ok(())
    })
}

/// The names of the `StackContext`s entered, innermost last.
type Active = Rc<RefCell<Vec<&'static str>>>;

/// `@contextlib.contextmanager def named_context(name)`.
struct Named {
    name: &'static str,
    active: Active,
}

impl ContextManager for Named {
    fn enter(&mut self) -> Result<(), Exception> {
        self.active.borrow_mut().push(self.name);
        Ok(())
    }
    fn exit(&mut self, _exc: Option<&Exception>) -> Result<bool, Exception> {
        assert_eq!(self.active.borrow_mut().pop(), Some(self.name));
        Ok(false)
    }
}

fn named(active: &Active, name: &'static str) -> StackContext {
    let active = active.clone();
    StackContext::new(move || {
        Box::new(Named {
            name,
            active: active.clone(),
        })
    })
}

/// An error raised later by a callback the task's function scheduled fails
/// the task's future (its `ExceptionStackContext`), and is thrown in at the
/// `yield`. Ports `test_exception_in_task_phase2`.
#[test]
fn test_exception_in_task_phase2() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            let failing = task::<()>(|_callback| {
                io_loop().add_callback(zero_division);
                Ok(())
            });
            match co.yield_(failing).await {
                Err(exc) => Ok(exc.to_string()),
                Ok(()) => Ok("did not get expected exception".to_string()),
            }
        })
    });
    assert_eq!(result.unwrap(), "ZeroDivisionError: division by zero");
}

/// After its first yield point, a coroutine's callbacks' errors are thrown
/// into it; this one catches it and raises another, which fails its
/// future. Ports `test_replace_context_exception`.
#[test]
fn test_replace_context_exception() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new(1)).await?.call_none()?;
            let () = co.yield_(Wait::new(1)).await?;
            io_loop().add_callback(zero_division);
            let deadline = io_loop().time() + 10.0;
            let timeout = task::<()>(move |callback| {
                io_loop().add_timeout(deadline, move || callback.call_none());
                Ok(())
            });
            match co.yield_(timeout).await {
                Err(exc) if exc.to_string().starts_with("ZeroDivisionError") => {
                    Err::<(), _>(PyError::new("KeyError", "").into())
                }
                _ => Ok(()),
            }
        })
    });
    assert_eq!(result.unwrap_err().to_string(), "KeyError");
}

/// The same, with the coroutine swallowing the error and returning.
/// Ports `test_swallow_context_exception`.
#[test]
fn test_swallow_context_exception() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new(1)).await?.call_none()?;
            let () = co.yield_(Wait::new(1)).await?;
            io_loop().add_callback(zero_division);
            let deadline = io_loop().time() + 10.0;
            let timeout = task::<()>(move |callback| {
                io_loop().add_timeout(deadline, move || callback.call_none());
                Ok(())
            });
            match co.yield_(timeout).await {
                Err(exc) if exc.to_string().starts_with("ZeroDivisionError") => Ok(42),
                _ => Ok(0),
            }
        })
    });
    assert_eq!(result.unwrap(), 42);
}

/// `def inner(callback)`: waits one iteration, then calls back (or raises).
fn inner(callback: ResultCallback, fail: bool) -> Result<(), Exception> {
    drop(coroutine(move |co| async move {
        co.yield_(next_iteration()).await?;
        // A yield point too, so that this coroutine's Runner makes its
        // own stack context (then deactivates it when it finishes).
        co.yield_(Callback::new("k")).await?.call_none()?;
        let () = co.yield_(Wait::new("k")).await?;
        if fail {
            return Err(PyError::new("ZeroDivisionError", "division by zero").into());
        }
        callback.call_none()
    }));
    Ok(())
}

/// Repeated calls of a coroutine that meets yield points leave no stack
/// contexts piled up. Ports `test_stack_context_leak`.
#[test]
fn test_stack_context_leak() {
    let (result, _) = recorded(|| {
        coroutine(move |co| async move {
            // Its own yield point first: the outer coroutine now runs in its
            // Runner's context, which every inner one's is made inside of.
            co.yield_(Callback::new("outer")).await?.call_none()?;
            let () = co.yield_(Wait::new("outer")).await?;
            let initial = Contexts::current().depth();
            assert_eq!(initial, 1);
            for _ in 0..10 {
                co.yield_(task::<()>(|callback| inner(callback, false)))
                    .await?;
            }
            Ok(Contexts::current().depth() - initial)
        })
    });
    assert!(result.unwrap() <= 2);
}

/// The same when each inner coroutine fails. Ports
/// `test_stack_context_leak_exception`.
#[test]
fn test_stack_context_leak_exception() {
    let (result, _) = recorded(|| {
        let initial = Contexts::current().stack_len();
        coroutine(move |co| async move {
            for _ in 0..10 {
                // The inner coroutine's error is logged (nobody waits on its
                // future), so this task never calls back: bound it.
                let _ = co
                    .yield_(ch05_coroutine::with_timeout(
                        io_loop().time() + 1.0,
                        task::<()>(|callback| inner(callback, true)),
                    ))
                    .await;
            }
            Ok(Contexts::current().stack_len() - initial)
        })
    });
    assert!(result.unwrap() <= 2);
}

/// A task's function that runs its callback inside its own `StackContext`
/// does not leave that context on the coroutine. Ports
/// `test_task_transfer_stack_context`.
#[test]
fn test_task_transfer_stack_context() {
    let active: Active = Rc::default();
    let a = active.clone();
    let (result, _) = recorded(move || {
        coroutine(move |co| async move {
            let a2 = a.clone();
            co.yield_(task::<()>(move |callback| {
                let a3 = a2.clone();
                named(&a2, "a")
                    .run(|_| {
                        io_loop().add_callback(move || {
                            assert_eq!(*a3.borrow(), ["a"]);
                            io_loop().add_callback(move || callback.call_none());
                        })
                    })
                    .map(drop)
            }))
            .await?;
            Ok(a.borrow().clone())
        })
    });
    assert!(result.unwrap().is_empty());
}

/// A `yield` inside a `with StackContext` block fails the coroutine with
/// `StackContextInconsistentError`. Ports `test_yield_in_with`.
#[test]
fn test_yield_in_with() {
    let active: Active = Rc::default();
    let (result, _) = recorded(move || {
        coroutine(move |co| async move {
            let _callback = co.yield_(Callback::new("a")).await?;
            let _with = named(&active, "c1").enter()?;
            let () = co.yield_(Wait::new("a")).await?;
            Ok(())
        })
    });
    let error = result.unwrap_err().to_string();
    assert!(
        error.starts_with("StackContextInconsistentError: stack_context inconsistency"),
        "{error}"
    );
}

/// Entering and leaving the block between two yields is fine. Ports
/// `test_yield_outside_with`.
#[test]
fn test_yield_outside_with() {
    let active: Active = Rc::default();
    let (result, _) = recorded(move || {
        coroutine(move |co| async move {
            let callback = co.yield_(Callback::new("k1")).await?;
            named(&active, "c1").run(|_| io_loop().add_callback(move || callback.call_none()))?;
            let () = co.yield_(Wait::new("k1")).await?;
            Ok("done")
        })
    });
    assert_eq!(result.unwrap(), "done");
}

/// The same inconsistency with an `ExceptionStackContext`. Ports
/// `test_yield_in_with_exception_stack_context`.
#[test]
fn test_yield_in_with_exception_stack_context() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            let _with = ExceptionStackContext::new(|_| Ok(false)).enter();
            co.yield_(next_iteration()).await?;
            Ok(())
        })
    });
    let error = result.unwrap_err().to_string();
    assert!(
        error.starts_with("StackContextInconsistentError"),
        "{error}"
    );
}

/// And its fine counterpart. Ports
/// `test_yield_outside_with_exception_stack_context`.
#[test]
fn test_yield_outside_with_exception_stack_context() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            let callback = co.yield_(Callback::new("k1")).await?;
            ExceptionStackContext::new(|_| Ok(false))
                .run(|_| io_loop().add_callback(move || callback.call_none()))?;
            let () = co.yield_(Wait::new("k1")).await?;
            Ok("done")
        })
    });
    assert_eq!(result.unwrap(), "done");
}

/// `run_with_stack_context` runs coroutines in contexts that follow them
/// across their yields and do not leak out. Ports
/// `test_run_with_stack_context`.
#[test]
fn test_run_with_stack_context() {
    let active: Active = Rc::default();
    let a = active.clone();
    let f2 = {
        let a = a.clone();
        move || {
            coroutine(move |co| async move {
                assert_eq!(*a.borrow(), ["c1", "c2"]);
                co.yield_(next_iteration()).await?;
                assert_eq!(*a.borrow(), ["c1", "c2"]);
                Ok(())
            })
        }
    };
    let f1 = {
        let a = a.clone();
        move || {
            coroutine(move |co| async move {
                assert_eq!(*a.borrow(), ["c1"]);
                let f = run_with_stack_context(named(&a, "c2"), f2)?.unwrap();
                co.yield_(f).await?;
                assert_eq!(*a.borrow(), ["c1"]);
                Ok(())
            })
        }
    };
    let (result, _) = recorded(move || {
        coroutine(move |co| async move {
            assert!(a.borrow().is_empty());
            let f = run_with_stack_context(named(&a, "c1"), f1)?.unwrap();
            co.yield_(f).await?;
            Ok(a.borrow().clone())
        })
    });
    assert!(result.unwrap().is_empty());
    assert!(active.borrow().is_empty());
}

/// A `gen.Task` function that calls back, then fails: the failure leaves
/// `task(...)` into the coroutine, which fails with it (Tornado 4.5.3's
/// `handle_exception` declines once the future is done).
#[test]
fn task_function_that_fails_after_calling_back_fails_its_caller() {
    let (result, _) = recorded(|| {
        coroutine(|_co| async move {
            let _future = task::<i32>(|callback| {
                callback.call(1)?;
                Err(PyError::new("ValueError", "after calling back").into())
            });
            Ok("not reached")
        })
    });
    assert_eq!(
        result.unwrap_err().to_string(),
        "ValueError: after calling back"
    );
}

/// A loop callback that fails before a `gen.Callback`'s callback is called
/// is thrown into the waiting coroutine (it was logged, and the coroutine
/// left waiting, before stack contexts).
#[test]
fn callback_failing_before_gen_callback_is_thrown_into_the_waiter() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let _callback = co.yield_(Callback::new("k")).await?;
            io_loop().add_callback(|| -> () { panic!("before calling back") });
            match co.yield_(Wait::<()>::new("k")).await {
                Err(exc) => Ok(exc.to_string()),
                Ok(()) => Ok("not reached".to_string()),
            }
        })
    });
    assert_eq!(result.unwrap(), "panic: before calling back");
    assert!(!recording.to_string().contains("ERROR"), "{recording}");
}

/// The same callback scheduled through `spawn_callback` carries no
/// context: the failure is only logged and the coroutine keeps waiting
/// (here until `run_sync`'s timeout).
#[test]
fn spawned_callback_failing_is_only_logged() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let _callback = co.yield_(Callback::new("k")).await?;
            io_loop().spawn_callback(|| -> () { panic!("spawned") });
            co.yield_(Wait::<()>::new("k")).await
        })
    });
    assert!(result.unwrap_err().to_string().starts_with("TimeoutError"));
    assert!(
        recording.to_string().contains("panic: spawned"),
        "{recording}"
    );
}

/// Once the coroutine has finished, its Runner's context is deactivated:
/// a callback it scheduled that fails afterwards is only logged.
#[test]
fn callback_failing_after_the_coroutine_finished_is_logged() {
    let (result, recording) = recorded(|| {
        let finished = coroutine(|co| async move {
            co.yield_(Callback::new("k")).await?.call_none()?;
            let () = co.yield_(Wait::new("k")).await?;
            io_loop().add_callback(zero_division);
            Ok(())
        });
        coroutine(move |co| async move {
            co.yield_(finished).await?;
            co.yield_(next_iteration()).await?;
            Ok("outlived")
        })
    });
    assert_eq!(result.unwrap(), "outlived");
    assert!(
        recording
            .to_string()
            .contains("ERROR tornado.application: Exception in callback"),
        "{recording}"
    );
}
