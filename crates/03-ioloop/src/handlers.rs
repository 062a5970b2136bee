//! File-descriptor handlers: `add_handler`, `update_handler`, `remove_handler`, and dispatch.

use std::cell::RefCell;
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};

use ch00_trace::{EventKind, ObjectKind, emit, next_id};

use crate::callbacks::CallbackReturn;
use crate::error::IOLoopError;
use crate::handler_table::Handler;
use crate::ioloop::{HandlerFn, IOLoop};
use crate::poller::{ERROR, NONE, READ, WRITE, duplicate};

/// `errno.ENOENT`: what epoll says about a descriptor it does not watch.
const ENOENT: i32 = 2;

/// `READ|WRITE`, `READ|ERROR`, `NONE`: an event mask as recordings show it.
pub(crate) fn mask_name(mask: u32) -> String {
    let mut parts = Vec::new();
    if mask & READ != 0 {
        parts.push("READ");
    }
    if mask & WRITE != 0 {
        parts.push("WRITE");
    }
    if mask & ERROR != 0 {
        parts.push("ERROR");
    }
    if parts.is_empty() {
        "NONE".to_string()
    } else {
        parts.join("|")
    }
}

/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, class `IOLoop`, whose events "map exactly to
/// the epoll events":
///
/// ```python
/// _EPOLLIN = 0x001
/// _EPOLLOUT = 0x004
/// _EPOLLERR = 0x008
/// _EPOLLHUP = 0x010
/// NONE = 0
/// READ = _EPOLLIN
/// WRITE = _EPOLLOUT
/// ERROR = _EPOLLERR | _EPOLLHUP
/// ```
impl IOLoop {
    /// No events: a handler registered with `NONE` only hears about errors.
    pub const NONE: u32 = NONE;
    /// The descriptor is readable (`EPOLLIN`).
    pub const READ: u32 = READ;
    /// The descriptor is writable (`EPOLLOUT`).
    pub const WRITE: u32 = WRITE;
    /// An error or a hang-up (`EPOLLERR | EPOLLHUP`): always registered,
    /// whatever the handler asked for.
    pub const ERROR: u32 = ERROR;

    /// Calls `handler(fd, events)` whenever `fd` is ready for `events`.
    ///
    /// The loop is level-triggered: as long as the descriptor stays ready
    /// (unread data, say), the handler is called once per iteration. It is
    /// called with the combined mask of what happened, e.g. `READ | WRITE`,
    /// or `READ | 0x10` (part of `ERROR`) when the peer hung up. `ERROR` is
    /// always listened for. Handlers run after the poll, in the reverse of
    /// the order the poller reported them (see [`start`](IOLoop::start)).
    ///
    /// The handler may return `()`, a `Result` (an `Err` is logged as a
    /// raised exception would be), or a `Future`, which the loop ignores as
    /// Tornado does: a failure in it is reported as never retrieved when it
    /// is dropped, at once unless you keep a clone (a callback's returned
    /// future goes through [`add_future`](IOLoop::add_future) instead).
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.add_handler`:
    ///
    /// ```python
    /// def add_handler(self, fd, handler, events):
    ///     fd, obj = self.split_fd(fd)
    ///     self._handlers[fd] = (obj, stack_context.wrap(handler))
    ///     self._impl.register(fd, events | self.ERROR)
    /// ```
    ///
    /// # Differences
    ///
    /// - `fd` is a reference to anything with a descriptor (`&impl AsFd`: a
    ///   socket, an `Rc` of one, a `BorrowedFd`), Rust's "object with a
    ///   `fileno()`"; the handler receives its descriptor number. Only a
    ///   reference compiles, so an owned socket cannot be moved in and
    ///   closed when `add_handler` returns (see below).
    /// - The loop registers its own duplicate of the descriptor and keeps it
    ///   until `remove_handler` (or `close(true)`, or the loop's drop), as
    ///   Tornado keeps `fd_obj` in `_handlers`. Dropping your socket while
    ///   its handler is registered therefore does not close the connection
    ///   (Python's `del sock` does not either; `sock.close()` would): the
    ///   handler keeps being called until you remove it, by number if need
    ///   be. In exchange, no registration can outlive its descriptor: Tornado
    ///   4.5.3 on epoll, given a duplicated descriptor that is closed behind
    ///   its back, keeps a registration under the closed number, delivers
    ///   its events to the next handler of that number, and spins while the
    ///   old socket stays readable; here that cannot happen. It costs one
    ///   descriptor per registered handler.
    /// - Adding a descriptor twice fails with
    ///   [`IOLoopError::FileExists`] and changes nothing; Tornado had
    ///   already replaced the handler in its dict when epoll raised.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// use std::io::Write;
    /// use std::os::unix::net::UnixStream;
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let (reader, mut writer) = UnixStream::pair().unwrap();
    /// writer.write_all(b"x").unwrap();
    /// let lp = io_loop.clone();
    /// io_loop
    ///     .add_handler(&reader, move |_fd, events| {
    ///         assert_eq!(events, IOLoop::READ);
    ///         lp.stop();
    ///     }, IOLoop::READ)
    ///     .unwrap();
    /// io_loop.start().unwrap();
    /// io_loop.remove_handler(&reader);
    /// ```
    ///
    /// Moving the socket in, which would close it when `add_handler`
    /// returns, does not compile:
    ///
    /// ```compile_fail
    /// use ch03_ioloop::IOLoop;
    /// use std::os::unix::net::UnixStream;
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let (reader, _writer) = UnixStream::pair().unwrap();
    /// io_loop.add_handler(reader, |_fd, _events| (), IOLoop::READ).unwrap();
    /// ```
    pub fn add_handler<R: CallbackReturn>(
        &self,
        fd: &impl AsFd,
        mut handler: impl FnMut(RawFd, u32) -> R + 'static,
        events: u32,
    ) -> Result<(), IOLoopError> {
        let inner = &*self.inner;
        let fd = fd.as_fd();
        let raw = fd.as_raw_fd();
        let poller = inner.poller.get().ok_or(IOLoopError::Closed)?;
        if inner.handlers.contains(raw) {
            // PY: Tornado stored the new handler first, then epoll raised
            // FileExistsError; we refuse before changing anything.
            return Err(IOLoopError::FileExists);
        }
        // PY: self._impl.register(fd, events | self.ERROR), on our own
        // duplicate (see `poller.rs`), reported under the caller's number.
        let registered = duplicate(fd)?;
        poller.register(&registered, raw, events | ERROR)?;
        let id = next_id(ObjectKind::Handler);
        emit(EventKind::Handler, || {
            format!("handler h{id} added: {}", mask_name(events))
        });
        let func: HandlerFn = Box::new(move |fd, events, io_loop: &IOLoop| {
            // PY: the handler's return value is ignored (only a raise counts).
            handler(fd, events).into_handler_result(io_loop)
        });
        // PY: `self._handlers[fd] = (obj, stack_context.wrap(handler))`.
        let func = crate::stack_context::wrap_handler(func);
        inner
            .handlers
            .insert(raw, Handler::new(id, events, registered, func));
        Ok(())
    }

