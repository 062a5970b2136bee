//! Port of Tornado's `TestIOLoop.test_remove_timeout_cleanup` (many add/remove
//! pairs go through the compaction path) and of `ch03_remove_timeout`'s table: the heap is
//! compacted only when `cancellations > 512 and cancellations > len / 2`.

use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

/// `ch03_remove_timeout`'s `scenario(total, remove)`: `total` far-away timeouts, `remove` of
/// them removed (the latest ones, or the earliest), then exactly one
/// iteration. Returns (heap, cancellations) before and after it.
fn one_iteration(total: usize, remove: usize, earliest: bool) -> [(usize, usize); 2] {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let base = io_loop.time() + 3600.0;
    let handles: Vec<TimeoutHandle> = (0..total)
        .map(|i| io_loop.add_timeout(base + i as f64, || ()))
        .collect();
    let victims = if earliest {
        &handles[..remove]
    } else {
        &handles[total - remove..]
    };
    for handle in victims {
        io_loop.remove_timeout(handle);
    }
    let before = (io_loop.timeouts_len(), io_loop.cancellations());
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    let after = (io_loop.timeouts_len(), io_loop.cancellations());
    io_loop.close(true);
    [before, after]
}

#[test]
fn compaction_needs_more_than_512_cancellations() {
    assert_eq!(one_iteration(600, 513, false), [(600, 513), (87, 0)]);
    assert_eq!(one_iteration(600, 512, false), [(600, 512), (600, 512)]);
}

#[test]
fn compaction_needs_more_than_half_of_the_heap() {
    assert_eq!(one_iteration(2000, 600, false), [(2000, 600), (2000, 600)]);
    assert_eq!(
        one_iteration(2000, 1000, false),
        [(2000, 1000), (2000, 1000)]
    );
    assert_eq!(one_iteration(2000, 1001, false), [(2000, 1001), (999, 0)]);
}

#[test]
fn small_heaps_are_never_compacted() {
    assert_eq!(one_iteration(150, 76, false), [(150, 76), (150, 76)]);
}

#[test]
fn cancelled_heads_are_popped_lazily() {
    assert_eq!(one_iteration(10, 5, true), [(10, 5), (5, 0)]);
}

/// The Tornado test: 2000 timeouts added and removed one by one while the
/// loop runs, then one more timeout that must still fire.
#[test]
fn test_remove_timeout_cleanup() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    for _ in 0..2000 {
        let handle = io_loop.call_later(3600.0, || ());
        io_loop.remove_timeout(&handle);
    }
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        let stopper = lp.clone();
        lp.call_later(0.0, move || stopper.stop());
    });
    io_loop.start().unwrap();
    // Every entry was cancelled, so each reached the head and was popped.
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (0, 0));
    io_loop.close(true);
}
