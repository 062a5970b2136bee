//! `gen.Runner`: drives a generator, one yielded future at a time.

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use ch00_trace::{Kind, emit};
use ch01_yield::{Exception, Generator, GeneratorState, catch_panic};
use ch02_future::Future;
use ch03_ioloop::{IOLoop, WeakIOLoop};

use crate::any_future::{AnyFuture, erase};
use crate::extension::{
    ErasedRunner, ErasedWeakRunner, RunnerHandle, StoredExtension, WeakRunnerHandle,
};
use crate::moment::is_moment;
use crate::value::Value;
use crate::yielded::{Yielded, convert_yielded};

/// The generator a Runner drives: it yields [`Yielded`] objects, is sent
/// [`Value`]s, and returns the coroutine's result `R`.
pub type CoroutineGenerator<R> = dyn Generator<Yield = Yielded, Send = Value, Return = R>;

/// Internal implementation of `tornado.gen.coroutine`: runs a generator on
/// the IOLoop, waiting for each future it yields, until it returns or
/// raises, then completes `result_future` with the outcome.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `class Runner`:
///
/// ```python
/// def __init__(self, gen, result_future, first_yielded):
///     self.gen = gen
///     self.result_future = result_future
///     self.future = _null_future
///     self.running = False
///     self.finished = False
///     self.io_loop = IOLoop.current()
///     if self.handle_yield(first_yielded):
///         self.run()
/// ```
///
/// # Differences
///
/// - Tornado keeps a Runner alive in `_futures_to_runners[result_future]`
///   (a `WeakKeyDictionary`) for as long as its result future lives; since
///   the Runner holds that future, a coroutine that never finishes is never
///   freed. Here the callback the Runner registers on the future it waits
///   on holds it (an `Rc`), and the Runner holds that future only weakly:
///   the future is kept by whoever can resolve it (a timeout, a child
///   coroutine, the program). So a Runner lives exactly as long as what it
///   waits for can still happen; one waiting on a future nobody holds is
///   freed at once, its generator and the locals in it dropped right then.
///   The Runner holds its loop weakly too, so it never keeps the loop
///   alive: a dropped loop takes its waiting Runners with it.
/// - No stack contexts: Tornado 4.5.3 only creates one at the first
///   `YieldPoint` (chapter 06), and coroutines that yield futures never do.
pub struct Runner<R: 'static> {
    inner: Rc<Inner<R>>,
}

struct Inner<R: 'static> {
    /// PY: `self.gen`. Borrowed only while `running` is set, so a re-entrant
    /// `run()` returns before it could try to borrow it again.
    generator: RefCell<Box<CoroutineGenerator<R>>>,
    /// PY: `self.result_future`; taken (set to `None`) when it is completed.
    result_future: RefCell<Option<Future<R>>>,
    /// PY: `self.future`: what the generator is waiting on. `None` plays
    /// `_null_future`, which it holds before the first `handle_yield` and
    /// after it finished: at neither time does `run()` resume anything.
    /// A pending future is held weakly (see `handle_yield`).
    future: RefCell<Option<Rc<dyn AnyFuture>>>,
    /// PY: `self.running`: `run()` is on the stack.
    running: Cell<bool>,
    /// PY: `self.finished`: the generator returned or raised.
    finished: Cell<bool>,
    /// PY: `self.had_exception`: a future the generator waited on failed.
    had_exception: Cell<bool>,
    /// What chapter 06 adds to a Runner (its `pending_callbacks`, `results`,
    /// `yield_point`), by type; empty for a coroutine that yields futures.
    extensions: RefCell<Vec<(TypeId, StoredExtension)>>,
    /// PY: `self.io_loop = IOLoop.current()`, taken at construction; weak,
    /// because the loop holds this Runner (through the future it waits on).
    io_loop: WeakIOLoop,
    /// The recording name of `result_future`, which names this Runner.
    name: u32,
}

impl<R: 'static> Clone for Runner<R> {
    fn clone(&self) -> Self {
        Runner {
            inner: self.inner.clone(),
        }
    }
}

