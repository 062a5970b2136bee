//! S3 fanout, the limit: C coroutines (state machines), each re-queues itself
//! ROUNDS times (`yield gen.moment` is one add_callback); a shared countdown
//! stops the loop when the last one finishes.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use limit::{Loop, measure};

const C: u64 = 10_000;
const ROUNDS: u32 = 10;

fn worker(lp: &Loop, rounds_left: u32, running: Rc<Cell<u64>>) {
    if rounds_left == 0 {
        running.set(running.get() - 1);
        if running.get() == 0 {
            lp.stop();
        }
        return;
    }
    let lp2 = lp.clone();
    lp.add_callback(move || worker(&lp2, rounds_left - 1, running));
}

fn main() {
    let lp = Loop::new();
    let running = Rc::new(Cell::new(C));
    let base = measure::proc_status_kb("VmRSS");
    let t0 = Instant::now();
    for _ in 0..C {
        worker(&lp, ROUNDS, Rc::clone(&running));
    }
    lp.start();
    let elapsed = t0.elapsed();
    let peak = measure::proc_status_kb("VmHWM");
    assert_eq!(running.get(), 0);
    measure::report(
        "S3",
        C * ROUNDS as u64,
        elapsed,
        &[
            ("coroutines", C.to_string()),
            ("base_rss_kb", base.to_string()),
            ("peak_rss_kb", peak.to_string()),
        ],
    );
}
