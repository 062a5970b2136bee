//! `gen.Runner`: drives a generator, one yielded future (or yield point) at
//! a time. One Tornado class, one Rust type: both halves of
//! `tornado/gen.py`'s `Runner` are here, in gen.py's order.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use ch00_trace::{Era, EventKind, emit};
use ch01_yield::{Exception, Generator, GeneratorState, PyError, catch_panic};
use ch02_future::Future;
use ch03_ioloop::stack_context::{self, Captured, Contexts, Deactivate, ExceptionStackContext};
use ch03_ioloop::{IOLoop, IOLoopError, LoopCallback, WeakIOLoop};

use crate::any_future::{AnyFuture, erase};
use crate::error::GenError;
use crate::key::Key;
use crate::moment::is_moment;
use crate::value::Value;
use crate::yield_point::{Slot, YieldPoint};
use crate::yielded::{Yielded, convert_yielded};

/// Internal implementation of `tornado.gen.coroutine`: runs a generator on
/// the IOLoop, waiting for each future it yields, until it returns or
/// raises, then completes `result_future` with the outcome.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `class Runner`, both its halves: the future
/// half ([`run`](Self::run), [`handle_yield`](Self::handle_yield)) that
/// every coroutine uses, and the yield-point half
/// ([`register_callback`](Self::register_callback),
/// [`is_ready`](Self::is_ready), [`set_result`](Self::set_result),
/// [`pop_result`](Self::pop_result),
/// [`result_callback`](Self::result_callback), `handle_exception`) that
/// only the `YieldPoint`s of chapter 06 use:
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
/// - The stack context is Tornado's: made at the first `YieldPoint`
///   (coroutines that only yield futures never make one), deactivated when
///   the generator finishes. Its handler holds the Runner weakly: a Runner
///   that is gone declines the exception, as a finished one does.
/// - Python's Runner is untyped; here the two fields that know the
///   coroutine's result type `R` (`self.gen` and `self.result_future`) sit
///   together at the end of the Runner's one allocation, seen through the
///   `Gen` trait, so that `Runner` itself has no type parameter and a
///   [`YieldPoint`] can be handed `&Runner`.
#[derive(Clone)]
pub struct Runner {
    inner: Rc<Inner<dyn Gen>>,
}

/// The Runner's fields. `G` is the generator with the result future, last,
/// so that an `Rc<Inner<Typed<..>>>` coerces to `Rc<Inner<dyn Gen>>`: one
/// allocation for the whole Runner, its generator included.
struct Inner<G: ?Sized> {
    /// PY: `self.future`: what the generator is waiting on. `None` plays
    /// `_null_future`, which it holds before the first `handle_yield` and
    /// after it finished: at neither time does `run()` resume anything.
    /// A pending yielded future is held weakly (see `handle_yield`).
    future: RefCell<Option<Awaited>>,
    /// PY: `self.running`: `run()` is on the stack.
    running: Cell<bool>,
    /// PY: `self.finished`: the generator returned or raised.
    finished: Cell<bool>,
    /// PY: `self.had_exception`: a future the generator waited on failed.
    had_exception: Cell<bool>,
    /// PY: `self.pending_callbacks`, `self.results`, `self.yield_point`,
    /// made the first time a yield point is yielded ("for efficiency, we do
    /// not create a stack context until we reach a YieldPoint"): a coroutine
    /// that only yields futures pays one word for them.
    yield_points: RefCell<Option<Box<YieldPointState>>>,
    /// PY: `self.io_loop = IOLoop.current()`, taken at construction; weak,
    /// because the loop holds this Runner (through the future it waits on).
    io_loop: WeakIOLoop,
    /// The recording name of `result_future`, which names this Runner.
    name: u32,
    /// The box of the loop callback that resumes this Runner, kept
    /// between its turns (see [`ResumeRunner`]).
    spare_resume: Cell<Option<Box<ResumeRunner>>>,
    /// PY: `self.gen` and `self.result_future`. Borrowed only while
    /// `running` is set (or once `finished`), so a re-entrant `run()`
    /// returns before it could try to borrow it again.
    generator: RefCell<G>,
}