impl<R: 'static> Runner<R> {
    /// Takes over a generator that has already run to its first `yield`,
    /// producing `first_yielded`, and drives it on `IOLoop::current()`.
    ///
    /// If the first yielded future is already done, the generator is resumed
    /// right away, before `new` returns: no trip through the loop.
    ///
    /// If there is no current loop and none can be made (out of
    /// descriptors), `result_future` fails with that error and the
    /// generator is not resumed. PY: `Runner.__init__` raises it to the
    /// coroutine's caller; the caller here sees it in the future.
    pub fn new(
        generator: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
        result_future: Future<R>,
        first_yielded: Yielded,
    ) -> Runner<R> {
        let (io_loop, no_loop) = match IOLoop::current() {
            Ok(io_loop) => (io_loop.downgrade(), false),
            Err(error) => {
                let _ = result_future.set_exception(error);
                (WeakIOLoop::default(), true)
            }
        };
        let runner = Runner {
            inner: Rc::new(Inner {
                generator: RefCell::new(Box::new(generator)),
                name: result_future.id(),
                result_future: RefCell::new(Some(result_future)),
                future: RefCell::new(None),
                running: Cell::new(false),
                finished: Cell::new(no_loop),
                had_exception: Cell::new(false),
                extensions: RefCell::new(Vec::new()),
                io_loop,
            }),
        };
        if !no_loop && runner.handle_yield(first_yielded) {
            // Only a generator that has waited on a callback (chapter 06) can
            // make `run` fail, and its first wait always goes through the loop.
            if let Err(exc) = runner.run() {
                log::error!(target: "tornado.application", "Exception in Runner: {exc}");
            }
        }
        runner
    }

    /// Has the generator returned or raised?
    pub fn finished(&self) -> bool {
        self.inner.finished.get()
    }

    /// Starts or resumes the generator, running until it reaches a yield
    /// point that is not ready.
    ///
    /// # Tornado
    ///
    /// `tornado/gen.py` 4.5.3, `Runner.run` (stack contexts left out):
    ///
    /// ```python
    /// if self.running or self.finished:
    ///     return
    /// try:
    ///     self.running = True
    ///     while True:
    ///         future = self.future
    ///         if not future.done():
    ///             return
    ///         self.future = None
    ///         try:
    ///             try:
    ///                 value = future.result()
    ///             except Exception:
    ///                 self.had_exception = True
    ///                 exc_info = sys.exc_info()
    ///             if exc_info is not None:
    ///                 yielded = self.gen.throw(*exc_info)
    ///             else:
    ///                 yielded = self.gen.send(value)
    ///         except (StopIteration, Return) as e:
    ///             self.finished = True
    ///             self.future = _null_future
    ///             self.result_future.set_result(_value_from_stopiteration(e))
    ///             self.result_future = None
    ///             return
    ///         except Exception:
    ///             self.finished = True
    ///             self.future = _null_future
    ///             self.result_future.set_exc_info(sys.exc_info())
    ///             self.result_future = None
    ///             return
    ///         if not self.handle_yield(yielded):
    ///             return
    /// finally:
    ///     self.running = False
    /// ```
    ///
    /// The `while True` is the point: a generator that keeps yielding futures
    /// that are already done is resumed again and again by this one loop, with
    /// no recursion, so its stack stays flat however many it yields.
    ///
    /// A generator that panics has raised: the panic fails `result_future`
    /// (as a [`Panic`](ch01_yield::Panic)) and the Runner is finished.
    // ANCHOR: run
    pub fn run(&self) -> Result<(), Exception> {
        let inner = &*self.inner;
        if inner.running.get() || inner.finished.get() {
            return Ok(());
        }
        inner.running.set(true);
        // PY: `finally: self.running = False`, even if the generator panics.
        let _running = ResetOnDrop(&inner.running);
        loop {
            let Some(future) = inner.future.borrow().clone() else {
                return Ok(());
            };
            if !future.done() {
                return Ok(());
            }
            // PY: `value = future.result()`, then `send` or `throw`.
            let step = match future.result_value() {
                Ok(value) => {
                    emit(Kind::Runner, || {
                        format!(
                            "runner[f{}] sends the result of {}",
                            inner.name,
                            name(&*future)
                        )
                    });
                    resume(|| inner.generator.borrow_mut().send(value))
                }
                Err(exc) => {
                    inner.had_exception.set(true);
                    emit(Kind::Runner, || {
                        format!("runner[f{}] throws into the generator: {exc}", inner.name)
                    });
                    resume(|| inner.generator.borrow_mut().throw(exc))
                }
            };
            drop(future);
            match step {
                Ok(GeneratorState::Yielded(yielded)) => {
                    if !self.handle_yield(yielded) {
                        return Ok(());
                    }
                }
                // PY: `except (StopIteration, Return) as e:`: the generator
                // returned; its value completes the coroutine's future.
                Ok(GeneratorState::Complete(value)) => {
                    emit(Kind::Runner, || {
                        format!("runner[f{}] generator returned", inner.name)
                    });
                    self.finish();
                    // PY: `if self.pending_callbacks and not self.had_exception:
                    // raise LeakedCallbackError(...)`, chapter 06's check.
                    let extensions: Vec<_> = inner
                        .extensions
                        .borrow()
                        .iter()
                        .map(|(_, (_, e))| e.clone())
                        .collect();
                    for extension in extensions {
                        extension.on_return(inner.had_exception.get())?;
                    }
                    if let Some(result_future) = inner.result_future.borrow_mut().take() {
                        let _ = result_future.set_result(value);
                    }
                    return Ok(());
                }
                // PY: `except Exception:`: the generator raised.
                Err(exc) => {
                    emit(Kind::Runner, || {
                        format!("runner[f{}] generator raised: {exc}", inner.name)
                    });
                    self.finish();
                    if let Some(result_future) = inner.result_future.borrow_mut().take() {
                        let _ = result_future.set_exception(exc);
                    }
                    return Ok(());
                }
            }
        }
    }

    // ANCHOR_END: run

    /// PY: `self.finished = True; self.future = _null_future`.
    fn finish(&self) {
        self.inner.finished.set(true);
        *self.inner.future.borrow_mut() = None;
    }

    /// This Runner without its result type, for chapter 06's yield points.
    pub fn handle(&self) -> RunnerHandle {
        RunnerHandle(Rc::new(self.clone()))
    }

    /// Makes the yielded object the future to wait on. Returns `true` if it
    /// is already done and the generator can be resumed at once.
    ///
    /// # Tornado
    ///
    /// `tornado/gen.py` 4.5.3, `Runner.handle_yield`, its Future half
    /// (chapter 06 adds the `YieldPoint` half):
    ///
    /// ```python
    /// try:
    ///     self.future = convert_yielded(yielded)
    /// except BadYieldError:
    ///     self.future = TracebackFuture()
    ///     self.future.set_exc_info(sys.exc_info())
    /// if not self.future.done() or self.future is moment:
    ///     self.io_loop.add_future(self.future, lambda f: self.run())
    ///     return False
    /// return True
    /// ```
    // ANCHOR: handle_yield
    pub fn handle_yield(&self, yielded: Yielded) -> bool {
        let inner = &*self.inner;
        if let Yielded::Custom(custom) = yielded {
            // PY: `if isinstance(yielded, YieldPoint):`, chapter 06's half.
            return custom.handle_yield(&self.handle());
        }
        let future = match convert_yielded(yielded) {
            Ok(future) => future,
            // PY: the error goes into a failed future, so `run()` throws it
            // into the generator at the offending `yield`.
            Err(error) => {
                let failed = Future::<()>::new();
                let _ = failed.set_exception(error);
                erase(failed)
            }
        };
        let moment = is_moment(&*future);
        if !future.done() || moment {
            // Held weakly while it is pending: the Runner must not be what
            // keeps alive the future whose callback keeps the Runner alive.
            // Once it is gone, nothing can resolve it and it is never done.
            // The loop callback that resumes the Runner holds the future
            // until `run()` has read it (`IOLoop::add_future` captures it).
            let weak = future.downgrade();
            *inner.future.borrow_mut() = Some(weak.unwrap_or_else(|| future.clone()));
            emit(Kind::Runner, || {
                if moment {
                    format!("runner[f{}] waits one moment", inner.name)
                } else {
                    format!("runner[f{}] waits on f{}", inner.name, future.id())
                }
            });
            let runner = self.clone();
            future.add_future_on(&inner.io_loop, Box::new(move || runner.run()));
            return false;
        }
        // Done: `run()` reads it at once, so it is held until then.
        *inner.future.borrow_mut() = Some(future);
        true
    }
    // ANCHOR_END: handle_yield
}

