//! Callbacks: `add_callback`, `spawn_callback`, and how the loop runs one.

use std::fmt;
use std::rc::Rc;

use ch00_trace::{EventKind, ObjectKind, emit, next_id};
use ch01_yield::{Exception, catch_panic};

use crate::ioloop::{Callback, CallbackFn, IOLoop, LoopCallback};
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

    /// The same for an fd handler's return value, which Tornado 4.5.3
    /// ignores (`handler_func(fd_obj, events)` in `start()`): only an `Err`
    /// (a raised exception) counts. A returned `Future` is dropped, so a
    /// failure in it is reported as never retrieved at once, not handed to
    /// `add_future` as a callback's is.
    fn into_handler_result(self, io_loop: &IOLoop) -> Result<(), Exception>
    where
        Self: Sized,
    {
        self.into_callback_result(io_loop)
    }
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
    Box::new(UserCallback(callback))
}

/// A user's callback, as `add_callback` and `add_timeout` queue it.
struct UserCallback<F>(F);

impl<F: FnOnce() -> R, R: CallbackReturn> LoopCallback for UserCallback<F> {
    fn call(self: Box<Self>, io_loop: &IOLoop) -> Result<(), Exception> {
        (self.0)().into_callback_result(io_loop)
    }

    fn type_name(&self) -> &'static str {
        // `my_program::main::{{closure}}`, or a function's path.
        std::any::type_name::<F>()
    }
}

/// A recorded object's name for log lines: `c3`, `t1`, `h2`.
///
/// Ids exist only while a recording is going (they are 0 otherwise); then
/// the callback is named by its Rust type, if known.
#[derive(Clone, Copy)]
pub(crate) struct Name {
    pub(crate) prefix: &'static str,
    pub(crate) id: u32,
    /// The callback's type name, for when there is no id.
    pub(crate) type_name: Option<&'static str>,
}

