//! Fault: every misuse the chapters name gives a named error with Tornado's
//! name and a clear message, as a value; nothing panics in the library.
//!
//! One test per misuse, across the six chapters: send before start (01),
//! `result` before done and a second `set_result` (02), `add_handler` twice
//! on one descriptor and `start` while running (03), a bad yield (04), key
//! reuse, an unknown key and a leaked callback (06).

use std::os::unix::net::UnixStream;

use ch00_trace::{EventKind, record};
use ch01_yield::{Echo, Exception, Generator, GeneratorError};
use ch02_future::{Future, FutureError};
use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};
use ch04_runner::GenError;
use ch05_coroutine::{Co, Object, coroutine};
use ch06_gen_task::{Callback, Wait};

fn new_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).expect("a new IOLoop");
    io_loop.make_current();
    io_loop
}

#[test]
fn send_before_start_is_a_type_error() {
    let mut generator = Echo::new();
    let exc = generator.send(Some(1)).unwrap_err();
    assert_eq!(
        exc.downcast_ref::<GeneratorError>(),
        Some(&GeneratorError::SendToUnstarted)
    );
    assert_eq!(
        exc.to_string(),
        "TypeError: can't send non-None value to a just-started generator"
    );
}

#[test]
fn result_before_done_is_refused() {
    let future = Future::<i32>::new();
    let exc = future.result().unwrap_err();
    assert_eq!(
        exc.downcast_ref::<FutureError>(),
        Some(&FutureError::NotDone)
    );
    assert_eq!(
        exc.to_string(),
        "Exception: DummyFuture does not support blocking for results"
    );
}

#[test]
fn a_second_set_result_is_invalid_state_and_keeps_the_first() {
    let future = Future::new();
    future.set_result(1).unwrap();
    let err = future.set_result(2).unwrap_err();
    assert_eq!(err, FutureError::InvalidState);
    assert_eq!(err.to_string(), "InvalidStateError: invalid state");
    assert_eq!(future.result().unwrap(), 1);
}

#[test]
fn add_handler_twice_on_one_descriptor_is_file_exists() {
    let io_loop = new_loop();
    let (socket, _peer) = UnixStream::pair().unwrap();
    io_loop
        .add_handler(&socket, |_, _| {}, IOLoop::READ)
        .unwrap();
    let err = io_loop
        .add_handler(&socket, |_, _| {}, IOLoop::READ)
        .unwrap_err();
    assert!(matches!(err, IOLoopError::FileExists));
    assert_eq!(err.to_string(), "FileExistsError: [Errno 17] File exists");
    io_loop.remove_handler(&socket);
    io_loop.close(true);
}

#[test]
fn start_while_running_is_a_runtime_error() {
    let io_loop = new_loop();
    let lp = io_loop.clone();
    let got = io_loop
        .run_sync(
            move || Future::resolved(lp.start().unwrap_err().to_string()),
            None,
        )
        .unwrap();
    assert_eq!(got, "RuntimeError: IOLoop is already running");
    io_loop.close(true);
}

#[test]
fn a_bad_yield_is_thrown_into_the_generator() {
    new_loop();
    let caught = coroutine(|co| async move {
        match co.yield_(Object("not a future")).await {
            Err(exc) => Ok(exc
                .downcast_ref::<GenError>()
                .map(ToString::to_string)
                .unwrap_or_default()),
            Ok(()) => Ok("not raised".to_string()),
        }
    });
    assert_eq!(
        caught.result().unwrap(),
        "BadYieldError: yielded unknown object \"not a future\""
    );
}

/// Runs a coroutine body on a fresh loop until it finishes, and returns
/// what it returned: the message of the error it caught.
fn caught_in<F, B>(body: F) -> String
where
    F: FnOnce(Co) -> B + 'static,
    B: std::future::Future<Output = Result<String, Exception>> + 'static,
{
    let io_loop = new_loop();
    let result = io_loop.run_sync(move || coroutine(body), None).unwrap();
    io_loop.close(true);
    result
}

#[test]
fn key_reuse_is_thrown_into_the_generator() {
    let message = caught_in(|co| async move {
        let callback = co.yield_(Callback::new("k")).await?;
        let again = co.yield_(Callback::new("k")).await;
        callback.call(1)?;
        co.yield_(Wait::<i32>::new("k")).await?;
        match again {
            Err(exc) if exc.is::<GenError>() => Ok(exc.to_string()),
            _ => Ok("not raised".to_string()),
        }
    });
    assert_eq!(message, "KeyReuseError: key 'k' is already pending");
}

#[test]
fn an_unknown_key_is_thrown_into_the_generator() {
    let message = caught_in(|co| async move {
        match co.yield_(Wait::<i32>::new(7)).await {
            Err(exc) if exc.is::<GenError>() => Ok(exc.to_string()),
            _ => Ok("not raised".to_string()),
        }
    });
    assert_eq!(message, "UnknownKeyError: key 7 is not pending");
}

#[test]
fn a_leaked_callback_is_logged_by_the_loop_and_the_future_never_resolves() {
    let (leaky, recording) = record(|| {
        let io_loop = new_loop();
        let leaky = coroutine(|co| async move {
            let _forgotten = co.yield_(Callback::new("forgotten")).await?;
            Ok(())
        });
        let lp = io_loop.clone();
        io_loop.call_later(1.0, move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(true);
        leaky
    });
    assert!(!leaky.done(), "Tornado 4.5.3 leaves the future pending");
    let logged = recording.only(&[EventKind::Log]);
    assert!(
        logged
            .contains("LeakedCallbackError: finished without waiting for callbacks {'forgotten'}"),
        "{logged}"
    );
}
