//! The one error type of this chapter: what `Future`'s methods raise.

use std::error::Error;
use std::fmt;

/// What a [`Future`](crate::Future) method raises when it is used out of turn:
/// one variant per Python exception, each `Display` starting with the Python
/// exception's name, as a traceback's last line does.
///
/// It converts into [`Exception`](crate::Exception) with `?` (as any
/// `Error + Send + Sync` does), so a callback or coroutine can propagate it.
///
/// # Tornado
///
/// `tornado/concurrent.py` 4.5.3, `Future._check_done` raises a plain
/// `Exception`; asyncio (Tornado 6.x) raises `InvalidStateError` for a second
/// `set_result`:
///
/// ```python
/// def _check_done(self):
///     if not self._done:
///         raise Exception("DummyFuture does not support blocking for results")
/// ```
///
/// # Differences
///
/// Tornado 4.5.3 has no double-set check at all: a second `set_result`
/// overwrites the value and then fails with `TypeError: 'NoneType' object is
/// not iterable` (it iterates the callback list it already cleared). We refuse
/// the second set with [`FutureError::InvalidState`] instead, as Tornado 3.x
/// (`concurrent.futures`) and 6.x (`asyncio`) do.
///
/// ```
/// use ch02_future::{Future, FutureError};
///
/// let f: Future<i32> = Future::new();
/// let err = f.exception().unwrap_err();
/// assert!(matches!(err.downcast_ref::<FutureError>(), Some(FutureError::NotDone)));
/// assert_eq!(err.to_string(), "Exception: DummyFuture does not support blocking for results");
///
/// f.set_result(1).unwrap();
/// assert_eq!(f.set_result(2), Err(FutureError::InvalidState));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FutureError {
    /// `result()` or `exception()` asked of a future that is not done yet.
    ///
    /// Tornado 4.5.3 raises a bare `Exception` with this message (the name is
    /// a leftover of the pure-Python `_DummyFuture` of Tornado 3.x).
    NotDone,
    /// `result()` of a pending future under Tornado 6's rules: asyncio's
    /// `InvalidStateError('Result is not set.')`.
    ResultNotSet,
    /// `exception()` of a pending future under Tornado 6's rules: asyncio's
    /// `InvalidStateError('Exception is not set.')`.
    ExceptionNotSet,
    /// `set_result` or `set_exception` on a future that is already done.
    ///
    /// Python's `InvalidStateError` (`concurrent.futures` and `asyncio`).
    InvalidState,
    /// The future was cancelled (Tornado 6 only: asyncio's `CancelledError`,
    /// raised by `result()` and `exception()` of a cancelled future).
    Cancelled,
}

// ANCHOR: display
impl fmt::Display for FutureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FutureError::ResultNotSet => f.write_str("InvalidStateError: Result is not set."),
            FutureError::ExceptionNotSet => f.write_str("InvalidStateError: Exception is not set."),
            FutureError::NotDone => {
                f.write_str("Exception: DummyFuture does not support blocking for results")
            }
            // asyncio's wording: `InvalidStateError('invalid state')`.
            FutureError::InvalidState => f.write_str("InvalidStateError: invalid state"),
            // asyncio's `CancelledError()`, which has no message.
            FutureError::Cancelled => f.write_str("CancelledError"),
        }
    }
}
// ANCHOR_END: display

impl Error for FutureError {}

impl FutureError {
    /// What asking a pending future raises: Tornado 4.5.3's
    /// [`NotDone`](FutureError::NotDone), or asyncio's
    /// [`ResultNotSet`](FutureError::ResultNotSet) /
    /// [`ExceptionNotSet`](FutureError::ExceptionNotSet) under Tornado 6's
    /// rules (a Tornado 6 event loop installed on this thread).
    pub(crate) fn pending(asked_for_exception: bool) -> FutureError {
        match (crate::asyncio::has_event_loop(), asked_for_exception) {
            (false, _) => FutureError::NotDone,
            (true, false) => FutureError::ResultNotSet,
            (true, true) => FutureError::ExceptionNotSet,
        }
    }
}
