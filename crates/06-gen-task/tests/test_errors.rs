//! The callback world's errors, where Tornado 4.5.3 delivers them and with
//! its wording. Ported from the intent of gen_test.py (`GenEngineTest`):
//! `test_key_reuse`, `test_key_reuse_tuple`, `test_key_mismatch`,
//! `test_key_mismatch_tuple`, `test_leaked_callback`,
//! `test_leaked_callback_tuple`, `test_orphaned_callback`,
//! `test_bogus_yield`; plus `WaitAll`'s `UnknownKeyError` and when a leak is
//! not reported.
//!
//! Keys here are text, numbers or unique objects: the `_tuple` tests use
//! number keys. Every message and outcome was first printed by the same
//! program under real Tornado 4.5.3 (`"%s: %s" % (type(e).__name__, e)`).

mod common;

use common::{fake_loop, recorded};

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, Recording, record, say};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::GenError;
use ch05_coroutine::{Object, coroutine};
use ch06_gen_task::{Callback, ResultCallback, Wait, WaitAll};

/// The log records of a recording, one line each.
fn logs(recording: &Recording) -> Vec<String> {
    recording
        .only(&[EventKind::Log])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Calls the coroutine `start` makes from the loop's first callback, runs
/// the loop for half a second, and returns that coroutine's future.
fn call_and_wait(start: fn() -> Future<&'static str>) -> Future<&'static str> {
    let io_loop = fake_loop();
    let future = Rc::new(RefCell::new(None));
    let cell = future.clone();
    io_loop.add_callback(move || *cell.borrow_mut() = Some(start()));
    let stopper = io_loop.clone();
    io_loop.call_later(0.5, move || stopper.stop());
    io_loop.start().unwrap();
    let future = future.borrow_mut().take();
    future.expect("the coroutine was called")
}

/// `test_key_reuse`: a second `Callback` for a key still pending throws
/// `KeyReuseError` at its `yield`; uncaught, it fails the coroutine.
#[test]
fn test_key_reuse() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?;
                    co.yield_(Callback::new("k1")).await?;
                    Ok(())
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<GenError>(),
        Some(&GenError::KeyReuse { key: "k1".into() })
    );
    assert_eq!(
        err.to_string(),
        "KeyReuseError: key 'k1' is already pending"
    );
}

/// `test_key_reuse_tuple`, with a number key: shown as Python's `repr`, `7`.
#[test]
fn test_key_reuse_number() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new(7i64)).await?;
                    co.yield_(Callback::new(7i64)).await?;
                    Ok(())
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "KeyReuseError: key 7 is already pending");
}

/// `test_key_mismatch`: a `Wait` for a key no `Callback` registered throws
/// `UnknownKeyError` at its `yield`.
#[test]
fn test_key_mismatch() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k1")).await?;
                    co.yield_(Wait::<()>::new("k2")).await
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.downcast_ref::<GenError>(),
        Some(&GenError::UnknownKey { key: "k2".into() })
    );
    assert_eq!(err.to_string(), "UnknownKeyError: key 'k2' is not pending");
}

/// `test_key_mismatch_tuple`, with number keys.
#[test]
fn test_key_mismatch_number() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new(12i64)).await?;
                    co.yield_(Wait::<()>::new(23i64)).await
                })
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "UnknownKeyError: key 23 is not pending");
}

/// `WaitAll` with a key nobody registered: `UnknownKeyError` at the
/// `yield`, whichever place the key has in the list, when every key before
/// it is ready.
#[test]
fn wait_all_with_an_unknown_key_throws_unknown_key_error() {
    for keys in [["k1", "nope"], ["nope", "k1"]] {
        let io_loop = fake_loop();
        let err = io_loop
            .run_sync(
                move || {
                    coroutine(move |co| async move {
                        co.yield_(Callback::new("k1")).await?.call("v1")?;
                        co.yield_(WaitAll::<&str>::new(keys)).await
                    })
                },
                None,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "UnknownKeyError: key 'nope' is not pending",
            "{keys:?}"
        );
    }
}