impl<R: 'static> ErasedRunner for Runner<R> {
    fn run(&self) -> Result<(), Exception> {
        Runner::run(self)
    }

    fn set_future(&self, future: Rc<dyn AnyFuture>) {
        *self.inner.future.borrow_mut() = Some(future);
    }

    fn io_loop(&self) -> WeakIOLoop {
        self.inner.io_loop.clone()
    }

    fn is_running(&self) -> bool {
        self.inner.running.get()
    }

    fn is_finished(&self) -> bool {
        self.inner.finished.get()
    }

    fn name(&self) -> u32 {
        self.inner.name
    }

    fn extension(&self, id: TypeId, make: &dyn Fn() -> StoredExtension) -> Rc<dyn Any> {
        let mut extensions = self.inner.extensions.borrow_mut();
        if let Some((_, (any, _))) = extensions.iter().find(|(key, _)| *key == id) {
            return any.clone();
        }
        let made = make();
        let any = made.0.clone();
        extensions.push((id, made));
        any
    }

    fn downgrade(&self) -> WeakRunnerHandle {
        WeakRunnerHandle(Rc::new(WeakRunner(Rc::downgrade(&self.inner))))
    }
}

/// A Runner that is not kept alive: what a [`WeakRunnerHandle`] holds.
struct WeakRunner<R: 'static>(Weak<Inner<R>>);

impl<R: 'static> ErasedWeakRunner for WeakRunner<R> {
    fn upgrade(&self) -> Option<RunnerHandle> {
        let inner = self.0.upgrade()?;
        Some(Runner { inner }.handle())
    }
}

/// PY: the `try:` around `self.gen.send(value)` / `self.gen.throw(...)`,
/// whose `except Exception:` fails the result future. Any `Generator` may be
/// handed to a Runner, not only one whose `resume` catches panics itself, so
/// a panic in it is caught here and is what the generator raised.
fn resume<T>(step: impl FnOnce() -> Result<T, Exception>) -> Result<T, Exception> {
    catch_panic(step).and_then(|outcome| outcome)
}

/// A future's name in the Runner's lines: `f3`, or `moment`.
fn name(future: &dyn AnyFuture) -> String {
    if is_moment(future) {
        "moment".to_string()
    } else {
        format!("f{}", future.id())
    }
}

/// Clears a flag when dropped: Python's `finally: flag = False`.
struct ResetOnDrop<'a>(&'a Cell<bool>);

impl Drop for ResetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl<R: 'static> std::fmt::Debug for Runner<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Runner(f{}, finished={})",
            self.inner.name,
            self.inner.finished.get()
        )
    }
}
