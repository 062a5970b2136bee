//! Fault: a socket is dropped (closed) while its handler is still
//! registered, behind the loop's back (the caller's half of the contract,
//! "remove the handler before closing the descriptor", is broken).
//!
//! The loop registered its own duplicate of the descriptor, so the socket
//! stays open, as Tornado 4.5.3 keeps a socket object alive in `_handlers`
//! after the caller's `del sock`: the handler goes on being called while the
//! socket is readable, and the peer sees no hang-up. When a new socket gets
//! the old number, `add_handler` refuses it (`FileExistsError`: the number
//! is in the table) and `remove_handler` by that number removes the old
//! registration, closing the old connection; then the new socket is
//! watched, and hears only its own events.
//!
//! One test per file: descriptor numbers are process-wide.

use std::cell::Cell;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

/// Runs the loop for one fake second: a handful of iterations.
fn run_one_second(io_loop: &IOLoop) {
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
}

/// A dropped registered socket stays open (the loop's duplicate) and its
/// handler keeps firing until `remove_handler` of its number, which closes it.
#[test]
fn a_socket_dropped_while_registered_stays_open_until_removed() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap(); // readable from now on (nobody reads)
    let old_fd = socket.as_raw_fd();
    let old_calls = Rc::new(Cell::new(0));
    let c = old_calls.clone();
    io_loop
        .add_handler(&socket, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    run_one_second(&io_loop);
    let before_drop = old_calls.get();
    assert!(before_drop >= 1);

    drop(socket); // closed without remove_handler
    run_one_second(&io_loop);
    assert!(
        old_calls.get() > before_drop,
        "the loop's duplicate keeps the socket readable and watched"
    );
    peer.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 1];
    let err = peer.read(&mut buf).unwrap_err();
    assert_eq!(
        err.kind(),
        std::io::ErrorKind::WouldBlock,
        "no hang-up: the connection is still open"
    );

    // A new socket gets the old number: the table still holds it.
    let (reused, _reused_peer) = UnixStream::pair().unwrap();
    assert_eq!(reused.as_raw_fd(), old_fd);
    let err = io_loop
        .add_handler(&reused, |_, _| (), IOLoop::READ)
        .unwrap_err();
    assert!(matches!(err, IOLoopError::FileExists));

    // remove_handler by that number ends the old registration and closes
    // the loop's duplicate: the old connection's last descriptor.
    io_loop.remove_handler(&reused);
    // (A reset rather than EOF: the socket closed with our "x" unread.)
    let closed = peer.read(&mut buf).unwrap_err();
    assert_eq!(
        closed.kind(),
        std::io::ErrorKind::ConnectionReset,
        "the peer sees the connection closed now"
    );

    // The new socket (nothing to read) hears nothing of the old one.
    let old_total = old_calls.get();
    let new_calls = Rc::new(Cell::new(0));
    let c = new_calls.clone();
    io_loop
        .add_handler(&reused, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    run_one_second(&io_loop);
    assert_eq!(new_calls.get(), 0);
    assert_eq!(old_calls.get(), old_total);
    io_loop.remove_handler(&reused);
    io_loop.close(true);
    IOLoop::clear_current();
}
