//! A `Future<T>` seen without its `T`: what the Runner waits on.

use std::any::Any;
use std::cell::Cell;
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

    /// Lets go of the future in place: from now on this handle answers as
    /// [`downgrade`](AnyFuture::downgrade)'s would, with no new handle made.
    /// `false`, the default: this type cannot, and the caller downgrades.
    /// What [`erase`] makes can: the Runner uses it on the future it waits
    /// on, one allocation per wait fewer than `downgrade`.
    fn hold_weakly(&self) -> bool {
        false
    }

    /// Undoes [`hold_weakly`](AnyFuture::hold_weakly): holds the future
    /// strongly again, if it is still alive. The Runner calls it when the
    /// future it waits on is done, so that the future lives until `run()`
    /// has read its result. Does nothing by default (nothing was let go).
    fn hold_strongly(&self) {}
}

impl<T: Clone + 'static> AnyFuture for Future<T> {
    fn done(&self) -> bool {
        Future::done(self)
    }

    fn result_value(&self) -> Result<Value, Exception> {
        self.result().map(Value::new)
    }

    fn add_future_on(&self, io_loop: &WeakIOLoop, runner: Runner) {
        // PY: `self.io_loop.add_future(self.future, lambda f: self.run())`,
        // which is `future.add_done_callback(lambda future:
        // self.add_callback(callback, future))`: the same done-callback,
        // but it queues the Runner's own reusable box (see
        // `Runner::future_done`), not a new closure each time.
        if io_loop.upgrade().is_some() {
            let io_loop = io_loop.clone();
            self.add_done_callback(move |_| runner.future_done(&io_loop));
        }
    }

    fn id(&self) -> u32 {
        Future::id(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn downgrade(&self) -> Option<Rc<dyn AnyFuture>> {
        Some(Rc::new(Erased {
            strong: Cell::new(None),
            future: Future::downgrade(self),
            id: Future::id(self),
        }))
    }
}

/// A `Future<T>` with its type hidden, as [`erase`] makes it: held strongly
/// until [`hold_weakly`](AnyFuture::hold_weakly), then through a weak
/// reference only (what [`AnyFuture::downgrade`] makes is one of these
/// already holding weakly).
pub(crate) struct Erased<T> {
    /// Keeps the future alive until `hold_weakly` empties it. Never read:
    /// every use goes through `future`, which answers the same while this
    /// holds it.
    strong: Cell<Option<Future<T>>>,
    future: WeakFuture<T>,
    /// The future's recording name, which outlives it.
    id: u32,
}

impl<T> Erased<T> {
    /// The future, if something still holds it.
    pub(crate) fn upgrade(&self) -> Option<Future<T>> {
        self.future.upgrade()
    }
}

impl<T: Clone + 'static> AnyFuture for Erased<T> {
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
        Some(Rc::new(Erased {
            strong: Cell::new(None),
            future: self.future.clone(),
            id: self.id,
        }))
    }

    fn hold_strongly(&self) {
        self.strong.set(self.future.upgrade());
    }

    fn hold_weakly(&self) -> bool {
        // Dropping the future may run user code (its pending callbacks'
        // `Drop`); no borrow is held here, so that is safe.
        drop(self.strong.take());
        true
    }
}

/// Erases a future's result type.
///
/// The erased form is an `Rc` of its own around the future; the moment's is
/// made once and shared (see `moment`), so yielding it allocates nothing.
pub fn erase<T: Clone + 'static>(future: Future<T>) -> Rc<dyn AnyFuture> {
    match crate::moment::erased_moment(&future) {
        Some(moment) => moment,
        None => Rc::new(Erased {
            future: future.downgrade(),
            id: future.id(),
            strong: Cell::new(Some(future)),
        }),
    }
}
