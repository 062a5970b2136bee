//! The generator protocol's rules (the twin `tests/tornado/ch01_protocol.py`
//! prints them under Python), on both of the
//! chapter's generators: the hand-written `Echo` and the `async` `Gen`.

use std::cell::Cell;
use std::rc::Rc;

use ch01_yield::{
    Echo, Exception, Gen, Generator, GeneratorError, GeneratorExit, GeneratorState, PyError, Stage,
};

/// `def echo(): while True: x = yield x` with a counter of body starts.
fn echo(started: Rc<Cell<u32>>) -> Gen<i32, i32, ()> {
    Gen::new(move |co| async move {
        started.set(started.get() + 1);
        let mut x = 0;
        loop {
            x = co.yield_(x).await?;
        }
    })
}

fn error_of<T: std::fmt::Debug>(step: Result<T, Exception>) -> Exception {
    step.expect_err("the step should have failed")
}

#[test]
fn calling_runs_no_code_and_next_starts_the_body() {
    let started = Rc::new(Cell::new(0));
    let mut g = echo(started.clone());
    assert_eq!(started.get(), 0);
    assert_eq!(g.stage(), Stage::Unstarted);
    assert_eq!(g.next().unwrap(), GeneratorState::Yielded(0));
    assert_eq!(started.get(), 1);
    assert_eq!(g.stage(), Stage::Suspended);
}

#[test]
fn send_before_start_is_a_type_error_and_the_body_does_not_run() {
    let started = Rc::new(Cell::new(0));
    let mut g = echo(started.clone());
    let exc = error_of(g.send(5));
    assert_eq!(exc.downcast_ref(), Some(&GeneratorError::SendToUnstarted));
    assert_eq!(
        exc.to_string(),
        "TypeError: can't send non-None value to a just-started generator"
    );
    assert_eq!(started.get(), 0);
    // Refused, not finished: it can still be started (as in Python).
    assert_eq!(g.stage(), Stage::Unstarted);
    assert_eq!(g.next().unwrap(), GeneratorState::Yielded(0));

    let mut t = Echo::new();
    assert!(error_of(t.send(Some(1))).is::<GeneratorError>());
}

#[test]
fn send_makes_the_yield_evaluate_to_the_value_and_next_sends_the_default() {
    let mut g = echo(Rc::default());
    g.next().unwrap();
    assert_eq!(g.send(7).unwrap(), GeneratorState::Yielded(7));
    assert_eq!(g.next().unwrap(), GeneratorState::Yielded(0)); // None is 0 here
}

#[test]
fn a_thrown_exception_caught_by_the_body_returns_what_it_yields_next() {
    let mut g: Gen<&str, (), ()> = Gen::new(|co| async move {
        match co.yield_("first").await {
            Err(exc) if exc.is::<PyError>() => co.yield_("caught").await?,
            other => other?,
        }
        Ok(())
    });
    g.next().unwrap();
    let step = g.throw(Exception::msg("ValueError", "bad")).unwrap();
    assert_eq!(step, GeneratorState::Yielded("caught"));
    assert_eq!(g.next().unwrap(), GeneratorState::Complete(()));
}

#[test]
fn an_uncaught_thrown_exception_comes_back_out_the_same_object() {
    let mut g = echo(Rc::default());
    g.next().unwrap();
    let thrown = Exception::msg("KeyError", "k");
    let raised = error_of(g.throw(thrown.clone()));
    assert!(raised.ptr_eq(&thrown));
    assert_eq!(g.stage(), Stage::Finished);
}

#[test]
fn the_return_value_completes_the_generator() {
    let mut g: Gen<(), (), i32> = Gen::new(|co| async move {
        co.yield_(()).await?;
        Ok(42)
    });
    g.next().unwrap();
    assert_eq!(g.next().unwrap(), GeneratorState::Complete(42));
    assert_eq!(g.stage(), Stage::Finished);
}

#[test]
fn a_body_that_never_yields_returns_on_the_first_next() {
    // gen_test's test_async_early_return: no `yield` reached, still a generator.
    let mut g: Gen<(), (), &str> = Gen::new(|_co| async move { Ok("early") });
    assert_eq!(g.next().unwrap(), GeneratorState::Complete("early"));
}

#[test]
fn resuming_a_finished_generator_is_stop_iteration_and_throw_raises() {
    let mut g: Gen<(), (), ()> = Gen::new(|_co| async move { Ok(()) });
    g.next().unwrap();
    let exc = error_of(g.next());
    assert_eq!(exc.downcast_ref(), Some(&GeneratorError::StopIteration));
    assert_eq!(exc.to_string(), "StopIteration");
    assert!(error_of(g.send(())).is::<GeneratorError>());
    let thrown = Exception::msg("ValueError", "late");
    assert!(error_of(g.throw(thrown.clone())).ptr_eq(&thrown));
}

#[test]
fn throw_into_an_unstarted_generator_raises_at_once_and_finishes_it() {
    let started = Rc::new(Cell::new(0));
    let mut g = echo(started.clone());
    let exc = error_of(g.throw(Exception::msg("ValueError", "early")));
    assert_eq!(exc.to_string(), "ValueError: early");
    assert_eq!(started.get(), 0);
    assert_eq!(g.stage(), Stage::Finished);
    assert!(error_of(g.next()).is::<GeneratorError>());
}

/// A body with clean-up (`try: ... finally: cleaned = True`).
fn with_cleanup(cleaned: Rc<Cell<bool>>) -> Gen<(), (), ()> {
    Gen::new(move |co| async move {
        let outcome = async {
            loop {
                co.yield_(()).await?;
            }
        }
        .await;
        cleaned.set(true);
        outcome
    })
}

