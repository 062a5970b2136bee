//! What a Tornado 6 future needs of asyncio: the thread's event loop, to
//! schedule its done-callbacks on.
//!
//! In Tornado 6, `tornado.concurrent.Future` *is* `asyncio.Future`. It never
//! runs a done-callback inside `set_result`: it hands each one to its loop
//! with `loop.call_soon(callback, self)`, and the loop runs it in its next
//! batch, FIFO with every other ready callback. This module is the door
//! between the two layers: chapter 03's loop, when it follows Tornado 6's
//! rules ([`Era::Tornado6`](ch00_trace::Era)), installs itself here as the
//! thread's event loop while it is current, and [`Future`](crate::Future)
//! asks for it whenever it has callbacks to run. With no such loop installed
//! (every 4.5.3 program, and chapter 02's own programs), futures run their
//! callbacks inline, as Tornado 4.5.3's do.
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use ch02_future::{Future, asyncio::{EventLoop, set_event_loop}};
//!
//! /// A loop that only queues: run its batch by hand.
//! #[derive(Default)]
//! struct Ready(RefCell<Vec<Box<dyn FnOnce()>>>);
//! impl EventLoop for Ready {
//!     fn call_soon(&self, callback: Box<dyn FnOnce()>) {
//!         self.0.borrow_mut().push(callback);
//!     }
//! }
//!
//! let ready = Rc::new(Ready::default());
//! let old = set_event_loop(Some(ready.clone()));
//! let f = Future::new();
//! f.add_done_callback(|f: &Future<i32>| println!("cb sees {}", f.result().unwrap()));
//! f.set_result(42).unwrap();
//! println!("set_result returned first");
//! let batch = std::mem::take(&mut *ready.0.borrow_mut());
//! assert_eq!(batch.len(), 1);
//! batch.into_iter().for_each(|callback| callback()); // prints "cb sees 42"
//! set_event_loop(old);
//! ```
//!
//! # Tornado
//!
//! CPython 3.11 `asyncio/futures.py`, `Future.__schedule_callbacks`:
//!
//! ```python
//! def __schedule_callbacks(self):
//!     callbacks = self._callbacks[:]
//!     if not callbacks:
//!         return
//!     self._callbacks[:] = []
//!     for callback, ctx in callbacks:
//!         self._loop.call_soon(callback, self, context=ctx)
//! ```
//!
//! # Differences
//!
//! An `asyncio.Future` remembers its loop (`self._loop`, taken from
//! `events.get_event_loop()` when it is made). Ours asks for the thread's
//! loop each time it schedules: the course runs one loop per thread, so it
//! is the same loop, and a 4.5.3 future costs no field for it.

use std::cell::RefCell;
use std::rc::Rc;

/// The one thing a Tornado 6 future asks of its loop: asyncio's
/// `AbstractEventLoop.call_soon`.
pub trait EventLoop {
    /// Queues `callback` at the end of the loop's ready queue (asyncio's
    /// `_ready` deque), to run in the loop's next batch. It must not run it
    /// now.
    fn call_soon(&self, callback: Box<dyn FnOnce()>);

    /// Has the loop been closed (or dropped)? Then `call_soon` would raise
    /// asyncio's `RuntimeError('Event loop is closed')`, and a future does
    /// not hand it its callbacks. `false` unless the loop says otherwise.
    fn is_closed(&self) -> bool {
        false
    }
}

thread_local! {
    static EVENT_LOOP: RefCell<Option<Rc<dyn EventLoop>>> = const { RefCell::new(None) };
}

/// The thread's event loop, if a loop following Tornado 6's rules is
/// current: asyncio's `events.get_event_loop()`. `None` means "Tornado
/// 4.5.3's rules": done-callbacks run inline.
pub fn get_event_loop() -> Option<Rc<dyn EventLoop>> {
    // `try_with`: a future may be dropped, or completed, by another
    // thread-local's destructor when the thread ends (a loop left current),
    // after this one is gone; it then follows 4.5.3's rules rather than
    // abort the process.
    EVENT_LOOP.try_with(|l| l.borrow().clone()).ok().flatten()
}

/// Is a Tornado 6 event loop installed on this thread? (The cheap question
/// that [`Future`](crate::Future) asks on every `set_result`.)
pub fn has_event_loop() -> bool {
    EVENT_LOOP
        .try_with(|l| l.borrow().is_some())
        .unwrap_or(false)
}

/// Installs (or, with `None`, removes) the thread's event loop, and returns
/// the previous one: asyncio's `events.set_event_loop`. Chapter 03's loop
/// calls it when it becomes current.
pub fn set_event_loop(event_loop: Option<Rc<dyn EventLoop>>) -> Option<Rc<dyn EventLoop>> {
    // The old value is handed back, so it is dropped by the caller, never
    // while the thread-local is borrowed.
    // Once the thread-local is gone (the thread is ending), there is nothing
    // to install, and the old value was dropped with it.
    EVENT_LOOP
        .try_with(|l| std::mem::replace(&mut *l.borrow_mut(), event_loop))
        .ok()
        .flatten()
}

/// An event loop nobody runs: what asyncio's `get_event_loop()` hands a
/// Tornado 6 program that never starts a loop. Done-callbacks scheduled on
/// it wait for good; they are dropped with it, unrun.
///
/// Chapter 02's programs make no loop. Their Python twins that make none
/// either show, under Tornado 6, what this does: `set_result` returns and
/// the callbacks never run.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use ch02_future::Future;
/// use ch02_future::asyncio::{UnstartedLoop, set_event_loop};
///
/// let parked = Rc::new(UnstartedLoop::default());
/// let old = set_event_loop(Some(parked.clone()));
/// let ran = Rc::new(Cell::new(false));
/// let f = Future::new();
/// let r = ran.clone();
/// f.add_done_callback(move |_: &Future<()>| r.set(true));
/// f.set_result(()).unwrap();
/// assert!(!ran.get());
/// assert_eq!(parked.waiting(), 1);
/// set_event_loop(old);
/// ```
#[derive(Default)]
pub struct UnstartedLoop {
    ready: RefCell<Vec<Box<dyn FnOnce()>>>,
}

impl UnstartedLoop {
    /// How many callbacks wait on it.
    pub fn waiting(&self) -> usize {
        self.ready.borrow().len()
    }

    /// Takes the waiting callbacks out, to drop them where the caller
    /// chooses (their captures may do anything when dropped).
    pub fn take_waiting(&self) -> Vec<Box<dyn FnOnce()>> {
        std::mem::take(&mut *self.ready.borrow_mut())
    }
}

impl EventLoop for UnstartedLoop {
    fn call_soon(&self, callback: Box<dyn FnOnce()>) {
        self.ready.borrow_mut().push(callback);
    }
}
