//! The door chapter 06 walks through: yields the Runner does not know.
//!
//! Tornado 4.5.3's Runner serves two worlds. Futures are handled by the code
//! of this chapter; `YieldPoint`s (`gen.Task`, `gen.Callback`, `gen.Wait`,
//! the callback world of Tornado 2 and 3) by a second half of
//! `handle_yield` and five more methods (`register_callback`, `is_ready`,
//! `set_result`, `pop_result`, `result_callback`). Chapter 06 adds that half
//! without copying the Runner: a yielded [`CustomYield`] gets a
//! [`RunnerHandle`] and does its own `handle_yield`; the state it keeps per
//! Runner (the pending callback keys, their results) is an [`Extension`]
//! stored in the Runner; and the Runner asks every extension before it
//! completes the result future ([`Extension::on_return`]), which is where
//! Tornado raises `LeakedCallbackError`.

use std::any::{Any, TypeId};
use std::rc::Rc;

use ch01_yield::Exception;
use ch03_ioloop::WeakIOLoop;

use crate::any_future::AnyFuture;

/// A yielded object that brings its own `handle_yield`.
pub trait CustomYield {
    /// Makes the Runner wait for this object: typically by giving it a
    /// future with [`RunnerHandle::set_future`]. Returns `true` if the
    /// generator can be resumed at once, as `Runner::handle_yield` does.
    fn handle_yield(self: Box<Self>, runner: &RunnerHandle) -> bool;
}

/// State an extension keeps per Runner, made on first use.
pub trait Extension: Any {
    /// Called when the generator has returned, after the Runner marked itself
    /// finished and before it completes the result future. An `Err` stops
    /// there: the result future is never completed and the error leaves
    /// `run()` (in Tornado, it escapes into the IOLoop, which logs it).
    /// `had_exception`: a future the generator waited on had failed.
    fn on_return(&self, had_exception: bool) -> Result<(), Exception> {
        let _ = had_exception;
        Ok(())
    }
}

/// A Runner seen without its result type: what a [`CustomYield`] and an
/// [`Extension`] may use of it.
#[derive(Clone)]
pub struct RunnerHandle(pub(crate) Rc<dyn ErasedRunner>);

/// A [`RunnerHandle`] that does not keep the Runner alive: for a callback
/// the Runner registers on a future it holds itself, which would otherwise
/// make a cycle that keeps a Runner nobody can resume.
#[derive(Clone)]
pub struct WeakRunnerHandle(pub(crate) Rc<dyn ErasedWeakRunner>);

/// One extension in a Runner's store, seen both ways: as `Any` to hand it
/// back typed, as `Extension` to call its hooks.
pub(crate) type StoredExtension = (Rc<dyn Any>, Rc<dyn Extension>);

/// The Runner's methods that do not mention its result type.
pub(crate) trait ErasedRunner {
    fn run(&self) -> Result<(), Exception>;
    fn set_future(&self, future: Rc<dyn AnyFuture>);
    fn io_loop(&self) -> WeakIOLoop;
    fn is_running(&self) -> bool;
    fn is_finished(&self) -> bool;
    fn name(&self) -> u32;
    fn extension(&self, id: TypeId, make: &dyn Fn() -> StoredExtension) -> Rc<dyn Any>;
    fn downgrade(&self) -> WeakRunnerHandle;
}

/// A weak reference to a Runner, without its result type.
pub(crate) trait ErasedWeakRunner {
    fn upgrade(&self) -> Option<RunnerHandle>;
}

impl WeakRunnerHandle {
    /// The Runner, if something still holds it.
    pub fn upgrade(&self) -> Option<RunnerHandle> {
        self.0.upgrade()
    }
}

impl RunnerHandle {
    /// `Runner.run()`: resumes the generator if what it waits on is done.
    pub fn run(&self) -> Result<(), Exception> {
        self.0.run()
    }

    /// A handle that does not keep the Runner alive.
    pub fn downgrade(&self) -> WeakRunnerHandle {
        self.0.downgrade()
    }

    /// PY: `self.future = future`: what the generator now waits on.
    pub fn set_future(&self, future: Rc<dyn AnyFuture>) {
        self.0.set_future(future)
    }

    /// PY: `self.io_loop`, the loop the Runner was made on, held weakly
    /// (see [`WeakIOLoop`]): the loop may hold the Runner, through the
    /// future it waits on, so the Runner must not hold the loop.
    pub fn io_loop(&self) -> WeakIOLoop {
        self.0.io_loop()
    }

    /// PY: `self.running`: is `run()` on the stack?
    pub fn is_running(&self) -> bool {
        self.0.is_running()
    }

    /// PY: `self.finished`: has the generator returned or raised?
    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }

    /// The recording name of the Runner's result future (`2` for `runner[f2]`).
    pub fn name(&self) -> u32 {
        self.0.name()
    }

    /// This Runner's `T`, made with `T::default()` the first time it is asked
    /// for: the fields an extension adds to the Runner.
    pub fn extension<T: Extension + Default>(&self) -> Rc<T> {
        let any = self.0.extension(TypeId::of::<T>(), &|| {
            let made = Rc::new(T::default());
            (made.clone() as Rc<dyn Any>, made as Rc<dyn Extension>)
        });
        match any.downcast::<T>() {
            Ok(extension) => extension,
            // The store is keyed by `TypeId::of::<T>()`: what it holds under
            // that key was made by this very function, as a `T`.
            Err(_) => Rc::new(T::default()),
        }
    }
}
