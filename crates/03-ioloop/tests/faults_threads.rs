//! Faults: other threads flooding a loop with `RemoteLoop::add_callback`,
//! while it runs and after it was dropped.

use std::sync::atomic::{AtomicU8, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use ch03_ioloop::{FakeClock, IOLoop};

// ----------------------------------------------------------------------
// Fault: 8 threads each call `RemoteLoop::add_callback` 100,000 times while
// the loop runs and keeps running callbacks of its own.
//
// Tornado 4.5.3 makes `add_callback` "safe to call from any thread at any
// time". Ours goes through a locked inbox that the loop drains at the top
// of every iteration (`remote.rs`), including the iterations that skip the
// poll because callbacks are waiting. Each of the 800,000 callbacks marks
// its own slot: every slot must read exactly 1 (none lost, none run twice),
// every one ran on the loop's thread, and each thread's callbacks ran in the
// order that thread added them.

const THREADS: usize = 8;
const PER_THREAD: usize = 100_000;

#[test]
fn eight_threads_add_800k_callbacks_each_runs_exactly_once() {
    let io_loop = IOLoop::new().unwrap();
    let loop_thread = std::thread::current().id();
    let slots: Arc<Vec<AtomicU8>> = Arc::new(
        (0..THREADS * PER_THREAD)
            .map(|_| AtomicU8::new(0))
            .collect(),
    );
    // The last index each thread's callbacks reached, to check their order.
    let last_seen: Arc<Vec<AtomicUsize>> =
        Arc::new((0..THREADS).map(|_| AtomicUsize::new(0)).collect());
    let off_thread = Arc::new(AtomicU32::new(0));
    let out_of_order = Arc::new(AtomicU32::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let go = Arc::new(Barrier::new(THREADS + 1));

    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let remote = io_loop.remote();
            let (slots, last_seen, off_thread, out_of_order, finished, go) = (
                slots.clone(),
                last_seen.clone(),
                off_thread.clone(),
                out_of_order.clone(),
                finished.clone(),
                go.clone(),
            );
            std::thread::spawn(move || {
                go.wait(); // the loop is running
                for i in 0..PER_THREAD {
                    let (slots, last_seen, off_thread, out_of_order) = (
                        slots.clone(),
                        last_seen.clone(),
                        off_thread.clone(),
                        out_of_order.clone(),
                    );
                    remote.add_callback(move || {
                        if std::thread::current().id() != loop_thread {
                            off_thread.fetch_add(1, Ordering::Relaxed);
                        }
                        slots[t * PER_THREAD + i].fetch_add(1, Ordering::Relaxed);
                        // Indexes are stored +1 so that 0 means "none yet".
                        if last_seen[t].swap(i + 1, Ordering::Relaxed) != i {
                            out_of_order.fetch_add(1, Ordering::Relaxed);
                        }
                    });
                }
                if finished.fetch_add(1, Ordering::SeqCst) + 1 == THREADS {
                    // Every other thread has added all of its callbacks.
                    remote.add_callback(|| IOLoop::current().unwrap().stop());
                }
            })
        })
        .collect();

    // The loop runs busy work of its own meanwhile: a callback that re-adds
    // itself, so most iterations have callbacks waiting (and skip the poll).
    fn spin(io_loop: IOLoop, turns: std::rc::Rc<std::cell::Cell<u64>>) {
        turns.set(turns.get() + 1);
        let lp = io_loop.clone();
        io_loop.add_callback(move || spin(lp, turns));
    }
    let turns = std::rc::Rc::new(std::cell::Cell::new(0));
    let (lp, t) = (io_loop.clone(), turns.clone());
    let go_loop = go.clone();
    io_loop.add_callback(move || {
        go_loop.wait(); // release the threads from inside the running loop
        spin(lp, t);
    });
    io_loop.start().unwrap();
    for thread in threads {
        thread.join().unwrap();
    }

    let counts = slots.iter().fold([0usize; 3], |mut acc, slot| {
        acc[usize::from(slot.load(Ordering::Relaxed).min(2))] += 1;
        acc
    });
    assert_eq!(
        counts,
        [0, THREADS * PER_THREAD, 0],
        "[never ran, ran once, ran twice or more]"
    );
    assert_eq!(off_thread.load(Ordering::Relaxed), 0);
    assert_eq!(out_of_order.load(Ordering::Relaxed), 0);
    assert!(turns.get() > 0, "the loop's own work went on meanwhile");
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Fault: a `RemoteLoop` outlives its loop, which was dropped without
// `close()`, and another thread goes on adding callbacks. Dropping the
// last `IOLoop` handle closes the inbox as `close()` does: every later
// callback is dropped at once, so nothing piles up (Tornado 4.5.3's
// `add_callback` returns at once when `_closing`; a loop that was never
// closed would append to its deque forever).

/// After the loop is dropped, `RemoteLoop::add_callback` keeps nothing:
/// 1,000,000 calls from another thread leave the closures' shared counter
/// with no other owner.
#[test]
fn a_remote_of_a_dropped_loop_drops_its_callbacks() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    IOLoop::clear_current();
    let remote = io_loop.remote();
    let token = Arc::new(());
    let t = token.clone();
    remote.add_callback(move || drop(t));
    assert_eq!(
        Arc::strong_count(&token),
        2,
        "a live loop keeps the callback"
    );

    drop(io_loop);
    assert_eq!(
        Arc::strong_count(&token),
        1,
        "the dropped loop released its pending callback"
    );
    let t = token.clone();
    std::thread::spawn(move || {
        for _ in 0..1_000_000 {
            let t = t.clone();
            remote.add_callback(move || drop(t));
        }
    })
    .join()
    .unwrap();
    assert_eq!(Arc::strong_count(&token), 1, "no callback was kept");
}
