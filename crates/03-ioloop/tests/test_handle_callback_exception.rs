//! Port of Tornado 4.5.3's `TestIOLoop.test_handle_callback_exception`:
//! `handle_callback_exception` can be overridden to catch exceptions in
//! callbacks (Tornado: by a subclass, or on the instance; here with
//! `set_handle_callback_exception`).

use std::cell::RefCell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch01_yield::PyError;
use ch03_ioloop::{FakeClock, IOLoop};

/// The override sees the callback's `ZeroDivisionError` and stops the
/// loop; nothing is logged.
#[test]
fn test_handle_callback_exception() {
    let (seen, recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        io_loop.set_handle_callback_exception(move |io_loop, name, exc| {
            s.borrow_mut().push(format!("{name} {}", exc.class_name()));
            io_loop.stop();
        });
        io_loop.add_callback(|| Err(PyError::new("ZeroDivisionError", "division by zero")));
        io_loop.start().unwrap();
        io_loop.close(true);
        seen.take()
    });
    assert_eq!(seen, ["c1 ZeroDivisionError"]);
    assert_eq!(recording.only(&[EventKind::Log]), "");
}

/// The override also receives what timeouts and handlers raise, each
/// under its name, and panics as well as returned errors.
#[test]
fn the_override_sees_timeouts_and_handlers() {
    let (seen, _) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        io_loop.set_handle_callback_exception(move |_, name, exc| {
            s.borrow_mut().push(format!("{name}: {exc}"));
        });
        let (a, mut a_peer) = UnixStream::pair().unwrap();
        a_peer.write_all(b"x").unwrap();
        let lp = io_loop.clone();
        io_loop
            .add_handler(
                &a,
                move |_, _| {
                    lp.stop();
                    Err(PyError::new("OSError", "from a handler"))
                },
                IOLoop::READ,
            )
            .unwrap();
        io_loop.add_timeout::<()>(0.0, || panic!("from a timeout"));
        io_loop.start().unwrap();
        io_loop.remove_handler(&a);
        io_loop.close(true);
        seen.take()
    });
    assert_eq!(
        seen,
        ["t1: panic: from a timeout", "h1: OSError: from a handler"]
    );
}

/// A panicking override cannot stop the loop or lose the exception: it
/// is logged as by default, then the override's own failure.
#[test]
fn a_panicking_override_falls_back_to_the_log() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.set_handle_callback_exception(|_, _, _| panic!("hook broke"));
        io_loop.add_callback(|| Err(PyError::new("ValueError", "bad")));
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: ValueError: bad\n\
         [it=0] ! ERROR tornado.application: Exception in handle_callback_exception: \
         panic: hook broke\n"
    );
}

/// Clearing the override goes back to the default: the exception is logged.
#[test]
fn clearing_the_override_logs_again() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.set_handle_callback_exception(|_, _, _| ());
        io_loop.clear_handle_callback_exception();
        io_loop.add_callback(|| Err(PyError::new("ValueError", "bad")));
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: ValueError: bad\n"
    );
}
