//! The handler table and its pending events: the state behind `add_handler`, owned by the loop.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::os::fd::{OwnedFd, RawFd};
use std::rc::Rc;

use crate::poller::{NONE, READ, WRITE};

/// One entry of Tornado's `_handlers` dict (`fd -> (fileobj, handler)`).
///
/// Generic over the handler function so that the table needs nothing from
/// the loop (the loop stores its boxed closures).
pub(crate) struct Handler<F> {
    /// Recording name (`h1`).
    id: u32,
    /// What the handler asked for (READ, WRITE): to build its masks.
    events: u32,
    /// The loop's own duplicate of the caller's descriptor: what the poller
    /// watches. PY: Tornado keeps the caller's object (`fd_obj`) alive in
    /// `_handlers`; we keep the open file alive the same way, with a
    /// descriptor number the caller cannot close behind our back.
    registered: OwnedFd,
    /// Shared so that dispatch can call it while the handler removes
    /// itself (or others) from the table.
    func: Rc<RefCell<F>>,
    /// Tornado 6 only: how many times `update_handler` dropped READ, and
    /// WRITE. asyncio's `remove_reader`/`remove_writer` cancels the handle
    /// already queued for that kind, and adding it back makes a new one; a
    /// queued handle that saw another count was cancelled.
    dropped: [u32; 2],
}

impl<F> Handler<F> {
    pub(crate) fn new(id: u32, events: u32, registered: OwnedFd, func: F) -> Self {
        Handler {
            id,
            events,
            registered,
            func: Rc::new(RefCell::new(func)),
            dropped: [0, 0],
        }
    }

    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// The loop's duplicate, to delete from the poller before it closes.
    pub(crate) fn registered(&self) -> &OwnedFd {
        &self.registered
    }
}

/// The registered handlers, by the caller's descriptor number, and the
/// events of this iteration's poll not yet dispatched.
///
/// Owns the handlers, and with them the loop's duplicate of each
/// registered descriptor. It hands out the next pending event
/// ([`pop_event`](HandlerTable::pop_event)) and a shared reference to a
/// handler ([`handler`](HandlerTable::handler)) and never calls one: every
/// borrow ends inside a method, so the loop runs a handler with no borrow
/// held, and the handler may add or remove handlers, its own included.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop._handlers` (`fd -> (fd_obj,
/// handler)`) and `_events` (`fd -> events`, filled by `_impl.poll`).
///
/// # Invariant
///
/// A pending event whose handler was removed is gone too
/// ([`remove`](HandlerTable::remove) deletes both, as Tornado's
/// `remove_handler` pops `_events`). The duplicates are dropped only by
/// whoever took the handlers out of the table, after deleting them from
/// the poller (or after the poller itself is gone); see `poller.rs`.
pub(crate) struct HandlerTable<F> {
    /// `_handlers`: descriptor -> handler.
    handlers: RefCell<HashMap<RawFd, Handler<F>>>,
    /// `_events`: this poll's results not yet dispatched, popped from the
    /// end (Python's `dict.popitem()` is LIFO).
    events: RefCell<Vec<(RawFd, u32)>>,
}

