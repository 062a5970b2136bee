//! Chapter 05's graded exercises: the tests of each one, named after it.
//!
//! Run one exercise's tests with `cargo test -p ch05-coroutine --test
//! exercises ex05_1` (and so on); the tasks, with their hints, are in
//! `crates/05-coroutine/exercises/README.md`. Every test goes through the
//! crate's public API only, on a loop with a fake clock, so none waits.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, Recording, record, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::stack_context::ExceptionStackContext;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{TimeoutError, coroutine, engine, moment, sleep, with_timeout};

/// A fresh loop on a fake clock reading 1000.0, made current. Not 0.0: a
/// relative delay taken for an absolute deadline must show.
fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// A future resolved with `value` by a timeout `delay` seconds from now.
fn resolved_later<T: 'static>(io_loop: &IOLoop, delay: f64, value: T) -> Future<T> {
    let future = Future::new();
    let resolve = future.clone();
    io_loop.call_later(delay, move || resolve.set_result(value));
    future
}

/// The log records of a recording, one per line.
fn logs(recording: &Recording) -> String {
    recording.only(&[EventKind::Log])
}

// ex05.1 · sleep

/// `sleep(0.5)` resolves half a second later on the loop's clock, not at once.
#[test]
fn ex05_1_resolves_after_its_duration() {
    testkit::exercise("ex05.1", || {
        let io_loop = fake_loop();
        let result = io_loop.run_sync(|| sleep(0.5), Some(60.0));
        assert!(
            result.is_ok(),
            "sleep(0.5) resolves with None; got {result:?}"
        );
        assert_eq!(
            io_loop.time(),
            1000.5,
            "sleep(0.5) started at 1000.0 resolves at 1000.5: the duration is relative \
             (Tornado's `call_later`), not an absolute deadline"
        );
    });
}

/// The future is pending when `sleep` returns: one timeout waits on the loop.
#[test]
fn ex05_1_is_pending_until_the_loop_runs() {
    testkit::exercise("ex05.1", || {
        let io_loop = fake_loop();
        let f = sleep(0.0);
        assert!(
            !f.done(),
            "even sleep(0) resolves from the loop's timeouts, never inside the call"
        );
        assert_eq!(io_loop.timeouts_len(), 1, "sleep schedules one timeout");
    });
}

/// Two sleeps resolve in the order of their deadlines, whatever the order of the calls.
#[test]
fn ex05_1_sleeps_wake_in_deadline_order() {
    testkit::exercise("ex05.1", || {
        let io_loop = fake_loop();
        let order = Rc::new(RefCell::new(Vec::new()));
        for (name, delay) in [("long", 0.2), ("short", 0.1)] {
            let order = order.clone();
            sleep(delay).add_done_callback(move |_| order.borrow_mut().push(name));
        }
        io_loop.run_sync(|| sleep(0.3), Some(60.0)).unwrap();
        assert_eq!(
            *order.borrow(),
            ["short", "long"],
            "sleep(0.1) wakes before sleep(0.2), though called after it"
        );
    });
}

/// A NaN duration is a `ValueError` at once, and schedules nothing.
#[test]
fn ex05_1_nan_is_a_value_error() {
    testkit::exercise("ex05.1", || {
        let io_loop = fake_loop();
        let f = sleep(f64::NAN);
        let error = f.result().map_err(|e| e.to_string());
        assert_eq!(
            error,
            Err("ValueError: Invalid value NaN (not a number)".to_string()),
            "sleep(NaN) returns a future already failed with ValueError"
        );
        assert_eq!(io_loop.timeouts_len(), 0, "sleep(NaN) schedules nothing");
    });
}

// ex05.2 · with_timeout

