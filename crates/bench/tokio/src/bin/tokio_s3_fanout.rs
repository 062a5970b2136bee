//! S3 fanout, tokio: C tasks (`spawn_local`), each `yield_now()`s ROUNDS
//! times (`yield gen.moment`); the main task awaits all their handles
//! (`yield [workers]`). Memory: VmRSS before, VmHWM after, as the others.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use peer::{proc_status_kb, report, runtime};

const C: u64 = 10_000;
const ROUNDS: u64 = 10;

fn main() {
    let (rt, local) = runtime();
    let steps = Rc::new(Cell::new(0u64));

    let base = proc_status_kb("VmRSS");
    let t0 = Instant::now();
    local.block_on(&rt, async {
        let workers: Vec<_> = (0..C)
            .map(|_| {
                let steps = Rc::clone(&steps);
                tokio::task::spawn_local(async move {
                    for _ in 0..ROUNDS {
                        tokio::task::yield_now().await;
                        steps.set(steps.get() + 1);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("worker");
        }
    });
    let total = t0.elapsed();
    let peak = proc_status_kb("VmHWM");

    let n = C * ROUNDS;
    assert_eq!(steps.get(), n, "{}", steps.get());
    report(
        "S3",
        n,
        total,
        &[
            ("coroutines", C.to_string()),
            ("base_rss_kb", base.to_string()),
            ("peak_rss_kb", peak.to_string()),
        ],
    );
}
