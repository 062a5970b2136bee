//! `Arguments` and the argument adapter: what a callback was called with.

use std::rc::Rc;

use ch01_yield::Exception;
use ch04_runner::Value;

/// The result of a callback called with more than one argument, or with
/// keyword arguments.
///
/// ```
/// use ch06_gen_task::Arguments;
/// let both = Arguments::new((42, 43), ());
/// assert_eq!(both.args, (42, 43));
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// Arguments = collections.namedtuple('Arguments', ['args', 'kwargs'])
/// ```
///
/// # Differences
///
/// Python's `args` is a tuple and `kwargs` a dict of anything. Here both are
/// typed: `args` a Rust tuple, `kwargs` a map (`BTreeMap<&str, V>`) or `()`
/// when there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arguments<A, K> {
    /// The positional arguments.
    pub args: A,
    /// The keyword arguments.
    pub kwargs: K,
}

impl<A, K> Arguments<A, K> {
    /// `Arguments(args, kwargs)`.
    pub fn new(args: A, kwargs: K) -> Self {
        Arguments { args, kwargs }
    }
}

/// A callback handed to callback-style code: by a yielded `Callback`, by
/// `Task` and `task`. Calling it delivers a result.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, the callable `_argument_adapter` returns:
///
/// ```python
/// def _argument_adapter(callback):
///     def wrapper(*args, **kwargs):
///         if kwargs or len(args) > 1:
///             callback(Arguments(args, kwargs))
///         elif args:
///             callback(args[0])
///         else:
///             callback(None)
///     return wrapper
/// ```
///
/// # Differences
///
/// Rust has no `*args`, so the three branches of `wrapper` are three
/// methods: [`call_none`](Self::call_none) (`callback()`),
/// [`call`](Self::call) (`callback(x)`) and [`call_args`](Self::call_args)
/// (`callback(x, y)` or `callback(value=x)`, already packed as
/// [`Arguments`]). Each returns what delivering the result raised: in
/// Tornado that propagates out of the callback call, to the IOLoop which
/// logs it (a `LeakedCallbackError`, for one).
#[derive(Clone)]
pub struct ResultCallback {
    deliver: Rc<dyn Fn(Value) -> Result<(), Exception>>,
}

impl ResultCallback {
    /// Wraps what receives the adapted result (Python's `callback`).
    pub fn new(deliver: impl Fn(Value) -> Result<(), Exception> + 'static) -> Self {
        ResultCallback {
            deliver: Rc::new(deliver),
        }
    }

    /// `callback(value)`: the result is `value`.
    pub fn call<T: 'static>(&self, value: T) -> Result<(), Exception> {
        (self.deliver)(Value::new(value))
    }

    /// `callback()`: the result is `None`.
    pub fn call_none(&self) -> Result<(), Exception> {
        (self.deliver)(Value::none())
    }

    /// `callback(*args, **kwargs)` with several values: the result is the
    /// [`Arguments`] themselves.
    pub fn call_args<A: 'static, K: 'static>(
        &self,
        arguments: Arguments<A, K>,
    ) -> Result<(), Exception> {
        (self.deliver)(Value::new(arguments))
    }
}

impl std::fmt::Debug for ResultCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResultCallback(..)")
    }
}
