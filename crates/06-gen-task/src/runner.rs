//! The Runner's `YieldPoint` half: pending callback keys, their results,
//! and the yield point the generator waits on.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use ch00_trace::{Kind, emit};
use ch01_yield::{Exception, PyError, catch_panic};
use ch02_future::Future;
use ch03_ioloop::WeakIOLoop;
use ch04_runner::{AnyFuture, Extension, RunnerHandle, Value};

use crate::arguments::ResultCallback;
use crate::error::YieldPointError;
use crate::key::Key;
use crate::yield_point::{Slot, YieldPoint, YieldPointFuture};

/// The fields Tornado 4.5.3's Runner keeps for yield points, stored in
/// chapter 04's Runner as an [`Extension`]: made the first time a yield
/// point reaches the Runner, as Tornado makes them lazily.
#[derive(Default)]
pub(crate) struct YieldPointState {
    /// PY: `self.pending_callbacks`: keys registered and not yet popped.
    pending_callbacks: RefCell<BTreeSet<Key>>,
    /// PY: `self.results`: what each key's callback was called with.
    results: RefCell<BTreeMap<Key, Value>>,
    /// PY: `self.yield_point`: the yield point the generator waits on, while
    /// it is not ready.
    yield_point: RefCell<Option<Box<dyn YieldPoint>>>,
    /// PY: `self.future` while it is a yield point's: the future
    /// `set_result` resolves once that yield point is ready.
    future: RefCell<Option<Future<Slot>>>,
    /// PY: `self.stack_context_deactivate is not None`: the Runner has seen
    /// a yield point before (and, in Tornado, opened its stack context).
    seen_yield_point: Cell<bool>,
}

impl Extension for YieldPointState {
    /// PY: in `Runner.run`, once the generator returned:
    ///
    /// ```python
    /// if self.pending_callbacks and not self.had_exception:
    ///     raise LeakedCallbackError(
    ///         "finished without waiting for callbacks %r" %
    ///         self.pending_callbacks)
    /// ```
    fn on_return(&self, had_exception: bool) -> Result<(), Exception> {
        let pending = self.pending_callbacks.borrow();
        if pending.is_empty() || had_exception {
            return Ok(());
        }
        Err(YieldPointError::LeakedCallback {
            keys: pending.clone(),
        }
        .into())
    }
}

/// A Runner as its yield points see it: chapter 04's Runner plus the state
/// this chapter adds to it.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, the `Runner` methods that serve yield points:
/// `register_callback`, `is_ready`, `set_result`, `pop_result`,
/// `result_callback`, and the `YieldPoint` half of `handle_yield`.
///
/// # Differences
///
/// Tornado has one `Runner` class with all of it. Here chapter 04's Runner
/// stays as it was; this view is made from its [`RunnerHandle`] whenever a
/// yield point needs it, and finds this chapter's fields in the Runner's
/// extension store. Stack contexts are not modelled: see the chapter.
#[derive(Clone)]
pub struct YieldPointRunner {
    handle: RunnerHandle,
    state: Rc<YieldPointState>,
}

impl YieldPointRunner {
    /// The yield-point view of a Runner.
    pub fn new(handle: &RunnerHandle) -> Self {
        YieldPointRunner {
            state: handle.extension::<YieldPointState>(),
            handle: handle.clone(),
        }
    }

    /// Adds `key` to the pending callbacks.
    ///
    /// ```python
    /// if key in self.pending_callbacks:
    ///     raise KeyReuseError("key %r is already pending" % (key,))
    /// self.pending_callbacks.add(key)
    /// ```
    pub fn register_callback(&self, key: Key) -> Result<(), Exception> {
        let mut pending = self.state.pending_callbacks.borrow_mut();
        if pending.contains(&key) {
            return Err(YieldPointError::KeyReuse { key }.into());
        }
        pending.insert(key);
        Ok(())
    }

    /// Has the callback of `key` been called?
    ///
    /// ```python
    /// if self.pending_callbacks is None or key not in self.pending_callbacks:
    ///     raise UnknownKeyError("key %r is not pending" % (key,))
    /// return key in self.results
    /// ```
    pub fn is_ready(&self, key: &Key) -> Result<bool, Exception> {
        if !self.state.pending_callbacks.borrow().contains(key) {
            return Err(YieldPointError::UnknownKey { key: key.clone() }.into());
        }
        Ok(self.state.results.borrow().contains_key(key))
    }

