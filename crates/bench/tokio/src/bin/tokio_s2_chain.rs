//! S2 chain, tokio: one task that N times makes a oneshot channel (our
//! Future), spawns a task that sends `i` on it (`add_callback(f.set_result,
//! i)`), and awaits the receiver (`yield f`).
use std::time::Instant;

use peer::{report, runtime};
use tokio::sync::oneshot;

const N: u64 = 100_000;

fn main() {
    let (rt, local) = runtime();
    let t0 = Instant::now();
    let got = local.block_on(&rt, async {
        let mut total = 0;
        for i in 0..N {
            let (setter, f) = oneshot::channel();
            tokio::task::spawn_local(async move {
                let _ = setter.send(i);
            });
            total += f.await.expect("sent");
        }
        total
    });
    let total = t0.elapsed();
    assert_eq!(got, N * (N - 1) / 2, "{got}");
    report("S2", N, total, &[]);
}
