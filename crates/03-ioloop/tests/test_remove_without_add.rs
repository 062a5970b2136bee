//! Port of Tornado's `TestIOLoop.test_remove_without_add`: removing a
//! handler that was never added does nothing (Tornado logs the poller's
//! error at DEBUG level).

use std::os::unix::net::UnixStream;

use ch03_ioloop::IOLoop;

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
