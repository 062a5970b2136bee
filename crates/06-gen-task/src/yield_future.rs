//! `YieldFuture`: a future dressed as a yield point.

use ch01_yield::Exception;
use ch02_future::Future;
use ch04_runner::{Value, Yieldable, Yielded};

use crate::key::Key;
use crate::runner::YieldPointRunner;
use crate::yield_point::{YieldPoint, yielded};

/// Adapts a future to the yield-point interface, so that it can sit in a
/// [`Multi`](crate::Multi) beside `Wait`s.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class YieldFuture(YieldPoint):
///     def __init__(self, future, io_loop=None):
///         self.future = future
///         self.io_loop = io_loop or IOLoop.current()
///     def start(self, runner):
///         if not self.future.done():
///             self.runner = runner
///             self.key = object()
///             runner.register_callback(self.key)
///             self.io_loop.add_future(self.future, runner.result_callback(self.key))
///         else:
///             self.runner = None
///             self.result_fn = self.future.result
///     def is_ready(self):
///         if self.runner is not None:
///             return self.runner.is_ready(self.key)
///         else:
///             return True
///     def get_result(self):
///         if self.runner is not None:
///             return self.runner.pop_result(self.key).result()
///         else:
///             return self.result_fn()
/// ```
///
/// # Differences
///
/// The loop is the Runner's (`runner.io_loop`), not the one current when
/// the `YieldFuture` was made; they are the same in every program here.
pub struct YieldFuture<T> {
    future: Future<T>,
    key: Option<Key>,
}

impl<T> YieldFuture<T> {
    /// `gen.YieldFuture(future)`.
    pub fn new(future: Future<T>) -> Self {
        YieldFuture { future, key: None }
    }
}

impl<T: Clone + 'static> YieldPoint for YieldFuture<T> {
    fn start(&mut self, runner: &YieldPointRunner) -> Result<(), Exception> {
        if self.future.done() {
            return Ok(());
        }
        let key = Key::unique();
        runner.register_callback(key.clone())?;
        let callback = runner.result_callback(key.clone());
        runner
            .io_loop()
            .add_future(&self.future, move |future: Future<T>| callback.call(future));
        self.key = Some(key);
        Ok(())
    }

    fn is_ready(&mut self, runner: &YieldPointRunner) -> Result<bool, Exception> {
        match &self.key {
            Some(key) => runner.is_ready(key),
            None => Ok(true),
        }
    }

    fn get_result(&mut self, runner: &YieldPointRunner) -> Result<Value, Exception> {
        let future = match &self.key {
            Some(key) => runner.pop_result(key)?.downcast::<Future<T>>()?,
            None => self.future.clone(),
        };
        future.result().map(Value::new)
    }

    fn describe(&self) -> String {
        format!("YieldFuture(f{})", self.future.id())
    }
}

impl<T: Clone + 'static> Yieldable for YieldFuture<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}