/// PY: `self.future`: a yielded future, or the future `handle_yield` makes
/// for a yield point (`self.future = TracebackFuture()`), which the Runner
/// itself resolves with the yield point's result.
#[derive(Clone)]
enum Awaited {
    Future(Rc<dyn AnyFuture>),
    YieldPoint(Future<Slot>),
}

impl Awaited {
    fn done(&self) -> bool {
        match self {
            Awaited::Future(future) => future.done(),
            Awaited::YieldPoint(future) => future.done(),
        }
    }

    fn result_value(&self) -> Result<Value, Exception> {
        match self {
            Awaited::Future(future) => future.result_value(),
            Awaited::YieldPoint(future) => future.result().map(Slot::take),
        }
    }

    /// Its name in the Runner's lines: `f3`, or `moment`.
    fn name(&self) -> String {
        match self {
            Awaited::Future(future) if is_moment(&**future) => "moment".to_string(),
            Awaited::Future(future) => format!("f{}", future.id()),
            Awaited::YieldPoint(future) => format!("f{}", future.id()),
        }
    }
}

/// The yield-point fields of a Runner (see `Inner::yield_points`).
#[derive(Default)]
struct YieldPointState {
    /// PY: `self.pending_callbacks`: keys registered and not yet popped.
    pending_callbacks: BTreeSet<Key>,
    /// PY: `self.results`: what each key's callback was called with.
    results: BTreeMap<Key, Value>,
    /// PY: `self.yield_point`: the yield point the generator waits on, while
    /// it is not ready.
    yield_point: Option<Box<dyn YieldPoint>>,
    /// PY: `self.stack_context_deactivate`: the deactivation callback of
    /// the `ExceptionStackContext` opened at the first yield point.
    stack_context_deactivate: Option<Deactivate>,
}

/// PY: `self.gen` with `self.result_future`: the only part of a Runner that
/// knows the coroutine's result type. Python needs no such thing.
trait Gen {
    /// PY: `self.gen.send(value)`: the next yielded object, or `None` if
    /// the generator returned (its value kept for [`set_result`](Gen::set_result)).
    fn send(&mut self, value: Value) -> Result<Option<Yielded>, Exception>;
    /// PY: `self.gen.throw(exc)`.
    fn throw(&mut self, exc: Exception) -> Result<Option<Yielded>, Exception>;
    /// PY: `self.result_future.set_result(...); self.result_future = None`.
    fn set_result(&mut self);
    /// PY: `self.result_future.set_exc_info(...); self.result_future = None`.
    fn set_exception(&mut self, exc: Exception);
}

/// A generator returning `R`, with the future its outcome completes.
struct Typed<G, R> {
    generator: G,
    result_future: Option<Future<R>>,
    /// What the generator returned, until `set_result` hands it over.
    returned: Option<R>,
}

impl<G, R> Typed<G, R>
where
    G: Generator<Yield = Yielded, Send = Value, Return = R>,
{
    /// PY: the `try:` around `self.gen.send(value)` / `self.gen.throw(...)`,
    /// whose `except Exception:` fails the result future. Any `Generator`
    /// may be handed to a Runner, not only one whose `resume` catches panics
    /// itself, so a panic in it is caught here and is what the generator
    /// raised; one that says it catches them itself (chapter 01's `Gen`,
    /// every coroutine's) is not wrapped a second time.
    fn step(
        &mut self,
        resume: impl FnOnce(&mut G) -> Result<GeneratorState<Yielded, R>, Exception>,
    ) -> Result<Option<Yielded>, Exception> {
        let outcome = if self.generator.catches_panics() {
            resume(&mut self.generator)
        } else {
            catch_panic(|| resume(&mut self.generator)).and_then(|outcome| outcome)
        };
        match outcome? {
            GeneratorState::Yielded(yielded) => Ok(Some(yielded)),
            GeneratorState::Complete(value) => {
                self.returned = Some(value);
                Ok(None)
            }
        }
    }
}

