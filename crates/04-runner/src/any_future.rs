//! A `Future<T>` seen without its `T`: what the Runner waits on.

use std::any::Any;
use std::rc::Rc;

use ch01_yield::Exception;
use ch02_future::Future;
use ch03_ioloop::WeakIOLoop;

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

    /// `io_loop.add_future(future, lambda f: callback())`; nothing if the
    /// loop is gone (the Runner holds its loop weakly).
    fn add_future_on(
        &self,
        io_loop: &WeakIOLoop,
        callback: Box<dyn FnOnce() -> Result<(), Exception>>,
    );

    /// The recording name of this future (`f3`), for the Runner's lines.
    fn id(&self) -> u32;

    /// The future itself, to recognise `moment` by identity.
    fn as_any(&self) -> &dyn Any;
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
        io_loop: &WeakIOLoop,
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
}

/// Erases a future's result type.
pub fn erase<T: Clone + 'static>(future: Future<T>) -> Rc<dyn AnyFuture> {
    Rc::new(future)
}
