//! What the chapter's test files share: a loop on a fake clock, and a
//! coroutine run to completion while recording.

use ch00_trace::{Recording, record};
use ch01_yield::Exception;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};

/// A fresh loop on a fake clock, made current.
pub fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// Runs `main` with `run_sync` on a fresh loop while recording: what it
/// returned, and what was recorded.
///
/// With a timeout, so that a coroutine left pending fails its test instead
/// of hanging it; the fake clock makes the timeout instant, and a program
/// that finishes never reaches it, so it changes no order.
pub fn recorded<T: Clone + 'static>(
    main: impl FnOnce() -> Future<T> + 'static,
) -> (Result<T, Exception>, Recording) {
    record(|| fake_loop().run_sync(main, Some(60.0)))
}
