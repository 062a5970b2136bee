//! Which Tornado's rules the machinery follows: 4.5.3's (the course's) or 6.6.1's.
//!
//! Chapters 02 to 05 model Tornado 4.5.3. Tornado 6 runs the same programs on
//! asyncio, and some lines move: a future's done-callbacks are scheduled on the
//! loop instead of running inside `set_result`, the loop polls before its
//! first batch, `multi` and `with_timeout` cost one more iteration. The
//! closing chapter records each program under both rules and shows which lines
//! moved. The rules are chosen per thread, for as long as a closure runs
//! ([`with_era`]); a loop made meanwhile keeps the era it was made in.
//!
//! ```
//! use ch00_trace::{Era, era, with_era};
//!
//! assert_eq!(era(), Era::Tornado4);
//! with_era(Era::Tornado6, || assert_eq!(era(), Era::Tornado6));
//! assert_eq!(era(), Era::Tornado4);
//! ```

use std::cell::Cell;
use std::fmt;

/// A set of rules: the Tornado whose order a loop made now follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Era {
    /// Tornado 4.5.3: `PollIOLoop` on epoll, its own `Future` whose
    /// done-callbacks run inside `set_result`. What chapters 02 to 06 build.
    #[default]
    Tornado4,
    /// Tornado 6.6.1: `AsyncIOLoop` over asyncio's event loop (CPython 3.11's
    /// `BaseEventLoop._run_once`), `asyncio.Future`, whose done-callbacks are
    /// scheduled with `call_soon`. No `gen.Task`, no `YieldPoint`, no stack
    /// contexts.
    Tornado6,
}

impl Era {
    /// The Tornado version whose twins' output this era's recordings match:
    /// `"4.5.3"` or `"6.6.1"`.
    pub fn version(self) -> &'static str {
        match self {
            Era::Tornado4 => "4.5.3",
            Era::Tornado6 => "6.6.1",
        }
    }

    /// A short name for files and headings: `"tornado4"` or `"tornado6"`.
    pub fn slug(self) -> &'static str {
        match self {
            Era::Tornado4 => "tornado4",
            Era::Tornado6 => "tornado6",
        }
    }
}

impl fmt::Display for Era {
    /// `Tornado 4.5.3` or `Tornado 6.6.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tornado {}", self.version())
    }
}

thread_local! {
    static ERA: Cell<Era> = const { Cell::new(Era::Tornado4) };
}

/// The era of this thread: what a loop made now follows. [`Era::Tornado4`]
/// unless inside [`with_era`].
pub fn era() -> Era {
    ERA.with(Cell::get)
}

/// Runs `program` with this thread's era set to `era`, and restores the
/// previous one afterwards, even if `program` panics.
pub fn with_era<R>(era: Era, program: impl FnOnce() -> R) -> R {
    struct Restore(Era);
    impl Drop for Restore {
        fn drop(&mut self) {
            ERA.with(|e| e.set(self.0));
        }
    }
    let _restore = Restore(ERA.with(|e| e.replace(era)));
    program()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_restores_the_era() {
        let caught = std::panic::catch_unwind(|| with_era(Era::Tornado6, || panic!("boom")));
        assert!(caught.is_err());
        assert_eq!(era(), Era::Tornado4);
    }

    #[test]
    fn eras_name_their_versions() {
        assert_eq!(Era::Tornado6.to_string(), "Tornado 6.6.1");
        assert_eq!(
            [Era::Tornado4, Era::Tornado6].map(Era::version),
            ["4.5.3", "6.6.1"]
        );
    }
}
