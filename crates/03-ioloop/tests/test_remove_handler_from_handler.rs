//! Port of Tornado's `TestIOLoop.test_remove_handler_from_handler`: two
//! descriptors are ready in the same poll; the first handler to run removes
//! the other, whose pending event is then dropped.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

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
