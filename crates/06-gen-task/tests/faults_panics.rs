//! The callback world's user code may panic too: a `task` function, a
//! `Task`'s function, a `YieldPoint`'s `start`, `is_ready` or `get_result`,
//! the code that calls a handed-out callback. Each panic is the exception
//! Tornado 4.5.3 would deliver, and goes where Tornado delivers it (each
//! case was first run under real Tornado 4.5.3 with a `raise`).

mod common;

use common::{fake_loop, recorded};

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{Recording, say};
use ch01_yield::{Exception, Panic, catch_panic};
use ch02_future::Future;
use ch04_runner::{Value, Yieldable, Yielded};
use ch05_coroutine::{coroutine, moment};
use ch06_gen_task::{Callback, Key, ResultCallback, Runner, Task, YieldPoint, task, yielded};

/// Panics with `message`: a function's last expression, of whatever type.
fn panics<T>(message: &str) -> T {
    panic!("{message}")
}

fn panic_message(exc: &Exception) -> String {
    exc.downcast_ref::<Panic>()
        .unwrap_or_else(|| panic!("the error should be a caught panic, not {exc}"))
        .message
        .clone()
}

/// Did the program print a line ending with `text`?
fn printed(recording: &Recording, text: &str) -> bool {
    recording.prints().iter().any(|line| line.ends_with(text))
}

/// A coroutine that yields `point` and says what its `yield` evaluated to.
fn yield_and_report<P: Yieldable<Output = i32> + 'static>(point: P) -> Future<String> {
    coroutine(|co| async move {
        Ok(match co.yield_(point).await {
            Ok(value) => format!("got {value}"),
            Err(exc) => format!("caught {exc}"),
        })
    })
}

/// gen_test's Task with a `func` that raises at once: Tornado 4.5.3's
/// `gen.Task` fails its future (`handle_exception`). A panic does the same.
#[test]
fn task_function_that_panics_fails_its_future() {
    let _io_loop = fake_loop();
    let future = task::<i32>(|_callback| panics("task function"));
    let exc = future.exception().unwrap().unwrap();
    assert_eq!(panic_message(&exc), "task function");
}

/// A `func` that delivers its result, then panics: `handle_exception`
/// declines (the future is done), so the panic leaves `task(...)` into its
/// caller, as Tornado 4.5.3 raises it out of `gen.Task(...)`.
#[test]
fn task_function_that_panics_after_calling_back_raises_it_to_the_caller() {
    let (outcome, _) = ch00_trace::record(|| {
        let _io_loop = fake_loop();
        catch_panic(|| {
            task::<i32>(|callback| {
                callback.call(1)?;
                panics("after the callback")
            })
        })
    });
    let exc = outcome.map(drop).unwrap_err();
    assert_eq!(panic_message(&exc), "after the callback");
}

/// A `Task` yield point whose function panics: the panic is thrown into the
/// generator at its `yield` (Tornado: `start_yield_point`'s `except
/// Exception:`), where the coroutine may catch it.
#[test]
fn task_yield_point_whose_function_panics_is_thrown_in_at_the_yield() {
    let (result, _) =
        recorded(|| yield_and_report(Task::<i32>::new(|_callback| panics("Task function"))));
    assert_eq!(result.unwrap(), "caught panic: Task function");
}

/// Where a [`Faulty`] yield point panics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    Start,
    IsReadyAtStart,
    IsReadyWhenCalled,
    GetResultWhenCalled,
}

/// A yield point that waits for its own callback (which a loop timer calls
/// with 5) and panics in one of its methods.
struct Faulty {
    fault: Fault,
    key: Key,
}

impl Faulty {
    fn new(fault: Fault) -> Self {
        Faulty {
            fault,
            key: Key::unique(),
        }
    }
}

impl YieldPoint for Faulty {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        if self.fault == Fault::Start {
            panics::<()>("start");
        }
        runner.register_callback(self.key.clone())?;
        let callback = ResultCallback::new(runner.result_callback(self.key.clone()));
        runner
            .io_loop()
            .upgrade()
            .unwrap()
            .call_later(0.01, move || {
                let outcome = callback.call(5);
                say!("the callback call returned {outcome:?}");
                Ok::<(), Exception>(())
            });
        Ok(())
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        match self.fault {
            Fault::IsReadyAtStart => panics("is_ready at start"),
            Fault::IsReadyWhenCalled if runner.is_ready(&self.key)? => {
                panics("is_ready once called")
            }
            _ => runner.is_ready(&self.key),
        }
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        if self.fault == Fault::GetResultWhenCalled {
            return panics("get_result");
        }
        runner.pop_result(&self.key)
    }

    fn describe(&self) -> String {
        "Faulty".to_string()
    }
}

