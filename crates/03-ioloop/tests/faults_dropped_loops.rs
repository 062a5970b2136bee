//! Fault: loops dropped without `close()` while work is pending, a
//! `RemoteLoop` of each still held elsewhere. Dropping the last `IOLoop`
//! handle does what `close(true)` does: the poller's descriptors and the
//! loop's duplicates of registered descriptors are released, so 10,000 such
//! loops leave the count of `/proc/self/fd` where it was.
//!
//! The pending work is the kind that used to hold the loop in a cycle: an
//! `add_future` on a future that the loop's own timeout resolves (the
//! done-callback held a strong handle to the loop), and a `run_sync` whose
//! future never resolved (its stoppers held the loop).
//!
//! Counting `/proc/self/fd` sees every thread's descriptors, so this file
//! holds a single test.

use std::io::Write;
use std::os::unix::net::UnixStream;

use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};

const LOOPS: usize = 10_000;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// 10,000 loops with timeouts, an `add_future` cycle, a pending `run_sync`
/// future, a handler and a kept `RemoteLoop`, each dropped without
/// `close()`: the descriptor count stays flat.
#[test]
fn loops_dropped_without_close_release_their_descriptors() {
    IOLoop::clear_current();
    let before = open_fds();
    let mut remotes = Vec::with_capacity(LOOPS);
    let mut peak = 0;
    for _ in 0..LOOPS {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        IOLoop::clear_current(); // the thread-local would keep it alive
        for _ in 0..3 {
            io_loop.call_later(60.0, || ());
        }
        // A future only the loop's timeout holds, whose done-callback
        // (add_future) remembers the loop.
        let future: Future<()> = Future::new();
        let resolve = future.clone();
        io_loop.call_later(30.0, move || resolve.set_result(()));
        io_loop.add_future(&future, |_| ());
        drop(future);
        // run_sync that times out: its future stays pending.
        let pending: Future<()> = Future::new();
        let kept = pending.clone();
        let timed_out = io_loop.run_sync(move || kept, Some(1.0));
        assert!(timed_out.is_err());
        // (`pending` only in a timeout: the run_sync closures hold it.)
        io_loop.call_later(10.0, move || drop(pending));
        // A registered socket, dropped by its owner after remove_handler is
        // forgotten: the loop's duplicate must go with the loop.
        let (socket, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        io_loop
            .add_handler(&socket, |_, _| (), IOLoop::READ)
            .unwrap();
        drop((socket, peer));
        remotes.push(io_loop.remote());
        peak = peak.max(open_fds());
        drop(io_loop);
        assert_eq!(open_fds(), before, "this loop's descriptors were released");
    }
    // epoll, eventfd, timerfd, a socket pair and the loop's duplicate.
    assert!(peak <= before + 6, "one loop at a time: peak {peak}");
    drop(remotes);
    assert_eq!(open_fds(), before);
}
