//! The generator article's `test()` generator, written by hand as a state machine.
//!
//! ```python
//! def test():
//!     print('enter')
//!     while 1:
//!         b = yield
//!         yield b
//! ```
//!
//! A generator is a function that can stop in the middle and be resumed
//! later, so its locals and "where it stopped" must live somewhere between
//! calls. CPython keeps them in a frame object; here they are the fields of
//! a struct, and "where it stopped" is an enum with one variant per `yield`.
//! This is what the compiler writes for an `async` block (the chapter's
//! other generator, [`Gen`](crate::Gen)), done by hand once to see it.

use std::convert::Infallible;

use ch00_trace::say;

use crate::exception::Exception;
use crate::generator::{Generator, GeneratorState, Resume};
use crate::lifecycle::Lifecycle;

/// The `yield` the body is suspended at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Not at a `yield`: the body has not started.
    Top,
    /// At `b = yield`: the next value sent in becomes `b`.
    ReceiveB,
    /// At `yield b`: what is sent in is thrown away, the loop goes round.
    GiveB,
}

/// The generator article's `test()`: echoes every value sent into it on the next step.
///
/// It yields and receives `Option<i32>` (`None` is Python's `None`) and
/// never returns, like the `while 1` loop it mirrors.
///
/// ```
/// use ch01_yield::{Generator, GeneratorState, Echo};
///
/// let mut f = Echo::new();
/// f.next().unwrap(); // prints "enter", stops at `b = yield`
/// assert_eq!(f.send(Some(1)).unwrap(), GeneratorState::Yielded(Some(1)));
/// ```
#[derive(Debug)]
pub struct Echo {
    lifecycle: Lifecycle,
    at: At,
}

impl Echo {
    /// Python's `test()`: makes the generator; runs no code of the body.
    pub fn new() -> Self {
        Echo {
            lifecycle: Lifecycle::new(),
            at: At::Top,
        }
    }
}

impl Default for Echo {
    fn default() -> Self {
        Self::new()
    }
}

impl Generator for Echo {
    type Yield = Option<i32>;
    type Send = Option<i32>;
    type Return = Infallible;

    // ANCHOR: resume
    fn resume(
        &mut self,
        how: Resume<Option<i32>>,
    ) -> Result<GeneratorState<Option<i32>, Infallible>, Exception> {
        let at = &mut self.at;
        self.lifecycle.resume(how, |how| match (*at, how) {
            // No `try` in the body: a thrown exception goes straight out.
            (_, Resume::Throw(exc)) => Err(exc),
            (_, Resume::Next) => {
                say!("enter");
                *at = At::ReceiveB;
                Ok(GeneratorState::Yielded(None)) // the bare `yield`
            }
            (At::ReceiveB, Resume::Send(b)) => {
                *at = At::GiveB;
                Ok(GeneratorState::Yielded(b)) // `yield b`
            }
            (At::GiveB | At::Top, Resume::Send(_)) => {
                // Round the `while 1` loop, back to `b = yield`. (`Top`
                // never meets a `Send`: the Lifecycle refuses it.)
                *at = At::ReceiveB;
                Ok(GeneratorState::Yielded(None))
            }
        })
    }
    // ANCHOR_END: resume
}
