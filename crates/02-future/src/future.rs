//! `Future<T>`: a result that is not there yet, and the callbacks waiting for it.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::mem;
use std::rc::{Rc, Weak};

use ch00_trace::{EventKind, ObjectKind, emit, next_id};
use ch01_yield::Exception;

use crate::asyncio;
use crate::callback::DoneCallbackReturn;
use crate::depth::{self, DROP_FRAMES, Nesting, SET_DONE_FRAMES};
use crate::error::FutureError;
use crate::report;

/// A done-callback once it is stored: its return value already turned into a
/// `Result`, so callbacks of every shape fit in one list.
///
/// It receives its future as `&dyn Any` (always a `&Future<T>`), so that the
/// list's type does not name `T`: a list that outlives nothing can be handed
/// to [`depth::nested`] when a dropped future drops it (see `Drop`).
type DoneCallback = Box<dyn FnOnce(&dyn Any) -> Result<(), Exception>>;

/// What a future holds: nothing yet, a value, or an exception.
///
/// PY: Tornado keeps three fields (`_done`, `_result`, `_exc_info`) that the
/// code must keep consistent; one enum cannot be "done" without an outcome,
/// nor hold a result and an exception at once.
// ANCHOR: outcome
enum Outcome<T> {
    /// `_done == False`.
    Pending,
    /// `set_result(value)` was called. In an `Rc` so that `result()` can
    /// clone the value (user code) with no borrow of the state held.
    Result(Rc<T>),
    /// `set_exception(exc)` was called.
    Exception(Exception),
    /// `cancel()` succeeded: Tornado 6 only (`asyncio.Future`'s `_state ==
    /// CANCELLED`); a 4.5.3 future cannot be cancelled.
    Cancelled,
}
// ANCHOR_END: outcome

/// The mutable part of a future, behind one `RefCell`.
///
/// Invariant: no borrow of it is held while user code runs (a done-callback,
/// or the drop of one), because that code may call back into this future.
struct State<T> {
    /// The outcome; `Pending` until the first `set_result`/`set_exception`.
    outcome: Outcome<T>,
    /// `_callbacks`: the done-callbacks waiting, in registration order. Empty
    /// once the future is done (Tornado sets it to `None`).
    callbacks: DoneCallbacks,
}

/// PY: `self._callbacks`, a list. Most futures get exactly one done-callback
/// (the Runner waiting on it, or a `multi`), so the first is kept in the
/// future itself and only a second one starts a `Vec`: the usual wait
/// allocates no list (a `Vec`'s first push allocates room for four).
#[derive(Default)]
struct DoneCallbacks {
    first: Option<DoneCallback>,
    more: Vec<DoneCallback>,
}

impl DoneCallbacks {
    fn push(&mut self, callback: DoneCallback) {
        // `first` is empty only while nothing was pushed: the whole list is
        // taken at once (`mem::take`), never one callback at a time.
        if self.first.is_none() {
            self.first = Some(callback);
        } else {
            self.more.push(callback);
        }
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.more.len()
    }

    fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

/// The callbacks in registration order.
impl IntoIterator for DoneCallbacks {
    type Item = DoneCallback;
    type IntoIter =
        std::iter::Chain<std::option::IntoIter<DoneCallback>, std::vec::IntoIter<DoneCallback>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.into_iter().chain(self.more)
    }
}

/// A done-callback boxed for the list: it receives its future as `&dyn Any`.
fn boxed_callback<T: 'static, R: DoneCallbackReturn>(
    callback: impl FnOnce(&Future<T>) -> R + 'static,
) -> DoneCallback {
    Box::new(move |future: &dyn Any| {
        // `set_done` passes this very future: the downcast cannot fail.
        match future.downcast_ref::<Future<T>>() {
            Some(future) => callback(future).into_result(),
            None => Ok(()),
        }
    })
}

/// The one shared object that every clone of a `Future` points to.
struct Inner<T> {
    /// The recording name (`f1` is 1), or 0 when nothing was recording.
    /// A `Cell` only for [`Future::rename`]: a future that outlives one
    /// recording (`gen.moment`) takes a fresh name in the next.
    id: Cell<u32>,
    /// `_log_traceback`: nonzero while a set exception has not been looked
    /// at through `result()` or `exception()`; then it is the failure's stamp
    /// (see `report.rs`), which decides when a drop during a batch of
    /// callbacks reports it. Checked when the future is dropped. A `Cell`
    /// rather than part of `state`, so `result()` can clear it without a
    /// mutable borrow.
    log_traceback: Cell<u32>,
    /// Outcome and waiting callbacks.
    state: RefCell<State<T>>,
}