/// `WaitAll(["k1", "nope"])` while `k1` is pending: `is_ready` stops at
/// `k1` (Python's `all()`), so the unknown key is only met when `k1`'s
/// callback arrives. In 4.5.3 the error leaves `Runner.set_result` into the
/// Runner's stack context, which throws it into the generator: the
/// coroutine catches it and goes on, and the callback call returns `None`.
/// Tornado 4.5.3 printed:
///
/// ```text
/// [it=2] fire: calls k1's callback
/// [it=2] caught UnknownKeyError: key 'nope' is not pending
/// [it=2] then Wait('k1') -> 'v1'
/// [it=2] fire: callback returned None
/// [it=3] wait_all_unknown_pending -> 'v1'
/// ```
#[test]
fn wait_all_meets_an_unknown_key_when_the_callback_before_it_arrives() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            let cb = co.yield_(Callback::new("k1")).await?;
            IOLoop::current().unwrap().add_callback(move || {
                say!("fire: calls k1's callback");
                let returned = cb.call("v1");
                match &returned {
                    Ok(()) => say!("fire: callback returned None"),
                    Err(exc) => say!("fire: callback raised {exc}"),
                }
                returned
            });
            match co.yield_(WaitAll::<&str>::new(["k1", "nope"])).await {
                Err(exc) if exc.is::<GenError>() => say!("caught {exc}"),
                other => panic!("expected UnknownKeyError, got {other:?}"),
            }
            let r: &str = co.yield_(Wait::new("k1")).await?;
            say!("then Wait('k1') -> {r}");
            Ok(r)
        })
    });
    assert_eq!(result.unwrap(), "v1");
    assert_eq!(
        recording.prints(),
        [
            "[it=2] fire: calls k1's callback",
            "[it=2] caught UnknownKeyError: key 'nope' is not pending",
            "[it=2] then Wait('k1') -> v1",
            "[it=2] fire: callback returned None",
        ]
    );
    assert_eq!(logs(&recording), Vec::<String>::new());
}

/// `test_leaked_callback`: returning with a callback still pending (and no
/// exception thrown in) raises `LeakedCallbackError` out of the Runner,
/// into the loop, which logs it; the coroutine's future never resolves.
#[test]
fn test_leaked_callback() {
    fn leaky() -> Future<&'static str> {
        coroutine(|co| async move {
            co.yield_(Callback::new("k1")).await?;
            say!("leaky returns");
            Ok("never delivered")
        })
    }
    let (future, recording) = record(|| call_and_wait(leaky));
    assert!(!future.done(), "the future is left pending");
    assert_eq!(recording.prints(), ["[it=1] leaky returns"]);
    let logs = logs(&recording);
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(
        logs[0].starts_with("[it=1] ! ERROR tornado.application: Exception in callback c"),
        "{logs:?}"
    );
    assert!(
        logs[0].ends_with(": LeakedCallbackError: finished without waiting for callbacks {'k1'}"),
        "{logs:?}"
    );
}

/// `test_leaked_callback_tuple`, with two number keys: the message shows
/// the pending keys as Python's `repr` of the set, `{1, 2}`.
#[test]
fn test_leaked_callback_number() {
    fn leaky() -> Future<&'static str> {
        coroutine(|co| async move {
            co.yield_(Callback::new(2i64)).await?;
            co.yield_(Callback::new(1i64)).await?;
            Ok("never delivered")
        })
    }
    let (future, recording) = record(|| call_and_wait(leaky));
    assert!(!future.done());
    let logs = logs(&recording);
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(
        logs[0].ends_with(": LeakedCallbackError: finished without waiting for callbacks {1, 2}"),
        "{logs:?}"
    );
}

