//! The keys that match a `Callback` with its `Wait`.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use ch00_trace::{ObjectKind, next_id};

/// A key naming one pending callback of a Runner.
///
/// # Tornado
///
/// Any hashable Python object: a string (`gen.Callback("k")`), a number, a
/// tuple, or a fresh `object()` when only identity matters (`gen.Task` in
/// 3.x, `YieldFuture`).
///
/// # Differences
///
/// Three kinds are enough for every program of the chapter: text, numbers,
/// and [`Key::unique`] for `object()`. A unique key shows as `<object o1>`,
/// numbered per recording: Python shows its address there, which differs on
/// every run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// `"k"`, shown as Python's `repr` shows it: `'k'`.
    Text(String),
    /// `1`.
    Number(i64),
    /// `object()`: equal only to itself.
    Unique {
        /// What makes it unique in the process.
        id: u64,
        /// Its name in the current recording (`o1`), 0 when not recording.
        name: u32,
    },
}

impl Key {
    /// A key no other key equals: Python's `object()`.
    pub fn unique() -> Key {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Key::Unique {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            name: next_id(ObjectKind::Object),
        }
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::Text(text.to_string())
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        Key::Text(text)
    }
}

impl From<i64> for Key {
    fn from(number: i64) -> Key {
        Key::Number(number)
    }
}

/// Python's `repr(key)`, as error messages show it.
///
/// ```
/// use ch04_runner::Key;
/// assert_eq!(Key::from("k").to_string(), "'k'");
/// assert_eq!(Key::from(7).to_string(), "7");
/// ```
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Text(text) => write!(f, "'{text}'"),
            Key::Number(number) => write!(f, "{number}"),
            Key::Unique { name, .. } => write!(f, "<object o{name}>"),
        }
    }
}
