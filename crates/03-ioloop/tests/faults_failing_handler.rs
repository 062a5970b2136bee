//! Fault: a handler that fails every time it is called, beside a healthy one.
//!
//! Both sockets stay readable (nothing reads them: the loop is
//! level-triggered), so both handlers are called on every iteration. One
//! panics each time. Tornado 4.5.3 logs each failure
//! (`handle_callback_exception(self._handlers.get(fd))`) and goes on with the
//! next pending event; so do we: the failing handler is logged once per call,
//! the healthy one is never skipped, and a failure never removes a handler.

use std::cell::Cell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch03_ioloop::{FakeClock, IOLoop};

const ROUNDS: u32 = 5;

#[test]
fn a_handler_failing_on_every_call_is_logged_each_time_and_stays() {
    let ((failing_calls, healthy_calls), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let (bad, mut bad_peer) = UnixStream::pair().unwrap();
        let (good, mut good_peer) = UnixStream::pair().unwrap();
        bad_peer.write_all(b"x").unwrap();
        good_peer.write_all(b"x").unwrap();

        let failing = Rc::new(Cell::new(0));
        let f = failing.clone();
        io_loop
            .add_handler(
                &bad,
                move |_, _| -> () {
                    f.set(f.get() + 1);
                    panic!("handler fails, call {}", f.get());
                },
                IOLoop::READ,
            )
            .unwrap();
        let healthy = Rc::new(Cell::new(0));
        let (h, lp) = (healthy.clone(), io_loop.clone());
        io_loop
            .add_handler(
                &good,
                move |_, _| {
                    h.set(h.get() + 1);
                    if h.get() == ROUNDS {
                        lp.stop();
                    }
                },
                IOLoop::READ,
            )
            .unwrap();
        io_loop.start().unwrap();
        io_loop.remove_handler(&bad);
        io_loop.remove_handler(&good);
        io_loop.close(true);
        IOLoop::clear_current();
        (failing.get(), healthy.get())
    });

    // Both ran in each of the 5 iterations; the failures changed nothing.
    assert_eq!((failing_calls, healthy_calls), (ROUNDS, ROUNDS));
    let logs = recording.only(&[EventKind::Log]);
    let lines: Vec<&str> = logs.lines().collect();
    assert_eq!(lines.len(), ROUNDS as usize);
    for (i, line) in lines.iter().enumerate() {
        // Iteration i+1 (the first poll ends iteration 0), named h1 each time.
        assert_eq!(
            *line,
            format!(
                "[it={}] ! ERROR tornado.application: Exception in callback h1: \
                 panic: handler fails, call {}",
                i + 1,
                i + 1
            )
        );
    }
}
