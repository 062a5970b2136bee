//! Fault: a `RemoteLoop` outlives its loop, which was dropped without
//! `close()`, and another thread goes on adding callbacks. Dropping the
//! last `IOLoop` handle closes the inbox as `close()` does: every later
//! callback is dropped at once, so nothing piles up (Tornado 4.5.3's
//! `add_callback` returns at once when `_closing`; a loop that was never
//! closed would append to its deque forever).

use std::sync::Arc;

use ch03_ioloop::{FakeClock, IOLoop};

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
