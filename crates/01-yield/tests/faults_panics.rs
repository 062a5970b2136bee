//! A panic in a generator's body is the exception Python would raise there:
//! it comes out of the resumption, and the generator is finished.

use std::cell::Cell;
use std::error::Error;
use std::fmt;
use std::rc::Rc;

use ch01_yield::{
    Exception, Gen, Generator, GeneratorError, GeneratorExit, GeneratorState, Lifecycle, Panic,
    Stage, catch_panic,
};

fn panic_message(exc: &Exception) -> &str {
    &exc.downcast_ref::<Panic>()
        .expect("the error should be a caught panic")
        .message
}

/// Asserts Python's behaviour of a finished generator: `next` is
/// `StopIteration`, `close` does nothing.
fn assert_finished(g: &mut Gen<i32, i32, ()>) {
    assert_eq!(g.stage(), Stage::Finished);
    let exc = g.next().unwrap_err();
    assert_eq!(exc.downcast_ref(), Some(&GeneratorError::StopIteration));
    assert!(g.close().is_ok());
}

/// A body that panics before its first yield: `next` raises the panic and
/// the generator is finished (Python: `next` raises, then `StopIteration`).
#[test]
fn panic_before_first_yield_raises_from_next_and_finishes_the_generator() {
    let mut g: Gen<i32, i32, ()> = Gen::new(|_co| async move { panic!("boom before") });
    let exc = g.next().unwrap_err();
    assert_eq!(panic_message(&exc), "boom before");
    assert_eq!(exc.to_string(), "panic: boom before");
    assert_finished(&mut g);
}

/// A body that panics after a yield: `send` raises it, and the next `next`
/// is `StopIteration`, not a panic inside the library ("`async fn` resumed
/// after panicking").
#[test]
fn panic_after_yield_raises_from_send_and_finishes_the_generator() {
    let mut g: Gen<i32, i32, ()> = Gen::new(|co| async move {
        let x = co.yield_(1).await?;
        panic!("boom after, sent {x}")
    });
    assert_eq!(g.next().unwrap(), GeneratorState::Yielded(1));
    let exc = g.send(7).unwrap_err();
    assert_eq!(panic_message(&exc), "boom after, sent 7");
    assert_finished(&mut g);
}

/// A body whose clean-up panics while `close` throws `GeneratorExit` in:
/// `close` raises the panic, and the generator is finished (Python: `close`
/// raises, then `next` is `StopIteration` and `close` does nothing).
#[test]
fn panic_inside_close_raises_from_close_and_finishes_the_generator() {
    let mut g: Gen<i32, i32, ()> = Gen::new(|co| async move {
        match co.yield_(1).await {
            Err(exc) if exc.is::<GeneratorExit>() => panic!("boom in clean-up"),
            other => other.map(drop),
        }
    });
    g.next().unwrap();
    let exc = g.close().unwrap_err();
    assert_eq!(panic_message(&exc), "boom in clean-up");
    assert_finished(&mut g);
}

/// Counts how many of its clones are alive.
struct Witness(Rc<Cell<u32>>);

impl Drop for Witness {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// A generator that panicked frees its locals at once, not when the `Gen`
/// is dropped: Python drops a finished generator's frame.
#[test]
fn generator_that_panicked_frees_its_locals() {
    let alive = Rc::new(Cell::new(1));
    let witness = Witness(alive.clone());
    let mut g: Gen<i32, i32, ()> = Gen::new(move |co| async move {
        let _witness = witness;
        co.yield_(1).await?;
        panic!("boom")
    });
    g.next().unwrap();
    assert_eq!(alive.get(), 1, "suspended: the local is alive");
    g.send(0).unwrap_err();
    assert_eq!(alive.get(), 0, "finished: the local is freed");
    drop(g);
}

/// The rule lives in `Lifecycle::resume`, so every generator gets it, not
/// only `Gen`: a hand-written body that panics raises and is finished.
#[test]
fn lifecycle_turns_a_panicking_body_into_an_exception_and_finishes() {
    let mut lifecycle = Lifecycle::new();
    let outcome: Result<GeneratorState<i32, ()>, Exception> =
        lifecycle.resume::<i32, i32, ()>(ch01_yield::Resume::Next, |_| panic!("hand-written"));
    assert_eq!(panic_message(&outcome.unwrap_err()), "hand-written");
    assert_eq!(lifecycle.stage(), Stage::Finished);
}

/// An unfinished exercise (`todo!()`) in a generator body fails the step
/// with a message that says so, and finishes the generator.
#[test]
fn todo_in_a_body_raises_its_message() {
    let mut g: Gen<i32, i32, ()> = Gen::new(|co| async move {
        co.yield_(1).await?;
        todo!("write the loop")
    });
    g.next().unwrap();
    let exc = g.next().unwrap_err();
    assert_eq!(panic_message(&exc), "not yet implemented: write the loop");
    assert_finished(&mut g);
}

/// An error whose `Display` panics.
#[derive(Debug)]
struct PanickyDisplay;

impl fmt::Display for PanickyDisplay {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("Display exploded")
    }
}

