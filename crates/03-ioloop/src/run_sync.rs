//! `run_sync`: start the loop, run one function, stop when its future is done.

use ch01_yield::Exception;
use ch02_future::Future;

use crate::ioloop::IOLoop;

impl IOLoop {
    /// Starts the loop, runs `func` on it, and returns the result of the
    /// future `func` returned, once that future is done.
    ///
    /// `func` runs inside the loop, in its first iteration, so
    /// [`IOLoop::current`] is this loop there. With `timeout`, the loop is
    /// stopped after that many seconds and the call fails with
    /// `TimeoutError: Operation timed out after N seconds`; the future is
    /// not cancelled and keeps running on the next `start()`.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.run_sync` (abridged):
    ///
    /// ```python
    /// def run():
    ///     try:
    ///         result = func()
    ///         ...  # convert_yielded
    ///     except Exception:
    ///         future_cell[0] = TracebackFuture()
    ///         future_cell[0].set_exc_info(sys.exc_info())
    ///     else:
    ///         ...  # future_cell[0] = the future
    ///     self.add_future(future_cell[0], lambda future: self.stop())
    /// self.add_callback(run)
    /// if timeout is not None:
    ///     timeout_handle = self.add_timeout(self.time() + timeout, self.stop)
    /// self.start()
    /// if timeout is not None:
    ///     self.remove_timeout(timeout_handle)
    /// if not future_cell[0].done():
    ///     raise TimeoutError('Operation timed out after %s seconds' % timeout)
    /// return future_cell[0].result()
    /// ```
    ///
    /// A `timeout` of `+inf` is no timeout, `-inf` times out in the first
    /// iteration (after `func` ran), and NaN is refused: see below.
    ///
    /// # Errors
    ///
    /// The future's exception;
    /// [`IOLoopError::Timeout`](crate::IOLoopError::Timeout) if the loop
    /// stopped first; [`IOLoopError::NotANumber`](crate::IOLoopError::NotANumber)
    /// for a NaN timeout and
    /// [`IOLoopError::AlreadyRunning`](crate::IOLoopError::AlreadyRunning)
    /// inside the running loop, both before anything is queued or run; the
    /// errors of [`start`](IOLoop::start).
    ///
    /// # Differences
    ///
    /// `func` returns a `Future<T>`; Tornado also accepts `None` and any
    /// yieldable. A panic in `func` becomes the future's exception, as a
    /// Python exception raised by `func` does.
    ///
    /// A `run_sync` that fails leaves nothing behind that acts later.
    /// Tornado 4.5.3 queues `run` and the timeout before `start()` raises, so:
    ///
    /// - inside the running loop, it raises `RuntimeError` but `func` still
    ///   runs afterwards and its future (or the timeout) stops the *outer*
    ///   loop. Here it fails before queueing anything.
    /// - after `stop()`, `start()` returns at once and Tornado fails with
    ///   `AttributeError` (`None.done()`), leaving `run` queued for the next
    ///   `start()`. Here it is `TimeoutError` and nothing is queued.
    /// - after a timeout, `add_future(future, lambda future: self.stop())`
    ///   stays on the pending future and stops whichever `start()` is
    ///   running when it resolves. Here that `stop` is disarmed when
    ///   `run_sync` returns (its callback still runs, and does nothing).
    ///
    /// A NaN timeout in Tornado becomes a NaN timeout that spins the loop
    /// (see [`add_timeout`](IOLoop::add_timeout)); here it is
    /// `ValueError: Invalid value NaN (not a number)`.
    ///
    /// # Example
    ///
    /// ```
    /// use ch02_future::Future;
    /// use ch03_ioloop::{FakeClock, IOLoop};
    ///
    /// let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    /// let lp = io_loop.clone();
    /// let answer = io_loop.run_sync(move || {
    ///     let future = Future::new();
    ///     let f = future.clone();
    ///     lp.call_later(1.0, move || { f.set_result(42).unwrap(); });
    ///     future
    /// }, None);
    /// assert_eq!(answer.unwrap(), 42);
    ///
    /// let err = io_loop.run_sync(|| Future::<i32>::new(), Some(0.05)).unwrap_err();
    /// assert_eq!(err.to_string(), "TimeoutError: Operation timed out after 0.05 seconds");
    /// ```
    // ANCHOR: run_sync
    pub fn run_sync<T: Clone + 'static>(
        &self,
        func: impl FnOnce() -> Future<T> + 'static,
        timeout: Option<f64>,
    ) -> Result<T, Exception> {
        // Tornado 6 cancels a timed-out future: see `run_sync_asyncio`.
        if self.era() == ch00_trace::Era::Tornado6 {
            return self.run_sync_asyncio(func, timeout);
        }
        // exercise ex03.5 begin (uses: self, func, timeout)
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;

        use ch01_yield::catch_panic;

        use crate::error::IOLoopError;

        // Checked before anything is queued: a call that cannot run leaves
        // nothing behind (Tornado queues first and lets `start()` raise).
        if timeout.is_some_and(f64::is_nan) {
            return Err(IOLoopError::NotANumber.into());
        }
        if self.is_running() {
            return Err(IOLoopError::AlreadyRunning.into());
        }
        // PY: start() would return at once and consume the flag.
        if self.inner.state.take_stop_request() {
            return Err(IOLoopError::Timeout(timeout).into());
        }
        // Cleared when run_sync returns: a stop hung on a future that
        // resolves later must not stop somebody else's start().
        let armed = Rc::new(Cell::new(true));
        let future_cell: Rc<RefCell<Option<Future<T>>>> = Rc::new(RefCell::new(None));
        // Weak handles: these closures live in the loop's queues, and a
        // strong one would keep the loop alive if `start` fails.
        let (cell, io_loop, stop_armed) = (future_cell.clone(), self.downgrade(), armed.clone());
        self.add_callback(move || {
            // PY: except Exception: future_cell[0] = TracebackFuture(); set_exc_info(...)
            let future = catch_panic(func).unwrap_or_else(Future::failed);
            *cell.borrow_mut() = Some(future.clone());
            let Some(io_loop) = io_loop.upgrade() else {
                return; // unreachable: the loop is running this callback
            };
            let stopper = io_loop.downgrade();
            io_loop.add_future(&future, move |_| {
                if let Some(io_loop) = stopper.upgrade().filter(|_| stop_armed.get()) {
                    io_loop.stop();
                }
            });
        });
        let timeout_handle = timeout.map(|seconds| {
            let stopper = self.downgrade();
            self.add_timeout(self.time() + seconds, move || {
                if let Some(io_loop) = stopper.upgrade() {
                    io_loop.stop();
                }
            })
        });
        let started = self.start();
        armed.set(false);
        started?;
        if let Some(handle) = &timeout_handle {
            self.remove_timeout(handle);
        }
        let future = future_cell.borrow_mut().take();
        match future {
            Some(future) if future.done() => future.result(),
            _ => Err(IOLoopError::Timeout(timeout).into()),
        }
        // exercise ex03.5 end
    }
    // ANCHOR_END: run_sync

    /// `run_sync` under Tornado 6's rules (`tornado/ioloop.py` 6.6.1).
    ///
    /// Two changes from 4.5.3: the timeout *cancels* the function's future
    /// (an `asyncio.Future` can be cancelled), whose done-callback then
    /// stops the loop one iteration later; and a loop stopped by someone
    /// else is `RuntimeError: Event loop stopped before Future completed.`
    /// rather than a timeout.
    ///
    /// ```python
    /// def timeout_callback() -> None:
    ///     future_cell["timeout_called"] = True
    ///     if not future_cell["future"].cancel():
    ///         self.stop()
    /// ...
    /// if future_cell["future"].cancelled() or not future_cell["future"].done():
    ///     if future_cell["timeout_called"]:
    ///         raise TimeoutError("Operation timed out after %s seconds" % timeout)
    ///     else:
    ///         raise RuntimeError("Event loop stopped before Future completed.")
    /// return future_cell["future"].result()
    /// ```
    fn run_sync_asyncio<T: Clone + 'static>(
        &self,
        func: impl FnOnce() -> Future<T> + 'static,
        timeout: Option<f64>,
    ) -> Result<T, Exception> {
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;

        use ch01_yield::catch_panic;

        use crate::error::IOLoopError;

        if timeout.is_some_and(f64::is_nan) {
            return Err(IOLoopError::NotANumber.into());
        }
        if self.is_running() {
            return Err(IOLoopError::EventLoopRunning.into());
        }
        let future_cell: Rc<RefCell<Option<Future<T>>>> = Rc::new(RefCell::new(None));
        let timeout_called = Rc::new(Cell::new(false));
        let (cell, io_loop) = (future_cell.clone(), self.downgrade());
        self.add_callback(move || {
            let future = catch_panic(func).unwrap_or_else(Future::failed);
            *cell.borrow_mut() = Some(future.clone());
            if let Some(io_loop) = io_loop.upgrade() {
                let stopper = io_loop.downgrade();
                io_loop.add_future(&future, move |_| {
                    if let Some(io_loop) = stopper.upgrade() {
                        io_loop.stop();
                    }
                });
            }
        });
        let timeout_handle = timeout.map(|seconds| {
            let (cell, called, stopper) = (
                future_cell.clone(),
                timeout_called.clone(),
                self.downgrade(),
            );
            self.add_timeout(self.time() + seconds, move || {
                called.set(true);
                let cancelled = cell.borrow().as_ref().is_some_and(Future::cancel);
                if !cancelled {
                    if let Some(io_loop) = stopper.upgrade() {
                        io_loop.stop();
                    }
                }
            })
        });
        self.start()?;
        if let Some(handle) = &timeout_handle {
            self.remove_timeout(handle);
        }
        let future = future_cell.borrow_mut().take();
        match future {
            Some(future) if future.done() && !future.cancelled() => future.result(),
            _ if timeout_called.get() => Err(IOLoopError::Timeout(timeout).into()),
            _ => Err(IOLoopError::StoppedBeforeComplete.into()),
        }
    }
}