    /// Changes the events `fd`'s handler listens for.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.update_handler`:
    ///
    /// ```python
    /// def update_handler(self, fd, events):
    ///     fd, obj = self.split_fd(fd)
    ///     self._impl.modify(fd, events | self.ERROR)
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// use std::os::unix::net::UnixStream;
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let (socket, _peer) = UnixStream::pair().unwrap();
    /// let lp = io_loop.clone();
    /// io_loop.add_handler(&socket, move |_, events| {
    ///     assert_eq!(events, IOLoop::WRITE); // writable, nothing to read
    ///     lp.stop();
    /// }, IOLoop::READ).unwrap();
    /// io_loop.update_handler(&socket, IOLoop::WRITE).unwrap();
    /// io_loop.start().unwrap();
    /// io_loop.remove_handler(&socket);
    /// ```
    pub fn update_handler(&self, fd: impl AsFd, events: u32) -> Result<(), IOLoopError> {
        let inner = &*self.inner;
        let raw = fd.as_fd().as_raw_fd();
        let poller = inner.poller.get().ok_or(IOLoopError::Closed)?;
        let id = inner
            .handlers
            .update(raw, events, |registered| {
                poller.modify(registered, raw, events | ERROR)
            })
            // PY: epoll.modify of a descriptor it does not watch raises
            // FileNotFoundError (ENOENT).
            .unwrap_or_else(|| Err(io::Error::from_raw_os_error(ENOENT)))?;
        emit(EventKind::Handler, || {
            format!("handler h{id} updated: {}", mask_name(events))
        });
        Ok(())
    }

