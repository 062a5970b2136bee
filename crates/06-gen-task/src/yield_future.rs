//! `YieldFuture`: a future dressed as a yield point.

use ch01_yield::Exception;
use ch02_future::Future;
use ch04_runner::{Key, Runner, Value, YieldPoint, Yieldable, Yielded, yielded};

use crate::arguments::ResultCallback;

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
/// - The loop is the Runner's (`runner.io_loop`), not the one current when
///   the `YieldFuture` was made; they are the same in every program here.
/// - Once `start` has registered the Runner's callback on a pending future,
///   the `YieldFuture` lets go of it (Tornado keeps `self.future`). The
///   Runner holds its yield point, so holding the future here would close a
///   cycle (Runner, yield point, future, its callback, Runner) that keeps a
///   coroutine waiting on a future nobody else holds, which nothing can
///   resolve. Whoever can resolve it holds it, and that keeps the Runner.
pub struct YieldFuture<T> {
    state: Started<T>,
    /// The future's recording name, for `describe`.
    id: u32,
}

/// PY: `self.runner is None` (the future itself is read) or not (the
/// result comes from the Runner, under `self.key`).
enum Started<T> {
    /// Not started, or started on a future that was already done.
    Future(Future<T>),
    /// Started on a pending future: its result arrives under this key.
    Waiting(Key),
}

impl<T: 'static> YieldFuture<T> {
    /// `gen.YieldFuture(future)`.
    pub fn new(future: Future<T>) -> Self {
        YieldFuture {
            id: future.id(),
            state: Started::Future(future),
        }
    }
}

impl<T: Clone + 'static> YieldPoint for YieldFuture<T> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        let Started::Future(future) = &self.state else {
            return Ok(());
        };
        if future.done() {
            return Ok(());
        }
        let key = Key::unique();
        runner.register_callback(key.clone())?;
        let callback = ResultCallback::new(runner.result_callback(key.clone()));
        runner
            .io_loop()
            .add_future(future, move |future: Future<T>| callback.call(future));
        self.state = Started::Waiting(key);
        Ok(())
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        match &self.state {
            Started::Waiting(key) => runner.is_ready(key),
            Started::Future(_) => Ok(true),
        }
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        // exercise ex06.2 begin (uses: self, runner)
        let future = match &self.state {
            Started::Waiting(key) => runner.pop_result(key)?.downcast::<Future<T>>()?,
            Started::Future(future) => future.clone(),
        };
        future.result().map(Value::new)
        // exercise ex06.2 end
    }

    fn describe(&self) -> String {
        format!("YieldFuture(f{})", self.id)
    }
}

impl<T: Clone + 'static> Yieldable for YieldFuture<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}
