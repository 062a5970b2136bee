//! `gen.Task`: a callback-style function adapted for coroutines, in its
//! two shapes: Tornado 4's function returning a future, Tornado 3's yield
//! point.

use std::marker::PhantomData;

use ch01_yield::Exception;
use ch02_future::Future;
use ch04_runner::{Key, Runner, Value, YieldPoint, Yieldable, Yielded, yielded};

use crate::arguments::ResultCallback;

/// A callback-style function, already given its other arguments: it is
/// called with the `callback` keyword argument and returns what it raised.
pub type CallbackFunction = Box<dyn FnOnce(ResultCallback) -> Result<(), Exception>>;

/// Calls `func` now, with a callback that resolves the returned future:
/// Tornado 4's `gen.Task`.
///
/// ```
/// use ch06_gen_task::task;
///
/// // def legacy(callback): callback(42)
/// let future = task::<i32>(|callback| callback.call(42));
/// assert_eq!(future.result().unwrap(), 42);
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// def Task(func, *args, **kwargs):
///     future = Future()
///     def handle_exception(typ, value, tb):
///         if future.done():
///             return False
///         future.set_exc_info((typ, value, tb))
///         return True
///     def set_result(result):
///         if future.done():
///             return
///         future.set_result(result)
///     with stack_context.ExceptionStackContext(handle_exception):
///         func(*args, callback=_argument_adapter(set_result), **kwargs)
///     return future
/// ```
///
/// `func` runs when `task` is *called*, before anything is yielded. The
/// first value given to the callback wins; later calls are ignored. Yielded,
/// the future resumes the coroutine one loop iteration after the callback
/// ran, like any future.
///
/// # Differences
///
/// - `func` is a closure that receives the callback, so `gen.Task(f, a, b)`
///   is `task(move |callback| f(a, b, callback))`, and a second `callback`
///   argument, a `TypeError` in Python, cannot be written.
/// - An error `func` *returns* is raised inside the `with` block, as a
///   panic is. If the future is already done, `handle_exception` declines
///   and the error goes on into the caller of `task`, raised with
///   [`raise`](ch01_yield::raise): a coroutine body that called `task` fails with it (at top
///   level, outside any coroutine or loop callback, it is a panic).
/// - A callback called with a value of another type than `T` fails the
///   future with a `TypeError`.
pub fn task<T: Clone + 'static>(
    func: impl FnOnce(ResultCallback) -> Result<(), Exception>,
) -> Future<T> {
    // Tornado 6.0 removed `gen.Task`: refused, as a failed future that
    // throws the error into a coroutine at its `yield`.
    if ch03_ioloop::IOLoop::try_current()
        .is_some_and(|io_loop| io_loop.era() == ch00_trace::Era::Tornado6)
    {
        drop(func);
        return Future::failed(ch04_runner::GenError::RemovedInTornado6 {
            name: "Task".into(),
        });
    }
    // exercise ex06.3 begin (uses: func)
    use ch01_yield::raise;
    use ch03_ioloop::stack_context::ExceptionStackContext;

    let future = Future::new();
    let set_result = {
        let future = future.clone();
        ResultCallback::new(move |value: Value| {
            if future.done() {
                return Ok(());
            }
            let _ = match value.downcast::<T>() {
                Ok(value) => future.set_result(value),
                Err(exc) => future.set_exception(exc),
            };
            Ok(())
        })
    };
    // PY: `def handle_exception(typ, value, tb): if future.done(): return
    // False; future.set_exc_info(...); return True`.
    let handler_future = future.clone();
    let context = ExceptionStackContext::new(move |exc| {
        if handler_future.done() {
            return Ok(false);
        }
        let _ = handler_future.set_exception(exc.clone());
        Ok(true)
    });
    // PY: `with stack_context.ExceptionStackContext(handle_exception):
    // func(...)`: catches whatever `func` raises (an `Err` it returns is
    // raised inside the block), and everything `func` schedules carries the
    // handler, so a callback of `func`'s that raises later fails the future.
    let outcome = context.run(|_| {
        if let Err(exc) = func(set_result) {
            raise(exc);
        }
    });
    if let Err(exc) = outcome {
        // PY: `handle_exception` declined (the future is done): the
        // exception leaves `gen.Task(...)` into its caller.
        raise(exc);
    }
    future
    // exercise ex06.3 end
}

/// Yielded, calls `func` with a callback and waits until it is called:
/// Tornado 3's `gen.Task`, the yield point of the upload article.
///
/// ```text
/// result = yield gen.Task(func, args)
/// # is the same as
/// func(args, callback=(yield gen.Callback(key)))
/// result = yield gen.Wait(key)
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 3.2.2:
///
/// ```python
/// class Task(YieldPoint):
///     def __init__(self, func, *args, **kwargs):
///         assert "callback" not in kwargs
///         self.args = args
///         self.kwargs = kwargs
///         self.func = func
///     def start(self, runner):
///         self.runner = runner
///         self.key = object()
///         runner.register_callback(self.key)
///         self.kwargs["callback"] = runner.result_callback(self.key)
///         self.func(*self.args, **self.kwargs)
///     def is_ready(self):
///         return self.runner.is_ready(self.key)
///     def get_result(self):
///         return self.runner.pop_result(self.key)
/// ```
///
/// Unlike [`task`], `func` runs when the Task is *yielded*, an error it
/// returns (or a panic) is thrown into the generator at the `yield`, and the generator
/// resumes *inside* the callback call. Here it runs on chapter 04's 4.5.3
/// Runner, as a user-defined `YieldPoint` would in Tornado 4.5.3: the
/// first yield point of a coroutine starts one iteration late (3.2.2's
/// Runner starts it at once).
pub struct Task<T> {
    func: Option<CallbackFunction>,
    key: Option<Key>,
    result: PhantomData<fn() -> T>,
}

impl<T> Task<T> {
    /// `gen.Task(func)`, with `func`'s other arguments captured by the closure.
    pub fn new(func: impl FnOnce(ResultCallback) -> Result<(), Exception> + 'static) -> Self {
        Task {
            func: Some(Box::new(func)),
            key: None,
            result: PhantomData,
        }
    }
}

impl<T> YieldPoint for Task<T> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        let key = Key::unique();
        runner.register_callback(key.clone())?;
        let callback = ResultCallback::new(runner.result_callback(key.clone()));
        self.key = Some(key);
        match self.func.take() {
            Some(func) => func(callback),
            None => Ok(()),
        }
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        match &self.key {
            Some(key) => runner.is_ready(key),
            None => Ok(false),
        }
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        match &self.key {
            Some(key) => runner.pop_result(key),
            None => Ok(Value::none()),
        }
    }

    fn describe(&self) -> String {
        "Task".to_string()
    }
}

impl<T: 'static> Yieldable for Task<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}
