//! `IOLoop.add_future` (Tornado 4.5.3: `future.add_done_callback(lambda
//! future: self.add_callback(callback, future))`): the callback always takes
//! one hop through the loop, even for a future that is already done
//! (`add_future` wraps the callback in
//! `add_callback`), and a callback that returns a failed future has that
//! failure logged one iteration later (`test_exception_logging_future`).

use ch00_trace::{EventKind, record, say};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};

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
