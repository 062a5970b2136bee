//! A coroutine body that panics has raised: the panic is the exception
//! `@gen.coroutine` (or `@gen.engine`) delivers, where Tornado 4.5.3
//! delivers an exception.

use ch00_trace::record;
use ch01_yield::{Exception, Panic};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, engine, moment};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// Panics with `message`: a body's last expression, of whatever type.
fn panics<T>(message: &str) -> T {
    panic!("{message}")
}

fn panic_message(exc: &Exception) -> String {
    exc.downcast_ref::<Panic>()
        .unwrap_or_else(|| panic!("the error should be a caught panic, not {exc}"))
        .message
        .clone()
}

/// A body that panics before its first yield: `coroutine` returns, with a
/// future already failed with the panic (the wrapper's `except Exception:
/// future.set_exc_info(...)`), instead of letting it escape.
#[test]
fn panic_before_first_yield_fails_the_returned_future() {
    let _io_loop = fake_loop();
    let future: Future<i32> = coroutine(|_co| async move { panics("before the first yield") });
    assert!(future.done());
    let exc = future.exception().unwrap().unwrap();
    assert_eq!(panic_message(&exc), "before the first yield");
}

/// The part of the closure outside its `async` block is the call of the
/// function (`result = func(*args, **kwargs)`): a panic there fails the
/// returned future too.
#[test]
fn panic_in_the_closure_before_its_body_fails_the_returned_future() {
    let _io_loop = fake_loop();
    let future: Future<i32> = coroutine(|co| {
        panics::<()>("while calling the function");
        async move {
            co.yield_(moment()).await?;
            Ok(1)
        }
    });
    let exc = future.exception().unwrap().unwrap();
    assert_eq!(panic_message(&exc), "while calling the function");
}

/// A body that panics after a yield fails the future through the Runner;
/// `run_sync` returns the panic at once: the fake clock never moved, so no
/// timeout was involved.
#[test]
fn panic_after_yield_fails_the_future_and_run_sync_returns_it() {
    let io_loop = fake_loop();
    let exc = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(moment()).await?;
                    panics::<Result<i32, Exception>>("after a yield")
                })
            },
            Some(60.0),
        )
        .unwrap_err();
    assert_eq!(panic_message(&exc), "after a yield");
    assert_eq!(io_loop.time(), 0.0);
}

/// An exercise of the student edition, not written yet.
fn the_answer() -> i32 {
    todo!("exercise 5.1: return the answer")
}

/// An unfinished exercise: a `todo!()` inside a coroutine fails `run_sync`
/// at once, with the `todo!` text in the message, and never hangs.
#[test]
fn todo_in_a_coroutine_fails_run_sync_at_once_with_its_message() {
    let io_loop = fake_loop();
    let exc = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(moment()).await?;
                    Ok(the_answer())
                })
            },
            Some(60.0),
        )
        .unwrap_err();
    assert_eq!(
        exc.to_string(),
        "panic: not yet implemented: exercise 5.1: return the answer"
    );
    assert_eq!(io_loop.time(), 0.0, "failed at once, not by the timeout");
}

/// A coroutine waiting on one whose body panicked resumes with the panic
/// thrown in at its `yield`, and can catch it like any exception.
#[test]
fn waiter_of_a_panicked_coroutine_resumes_with_the_error() {
    let io_loop = fake_loop();
    let caught = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    let inner: Future<i32> = coroutine(|co| async move {
                        co.yield_(moment()).await?;
                        panics("inner")
                    });
                    match co.yield_(inner).await {
                        Ok(_) => Ok("no error".to_string()),
                        Err(exc) => Ok(format!("caught {exc}")),
                    }
                })
            },
            Some(60.0),
        )
        .unwrap();
    assert_eq!(caught, "caught panic: inner");
}

