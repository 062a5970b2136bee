//! S5 pingpong, ours: `py/s5_pingpong.py` on the course's IOLoop.
//!
//! A non-blocking AF_UNIX socketpair with a READ handler on each end
//! (`add_handler`); one byte goes a -> b -> a, N round trips. Timed: from the
//! first send until `start()` returns.
use std::cell::Cell;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::Instant;

use ch03_ioloop::IOLoop;
use course_bench::measure::{self, fail};

const N: u64 = 100_000;

/// `sock.recv(1)`: one byte, which the level-triggered poll said is there.
fn recv1(mut sock: &UnixStream) {
    let mut byte = [0u8; 1];
    match sock.read(&mut byte) {
        Ok(1) => {}
        Ok(n) => fail("recv", format!("{n} bytes")),
        Err(e) => fail("recv", e),
    }
}

/// `sock.send(b"x")`.
fn send1(mut sock: &UnixStream) {
    if let Err(e) = sock.write_all(b"x") {
        fail("send", e);
    }
}

fn main() {
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    // PY: a, b = socket.socketpair(AF_UNIX, SOCK_STREAM); a/b.setblocking(False)
    let (a, b) = UnixStream::pair().unwrap_or_else(|e| fail("socketpair", e));
    a.set_nonblocking(true)
        .and_then(|()| b.set_nonblocking(true))
        .unwrap_or_else(|e| fail("setblocking", e));
    let (a, b) = (Rc::new(a), Rc::new(b));
    let trips = Rc::new(Cell::new(0u64));

    let (sock, count, lp) = (Rc::clone(&a), Rc::clone(&trips), io_loop.clone());
    let on_a = move |_fd, _events| {
        recv1(&sock);
        count.set(count.get() + 1);
        if count.get() == N {
            lp.stop();
        } else {
            send1(&sock);
        }
    };
    let sock = Rc::clone(&b);
    let on_b = move |_fd, _events| {
        recv1(&sock);
        send1(&sock);
    };
    io_loop
        .add_handler(&*a, on_a, IOLoop::READ)
        .and_then(|()| io_loop.add_handler(&*b, on_b, IOLoop::READ))
        .unwrap_or_else(|e| fail("add_handler", e));

    let t0 = Instant::now();
    send1(&a);
    io_loop.start().unwrap_or_else(|e| fail("start", e));
    let elapsed = t0.elapsed();

    assert_eq!(trips.get(), N);
    measure::report("S5", N, elapsed, &[]);
    io_loop.remove_handler(&*a);
    io_loop.remove_handler(&*b);
    io_loop.close(true);
}
