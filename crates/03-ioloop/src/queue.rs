//! The callback queue: the state behind `add_callback`, owned by the loop.

use std::cell::RefCell;
use std::collections::VecDeque;

/// Callbacks waiting for their iteration, in the order they were added.
///
/// Owns the queued callbacks and nothing else. It hands them out one at a
/// time ([`pop_front`](CallbackQueue::pop_front)) and never runs one: every
/// borrow of the queue ends inside a method, so the loop runs each callback
/// with no borrow held, and the callback may add to the queue or close the
/// loop. Generic over the entry so that it needs nothing from the loop
/// (the loop stores its `Callback`s).
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop._callbacks = collections.deque()`.
///
/// # Invariant
///
/// Entries leave in the order they came (FIFO); after [`take_all`](CallbackQueue::take_all)
/// the queue is empty until the next [`push_back`](CallbackQueue::push_back).
pub(crate) struct CallbackQueue<T> {
    /// The deque; borrowed only inside this type's methods.
    queue: RefCell<VecDeque<T>>,
}

impl<T> CallbackQueue<T> {
    pub(crate) fn new() -> Self {
        CallbackQueue {
            queue: RefCell::new(VecDeque::new()),
        }
    }

    /// `_callbacks.append(callback)`.
    #[inline]
    pub(crate) fn push_back(&self, entry: T) {
        self.queue.borrow_mut().push_back(entry);
    }

    /// Appends a whole batch (another thread's callbacks, see `remote.rs`).
    pub(crate) fn extend(&self, entries: impl IntoIterator<Item = T>) {
        self.queue.borrow_mut().extend(entries);
    }

    /// `_callbacks.popleft()`: the next callback to run, for the caller to
    /// run after this borrow has ended.
    #[inline]
    pub(crate) fn pop_front(&self) -> Option<T> {
        self.queue.borrow_mut().pop_front()
    }

    /// `len(_callbacks)`.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.queue.borrow().len()
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.queue.borrow().is_empty()
    }

    /// Empties the queue (for `close`): the caller drops the entries after
    /// the borrow has ended, since a closure's captures may do anything
    /// when dropped.
    pub(crate) fn take_all(&self) -> VecDeque<T> {
        std::mem::take(&mut *self.queue.borrow_mut())
    }
}
