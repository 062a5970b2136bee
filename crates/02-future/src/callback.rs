//! What a done-callback may return: nothing, or a `Result`.

use ch01_yield::Exception;

/// The return type of a done-callback: `()` for a callback that cannot fail,
/// or `Result<(), E>` for one that uses `?`.
///
/// Python callbacks fail by raising; Rust callbacks fail by returning `Err`
/// (or by panicking, which [`Future`](crate::Future) catches too). This trait
/// lets [`Future::add_done_callback`](crate::Future::add_done_callback) accept
/// both shapes of closure and see them as one.
///
/// # Tornado
///
/// `tornado/concurrent.py` 4.5.3, `Future._set_done`: the `try`/`except`
/// around each callback is where a callback's failure is caught.
///
/// ```python
/// for cb in self._callbacks:
///     try:
///         cb(self)
///     except Exception:
///         app_log.exception('Exception in callback %r for %r', cb, self)
/// ```
///
/// # Example
///
/// ```
/// use ch02_future::{DoneCallbackReturn, Exception, PyError};
///
/// assert!(().into_result().is_ok());
/// let failed: Result<(), PyError> = Err(PyError::new("ValueError", "bad"));
/// assert_eq!(failed.into_result().unwrap_err().to_string(), "ValueError: bad");
/// ```
pub trait DoneCallbackReturn {
    /// `Ok(())` if the callback succeeded, the exception it "raised" otherwise.
    fn into_result(self) -> Result<(), Exception>;
}

/// A callback returning nothing always succeeds (unless it panics).
impl DoneCallbackReturn for () {
    fn into_result(self) -> Result<(), Exception> {
        Ok(())
    }
}

/// A callback returning `Err(e)` raised `e`.
impl<E: Into<Exception>> DoneCallbackReturn for Result<(), E> {
    fn into_result(self) -> Result<(), Exception> {
        self.map_err(Into::into)
    }
}
