//! Fault: misuse from *inside* the running loop gets a named error, Tornado's
//! exception and wording, and the loop goes on.
//!
//! `test_multiple_add` and `test_reentrant` show the two errors from outside
//! a handler; here a handler registers its own descriptor a second time
//! (`FileExistsError`, epoll's `EEXIST`) and a timeout calls `start()`
//! (`RuntimeError: IOLoop is already running`). Neither changes anything:
//! the first handler stays, the loop neither nests nor stops.

use std::cell::RefCell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};

#[test]
fn misuse_inside_the_running_loop_gets_named_errors() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    let socket = Rc::new(socket);
    let errors = Rc::new(RefCell::new(Vec::new()));
    let calls = Rc::new(RefCell::new(0));

    let (me, lp, errs, c) = (
        socket.clone(),
        io_loop.clone(),
        errors.clone(),
        calls.clone(),
    );
    io_loop
        .add_handler(
            &*socket,
            move |_, _| {
                *c.borrow_mut() += 1;
                if *c.borrow() == 1 {
                    let err = lp
                        .add_handler::<()>(&*me, |_, _| panic!("never registered"), IOLoop::READ)
                        .unwrap_err();
                    errs.borrow_mut().push(err);
                }
            },
            IOLoop::READ,
        )
        .unwrap();
    let (lp, errs) = (io_loop.clone(), errors.clone());
    io_loop.call_later(1.0, move || {
        errs.borrow_mut().push(lp.start().unwrap_err());
        lp.stop();
    });
    io_loop.start().unwrap();

    let errors = errors.take();
    assert!(matches!(
        errors[..],
        [IOLoopError::FileExists, IOLoopError::AlreadyRunning]
    ));
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "FileExistsError: [Errno 17] File exists",
            "RuntimeError: IOLoop is already running"
        ]
    );
    // One poll ran before the timeout's iteration (the fake clock jumped to
    // 1.0 for it): one call so far. The first handler stayed: the next run
    // calls it again (level-triggered, the byte is still unread), twice:
    // the stop() that ended the first run left its wake-up pending, so the
    // first poll of this run returns at once, before the clock jumps (as
    // Tornado's waker byte makes it), and the second is the jump's.
    assert_eq!(*calls.borrow(), 1);
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*calls.borrow(), 3);
    io_loop.remove_handler(&*socket);
    io_loop.close(true);
}