/// A placeholder for the result of an asynchronous operation: Tornado 4.5.3's
/// `tornado.concurrent.Future`.
///
/// Someone *produces* the outcome once, with [`set_result`](Future::set_result)
/// or [`set_exception`](Future::set_exception); anyone may *consume* it, by
/// asking [`done`](Future::done) and [`result`](Future::result), or by
/// registering a done-callback with
/// [`add_done_callback`](Future::add_done_callback). Done-callbacks run
/// synchronously, inside `set_result`, in the order they were added.
///
/// `Clone` gives another reference to the *same* future, as assigning a
/// Python object to a second name does: a result set through one clone is
/// seen through all of them. [`ptr_eq`](Future::ptr_eq) is Python's `is`.
///
/// A `Future` is not `Send`: like Tornado 4.5.3's (and unlike
/// `concurrent.futures.Future`), it is not thread-safe and belongs to the
/// thread of its IOLoop. `Rc` and `RefCell` make the compiler enforce what
/// Tornado's docstring only asks.
///
/// # Tornado
///
/// `tornado/concurrent.py` 4.5.3, `class Future`:
///
/// ```python
/// class Future(object):
///     def __init__(self):
///         self._done = False
///         self._result = None
///         self._exc_info = None
///         self._log_traceback = False   # Used for Python >= 3.4
///         self._callbacks = []
/// ```
///
/// # Differences
///
/// - A second `set_result`/`set_exception` returns
///   [`FutureError::InvalidState`] and stores nothing. Tornado 4.5.3 stores
///   the new value and then fails with a `TypeError`; 3.x and 6.x raise
///   `InvalidStateError` as we do.
/// - [`result`](Future::result) needs `T: Clone`: Python hands the same
///   object to every caller, Rust hands each caller its own copy (wrap the
///   value in an `Rc` to share one).
/// - An exception carries no traceback, so there is no `exc_info()` /
///   `set_exc_info()` and nothing like Tornado's re-raise "with the original
///   traceback".
/// - No `timeout` argument on `result()`/`exception()`: Tornado's is never used.
/// - No `__await__`: chapter 04 teaches the Runner to wait for a future.
///
/// # Example
///
/// ```
/// use ch02_future::Future;
///
/// let f = Future::new();
/// let seen = f.clone(); // the same future, as `seen = f` in Python
/// f.add_done_callback(|f: &Future<i32>| println!("done: {:?}", f.result()));
/// assert!(!seen.done());
///
/// f.set_result(42).unwrap(); // prints "done: Ok(42)" before returning
/// assert!(seen.done());
/// assert_eq!(seen.result().unwrap(), 42);
/// ```
pub struct Future<T>(Rc<Inner<T>>);