/// A leak found when a `Wait` resumes the generator inside a callback
/// call: the error comes out of that call, and the loop that made it logs
/// it. Tornado 4.5.3 printed the same lines, and logged `Exception in
/// callback functools.partial(<wrapped>, 'A')` with that error.
#[test]
fn a_leak_found_inside_a_callback_call_comes_out_of_that_call() {
    fn leaky() -> Future<&'static str> {
        coroutine(|co| async move {
            let a = co.yield_(Callback::new("a")).await?;
            co.yield_(Callback::new("b")).await?;
            IOLoop::current().unwrap().add_callback(move || {
                let returned = a.call("A");
                if let Err(exc) = &returned {
                    say!("the callback raised {exc}");
                }
                returned
            });
            let r: &str = co.yield_(Wait::new("a")).await?;
            say!("resumed with {r}, returns");
            Ok("never delivered")
        })
    }
    let (future, recording) = record(|| call_and_wait(leaky));
    assert!(!future.done());
    assert_eq!(
        recording.prints(),
        [
            "[it=2] resumed with A, returns",
            "[it=2] the callback raised LeakedCallbackError: finished without waiting for callbacks {'b'}",
        ]
    );
    let logs = logs(&recording);
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].starts_with("[it=2] ! ERROR"), "{logs:?}");
}

/// `if self.pending_callbacks and not self.had_exception`: once an
/// exception has been thrown into the generator, callbacks may have been
/// orphaned by it, so returning with one pending is not an error.
#[test]
fn no_leaked_callback_error_once_an_exception_was_thrown_in() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new("k")).await?;
            match co.yield_(Wait::<()>::new("nope")).await {
                Err(exc) => say!("caught {exc}"),
                Ok(()) => panic!("Wait('nope') must fail"),
            }
            Ok("no leak error")
        })
    });
    assert_eq!(result.unwrap(), "no leak error");
    assert_eq!(
        recording.prints(),
        ["[it=1] caught UnknownKeyError: key 'nope' is not pending"]
    );
    assert_eq!(logs(&recording), Vec::<String>::new());
}

/// A generator that raises with callbacks pending fails its future with its
/// own error: the leak check is only made when it returns.
#[test]
fn a_generator_that_raises_with_callbacks_pending_fails_with_its_own_error() {
    let (result, recording) = recorded(|| {
        coroutine(|co| async move {
            co.yield_(Callback::new("k")).await?;
            Err::<(), _>(PyError::new("ValueError", "boom").into())
        })
    });
    assert_eq!(result.unwrap_err().to_string(), "ValueError: boom");
    assert_eq!(logs(&recording), Vec::<String>::new());
}

/// `test_orphaned_callback`: the callback of a coroutine that leaked it
/// (`LeakedCallbackError`) may still be called afterwards: nothing happens,
/// and nothing is raised or logged.
#[test]
fn test_orphaned_callback() {
    thread_local! {
        static ORPHAN: RefCell<Option<ResultCallback>> = const { RefCell::new(None) };
    }
    fn orphaning() -> Future<&'static str> {
        coroutine(|co| async move {
            let orphan = co.yield_(Callback::new(1i64)).await?;
            ORPHAN.with(|o| *o.borrow_mut() = Some(orphan));
            Ok("never delivered")
        })
    }
    let ((), recording) = record(|| {
        let future = call_and_wait(orphaning);
        assert!(!future.done());
        let orphan = ORPHAN.with(|o| o.borrow_mut().take()).unwrap();
        assert!(orphan.call_none().is_ok());
        let io_loop = IOLoop::current().unwrap();
        let stopper = io_loop.clone();
        io_loop.add_callback(move || stopper.stop());
        io_loop.start().unwrap();
    });
    let logs = logs(&recording);
    assert_eq!(logs.len(), 1, "only the leak itself is logged: {logs:?}");
    assert!(
        logs[0].ends_with("LeakedCallbackError: finished without waiting for callbacks {1}"),
        "{logs:?}"
    );
}

/// `test_bogus_yield`: an object that is neither a future nor a yield point
/// throws `BadYieldError` at its `yield`, after yield points as before them.
#[test]
fn test_bogus_yield() {
    let io_loop = fake_loop();
    let err = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(Callback::new("k")).await?.call_none()?;
                    let () = co.yield_(Wait::new("k")).await?;
                    co.yield_(Object(42)).await
                })
            },
            None,
        )
        .unwrap_err();
    assert!(err.is::<GenError>());
    assert_eq!(err.to_string(), "BadYieldError: yielded unknown object 42");
}