/// A future that completes before the deadline passes its result through.
#[test]
fn ex05_2_a_future_done_in_time_passes_its_result_through() {
    testkit::exercise("ex05.2", || {
        let io_loop = fake_loop();
        let lp = io_loop.clone();
        let result = io_loop.run_sync(
            move || with_timeout(lp.time() + 1.0, resolved_later(&lp, 0.5, 42)),
            Some(60.0),
        );
        assert_eq!(
            result.map_err(|e| e.to_string()),
            Ok(42),
            "the wrapped future resolved at 1000.5, before the deadline 1001.0"
        );
        assert_eq!(
            io_loop.time(),
            1000.5,
            "the result resolves with the future"
        );
    });
}

/// The deadline passing first fails the result with `TimeoutError: Timeout`, at the deadline.
#[test]
fn ex05_2_the_deadline_passing_first_fails_with_timeout_error() {
    testkit::exercise("ex05.2", || {
        let io_loop = fake_loop();
        let lp = io_loop.clone();
        let result = io_loop.run_sync(
            move || with_timeout(lp.time() + 1.0, Future::<i32>::new()),
            Some(60.0),
        );
        let error = result.unwrap_err();
        assert!(
            error.is::<TimeoutError>(),
            "a future still pending at the deadline: the result fails with gen.TimeoutError; \
             got {error}"
        );
        assert_eq!(error.to_string(), "TimeoutError: Timeout");
        assert_eq!(
            io_loop.time(),
            1001.0,
            "the deadline is absolute: `lp.time() + 1.0` is 1001.0"
        );
    });
}

/// Once the future completes, the timeout is removed: nothing fires at the deadline.
#[test]
fn ex05_2_the_timeout_is_removed_when_the_future_completes() {
    testkit::exercise("ex05.2", || {
        let ((), recording) = record(|| {
            let io_loop = fake_loop();
            let lp = io_loop.clone();
            let result = io_loop
                .run_sync(
                    move || with_timeout(lp.time() + 1.0, resolved_later(&lp, 0.5, 42)),
                    Some(60.0),
                )
                .unwrap();
            assert_eq!(result, 42);
            // Run the loop past the deadline.
            let lp = io_loop.clone();
            io_loop
                .run_sync(move || resolved_later(&lp, 2.0, ()), Some(60.0))
                .unwrap();
        });
        assert_eq!(
            logs(&recording),
            "",
            "the timeout is removed when the future completes (Tornado's \
             `future.add_done_callback(lambda future: io_loop.remove_timeout(timeout_handle))`): \
             it must not fire at the deadline"
        );
    });
}

/// The slow future is not cancelled; when it fails after the timeout, the failure is logged.
#[test]
fn ex05_2_a_failure_after_the_timeout_is_logged() {
    testkit::exercise("ex05.2", || {
        let (slow, recording) = record(|| {
            let io_loop = fake_loop();
            let slow = Future::<i32>::new();
            let (lp, s) = (io_loop.clone(), slow.clone());
            let result = io_loop.run_sync(move || with_timeout(lp.time() + 1.0, s), Some(60.0));
            let error = result.unwrap_err();
            assert!(
                error.is::<TimeoutError>(),
                "the deadline passed first: gen.TimeoutError; got {error}"
            );
            slow.set_exception(PyError::new("ValueError", "too late"))
                .unwrap();
            slow
        });
        let logs = logs(&recording);
        let expected = format!(
            "ERROR tornado.application: Exception in Future f{} after timeout: ValueError: too late",
            slow.id()
        );
        assert!(
            logs.contains(&expected),
            "a wrapped future that fails after the timeout is logged (Tornado's \
             `error_callback`), since nobody is left to look at it; the logs were:\n{logs}"
        );
    });
}

// ex05.3 · The first step