impl Yieldable for Faulty {
    type Output = i32;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// A yield point whose `start` panics: thrown in at the `yield` (Tornado
/// 4.5.3, a `YieldPoint` whose `start` raises).
#[test]
fn yield_point_whose_start_panics_is_thrown_in_at_the_yield() {
    let (result, _) = recorded(|| yield_and_report(Faulty::new(Fault::Start)));
    assert_eq!(result.unwrap(), "caught panic: start");
}

/// A yield point whose `is_ready` panics as it starts: thrown in at the
/// `yield` (Tornado 4.5.3, a `YieldPoint` whose `is_ready` raises).
#[test]
fn yield_point_whose_is_ready_panics_at_start_is_thrown_in_at_the_yield() {
    let (result, _) = recorded(|| yield_and_report(Faulty::new(Fault::IsReadyAtStart)));
    assert_eq!(result.unwrap(), "caught panic: is_ready at start");
}

/// A yield point whose `is_ready` panics when its callback is called: the
/// Runner's `handle_exception` throws it in at the `yield`, and the call of
/// the callback returns normally (Tornado 4.5.3, same program).
#[test]
fn yield_point_whose_is_ready_panics_when_called_back_is_thrown_in() {
    let (result, recording) = recorded(|| yield_and_report(Faulty::new(Fault::IsReadyWhenCalled)));
    assert_eq!(result.unwrap(), "caught panic: is_ready once called");
    assert!(
        printed(&recording, "the callback call returned Ok(())"),
        "{recording}"
    );
}

/// A yield point whose `get_result` panics when its callback is called: its
/// future fails (`set_result`'s `except:`), so the panic is thrown in at the
/// `yield`, and the call of the callback returns normally.
#[test]
fn yield_point_whose_get_result_panics_when_called_back_is_thrown_in() {
    let (result, recording) =
        recorded(|| yield_and_report(Faulty::new(Fault::GetResultWhenCalled)));
    assert_eq!(result.unwrap(), "caught panic: get_result");
    assert!(
        printed(&recording, "the callback call returned Ok(())"),
        "{recording}"
    );
}

/// A `Callback`'s callback handed to a function that panics inside the body:
/// the body raised, so the coroutine fails with the panic (no
/// `LeakedCallbackError`: that is checked only when a generator returns).
#[test]
fn callback_whose_caller_panics_in_the_body_fails_the_coroutine() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            let callback = co.yield_(Callback::new("k")).await?;
            let caller = |_callback: ResultCallback| panics::<()>("the caller");
            caller(callback);
            Ok(())
        })
    });
    assert_eq!(panic_message(&result.unwrap_err()), "the caller");
}

/// A callback whose call resumes the generator, which then panics: the
/// panic fails the coroutine, and the caller's call returns normally, so the
/// caller goes on (Tornado: `Runner.run` catches what the generator raises).
#[test]
fn callback_call_that_resumes_a_panicking_generator_returns_normally() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let callback = co.yield_(Callback::new("k")).await?;
            let outcome = Rc::new(RefCell::new(None));
            let seen = outcome.clone();
            ch03_ioloop::IOLoop::current()
                .unwrap()
                .add_callback(move || {
                    *seen.borrow_mut() = Some(callback.call(5));
                    say!("the caller goes on");
                    Ok::<(), Exception>(())
                });
            let value: i32 = co.yield_(ch06_gen_task::Wait::new("k")).await?;
            panics::<Result<(), Exception>>(&format!("resumed with {value}"))
        })
    });
    assert_eq!(panic_message(&result.unwrap_err()), "resumed with 5");
    assert!(printed(&recording, "the caller goes on"), "{recording}");
}

/// A yield point that is not the coroutine's first is started at once, not
/// from the next iteration: a panic in its `start` is thrown in all the same.
#[test]
fn later_yield_point_whose_start_panics_is_thrown_in_at_the_yield() {
    let (result, _) = recorded(|| {
        coroutine(|co| async move {
            let callback = co.yield_(Callback::new("k")).await?;
            callback.call(1)?;
            let _: i32 = co.yield_(ch06_gen_task::Wait::new("k")).await?;
            co.yield_(moment()).await?;
            Ok(match co.yield_(Faulty::new(Fault::Start)).await {
                Ok(value) => format!("got {value}"),
                Err(exc) => format!("caught {exc}"),
            })
        })
    });
    assert_eq!(result.unwrap(), "caught panic: start");
}

/// A yield point whose `describe` panics.
struct PanickyDescribe;

impl YieldPoint for PanickyDescribe {
    fn start(&mut self, _runner: &Runner) -> Result<(), Exception> {
        Ok(())
    }

    fn is_ready(&mut self, _runner: &Runner) -> Result<bool, Exception> {
        Ok(true)
    }

    fn get_result(&mut self, _runner: &Runner) -> Result<Value, Exception> {
        Ok(Value::new(7))
    }

    fn describe(&self) -> String {
        panics("describe")
    }
}

impl Yieldable for PanickyDescribe {
    type Output = i32;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// `describe` runs only to name the yield point in a recording: when it
/// panics, the recording shows a stand-in and the coroutine goes on.
#[test]
fn yield_point_whose_describe_panics_is_named_by_a_stand_in() {
    let (result, recording) = recorded(|| yield_and_report(PanickyDescribe));
    assert_eq!(result.unwrap(), "got 7");
    assert!(
        recording
            .to_string()
            .contains("starts <describe() failed: panic: describe>"),
        "{recording}"
    );
}
