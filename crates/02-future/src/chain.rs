//! `chain_future`: when one future completes, complete another the same way.

use crate::future::Future;

/// Copies `a`'s outcome (result or exception) into `b` when `a` completes,
/// unless `b` is done by then.
///
/// The copy is a done-callback of `a`, so it happens inside `a.set_result`
/// (or at once, if `a` is already done). Retrieving `a`'s exception to copy
/// it counts as retrieving it: `a` is not reported as "never retrieved", `b`
/// takes over that duty.
///
/// # Tornado
///
/// `tornado/concurrent.py` 4.5.3, `chain_future`:
///
/// ```python
/// def chain_future(a, b):
///     def copy(future):
///         assert future is a
///         if b.done():
///             return
///         if (isinstance(a, TracebackFuture) and
///                 isinstance(b, TracebackFuture) and
///                 a.exc_info() is not None):
///             b.set_exc_info(a.exc_info())
///         elif a.exception() is not None:
///             b.set_exception(a.exception())
///         else:
///             b.set_result(a.result())
///     a.add_done_callback(copy)
/// ```
///
/// # Differences
///
/// Both futures hold the same type `T`, and `T: Clone` because `a` keeps its
/// result while `b` gets a copy. There is no traceback to copy.
///
/// In Tornado 6.x the copy is registered with `future_add_done_callback`: it
/// still runs at once when `a` is already done, but one loop iteration after
/// `a` completes otherwise (asyncio schedules done-callbacks).
///
/// ```
/// use ch02_future::{Future, chain_future};
///
/// let a = Future::new();
/// let b = Future::new();
/// chain_future(&a, &b);
/// assert!(!b.done());
/// a.set_result(7).unwrap(); // b completes in here
/// assert_eq!(b.result().unwrap(), 7);
/// ```
// ANCHOR: chain_future
pub fn chain_future<T: Clone + 'static>(a: &Future<T>, b: &Future<T>) {
    // exercise ex02.4 begin (uses: a, b)
    let b = b.clone();
    // PY: `copy` is a closure over `b` (and `a`, which it also receives as
    // its argument: `assert future is a`; ours receives it the same way).
    // PY 6.x: `future_add_done_callback(a, copy)`: at once if `a` is done
    // (4.5.3's `add_done_callback` does the same), never one iteration later.
    crate::future_add_done_callback(a, move |a: &Future<T>| {
        if b.done() {
            return Ok(());
        }
        // PY 6.x: `if a.cancelled(): b.cancel()` (a 4.5.3 future never is).
        if a.cancelled() {
            b.cancel();
            return Ok(());
        }
        // PY: `a.exception()` then `a.result()`; `?` re-raises the (never
        // expected) not-done error out of the callback, where it is logged.
        match a.exception()? {
            Some(exc) => b.set_exception(exc)?,
            None => b.set_result(a.result()?)?,
        }
        Ok::<(), ch01_yield::Exception>(())
    });
    // exercise ex02.4 end
}
// ANCHOR_END: chain_future

/// Calls `callback(&future)` at once if `future` is done, else when it
/// completes: Tornado 6's `tornado.concurrent.future_add_done_callback`.
///
/// Under Tornado 4.5.3's rules this is [`Future::add_done_callback`]. Under
/// Tornado 6's, `add_done_callback` on a done future schedules the callback
/// on the loop; this helper runs it *now*, and is what Tornado 6's own
/// helpers (`multi_future`, `with_timeout`, `chain_future`) use so as not to
/// pay one more iteration for a child that is already done.
///
/// # Tornado
///
/// `tornado/concurrent.py` 6.6.1:
///
/// ```python
/// def future_add_done_callback(future, callback):
///     if future.done():
///         callback(future)
///     else:
///         future.add_done_callback(callback)
/// ```
///
/// # Differences
///
/// Tornado's lets an exception from an inline call propagate to the caller;
/// ours logs it, as [`Future::add_done_callback`] logs any callback's failure
/// (the same code runs it).
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use ch02_future::{Future, future_add_done_callback};
///
/// let ran = Rc::new(Cell::new(false));
/// let r = ran.clone();
/// future_add_done_callback(&Future::resolved(1), move |_: &Future<i32>| r.set(true));
/// assert!(ran.get());
/// ```
pub fn future_add_done_callback<T: 'static, R: crate::DoneCallbackReturn>(
    future: &Future<T>,
    callback: impl FnOnce(&Future<T>) -> R + 'static,
) {
    if future.done() {
        future.run_done_callback_now(callback);
    } else {
        future.add_done_callback(callback);
    }
}
