//! `YieldPoint`: an object that tells the Runner itself when the generator
//! may go on.

use std::cell::RefCell;
use std::rc::Rc;

use ch01_yield::Exception;
use ch02_future::Future;
use ch03_ioloop::WeakIOLoop;
use ch04_runner::{AnyFuture, CustomYield, RunnerHandle, Value, Yielded};

use crate::runner::YieldPointRunner;

/// Base of the objects a coroutine may yield besides futures.
///
/// The Runner calls [`start`](Self::start) once, as the object is yielded;
/// then [`is_ready`](Self::is_ready), as often as it likes; then, once it
/// said yes, [`get_result`](Self::get_result) once, whose value (or error)
/// the `yield` evaluates to.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 (deprecated there since 4.0 in favour of futures):
///
/// ```python
/// class YieldPoint(object):
///     def start(self, runner):
///         raise NotImplementedError()
///     def is_ready(self):
///         raise NotImplementedError()
///     def get_result(self):
///         raise NotImplementedError()
/// ```
///
/// # Differences
///
/// Python's yield points keep the runner `start` gave them
/// (`self.runner = runner`). Here every method is handed it again, so a
/// yield point never holds its Runner and no reference cycle can form.
/// [`describe`](Self::describe) names the yield point in recordings.
/// A method may also raise by panicking: the Runner catches the panic where
/// Tornado catches an exception, and it takes the same road (thrown into
/// the generator at its `yield`).
// ANCHOR: yield_point
pub trait YieldPoint {
    /// Called by the Runner after the generator has yielded this object.
    fn start(&mut self, runner: &YieldPointRunner) -> Result<(), Exception>;

    /// May the generator be resumed? An error is thrown into the generator.
    fn is_ready(&mut self, runner: &YieldPointRunner) -> Result<bool, Exception>;

    /// The value of the `yield` expression; an error is thrown into the
    /// generator instead.
    fn get_result(&mut self, runner: &YieldPointRunner) -> Result<Value, Exception>;

    /// How the recording names this yield point: `Wait('k')`.
    fn describe(&self) -> String;
}
// ANCHOR_END: yield_point

/// Wraps a yield point for the trip from the generator to the Runner, which
/// hands it to [`YieldPointRunner::handle_yield`].
pub fn yielded(point: impl YieldPoint + 'static) -> Yielded {
    Yielded::Custom(Box::new(Yielding(Box::new(point))))
}

/// A yield point on its way to the Runner: chapter 04's door.
struct Yielding(Box<dyn YieldPoint>);

impl CustomYield for Yielding {
    fn handle_yield(self: Box<Self>, runner: &RunnerHandle) -> bool {
        YieldPointRunner::new(runner).handle_yield(self.0)
    }
}

/// Where a yield point's result waits until the Runner takes it.
///
/// `Runner.handle_yield` gives every yielded `YieldPoint` a fresh future
/// (`self.future = TracebackFuture()`) and resolves it with
/// `yielded.get_result()`. That result is any Python object; here it is a
/// [`Value`], which cannot be cloned, so the future holds it in a slot the
/// Runner empties when it sends the value in.
#[derive(Clone, Default)]
pub(crate) struct Slot(Rc<RefCell<Option<Value>>>);

impl Slot {
    pub(crate) fn new(value: Value) -> Slot {
        Slot(Rc::new(RefCell::new(Some(value))))
    }
}

/// The future a Runner waits on for a yield point.
#[derive(Clone)]
pub(crate) struct YieldPointFuture(pub(crate) Future<Slot>);

impl AnyFuture for YieldPointFuture {
    fn done(&self) -> bool {
        self.0.done()
    }

    fn result_value(&self) -> Result<Value, Exception> {
        let slot = self.0.result()?;
        let value = slot.0.borrow_mut().take();
        // The Runner reads a future's result once; a second read finds the
        // slot empty and gets Python's `None`.
        Ok(value.unwrap_or_default())
    }

    fn add_future_on(
        &self,
        io_loop: &WeakIOLoop,
        callback: Box<dyn FnOnce() -> Result<(), Exception>>,
    ) {
        io_loop.add_future(&self.0, move |_| callback());
    }

    fn id(&self) -> u32 {
        self.0.id()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
