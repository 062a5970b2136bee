//! S2 chain, the limit: one coroutine, written as the state machine a `yield`
//! compiles to, N times creates a Future, schedules a callback that sets its
//! result, and waits for it. Resuming goes through the loop as in Tornado's
//! Runner (`io_loop.add_future(future, run)`): two queued callbacks per op.
use std::time::Instant;

use limit::{Future, Loop, measure};

const N: u64 = 100_000;

/// One turn of the coroutine: `for i in range(N): total += yield f`.
fn step(lp: &Loop, i: u64, total: u64) {
    if i == N {
        assert_eq!(total, N * (N - 1) / 2);
        lp.stop();
        return;
    }
    let f = Future::new();
    let setter = f.clone();
    lp.add_callback(move || setter.set_result(i)); // loop.add_callback(f.set_result, i)
    let lp = lp.clone();
    f.add_done_callback(move |f| {
        // Runner: add_future(f, run) schedules the resume on the loop.
        let value = f.result().expect("done");
        let lp2 = lp.clone();
        lp.add_callback(move || step(&lp2, i + 1, total + value));
    });
}

fn main() {
    let lp = Loop::new();
    let t0 = Instant::now();
    let lp2 = lp.clone();
    lp.add_callback(move || step(&lp2, 0, 0));
    lp.start();
    measure::report("S2", N, t0.elapsed(), &[]);
}
