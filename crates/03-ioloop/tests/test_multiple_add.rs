//! Port of Tornado's `TestIOLoop.test_multiple_add`: adding a handler for a
//! descriptor that already has one fails (`FileExistsError`), and the first
//! handler stays in place.

use std::cell::Cell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{IOLoop, IOLoopError};

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
