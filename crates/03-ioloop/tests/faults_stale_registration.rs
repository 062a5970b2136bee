//! Fault: the registered descriptor is a duplicate, closed behind the loop's
//! back while the original keeps the socket open; its number is reused by a
//! new socket that gets its own handler.
//!
//! Tornado 4.5.3 on epoll (checked by running it): epoll keeps the old
//! registration under the closed number, because the open file is still
//! open; `remove_handler` cannot reach it any more (`unregister` of the
//! number finds the new file), and its events are reported under the same
//! number, so they go to the *new* handler. While the old socket stays
//! readable the level-triggered loop never sleeps again: 36,961 calls of
//! the new handler in 0.2 s of a loop with nothing to do.
//!
//! Here the loop registers its own duplicate, which nobody else can close,
//! so no registration outlives its descriptor: the new handler hears
//! nothing and the loop sleeps.
//!
//! One test per file: descriptor numbers are process-wide.

use std::cell::Cell;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::EventKind;
use ch03_ioloop::IOLoop;

/// Tornado's stale-registration case: the new handler gets no event of the
/// old socket, and the loop does not spin (polls counted over 0.2 s).
#[test]
fn a_stale_registration_neither_reaches_the_new_handler_nor_spins() {
    let io_loop = IOLoop::new().unwrap(); // system clock: spinning would show
    let (socket, mut peer) = UnixStream::pair().unwrap();
    let duplicate = socket.try_clone().unwrap();
    let old_fd = duplicate.as_raw_fd();
    let old_calls = Rc::new(Cell::new(0));
    let c = old_calls.clone();
    io_loop
        .add_handler(&duplicate, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    drop(duplicate); // behind the loop's back; `socket` keeps the file open
    peer.write_all(b"x").unwrap(); // the old socket is readable for good

    let (reused, _reused_peer) = UnixStream::pair().unwrap();
    assert_eq!(reused.as_raw_fd(), old_fd, "the number was reused");
    io_loop.remove_handler(&reused); // clears the old entry, as in Tornado
    let new_calls = Rc::new(Cell::new(0));
    let c = new_calls.clone();
    io_loop
        .add_handler(&reused, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();

    let lp = io_loop.clone();
    io_loop.call_later(0.2, move || lp.stop());
    let ((), recording) = ch00_trace::record(|| io_loop.start().unwrap());
    let polls = recording
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Poll)
        .count();
    println!("polls in 0.2 s: {polls}");
    assert_eq!(new_calls.get(), 0, "no event of the old socket");
    assert_eq!(old_calls.get(), 0, "the old handler was removed");
    assert!(
        polls <= 3,
        "the loop slept until its timeout: {polls} polls"
    );

    io_loop.remove_handler(&reused);
    io_loop.close(true);
    IOLoop::clear_current();
    drop((socket, peer));
}
