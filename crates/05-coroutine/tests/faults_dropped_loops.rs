//! Fault: loops dropped without `close()` while coroutines sleep on them.
//! A sleeping coroutine is a cycle in the making: the loop's timeout holds
//! the `sleep` future, the future's done-callback holds the Runner, and the
//! Runner remembers its loop. The Runner and `add_future` hold the loop
//! weakly, so dropping the last handle frees the loop: 10,000 loops, each
//! with two sleeping coroutines, a `with_timeout` and a kept `RemoteLoop`,
//! leave the count of `/proc/self/fd` where it was.
//!
//! Counting `/proc/self/fd` sees every thread's descriptors, so this file
//! holds a single test.

use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, sleep, with_timeout};

const LOOPS: usize = 10_000;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// 10,000 loops with sleeping coroutines and a pending `with_timeout`,
/// dropped without `close()`: the descriptor count stays flat.
#[test]
fn loops_dropped_with_sleeping_coroutines_release_their_descriptors() {
    IOLoop::clear_current();
    let before = open_fds();
    let mut remotes = Vec::with_capacity(LOOPS);
    for _ in 0..LOOPS {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current(); // sleep() and the Runner use the current loop
        let sleeper = || {
            coroutine(|co| async move {
                co.yield_(sleep(60.0)).await?;
                co.yield_(sleep(60.0)).await?;
                Ok(())
            })
        };
        let (a, b) = (sleeper(), sleeper());
        let lp = io_loop.clone();
        // One iteration: both coroutines are now waiting on their sleeps.
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        assert!(!a.done() && !b.done());
        let timed = with_timeout(30.0, Future::<()>::new());
        drop((a, b, timed));
        remotes.push(io_loop.remote());
        IOLoop::clear_current();
        drop(io_loop);
        assert_eq!(open_fds(), before, "this loop's descriptors were released");
    }
    drop(remotes);
    assert_eq!(open_fds(), before);
}
