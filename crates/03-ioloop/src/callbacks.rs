//! Callbacks: `add_callback`, `spawn_callback`, and how the loop runs one.

use std::fmt;

use ch00_trace::{EventKind, ObjectKind, emit, next_id};
use ch01_yield::{Exception, catch_panic};

use crate::ioloop::{Callback, CallbackFn, IOLoop};
use crate::stack_context;

/// What an IOLoop callback may return: nothing, a `Result`, or (with
/// chapter 02) a `Future` whose failure should not go unnoticed.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `IOLoop._run_callback`:
///
/// ```python
/// ret = callback()
/// if ret is not None:
///     try:
///         ret = gen.convert_yielded(ret)
///     except gen.BadYieldError:
///         pass   # a non-yieldable result is just ignored
///     else:
///         self.add_future(ret, self._discard_future_result)
/// ```
///
/// # Differences
///
/// Python looks at the returned object at run time; Rust decides by the
/// callback's return type. `()` is Python's `None`; `Err(e)` is a raised
/// exception (logged, the loop goes on); a returned `Future` is handed to
/// `add_future` exactly as Tornado does, so its failure is logged one
/// iteration later. There is no "non-yieldable value" case to ignore: a
/// callback returning `42` does not compile.
///
/// # Example
///
/// ```
/// use ch01_yield::PyError;
/// use ch03_ioloop::IOLoop;
///
/// let io_loop = IOLoop::new().unwrap();
/// io_loop.add_callback(|| println!("returns ()"));
/// io_loop.add_callback(|| -> Result<(), PyError> { Err(PyError::new("ValueError", "logged")) });
/// let stopper = io_loop.clone();
/// io_loop.add_callback(move || stopper.stop());
/// io_loop.start().unwrap();
/// ```
pub trait CallbackReturn: 'static {
    /// Turns the callback's return value into "it went fine" or the
    /// exception the loop should log. `io_loop` is the loop that ran it.
    fn into_callback_result(self, io_loop: &IOLoop) -> Result<(), Exception>;
}

impl CallbackReturn for () {
    fn into_callback_result(self, _io_loop: &IOLoop) -> Result<(), Exception> {
        Ok(())
    }
}

impl<E: Into<Exception> + 'static> CallbackReturn for Result<(), E> {
    fn into_callback_result(self, _io_loop: &IOLoop) -> Result<(), Exception> {
        self.map_err(Into::into)
    }
}

/// Boxes a user callback as a [`CallbackFn`].
pub(crate) fn boxed<R: CallbackReturn>(callback: impl FnOnce() -> R + 'static) -> CallbackFn {
    Box::new(move |io_loop: &IOLoop| callback().into_callback_result(io_loop))
}

/// A recorded object's name for log lines: `c3`, `t1`, `h2`.
///
/// Names exist only while a recording is going (ids are 0 otherwise).
#[derive(Clone, Copy)]
pub(crate) struct Name {
    pub(crate) prefix: &'static str,
    pub(crate) id: u32,
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id == 0 {
            // PY: Tornado prints the callback's repr; without a recording
            // there is no name to print, so say what it was.
            write!(f, "<unnamed {}>", self.prefix)
        } else {
            write!(f, "{}{}", self.prefix, self.id)
        }
    }
}

