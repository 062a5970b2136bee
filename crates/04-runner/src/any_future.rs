//! A `Future<T>` seen without its `T`: what the Runner waits on.

use std::any::Any;
use std::rc::Rc;

use ch01_yield::{Exception, PyError};
use ch02_future::{Future, WeakFuture};
use ch03_ioloop::WeakIOLoop;

use crate::runner::Runner;
use crate::value::Value;

/// The part of a `Future<T>` the Runner uses, for any `T`.
///
/// # Tornado
///
/// Python needs no such thing: `Runner.future` holds whatever future was
/// yielded and calls `done()`, `result()` and `IOLoop.add_future` on it.
///
/// # Differences
///
/// The Runner of one coroutine waits on futures of many result types in
/// turn, so it holds them as `Rc<dyn AnyFuture>`, which is the same future
/// (cloning a `Future` shares it) with its result type hidden.
pub trait AnyFuture {
    /// `future.done()`.
    fn done(&self) -> bool;

    /// `future.result()`, boxed for the trip into the generator.
    fn result_value(&self) -> Result<Value, Exception>;

    /// `io_loop.add_future(future, lambda f: runner.run())`; nothing if the
    /// loop is gone (the Runner holds its loop weakly). It takes the Runner
    /// itself rather than any callback: no boxed closure per wait.
    fn add_future_on(&self, io_loop: &WeakIOLoop, runner: Runner);

    /// The recording name of this future (`f3`), for the Runner's lines.
    fn id(&self) -> u32;

    /// The future itself, to recognise `moment` by identity.
    fn as_any(&self) -> &dyn Any;

    /// This future seen through a weak reference (Python's
    /// `weakref.ref(future)`): a handle that answers as the future does
    /// while something else holds it, and as a future that is never done
    /// once nothing does. The Runner holds a pending future it waits on
    /// through it, so that a future nobody else holds (nobody can resolve
    /// it) is freed, and with it the callback that holds the Runner.
    /// `None`, the default: the type has no weak form, and the Runner holds
    /// it strongly.
    fn downgrade(&self) -> Option<Rc<dyn AnyFuture>> {
        None
    }
}

impl<T: Clone + 'static> AnyFuture for Future<T> {
    fn done(&self) -> bool {
        Future::done(self)
    }

    fn result_value(&self) -> Result<Value, Exception> {
        self.result().map(Value::new)
    }

    fn add_future_on(&self, io_loop: &WeakIOLoop, runner: Runner) {
        io_loop.add_future(self, move |_| runner.run());
    }

    fn id(&self) -> u32 {
        Future::id(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn downgrade(&self) -> Option<Rc<dyn AnyFuture>> {
        Some(Rc::new(Weakened {
            future: Future::downgrade(self),
            id: Future::id(self),
        }))
    }
}

/// A `Future<T>` seen through a weak reference: what
/// [`AnyFuture::downgrade`] makes of one.
pub(crate) struct Weakened<T> {
    future: WeakFuture<T>,
    /// The future's recording name, which outlives it.
    id: u32,
}

impl<T> Weakened<T> {
    /// The future, if something still holds it.
    pub(crate) fn upgrade(&self) -> Option<Future<T>> {
        self.future.upgrade()
    }
}

impl<T: Clone + 'static> AnyFuture for Weakened<T> {
    fn done(&self) -> bool {
        self.upgrade().is_some_and(|future| future.done())
    }

    fn result_value(&self) -> Result<Value, Exception> {
        match self.upgrade() {
            Some(future) => future.result_value(),
            // Not reached by the Runner, which asks `done()` first.
            None => Err(PyError::new(
                "ReferenceError",
                "weakly-referenced object no longer exists",
            )
            .into()),
        }
    }

    fn add_future_on(&self, io_loop: &WeakIOLoop, runner: Runner) {
        // A future that is gone never completes: nothing to call back.
        if let Some(future) = self.upgrade() {
            future.add_future_on(io_loop, runner);
        }
    }

    fn id(&self) -> u32 {
        self.id
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn downgrade(&self) -> Option<Rc<dyn AnyFuture>> {
        Some(Rc::new(Weakened {
            future: self.future.clone(),
            id: self.id,
        }))
    }
}

/// Erases a future's result type.
///
/// The erased form is an `Rc` of its own around the future; the moment's is
/// made once and shared (see `moment`), so yielding it allocates nothing.
pub fn erase<T: Clone + 'static>(future: Future<T>) -> Rc<dyn AnyFuture> {
    match crate::moment::erased_moment(&future) {
        Some(moment) => moment,
        None => Rc::new(future),
    }
}
