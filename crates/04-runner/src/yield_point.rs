//! `YieldPoint`: an object that tells the Runner itself when the generator
//! may go on. gen.py defines it beside `Runner`; chapter 06 implements it
//! (`Callback`, `Wait`, `WaitAll`, `Task`, `YieldFuture`, `Multi`).

use std::cell::RefCell;
use std::rc::Rc;

use ch01_yield::Exception;

use crate::runner::Runner;
use crate::value::Value;
use crate::yielded::Yielded;

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
    fn start(&mut self, runner: &Runner) -> Result<(), Exception>;

    /// May the generator be resumed? An error is thrown into the generator.
    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception>;

    /// The value of the `yield` expression; an error is thrown into the
    /// generator instead.
    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception>;

    /// How the recording names this yield point: `Wait('k')`.
    fn describe(&self) -> String;
}
// ANCHOR_END: yield_point

/// Wraps a yield point for the trip from the generator to the Runner, which
/// hands it to the yield-point half of [`Runner::handle_yield`].
pub fn yielded(point: impl YieldPoint + 'static) -> Yielded {
    Yielded::YieldPoint(Box::new(point))
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

    /// The value, taken out. The Runner reads a future's result once; a
    /// second read finds the slot empty and gets Python's `None`.
    pub(crate) fn take(self) -> Value {
        self.0.borrow_mut().take().unwrap_or_default()
    }
}
