//! The Runner's one error: something was yielded that cannot be waited on.

use std::error::Error;
use std::fmt;

/// Errors of `tornado.gen` that the Runner raises.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class BadYieldError(Exception):
///     pass
/// raise BadYieldError("yielded unknown object %r" % (yielded,))
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenError {
    /// A coroutine yielded an object that is not a future, a list of
    /// futures or a moment. The Runner throws it into the generator at the
    /// offending `yield`, where it can be caught.
    BadYield {
        /// The object's representation (`repr` in Python).
        repr: String,
    },
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::BadYield { repr } => {
                write!(f, "BadYieldError: yielded unknown object {repr}")
            }
        }
    }
}

impl Error for GenError {}
