//! Handlers: `add_handler`, `update_handler`, `remove_handler`, the masks a
//! handler receives, the order the handlers of one poll run in, and handlers
//! that remove themselves or each other. Ports Tornado 4.5.3's
//! ioloop_test.py `TestIOLoop.test_read_while_writeable`, `test_multiple_add`,
//! `test_remove_without_add` and `test_remove_handler_from_handler`.

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

// ----------------------------------------------------------------------
// The masks a handler receives, as Tornado 4.5.3's epoll loop gives them
// (docs/conformance.md, checked by running Tornado,
// `test_read_while_writeable`): the combined mask of one poll, only the
// directions asked for, and the hang-up half of `ERROR` when the peer closed.

/// The masks `fd`'s handler receives in the first iteration with events.
fn first_masks(socket: &UnixStream, events: u32, update: Option<u32>) -> Vec<u32> {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let masks = Rc::new(RefCell::new(Vec::new()));
    let (m, lp) = (masks.clone(), io_loop.clone());
    io_loop
        .add_handler(
            socket,
            move |_, events| {
                m.borrow_mut().push(events);
                lp.stop();
            },
            events,
        )
        .unwrap();
    if let Some(events) = update {
        io_loop.update_handler(socket, events).unwrap();
    }
    io_loop.start().unwrap();
    io_loop.remove_handler(socket);
    io_loop.close(true);
    masks.take()
}

/// A run of Tornado 4.5.3 (docs/conformance.md): a socket both readable and
/// writable, registered for both: one call, `0x5`.
#[test]
fn readable_and_writable_in_one_call() {
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    assert_eq!(
        first_masks(&socket, IOLoop::READ | IOLoop::WRITE, None),
        [0x5]
    );
}

/// Port of `test_read_while_writeable`: registered for READ only, a
/// writable socket reports exactly `READ`.
#[test]
fn test_read_while_writeable() {
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    assert_eq!(first_masks(&socket, IOLoop::READ, None), [IOLoop::READ]);
}

/// A peer that closed: `READ | EPOLLHUP` (`0x11`), though only READ was
/// asked for; the hang-up is half of `ERROR`.
#[test]
fn a_peer_that_closes_gives_read_and_error() {
    let (socket, peer) = UnixStream::pair().unwrap();
    drop(peer);
    let masks = first_masks(&socket, IOLoop::READ, None);
    assert_eq!(masks, [0x11]);
    assert_ne!(masks[0] & IOLoop::ERROR, 0);
}

/// `update_handler` changes what the handler hears about.
#[test]
fn update_handler_changes_the_interest() {
    let (socket, _peer) = UnixStream::pair().unwrap();
    assert_eq!(
        first_masks(&socket, IOLoop::READ, Some(IOLoop::WRITE)),
        [IOLoop::WRITE]
    );
}

#[test]
fn the_constants_are_tornados() {
    assert_eq!(
        (IOLoop::NONE, IOLoop::READ, IOLoop::WRITE, IOLoop::ERROR),
        (0, 0x001, 0x004, 0x018)
    );
}

// ----------------------------------------------------------------------
// Tornado 4.5.3 runs the handlers of one poll in the *reverse* of the order
// the poller reported them (`self._events.update(event_pairs)` then
// `popitem()`, which is LIFO), and a handler removing a descriptor drops its
// pending event (docs/conformance.md, checked by running Tornado). epoll
// reports descriptors that were ready when registered in registration order,
// so the handlers run last-added first.

