//! A `Future<T>` seen without its `T`: what the Runner waits on.

use std::any::Any;
use std::rc::Rc;

use ch01_yield::Exception;
use ch02_future::{Future, WeakFuture};
use ch03_ioloop::IOLoop;

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

    /// `io_loop.add_future(future, lambda f: callback())`.
    fn add_future_on(&self, io_loop: &IOLoop, callback: Box<dyn FnOnce() -> Result<(), Exception>>);

    /// The recording name of this future (`f3`), for the Runner's lines.
    fn id(&self) -> u32;

    /// The future itself, to recognise `moment` by identity.
    fn as_any(&self) -> &dyn Any;

    /// A handle to this future that does not keep it alive, if its type has
    /// one. The Runner holds the future it waits on through it, so that a
    /// future nobody else holds (nobody can resolve it) is freed, and with
    /// it the callback that holds the Runner. `None`, the default: the
    /// Runner holds the future strongly.
    fn downgrade(&self) -> Option<Box<dyn WeakAnyFuture>> {
        None
    }
}

/// A weak reference to a future of any result type: Python's
/// `weakref.ref(future)`.
pub trait WeakAnyFuture {
    /// The future, if something else still holds it.
    fn upgrade(&self) -> Option<Rc<dyn AnyFuture>>;
}

impl<T: Clone + 'static> AnyFuture for Future<T> {
    fn done(&self) -> bool {
        Future::done(self)
    }

    fn result_value(&self) -> Result<Value, Exception> {
        self.result().map(Value::new)
    }

    fn add_future_on(
        &self,
        io_loop: &IOLoop,
        callback: Box<dyn FnOnce() -> Result<(), Exception>>,
    ) {
        io_loop.add_future(self, move |_| callback());
    }

    fn id(&self) -> u32 {
        Future::id(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn downgrade(&self) -> Option<Box<dyn WeakAnyFuture>> {
        Some(Box::new(Future::downgrade(self)))
    }
}

impl<T: Clone + 'static> WeakAnyFuture for WeakFuture<T> {
    fn upgrade(&self) -> Option<Rc<dyn AnyFuture>> {
        WeakFuture::upgrade(self).map(erase)
    }
}

/// Erases a future's result type.
pub fn erase<T: Clone + 'static>(future: Future<T>) -> Rc<dyn AnyFuture> {
    Rc::new(future)
}
