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
    a.add_done_callback(move |a: &Future<T>| {
        if b.done() {
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