impl<F> HandlerTable<F> {
    pub(crate) fn new() -> Self {
        HandlerTable {
            handlers: RefCell::new(HashMap::new()),
            events: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn contains(&self, fd: RawFd) -> bool {
        self.handlers.borrow().contains_key(&fd)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.handlers.borrow().is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.handlers.borrow().len()
    }

    /// `self._handlers[fd] = (obj, handler)`.
    pub(crate) fn insert(&self, fd: RawFd, handler: Handler<F>) {
        self.handlers.borrow_mut().insert(fd, handler);
    }

    /// Changes what `fd`'s handler listens for, after `modify` (the
    /// poller's `modify` on the duplicate) succeeded. `None` if `fd` has
    /// no handler; else the handler's id, or `modify`'s error.
    pub(crate) fn update(
        &self,
        fd: RawFd,
        events: u32,
        modify: impl FnOnce(&OwnedFd) -> io::Result<()>,
    ) -> Option<io::Result<u32>> {
        let mut handlers = self.handlers.borrow_mut();
        let handler = handlers.get_mut(&fd)?;
        Some(modify(&handler.registered).map(|()| {
            for (slot, kind) in [READ, WRITE].into_iter().enumerate() {
                if handler.events & kind != 0 && events & kind == 0 {
                    handler.dropped[slot] += 1;
                }
            }
            handler.events = events;
            handler.id
        }))
    }

    /// How many times `fd`'s handler stopped listening for `kind` (`READ` or
    /// `WRITE`) with `update_handler`; `None` if `fd` has no handler.
    pub(crate) fn dropped(&self, fd: RawFd, kind: u32) -> Option<u32> {
        let slot = usize::from(kind == WRITE);
        self.handlers.borrow().get(&fd).map(|h| h.dropped[slot])
    }

    /// `self._handlers.pop(fd, None); self._events.pop(fd, None)`. The
    /// caller deletes the duplicate from the poller, then drops the handler
    /// with no borrow held.
    pub(crate) fn remove(&self, fd: RawFd) -> Option<Handler<F>> {
        let removed = self.handlers.borrow_mut().remove(&fd);
        self.events
            .borrow_mut()
            .retain(|&(pending, _)| pending != fd);
        removed
    }

    /// The interest `fd`'s handler registered (`NONE` if it has none), to
    /// turn a poll result into its mask.
    pub(crate) fn interest(&self, fd: RawFd) -> u32 {
        self.handlers.borrow().get(&fd).map_or(NONE, |h| h.events)
    }

    /// `fd`'s readiness for `interest` now, asked of the loop's duplicate
    /// (see [`readiness`](crate::poller::readiness)); `None` if `fd` has no
    /// handler or the call fails. Runs no user code.
    pub(crate) fn readiness(&self, fd: RawFd, interest: u32) -> Option<u32> {
        let handlers = self.handlers.borrow();
        crate::poller::readiness(&handlers.get(&fd)?.registered, interest)
    }

    /// `fd`'s handler, to call with no borrow held: its id and function.
    pub(crate) fn handler(&self, fd: RawFd) -> Option<(u32, Rc<RefCell<F>>)> {
        self.handlers
            .borrow()
            .get(&fd)
            .map(|h| (h.id, h.func.clone()))
    }

    /// `self._events.update(event_pairs)`.
    pub(crate) fn add_events(&self, events: impl IntoIterator<Item = (RawFd, u32)>) {
        self.events.borrow_mut().extend(events);
    }

    /// `fd, events = self._events.popitem()`: the last one first.
    pub(crate) fn pop_event(&self) -> Option<(RawFd, u32)> {
        self.events.borrow_mut().pop()
    }

    /// Forgets the pending events (for `close`).
    /// This poll's events in the poller's order, taken out (Tornado 6
    /// dispatches them first to last; 4.5.3 pops the last first).
    pub(crate) fn take_events(&self) -> Vec<(RawFd, u32)> {
        std::mem::take(&mut *self.events.borrow_mut())
    }

    pub(crate) fn clear_events(&self) {
        self.events.borrow_mut().clear();
    }

    /// Takes every handler out of the table (for `close(true)` and the
    /// loop's drop), for the caller to drop with no borrow held.
    pub(crate) fn take_all(&self) -> Vec<Handler<F>> {
        let mut handlers = self.handlers.borrow_mut();
        handlers.drain().map(|(_, h)| h).collect()
    }

    /// The loop's duplicate of `fd`, by number (for tests of the poller's
    /// invariant).
    #[cfg(test)]
    pub(crate) fn registered_fd(&self, fd: RawFd) -> Option<RawFd> {
        use std::os::fd::AsRawFd;
        self.handlers
            .borrow()
            .get(&fd)
            .map(|h| h.registered.as_raw_fd())
    }
}
