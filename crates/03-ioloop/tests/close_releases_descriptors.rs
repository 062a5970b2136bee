//! `close()` releases every descriptor the loop opened (Tornado 4.5.3's
//! `PollIOLoop.close`: "self._waker.close(); self._impl.close()"), and with
//! `all_fds = true` the handlers' sockets close too.
//!
//! Counting `/proc/self/fd` sees every thread's descriptors, so this file
//! holds a single test: no other test of this binary runs beside it.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn is_open(fd: i32) -> bool {
    Path::new(&format!("/proc/self/fd/{fd}")).exists()
}

#[test]
fn close_releases_every_descriptor_it_opened() {
    let before = open_fds();
    for _ in 0..3 {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        assert!(open_fds() > before, "a loop opens its poller's descriptors");
        let remote = io_loop.remote(); // a handle held elsewhere must not keep them open
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(false);
        assert_eq!(open_fds(), before, "close(false) released the poller");
        drop(remote);
        IOLoop::clear_current();
    }

    // close(true): the handlers go, and with them the sockets they own.
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    let fd = socket.as_raw_fd();
    let socket = Rc::new(socket);
    let (lp, owned) = (io_loop.clone(), socket.clone());
    io_loop
        .add_handler(
            &socket,
            move |_, _| {
                let _owned = &owned;
                lp.stop();
            },
            IOLoop::READ,
        )
        .unwrap();
    drop(socket); // only the handler's closure owns the socket now
    io_loop.start().unwrap();
    assert!(is_open(fd));
    io_loop.close(true);
    assert!(
        !is_open(fd),
        "close(true) dropped the handler, closing its socket"
    );
    drop(peer);
    IOLoop::clear_current();
    assert_eq!(open_fds(), before);
}
