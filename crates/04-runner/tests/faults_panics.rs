//! A generator that panics under a Runner has raised: `Runner.run`'s
//! `except Exception:` fails the result future with it.

use std::rc::Rc;

use ch01_yield::{Exception, Generator, GeneratorState, Panic, Resume};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch04_runner::{Object, Runner, Value, Yieldable, Yielded, generator, moment};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// What `coroutine` does, by hand: first step, then a Runner.
fn start<R: Clone + 'static>(
    mut generator_: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> (Future<R>, Option<Runner>) {
    let result = Future::new();
    match generator_.next().unwrap() {
        GeneratorState::Yielded(first) => {
            let runner = Runner::new(generator_, result.clone(), first);
            (result, Some(runner))
        }
        GeneratorState::Complete(value) => {
            result.set_result(value).unwrap();
            (result, None)
        }
    }
}

/// Panics with `message`: a body's last expression, of whatever type.
fn panics<T>(message: &str) -> T {
    panic!("{message}")
}

fn panic_message(exc: &Exception) -> String {
    exc.downcast_ref::<Panic>()
        .expect("the error should be a caught panic")
        .message
        .clone()
}

/// A body that panics after a yield fails `result_future` with the panic,
/// the Runner is finished, and `run_sync` returns the error instead of
/// waiting forever (gen_test `test_exception_phase2`, with a panic).
#[test]
fn panic_after_yield_fails_the_result_future() {
    let io_loop = fake_loop();
    let runner = Rc::new(std::cell::RefCell::new(None));
    let kept = runner.clone();
    let outcome = io_loop.run_sync(
        move || {
            let (result, runner) = start(generator(|co| async move {
                co.yield_(moment()).await?;
                panics::<Result<(), Exception>>("boom after a yield")
            }));
            *kept.borrow_mut() = runner;
            result
        },
        Some(60.0),
    );
    let exc = outcome.unwrap_err();
    assert_eq!(panic_message(&exc), "boom after a yield");
    assert!(runner.borrow().as_ref().unwrap().finished());
}

/// What waits on a coroutine whose body panicked resumes with the error,
/// and may catch it like any exception.
#[test]
fn waiter_of_a_panicked_generator_gets_the_panic_thrown_in() {
    let io_loop = fake_loop();
    let caught = io_loop
        .run_sync(
            || {
                let (inner, _) = start(generator(|co| async move {
                    co.yield_(moment()).await?;
                    panics::<Result<i32, Exception>>("inner panicked")
                }));
                start(generator(move |co| async move {
                    match co.yield_(inner).await {
                        Ok(_) => Ok(String::from("no error")),
                        Err(exc) => Ok(format!("caught {exc}")),
                    }
                }))
                .0
            },
            Some(60.0),
        )
        .unwrap();
    assert_eq!(caught, "caught panic: inner panicked");
}

/// A hand-written generator, with no `Lifecycle` to catch for it, whose
/// `resume` panics: the Runner catches the panic itself.
struct PanicsOnSecondStep {
    steps: u32,
}

impl Generator for PanicsOnSecondStep {
    type Yield = Yielded;
    type Send = Value;
    type Return = ();

    fn resume(&mut self, _how: Resume<Value>) -> Result<GeneratorState<Yielded, ()>, Exception> {
        self.steps += 1;
        if self.steps == 1 {
            return Ok(GeneratorState::Yielded(moment().into_yielded()));
        }
        panic!("hand-written generator panicked")
    }
}

/// The Runner catches a panic from any `Generator`, not only from those
/// built on chapter 01's `Lifecycle`.
#[test]
fn runner_catches_a_panic_from_a_hand_written_generator() {
    let io_loop = fake_loop();
    let exc = io_loop
        .run_sync(|| start(PanicsOnSecondStep { steps: 0 }).0, Some(60.0))
        .unwrap_err();
    assert_eq!(panic_message(&exc), "hand-written generator panicked");
}

/// A panic while the Runner throws a failed future's exception in: the
/// panic, not the thrown exception, fails the result future, as Python's
/// `except` handler raising anew would.
#[test]
fn panic_while_handling_a_thrown_exception_fails_the_result_future() {
    let io_loop = fake_loop();
    let exc = io_loop
        .run_sync(
            || {
                let failed = Future::<i32>::new();
                failed
                    .set_exception(Exception::msg("ValueError", "thrown in"))
                    .unwrap();
                let (result, _) = start(generator(move |co| async move {
                    co.yield_(moment()).await?;
                    if let Err(exc) = co.yield_(failed).await {
                        panic!("while handling {exc}");
                    }
                    Ok(())
                }));
                result
            },
            Some(60.0),
        )
        .unwrap_err();
    assert_eq!(panic_message(&exc), "while handling ValueError: thrown in");
}

/// An object whose `Debug` panics.
struct PanickyDebug;

impl std::fmt::Debug for PanickyDebug {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("Debug exploded")
    }
}

/// An object whose `Debug` returns `Err`.
struct FailingDebug;

impl std::fmt::Debug for FailingDebug {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Err(std::fmt::Error)
    }
}

/// Yielding an unknown object whose `Debug` panics or errors still throws
/// `BadYieldError` in at the `yield` (catchable there), with a stand-in
/// that names the problem in place of the representation.
#[test]
fn bad_yield_of_an_object_whose_debug_fails_is_still_thrown_in() {
    let io_loop = fake_loop();
    let caught = io_loop
        .run_sync(
            || {
                start(generator(|co| async move {
                    let first = co.yield_(Object(PanickyDebug)).await.unwrap_err();
                    let second = co.yield_(Object(FailingDebug)).await.unwrap_err();
                    Ok(vec![first.to_string(), second.to_string()])
                }))
                .0
            },
            Some(60.0),
        )
        .unwrap();
    assert_eq!(
        caught,
        [
            "BadYieldError: yielded unknown object <object repr() failed: panic: Debug exploded>",
            "BadYieldError: yielded unknown object <object repr() failed: its Debug returned an error>",
        ]
    );
}
