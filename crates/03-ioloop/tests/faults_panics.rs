//! Faults: user code on the loop that panics, a callback among a thousand or
//! a handler on every call. Tornado 4.5.3 wraps each call in
//! `try/except` and logs (`handle_callback_exception`); so do we.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch03_ioloop::{FakeClock, IOLoop};

// ----------------------------------------------------------------------
// Fault: one callback panics among 1,000 queued for the same iteration.
//
// Tornado 4.5.3's `_run_callback` wraps each call in `try: ... except
// Exception: self.handle_callback_exception(callback)`, so one failure costs
// one log line and nothing else. Ours catches the panic the same way: the
// other 999 callbacks run, in order, in the same iteration, the panic is
// logged once on `tornado.application`, and the loop keeps working.

const CALLBACKS: u32 = 1_000;
const PANICS: u32 = 500;

#[test]
fn a_panicking_callback_among_1000_costs_one_log_line() {
    let (ran, recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let ran = Rc::new(RefCell::new(Vec::new()));
        for n in 1..=CALLBACKS {
            let ran = ran.clone();
            io_loop.add_callback(move || {
                if n == PANICS {
                    panic!("callback {n} panics");
                }
                ran.borrow_mut().push(n);
            });
        }
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();

        // The loop lives: it starts again and runs what comes next.
        let (r, lp) = (ran.clone(), io_loop.clone());
        io_loop.add_callback(move || {
            r.borrow_mut().push(0);
            lp.stop();
        });
        io_loop.start().unwrap();
        io_loop.close(true);
        IOLoop::clear_current();
        ran.take()
    });

    // 999 ran, in order, then the one added after the restart (0).
    let expected: Vec<u32> = (1..=CALLBACKS)
        .filter(|&n| n != PANICS)
        .chain([0])
        .collect();
    assert_eq!(ran.len(), 1_000);
    assert_eq!(ran, expected);

    // One log line, naming the 500th callback scheduled (c500), in iteration 0.
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c500: \
         panic: callback 500 panics\n"
    );
}

/// Panics in a row, the first and the last of a batch included, are each
/// logged under their own name, and the batch keeps its count: a callback
/// that a panicking callback added still waits for the next iteration.
/// (The loop guards a whole batch with one `catch_panic` and starts a new
/// guard after each panic: this shows nothing of that is visible.)
#[test]
fn panics_in_a_row_are_logged_each_and_the_batch_keeps_its_count() {
    let (ran, recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        let ran = Rc::new(RefCell::new(Vec::new()));
        for n in 1..=5u32 {
            let (ran, lp) = (ran.clone(), io_loop.clone());
            io_loop.add_callback(move || {
                if n == 3 {
                    let (ran, lp2) = (ran.clone(), lp.clone());
                    lp.add_callback(move || {
                        ran.borrow_mut().push(30);
                        lp2.stop();
                    });
                }
                if n != 4 {
                    ran.borrow_mut().push(n);
                }
                if n != 2 && n != 4 {
                    panic!("callback {n} panics");
                }
            });
        }
        io_loop.start().unwrap();
        io_loop.close(true);
        IOLoop::clear_current();
        ran.take()
    });

    // 30 (c6) was added in iteration 0 and ran in iteration 1, after the batch.
    assert_eq!(ran, [1, 2, 3, 5, 30]);
    let callbacks = recording.only(&[EventKind::Callback]);
    assert!(
        callbacks.ends_with("[it=1]   callback c6 runs\n"),
        "{callbacks}"
    );
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: panic: callback 1 panics\n\
         [it=0] ! ERROR tornado.application: Exception in callback c3: panic: callback 3 panics\n\
         [it=0] ! ERROR tornado.application: Exception in callback c5: panic: callback 5 panics\n"
    );
}

// ----------------------------------------------------------------------
// Fault: a handler that fails every time it is called, beside a healthy one.
//
// Both sockets stay readable (nothing reads them: the loop is
// level-triggered), so both handlers are called on every iteration. One
// panics each time. Tornado 4.5.3 logs each failure
// (`handle_callback_exception(self._handlers.get(fd))`) and goes on with the
// next pending event; so do we: the failing handler is logged once per call,
// the healthy one is never skipped, and a failure never removes a handler.

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