    /// Stores the result of `key` and, if the yield point the generator
    /// waits on is now ready, resumes the generator *before returning*.
    ///
    /// ```python
    /// self.results[key] = result
    /// if self.yield_point is not None and self.yield_point.is_ready():
    ///     try:
    ///         self.future.set_result(self.yield_point.get_result())
    ///     except:
    ///         self.future.set_exc_info(sys.exc_info())
    ///     self.yield_point = None
    ///     self.run()
    /// ```
    ///
    /// This is why a `Wait` resumes inside the callback call, with no trip
    /// through the loop. What the resumed generator raises out of `run()`
    /// (a `LeakedCallbackError`) is returned to the caller of the callback.
    pub fn set_result(&self, key: Key, result: Value) -> Result<(), Exception> {
        let name = self.handle.name();
        emit(Kind::Runner, || {
            format!("runner[f{name}] callback {key} called")
        });
        self.state.results.borrow_mut().insert(key, result);
        // Out of its cell while it runs: `is_ready` and `get_result` call
        // back into this Runner.
        let Some(mut point) = self.state.yield_point.borrow_mut().take() else {
            return Ok(());
        };
        // A yield point's methods are user code: a panic in one is what it
        // raised, and takes the road an exception would.
        match catch_panic(|| point.is_ready(self)).and_then(|ready| ready) {
            Ok(true) => {}
            Ok(false) => {
                *self.state.yield_point.borrow_mut() = Some(point);
                return Ok(());
            }
            Err(exc) => {
                *self.state.yield_point.borrow_mut() = Some(point);
                return self.handle_exception(exc);
            }
        }
        emit(Kind::Runner, || {
            format!(
                "runner[f{name}] {} is ready: resumes at once",
                describe(&*point)
            )
        });
        let future = self.state.future.borrow().clone();
        if let Some(future) = future {
            let _ = match catch_panic(|| point.get_result(self)).and_then(|result| result) {
                Ok(value) => future.set_result(Slot::new(value)),
                Err(exc) => future.set_exception(exc),
            };
        }
        self.handle.run()
    }

    /// What becomes of an error the waited-on yield point's `is_ready`
    /// raised inside [`set_result`](Self::set_result) (a `WaitAll` that
    /// meets an unknown key once the keys before it are ready).
    ///
    /// In Tornado it leaves `set_result` into the Runner's
    /// `ExceptionStackContext`, which `result_callback` wraps every callback
    /// in:
    ///
    /// ```python
    /// def handle_exception(self, typ, value, tb):
    ///     if not self.running and not self.finished:
    ///         self.future = TracebackFuture()
    ///         self.future.set_exc_info((typ, value, tb))
    ///         self.run()
    ///         return True
    ///     else:
    ///         return False
    /// ```
    ///
    /// So a Runner waiting on the yield point gets the error thrown into its
    /// generator, and the callback call returns normally; a running one
    /// lets it go on up to the caller. Only this path of the stack context
    /// is modelled: it is the Runner's own. `self.yield_point` stays set, as
    /// in Tornado.
    fn handle_exception(&self, exc: Exception) -> Result<(), Exception> {
        if self.handle.is_running() || self.handle.is_finished() {
            return Err(exc);
        }
        let failed = Future::new();
        let _ = failed.set_exception(exc);
        self.wait_on(failed);
        self.handle.run()
    }

    /// Unregisters `key` and returns its result.
    ///
    /// ```python
    /// self.pending_callbacks.remove(key)
    /// return self.results.pop(key)
    /// ```
    pub fn pop_result(&self, key: &Key) -> Result<Value, Exception> {
        let missing = || Exception::from(PyError::new("KeyError", key.to_string()));
        if !self.state.pending_callbacks.borrow_mut().remove(key) {
            return Err(missing());
        }
        self.state
            .results
            .borrow_mut()
            .remove(key)
            .ok_or_else(missing)
    }

    /// The callback that delivers the result of `key`: it adapts its
    /// arguments and calls [`set_result`](Self::set_result).
    ///
    /// ```python
    /// return stack_context.wrap(_argument_adapter(
    ///     functools.partial(self.set_result, key)))
    /// ```
    pub fn result_callback(&self, key: Key) -> ResultCallback {
        let runner = self.clone();
        ResultCallback::new(move |value| runner.set_result(key.clone(), value))
    }

    /// PY: `self.io_loop`, held weakly (see [`RunnerHandle::io_loop`]).
    pub fn io_loop(&self) -> WeakIOLoop {
        self.handle.io_loop()
    }

