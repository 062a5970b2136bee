//! S1 callbacks, the limit: N boxed closures pushed on a VecDeque before the
//! loop starts, then popped and run; the last one stops the loop.
//! Argument `inloop` (reported as S1inloop): schedule them from a callback on
//! the running loop instead. The limit has no waker, so both cost the same;
//! Tornado's add_callback writes a wake-up byte in the first case only.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use limit::{Loop, measure};

const N: u64 = 1_000_000;

/// Schedules the N callbacks; returns when the last add_callback returned.
fn schedule_all(lp: &Loop, count: &Rc<Cell<u64>>) -> Instant {
    for _ in 0..N {
        let (lp2, count) = (lp.clone(), Rc::clone(count));
        lp.add_callback(move || {
            count.set(count.get() + 1);
            if count.get() == N {
                lp2.stop();
            }
        });
    }
    Instant::now()
}

fn main() {
    let in_loop = std::env::args().nth(1).as_deref() == Some("inloop");
    let lp = Loop::new();
    let count = Rc::new(Cell::new(0u64));
    let scheduled_at = Rc::new(Cell::new(None));

    let t0 = Instant::now();
    if in_loop {
        let (lp2, count2, mark) = (lp.clone(), Rc::clone(&count), Rc::clone(&scheduled_at));
        lp.add_callback(move || mark.set(Some(schedule_all(&lp2, &count2))));
    } else {
        scheduled_at.set(Some(schedule_all(&lp, &count)));
    }
    lp.start();
    let t2 = Instant::now();
    let t1 = scheduled_at.get().expect("scheduled");

    assert_eq!(count.get(), N);
    let name = if in_loop { "S1inloop" } else { "S1" };
    measure::report(
        name,
        N,
        t2 - t0,
        &[
            ("sched_s", format!("{:.6}", (t1 - t0).as_secs_f64())),
            ("run_s", format!("{:.6}", (t2 - t1).as_secs_f64())),
        ],
    );
}
