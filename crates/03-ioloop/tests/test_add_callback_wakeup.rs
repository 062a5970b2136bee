//! Port of Tornado's `TestIOLoop.test_add_callback_wakeup`: a callback added
//! from inside the running loop is run at once, the loop does not first wait
//! in `poll()` for its next timeout.

use std::cell::Cell;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

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
