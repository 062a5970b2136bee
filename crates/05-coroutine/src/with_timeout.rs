//! `gen.with_timeout`: a future that gives up waiting at a deadline.

use ch02_future::Future;

/// A future that completes as `future` does, or fails with
/// [`TimeoutError`](crate::TimeoutError) at `deadline` (an absolute time on the loop's clock,
/// `IOLoop::time() + seconds`) if `future` has not completed by then.
///
/// The slow future is not cancelled: it still runs to its end. If it then
/// fails, the failure is logged (`Exception in Future ... after timeout`),
/// since nobody is left to look at it.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 (without `quiet_exceptions`):
///
/// ```python
/// def with_timeout(timeout, future, io_loop=None, quiet_exceptions=()):
///     future = convert_yielded(future)
///     result = Future()
///     chain_future(future, result)
///     io_loop = io_loop or IOLoop.current()
///     def error_callback(future):
///         try:
///             future.result()
///         except Exception as e:
///             app_log.error("Exception in Future %r after timeout", future, exc_info=True)
///     def timeout_callback():
///         result.set_exception(TimeoutError("Timeout"))
///         future.add_done_callback(error_callback)
///     timeout_handle = io_loop.add_timeout(timeout, timeout_callback)
///     future.add_done_callback(lambda future: io_loop.remove_timeout(timeout_handle))
///     return result
/// ```
///
/// A `deadline` of `+inf` never times out (the result follows `future`)
/// and `-inf` times out at the next iteration unless `future` is done
/// first, as in Tornado.
///
/// # Differences
///
/// A NaN `deadline` fails the result at once with
/// [`IOLoopError::NotANumber`](ch03_ioloop::IOLoopError::NotANumber) (`ValueError: Invalid value NaN (not a
/// number)`), whatever `future` does, and schedules nothing; `future` is
/// treated as after a timeout: its failure, if it fails, is logged.
/// Tornado 4.5.3 schedules a NaN timeout: it never fires, and at the head
/// of the heap it starves later timeouts and makes the loop spin.
// ANCHOR: with_timeout
pub fn with_timeout<T: Clone + 'static>(deadline: f64, future: Future<T>) -> Future<T> {
    // exercise ex05.2 begin (uses: deadline, future)
    use ch01_yield::Exception;
    use ch02_future::chain_future;
    use ch03_ioloop::{IOLoop, IOLoopError};

    use crate::error::TimeoutError;

    /// In case the wrapped future goes on to fail, log it: nobody else will
    /// look at it (Tornado's `error_callback`).
    fn log_failure_after_timeout<T: Clone + 'static>(future: &Future<T>) {
        // PY 6.x: `future_add_done_callback`, at once if done, as 4.5.3's
        // `add_done_callback` (Tornado 6's alone would wait an iteration).
        ch02_future::future_add_done_callback(future, |future: &Future<T>| {
            if let Err(exc) = future.result() {
                log::error!(target: "tornado.application",
                    "Exception in Future f{} after timeout: {exc}", future.id());
            }
        });
    }

    if deadline.is_nan() {
        let result = Future::failed(IOLoopError::NotANumber);
        log_failure_after_timeout(&future);
        return result;
    }
    let result = Future::new();
    // No current loop and none can be made: `result` fails with the reason
    // (Tornado's `IOLoop.current()` would raise it here).
    let io_loop = match IOLoop::current() {
        Ok(io_loop) => io_loop,
        Err(error) => {
            let _ = result.set_exception(error);
            return result;
        }
    };
    chain_future(&future, &result);
    let tornado4 = io_loop.era() == ch00_trace::Era::Tornado4;
    let timeout_handle = io_loop.add_timeout(deadline, {
        let (result, future) = (result.clone(), future.clone());
        move || {
            // PY 6.x: `if not result.done():` (4.5.3 raises, and logs).
            if tornado4 || !result.done() {
                result.set_exception(TimeoutError)?;
            }
            log_failure_after_timeout(&future);
            Ok::<(), Exception>(())
        }
    });
    // Weak: the loop may hold `future` (a timeout that resolves it), and a
    // strong handle here would keep a dropped loop alive.
    let io_loop = io_loop.downgrade();
    ch02_future::future_add_done_callback(&future, move |_: &Future<T>| {
        if let Some(io_loop) = io_loop.upgrade() {
            io_loop.remove_timeout(&timeout_handle);
        }
    });
    result
    // exercise ex05.2 end
}
// ANCHOR_END: with_timeout