/// The body runs up to its first yield inside the call; the rest waits for the future.
#[test]
fn ex05_3_the_body_runs_up_to_its_first_yield_inside_the_call() {
    testkit::exercise("ex05.3", || {
        let (value, recording) = record(|| {
            let io_loop = fake_loop();
            let f = resolved_later(&io_loop, 0.5, 21);
            say!("calling");
            let doubled = coroutine(move |co| async move {
                say!("body: before the yield");
                let x = co.yield_(f).await?;
                say!("body: after the yield");
                Ok(2 * x)
            });
            say!("returned: done={}", doubled.done());
            io_loop.run_sync(move || doubled, Some(60.0))
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=0] calling",
                "[it=0] body: before the yield",
                "[it=0] returned: done=false",
                "[it=3] body: after the yield",
            ],
            "the first step runs before `coroutine` returns; the Runner resumes the body \
             after the yielded future resolves"
        );
        assert_eq!(value.map_err(|e| e.to_string()), Ok(42));
    });
}

/// A body that never yields gives a future already resolved when the call returns.
#[test]
fn ex05_3_a_body_that_never_yields_returns_a_resolved_future() {
    testkit::exercise("ex05.3", || {
        let _io_loop = fake_loop();
        let f = coroutine(|_co| async move { Ok(7) });
        assert!(
            f.done(),
            "a body that returns before any yield resolves its future inside the call"
        );
        assert_eq!(f.result().map_err(|e| e.to_string()), Ok(7));
    });
}

/// An error before the first yield is not raised to the caller: it waits in the future.
#[test]
fn ex05_3_an_error_before_the_first_yield_waits_in_the_future() {
    testkit::exercise("ex05.3", || {
        let _io_loop = fake_loop();
        let call = std::panic::catch_unwind(|| {
            coroutine(|_co| async move {
                Err::<(), Exception>(PyError::new("ValueError", "before any yield").into())
            })
        });
        let f = call.unwrap_or_else(|payload| {
            // An unfinished exercise's `todo!` goes on as it came.
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied());
            if message.and_then(testkit::unfinished_exercise).is_some() {
                std::panic::resume_unwind(payload);
            }
            panic!(
                "calling the coroutine raised: the wrapper's `except Exception: \
                 future.set_exc_info(...)` puts a first-step error in the future instead"
            )
        });
        assert_eq!(
            f.result().map_err(|e| e.to_string()),
            Err("ValueError: before any yield".to_string()),
            "the future fails with the body's error"
        );
    });
}

/// A first yield inside an open stack context fails the coroutine with `StackContextInconsistentError`.
#[test]
fn ex05_3_a_first_yield_inside_a_stack_context_is_refused() {
    testkit::exercise("ex05.3", || {
        let io_loop = fake_loop();
        let result = io_loop.run_sync(
            || {
                coroutine(|co| async move {
                    let _with = ExceptionStackContext::new(|_| Ok(false)).enter();
                    co.yield_(moment()).await?;
                    Ok(())
                })
            },
            Some(60.0),
        );
        let error = match result {
            Ok(()) => "nothing: the coroutine finished normally".to_string(),
            Err(exc) => exc.to_string(),
        };
        assert!(
            error.starts_with("StackContextInconsistentError"),
            "the body yielded inside a `with ExceptionStackContext(...)` block: the stack \
             contexts after `next(result)` are not the ones before it, so the Runner must start \
             on a future failed with StackContextInconsistentError; got {error}"
        );
    });
}

// ex05.4 · engine

/// An error before the first yield comes back from the `engine` call itself.
#[test]
fn ex05_4_an_error_before_the_first_yield_is_returned() {
    testkit::exercise("ex05.4", || {
        let _io_loop = fake_loop();
        let returned = engine(|_co| async move { Err(PyError::new("KeyError", "'k'").into()) });
        assert_eq!(
            returned.map_err(|e| e.to_string()),
            Err("KeyError: 'k'".to_string()),
            "an engine has no future to hold a first-step error: Tornado raises it to the \
             caller (gen_test's test_exception_phase1)"
        );
    });
}