impl Name {
    /// `c3`, `t1`, `h2`: a name with no type to fall back on.
    pub(crate) fn new(prefix: &'static str, id: u32) -> Self {
        Name {
            prefix,
            id,
            type_name: None,
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.id, self.type_name) {
            // PY: Tornado prints the callback's repr (`<function f at
            // 0x...>`); the nearest readable thing is the closure's type.
            (0, Some(type_name)) => f.write_str(type_name),
            // Without a recording or a type there is no name to print, so
            // say what it was.
            (0, None) => write!(f, "<unnamed {}>", self.prefix),
            (id, _) => write!(f, "{}{id}", self.prefix),
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
        self.push_callback_fn(stack_context::wrap_user_callback(callback));
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

    /// A callback that calls `method` on this loop: Python's bound method
    /// (`loop.stop`), to pass where a callback is expected without cloning
    /// the loop into a closure by hand.
    ///
    /// `method` is any function of `&IOLoop`: a method such as
    /// [`IOLoop::stop`], or a closure. The callback holds the loop weakly
    /// (a [`WeakIOLoop`](crate::WeakIOLoop)), so queueing it on the same
    /// loop makes no cycle; if the loop is gone when it runs, it does
    /// nothing. What `method` returns is handled as [`CallbackReturn`] says.
    ///
    /// # Tornado
    ///
    /// None: Python's `loop.stop` is already a callable that remembers its
    /// object. `tornado/test/ioloop_test.py` 4.5.3 passes one, e.g.
    /// `loop.add_timeout(datetime.timedelta(milliseconds=50), loop.stop)`.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    /// io_loop.call_later(0.01, io_loop.bind(IOLoop::stop));
    /// io_loop.start().unwrap();
    /// assert_eq!(io_loop.time(), 0.01);
    /// ```
    pub fn bind<R: CallbackReturn>(
        &self,
        method: impl FnOnce(&IOLoop) -> R + 'static,
    ) -> impl FnOnce() -> Result<(), Exception> + 'static {
        let io_loop = self.downgrade();
        move || match io_loop.upgrade() {
            Some(io_loop) => method(&io_loop).into_callback_result(&io_loop),
            None => Ok(()),
        }
    }

    /// [`add_callback`](IOLoop::add_callback) for a callback already boxed:
    /// the box is queued as it is, and handed back to the callback when it
    /// runs ([`LoopCallback::call`]), so it can be kept and queued again.
    ///
    /// # Tornado
    ///
    /// None: Python allocates the `functools.partial` that `add_callback`
    /// queues every time. Allocating is what costs most in a Rust loop, and
    /// a coroutine's Runner is queued once per `yield`; this lets it keep one
    /// box for all its turns (see [`LoopCallback`]).
    pub fn add_boxed_callback(&self, callback: Box<dyn LoopCallback>) {
        self.push_callback_fn(callback);
    }

    /// Runs a boxed callback now, guarded as the loop guards the callbacks it
    /// runs: an `Err` or a panic is logged ("Exception in callback ...") and
    /// goes no further.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 6.6.1, `IOLoop._run_callback`, which Tornado 6's
    /// `add_future` calls from inside the future's done-callback (scheduled
    /// by asyncio) instead of queuing the callback once more:
    ///
    /// ```python
    /// def add_future(self, future, callback):
    ///     ...
    ///     future.add_done_callback(
    ///         lambda f: self._run_callback(functools.partial(callback, f)))
    /// ```
    pub fn run_boxed_callback(&self, callback: Box<dyn LoopCallback>) {
        self.run_callback_fn(callback, "c", 0);
    }

    /// Queues an already-boxed callback (used by `add_callback` and `add_future`).
    pub(crate) fn push_callback_fn(&self, func: CallbackFn) {
        let inner = &*self.inner;
        if inner.state.is_closing() {
            return;
        }
        let id = next_id(ObjectKind::Callback);
        emit(EventKind::Callback, || format!("callback c{id} scheduled"));
        inner.callbacks.push_back(Callback { id, func });
        // PY: `if thread.get_ident() != self._thread_ident: self._waker.wake()`.
        // Before the first `start()` Tornado knows no loop thread, so even
        // this thread's callbacks write the waker, and the first poll
        // returns at once with its event (one iteration, seen in `[it=N]`).
        if !inner.state.has_started() && inner.era == ch00_trace::Era::Tornado4 {
            self.wake();
        }
    }

    /// Runs the next `n` queued callbacks (fewer if a callback closed the
    /// loop), each as `_run_callback` does: what one raises is logged, and
    /// the loop goes on with the next.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.start` and `IOLoop._run_callback`:
    ///
    /// ```python
    /// for i in range(ncallbacks):
    ///     self._run_callback(self._callbacks.popleft())
    /// ```
    ///
    /// # Differences
    ///
    /// Python enters one `try:` per callback. Entering a `try` is free in
    /// Python's bytecode and almost free in Rust (`catch_unwind` costs
    /// nothing until something panics), but our `catch_panic` also keeps
    /// count of the guards on the stack (so the panic hook stays quiet), and
    /// that bookkeeping was a tenth of what running a callback costs. So one
    /// guard covers the whole batch: if a callback panics, the guard
    /// catches it, the panic is handled as the callback's (the same log line,
    /// at the same point in the order), and a new guard takes the rest of
    /// the batch. An `Err` returned by a callback is handled inside the
    /// guard, as before. What runs, and in which order, is the same as with
    /// one guard per callback.
    pub(crate) fn run_callbacks(&self, n: usize) {
        let mut left = n;
        while left > 0 {
            // The callback running now, to name it if it panics.
            let mut running = Name::new("c", 0);
            let outcome = catch_panic(|| {
                while left > 0 {
                    left -= 1;
                    // `None` only if a callback closed the loop.
                    let Some(Callback { id, func }) = self.inner.callbacks.pop_front() else {
                        left = 0;
                        return;
                    };
                    emit(EventKind::Callback, || format!("callback c{id} runs"));
                    running = Name {
                        prefix: "c",
                        id,
                        type_name: Some(func.type_name()),
                    };
                    if let Err(exc) = func.call(self) {
                        self.handle_callback_exception(&running, &exc);
                    }
                }
            });
            // PY: except Exception: self.handle_callback_exception(callback)
            if let Err(exc) = outcome {
                self.handle_callback_exception(&running, &exc);
            }
        }
    }

    /// Runs a boxed callback; an `Err` or a panic goes to [`handle_callback_exception`](Self::handle_callback_exception).
    /// `prefix` and `id` name it in a log line (`c3`, `t1`).
    pub(crate) fn run_callback_fn(&self, func: CallbackFn, prefix: &'static str, id: u32) {
        let type_name = func.type_name();
        // PY: try: callback() except Exception: self.handle_callback_exception(callback)
        let outcome = catch_panic(|| func.call(self)).and_then(|result| result);
        if let Err(exc) = outcome {
            let name = Name {
                prefix,
                id,
                type_name: Some(type_name),
            };
            self.handle_callback_exception(&name, &exc);
        }
    }

    /// What the loop does with an exception a callback, a timeout or a
    /// handler raised: the hook set by
    /// [`set_handle_callback_exception`](Self::set_handle_callback_exception),
    /// or else [`log_callback_exception`](Self::log_callback_exception).
    /// The loop then goes on with the next one.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.handle_callback_exception(callback)`,
    /// which a subclass (or a test, on the instance) may override.
    pub(crate) fn handle_callback_exception(&self, name: &dyn fmt::Display, exc: &Exception) {
        // Cloned out, so no borrow is held while the hook runs (it may set
        // another hook, or clear this one).
        let hook = self.inner.callback_exception_hook.borrow().clone();
        let Some(hook) = hook else {
            self.log_callback_exception(name, exc);
            return;
        };
        // PY: an exception raised by the override would escape start();
        // here it is logged with the one it was handling, and the loop goes on.
        if let Err(failure) = catch_panic(|| hook(self, name, exc)) {
            self.log_callback_exception(name, exc);
            log::error!(
                target: "tornado.application",
                "Exception in handle_callback_exception: {failure}"
            );
        }
    }

    /// Logs a callback's exception, as the loop does unless a hook is set.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.handle_callback_exception`:
    ///
    /// ```python
    /// app_log.error("Exception in callback %r", callback, exc_info=True)
    /// ```
    ///
    /// # Differences
    ///
    /// No traceback (a panic's message is in the exception). The callback
    /// is named by its recording id (`c3`, `t1`, `h2`).
    pub fn log_callback_exception(&self, name: &dyn fmt::Display, exc: &Exception) {
        log::error!(target: "tornado.application", "Exception in callback {name}: {exc}");
    }

    /// Replaces what the loop does with a callback's exception (by default,
    /// [`log_callback_exception`](Self::log_callback_exception)) with `hook`,
    /// called with the loop, the callback's name and the exception.
    ///
    /// The hook gets the loop as an argument, so it need not hold a clone of
    /// it (which would keep the loop alive). A panic in the hook is caught:
    /// the exception is then logged as by default, followed by
    /// `Exception in handle_callback_exception: ...`.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3: `handle_callback_exception` is a method a
    /// subclass overrides (`test_handle_callback_exception` overrides it on
    /// the instance: `self.io_loop.handle_callback_exception = handler`).
    ///
    /// # Differences
    ///
    /// Python's override reads the exception from `sys.exc_info()`; ours
    /// is an argument.
    ///
    /// # Example
    ///
    /// ```
    /// use ch01_yield::PyError;
    /// use ch03_ioloop::IOLoop;
    /// use std::{cell::RefCell, rc::Rc};
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let seen = Rc::new(RefCell::new(Vec::new()));
    /// let s = seen.clone();
    /// io_loop.set_handle_callback_exception(move |io_loop, _name, exc| {
    ///     s.borrow_mut().push(exc.class_name());
    ///     io_loop.stop();
    /// });
    /// io_loop.add_callback(|| Err(PyError::new("ZeroDivisionError", "division by zero")));
    /// io_loop.start().unwrap();
    /// assert_eq!(*seen.borrow(), ["ZeroDivisionError"]);
    /// io_loop.clear_handle_callback_exception(); // back to logging
    /// ```
    pub fn set_handle_callback_exception(
        &self,
        hook: impl Fn(&IOLoop, &dyn fmt::Display, &Exception) + 'static,
    ) {
        let old = self
            .inner
            .callback_exception_hook
            .replace(Some(Rc::new(hook)));
        // Dropped outside the borrow: its captures may do anything.
        drop(old);
    }

    /// Goes back to logging callbacks' exceptions (Python's
    /// `del io_loop.handle_callback_exception`).
    pub fn clear_handle_callback_exception(&self) {
        let old = self.inner.callback_exception_hook.replace(None);
        drop(old);
    }
}
