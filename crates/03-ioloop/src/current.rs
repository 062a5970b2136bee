//! The current loop of each thread: `current`, `make_current`, `clear_current`.

use std::cell::RefCell;

use crate::error::IOLoopError;
use crate::ioloop::IOLoop;

thread_local! {
    /// Tornado's `IOLoop._current.instance` (a `threading.local`).
    static CURRENT: RefCell<Option<IOLoop>> = const { RefCell::new(None) };
}

impl IOLoop {
    /// This thread's current loop; if there is none, a new one, made current.
    ///
    /// A loop is current when it was the first created on its thread, when
    /// [`make_current`](IOLoop::make_current) chose it, and while it runs.
    ///
    /// # Errors
    ///
    /// [`IOLoopError::Io`] if a new loop is needed and the operating system
    /// refuses its poller (out of file descriptors: `OSError: Too many open
    /// files`). Code that needs the loop for a future (`sleep`, a
    /// coroutine's Runner) fails that future with it.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.current`:
    ///
    /// ```python
    /// current = getattr(IOLoop._current, "instance", None)
    /// if current is None and instance:
    ///     return IOLoop.instance()
    /// return current
    /// ```
    ///
    /// # Differences
    ///
    /// Tornado falls back to `IOLoop.instance()`, one process-wide loop for
    /// the main thread that other threads may reach. An `IOLoop` here is
    /// not `Send`, so no loop can be shared between threads: the fallback
    /// is a new loop for *this* thread. Another thread reaches a loop
    /// through its [`RemoteLoop`](crate::RemoteLoop). Making that loop can
    /// fail, so the answer is a `Result` (Tornado's `IOLoop.instance()`
    /// would raise the `OSError` from `epoll()` the same way).
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let first = IOLoop::new().unwrap();       // none was current: this one is
    /// assert!(IOLoop::current().unwrap().ptr_eq(&first));
    /// let second = IOLoop::new().unwrap();      // one already is: stays as is
    /// assert!(IOLoop::current().unwrap().ptr_eq(&first));
    /// second.make_current();
    /// assert!(IOLoop::current().unwrap().ptr_eq(&second));
    /// ```
    pub fn current() -> Result<IOLoop, IOLoopError> {
        if let Some(current) = IOLoop::try_current() {
            return Ok(current);
        }
        // `new` makes the loop current, since none is.
        Ok(IOLoop::new()?)
    }

    /// This thread's current loop, if any (Tornado's `IOLoop.current(instance=False)`).
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// IOLoop::clear_current();
    /// assert!(IOLoop::try_current().is_none());
    /// ```
    pub fn try_current() -> Option<IOLoop> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// Makes this the current loop of this thread.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.make_current`:
    /// `IOLoop._current.instance = self`.
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// io_loop.make_current();
    /// assert!(IOLoop::current().unwrap().ptr_eq(&io_loop));
    /// ```
    pub fn make_current(&self) {
        IOLoop::set_current(Some(self.clone()));
    }

    /// Leaves this thread without a current loop.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.clear_current`:
    /// `IOLoop._current.instance = None`.
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let _io_loop = IOLoop::new().unwrap();
    /// IOLoop::clear_current();
    /// assert!(IOLoop::try_current().is_none());
    /// ```
    pub fn clear_current() {
        IOLoop::set_current(None);
    }

    /// Replaces the current loop and returns the previous one.
    pub(crate) fn set_current(io_loop: Option<IOLoop>) -> Option<IOLoop> {
        // The old value is returned, so it is dropped by the caller, never
        // while the thread-local is borrowed.
        // Tornado 6: the current loop is also asyncio's event loop, where
        // chapter 02's futures schedule their done-callbacks.
        crate::asyncio::install(io_loop.as_ref());
        CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), io_loop))
    }
}