impl<T: 'static> Future<T> {
    /// A new, pending future, named `fN` in the current recording.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.__init__` (see [`Future`]).
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f: Future<String> = Future::new();
    /// assert!(!f.done());
    /// assert!(f.running());
    /// ```
    pub fn new() -> Self {
        Future(Rc::new(Inner {
            id: Cell::new(next_id(ObjectKind::Future)),
            log_traceback: Cell::new(0),
            state: RefCell::new(State {
                outcome: Outcome::Pending,
                callbacks: DoneCallbacks::default(),
            }),
        }))
    }

    /// A future that is already done, holding `value`.
    ///
    /// # Tornado
    ///
    /// Tornado writes the two lines out wherever it needs one, as in
    /// `gen.maybe_future` (4.5.3):
    ///
    /// ```python
    /// fut = Future()
    /// fut.set_result(x)
    /// return fut
    /// ```
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f = Future::resolved("ready");
    /// assert!(f.done());
    /// assert_eq!(f.result().unwrap(), "ready");
    /// ```
    pub fn resolved(value: T) -> Self {
        let future = Future::new();
        // A brand-new future cannot be done yet, so this cannot fail.
        let _ = future.set_result(value);
        future
    }

    /// A future that has already failed with `exc`.
    ///
    /// Like any failed future, it logs "exception was never retrieved" if it
    /// is dropped before someone looks at the exception.
    ///
    /// # Tornado
    ///
    /// Tornado 4.5.3 has no such constructor: `tornado/concurrent.py` code
    /// and its tests write the two lines out, as in `gen.Runner.handle_yield`:
    ///
    /// ```python
    /// self.future = TracebackFuture()
    /// self.future.set_exc_info(sys.exc_info())
    /// ```
    ///
    /// ```
    /// use ch02_future::{Future, PyError};
    /// let f: Future<i32> = Future::failed(PyError::new("ValueError", "bad"));
    /// assert!(f.done());
    /// assert_eq!(f.result().unwrap_err().to_string(), "ValueError: bad");
    /// ```
    pub fn failed(exc: impl Into<Exception>) -> Self {
        let future = Future::new();
        // A brand-new future cannot be done yet, so this cannot fail.
        let _ = future.set_exception(exc);
        future
    }

    /// Has the future been given a result or an exception?
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.done`:
    ///
    /// ```python
    /// def done(self):
    ///     return self._done
    /// ```
    ///
    /// Asking `done()` does not count as looking at an exception: a failed
    /// future that was only asked `done()` is still reported as "never
    /// retrieved" when dropped.
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f = Future::new();
    /// assert!(!f.done());
    /// f.set_result(()).unwrap();
    /// assert!(f.done());
    /// ```
    pub fn done(&self) -> bool {
        !matches!(self.0.state.borrow().outcome, Outcome::Pending)
    }

    /// Is the operation still going on? In Tornado 4.5.3, simply "not done".
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.running`:
    ///
    /// ```python
    /// def running(self):
    ///     return not self._done
    /// ```
    ///
    /// (In Tornado 3.x, where `Future` is `concurrent.futures.Future`, a
    /// fresh future says `running() == False`; 6.x has no `running()`.)
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f = Future::new();
    /// assert!(f.running());
    /// f.set_result(1).unwrap();
    /// assert!(!f.running());
    /// ```
    pub fn running(&self) -> bool {
        !self.done()
    }

    /// Tries to cancel the operation: Tornado 4.5.3's futures cannot be
    /// cancelled, so this does nothing and returns `false`.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.cancel`:
    ///
    /// ```python
    /// def cancel(self):
    ///     return False
    /// ```
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f: Future<()> = Future::new();
    /// assert!(!f.cancel());
    /// assert!(!f.cancelled());
    /// assert!(!f.done());
    /// ```
    pub fn cancel(&self) -> bool {
        // PY (asyncio, Tornado 6): `if self._state != _PENDING: return False`,
        // then `_state = _CANCELLED` and `__schedule_callbacks()`.
        if !asyncio::has_event_loop() {
            return false;
        }
        {
            let mut state = self.0.state.borrow_mut();
            if !matches!(state.outcome, Outcome::Pending) {
                return false;
            }
            state.outcome = Outcome::Cancelled;
        }
        emit(EventKind::Future, || {
            format!("future f{} cancelled", self.id())
        });
        self.set_done();
        true
    }

    /// Was the operation cancelled? Never, in Tornado 4.5.3.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.cancelled`:
    ///
    /// ```python
    /// def cancelled(self):
    ///     return False
    /// ```
    ///
    /// ```
    /// use ch02_future::Future;
    /// assert!(!Future::resolved(1).cancelled());
    /// ```
    pub fn cancelled(&self) -> bool {
        matches!(self.0.state.borrow().outcome, Outcome::Cancelled)
    }

    /// The result if the operation succeeded, its exception if it failed.
    ///
    /// Asking a pending future is an error ([`FutureError::NotDone`]): a
    /// single-threaded future cannot block until it is done, since whoever
    /// would complete it needs this thread to run. Calling `result()` counts
    /// as retrieving the exception (no "never retrieved" report on drop).
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.result`:
    ///
    /// ```python
    /// def result(self, timeout=None):
    ///     self._clear_tb_log()
    ///     if self._result is not None:
    ///         return self._result
    ///     if self._exc_info is not None:
    ///         raise_exc_info(self._exc_info)
    ///     self._check_done()
    ///     return self._result
    /// ```
    ///
    /// # Differences
    ///
    /// Needs `T: Clone`: Python returns the same object to every caller, we
    /// return a copy to each. `T::clone` runs with no borrow of the future
    /// held, so it may use the future itself. The exception comes back
    /// without a traceback.
    ///
    /// ```
    /// use ch02_future::{Exception, Future, FutureError};
    ///
    /// let f: Future<i32> = Future::new();
    /// let err = f.result().unwrap_err();
    /// assert!(err.is::<FutureError>());
    ///
    /// f.set_exception(Exception::msg("ValueError", "bad")).unwrap();
    /// assert_eq!(f.result().unwrap_err().to_string(), "ValueError: bad");
    /// ```
    pub fn result(&self) -> Result<T, Exception>
    where
        T: Clone,
    {
        // PY: `self._clear_tb_log()`.
        self.0.log_traceback.set(0);
        // `T::clone` is user code, and may use this very future (ask its
        // result, set it): it runs after the borrow ends, on our own `Rc`.
        let value = match &self.0.state.borrow().outcome {
            Outcome::Pending => return Err(FutureError::pending(false).into()),
            Outcome::Result(value) => Rc::clone(value),
            Outcome::Exception(exc) => return Err(exc.clone()),
            Outcome::Cancelled => return Err(FutureError::Cancelled.into()),
        };
        Ok(T::clone(&value))
    }

    /// The exception if the operation failed, `None` if it succeeded.
    ///
    /// Asking a pending future is an error ([`FutureError::NotDone`]).
    /// Counts as retrieving the exception, as [`result`](Future::result) does.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.exception`:
    ///
    /// ```python
    /// def exception(self, timeout=None):
    ///     self._clear_tb_log()
    ///     if self._exc_info is not None:
    ///         return self._exc_info[1]
    ///     else:
    ///         self._check_done()
    ///         return None
    /// ```
    ///
    /// ```
    /// use ch02_future::{Exception, Future};
    ///
    /// let ok = Future::resolved(1);
    /// assert!(ok.exception().unwrap().is_none());
    ///
    /// let failed: Future<i32> = Future::failed(Exception::msg("KeyError", "'x'"));
    /// let exc = failed.exception().unwrap().unwrap();
    /// assert_eq!(exc.to_string(), "KeyError: 'x'");
    /// ```
    pub fn exception(&self) -> Result<Option<Exception>, Exception> {
        // exercise ex02.1 begin (uses: self)
        // PY: `self._clear_tb_log()`.
        self.0.log_traceback.set(0);
        match &self.0.state.borrow().outcome {
            Outcome::Pending => Err(FutureError::pending(true).into()),
            Outcome::Result(_) => Ok(None),
            Outcome::Exception(exc) => Ok(Some(exc.clone())),
            Outcome::Cancelled => Err(FutureError::Cancelled.into()),
        }
        // exercise ex02.1 end
    }

    /// Calls `callback(&future)` when the future is done: later, inside
    /// `set_result`/`set_exception`, if it is pending; right now, before
    /// `add_done_callback` returns, if it is already done.
    ///
    /// The callback may return `()` or a `Result` (see [`DoneCallbackReturn`]).
    /// A callback that returns `Err` or panics is logged on target
    /// `tornado.application` (`Exception in callback ... for future f1: ...`)
    /// and does not stop the callbacks after it.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.add_done_callback`:
    ///
    /// ```python
    /// def add_done_callback(self, fn):
    ///     if self._done:
    ///         fn(self)
    ///     else:
    ///         self._callbacks.append(fn)
    /// ```
    ///
    /// # Differences
    ///
    /// On an already-done future Tornado 4.5.3 calls `fn(self)` unguarded, so
    /// an exception propagates to whoever called `add_done_callback`. This
    /// method returns nothing, so a failure there is logged like any other
    /// done-callback failure (as Tornado 3.x's `concurrent.futures` does).
    ///
    /// Tornado 6.x (asyncio) never runs a done-callback inline: it schedules
    /// it on the event loop, to run in the next iteration.
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use ch02_future::Future;
    ///
    /// let order = Rc::new(RefCell::new(Vec::new()));
    /// let f = Future::new();
    /// let o = order.clone();
    /// f.add_done_callback(move |f: &Future<i32>| o.borrow_mut().push(f.result().unwrap()));
    /// order.borrow_mut().push(0);
    /// f.set_result(1).unwrap(); // the callback runs in here
    /// let o = order.clone();
    /// f.add_done_callback(move |_: &Future<i32>| o.borrow_mut().push(2)); // at once
    /// assert_eq!(*order.borrow(), [0, 1, 2]);
    /// ```
    // ANCHOR: add_done_callback
    pub fn add_done_callback<R: DoneCallbackReturn>(
        &self,
        callback: impl FnOnce(&Future<T>) -> R + 'static,
    ) {
        if self.done() {
            if let Some(event_loop) = asyncio::get_event_loop() {
                // PY (asyncio): `self._loop.call_soon(fn, self)`: even a
                // done future runs the callback later, never inline.
                let mut callbacks = DoneCallbacks::default();
                callbacks.push(boxed_callback(callback));
                self.schedule_callbacks(&*event_loop, callbacks);
                return;
            }
            self.run_done_callback_now(callback);
        } else {
            let boxed = boxed_callback(callback);
            self.0.state.borrow_mut().callbacks.push(boxed);
        }
    }
    // ANCHOR_END: add_done_callback

    /// Runs `callback(self)` now, guarded as any done-callback (a failure is
    /// logged): what `add_done_callback` does for a future already done under
    /// Tornado 4.5.3's rules, and [`future_add_done_callback`](crate::future_add_done_callback)
    /// under both eras' rules.
    pub(crate) fn run_done_callback_now<R: DoneCallbackReturn>(
        &self,
        callback: impl FnOnce(&Future<T>) -> R,
    ) {
        emit(EventKind::Future, || {
            format!(
                "future f{} runs done-callback at once (already done)",
                self.id()
            )
        });
        self.run_guarded(format_args!("(added when done)"), || {
            callback(self).into_result()
        });
    }

    /// Completes the future with `value` and runs its done-callbacks, in
    /// registration order, before returning.
    ///
    /// Returns [`FutureError::InvalidState`], and keeps the first outcome, if
    /// the future is already done.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.set_result` and `_set_done`:
    ///
    /// ```python
    /// def set_result(self, result):
    ///     self._result = result
    ///     self._set_done()
    ///
    /// def _set_done(self):
    ///     self._done = True
    ///     for cb in self._callbacks:
    ///         try:
    ///             cb(self)
    ///         except Exception:
    ///             app_log.exception('Exception in callback %r for %r', cb, self)
    ///     self._callbacks = None
    /// ```
    ///
    /// # Differences
    ///
    /// Tornado 4.5.3 does not check for a second set: it overwrites the value,
    /// then fails with `TypeError` (iterating `_callbacks`, now `None`). We
    /// return `InvalidStateError` and store nothing, as 3.x and 6.x do.
    ///
    /// In Tornado 6.x (asyncio), `set_result` only *schedules* the callbacks;
    /// they run in the next iteration of the loop.
    ///
    /// Nested deeper than Python's recursion limit (see [`depth`]: 3 frames
    /// per nested `set_done`, 1000 in all, where Tornado 4.5.3 logs a
    /// `RecursionError` from the callback and leaves the rest undone), the
    /// callbacks are queued instead, and run from the outermost nesting frame
    /// once the callback that called this `set_result` has returned; this
    /// `set_result` then returns before they ran.
    ///
    /// ```
    /// use ch02_future::{Future, FutureError};
    ///
    /// let f = Future::new();
    /// f.set_result("first").unwrap();
    /// assert_eq!(f.set_result("second"), Err(FutureError::InvalidState));
    /// assert_eq!(f.result().unwrap(), "first");
    /// ```
    // ANCHOR: set_result
    pub fn set_result(&self, value: T) -> Result<(), FutureError> {
        {
            let mut state = self.0.state.borrow_mut();
            if !matches!(state.outcome, Outcome::Pending) {
                return Err(FutureError::InvalidState);
            }
            state.outcome = Outcome::Result(Rc::new(value));
        } // the borrow ends here: the callbacks below may use this future
        emit(EventKind::Future, || {
            format!("future f{} set_result", self.id())
        });
        self.set_done();
        Ok(())
    }
    // ANCHOR_END: set_result

    /// Completes the future with an exception and runs its done-callbacks,
    /// in registration order, before returning.
    ///
    /// Accepts anything that converts into an [`Exception`]: an `Exception`,
    /// a `PyError`, any `Error + Send + Sync`. If no one ever calls
    /// [`result`](Future::result) or [`exception`](Future::exception), the
    /// exception is logged as "never retrieved" when the last reference to
    /// the future is dropped.
    ///
    /// # Tornado
    ///
    /// `tornado/concurrent.py` 4.5.3, `Future.set_exception` and
    /// `set_exc_info`:
    ///
    /// ```python
    /// def set_exception(self, exception):
    ///     self.set_exc_info(
    ///         (exception.__class__, exception,
    ///          getattr(exception, '__traceback__', None)))
    ///
    /// def set_exc_info(self, exc_info):
    ///     self._exc_info = exc_info
    ///     self._log_traceback = True
    ///     self._set_done()
    /// ```
    ///
    /// # Differences
    ///
    /// As for [`set_result`](Future::set_result): a second set is refused
    /// with `InvalidStateError`. No traceback is stored.
    ///
    /// ```
    /// use ch02_future::{Future, PyError};
    ///
    /// let f: Future<i32> = Future::new();
    /// f.set_exception(PyError::new("ValueError", "bad")).unwrap();
    /// assert!(f.done());
    /// assert_eq!(f.result().unwrap_err().to_string(), "ValueError: bad");
    /// ```
    pub fn set_exception(&self, exc: impl Into<Exception>) -> Result<(), FutureError> {
        let exc = exc.into();
        {
            let mut state = self.0.state.borrow_mut();
            if !matches!(state.outcome, Outcome::Pending) {
                return Err(FutureError::InvalidState);
            }
            state.outcome = Outcome::Exception(exc.clone());
        }
        // Set before the callbacks run, so a callback that looks at the
        // exception clears it again, exactly as in Tornado.
        self.0.log_traceback.set(report::stamp());
        emit(EventKind::Future, || {
            format!("future f{} set_exception: {exc}", self.id())
        });
        self.set_done();
        Ok(())
    }

    /// Runs the done-callbacks that were waiting: Tornado's `_set_done`.
    // ANCHOR: set_done
    fn set_done(&self) {
        // PY: `for cb in self._callbacks: ...` then `self._callbacks = None`.
        // We take the list out *before* running anything: a callback may add
        // another done-callback to this very future (which, the future being
        // done, runs at once) and must not find the list borrowed.
        let callbacks = mem::take(&mut self.0.state.borrow_mut().callbacks);
        if callbacks.is_empty() {
            return;
        }
        // Tornado 6 (asyncio): scheduled on the loop, never run here.
        if let Some(event_loop) = asyncio::get_event_loop() {
            self.schedule_callbacks(&*event_loop, callbacks);
            return;
        }
        // Inline, as Tornado, unless this thread is already nested as deep
        // as Python's recursion limit: then they run from the outermost
        // frame, once the callback that got us here has returned.
        let future = self.clone();
        let count = callbacks.len();
        let nesting = depth::nested(SET_DONE_FRAMES, move || future.run_callbacks(callbacks));
        if nesting == Nesting::Deferred {
            emit(EventKind::Future, || {
                format!(
                    "future f{} defers {count} done-callback(s): recursion limit",
                    self.id()
                )
            });
        }
    }

    /// The loop of Tornado's `_set_done`, over the list `set_done` took out.
    fn run_callbacks(&self, callbacks: DoneCallbacks) {
        // exercise ex02.3 begin (uses: self, callbacks)
        let count = callbacks.len();
        // PY: `self._callbacks = None` comes after the loop: what the
        // callbacks captured lives until the last one has run.
        let batch = report::CallbackBatch::begin();
        for (index, callback) in callbacks.into_iter().enumerate() {
            batch.next();
            let number = index + 1;
            emit(EventKind::Future, || {
                format!(
                    "future f{} runs done-callback {number} of {count}",
                    self.id()
                )
            });
            self.run_guarded(format_args!("{number} of {count}"), || {
                callback(self as &dyn Any)
            });
        }
        // exercise ex02.3 end
    }

    /// Tornado 6's `_set_done`: asyncio's `Future.__schedule_callbacks`, one
    /// `loop.call_soon(callback, self)` per callback, in registration order.
    /// Each runs as its own handle of the loop's next batch; a failure is
    /// logged by asyncio's exception handler (target `asyncio`) and the
    /// others still run.
    // ANCHOR: schedule_callbacks
    fn schedule_callbacks(&self, event_loop: &dyn asyncio::EventLoop, callbacks: DoneCallbacks) {
        let count = callbacks.len();
        if event_loop.is_closed() {
            // PY: `loop.call_soon` raises `RuntimeError('Event loop is
            // closed')` out of `set_result`. Ours cannot raise from here; the
            // callbacks will never run, and that is said, not silent.
            log::error!(
                target: "asyncio",
                "RuntimeError: Event loop is closed: {count} done-callback(s) of future f{} dropped",
                self.id()
            );
            drop(callbacks);
            return;
        }
        for (index, callback) in callbacks.into_iter().enumerate() {
            let number = index + 1;
            emit(EventKind::Future, || {
                format!(
                    "future f{} schedules done-callback {number} of {count} (call_soon)",
                    self.id()
                )
            });
            // The handle holds the future, as asyncio's `Handle` holds its
            // arguments: it lives until the callback has run.
            let future = self.clone();
            event_loop.call_soon(Box::new(move || {
                emit(EventKind::Future, || {
                    format!(
                        "future f{} runs done-callback {number} of {count}",
                        future.id()
                    )
                });
                let outcome = ch01_yield::catch_panic(|| callback(&future as &dyn Any));
                if let Err(exc) = outcome.and_then(|result| result) {
                    log::error!(
                        target: "asyncio",
                        "Exception in callback {number} of {count} for future f{}: {exc}",
                        future.id()
                    );
                }
            }));
        }
    }
    // ANCHOR_END: schedule_callbacks

    /// Runs one done-callback; a failure (an `Err` or a panic) is logged and
    /// swallowed, so the callbacks after it still run.
    fn run_guarded(
        &self,
        which: fmt::Arguments<'_>,
        callback: impl FnOnce() -> Result<(), Exception>,
    ) {
        // exercise ex02.2 begin (uses: self, which, callback)
        use ch01_yield::catch_panic;
        // PY: `try: cb(self) except Exception: app_log.exception(...)`.
        // A Rust callback fails in two ways: it returns `Err`, or it panics;
        // `catch_panic` turns the second into the first.
        if let Err(exc) = catch_panic(callback).and_then(|result| result) {
            log::error!(
                target: "tornado.application",
                "Exception in callback {which} for future f{}: {exc}",
                self.id()
            );
        }
        // exercise ex02.2 end
    }
    // ANCHOR_END: set_done

    /// Are these the same future (Python's `f is g`)?
    ///
    /// ```
    /// use ch02_future::Future;
    /// let f: Future<()> = Future::new();
    /// assert!(f.ptr_eq(&f.clone()));
    /// assert!(!f.ptr_eq(&Future::new()));
    /// ```
    pub fn ptr_eq(&self, other: &Future<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The future's name in the recording it was made in (`f3` is 3), or 0
    /// if it was made with no recording going.
    ///
    /// Python shows a future by its address (`<Future at 0x7f...>`); we use
    /// small numbers so that recordings are the same on every run.
    ///
    /// ```
    /// use ch02_future::Future;
    /// let (id, _) = ch00_trace::record(|| {
    ///     let _first: Future<()> = Future::new();
    ///     Future::<()>::new().id()
    /// });
    /// assert_eq!(id, 2);
    /// ```
    pub fn id(&self) -> u32 {
        self.0.id.get()
    }

    /// Gives this future the next name of the current recording, as if it
    /// were made now. Only the recorder's business: a future that lives
    /// across recordings (chapter 04's `moment`, one per thread) is named
    /// in each recording where it is first used, as the Python twins name it;
    /// which future it *is* does not change.
    ///
    /// ```
    /// use ch02_future::Future;
    /// let old: Future<()> = Future::new();
    /// let (id, _) = ch00_trace::record(|| {
    ///     let _first: Future<()> = Future::new();
    ///     old.rename();
    ///     old.id()
    /// });
    /// assert_eq!(id, 2);
    /// ```
    pub fn rename(&self) {
        self.0.id.set(next_id(ObjectKind::Future));
    }
}

