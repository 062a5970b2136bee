//! Fault: `close(true)` on a loop in full use (16 handlers whose closures own
//! their sockets, queued callbacks, pending timeouts, a thread still adding
//! callbacks through a `RemoteLoop`) releases every descriptor: the count of
//! `/proc/self/fd` is back where it was before the loop was made.
//!
//! (`close_releases_descriptors.rs` shows an idle loop and one handler.)
//! Counting `/proc/self/fd` sees every thread's descriptors, so this file
//! holds a single test.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ch03_ioloop::{FakeClock, IOLoop};

const HANDLERS: usize = 16;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn close_on_a_busy_loop_releases_every_descriptor() {
    let before = open_fds();
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let mut peers = Vec::new();
    for _ in 0..HANDLERS {
        let (socket, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        let socket = Rc::new(socket);
        let owned = socket.clone();
        io_loop
            .add_handler(
                &*socket,
                move |_, _| {
                    let _owned = &owned;
                },
                IOLoop::READ,
            )
            .unwrap();
        peers.push(peer); // held by the test; the handlers own the other ends
    }
    // Pending work that close() must drop.
    for _ in 0..100 {
        io_loop.add_callback(|| ());
        io_loop.call_later(60.0, || ());
    }
    // A thread that keeps adding until told to stop, before and after close().
    let remote = io_loop.remote();
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut added = 0u64;
        while !s.load(Ordering::Relaxed) || added < 1000 {
            remote.add_callback(|| ());
            added += 1;
        }
        drop(remote);
    });
    // One iteration runs, with everything in flight.
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    let during = open_fds();
    assert_eq!(
        during,
        before + 3 + 3 * HANDLERS,
        "epoll, eventfd, timerfd, 16 pairs, the loop's duplicate of each registered end"
    );

    io_loop.close(true);
    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap(); // its add_callback calls after close() were ignored
    drop(peers);
    IOLoop::clear_current();
    assert_eq!(open_fds(), before, "every descriptor released");
}
