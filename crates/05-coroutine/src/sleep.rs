//! `gen.sleep`: a future that resolves after a delay.

use ch02_future::Future;
use ch03_ioloop::IOLoop;

/// A future that resolves `duration` seconds from now, on the current
/// loop's clock: `yield gen.sleep(0.5)` pauses a coroutine without blocking
/// the loop.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// def sleep(duration):
///     f = Future()
///     IOLoop.current().call_later(duration, lambda: f.set_result(None))
///     return f
/// ```
///
/// The future resolves in the loop's timeout phase; a coroutine waiting on
/// it resumes one iteration later (the Runner's `add_future` hop).
///
/// # Differences
///
/// If there is no current loop and none can be made (out of descriptors),
/// the future fails with that `OSError` (Tornado's `IOLoop.current()` would
/// raise it from `sleep` itself).
pub fn sleep(duration: f64) -> Future<()> {
    let f = Future::new();
    let resolve = f.clone();
    match IOLoop::current() {
        Ok(io_loop) => {
            io_loop.call_later(duration, move || resolve.set_result(()));
        }
        Err(error) => {
            let _ = f.set_exception(error);
        }
    }
    f
}
