//! Fault: a descriptor is closed while its handler is still registered,
//! behind the loop's back (the caller's half of the contract, "remove the
//! handler before closing the descriptor", is broken).
//!
//! What happens is epoll's doing, as in Tornado 4.5.3 on Linux:
//!
//! 1. **The last descriptor of the socket closes**: the kernel drops it from
//!    the epoll interest list by itself. The handler is never called again,
//!    but it stays in the loop's table (Tornado's `_handlers` too). Adding a
//!    handler for a new socket that got the same number then fails with
//!    `FileExistsError`: we refuse a number our table holds (Tornado would
//!    overwrite its dict entry and succeed, since epoll forgot the number).
//!    `remove_handler` clears it (its `unregister` fails, which is only
//!    logged at debug level, as in Tornado) and the number can be used again.
//! 2. **Another descriptor still refers to the socket** (a `dup`, here
//!    `try_clone`): epoll keeps the registration of the *closed number*, and
//!    reports it every iteration while the socket is readable. The loop keeps
//!    calling the handler with a number that is closed. `remove_handler`
//!    cannot reach the registration any more (it needs the closed number);
//!    only `close()` of the loop ends it. Nothing unsafe happens: a number
//!    is only passed around, never used to touch memory.
//!
//! One test per file: descriptor numbers are process-wide.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

#[test]
fn a_descriptor_closed_behind_the_loops_back() {
    // Case 1: the last descriptor closes.
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    let old_fd = socket.as_raw_fd();
    let calls = Rc::new(Cell::new(0));
    let (c, lp) = (calls.clone(), io_loop.clone());
    io_loop
        .add_handler(
            &socket,
            move |_, _| {
                c.set(c.get() + 1);
                lp.stop();
            },
            IOLoop::READ,
        )
        .unwrap();
    io_loop.start().unwrap();
    assert_eq!(calls.get(), 1);

    drop(socket); // closed without remove_handler
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop()); // several iterations
    io_loop.start().unwrap();
    assert_eq!(calls.get(), 1, "epoll forgot the closed descriptor");

    // The number is free in the kernel, but not in the loop's table.
    let (reused, _reused_peer) = UnixStream::pair().unwrap();
    assert_eq!(reused.as_raw_fd(), old_fd);
    let err = io_loop
        .add_handler(&reused, |_, _| (), IOLoop::READ)
        .unwrap_err();
    assert!(matches!(err, IOLoopError::FileExists));
    io_loop.remove_handler(&reused); // clears the stale entry (unregister fails: debug log)
    io_loop
        .add_handler(&reused, |_, _| (), IOLoop::READ)
        .unwrap();
    io_loop.remove_handler(&reused);
    drop(peer);
    io_loop.close(true);
    IOLoop::clear_current();

    // Case 2: a duplicate keeps the socket open. On the system clock: the
    // handler stops the loop after 3 calls; the 10 s timeout is only a
    // backstop that would end the test (failing) if the calls stopped.
    let io_loop = IOLoop::new().unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    let duplicate = socket.try_clone().unwrap();
    let closed_fd = socket.as_raw_fd();
    let numbers = Rc::new(RefCell::new(Vec::new()));
    let (n, lp) = (numbers.clone(), io_loop.clone());
    io_loop
        .add_handler(
            &socket,
            move |fd, _| {
                n.borrow_mut().push(fd);
                if n.borrow().len() == 3 {
                    lp.stop();
                }
            },
            IOLoop::READ,
        )
        .unwrap();
    drop(socket); // closed without remove_handler; `duplicate` keeps it alive
    peer.write_all(b"x").unwrap(); // readable from now on (nobody reads)
    let lp = io_loop.clone();
    let backstop = io_loop.call_later(10.0, move || lp.stop());
    io_loop.start().unwrap();
    io_loop.remove_timeout(&backstop);
    // Called in 3 iterations running, each time with the closed number.
    assert_eq!(*numbers.borrow(), [closed_fd; 3]);
    io_loop.close(true); // the only way out: the poller goes
    IOLoop::clear_current();
    drop((duplicate, peer));
}
