//! The snapshot rule of `PollIOLoop.start` ("Prevent IO event starvation by
//! delaying new callbacks to the next iteration of the event loop"): a
//! callback added while the callbacks run waits for the next iteration.
//! Tornado's tests rely on it throughout; `ch03_iteration_order` shows it (`A2`, `T1c`, `Hc`).

use ch00_trace::{record, say};
use ch03_ioloop::{FakeClock, IOLoop};

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
