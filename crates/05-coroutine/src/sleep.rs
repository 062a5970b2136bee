//! `gen.sleep`: a future that resolves after a delay.

use ch02_future::Future;

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
/// it resumes one iteration later (the Runner's `add_future` hop). A
/// `duration` of `+inf` never resolves (a sleep forever) and `-inf`
/// resolves at the next iteration, as in Tornado.
///
/// # Differences
///
/// If there is no current loop and none can be made (out of descriptors),
/// the future fails with that `OSError` (Tornado's `IOLoop.current()` would
/// raise it from `sleep` itself).
///
/// A NaN `duration` gives a future already failed with
/// [`IOLoopError::NotANumber`](ch03_ioloop::IOLoopError::NotANumber) (`ValueError: Invalid value NaN (not a
/// number)`, Python's `time.sleep` wording), and schedules nothing. Tornado
/// 4.5.3 schedules a NaN timeout: it never fires, and at the head of the
/// heap it starves later timeouts and makes the loop spin.
///
/// ```
/// use ch03_ioloop::{FakeClock, IOLoop};
/// let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
/// io_loop.make_current();
/// let f = ch05_coroutine::sleep(f64::NAN);
/// assert_eq!(
///     f.result().unwrap_err().to_string(),
///     "ValueError: Invalid value NaN (not a number)"
/// );
/// assert_eq!(io_loop.timeouts_len(), 0);
/// ```
pub fn sleep(duration: f64) -> Future<()> {
    // exercise ex05.1 begin (uses: duration)
    use ch03_ioloop::{IOLoop, IOLoopError};
    if duration.is_nan() {
        return Future::failed(IOLoopError::NotANumber);
    }
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
    // exercise ex05.1 end
}