/// gen_test `test_exception_phase1`, with a panic: an engine that panics
/// before its first yield returns it to its caller (Tornado raises it to the
/// caller), instead of unwinding through it.
#[test]
fn engine_panic_before_first_yield_is_returned_to_the_caller() {
    let _io_loop = fake_loop();
    let exc = engine(|_co| async move { panics("engine phase 1") }).unwrap_err();
    assert_eq!(panic_message(&exc), "engine phase 1");
}

/// gen_test `test_exception_phase2`, with a panic: after the first yield the
/// future logs it from its done-callback (Tornado's `Exception in callback
/// ... for <Future>`), and the loop goes on to run what comes next.
#[test]
fn engine_panic_after_yield_is_logged_and_the_loop_goes_on() {
    let (went_on, recording) = record(|| {
        let io_loop = fake_loop();
        engine(|co| async move {
            co.yield_(moment()).await?;
            panics("engine phase 2")
        })
        .unwrap();
        io_loop
            .run_sync(
                || {
                    coroutine(|co| async move {
                        co.yield_(moment()).await?;
                        co.yield_(moment()).await?;
                        Ok(true)
                    })
                },
                Some(60.0),
            )
            .unwrap()
    });
    assert!(went_on);
    let text = recording.to_string();
    assert!(
        text.contains("ERROR tornado.application: Exception in callback")
            && text.contains("panic: engine phase 2"),
        "{text}"
    );
}

/// An error whose `Display` panics.
#[derive(Debug)]
struct PanickyDisplay;

impl std::fmt::Display for PanickyDisplay {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("Display exploded")
    }
}

impl std::error::Error for PanickyDisplay {}

/// A coroutine that fails with an error whose `Display` panics, run by an
/// engine after its first yield: the future's done-callback logs it with a
/// stand-in for the text, and the loop goes on.
#[test]
fn error_whose_display_panics_is_logged_with_a_stand_in_and_the_loop_goes_on() {
    let (went_on, recording) = record(|| {
        let io_loop = fake_loop();
        engine(|co| async move {
            co.yield_(moment()).await?;
            Err(Exception::new(PanickyDisplay))
        })
        .unwrap();
        io_loop
            .run_sync(
                || {
                    coroutine(|co| async move {
                        co.yield_(moment()).await?;
                        co.yield_(moment()).await?;
                        Ok(true)
                    })
                },
                Some(60.0),
            )
            .unwrap()
    });
    assert!(went_on);
    assert!(
        recording
            .to_string()
            .contains("<exception str() failed: panic: Display exploded>"),
        "{recording}"
    );
}

/// Panics in `Drop`.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("second cause, a local's Drop")
    }
}

const CHILD: &str = "CH05_PANIC_DURING_UNWINDING_CHILD";

/// A coroutine body whose local panics in `Drop` while the body's own panic
/// unwinds: Rust aborts the process (it cannot be caught), but the body's
/// panic, the real cause, is printed before the abort. Run in a child
/// process: this test binary, re-run with an environment variable.
#[test]
fn body_whose_local_panics_in_drop_while_unwinding_aborts_printing_the_cause() {
    if std::env::var_os(CHILD).is_some() {
        let io_loop = fake_loop();
        let _ = io_loop.run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(moment()).await?;
                    let _local = PanicOnDrop;
                    panics::<Result<(), Exception>>("first cause, the body's panic")
                })
            },
            Some(60.0),
        );
        unreachable!("Rust aborts on a panic during unwinding");
    }
    let output = testkit::rerun_this_test(
        "body_whose_local_panics_in_drop_while_unwinding_aborts_printing_the_cause",
        CHILD,
        None,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the child should abort: {stderr}");
    let first = stderr
        .find("first cause, the body's panic")
        .unwrap_or_else(|| panic!("the first cause is printed: {stderr}"));
    let second = stderr
        .find("second cause, a local's Drop")
        .unwrap_or_else(|| panic!("the second cause is printed: {stderr}"));
    assert!(first < second, "first cause printed first: {stderr}");
}
