//! `add_future`, and callbacks that return a `Future`.

use ch01_yield::Exception;
use ch02_future::Future;

use crate::callbacks::{CallbackReturn, boxed};
use crate::ioloop::{IOLoop, LoopFn};
use crate::stack_context;
use std::cell::RefCell;
use std::rc::Rc;

impl IOLoop {
    /// Calls `callback(future)` on the loop once `future` is done.
    ///
    /// The callback always goes through [`add_callback`](IOLoop::add_callback):
    /// it runs on the iteration after the future resolved, and on the *next*
    /// iteration if the future is already done. This one hop is what every
    /// coroutine resumption of chapter 04 costs.
    ///
    /// # Differences
    ///
    /// The done-callback holds the loop weakly (a [`WeakIOLoop`](crate::WeakIOLoop)):
    /// a future is often held by the loop itself (a timeout that resolves
    /// it), and a strong handle would make a cycle that keeps a dropped
    /// loop, and its descriptors, alive. If the loop is gone by the time the
    /// future resolves, `callback` is dropped unrun, as a closed loop drops
    /// it.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.add_future`:
    ///
    /// ```python
    /// def add_future(self, future, callback):
    ///     assert is_future(future)
    ///     callback = stack_context.wrap(callback)
    ///     future.add_done_callback(
    ///         lambda future: self.add_callback(callback, future))
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch02_future::Future;
    /// use ch03_ioloop::IOLoop;
    /// use std::{cell::Cell, rc::Rc};
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let future = Future::new();
    /// future.set_result(42).unwrap();           // already done...
    /// let got = Rc::new(Cell::new(0));
    /// let (g, lp) = (got.clone(), io_loop.clone());
    /// io_loop.add_future(&future, move |f: Future<i32>| {
    ///     g.set(f.result().unwrap());
    ///     lp.stop();
    /// });
    /// assert_eq!(got.get(), 0);                 // ...still not called inline
    /// io_loop.start().unwrap();
    /// assert_eq!(got.get(), 42);
    /// ```
    // ANCHOR: add_future
    pub fn add_future<T: 'static, R: CallbackReturn>(
        &self,
        future: &Future<T>,
        callback: impl FnOnce(Future<T>) -> R + 'static,
    ) {
        let io_loop = self.downgrade();
        if self.era() == ch00_trace::Era::Tornado6 {
            // PY (Tornado 6): `future.add_done_callback(lambda f:
            // self._run_callback(functools.partial(callback, f)))`: asyncio
            // schedules the done-callback, which runs the callback itself,
            // guarded as any loop callback, with no second trip through the
            // queue.
            future.add_done_callback(move |done: &Future<T>| {
                let done = done.clone();
                if let Some(io_loop) = io_loop.upgrade() {
                    io_loop.run_callback_fn(boxed(move || callback(done)), "c", 0);
                }
            });
            return;
        }
        if !stack_context::is_active() {
            // PY: `null_wrapper`: nothing to capture. The callback is queued
            // unwrapped (as Tornado's `add_callback` does not wrap it again),
            // and the loop runs it with no context.
            future.add_done_callback(move |done: &Future<T>| {
                let done = done.clone();
                if let Some(io_loop) = io_loop.upgrade() {
                    io_loop.push_callback_fn(boxed(move || callback(done)));
                }
            });
            return;
        }
        // PY: `callback = stack_context.wrap(callback)`, here, not when the
        // future resolves: the callback carries the contexts of the code that
        // called `add_future`. The future is handed over through a cell.
        let slot: Rc<RefCell<Option<Future<T>>>> = Rc::new(RefCell::new(None));
        let arg = slot.clone();
        let type_name = std::any::type_name_of_val(&callback);
        let wrapped = stack_context::wrap_callback(Box::new(LoopFn {
            type_name,
            func: move |io_loop: &IOLoop| {
                let done = arg.borrow_mut().take();
                match done {
                    Some(done) => callback(done).into_callback_result(io_loop),
                    None => Ok(()),
                }
            },
        }));
        // PY: future.add_done_callback(lambda future: self.add_callback(callback, future))
        // (`add_callback` does not wrap an already-wrapped callback again).
        future.add_done_callback(move |done: &Future<T>| {
            *slot.borrow_mut() = Some(done.clone());
            if let Some(io_loop) = io_loop.upgrade() {
                io_loop.push_callback_fn(wrapped);
            }
        });
    }
    // ANCHOR_END: add_future
}

/// A callback that returns a `Future`: its failure is logged one iteration
/// later instead of being lost.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `IOLoop._run_callback` and `_discard_future_result`:
///
/// ```python
/// self.add_future(ret, self._discard_future_result)
/// ...
/// def _discard_future_result(self, future):
///     """Avoid unhandled-exception warnings from spawned coroutines."""
///     future.result()
/// ```
impl<T: Clone + 'static> CallbackReturn for Future<T> {
    fn into_callback_result(self, io_loop: &IOLoop) -> Result<(), Exception> {
        // PY: self.add_future(ret, self._discard_future_result)
        io_loop.add_future(&self, |future: Future<T>| future.result().map(drop));
        Ok(())
    }

    /// PY: `handler_func(fd_obj, events)`: the value is dropped unlooked-at.
    fn into_handler_result(self, _io_loop: &IOLoop) -> Result<(), Exception> {
        drop(self);
        Ok(())
    }
}
