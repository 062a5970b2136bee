//! Callbacks on the loop: `add_callback` (run at once, not after a poll;
//! added while the callbacks run, they wait for the next iteration; after
//! `close()`, ignored), `add_future` (always one hop through the loop), and
//! the log of a failing callback, timeout or handler. Ports Tornado 4.5.3's
//! ioloop_test.py `TestIOLoop.test_add_callback_wakeup`,
//! `test_add_callback_while_closing`, `test_exception_logging`,
//! `test_exception_logging_future`, `test_spawn_callback` and
//! `TestIOLoopFutures`, with the twins `ch03_iteration_order` and
//! `ch03_callback_errors`.

use std::cell::Cell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, record, say};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_add_callback_wakeup`: a callback added
// from inside the running loop is run at once, the loop does not first wait
// in `poll()` for its next timeout.

/// With a FakeClock, waiting for the far timeout would move the clock by an
/// hour; a callback queued by a timeout must run before that happens.
#[test]
fn test_add_callback_wakeup() {
    let clock = FakeClock::new(100.0);
    let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
    let ran_at = Rc::new(Cell::new(None));

    io_loop.add_timeout::<()>(100.0 + 3600.0, || {
        panic!("the far timeout must not be reached")
    });
    let (lp, r) = (io_loop.clone(), ran_at.clone());
    io_loop.add_timeout(io_loop.time(), move || {
        let (lp2, clock) = (lp.clone(), lp.clone());
        lp.add_callback(move || {
            r.set(Some(clock.time()));
            lp2.stop();
        });
    });
    io_loop.start().unwrap();

    assert_eq!(
        ran_at.get(),
        Some(100.0),
        "the callback waited for the timeout"
    );
    assert_eq!(clock.time(), 100.0);
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// The snapshot rule of `PollIOLoop.start` ("Prevent IO event starvation by
// delaying new callbacks to the next iteration of the event loop"): a
// callback added while the callbacks run waits for the next iteration.
// Tornado's tests rely on it throughout; `ch03_iteration_order` shows it (`A2`, `T1c`, `Hc`).

#[test]
fn callbacks_added_while_running_wait_for_the_next_iteration() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || {
            say!("first");
            let lp2 = lp.clone();
            lp.add_callback(move || {
                say!("added by first");
                lp2.stop();
            });
        });
        io_loop.add_callback(|| say!("second"));
        let lp = io_loop.clone();
        io_loop.add_timeout(0.0, move || {
            say!("due timeout");
            lp.add_callback(|| say!("added by the timeout"));
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.prints(),
        [
            "[it=0] first",
            "[it=0] second",
            "[it=0] due timeout",
            "[it=1] added by first",
            "[it=1] added by the timeout",
        ]
    );
}

/// A callback that keeps adding itself cannot starve the rest of the loop:
/// each copy runs one iteration later, and a timeout still gets its turn.
#[test]
fn a_self_rescheduling_callback_does_not_starve_timeouts() {
    fn again(io_loop: IOLoop, n: u32) {
        if n > 0 {
            let lp = io_loop.clone();
            io_loop.add_callback(move || again(lp, n - 1));
        }
    }
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || again(lp, 1_000_000));
        let lp = io_loop.clone();
        io_loop.add_timeout(0.0, move || {
            say!("the timeout ran");
            lp.stop();
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(recording.prints(), ["[it=0] the timeout ran"]);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_add_callback_while_closing` (4.5.3:
// `add_callback` after `close()` is silently ignored), from the loop's
// thread and from another thread; and what else `close()` drops.

#[test]
fn test_add_callback_while_closing() {
    let io_loop = IOLoop::new().unwrap();
    let remote = io_loop.remote();
    let pending = Rc::new(Cell::new(false));
    let p = pending.clone();
    io_loop.add_callback(move || p.set(true));

    io_loop.close(false);
    io_loop.add_callback::<()>(|| panic!("ignored after close"));
    std::thread::spawn(move || remote.add_callback(|| panic!("ignored after close")))
        .join()
        .unwrap();

    assert!(matches!(io_loop.start(), Err(IOLoopError::Closed)));
    assert!(
        !pending.get(),
        "callbacks queued before close() are dropped"
    );
    assert_eq!(Rc::strong_count(&pending), 1, "and their closures freed");
    let (socket, _peer) = std::os::unix::net::UnixStream::pair().unwrap();
    assert!(matches!(
        io_loop.add_handler(&socket, |_, _| (), IOLoop::READ),
        Err(IOLoopError::Closed)
    ));
}

// ----------------------------------------------------------------------
// `IOLoop.add_future` (Tornado 4.5.3: `future.add_done_callback(lambda
// future: self.add_callback(callback, future))`): the callback always takes
// one hop through the loop, even for a future that is already done
// (`add_future` wraps the callback in
// `add_callback`), and a callback that returns a failed future has that
// failure logged one iteration later (`test_exception_logging_future`).

#[test]
fn an_already_done_future_calls_back_on_the_next_iteration() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || {
            let future = Future::new();
            future.set_result("done").unwrap();
            let stopper = lp.clone();
            lp.add_future(&future, move |f: Future<&str>| {
                say!("add_future callback: {}", f.result().unwrap());
                stopper.stop();
            });
            say!("add_future returned");
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.prints(),
        [
            "[it=0] add_future returned",
            "[it=1] add_future callback: done"
        ]
    );
}

