//! Tornado 4.5.3 runs the handlers of one poll in the *reverse* of the order
//! the poller reported them (`self._events.update(event_pairs)` then
//! `popitem()`, which is LIFO), and a handler removing a descriptor drops its
//! pending event (docs/conformance.md, checked by running Tornado). epoll
//! reports descriptors that were ready when registered in registration order,
//! so the handlers run last-added first.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

#[test]
fn handlers_run_in_reverse_poller_order() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let pairs: Vec<(Rc<UnixStream>, UnixStream)> = (0..4)
        .map(|_| {
            let (r, mut w) = UnixStream::pair().unwrap();
            w.write_all(b"x").unwrap();
            (Rc::new(r), w)
        })
        .collect();
    let ran = Rc::new(RefCell::new(Vec::new()));
    let readers: Vec<Rc<UnixStream>> = pairs.iter().map(|(r, _)| r.clone()).collect();
    for (i, (r, _)) in pairs.iter().enumerate() {
        let (ran, lp, readers, me) = (ran.clone(), io_loop.clone(), readers.clone(), r.clone());
        io_loop
            .add_handler(
                r,
                move |_, _| {
                    (&*me).read_exact(&mut [0u8; 1]).unwrap();
                    ran.borrow_mut().push(format!("s{i}"));
                    if ran.borrow().len() == 1 {
                        // A run of Tornado 4.5.3 (docs/conformance.md): the first handler removes
                        // s0 (or s3 if it is s0).
                        let victim = if i != 0 { 0 } else { 3 };
                        lp.remove_handler(&readers[victim]);
                        ran.borrow_mut().push(format!("(removed s{victim})"));
                    }
                },
                IOLoop::READ,
            )
            .unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(0.02, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*ran.borrow(), ["s3", "(removed s0)", "s2", "s1"]);
    for (r, _) in &pairs {
        io_loop.remove_handler(r);
    }
    io_loop.close(true);
}
