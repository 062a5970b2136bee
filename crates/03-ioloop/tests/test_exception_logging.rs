//! Ports of Tornado's `TestIOLoop.test_exception_logging` and
//! `test_spawn_callback`, and `ch03_callback_errors`: an error or a panic in a callback, a
//! timeout or a handler is logged on `tornado.application` as
//! "Exception in callback ...", and the loop goes on.

use std::io::Write;
use std::os::unix::net::UnixStream;

use ch00_trace::{EventKind, record, say};
use ch01_yield::PyError;
use ch03_ioloop::{FakeClock, IOLoop};

fn logs(recording: &ch00_trace::Recording) -> String {
    recording.only(&[EventKind::Log])
}

#[test]
fn test_exception_logging() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.add_callback(|| Err(PyError::new("ZeroDivisionError", "division by zero")));
        let lp = io_loop.clone();
        io_loop.add_callback(move || {
            say!("the next callback runs");
            lp.stop();
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        logs(&recording),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: \
         ZeroDivisionError: division by zero\n"
    );
    assert_eq!(recording.prints(), ["[it=0] the next callback runs"]);
}

#[test]
fn a_panic_is_logged_like_an_error() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.add_timeout::<()>(0.0, || panic!("boom"));
        io_loop.spawn_callback::<()>(|| panic!("spawned"));
        let lp = io_loop.clone();
        io_loop.add_timeout(0.0, move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        logs(&recording),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: panic: spawned\n\
         [it=0] ! ERROR tornado.application: Exception in callback t1: panic: boom\n"
    );
}

/// A failing handler is logged under its name, or as `None` when it had
/// removed itself first, as Tornado's `self._handlers.get(fd)` gives.
#[test]
fn failing_handlers_are_logged() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let (a, mut a_peer) = UnixStream::pair().unwrap();
        let (b, mut b_peer) = UnixStream::pair().unwrap();
        a_peer.write_all(b"x").unwrap();
        b_peer.write_all(b"x").unwrap();
        let b = std::rc::Rc::new(b);
        io_loop
            .add_handler(
                &a,
                |_, _| Err(PyError::new("OSError", "stays")),
                IOLoop::READ,
            )
            .unwrap();
        let (lp, me) = (io_loop.clone(), b.clone());
        io_loop
            .add_handler(
                &b,
                move |_, _| {
                    lp.remove_handler(&me);
                    Err(PyError::new("OSError", "removed itself"))
                },
                IOLoop::READ,
            )
            .unwrap();
        let lp = io_loop.clone();
        io_loop.call_later(0.5, move || lp.stop());
        io_loop.start().unwrap();
        io_loop.remove_handler(&a);
        io_loop.close(true);
    });
    // b was registered last, so it runs first (reverse poller order). The
    // stop timeout is due in the next iteration, which breaks before a
    // second poll could report `a` again.
    let logs = logs(&recording);
    let mut lines = logs.lines();
    assert_eq!(
        lines.next(),
        Some(
            "[it=1] ! ERROR tornado.application: Exception in callback None: OSError: removed itself"
        )
    );
    assert_eq!(
        lines.next(),
        Some("[it=1] ! ERROR tornado.application: Exception in callback h1: OSError: stays")
    );
    assert_eq!(lines.next(), None);
}

/// EPIPE from a handler is ignored, as Tornado ignores it ("Happens when
/// the client closes the connection").
#[test]
fn a_broken_pipe_is_not_logged() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let (a, mut a_peer) = UnixStream::pair().unwrap();
        a_peer.write_all(b"x").unwrap();
        let lp = io_loop.clone();
        io_loop
            .add_handler(
                &a,
                move |_, _| {
                    lp.stop();
                    Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
                },
                IOLoop::READ,
            )
            .unwrap();
        io_loop.start().unwrap();
        io_loop.remove_handler(&a);
        io_loop.close(true);
    });
    assert_eq!(logs(&recording), "");
}

/// The chapter's error enum gives its Python class and message apart
/// (`type(e).__name__`, `str(e)`), as a program that logs them needs.
#[test]
fn ioloop_errors_have_class_name_and_message() {
    let exc = ch01_yield::Exception::from(ch03_ioloop::IOLoopError::Timeout(Some(0.05)));
    assert_eq!(exc.class_name(), "TimeoutError");
    assert_eq!(exc.message(), "Operation timed out after 0.05 seconds");
    let exc = ch01_yield::Exception::from(ch03_ioloop::IOLoopError::AlreadyRunning);
    assert_eq!(
        (exc.class_name(), exc.message()),
        ("RuntimeError".into(), "IOLoop is already running".into())
    );
}

/// Raises `ZeroDivisionError`, as `test_exception_logging`'s `lambda: 1 / 0`.
fn divide_by_zero() -> Result<(), PyError> {
    Err(PyError::new("ZeroDivisionError", "division by zero"))
}

/// Outside a recording (no `c1` to call it), a failing callback is logged
/// under its Rust name, the way Tornado logs the callback's `repr`: a
/// function by its path, a closure by the path of the function it is in.
#[test]
fn callbacks_are_named_by_their_type_outside_a_recording() {
    use std::sync::{Arc, Mutex};
    let out = Arc::new(Mutex::new(String::new()));
    ch00_trace::basic_config(
        "%(levelname)s %(message)s",
        ch00_trace::LogStream::Buffer(out.clone()),
    );
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.add_callback(divide_by_zero);
    io_loop.add_timeout::<()>(0.0, || panic!("boom"));
    io_loop.add_timeout(1.0, io_loop.bind(IOLoop::stop));
    io_loop.start().unwrap();
    io_loop.close(true);
    ch00_trace::basic_config(ch00_trace::DEFAULT_FORMAT, ch00_trace::LogStream::Stderr);
    let logged = out.lock().unwrap().clone();
    assert!(
        logged.contains(
            "ERROR Exception in callback test_exception_logging::divide_by_zero: \
             ZeroDivisionError: division by zero\n"
        ),
        "{logged}"
    );
    assert!(
        logged.contains(
            "ERROR Exception in callback \
             test_exception_logging::callbacks_are_named_by_their_type_outside_a_recording::\
             {{closure}}: panic: boom\n"
        ),
        "{logged}"
    );
}
