//! Fault: a handler removes another handler whose event is already pending,
//! closes that descriptor, and registers a new socket that gets the *same
//! descriptor number*, all inside one dispatch.
//!
//! Tornado 4.5.3's `remove_handler` also deletes the fd's pending event
//! (`self._events.pop(fd, None)`), so the stale readiness of the old socket
//! cannot reach the new handler. (`test_remove_handler_from_handler` shows
//! the removal alone; this adds the number's reuse, the case that makes the
//! `_events.pop` matter.) The file holds one test: descriptor numbers are
//! process-wide, and no other test may open or close one meanwhile.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

/// A readable socket and its peer, owned here so a handler can close them.
type Pair = Rc<RefCell<Option<(UnixStream, UnixStream)>>>;

fn readable_pair() -> Pair {
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    Rc::new(RefCell::new(Some((socket, peer))))
}

#[test]
fn a_removed_descriptor_reused_at_once_gets_no_stale_event() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (first, second) = (readable_pair(), readable_pair());
    let old_calls = Rc::new(Cell::new(0)); // calls of the two old handlers
    let new_calls = Rc::new(Cell::new(0)); // calls of the new socket's handler
    let numbers = Rc::new(Cell::new(None)); // (old fd, new fd)
    let replacement: Pair = Rc::new(RefCell::new(None));

    // Both are ready in the first poll. Whichever runs first removes the
    // other (whose event is pending), closes it, and registers a fresh, idle
    // socket, which the kernel gives the number just freed.
    for (me, other) in [(&first, &second), (&second, &first)] {
        let other = other.clone();
        let (lp, old_calls, new_calls) = (io_loop.clone(), old_calls.clone(), new_calls.clone());
        let (numbers, replacement) = (numbers.clone(), replacement.clone());
        let handler = move |_, _| {
            old_calls.set(old_calls.get() + 1);
            let (old, old_peer) = other.borrow_mut().take().expect("not replaced yet");
            lp.remove_handler(&old);
            let old_fd = old.as_raw_fd();
            drop(old); // closes the old descriptor; the peer stays open for now
            let (new, new_peer) = UnixStream::pair().unwrap();
            numbers.set(Some((old_fd, new.as_raw_fd())));
            let c = new_calls.clone();
            lp.add_handler(&new, move |_, _| c.set(c.get() + 1), IOLoop::READ)
                .unwrap();
            *replacement.borrow_mut() = Some((new, new_peer));
            drop(old_peer);
        };
        let guard = me.borrow();
        let (socket, _) = guard.as_ref().unwrap();
        io_loop.add_handler(socket, handler, IOLoop::READ).unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop()); // a few idle iterations later
    io_loop.start().unwrap();

    let (old_fd, new_fd) = numbers.get().expect("a handler ran");
    assert_eq!(new_fd, old_fd, "the new socket reuses the closed number");
    assert_eq!(old_calls.get(), 1, "the removed handler never ran");
    assert_eq!(
        new_calls.get(),
        0,
        "the old socket's pending READ did not reach the new one"
    );

    // The new handler works: data on the new socket reaches it.
    {
        let mut guard = replacement.borrow_mut();
        let (_, new_peer) = guard.as_mut().unwrap();
        new_peer.write_all(b"y").unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
    assert!(new_calls.get() >= 1);

    for pair in [&first, &second, &replacement] {
        if let Some((socket, _)) = pair.borrow().as_ref() {
            io_loop.remove_handler(socket);
        }
    }
    io_loop.close(true);
}