    /// The `YieldPoint` half of `Runner.handle_yield`. Returns `true` if the
    /// generator can be resumed at once.
    ///
    /// ```python
    /// if isinstance(yielded, YieldPoint):
    ///     self.future = TracebackFuture()
    ///     def start_yield_point(): ...
    ///     if self.stack_context_deactivate is None:
    ///         # Start a stack context if this is the first
    ///         # YieldPoint we've seen.
    ///         with stack_context.ExceptionStackContext(
    ///                 self.handle_exception) as deactivate:
    ///             self.stack_context_deactivate = deactivate
    ///             def cb():
    ///                 start_yield_point()
    ///                 self.run()
    ///             self.io_loop.add_callback(cb)
    ///             return False
    ///     else:
    ///         start_yield_point()
    /// ...
    /// if not self.future.done() or self.future is moment:
    ///     self.io_loop.add_future(self.future, inner)   # inner: self.run()
    ///     return False
    /// return True
    /// ```
    ///
    /// The first yield point of a Runner is started one loop iteration
    /// late: Tornado opens its stack context there and starts the yield
    /// point from a callback. Later ones start at once.
    // ANCHOR: handle_yield
    pub fn handle_yield(&self, point: Box<dyn YieldPoint>) -> bool {
        let name = self.handle.name();
        self.wait_on(Future::new());
        if !self.state.seen_yield_point.replace(true) {
            emit(Kind::Runner, || {
                format!(
                    "runner[f{name}] first yield point {}: started from the next iteration",
                    describe(&*point)
                )
            });
            let runner = self.clone();
            self.io_loop().add_callback(move || {
                runner.start_yield_point(point);
                runner.handle.run()
            });
            return false;
        }
        let future = self.start_yield_point(point);
        if future.done() {
            return true;
        }
        emit(Kind::Runner, || {
            format!("runner[f{name}] waits on f{}", future.id())
        });
        // PY: `self.io_loop.add_future(self.future, inner)`, holding the
        // Runner weakly: the Runner holds this future (in its yield-point
        // state), so a strong hold here would be a cycle keeping a Runner
        // whose callbacks are all gone. What can resolve the future, the
        // yield point's result callbacks, holds the Runner, and resumes it
        // itself (`set_result` calls `run()`), so this call only ever
        // finds nothing to do once they are gone.
        let handle = self.handle.downgrade();
        future.add_future_on(
            &self.io_loop(),
            Box::new(move || handle.upgrade().map_or(Ok(()), |handle| handle.run())),
        );
        false
    }
    // ANCHOR_END: handle_yield

    /// Starts the yield point and resolves the Runner's future at once if it
    /// is ready; returns the future the Runner now waits on.
    ///
    /// ```python
    /// def start_yield_point():
    ///     try:
    ///         yielded.start(self)
    ///         if yielded.is_ready():
    ///             self.future.set_result(yielded.get_result())
    ///         else:
    ///             self.yield_point = yielded
    ///     except Exception:
    ///         self.future = TracebackFuture()
    ///         self.future.set_exc_info(sys.exc_info())
    /// ```
    fn start_yield_point(&self, mut point: Box<dyn YieldPoint>) -> YieldPointFuture {
        let name = self.handle.name();
        emit(Kind::Runner, || {
            format!("runner[f{name}] starts {}", describe(&*point))
        });
        let future = self.state.future.borrow().clone().unwrap_or_default();
        // PY: the `try: ... except Exception:` around all three calls; a
        // panic in any of them is caught the same way.
        let started = catch_panic(|| {
            point.start(self)?;
            if point.is_ready(self)? {
                point.get_result(self).map(Some)
            } else {
                Ok(None)
            }
        })
        .and_then(|started| started);
        match started {
            Ok(Some(value)) => {
                let _ = future.set_result(Slot::new(value));
            }
            Ok(None) => *self.state.yield_point.borrow_mut() = Some(point),
            Err(exc) => {
                let failed = Future::new();
                let _ = failed.set_exception(exc);
                self.wait_on(failed.clone());
                return YieldPointFuture(failed);
            }
        }
        YieldPointFuture(future)
    }

    /// PY: `self.future = future`, for a yield point's future.
    fn wait_on(&self, future: Future<Slot>) {
        self.handle
            .set_future(Rc::new(YieldPointFuture(future.clone())) as Rc<dyn AnyFuture>);
        *self.state.future.borrow_mut() = Some(future);
    }
}

/// `point.describe()` for a recording line. It is user code, run only while
/// recording: a panic in it must not stop the Runner, so it shows as a
/// stand-in naming the panic.
fn describe(point: &dyn YieldPoint) -> String {
    catch_panic(|| point.describe()).unwrap_or_else(|panic| format!("<describe() failed: {panic}>"))
}
