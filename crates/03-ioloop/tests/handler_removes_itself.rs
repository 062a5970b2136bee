//! A handler that removes itself while it runs (the async-in-Tornado article's `handle_data`
//! calls `io_loop.remove_handler(sock)` first thing): it finishes its run,
//! is not called again, and its closure (owning the socket) is dropped once
//! it returns, after the descriptor left the poller.

use std::cell::Cell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

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
