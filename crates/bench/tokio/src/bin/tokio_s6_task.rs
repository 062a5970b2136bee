//! S6 task, tokio: one task that N times makes a oneshot channel, hands its
//! sender to `f` (gen.Task's callback), where `f` spawns a task that sends
//! on it (`loop.add_callback(callback)`), and awaits the receiver.
use std::time::Instant;

use peer::{report, runtime};
use tokio::sync::oneshot;

const N: u64 = 100_000;

/// `def f(callback): loop.add_callback(callback)`.
fn f(callback: oneshot::Sender<()>) {
    tokio::task::spawn_local(async move {
        let _ = callback.send(());
    });
}

fn main() {
    let (rt, local) = runtime();
    let t0 = Instant::now();
    let got = local.block_on(&rt, async {
        let mut done = 0;
        for _ in 0..N {
            // `yield gen.Task(f)`: the callback resolves what we wait on.
            let (callback, task) = oneshot::channel();
            f(callback);
            task.await.expect("called");
            done += 1;
        }
        done
    });
    let total = t0.elapsed();
    assert_eq!(got, N, "{got}");
    report("S6", N, total, &[("task", "tokio oneshot".to_string())]);
}