/// A body still waiting returns `Ok(())` at once and goes on from the loop.
#[test]
fn ex05_4_a_waiting_body_returns_ok_and_goes_on() {
    testkit::exercise("ex05.4", || {
        let io_loop = fake_loop();
        let done = Rc::new(RefCell::new(false));
        let d = done.clone();
        let returned = engine(move |co| async move {
            co.yield_(moment()).await?;
            *d.borrow_mut() = true;
            Ok(())
        });
        assert!(returned.is_ok(), "the body waits: nothing to report yet");
        assert!(!*done.borrow(), "the rest of the body waits for the loop");
        let lp = io_loop.clone();
        io_loop
            .run_sync(move || resolved_later(&lp, 1.0, ()), Some(60.0))
            .unwrap();
        assert!(*done.borrow(), "the loop ran the rest of the body");
    });
}

/// A later error goes to the stack context active where the engine was called.
#[test]
fn ex05_4_a_later_error_goes_to_the_callers_stack_context() {
    testkit::exercise("ex05.4", || {
        let io_loop = fake_loop();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        ExceptionStackContext::new(move |exc| {
            s.borrow_mut().push(exc.to_string());
            Ok(true)
        })
        .run(|_| {
            engine(|co| async move {
                co.yield_(moment()).await?;
                Err(PyError::new("ZeroDivisionError", "division by zero").into())
            })
            .unwrap()
        })
        .unwrap();
        let lp = io_loop.clone();
        io_loop
            .run_sync(move || resolved_later(&lp, 1.0, ()), Some(60.0))
            .unwrap();
        assert_eq!(
            *seen.borrow(),
            ["ZeroDivisionError: division by zero"],
            "the engine's `final_callback` is `stack_context.wrap`ped where the engine was \
             called, so its error reaches that context's handler"
        );
    });
}

/// With no stack context, a later error is logged, and the loop goes on.
#[test]
fn ex05_4_a_later_error_without_a_context_is_logged() {
    testkit::exercise("ex05.4", || {
        let ((), recording) = record(|| {
            let io_loop = fake_loop();
            engine(|co| async move {
                co.yield_(moment()).await?;
                Err(PyError::new("ZeroDivisionError", "division by zero").into())
            })
            .unwrap();
            let lp = io_loop.clone();
            io_loop
                .run_sync(move || resolved_later(&lp, 1.0, ()), Some(60.0))
                .unwrap();
        });
        let logs = logs(&recording);
        assert!(
            logs.contains("ZeroDivisionError: division by zero"),
            "the engine's future raises the error from its done-callback, and the future \
             logs it; the logs were:\n{logs}"
        );
    });
}

// ex05.5 · Predict: three children, one list

// ANCHOR: three_children
/// A coroutine that prints, sleeps `delay` seconds, prints again, then
/// fails with `ValueError(name)` or returns its name.
fn child(name: &'static str, delay: f64, fails: bool) -> Future<&'static str> {
    coroutine(move |co| async move {
        say!("{name}: first step");
        co.yield_(sleep(delay)).await?;
        say!("{name}: woke up");
        if fails {
            return Err(PyError::new("ValueError", name).into());
        }
        Ok(name)
    })
}

/// The program of ex05.5: three children waited on as one list.
fn three_children() {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).unwrap();
    io_loop.make_current();
    let main = || {
        coroutine(|co| async move {
            say!("main: first step");
            let a = child("a", 1.0, true);
            let b = child("b", 0.5, true);
            let c = child("c", 0.0, false);
            say!("main: all three called");
            if let Err(exc) = co.yield_(vec![a, b, c]).await {
                say!("main: the list raised {exc}");
            }
            say!("main: ends");
            Ok(())
        })
    };
    io_loop.run_sync(main, None).unwrap();
    say!("run_sync returned");
}
// ANCHOR_END: three_children

/// Your prediction of what `three_children` prints (`exercises/ex05.5.txt`).
#[test]
fn ex05_5_predict_three_children() {
    testkit::exercise("ex05.5", || {
        testkit::predict("ex05.5", env!("CARGO_MANIFEST_DIR"))
    });
}

/// The predictions' keys are those of the programs as they run now.
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(three_children);
    let prints = recording.prints().join("\n");
    testkit::prediction_key(
        "ex05.5",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&prints),
    );
}
