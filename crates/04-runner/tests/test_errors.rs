//! Errors reach the generator at its `yield`, and escape into the result future.
//! Ports the intent of Tornado 4.5.3's gen_test.py `GenCoroutineTest`
//! `test_bogus_yield` cases and of `Runner.run`'s `except` clauses.

use ch00_trace::record;
use ch01_yield::{Exception, Generator, GeneratorState, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{GenError, Object, Runner, Value, Yielded, generator};

fn start<R: Clone + 'static>(
    mut generator_: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> Future<R> {
    let result = Future::new();
    match generator_.next().unwrap() {
        GeneratorState::Yielded(first) => {
            Runner::new(generator_, result.clone(), first);
        }
        GeneratorState::Complete(value) => result.set_result(value).unwrap(),
    }
    result
}

/// gen_test `test_bogus_yield`: yielding an unknown object throws
/// `BadYieldError` into the generator, which may catch it and go on.
#[test]
fn test_bogus_yield_is_catchable() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.make_current();
    let result = io_loop
        .run_sync(
            || {
                start(generator(|co| async move {
                    let err = co.yield_(Object("not a future")).await.unwrap_err();
                    let bad = err.downcast_ref::<GenError>().cloned();
                    Ok(bad)
                }))
            },
            None,
        )
        .unwrap();
    assert_eq!(
        result,
        Some(GenError::BadYield {
            repr: "\"not a future\"".into()
        })
    );
}

/// gen_test `test_bogus_yield` (uncaught): the error fails the coroutine's future.
#[test]
fn test_bogus_yield_uncaught_fails_the_future() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.make_current();
    let err = io_loop
        .run_sync(
            || {
                start(generator(|co| async move {
                    co.yield_(Object(42)).await?;
                    Ok(())
                }))
            },
            None,
        )
        .unwrap_err();
    assert!(err.is::<GenError>());
    assert_eq!(err.to_string(), "BadYieldError: yielded unknown object 42");
}

/// gen_test `test_swallow_yieldpoint_exception` for futures: a failed
/// future's exception is thrown in, can be swallowed, and the coroutine
/// returns normally.
#[test]
fn test_failed_future_thrown_in_and_swallowed() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.make_current();
    let value = io_loop
        .run_sync(
            || {
                let failing = Future::<i32>::new();
                failing
                    .set_exception(PyError::new("ValueError", "child failed"))
                    .unwrap();
                start(generator(move |co| async move {
                    let caught: Result<i32, Exception> = co.yield_(failing).await;
                    Ok(caught.map_err(|e| e.to_string()))
                }))
            },
            None,
        )
        .unwrap();
    assert_eq!(value, Err("ValueError: child failed".to_string()));
}

/// A generator that raises fails the result future with that very exception.
#[test]
fn test_generator_exception_fails_result_future() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::new().unwrap();
        io_loop.make_current();
        let err = io_loop
            .run_sync(
                || {
                    start(generator(|co| async move {
                        co.yield_(()).await?;
                        Err::<(), _>(PyError::new("KeyError", "'k'").into())
                    }))
                },
                None,
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "KeyError: 'k'");
    });
    assert!(
        recording
            .to_string()
            .contains("generator raised: KeyError: 'k'"),
        "{recording}"
    );
}
