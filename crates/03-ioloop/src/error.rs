//! The chapter's one error type: a variant per Python exception the IOLoop raises.

use std::error::Error;
use std::fmt;
use std::io;

/// What can go wrong when driving an [`IOLoop`](crate::IOLoop).
///
/// Each variant is the exception Tornado raises in the same situation, and
/// its `Display` starts with that exception's Python name, so a log line or a
/// recording reads like Tornado's (`RuntimeError: IOLoop is already running`).
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3 raises these from `PollIOLoop.start`,
/// `PollIOLoop.add_handler` (through `epoll.register`), `IOLoop.run_sync`
/// and `IOLoop.initialize` (`make_current=True`):
///
/// ```python
/// if self._running:
///     raise RuntimeError("IOLoop is already running")
/// ...
/// if not future_cell[0].done():
///     raise TimeoutError('Operation timed out after %s seconds' % timeout)
/// ```
///
/// # Example
///
/// ```
/// use ch03_ioloop::IOLoopError;
/// assert_eq!(
///     IOLoopError::Timeout(Some(0.05)).to_string(),
///     "TimeoutError: Operation timed out after 0.05 seconds"
/// );
/// assert_eq!(
///     IOLoopError::AlreadyRunning.to_string(),
///     "RuntimeError: IOLoop is already running"
/// );
/// ```
#[derive(Debug)]
pub enum IOLoopError {
    /// `start()` was called while the loop was running (`RuntimeError`).
    AlreadyRunning,
    /// Tornado 6's re-entrant `start()`: asyncio's `RuntimeError('This event
    /// loop is already running')`.
    EventLoopRunning,
    /// Tornado 6's `run_sync` when the loop stopped for another reason than
    /// its function's future: `RuntimeError('Event loop stopped before Future
    /// completed.')`.
    StoppedBeforeComplete,
    /// `add_handler` for a descriptor that already has a handler
    /// (`FileExistsError: [Errno 17] File exists`, raised by `epoll.register`).
    FileExists,
    /// `run_sync` returned before its future resolved (`tornado.ioloop.TimeoutError`).
    /// `None` when there was no timeout and someone else stopped the loop:
    /// Tornado then says "after None seconds".
    Timeout(Option<f64>),
    /// The loop was used after `close()` (`RuntimeError`; T4 fails with
    /// whatever the closed poller raises, we say it plainly).
    Closed,
    /// The operating system refused (`OSError`): creating the poller,
    /// registering a descriptor, polling.
    Io(io::Error),
    /// A time or delay that must be a number was NaN (`ValueError`, in the
    /// words of Python's `time.sleep(float('nan'))`): `run_sync`'s timeout,
    /// and in chapter 05 `sleep`'s delay and `with_timeout`'s deadline.
    /// Tornado 4.5.3 takes the NaN and never fires it, spinning the loop.
    NotANumber,
    /// `IOLoop::with_options(.., Some(true))` on a thread that already has
    /// a current loop (`RuntimeError`, from `IOLoop.initialize`).
    CurrentExists,
    /// A `with StackContext` block ended with another context's state
    /// installed (`tornado.stack_context.StackContextInconsistentError`),
    /// typically because of a `yield` inside the block. The message is
    /// Tornado's, which words it two ways (`stack_context.py` and `gen.py`).
    StackContextInconsistent(&'static str),
}

impl fmt::Display for IOLoopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IOLoopError::AlreadyRunning => f.write_str("RuntimeError: IOLoop is already running"),
            IOLoopError::EventLoopRunning => {
                f.write_str("RuntimeError: This event loop is already running")
            }
            IOLoopError::StoppedBeforeComplete => {
                f.write_str("RuntimeError: Event loop stopped before Future completed.")
            }
            IOLoopError::FileExists => f.write_str("FileExistsError: [Errno 17] File exists"),
            IOLoopError::Timeout(seconds) => {
                let seconds = match seconds {
                    Some(s) => py_float(*s),
                    None => "None".to_string(),
                };
                write!(
                    f,
                    "TimeoutError: Operation timed out after {seconds} seconds"
                )
            }
            IOLoopError::Closed => f.write_str(
                "RuntimeError: IOLoop is closed; use a new IOLoop (a closed one cannot be used again)",
            ),
            IOLoopError::Io(err) => write!(f, "OSError: {err}"),
            IOLoopError::NotANumber => f.write_str("ValueError: Invalid value NaN (not a number)"),
            IOLoopError::CurrentExists => {
                f.write_str("RuntimeError: current IOLoop already exists")
            }
            IOLoopError::StackContextInconsistent(message) => {
                write!(f, "StackContextInconsistentError: {message}")
            }
        }
    }
}

impl Error for IOLoopError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            IOLoopError::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<io::Error> for IOLoopError {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::AlreadyExists {
            IOLoopError::FileExists
        } else {
            IOLoopError::Io(err)
        }
    }
}

/// A float as Python's `str()` writes it: `0.05`, `1.0` (Rust would write `1`).
pub(crate) fn py_float(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_does() {
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(0.05), "0.05");
        assert_eq!(py_float(2.5), "2.5");
    }

    #[test]
    fn eexist_becomes_file_exists() {
        let err = IOLoopError::from(io::Error::from_raw_os_error(17));
        assert!(matches!(err, IOLoopError::FileExists));
        let err = IOLoopError::from(io::Error::from_raw_os_error(9));
        assert!(err.to_string().starts_with("OSError: "));
    }
}