impl Error for PanickyDisplay {}

/// An error whose `Display` returns `Err` (a `format!` of it would panic).
#[derive(Debug)]
struct FailingDisplay;

impl fmt::Display for FailingDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("half")?;
        Err(fmt::Error)
    }
}

impl Error for FailingDisplay {}

/// An exception whose `Display` panics formats as a stand-in naming the
/// panic (Python prints `<exception str() failed>`), instead of panicking
/// in whoever logs it.
#[test]
fn exception_whose_display_panics_formats_as_a_stand_in() {
    let exc = Exception::new(PanickyDisplay);
    assert_eq!(
        exc.to_string(),
        "<exception str() failed: panic: Display exploded>"
    );
    assert_eq!(
        format!("{exc:?}"),
        "Exception(<exception str() failed: panic: Display exploded>)"
    );
}

/// An exception whose `Display` returns `Err` formats as a stand-in, and
/// none of its half-written text.
#[test]
fn exception_whose_display_errors_formats_as_a_stand_in() {
    let exc = Exception::new(FailingDisplay);
    assert_eq!(
        exc.to_string(),
        "<exception str() failed: its Display returned an error>"
    );
}

/// A panic payload whose `Drop` panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("payload drop exploded")
    }
}

/// `panic_any` with a payload whose `Drop` panics: `catch_panic` still
/// returns the first panic, and the second is named in its message instead
/// of escaping.
#[test]
fn panic_payload_whose_drop_panics_is_contained() {
    let exc = catch_panic(|| std::panic::panic_any(Bomb)).unwrap_err();
    assert_eq!(
        panic_message(&exc),
        "<non-string panic payload> (then dropping the panic's payload panicked: \
         payload drop exploded)"
    );
}

/// Panics in `Drop`.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("second cause, from a Drop")
    }
}

const CHILD: &str = "CH01_PANIC_DURING_UNWINDING_CHILD";

/// A destructor that panics while a caught panic unwinds aborts the process
/// (Rust cannot survive it), but the first panic, which the quiet hook would
/// have hidden, is printed before the abort. Runs the case in a child
/// process: this test binary, re-run with an environment variable.
#[test]
fn panic_during_unwinding_aborts_but_prints_the_first_cause() {
    if std::env::var_os(CHILD).is_some() {
        let _ = catch_panic(|| {
            let _local = PanicOnDrop;
            panic!("first cause, the real one")
        });
        unreachable!("Rust aborts on a panic during unwinding");
    }
    let output = testkit::rerun_this_test(
        "panic_during_unwinding_aborts_but_prints_the_first_cause",
        CHILD,
        None,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the child should abort: {stderr}");
    let first = stderr
        .find("first cause, the real one")
        .unwrap_or_else(|| panic!("the first cause is printed: {stderr}"));
    let second = stderr
        .find("second cause, from a Drop")
        .unwrap_or_else(|| panic!("the second cause is printed: {stderr}"));
    assert!(first < second, "first cause printed first: {stderr}");
}

/// An unfinished exercise (the student edition's `todo!("ex01.1: ...")`) is
/// not an exception: `catch_panic` lets it unwind on, so the test that
/// reaches it stops there, naming the exercise.
#[test]
fn an_unfinished_exercise_is_not_caught() {
    let outer = std::panic::catch_unwind(|| {
        let _ = catch_panic(|| -> () { todo!("ex01.1: a title; hint: a hint") });
        unreachable!("catch_panic returned");
    })
    .unwrap_err();
    let message = (outer.downcast_ref::<String>().map(String::as_str))
        .or_else(|| outer.downcast_ref::<&str>().copied())
        .unwrap();
    assert_eq!(
        message,
        "not yet implemented: ex01.1: a title; hint: a hint"
    );
    // Any other todo! is an exception like any panic.
    let exc = catch_panic(|| -> () { todo!("later") }).unwrap_err();
    assert_eq!(exc.to_string(), "panic: not yet implemented: later");
}
