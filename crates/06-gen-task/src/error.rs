//! The errors of the callback world, each named as in `tornado/gen.py`.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;

use crate::key::Key;

/// What goes wrong between a Runner and its yield points.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 (all plain `Exception` subclasses):
///
/// ```python
/// class KeyReuseError(Exception): pass
/// class UnknownKeyError(Exception): pass
/// class LeakedCallbackError(Exception): pass
///
/// raise KeyReuseError("key %r is already pending" % (key,))
/// raise UnknownKeyError("key %r is not pending" % (key,))
/// raise LeakedCallbackError("finished without waiting for callbacks %r" %
///                           self.pending_callbacks)
/// ```
///
/// `BadYieldError`, the fourth, is chapter 04's
/// [`GenError`](ch04_runner::GenError).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YieldPointError {
    /// A `Callback` (or `Task`) registered a key that is still pending.
    KeyReuse {
        /// The key.
        key: Key,
    },
    /// A `Wait` asked for a key no `Callback` registered (or one already
    /// waited for).
    UnknownKey {
        /// The key.
        key: Key,
    },
    /// The generator returned while callbacks it registered were still
    /// pending, and nothing had been thrown into it.
    LeakedCallback {
        /// The keys still pending.
        keys: BTreeSet<Key>,
    },
}

impl fmt::Display for YieldPointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YieldPointError::KeyReuse { key } => {
                write!(f, "KeyReuseError: key {key} is already pending")
            }
            YieldPointError::UnknownKey { key } => {
                write!(f, "UnknownKeyError: key {key} is not pending")
            }
            YieldPointError::LeakedCallback { keys } => {
                // PY: `%r` of a set: `{'a', 'b'}`.
                let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
                write!(
                    f,
                    "LeakedCallbackError: finished without waiting for callbacks {{{}}}",
                    keys.join(", ")
                )
            }
        }
    }
}

impl Error for YieldPointError {}