    /// Stops listening for events on `fd`. Harmless if `fd` has no handler.
    ///
    /// The handler is found by descriptor number, as in Tornado: if you
    /// dropped a registered socket and a new one got its number, this
    /// removes the old handler (and closes the loop's duplicate, which was
    /// the old connection's last descriptor).
    ///
    /// An event already reported for `fd` by this iteration's poll and not
    /// yet dispatched is dropped: a handler that removes another descriptor
    /// prevents its handler from running in this iteration.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.remove_handler`:
    ///
    /// ```python
    /// def remove_handler(self, fd):
    ///     fd, obj = self.split_fd(fd)
    ///     self._handlers.pop(fd, None)
    ///     self._events.pop(fd, None)
    ///     try:
    ///         self._impl.unregister(fd)
    ///     except Exception:
    ///         gen_log.debug("Error deleting fd from IOLoop", exc_info=True)
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// use std::os::unix::net::UnixStream;
    ///
    /// let io_loop = IOLoop::new().unwrap();
    /// let (socket, _peer) = UnixStream::pair().unwrap();
    /// io_loop.remove_handler(&socket); // never added: nothing happens
    /// ```
    pub fn remove_handler(&self, fd: impl AsFd) {
        let inner = &*self.inner;
        let fd = fd.as_fd();
        let raw = fd.as_raw_fd();
        let removed = inner.handlers.remove(raw);
        let poller = inner.poller.get();
        let unregistered = match (&poller, &removed) {
            // Deleted from the poller before the duplicate closes (below).
            (Some(poller), Some(handler)) => poller.unregister(handler.registered()),
            (Some(_), None) => Err(io::Error::from_raw_os_error(ENOENT)),
            (None, _) => Ok(()), // closed: the poller forgot everything
        };
        if let Err(err) = unregistered {
            log::debug!(target: "tornado.general", "Error deleting fd from IOLoop: {err}");
        }
        if let Some(handler) = removed {
            let id = handler.id();
            emit(EventKind::Handler, || format!("handler h{id} removed"));
            // Dropped here, outside every borrow (a running handler keeps
            // its own reference until it returns); this closes the loop's
            // duplicate of the descriptor. Python's `_handlers.pop` frees it
            // at once, even while a batch of timeouts runs.
            ch02_future::released_now(|| drop(handler));
        }
    }

    // ANCHOR: run_handler
    /// Runs `fd`'s handler (`id`, `func`) for one pending event: what one
    /// pass of 4.5.3's `while self._events:` loop in `PollIOLoop.start`
    /// does once it has the handler (see `dispatch`).
    pub(crate) fn run_handler(&self, fd: RawFd, events: u32, id: u32, func: &RefCell<HandlerFn>) {
        // exercise ex03.4 begin (uses: self, fd, events, id, func)
        use crate::callbacks::Name;
        use ch01_yield::catch_panic;

        emit(EventKind::Handler, || {
            format!("handler h{id} fires: {}", mask_name(events))
        });
        let outcome = catch_panic(|| match func.try_borrow_mut() {
            Ok(mut handler) => handler(fd, events, self),
            // Only reachable if a handler could run inside itself.
            Err(_) => Ok(()),
        })
        .and_then(|result| result);
        let Err(exc) = outcome else {
            return;
        };
        if exc
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        {
            // Happens when the client closes the connection (Tornado
            // ignores EPIPE from a handler).
            return;
        }
        // PY: handle_callback_exception(self._handlers.get(fd)): None if the
        // handler removed itself before it failed.
        let current = self.inner.handlers.handler(fd).map(|(id, _)| id);
        match current {
            Some(id) => self.handle_callback_exception(&Name::new("h", id), &exc),
            None => self.handle_callback_exception(&"None", &exc),
        }
        // exercise ex03.4 end
    }
    // ANCHOR_END: run_handler

    /// Takes every handler out of the table (for `close`).
    pub(crate) fn take_handlers(&self) -> Vec<Handler<HandlerFn>> {
        self.inner.handlers.take_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    /// The invariant of the poller's `unsafe`, through the loop: the poller
    /// watches the loop's duplicate, never the caller's descriptor, and
    /// `remove_handler` deletes the duplicate from it before dropping it.
    #[test]
    fn remove_handler_deletes_the_duplicate_before_closing_it() {
        let io_loop = IOLoop::new().unwrap();
        let (socket, _peer) = UnixStream::pair().unwrap();
        io_loop.add_handler(&socket, |_, _| (), READ).unwrap();
        let poller = io_loop.inner.poller.get().unwrap();
        let dup = io_loop
            .inner
            .handlers
            .registered_fd(socket.as_raw_fd())
            .unwrap();
        assert_ne!(dup, socket.as_raw_fd());
        assert!(poller.watched().contains(&dup));
        assert!(!poller.watched().contains(&socket.as_raw_fd()));
        io_loop.remove_handler(&socket);
        assert!(!poller.watched().contains(&dup));
        io_loop.close(true);
        IOLoop::clear_current();
    }

    #[test]
    fn masks_have_names() {
        assert_eq!(mask_name(READ), "READ");
        assert_eq!(mask_name(READ | WRITE), "READ|WRITE");
        assert_eq!(mask_name(READ | 0x10), "READ|ERROR");
        assert_eq!(mask_name(NONE), "NONE");
    }
}
