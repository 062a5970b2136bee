//! 100,000 coroutines, each waiting on the next: no stack overflow.
//!
//! Each level yields a moment before it calls the next, so every first step
//! runs from its own loop callback; and each completion reaches its waiter
//! through the loop (`add_future`), never by a nested call. The stack stays
//! flat, whatever the depth: the test runs on a 256 KiB thread.

use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment};

const DEPTH: u64 = 100_000;

fn nested(depth: u64) -> Future<u64> {
    coroutine(move |co| async move {
        if depth == 0 {
            return Ok(0);
        }
        co.yield_(moment()).await?;
        let below = co.yield_(nested(depth - 1)).await?;
        Ok(below + 1)
    })
}

#[test]
fn hundred_thousand_nested_coroutines_on_a_small_stack() {
    let result = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
            io_loop.make_current();
            io_loop.run_sync(|| nested(DEPTH), None).unwrap()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(result, DEPTH);
}
