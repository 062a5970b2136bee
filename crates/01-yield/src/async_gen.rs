//! A generator written as an `async` block, driven by hand.
//!
//! Rust has no stable `yield`, but it has `async`: the compiler turns an
//! `async` block into a state machine that stops at every `.await` that is
//! not ready, exactly what a generator needs. [`Gen`] polls such a block
//! itself, with a waker that does nothing (no executor is involved), and
//! [`Yielder::yield_`] is the one `.await` allowed inside: it hands a value out,
//! stops the block, and evaluates to what the caller sends back in.
//!
//! ```
//! use ch01_yield::{Gen, Generator, GeneratorState};
//!
//! // def counter(): total = 0; while True: total += yield total
//! let mut g = Gen::new(|co| async move {
//!     let mut total = 0;
//!     loop {
//!         total += co.yield_(total).await?;
//!     }
//! });
//! # let _: &Gen<i32, i32, ()> = &g;
//! assert_eq!(g.next().unwrap(), GeneratorState::Yielded(0));
//! assert_eq!(g.send(5).unwrap(), GeneratorState::Yielded(5));
//! assert_eq!(g.send(2).unwrap(), GeneratorState::Yielded(7));
//! ```

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::error::GeneratorError;
use crate::exception::Exception;
use crate::generator::{Generator, GeneratorState, Resume};
use crate::lifecycle::{Lifecycle, Stage};
use crate::panic::catch_panic;

/// The two values crossing a `yield`: the one handed out, the one sent in.
struct Slot<Y, S> {
    yielded: Option<Y>,
    sent: Option<Result<S, Exception>>,
}

/// What the body of a [`Gen`] yields through (the body's view of `yield`).
pub struct Yielder<Y, S> {
    slot: Rc<RefCell<Slot<Y, S>>>,
}

impl<Y, S> Yielder<Y, S> {
    /// Python's `yield value`, used as `let sent = co.yield_(value).await?;`.
    ///
    /// Evaluates to what the caller sent (`S::default()` for `next`), or to
    /// `Err(exc)` when the caller used `throw(exc)`: `?` lets it escape the
    /// body as an uncaught Python exception would, a `match` catches it as
    /// `except` would.
    // ANCHOR: yield_
    pub async fn yield_(&self, value: Y) -> Result<S, Exception> {
        self.slot.borrow_mut().yielded = Some(value);
        // Pending once, so the block stops here and `resume` returns; the
        // next `resume` polls again and this completes.
        futures_lite::future::yield_now().await;
        self.slot
            .borrow_mut()
            .sent
            .take()
            .unwrap_or_else(|| Err(Exception::new(GeneratorError::NoValueSent)))
    }
    // ANCHOR_END: yield_
}

/// A generator whose body is an `async` block: `Gen<Y, S, R>` yields `Y`,
/// receives `S`, returns `R`.
///
/// # Differences
///
/// - Code in the closure but outside its `async move` block runs at once,
///   when `Gen::new` is called; only the block is the generator's body.
/// - Dropping a suspended Python generator closes it (`GeneratorExit` is
///   thrown in, `finally` blocks run). Dropping a suspended `Gen` drops the
///   block: its locals' destructors run, but no code after the `yield` does.
///   Call [`close`](Generator::close) first to get Python's behaviour.
/// - A body may also raise by panicking: the resumption returns `Err`
///   holding a [`Panic`](crate::Panic), and the generator is finished (and
///   its block freed), as a Python generator is after an uncaught exception.
pub struct Gen<Y, S, R> {
    lifecycle: Lifecycle,
    body: Body<Y, S, R>,
}

/// An `async` block that returns `R` or raises, boxed so `Gen` has one type
/// whatever the block's.
type Block<R> = Pin<Box<dyn Future<Output = Result<R, Exception>>>>;

/// The `async` block and the slot it yields through.
struct Body<Y, S, R> {
    slot: Rc<RefCell<Slot<Y, S>>>,
    /// `None` once the block has finished, so its state is freed then.
    block: Option<Block<R>>,
}

impl<Y, S, R> Gen<Y, S, R> {
    /// Makes a generator from a function of its [`Yielder`] returning the body.
    /// Like calling a Python generator function, it runs none of the body.
    pub fn new<F, B>(make_body: F) -> Self
    where
        F: FnOnce(Yielder<Y, S>) -> B,
        B: Future<Output = Result<R, Exception>> + 'static,
    {
        let slot = Rc::new(RefCell::new(Slot {
            yielded: None,
            sent: None,
        }));
        let block = make_body(Yielder { slot: slot.clone() });
        Gen {
            lifecycle: Lifecycle::new(),
            body: Body {
                slot,
                block: Some(Box::pin(block)),
            },
        }
    }

    /// Where the generator is: unstarted, suspended or finished.
    pub fn stage(&self) -> Stage {
        self.lifecycle.stage()
    }
}

impl<Y, S, R> Body<Y, S, R> {
    /// Polls the block once: it runs until it yields, returns, or raises.
    // ANCHOR: step
    fn step(&mut self, how: Resume<S>) -> Result<GeneratorState<Y, R>, Exception> {
        match how {
            Resume::Next => {}
            Resume::Send(value) => self.slot.borrow_mut().sent = Some(Ok(value)),
            Resume::Throw(exc) => self.slot.borrow_mut().sent = Some(Err(exc)),
        }
        let Some(block) = self.block.as_mut() else {
            // The Lifecycle never runs a finished body.
            return Err(Exception::new(GeneratorError::StopIteration));
        };
        let polled = block.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        let yielded = self.slot.borrow_mut().yielded.take();
        match (polled, yielded) {
            (Poll::Pending, Some(value)) => Ok(GeneratorState::Yielded(value)),
            (Poll::Ready(outcome), _) => {
                self.block = None;
                outcome.map(GeneratorState::Complete)
            }
            (Poll::Pending, None) => {
                self.block = None;
                Err(Exception::new(GeneratorError::ForeignAwait))
            }
        }
    }
    // ANCHOR_END: step
}

impl<Y, S: Default, R> Generator for Gen<Y, S, R> {
    type Yield = Y;
    type Send = S;
    type Return = R;

    fn resume(&mut self, how: Resume<S>) -> Result<GeneratorState<Y, R>, Exception> {
        let body = &mut self.body;
        let outcome = self.lifecycle.resume(how, |how| body.step(how));
        if self.lifecycle.stage() == Stage::Finished {
            // A finished generator keeps no locals (Python drops its frame):
            // a block that panicked, or that `throw` finished before it
            // started, is freed now, not when the `Gen` is. Its captured
            // values' `Drop` is user code, so a panic there is caught and
            // reported as what this resumption raised.
            if let Some(block) = self.body.block.take() {
                catch_panic(move || drop(block))?;
            }
        }
        outcome
    }

    /// `true`: [`Lifecycle::resume`] runs the block inside `catch_panic`.
    fn catches_panics(&self) -> bool {
        true
    }
}

impl<Y, S, R> fmt::Debug for Gen<Y, S, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Gen(g{}, {:?})",
            self.lifecycle.id(),
            self.lifecycle.stage()
        )
    }
}