/// A reference to a [`Future`] that does not keep it alive: Python's
/// `weakref.ref(future)`.
///
/// ```
/// use ch02_future::Future;
/// let f: Future<i32> = Future::new();
/// let weak = f.downgrade();
/// assert!(weak.upgrade().is_some_and(|g| g.ptr_eq(&f)));
/// drop(f);
/// assert!(weak.upgrade().is_none()); // the last strong reference is gone
/// ```
///
/// # Tornado
///
/// Tornado 4.5.3 keeps a coroutine's `Runner` in a
/// `weakref.WeakKeyDictionary` keyed by its result future
/// (`gen._futures_to_runners`), and its test `RunnerGCTest.test_gc` holds
/// the awaited future through `weakref.ref`. Chapter 04's Runner holds the
/// future it waits on through one of these, so that a Runner waiting on a
/// future nobody else can reach is freed instead of kept by a cycle.
pub struct WeakFuture<T>(Weak<Inner<T>>);

impl<T> Future<T> {
    /// A [`WeakFuture`] to this future.
    pub fn downgrade(&self) -> WeakFuture<T> {
        WeakFuture(Rc::downgrade(&self.0))
    }
}

impl<T> WeakFuture<T> {
    /// The future, if some [`Future`] handle still keeps it alive.
    pub fn upgrade(&self) -> Option<Future<T>> {
        self.0.upgrade().map(Future)
    }
}