impl IOLoop {
    /// Calls `callback` on the next iteration of the loop.
    ///
    /// Callbacks run in the order they were added. A callback added while
    /// the loop is running its callbacks waits for the next iteration (the
    /// loop runs only as many callbacks as were queued when the iteration
    /// began). After [`close`](IOLoop::close) the callback is silently
    /// dropped. What the callback returns is handled as described at
    /// [`CallbackReturn`]; an error or a panic is logged and the loop goes on.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.add_callback`:
    ///
    /// ```python
    /// def add_callback(self, callback, *args, **kwargs):
    ///     if self._closing:
    ///         return
    ///     # Blindly insert into self._callbacks. This is safe even
    ///     # from signal handlers because deque.append is atomic.
    ///     self._callbacks.append(functools.partial(
    ///         stack_context.wrap(callback), *args, **kwargs))
    ///     if thread.get_ident() != self._thread_ident:
    ///         self._waker.wake()
    /// ```
    ///
    /// # Differences
    ///
    /// Tornado's `add_callback` is the one method other threads may call.
    /// An `IOLoop` cannot even be sent to another thread (it is `!Send`), so
    /// this one wakes the poll only where Tornado's would on this thread:
    /// before the loop's first `start()`. Other threads use
    /// [`RemoteLoop::add_callback`](crate::RemoteLoop::add_callback). Extra
    /// arguments (`*args`) are captured by the closure instead.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// use std::{cell::RefCell, rc::Rc};
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let order = Rc::new(RefCell::new(Vec::new()));
    /// let (o, lp) = (order.clone(), io_loop.clone());
    /// io_loop.add_callback(move || {
    ///     o.borrow_mut().push("first");
    ///     let o2 = o.clone();
    ///     lp.add_callback(move || o2.borrow_mut().push("added while running"));
    /// });
    /// let o = order.clone();
    /// io_loop.add_callback(move || o.borrow_mut().push("second"));
    /// let lp = io_loop.clone();
    /// io_loop.add_callback(move || lp.stop());
    /// io_loop.start().unwrap();
    /// // "added while running" missed the batch, and the loop had stopped.
    /// assert_eq!(*order.borrow(), ["first", "second"]);
    /// ```
    pub fn add_callback<R: CallbackReturn>(&self, callback: impl FnOnce() -> R + 'static) {
        // PY: `stack_context.wrap(callback)`: unchanged when no context is active.
        self.push_callback_fn(stack_context::wrap_callback(boxed(callback)));
    }

    /// Calls `callback` on the next iteration, detached from its caller.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.spawn_callback`:
    ///
    /// ```python
    /// def spawn_callback(self, callback, *args, **kwargs):
    ///     with stack_context.NullContext():
    ///         self.add_callback(callback, *args, **kwargs)
    /// ```
    ///
    /// A plain `add_callback` remembers the caller's stack contexts (see
    /// [`stack_context`](crate::stack_context)), so its exception may reach
    /// the caller's handler; `spawn_callback` does not wrap the callback, so
    /// its exception is only logged. PY: `NullContext` around `add_callback`
    /// has the same effect: the callback is captured with no context.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// let lp = io_loop.clone();
    /// io_loop.spawn_callback(move || lp.stop());
    /// io_loop.start().unwrap();
    /// ```
    pub fn spawn_callback<R: CallbackReturn>(&self, callback: impl FnOnce() -> R + 'static) {
        // PY: `with stack_context.NullContext()`: nothing to clear here.
        self.push_callback_fn(boxed(callback));
    }

    /// Queues an already-boxed callback (used by `add_callback` and `add_future`).
    pub(crate) fn push_callback_fn(&self, func: CallbackFn) {
        let inner = &*self.inner;
        if inner.closing.get() {
            return;
        }
        let id = next_id(ObjectKind::Callback);
        emit(EventKind::Callback, || format!("callback c{id} scheduled"));
        inner.callbacks.push_back(Callback { id, func });
        // PY: `if thread.get_ident() != self._thread_ident: self._waker.wake()`.
        // Before the first `start()` Tornado knows no loop thread, so even
        // this thread's callbacks write the waker, and the first poll
        // returns at once with its event (one iteration, seen in `[it=N]`).
        if !inner.started.get() {
            self.wake();
        }
    }

    /// `_run_callback`: runs one callback, logging what it raised.
    pub(crate) fn run_callback(&self, callback: Callback) {
        let Callback { id, func } = callback;
        emit(EventKind::Callback, || format!("callback c{id} runs"));
        self.run_callback_fn(func, Name { prefix: "c", id });
    }

    /// Runs a boxed callback; an `Err` or a panic goes to [`handle_callback_exception`](Self::handle_callback_exception).
    pub(crate) fn run_callback_fn(&self, func: CallbackFn, name: Name) {
        // PY: try: callback() except Exception: self.handle_callback_exception(callback)
        let outcome = catch_panic(|| func(self)).and_then(|result| result);
        if let Err(exc) = outcome {
            self.handle_callback_exception(&name, &exc);
        }
    }

    /// Logs a callback's exception; the loop then goes on with the next one.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.handle_callback_exception`:
    ///
    /// ```python
    /// app_log.error("Exception in callback %r", callback, exc_info=True)
    /// ```
    pub(crate) fn handle_callback_exception(&self, name: &dyn fmt::Display, exc: &Exception) {
        log::error!(target: "tornado.application", "Exception in callback {name}: {exc}");
    }
}