#[test]
fn a_pending_future_calls_back_one_iteration_after_it_resolves() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let future = Future::<i32>::new();
        let lp = io_loop.clone();
        io_loop.add_future(&future, move |f| {
            say!("add_future callback: {}", f.result().unwrap());
            lp.stop();
        });
        let f = future.clone();
        io_loop.call_later(5.0, move || {
            say!("set_result");
            f.set_result(7)
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.prints(),
        ["[it=1] set_result", "[it=2] add_future callback: 7"]
    );
}

/// Port of `test_exception_logging_future`: a callback returns a failed
/// future; the failure is logged by `_discard_future_result`, one hop later.
#[test]
fn test_exception_logging_future() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.add_callback(|| {
            let future = Future::<()>::new();
            let _ = future.set_exception(PyError::new("ZeroDivisionError", "x"));
            future
        });
        let lp = io_loop.clone();
        io_loop.add_callback(move || {
            let stopper = lp.clone();
            lp.add_callback(move || stopper.stop());
        });
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=1] ! ERROR tornado.application: Exception in callback c3: ZeroDivisionError: x\n"
    );
}

// ----------------------------------------------------------------------
// Ports of Tornado's `TestIOLoop.test_exception_logging` and
// `test_spawn_callback`, and `ch03_callback_errors`: an error or a panic in a callback, a
// timeout or a handler is logged on `tornado.application` as
// "Exception in callback ...", and the loop goes on.

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
            "ERROR Exception in callback test_callbacks::divide_by_zero: \
             ZeroDivisionError: division by zero\n"
        ),
        "{logged}"
    );
    assert!(
        logged.contains(
            "ERROR Exception in callback \
             test_callbacks::callbacks_are_named_by_their_type_outside_a_recording::\
             {{closure}}: panic: boom\n"
        ),
        "{logged}"
    );
}

/// Port of Tornado 4.5.3's `TestIOLoop.test_handle_callback_exception`:
/// `handle_callback_exception` can be overridden to catch exceptions in
/// callbacks (Tornado: by a subclass, or on the instance; here with
/// `set_handle_callback_exception`).
mod handle_callback_exception {
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
}

/// Port of Tornado 4.5.3's `TestIOLoop.test_add_callback_return_sequence`,
/// and its way of passing the loop's own `stop` as a callback
/// (`loop.add_timeout(datetime.timedelta(milliseconds=50), loop.stop)`).
mod add_callback_return_sequence {
    use std::time::Duration;

    use ch00_trace::{EventKind, record};
    use ch03_ioloop::{FakeClock, IOLoop};

    /// Callbacks returning nothing do not make the loop schedule more of them
    /// (Tornado's issue #1803: returning `{}` or `[]` spun the CPU; a callback
    /// returning a non-yieldable value does not compile here, `()` is the
    /// nearest), and `loop.stop` passed as the timeout's callback stops it.
    #[test]
    fn test_add_callback_return_sequence() {
        let ((), recording) = record(|| {
            let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
            io_loop.add_callback(|| ());
            io_loop.add_callback(|| ());
            io_loop.add_timeout(Duration::from_millis(50), io_loop.bind(IOLoop::stop));
            io_loop.start().unwrap();
            assert_eq!(io_loop.time(), 0.05);
            io_loop.close(true);
        });
        let calls = recording
            .only(&[EventKind::Callback])
            .lines()
            .filter(|line| line.ends_with("scheduled"))
            .count();
        assert!(calls < 10, "{calls} callbacks scheduled");
        assert_eq!(calls, 2);
    }

    /// A bound method holds its loop weakly: queued on the loop it names, it
    /// keeps nothing alive, and run after the loop is gone it does nothing.
    #[test]
    fn a_bound_method_does_not_keep_its_loop_alive() {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        IOLoop::clear_current();
        let weak = io_loop.downgrade();
        let stop = io_loop.bind(IOLoop::stop);
        io_loop.add_callback(io_loop.bind(IOLoop::stop));
        drop(io_loop);
        assert!(weak.upgrade().is_none());
        assert!(stop().is_ok());
    }

    /// A bound closure's error is the callback's error: logged by the loop.
    #[test]
    fn a_bound_closure_returning_an_error_is_logged() {
        let ((), recording) = record(|| {
            let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
            io_loop.add_callback(io_loop.bind(|lp: &IOLoop| {
                lp.stop();
                Err(ch01_yield::PyError::new("ValueError", "bad"))
            }));
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(
            recording.only(&[EventKind::Log]),
            "[it=0] ! ERROR tornado.application: Exception in callback c1: ValueError: bad\n"
        );
    }
}
