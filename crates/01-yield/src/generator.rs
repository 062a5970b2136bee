//! The generator protocol: Python's `next`, `send`, `throw` and `close`.
//!
//! A Python generator is an object you *resume*: `next(g)` runs it to its
//! next `yield`, `g.send(v)` does the same but makes the pending `yield`
//! evaluate to `v`, `g.throw(e)` raises `e` at the pending `yield`, and
//! `g.close()` throws `GeneratorExit` so the body's clean-up runs. Each
//! resumption ends one of three ways: the body yields again, returns (Python
//! raises `StopIteration(value)`), or raises.
//!
//! In Rust, the one required method is [`Generator::resume`], and the three
//! endings are its result: `Ok(Yielded(y))`, `Ok(Complete(r))`, `Err(exc)`.

use std::fmt;

use crate::exception::Exception;

/// How a resumption ended without an error: at a `yield`, or at a `return`.
///
/// Python signals a return by raising `StopIteration(value)`; a Rust result
/// keeps the returned value apart from the errors instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeneratorState<Y, R> {
    /// The body stopped at a `yield` and handed out this value.
    Yielded(Y),
    /// The body returned this value (Python's `StopIteration.value`).
    Complete(R),
}

/// How the caller resumes a generator: the three ways Python offers.
pub enum Resume<S> {
    /// `next(g)`, the same as `g.send(None)`. A started generator receives
    /// `S::default()`, Rust's stand-in for `None`.
    Next,
    /// `g.send(value)`: the pending `yield` evaluates to `value`.
    Send(S),
    /// `g.throw(exc)`: the pending `yield` raises `exc`.
    Throw(Exception),
}

impl<S> fmt::Debug for Resume<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resume::Next => f.write_str("next"),
            Resume::Send(_) => f.write_str("send"),
            Resume::Throw(exc) => write!(f, "throw({exc})"),
        }
    }
}

/// Python's generator object (`collections.abc.Generator`, which Tornado 4
/// checks for with `isinstance`).
///
/// Implement [`resume`](Generator::resume); `next`, `send`, `throw` and
/// `close` come with it. Both implementations in this chapter keep the
/// protocol's rules (what an unstarted or finished generator does) with a
/// [`Lifecycle`](crate::Lifecycle).
///
/// # Differences
///
/// - Python raises `StopIteration(value)` to say "returned"; here it is
///   `Ok(GeneratorState::Complete(value))`. Resuming a generator that has
///   already finished is `Err` holding
///   [`GeneratorError::StopIteration`](crate::GeneratorError::StopIteration).
/// - Python's "generator already executing" (`ValueError`) cannot happen:
///   `resume` takes `&mut self`, so the borrow checker refuses a re-entrant
///   call at compile time.
// ANCHOR: trait
pub trait Generator {
    /// What the body hands out at a `yield`.
    type Yield;
    /// What the caller sends in; `Default` plays Python's `None`.
    type Send;
    /// What the body returns.
    type Return;

    /// Runs the body from where it stopped to its next `yield`, `return`, or
    /// uncaught error.
    fn resume(
        &mut self,
        how: Resume<Self::Send>,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, Exception>;
    // ANCHOR_END: trait

    /// Python's `next(g)`.
    fn next(&mut self) -> Result<GeneratorState<Self::Yield, Self::Return>, Exception> {
        self.resume(Resume::Next)
    }

    /// Python's `g.send(value)`. Refused with `TypeError` before the first
    /// `next` (a just-started generator has no `yield` to receive it).
    fn send(
        &mut self,
        value: Self::Send,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, Exception> {
        self.resume(Resume::Send(value))
    }

    /// Python's `g.throw(exc)`: raises `exc` at the pending `yield`. If the
    /// body catches it and yields again, `throw` returns what it yielded.
    fn throw(
        &mut self,
        exc: Exception,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, Exception> {
        self.resume(Resume::Throw(exc))
    }

    /// Python's `g.close()`: throws [`GeneratorExit`](crate::GeneratorExit)
    /// in so that the body's clean-up runs, and checks that the body then
    /// stopped.
    ///
    /// `Ok` when the body let `GeneratorExit` through or returned; the body's
    /// own error when it raised another one; `RuntimeError: generator ignored
    /// GeneratorExit` when it yielded again. Closing an unstarted or finished
    /// generator does nothing.
    fn close(&mut self) -> Result<(), Exception> {
        // exercise ex01.1 begin (uses: self)
        use crate::error::{GeneratorError, GeneratorExit};
        match self.resume(Resume::Throw(Exception::new(GeneratorExit))) {
            Ok(GeneratorState::Complete(_)) => Ok(()),
            Ok(GeneratorState::Yielded(_)) => {
                Err(Exception::new(GeneratorError::IgnoredGeneratorExit))
            }
            Err(exc) if exc.is::<GeneratorExit>() => Ok(()),
            Err(exc) => Err(exc),
        }
        // exercise ex01.1 end
    }

    /// Does [`resume`](Generator::resume) already catch a panic in the body
    /// and return it as `Err`? A driver (chapter 04's Runner) that must turn
    /// a panic into an exception can then skip its own `catch_panic`: one
    /// per step instead of two. `false`, the default, is always safe.
    fn catches_panics(&self) -> bool {
        false
    }
}
