//! Fault: one callback panics among 1,000 queued for the same iteration.
//!
//! Tornado 4.5.3's `_run_callback` wraps each call in `try: ... except
//! Exception: self.handle_callback_exception(callback)`, so one failure costs
//! one log line and nothing else. Ours catches the panic the same way: the
//! other 999 callbacks run, in order, in the same iteration, the panic is
//! logged once on `tornado.application`, and the loop keeps working.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch03_ioloop::{FakeClock, IOLoop};

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
