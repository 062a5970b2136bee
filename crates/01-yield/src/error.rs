//! The errors of the generator protocol, under their Python names.

use std::error::Error;
use std::fmt;

/// A misuse of the generator protocol, named and worded as CPython words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneratorError {
    /// `g.send(v)` before the first `next(g)`: CPython's `TypeError`.
    SendToUnstarted,
    /// Resuming a generator that has already returned or raised: CPython's
    /// `StopIteration` (with no value).
    StopIteration,
    /// `close()` threw `GeneratorExit` in and the body yielded again:
    /// CPython's `RuntimeError`.
    IgnoredGeneratorExit,
    /// An `async` generator body awaited something other than its own
    /// `co.yield_(..)`: a Python generator can only suspend at a `yield`, so
    /// the course reports this as a `RuntimeError` and ends the generator.
    ForeignAwait,
    /// An `async` generator body resumed at a `yield` without a value to
    /// receive (two `co.yield_` polled side by side, e.g. with `join`).
    NoValueSent,
}

impl fmt::Display for GeneratorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GeneratorError::SendToUnstarted => {
                "TypeError: can't send non-None value to a just-started generator"
            }
            GeneratorError::StopIteration => "StopIteration",
            GeneratorError::IgnoredGeneratorExit => "RuntimeError: generator ignored GeneratorExit",
            GeneratorError::ForeignAwait => {
                "RuntimeError: generator body awaited something other than co.yield_(..); \
                 await only co.yield_(..) in a generator body (to wait for a future, yield it)"
            }
            GeneratorError::NoValueSent => {
                "RuntimeError: generator resumed at a yield that was sent no value; \
                 await one co.yield_(..) at a time, never two side by side (as with join)"
            }
        })
    }
}

impl Error for GeneratorError {}

/// Python's `GeneratorExit`: what [`close`](crate::Generator::close) throws
/// into a suspended generator so that its clean-up code runs.
///
/// A body that catches it should let it through (`return Err(exc)`), as a
/// Python body re-raises it; clean-up written as a `finally` runs on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneratorExit;

impl fmt::Display for GeneratorExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GeneratorExit")
    }
}

impl Error for GeneratorExit {}
