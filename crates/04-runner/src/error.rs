//! The errors the Runner raises, each named as in `tornado/gen.py`.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;

use crate::key::Key;

/// Errors of `tornado.gen` that the Runner raises.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class KeyReuseError(Exception): pass
/// class UnknownKeyError(Exception): pass
/// class LeakedCallbackError(Exception): pass
/// class BadYieldError(Exception): pass
///
/// raise KeyReuseError("key %r is already pending" % (key,))
/// raise UnknownKeyError("key %r is not pending" % (key,))
/// raise LeakedCallbackError("finished without waiting for callbacks %r" %
///                           self.pending_callbacks)
/// raise BadYieldError("yielded unknown object %r" % (yielded,))
/// ```
///
/// The first three come from the yield-point half of the Runner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenError {
    /// A coroutine yielded an object that is not a future, a list of
    /// futures or a moment. The Runner throws it into the generator at the
    /// offending `yield`, where it can be caught.
    BadYield {
        /// The object's representation (`repr` in Python).
        repr: String,
    },
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
    /// A yield point (`gen.Task`, `Callback`, `Wait`, `WaitAll`, a
    /// `YieldPoint` of one's own) met under Tornado 6's rules: Tornado 6.0
    /// removed them, so `gen.<name>` is an `AttributeError` there.
    RemovedInTornado6 {
        /// The class (or function) of `tornado.gen` the program used: `"Task"`.
        name: String,
    },
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::BadYield { repr } => {
                write!(f, "BadYieldError: yielded unknown object {repr}")
            }
            GenError::KeyReuse { key } => {
                write!(f, "KeyReuseError: key {key} is already pending")
            }
            GenError::UnknownKey { key } => {
                write!(f, "UnknownKeyError: key {key} is not pending")
            }
            GenError::RemovedInTornado6 { name } => write!(
                f,
                "AttributeError: module 'tornado.gen' has no attribute '{name}' \
                 (yield points and gen.Task were removed in Tornado 6.0)"
            ),
            GenError::LeakedCallback { keys } => {
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

impl Error for GenError {}
