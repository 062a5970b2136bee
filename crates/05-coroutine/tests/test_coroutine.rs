//! The decorator's rules, ported from the intent of Tornado's gen_test.py
//! (`GenCoroutineTest`, `GenEngineTest`): return values, errors stored in the
//! future, the first step at call time, `callback=`, `engine`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch00_trace::record;
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, coroutine_with_callback, engine, moment};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

fn value_error(message: &str) -> Exception {
    PyError::new("ValueError", message).into()
}

/// `test_sync_return`: a body that returns before any yield resolves the
/// future before the call returns.
#[test]
fn test_sync_return() {
    let _io_loop = fake_loop();
    let f = coroutine(|_co| async move { Ok(42) });
    assert_eq!(f.result().unwrap(), 42);
}

/// `test_async_return`: the value returned after a yield resolves the future.
#[test]
fn test_async_return() {
    let io_loop = fake_loop();
    let result = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(moment()).await?;
                    Ok(42)
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(result, 42);
}

/// `test_async_early_return`: a return in a branch that skips the yield
/// still goes through the generator path.
#[test]
fn test_async_early_return() {
    let _io_loop = fake_loop();
    let early = true;
    let f = coroutine(move |co| async move {
        if early {
            return Ok(42);
        }
        co.yield_(moment()).await?;
        Ok(0)
    });
    assert_eq!(f.result().unwrap(), 42);
}

/// `test_sync_raise`: an error before the first yield is never raised to the
/// caller; it waits in the future until someone looks.
#[test]
fn test_sync_raise() {
    let _io_loop = fake_loop();
    let f: Future<()> = coroutine(|_co| async move { Err(value_error("sync")) });
    assert!(f.done());
    assert_eq!(
        f.exception().unwrap().unwrap().to_string(),
        "ValueError: sync"
    );
}

/// `test_async_raise`: an error after a yield fails the future; a caller
/// that yields it gets it thrown in.
#[test]
fn test_async_raise() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                let inner: Future<i32> = coroutine(|co| async move {
                    co.yield_(moment()).await?;
                    Err(value_error("async"))
                });
                coroutine(move |co| async move {
                    let caught = co.yield_(inner).await;
                    assert!(caught.is_err(), "the error reaches the caller's yield");
                    caught
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "ValueError: async");
}

/// A run of Tornado 4.5.3 (docs/conformance.md): the body runs up to its first
/// yield inside the call.
#[test]
fn the_first_step_runs_at_call_time() {
    let _io_loop = fake_loop();
    let steps = Rc::new(RefCell::new(Vec::new()));
    let s = steps.clone();
    let f: Future<()> = coroutine(move |co| async move {
        s.borrow_mut().push("before the yield");
        co.yield_(Future::<()>::new()).await?;
        s.borrow_mut().push("after the yield");
        Ok(())
    });
    steps.borrow_mut().push("call returned");
    assert_eq!(*steps.borrow(), ["before the yield", "call returned"]);
    assert!(!f.done());
}

/// A run of Tornado 4.5.3 (docs/conformance.md): the `callback=` gets the
/// result one iteration after the future resolves, and is not called when the
/// coroutine fails (the loop logs it).
#[test]
fn callback_runs_one_hop_after_the_future_resolves() {
    let ((), recording) = record(|| {
        let io_loop = fake_loop();
        let got = Rc::new(Cell::new(0));
        let g = got.clone();
        let f = coroutine_with_callback(move |v: i32| g.set(v), |_co| async move { Ok(7) });
        assert!(f.done(), "resolved at call time");
        assert_eq!(got.get(), 0, "but the callback waits for the loop");
        let failing = coroutine_with_callback(
            |_: i32| panic!("not called for a failed coroutine"),
            |_co| async move { Err(value_error("no callback")) },
        );
        assert!(failing.done());
        let stopper = io_loop.clone();
        io_loop.add_callback(move || stopper.stop());
        io_loop.start().unwrap();
        assert_eq!(got.get(), 7);
    });
    assert!(
        recording.to_string().contains(
            "! ERROR tornado.application: Exception in callback c2: ValueError: no callback"
        ),
        "{recording}"
    );
}

/// `test_exception_phase1`: an engine that raises before its first yield
/// raises to its caller.
#[test]
fn test_engine_exception_phase1() {
    let _io_loop = fake_loop();
    let err = engine(|_co| async move { Err(value_error("phase1")) }).unwrap_err();
    assert_eq!(err.to_string(), "ValueError: phase1");
}

/// `test_exception_phase2`: after the first yield, an engine's error has no
/// caller to go to; the future logs it from its done-callback.
#[test]
fn test_engine_exception_phase2() {
    let ((), recording) = record(|| {
        let io_loop = fake_loop();
        engine(|co| async move {
            co.yield_(moment()).await?;
            Err(value_error("phase2"))
        })
        .unwrap();
        let stopper = io_loop.clone();
        io_loop.add_callback(move || {
            let again = stopper.clone();
            stopper.add_callback(move || again.stop())
        });
        io_loop.start().unwrap();
    });
    assert!(
        recording.to_string().contains("ValueError: phase2"),
        "{recording}"
    );
}

/// `test_no_yield` (engine): a body without a yield just runs.
#[test]
fn test_engine_no_yield() {
    let _io_loop = fake_loop();
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    engine(move |_co| async move {
        r.set(true);
        Ok(())
    })
    .unwrap();
    assert!(ran.get());
}