impl<T> Clone for WeakFuture<T> {
    fn clone(&self) -> Self {
        WeakFuture(Weak::clone(&self.0))
    }
}

impl<T> fmt::Debug for WeakFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.upgrade() {
            Some(future) => write!(f, "WeakFuture({future:?})"),
            None => write!(f, "WeakFuture(dead)"),
        }
    }
}

impl<T: 'static> Default for Future<T> {
    /// A new, pending future: [`Future::new`].
    fn default() -> Self {
        Future::new()
    }
}

impl<T> Clone for Future<T> {
    /// Another reference to the same future (Python's `g = f`), not a copy:
    /// hence no `T: Clone` bound.
    fn clone(&self) -> Self {
        Future(Rc::clone(&self.0))
    }
}

/// Two handles are equal when they are the same future (Python's default
/// `==` for objects without `__eq__`, which Tornado's `Future` is): the same
/// as [`ptr_eq`](Future::ptr_eq), never a comparison of results.
///
/// ```
/// use ch02_future::Future;
/// let f = Future::resolved(1);
/// assert_eq!(f, f.clone());
/// assert_ne!(f, Future::resolved(1));
/// ```
impl<T> PartialEq for Future<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Future<T> {}

/// Hashes the future's identity, as Python's `object.__hash__` does, so a
/// `HashSet<Future<T>>` is Python's `set()` of futures (`gen.multi_future`'s
/// `listening`).
impl<T> std::hash::Hash for Future<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Rc::as_ptr(&self.0).hash(state);
    }
}

