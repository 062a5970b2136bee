//! Port of Tornado's `TestIOLoop.test_add_callback_while_closing` (4.5.3:
//! `add_callback` after `close()` is silently ignored), from the loop's
//! thread and from another thread; and what else `close()` drops.

use std::cell::Cell;
use std::rc::Rc;

use ch03_ioloop::{IOLoop, IOLoopError};

#[test]
fn test_add_callback_while_closing() {
    let io_loop = IOLoop::new().unwrap();
    let remote = io_loop.remote();
    let pending = Rc::new(Cell::new(false));
    let p = pending.clone();
    io_loop.add_callback(move || p.set(true));

    io_loop.close(false);
    io_loop.add_callback::<()>(|| panic!("ignored after close"));
    std::thread::spawn(move || remote.add_callback(|| panic!("ignored after close")))
        .join()
        .unwrap();

    assert!(matches!(io_loop.start(), Err(IOLoopError::Closed)));
    assert!(
        !pending.get(),
        "callbacks queued before close() are dropped"
    );
    assert_eq!(Rc::strong_count(&pending), 1, "and their closures freed");
    let (socket, _peer) = std::os::unix::net::UnixStream::pair().unwrap();
    assert!(matches!(
        io_loop.add_handler(&socket, |_, _| (), IOLoop::READ),
        Err(IOLoopError::Closed)
    ));
}
