//! The masks a handler receives, as Tornado 4.5.3's epoll loop gives them
//! (docs/conformance.md, checked by running Tornado,
//! `test_read_while_writeable`): the combined mask of one poll, only the
//! directions asked for, and the hang-up half of `ERROR` when the peer closed.

use std::cell::RefCell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

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
