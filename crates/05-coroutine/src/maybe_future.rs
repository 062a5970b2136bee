//! `gen.maybe_future`: a plain value as an already-resolved future.

use ch02_future::Future;

/// Wraps a plain value in a resolved future, so code that yields it can
/// treat plain and asynchronous results alike.
///
/// ```
/// let f = ch05_coroutine::maybe_future(5);
/// assert_eq!(f.result().unwrap(), 5);
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 (deprecated there since 4.3):
///
/// ```python
/// def maybe_future(x):
///     if is_future(x):
///         return x
///     else:
///         fut = Future()
///         fut.set_result(x)
///         return fut
/// ```
///
/// # Differences
///
/// Python finds out at run time whether `x` is a future; Rust knows from
/// its type. A `Future<T>` needs no wrapping, so only the plain-value half
/// is here.
pub fn maybe_future<T: 'static>(x: T) -> Future<T> {
    Future::resolved(x)
}
