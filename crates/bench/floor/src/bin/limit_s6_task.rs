//! S6 task, the limit: N sequential `yield gen.Task(f)`, where `f(callback)`
//! schedules the callback with add_callback. `task` is gen.Task: a Future whose
//! result is set by the callback handed to `func`.
use std::time::Instant;

use limit::{Future, Loop, measure};

const N: u64 = 100_000;

/// `gen.Task(func)` (4.5.3), minus its ExceptionStackContext.
fn task(func: impl FnOnce(Box<dyn FnOnce()>)) -> Future<()> {
    let future = Future::new();
    let setter = future.clone();
    func(Box::new(move || {
        if !setter.done() {
            setter.set_result(());
        }
    }));
    future
}

fn step(lp: &Loop, done: u64) {
    if done == N {
        lp.stop();
        return;
    }
    let lp_f = lp.clone();
    let f = task(move |callback| lp_f.add_callback(callback)); // yield gen.Task(f)
    let lp = lp.clone();
    f.add_done_callback(move |_| {
        let lp2 = lp.clone();
        lp.add_callback(move || step(&lp2, done + 1));
    });
}

fn main() {
    let lp = Loop::new();
    let t0 = Instant::now();
    let lp2 = lp.clone();
    lp.add_callback(move || step(&lp2, 0));
    lp.start();
    measure::report("S6", N, t0.elapsed(), &[]);
}
