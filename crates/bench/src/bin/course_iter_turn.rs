//! ITERturn, ours only: the price of one loop iteration that runs one callback.
//!
//! A callback re-adds itself N times, so each op is one whole iteration of
//! `IOLoop::start` (count, run, choose the poll timeout, poll or not). This is
//! what S2 and S6 pay twice per op: the `set_result` callback runs in one
//! iteration and the coroutine's resumption in the next.
//!
//! Argument `handler` (reported as `ITERturnfd`): a READ handler on an idle
//! socket is registered first. With a handler the loop polls every iteration,
//! as Tornado does; without one, callbacks waiting and no wake-up pending, it
//! skips the poll (see `IOLoop::start`). The difference of the two rows is
//! what the skip saves.
use std::cell::Cell;
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::Instant;

use ch03_ioloop::IOLoop;
use course_bench::measure::{self, fail};

const N: u64 = 200_000;

/// One turn: count, and re-add itself until N turns ran.
fn turn(io_loop: IOLoop, count: Rc<Cell<u64>>) {
    count.set(count.get() + 1);
    if count.get() == N {
        io_loop.stop();
    } else {
        let lp = io_loop.clone();
        io_loop.add_callback(move || turn(lp, count));
    }
}

fn main() {
    let with_handler = std::env::args().nth(1).as_deref() == Some("handler");
    let io_loop = IOLoop::new().unwrap_or_else(|e| fail("IOLoop::new", e));
    // Never written to: the handler is registered but never fires.
    let (idle, _peer) = UnixStream::pair().unwrap_or_else(|e| fail("socketpair", e));
    if with_handler {
        io_loop
            .add_handler(
                &idle,
                |_, _| -> () { fail("idle handler", "fired") },
                IOLoop::READ,
            )
            .unwrap_or_else(|e| fail("add_handler", e));
    }
    let count = Rc::new(Cell::new(0u64));
    let (lp, c) = (io_loop.clone(), Rc::clone(&count));

    let t0 = Instant::now();
    io_loop.add_callback(move || turn(lp, c));
    io_loop.start().unwrap_or_else(|e| fail("start", e));
    let elapsed = t0.elapsed();

    assert_eq!(count.get(), N);
    let name = if with_handler {
        "ITERturnfd"
    } else {
        "ITERturn"
    };
    measure::report(name, N, elapsed, &[]);
    io_loop.remove_handler(&idle);
    io_loop.close(true);
}
