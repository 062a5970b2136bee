//! The bookkeeping every generator shares: unstarted, suspended, finished.
//!
//! CPython keeps it in the generator's frame (`gi_frame`, `f_lasti`); the
//! rules it enforces do not depend on the body, so the hand-written state
//! machine and the `async` generator of this chapter (and chapter 04's
//! hand-made ones) all apply them through one [`Lifecycle`].

use ch00_trace::{ObjectKind, next_id};

use crate::exception::Exception;
use crate::generator::{GeneratorState, Resume};

/// Where a generator is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Made, but its body has not run a single line (Python: calling a
    /// generator function runs no code).
    Unstarted,
    /// Stopped at a `yield`, waiting to be resumed.
    Suspended,
    /// Returned or raised: any further `next`/`send` is `StopIteration`.
    Finished,
}

/// A generator's stage and recorder id, and the protocol's rules.
///
/// [`resume`](Lifecycle::resume) checks a resumption against the stage,
/// refuses it the way CPython does or runs the body, then moves the stage on
/// according to how the body stopped. It also records each step as a
/// `generator gN ...` line.
#[derive(Debug)]
pub struct Lifecycle {
    id: u32,
    stage: Stage,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self::new()
    }
}

impl Lifecycle {
    /// An unstarted generator's lifecycle, with a fresh recorder id.
    pub fn new() -> Self {
        Lifecycle {
            id: next_id(ObjectKind::Generator),
            stage: Stage::Unstarted,
        }
    }

    /// The generator's stage.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The generator's recorder id (`g1` is 1).
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Applies the protocol's rules to one resumption, running `body` when
    /// they allow it.
    ///
    /// `body` receives `Resume::Next` only for the very first step; later, a
    /// `next` reaches it as `Send(S::default())`, because that is what a
    /// Python `yield` expression evaluates to after `next(g)`.
    ///
    /// | stage | `Next` | `Send(v)` | `Throw(e)` |
    /// |---|---|---|---|
    /// | unstarted | run from the top | `TypeError` | raise `e`, finish |
    /// | suspended | send `S::default()` | send `v` | throw `e` in |
    /// | finished | `StopIteration` | `StopIteration` | raise `e` |
    ///
    /// A `body` that panics raises: the panic comes back as an `Err` holding
    /// a [`Panic`](crate::Panic), and the generator is finished.
    pub fn resume<Y, S: Default, R>(
        &mut self,
        how: Resume<S>,
        body: impl FnOnce(Resume<S>) -> Result<GeneratorState<Y, R>, Exception>,
    ) -> Result<GeneratorState<Y, R>, Exception> {
        // exercise ex01.2 begin (uses: self, how, body)
        use crate::error::GeneratorError;
        use crate::panic::catch_panic;
        use ch00_trace::{EventKind, emit};
        let id = self.id;
        // ANCHOR: rules
        let how = match (self.stage, how) {
            (Stage::Unstarted, Resume::Next) => {
                emit(EventKind::Generator, || format!("generator g{id} starts"));
                Resume::Next
            }
            (Stage::Unstarted, Resume::Send(_)) => {
                return Err(Exception::new(GeneratorError::SendToUnstarted));
            }
            // PY: throwing into an unstarted generator raises at once and
            // finishes it; its body never runs.
            (Stage::Unstarted, Resume::Throw(exc)) | (Stage::Finished, Resume::Throw(exc)) => {
                self.stage = Stage::Finished;
                return Err(exc);
            }
            (Stage::Finished, _) => return Err(Exception::new(GeneratorError::StopIteration)),
            (Stage::Suspended, Resume::Next) => {
                emit(EventKind::Generator, || {
                    format!("generator g{id} resumed by next")
                });
                Resume::Send(S::default())
            }
            (Stage::Suspended, Resume::Send(value)) => {
                emit(EventKind::Generator, || {
                    format!("generator g{id} resumed by send")
                });
                Resume::Send(value)
            }
            (Stage::Suspended, Resume::Throw(exc)) => {
                emit(EventKind::Generator, || {
                    format!("generator g{id} resumed by throw: {exc}")
                });
                Resume::Throw(exc)
            }
        };
        // ANCHOR_END: rules
        // PY: a body that raises is finished, whatever it raised. A Rust
        // body raises by returning `Err` or by panicking; a panic is caught
        // here, so it finishes the generator too (instead of leaving it
        // `Suspended` over a body that cannot be resumed) and reaches the
        // caller as the exception it is.
        let outcome = catch_panic(|| body(how)).and_then(|outcome| outcome);
        self.stage = match &outcome {
            Ok(GeneratorState::Yielded(_)) => {
                emit(EventKind::Generator, || format!("generator g{id} yields"));
                Stage::Suspended
            }
            Ok(GeneratorState::Complete(_)) => {
                emit(EventKind::Generator, || format!("generator g{id} returns"));
                Stage::Finished
            }
            Err(exc) => {
                emit(EventKind::Generator, || {
                    format!("generator g{id} raises {exc}")
                });
                Stage::Finished
            }
        };
        outcome
        // exercise ex01.2 end
    }
}
