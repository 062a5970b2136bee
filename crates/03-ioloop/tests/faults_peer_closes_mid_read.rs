//! Fault: the peer closes the connection while the handler is half-way
//! through reading what it sent.
//!
//! The peer sends 10 bytes; the handler reads 4 at a time. During its first
//! call the peer closes. The loop is level-triggered (as Tornado's epoll
//! loop), so the handler is called again while bytes remain, now with the
//! hang-up bit: `READ | 0x10` (half of `ERROR`), exactly the mask Tornado
//! 4.5.3 hands over. The data sent before the close is all delivered, then
//! `read` returns 0 (end of file) and the handler removes itself, as
//! Tornado's `IOStream` does on a closed connection. The loop lives on.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

#[test]
fn a_peer_closing_mid_read_delivers_the_rest_then_eof() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    socket.set_nonblocking(true).unwrap();
    peer.write_all(b"0123456789").unwrap();
    let socket = Rc::new(socket);
    let peer = Rc::new(RefCell::new(Some(peer)));
    // (bytes read, mask) per call
    let calls = Rc::new(RefCell::new(Vec::new()));

    let (me, lp, c, p) = (socket.clone(), io_loop.clone(), calls.clone(), peer.clone());
    io_loop
        .add_handler(
            &*socket,
            move |_, events| {
                let mut buf = [0u8; 4];
                let n = (&*me).read(&mut buf).expect("readable");
                c.borrow_mut().push((n, events));
                // The peer goes away in the middle of the transfer.
                drop(p.borrow_mut().take());
                if n == 0 {
                    // End of file: stop listening, as IOStream.close() does.
                    lp.remove_handler(&*me);
                    let stopper = lp.clone();
                    lp.add_callback(move || stopper.stop());
                }
            },
            IOLoop::READ,
        )
        .unwrap();
    io_loop.start().unwrap();

    const HUP: u32 = 0x10;
    assert_eq!(
        *calls.borrow(),
        [
            (4, IOLoop::READ),       // before the close
            (4, IOLoop::READ | HUP), // the rest, with the hang-up
            (2, IOLoop::READ | HUP),
            (0, IOLoop::READ | HUP), // end of file: the handler removes itself
        ]
    );
    assert_ne!((IOLoop::READ | HUP) & IOLoop::ERROR, 0);

    // The loop lives: it runs a callback after all this.
    let (ran, lp) = (Rc::new(RefCell::new(false)), io_loop.clone());
    let r = ran.clone();
    io_loop.add_callback(move || {
        *r.borrow_mut() = true;
        lp.stop();
    });
    io_loop.start().unwrap();
    assert!(*ran.borrow());
    io_loop.close(true);
}