impl<G, R: 'static> Gen for Typed<G, R>
where
    G: Generator<Yield = Yielded, Send = Value, Return = R>,
{
    fn send(&mut self, value: Value) -> Result<Option<Yielded>, Exception> {
        self.step(|generator| generator.send(value))
    }

    fn throw(&mut self, exc: Exception) -> Result<Option<Yielded>, Exception> {
        self.step(|generator| generator.throw(exc))
    }

    fn set_result(&mut self) {
        if let (Some(future), Some(value)) = (self.result_future.take(), self.returned.take()) {
            let _ = future.set_result(value);
        }
    }

    fn set_exception(&mut self, exc: Exception) {
        if let Some(future) = self.result_future.take() {
            // PY 6.x: `future_set_exc_info` is
            // `future_set_exception_unless_cancelled`: a cancelled future
            // (Tornado 6 only) cannot take the exception, so it is logged.
            if future.cancelled() {
                log::error!(
                    target: "tornado.application",
                    "Exception after Future was cancelled: {exc}"
                );
                return;
            }
            let _ = future.set_exception(exc);
        }
    }
}

impl Runner {
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
    pub fn new<R: 'static>(
        generator: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
        result_future: Future<R>,
        first_yielded: Yielded,
    ) -> Runner {
        let (io_loop, no_loop) = match IOLoop::current() {
            Ok(io_loop) => (io_loop.downgrade(), false),
            Err(error) => {
                let _ = result_future.set_exception(error);
                (WeakIOLoop::default(), true)
            }
        };
        let inner: Rc<Inner<dyn Gen>> = Rc::new(Inner {
            future: RefCell::new(None),
            running: Cell::new(false),
            finished: Cell::new(no_loop),
            had_exception: Cell::new(false),
            yield_points: RefCell::new(None),
            io_loop,
            name: result_future.id(),
            spare_resume: Cell::new(None),
            generator: RefCell::new(Typed {
                generator,
                result_future: Some(result_future),
                returned: None,
            }),
        });
        let runner = Runner { inner };
        if !no_loop && runner.handle_yield(first_yielded) {
            // Only a generator that has waited on a callback can make `run`
            // fail, and its first wait always goes through the loop.
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

    /// PY: `self.io_loop`, the loop the Runner was made on, held weakly
    /// (see [`WeakIOLoop`]): the loop may hold the Runner, through the
    /// future it waits on, so the Runner must not hold the loop.
    pub fn io_loop(&self) -> WeakIOLoop {
        self.inner.io_loop.clone()
    }

    /// Starts or resumes the generator, running until it reaches a yield
    /// point that is not ready.
    ///
    /// # Tornado
    ///
    /// `tornado/gen.py` 4.5.3, `Runner.run` (the `orig_stack_contexts` check
    /// is `check_stack_contexts`):
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
            // PY: `orig_stack_contexts = stack_context._state.contexts`.
            let orig_stack_contexts = Contexts::current();
            // PY: `value = future.result()`, then `send` or `throw`. The
            // generator is borrowed only for the step itself.
            let step = match future.result_value() {
                Ok(value) => {
                    emit(EventKind::Runner, || {
                        format!(
                            "runner[f{}] sends the result of {}",
                            inner.name,
                            future.name()
                        )
                    });
                    inner.generator.borrow_mut().send(value)
                }
                Err(exc) => {
                    inner.had_exception.set(true);
                    emit(EventKind::Runner, || {
                        format!("runner[f{}] throws into the generator: {exc}", inner.name)
                    });
                    inner.generator.borrow_mut().throw(exc)
                }
            };
            drop(future);
            let step = check_stack_contexts(step, &orig_stack_contexts, |exc| {
                inner.generator.borrow_mut().throw(exc)
            });
            match step {
                Ok(Some(yielded)) => {
                    if !self.handle_yield(yielded) {
                        return Ok(());
                    }
                }
                // PY: `except (StopIteration, Return) as e:`: the generator
                // returned; its value completes the coroutine's future.
                Ok(None) => {
                    emit(EventKind::Runner, || {
                        format!("runner[f{}] generator returned", inner.name)
                    });
                    self.finish();
                    // PY: `if self.pending_callbacks and not self.had_exception:
                    // raise LeakedCallbackError(...)`: only a Runner that met
                    // a yield point has pending callbacks.
                    if let Some(state) = &*inner.yield_points.borrow()
                        && !state.pending_callbacks.is_empty()
                        && !inner.had_exception.get()
                    {
                        return Err(GenError::LeakedCallback {
                            keys: state.pending_callbacks.clone(),
                        }
                        .into());
                    }
                    // Re-entering `run()` from the result future's callbacks
                    // returns at once (`finished`), so the borrow is safe.
                    inner.generator.borrow_mut().set_result();
                    return Ok(());
                }
                // PY: `except Exception:`: the generator raised.
                Err(exc) => {
                    emit(EventKind::Runner, || {
                        format!("runner[f{}] generator raised: {exc}", inner.name)
                    });
                    self.finish();
                    inner.generator.borrow_mut().set_exception(exc);
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
        self.deactivate_stack_context();
    }

    /// PY: `_deactivate_stack_context()`: callbacks that carried the
    /// Runner's context stop carrying it (see `stack_context::Deactivate`).
    fn deactivate_stack_context(&self) {
        let deactivate = match &mut *self.inner.yield_points.borrow_mut() {
            Some(state) => state.stack_context_deactivate.take(),
            None => None,
        };
        if let Some(deactivate) = deactivate {
            deactivate.call();
        }
    }

    /// Makes the yielded object the future to wait on. Returns `true` if it
    /// is already done and the generator can be resumed at once.
    ///
    /// # Tornado
    ///
    /// `tornado/gen.py` 4.5.3, `Runner.handle_yield`, its Future half (the
    /// `YieldPoint` half is `handle_yield_point`, below):
    ///
    /// ```python
    /// if isinstance(yielded, YieldPoint):
    ///     ...  # handle_yield_point
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
        let yielded = match yielded {
            // Tornado 6 has no yield points: refused, thrown into the
            // generator at the `yield` like any unknown object.
            Yielded::YieldPoint(point) if self.era() == Era::Tornado6 => {
                let described = describe(&*point);
                let name = described.split('(').next().unwrap_or("YieldPoint");
                let failed = Future::<()>::failed(GenError::RemovedInTornado6 {
                    name: name.to_string(),
                });
                Yielded::Future(erase(failed))
            }
            // PY: `if isinstance(yielded, YieldPoint):`.
            Yielded::YieldPoint(point) => return self.handle_yield_point(point),
            other => other,
        };
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
            // Once it is done, the Runner holds it strongly again until
            // `run()` has read it (see `future_done`).
            // The moment is done already and held by its thread for good:
            // held strongly, it keeps nothing alive, and costs no weak handle.
            *inner.future.borrow_mut() = Some(Awaited::Future(future.clone()));
            emit(EventKind::Runner, || {
                if moment {
                    format!("runner[f{}] waits one moment", inner.name)
                } else {
                    format!("runner[f{}] waits on f{}", inner.name, future.id())
                }
            });
            self.capture_resume_contexts();
            if moment {
                self.wait_one_moment(&*future);
            } else {
                future.add_future_on(&inner.io_loop, self.clone());
            }
            // Let go only now that the callback is registered. What `erase`
            // made lets go in place (the handle stored above with it); any
            // other kind is swapped for its weak form.
            if !moment
                && !future.hold_weakly()
                && let Some(weak) = future.downgrade()
            {
                *inner.future.borrow_mut() = Some(Awaited::Future(weak));
            }
            return false;
        }
        // Done: `run()` reads it at once, so it is held until then.
        *inner.future.borrow_mut() = Some(Awaited::Future(future));
        true
    }
    // ANCHOR_END: handle_yield

    /// The era of the loop this Runner runs on ([`Era::Tornado4`] once the
    /// loop is gone).
    fn era(&self) -> Era {
        self.inner
            .io_loop
            .upgrade()
            .map_or(Era::Tornado4, |io_loop| io_loop.era())
    }

    /// PY: `self.io_loop.add_future(moment, lambda f: self.run())`, for the
    /// moment, which is done: `add_future`'s done-callback runs at once, and
    /// all it does is queue `self.run()` on the loop. Done here directly,
    /// with the same line recorded, it is one queued callback, instead of
    /// two closures and a done-callback guarded by `catch_panic` on the way
    /// to it: what `yield moment` costs is mostly this. If the loop is gone,
    /// nothing happens, as with `add_future`.
    fn wait_one_moment(&self, moment: &dyn AnyFuture) {
        let Some(io_loop) = self.inner.io_loop.upgrade() else {
            return;
        };
        // The line `Future::add_done_callback` records for a future that is
        // done already.
        emit(EventKind::Future, || {
            format!(
                "future f{} runs done-callback at once (already done)",
                moment.id()
            )
        });
        // The moment holds nothing: it lives for good.
        self.queue_run(&io_loop, None);
    }

    /// PY: `self.add_callback(callback, future)`, which `add_future`'s
    /// done-callback does once the future the Runner waits on is done: queue
    /// `run()` on the loop (see [`AnyFuture::add_future_on`]).
    ///
    /// Python's queued callback (a `functools.partial`) holds the future
    /// until `run()` has read it; the Runner, which held it weakly while it
    /// was pending, holds it strongly again instead. Nothing can make a cycle
    /// of that: a done future holds no callbacks.
    ///
    /// The queued box also takes a handle on that future, as the partial
    /// does: `run()` replaces the Runner's own at the next `yield`, and
    /// the future must live on until the step is over (see
    /// [`ResumeRunner`]). Taken here, where the future is in hand.
    pub(crate) fn future_done(&self, io_loop: &WeakIOLoop) {
        let held = match &*self.inner.future.borrow() {
            Some(Awaited::Future(future)) => {
                future.hold_strongly();
                Some(future.clone())
            }
            _ => None,
        };
        let Some(io_loop) = io_loop.upgrade() else {
            return;
        };
        if io_loop.era() == Era::Tornado6 {
            // PY (Tornado 6): `add_future`'s done-callback, which asyncio
            // scheduled, runs `self.run()` itself (`_run_callback`): no
            // second trip through the loop's queue.
            let resume = self.resume_box(held);
            io_loop.run_boxed_callback(resume);
            return;
        }
        self.queue_run(&io_loop, held);
    }

    /// PY: `add_future`'s `callback = stack_context.wrap(callback)`: the
    /// contexts active when the Runner yields are the ones `run()` resumes
    /// in (the Runner's own, from its first yield point on, and any the
    /// coroutine was called in). Kept in the Runner's resume box; with no
    /// context active nothing is captured.
    fn capture_resume_contexts(&self) {
        if stack_context::is_active() {
            let mut resume = self.inner.spare_resume.take().unwrap_or_default();
            resume.contexts = Captured::capture();
            self.inner.spare_resume.set(Some(resume));
        }
    }

    /// Queues `run()` on the loop: PY `lambda f: self.run()`, in the box this
    /// Runner keeps for it (see [`ResumeRunner`]).
    // Inlined into its two callers: as a call of its own it cost S3 about
    // 20 instructions more per step (callgrind).
    #[inline(always)]
    fn queue_run(&self, io_loop: &IOLoop, held: Option<Rc<dyn AnyFuture>>) {
        io_loop.add_boxed_callback(self.resume_box(held));
    }

    /// The Runner's resume box, loaded with this Runner and `held`.
    #[inline(always)]
    fn resume_box(&self, held: Option<Rc<dyn AnyFuture>>) -> Box<ResumeRunner> {
        let mut resume = self.inner.spare_resume.take().unwrap_or_default();
        resume.runner = Some(self.clone());
        resume.held = held;
        resume
    }

    // The yield-point half. Tornado 4.5.3 keeps it for `YieldPoint`s, the
    // callback world of Tornado 2 and 3 that chapter 06 teaches.

    /// The yield-point fields, made on first use.
    fn state(&self) -> RefMut<'_, YieldPointState> {
        RefMut::map(self.inner.yield_points.borrow_mut(), |state| {
            &mut **state.get_or_insert_with(Box::default)
        })
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
    // ANCHOR: handle_yield_point
    fn handle_yield_point(&self, point: Box<dyn YieldPoint>) -> bool {
        let name = self.inner.name;
        self.wait_on(Future::new());
        // PY: `self.stack_context_deactivate is None`: no yield point yet,
        // so the yield-point fields are not made yet either.
        let first = self.inner.yield_points.borrow().is_none();
        if first {
            drop(self.state());
            emit(EventKind::Runner, || {
                format!(
                    "runner[f{name}] first yield point {}: started from the next iteration",
                    describe(&*point)
                )
            });
            // PY: `with stack_context.ExceptionStackContext(self.handle_exception)
            // as deactivate:`, around the `add_callback`: the callback, and all
            // the yield point schedules from it, carry the Runner's context.
            let weak = Rc::downgrade(&self.inner);
            let context = ExceptionStackContext::new(move |exc| match weak.upgrade() {
                Some(inner) => Runner { inner }.handle_stack_context_exception(exc),
                None => Ok(false),
            })
            .enter();
            self.state().stack_context_deactivate = Some(context.deactivate());
            let runner = self.clone();
            self.inner.io_loop.add_callback(move || {
                runner.start_yield_point(point);
                runner.run()
            });
            // Nothing in the block yields, so the state is the one it
            // installed: exiting cannot fail.
            let _ = context.exit(None);
            return false;
        }
        let future = self.start_yield_point(point);
        if future.done() {
            return true;
        }
        emit(EventKind::Runner, || {
            format!("runner[f{name}] waits on f{}", future.id())
        });
        // PY: `self.io_loop.add_future(self.future, inner)`, holding the
        // Runner weakly: the Runner holds this future, so a strong hold here
        // would be a cycle keeping a Runner whose callbacks are all gone.
        // What can resolve the future, the yield point's result callbacks,
        // holds the Runner, and resumes it itself (`set_result` calls
        // `run()`), so this call only ever finds nothing to do once they
        // are gone.
        let runner = Rc::downgrade(&self.inner);
        self.inner
            .io_loop
            .add_future(&future, move |_| match runner.upgrade() {
                Some(inner) => Runner { inner }.run(),
                None => Ok(()),
            });
        false
    }
    // ANCHOR_END: handle_yield_point

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
    fn start_yield_point(&self, mut point: Box<dyn YieldPoint>) -> Future<Slot> {
        let name = self.inner.name;
        emit(EventKind::Runner, || {
            format!("runner[f{name}] starts {}", describe(&*point))
        });
        let future = self.yield_point_future().unwrap_or_default();
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
            Ok(None) => {
                // A yield point left from before (see `handle_exception`) is
                // dropped after the borrow ends: dropping it runs user code.
                let earlier = self.state().yield_point.replace(point);
                drop(earlier);
            }
            Err(exc) => {
                let failed = Future::failed(exc);
                self.wait_on(failed.clone());
                return failed;
            }
        }
        future
    }

    /// PY: `self.future = future`, for a yield point's future.
    fn wait_on(&self, future: Future<Slot>) {
        *self.inner.future.borrow_mut() = Some(Awaited::YieldPoint(future));
    }

    /// PY: `self.future`, if it is a yield point's.
    fn yield_point_future(&self) -> Option<Future<Slot>> {
        match &*self.inner.future.borrow() {
            Some(Awaited::YieldPoint(future)) => Some(future.clone()),
            _ => None,
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
        let mut state = self.state();
        if state.pending_callbacks.contains(&key) {
            return Err(GenError::KeyReuse { key }.into());
        }
        state.pending_callbacks.insert(key);
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
        let state = self.state();
        if !state.pending_callbacks.contains(key) {
            return Err(GenError::UnknownKey { key: key.clone() }.into());
        }
        Ok(state.results.contains_key(key))
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
    ///
    /// # Differences
    ///
    /// The result moves on into the generator: `self.future` holds it only
    /// until `run()` takes it out, where Python's future keeps the same
    /// object until the loop callback `add_future` scheduled on it has run
    /// (the next iteration). A `Value` need not be `Clone`, so no second
    /// handle is kept; a result the generator drops (a failed future) is
    /// freed, and reported, that much earlier (docs/conformance.md).
    pub fn set_result(&self, key: Key, result: Value) -> Result<(), Exception> {
        let name = self.inner.name;
        emit(EventKind::Runner, || {
            format!("runner[f{name}] callback {key} called")
        });
        // Out of its cell while it runs: `is_ready` and `get_result` call
        // back into this Runner.
        let point = {
            let mut state = self.state();
            state.results.insert(key, result);
            state.yield_point.take()
        };
        let Some(mut point) = point else {
            return Ok(());
        };
        // A yield point's methods are user code: a panic in one is what it
        // raised, and takes the road an exception would.
        match catch_panic(|| point.is_ready(self)).and_then(|ready| ready) {
            Ok(true) => {}
            Ok(false) => {
                self.state().yield_point = Some(point);
                return Ok(());
            }
            Err(exc) => {
                self.state().yield_point = Some(point);
                return self.handle_exception(exc);
            }
        }
        emit(EventKind::Runner, || {
            format!(
                "runner[f{name}] {} is ready: resumes at once",
                describe(&*point)
            )
        });
        if let Some(future) = self.yield_point_future() {
            let _ = match catch_panic(|| point.get_result(self)).and_then(|result| result) {
                Ok(value) => future.set_result(Slot::new(value)),
                Err(exc) => future.set_exception(exc),
            };
        }
        self.run()
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
    /// lets it go on up to the caller. Handled here, where it is raised, it
    /// takes the road the context would give it (see
    /// `handle_stack_context_exception` for every other exception that
    /// reaches the Runner's context). `self.yield_point` stays set, as in
    /// Tornado.
    fn handle_exception(&self, exc: Exception) -> Result<(), Exception> {
        if self.inner.running.get() || self.inner.finished.get() {
            return Err(exc);
        }
        self.wait_on(Future::failed(exc));
        self.run()
    }

    /// The handler of the Runner's `ExceptionStackContext`: an exception
    /// from any callback that carries the context (everything scheduled
    /// since the first yield point) is thrown into the generator, if it is
    /// waiting.
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
    fn handle_stack_context_exception(&self, exc: &Exception) -> Result<bool, Exception> {
        if self.inner.running.get() || self.inner.finished.get() {
            return Ok(false);
        }
        emit(EventKind::Runner, || {
            format!("runner[f{}] stack context catches: {exc}", self.inner.name)
        });
        self.handle_exception(exc.clone()).map(|()| true)
    }

    /// Unregisters `key` and returns its result.
    ///
    /// ```python
    /// self.pending_callbacks.remove(key)
    /// return self.results.pop(key)
    /// ```
    pub fn pop_result(&self, key: &Key) -> Result<Value, Exception> {
        let missing = || Exception::from(PyError::new("KeyError", key.to_string()));
        let mut state = self.state();
        if !state.pending_callbacks.remove(key) {
            return Err(missing());
        }
        state.results.remove(key).ok_or_else(missing)
    }

    /// The callback that delivers the result of `key`: it calls
    /// [`set_result`](Self::set_result) with the value it is given.
    ///
    /// ```python
    /// return stack_context.wrap(_argument_adapter(
    ///     functools.partial(self.set_result, key)))
    /// ```
    ///
    /// # Differences
    ///
    /// `_argument_adapter`, which turns the callback's arguments into one
    /// value, is chapter 06's `ResultCallback`, which wraps this function.
    pub fn result_callback(&self, key: Key) -> impl Fn(Value) -> Result<(), Exception> + 'static {
        let runner = self.clone();
        // PY: `stack_context.wrap(...)`: the contexts active now (the
        // Runner's own, from its first yield point on) go with the callback.
        let captured = ch03_ioloop::stack_context::Captured::capture();
        move |value| match &captured {
            Some(captured) => captured
                .call(|| runner.set_result(key.clone(), value))
                .map(drop),
            None => ch03_ioloop::stack_context::NullContext::run(|| {
                runner.set_result(key.clone(), value)
            }),
        }
    }
}

/// `point.describe()` for a recording line. It is user code, run only while
/// recording: a panic in it must not stop the Runner, so it shows as a
/// stand-in naming the panic.
fn describe(point: &dyn YieldPoint) -> String {
    catch_panic(|| point.describe()).unwrap_or_else(|panic| format!("<describe() failed: {panic}>"))
}

/// PY: `if stack_context._state.contexts is not orig_stack_contexts:
/// self.gen.throw(StackContextInconsistentError(...))`, after a step that
/// yielded: the generator left a `with StackContext` block open across its
/// `yield`. What the throw yields is discarded, as in Tornado.
pub(crate) fn check_stack_contexts(
    step: Result<Option<Yielded>, Exception>,
    orig: &Contexts,
    throw: impl FnOnce(Exception) -> Result<Option<Yielded>, Exception>,
) -> Result<Option<Yielded>, Exception> {
    match step {
        Ok(Some(yielded)) if !orig.is_current() => {
            match throw(stack_context_inconsistency().into()) {
                Ok(Some(_discarded)) => Ok(Some(yielded)),
                other => other,
            }
        }
        step => step,
    }
}

/// The error `gen.py` raises for a `yield` inside a `with StackContext`.
pub fn stack_context_inconsistency() -> IOLoopError {
    IOLoopError::StackContextInconsistent(
        "stack_context inconsistency (probably caused by yield within a \"with StackContext\" block)",
    )
}

/// The loop callback that resumes a Runner once what it waits on is done
/// (a future, or the moment): Tornado's `lambda f: self.run()`.
///
/// A coroutine is queued on the IOLoop once per `yield`; a closure would be
/// a new box each time. This one is boxed once
/// per Runner: when the loop runs it, it puts its (now empty) box back in
/// the Runner's `spare_resume` before resuming it, and the next
/// `yield` queues the same box again. While it waits in the Runner it
/// holds no Runner (`None`), so it makes no cycle; while it is queued it
/// holds one, as the closure did.
#[derive(Default)]
struct ResumeRunner {
    runner: Option<Runner>,
    /// PY: the future the queued `functools.partial(callback, future)`
    /// holds until the step it starts is over, and with it the future's
    /// result: a failed future in it that nobody looks at is reported after
    /// the step, not when `run()` lets go. Put in by `future_done`; `None`
    /// for the moment.
    held: Option<Rc<dyn AnyFuture>>,
    /// PY: what `add_future`'s `stack_context.wrap` captured when the Runner
    /// yielded: the contexts `run()` is resumed in. `None` when none was
    /// active (the common case, which costs one flag read).
    contexts: Option<Captured>,
}

impl LoopCallback for ResumeRunner {
    fn call(mut self: Box<Self>, _io_loop: &IOLoop) -> Result<(), Exception> {
        let Some(runner) = self.runner.take() else {
            return Ok(());
        };
        let contexts = self.contexts.take();
        let held = self.held.take();
        runner.inner.spare_resume.set(Some(self));
        let result = match contexts {
            None => runner.run(),
            Some(contexts) => contexts.call(|| runner.run()).map(drop),
        };
        drop(held);
        result
    }

    fn type_name(&self) -> &'static str {
        "ch04_runner::Runner::run"
    }
}

/// Clears a flag when dropped: Python's `finally: flag = False`.
struct ResetOnDrop<'a>(&'a Cell<bool>);

impl Drop for ResetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Runner(f{}, finished={})",
            self.inner.name,
            self.inner.finished.get()
        )
    }
}
