//! S1 callbacks, tokio: N tasks spawned (`spawn_local`) before the runtime
//! runs, each counts once; the program waits for the last. tokio's nearest
//! thing to `add_callback` is spawning a task that runs once.
//! Argument `inloop` (reported as S1inloop): spawned from a task instead.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use peer::{report, runtime};
use tokio::sync::Notify;

const N: u64 = 1_000_000;

/// Spawns the N tasks; returns when the last spawn returned.
fn schedule_all(count: &Rc<Cell<u64>>, last: &Rc<Notify>) -> Instant {
    for _ in 0..N {
        let (count, last) = (Rc::clone(count), Rc::clone(last));
        tokio::task::spawn_local(async move {
            count.set(count.get() + 1);
            if count.get() == N {
                last.notify_one();
            }
        });
    }
    Instant::now()
}

fn main() {
    let in_loop = std::env::args().nth(1).as_deref() == Some("inloop");
    let (rt, local) = runtime();
    let count = Rc::new(Cell::new(0u64));
    let last = Rc::new(Notify::new());

    let t0 = Instant::now();
    let t1 = local.block_on(&rt, async {
        let t1 = if in_loop {
            let (count, last) = (Rc::clone(&count), Rc::clone(&last));
            tokio::task::spawn_local(async move { schedule_all(&count, &last) })
                .await
                .expect("schedule_all")
        } else {
            schedule_all(&count, &last)
        };
        last.notified().await;
        t1
    });
    let t2 = Instant::now();

    assert_eq!(count.get(), N);
    let name = if in_loop { "S1inloop" } else { "S1" };
    report(
        name,
        N,
        t2 - t0,
        &[
            ("sched_s", format!("{:.6}", (t1 - t0).as_secs_f64())),
            ("run_s", format!("{:.6}", (t2 - t1).as_secs_f64())),
        ],
    );
}