#[test]
fn handlers_run_in_reverse_poller_order() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let pairs: Vec<(Rc<UnixStream>, UnixStream)> = (0..4)
        .map(|_| {
            let (r, mut w) = UnixStream::pair().unwrap();
            w.write_all(b"x").unwrap();
            (Rc::new(r), w)
        })
        .collect();
    let ran = Rc::new(RefCell::new(Vec::new()));
    let readers: Vec<Rc<UnixStream>> = pairs.iter().map(|(r, _)| r.clone()).collect();
    for (i, (r, _)) in pairs.iter().enumerate() {
        let (ran, lp, readers, me) = (ran.clone(), io_loop.clone(), readers.clone(), r.clone());
        io_loop
            .add_handler(
                r,
                move |_, _| {
                    (&*me).read_exact(&mut [0u8; 1]).unwrap();
                    ran.borrow_mut().push(format!("s{i}"));
                    if ran.borrow().len() == 1 {
                        // A run of Tornado 4.5.3 (docs/conformance.md): the first handler removes
                        // s0 (or s3 if it is s0).
                        let victim = if i != 0 { 0 } else { 3 };
                        lp.remove_handler(&readers[victim]);
                        ran.borrow_mut().push(format!("(removed s{victim})"));
                    }
                },
                IOLoop::READ,
            )
            .unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(0.02, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*ran.borrow(), ["s3", "(removed s0)", "s2", "s1"]);
    for (r, _) in &pairs {
        io_loop.remove_handler(r);
    }
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// A handler that removes itself while it runs (the async-in-Tornado article's `handle_data`
// calls `io_loop.remove_handler(sock)` first thing): it finishes its run,
// is not called again, and its closure (owning the socket) is dropped once
// it returns, after the descriptor left the poller.

/// Sets a flag when dropped: tells us when the handler's closure went away.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn a_handler_removes_itself() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"never read: level-triggered, it would fire forever")
        .unwrap();
    let socket = Rc::new(socket);
    let calls = Rc::new(Cell::new(0));
    let dropped = Rc::new(Cell::new(false));

    let (c, lp, me) = (calls.clone(), io_loop.clone(), socket.clone());
    let flag = DropFlag(dropped.clone());
    let d = dropped.clone();
    io_loop
        .add_handler(
            &socket,
            move |_, _| {
                let _keep = &flag;
                c.set(c.get() + 1);
                lp.remove_handler(&me);
                assert!(!d.get(), "the running handler was dropped under its feet");
            },
            IOLoop::READ,
        )
        .unwrap();
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop()); // a few iterations later
    io_loop.start().unwrap();
    assert_eq!(calls.get(), 1);
    assert!(
        dropped.get(),
        "the removed handler is dropped after its run"
    );
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_multiple_add`: adding a handler for a
// descriptor that already has one fails (`FileExistsError`), and the first
// handler stays in place.

#[test]
fn test_multiple_add() {
    let io_loop = IOLoop::new().unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    let first = Rc::new(Cell::new(0));
    let (f, lp) = (first.clone(), io_loop.clone());
    io_loop
        .add_handler(
            &socket,
            move |_, _| {
                f.set(f.get() + 1);
                lp.stop();
            },
            IOLoop::READ,
        )
        .unwrap();

    let err = io_loop
        .add_handler::<()>(
            &socket,
            |_, _| panic!("the second handler must not run"),
            IOLoop::READ,
        )
        .unwrap_err();
    assert!(matches!(err, IOLoopError::FileExists));
    assert_eq!(err.to_string(), "FileExistsError: [Errno 17] File exists");

    peer.write_all(b"x").unwrap();
    io_loop.start().unwrap();
    assert_eq!(first.get(), 1);
    io_loop.remove_handler(&socket);
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_remove_handler_from_handler`: two
// descriptors are ready in the same poll; the first handler to run removes
// the other, whose pending event is then dropped.

#[test]
fn test_remove_handler_from_handler() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (client, server) = UnixStream::pair().unwrap();
    (&client).write_all(b"abc").unwrap();
    (&server).write_all(b"abc").unwrap();
    let (client, server) = (Rc::new(client), Rc::new(server));
    let chunks = Rc::new(RefCell::new(Vec::new()));

    for (me, other) in [
        (client.clone(), server.clone()),
        (server.clone(), client.clone()),
    ] {
        let (chunks, lp, fd) = (chunks.clone(), io_loop.clone(), me.clone());
        io_loop
            .add_handler(
                &me,
                move |_, _| {
                    let mut buf = [0u8; 1024];
                    let n = (&*fd).read(&mut buf).unwrap();
                    chunks.borrow_mut().push(buf[..n].to_vec());
                    // After reading from one fd, remove the other from the IOLoop.
                    lp.remove_handler(&other);
                },
                IOLoop::READ,
            )
            .unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(0.1, move || lp.stop());
    io_loop.start().unwrap();
    // Only one fd was read; the other was cleanly removed.
    assert_eq!(*chunks.borrow(), [b"abc".to_vec()]);
    io_loop.remove_handler(&client);
    io_loop.remove_handler(&server);
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_remove_without_add`: removing a
// handler that was never added does nothing (Tornado logs the poller's
// error at DEBUG level).

#[test]
fn test_remove_without_add() {
    let io_loop = IOLoop::new().unwrap();
    let (socket, _peer) = UnixStream::pair().unwrap();
    io_loop.remove_handler(&socket);
    // And the descriptor can still be added afterwards.
    io_loop
        .add_handler(&socket, |_, _| (), IOLoop::READ)
        .unwrap();
    io_loop.remove_handler(&socket);
    io_loop.remove_handler(&socket);
    io_loop.close(true);
}