impl<T> fmt::Debug for Future<T> {
    /// `Future(f1, pending)`, `Future(f1, done)`, `Future(f1, failed: ValueError: bad)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `try_borrow`: Debug may be called from a callback while the state
        // is borrowed; it must not panic then.
        match self.0.state.try_borrow().as_deref() {
            Ok(State { outcome, .. }) => match outcome {
                Outcome::Pending => write!(f, "Future(f{}, pending)", self.0.id.get()),
                Outcome::Result(_) => write!(f, "Future(f{}, done)", self.0.id.get()),
                Outcome::Exception(exc) => write!(f, "Future(f{}, failed: {exc})", self.0.id.get()),
                Outcome::Cancelled => write!(f, "Future(f{}, cancelled)", self.0.id.get()),
            },
            Err(_) => write!(f, "Future(f{}, busy)", self.0.id.get()),
        }
    }
}

impl<T> Drop for Inner<T> {
    /// Reports an exception that nobody retrieved, when the last reference to
    /// the future goes away.
    ///
    /// PY: Tornado 4.5.3 does this in `Future.__del__`, when the garbage
    /// collector frees the future:
    ///
    /// ```python
    /// def __del__(self, is_finalizing=is_finalizing):
    ///     if is_finalizing() or not self._log_traceback:
    ///         return
    ///     tb = traceback.format_exception(*self._exc_info)
    ///     app_log.error('Future %r exception was never retrieved: %s',
    ///                   self, ''.join(tb).rstrip())
    /// ```
    ///
    /// `Rc` frees the future the moment its last clone is dropped, which makes
    /// the report deterministic. A future caught in a reference cycle (a
    /// pending future whose own done-callback holds a clone of it) is never
    /// freed and never reported; Python's cycle collector would free it.
    ///
    /// The done-callbacks of a pending future are dropped with it, and may
    /// hold the next future of a chain: nested deeper than the recursion
    /// limit (see [`depth`]), they are dropped from the outermost nesting
    /// frame instead, so dropping a chain of any length does not overflow.
    // ANCHOR: drop
    fn drop(&mut self) {
        let failed_at = self.log_traceback.get();
        if failed_at != 0 {
            if let Outcome::Exception(exc) = &self.state.get_mut().outcome {
                // At once, or where Python would free the batch of
                // callbacks that captured this future (see `report.rs`).
                report::never_retrieved(self.id.get(), failed_at, exc);
            }
        }
        // The callbacks of a pending future may hold the next future of a
        // chain, whose drop drops the next one...: past the recursion limit
        // the rest of the chain is dropped from the outermost frame instead.
        let callbacks = mem::take(&mut self.state.get_mut().callbacks);
        if !callbacks.is_empty() {
            depth::nested(DROP_FRAMES, move || drop(callbacks));
        }
    }
    // ANCHOR_END: drop
}