#[test]
fn close_throws_generator_exit_so_the_clean_up_runs() {
    let cleaned = Rc::new(Cell::new(false));
    let mut g = with_cleanup(cleaned.clone());
    g.next().unwrap();
    g.close().unwrap();
    assert!(cleaned.get());
    assert_eq!(g.stage(), Stage::Finished);
    g.close().unwrap(); // closing a finished generator does nothing
}

#[test]
fn close_on_an_unstarted_generator_runs_nothing_and_finishes_it() {
    let cleaned = Rc::new(Cell::new(false));
    let mut g = with_cleanup(cleaned.clone());
    g.close().unwrap();
    assert!(!cleaned.get());
    assert!(error_of(g.next()).is::<GeneratorError>());
}

#[test]
fn yielding_in_response_to_close_is_a_runtime_error() {
    let mut g: Gen<i32, (), ()> = Gen::new(|co| async move {
        loop {
            // Catches everything, GeneratorExit too, and carries on.
            let _ = co.yield_(1).await;
        }
    });
    g.next().unwrap();
    let exc = error_of(g.close());
    assert_eq!(
        exc.downcast_ref(),
        Some(&GeneratorError::IgnoredGeneratorExit)
    );
    assert_eq!(
        exc.to_string(),
        "RuntimeError: generator ignored GeneratorExit"
    );
    assert_eq!(g.stage(), Stage::Suspended);
}

#[test]
fn an_error_raised_while_closing_comes_out_of_close() {
    let mut g: Gen<(), (), ()> = Gen::new(|co| async move {
        match co.yield_(()).await {
            Err(exc) if exc.is::<GeneratorExit>() => Err(PyError::new("OSError", "flush").into()),
            other => other,
        }
    });
    g.next().unwrap();
    assert_eq!(error_of(g.close()).to_string(), "OSError: flush");
}

#[test]
fn awaiting_anything_but_yield_is_a_runtime_error_that_ends_the_generator() {
    let mut g: Gen<(), (), ()> = Gen::new(|_co| async move {
        std::future::pending::<()>().await;
        Ok(())
    });
    let exc = error_of(g.next());
    assert_eq!(exc.downcast_ref(), Some(&GeneratorError::ForeignAwait));
    assert_eq!(g.stage(), Stage::Finished);
}

#[test]
fn a_finished_body_is_freed_at_once() {
    // The block owns what it captured; once it has returned, that is dropped
    // even while the `Gen` itself lives on (a Python frame is freed likewise).
    let held = Rc::new(());
    let mut g: Gen<(), (), ()> = Gen::new({
        let held = held.clone();
        move |_co| async move {
            let _held = held;
            Ok(())
        }
    });
    assert_eq!(Rc::strong_count(&held), 2);
    g.next().unwrap();
    assert_eq!(Rc::strong_count(&held), 1);
}

#[test]
fn the_state_machine_and_the_async_block_behave_alike() {
    let mut by_hand = Echo::new();
    let mut by_compiler: Gen<Option<i32>, Option<i32>, std::convert::Infallible> =
        Gen::new(|co| async move {
            loop {
                let b = co.yield_(None).await?;
                co.yield_(b).await?;
            }
        });
    let sends = [None, Some(1), None, Some(2), Some(3), None];
    for (i, value) in sends.into_iter().enumerate() {
        let (a, b) = if i == 0 {
            (by_hand.next(), by_compiler.next())
        } else {
            (by_hand.send(value), by_compiler.send(value))
        };
        assert_eq!(a.unwrap(), b.unwrap(), "step {i}");
    }
    let thrown = Exception::msg("ValueError", "x");
    assert!(error_of(by_hand.throw(thrown.clone())).ptr_eq(&thrown));
    assert!(error_of(by_compiler.throw(thrown.clone())).ptr_eq(&thrown));
}

#[test]
fn each_step_is_recorded_with_a_per_recording_id() {
    for _ in 0..2 {
        let ((), recording) = ch00_trace::record(|| {
            let mut g = echo(Rc::default());
            g.next().unwrap();
            g.send(3).unwrap();
            let _ = g.throw(Exception::msg("ValueError", "stop"));
        });
        assert_eq!(
            recording.to_string(),
            "[it=0]   generator g1 starts\n\
             [it=0]   generator g1 yields\n\
             [it=0]   generator g1 resumed by send\n\
             [it=0]   generator g1 yields\n\
             [it=0]   generator g1 resumed by throw: ValueError: stop\n\
             [it=0]   generator g1 raises ValueError: stop\n"
        );
    }
}

/// The two misuses only an `async` body can commit are reported with the
/// fix: await only `co.yield_(..)`, one at a time (no Python twin prints
/// these; Python cannot commit them).
#[test]
fn misuse_of_an_async_body_says_how_to_fix_it() {
    let mut g: Gen<(), (), ()> = Gen::new(|_co| async move {
        std::future::pending::<()>().await;
        Ok(())
    });
    let foreign = error_of(g.next()).to_string();
    assert!(
        foreign.starts_with("RuntimeError: generator body awaited something other than"),
        "{foreign}"
    );
    assert!(
        foreign.contains("await only co.yield_(..) in a generator body"),
        "{foreign}"
    );
    let side_by_side = GeneratorError::NoValueSent.to_string();
    assert!(
        side_by_side.contains("await one co.yield_(..) at a time"),
        "{side_by_side}"
    );
}
