//! The one thread-safe door into a loop: [`RemoteLoop::add_callback`] and the waker.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ch00_trace::{EventKind, emit};

use crate::poller::Poller;

/// A callback from another thread.
pub(crate) type RemoteCallback = Box<dyn FnOnce() + Send>;

/// What other threads share with the loop: an inbox and the poller to wake.
///
/// Owns the callbacks other threads added and not yet taken, and a handle
/// on the poller to wake. The loop takes them as a batch
/// ([`drain`](Remote::drain)) and queues them itself; no user code runs
/// under the lock.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop._waker` and the thread-safe
/// `_callbacks.append` of `add_callback`.
///
/// # Invariant
///
/// `has_items` is set whenever the inbox may hold callbacks; once closed
/// (`poller` is `None`) the inbox stays empty.
pub(crate) struct Remote {
    /// Set when the inbox has callbacks the loop has not taken yet. The
    /// loop reads it once per iteration, so its own path takes no lock
    /// unless another thread actually added something.
    has_items: AtomicBool,
    inbox: Mutex<Inbox>,
}

struct Inbox {
    callbacks: Vec<RemoteCallback>,
    /// The poller to wake; `None` once the loop is closed, which makes
    /// `add_callback` a no-op (Tornado 4.5.3: "if self._closing: return").
    poller: Option<Poller>,
}

impl Remote {
    pub(crate) fn new(poller: Poller) -> Self {
        Remote {
            has_items: AtomicBool::new(false),
            inbox: Mutex::new(Inbox {
                callbacks: Vec::new(),
                poller: Some(poller),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inbox> {
        // No user code runs under this lock, so it cannot be poisoned
        // half-way through anything that matters.
        self.inbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Are callbacks waiting? (Makes the loop poll without waiting.)
    pub(crate) fn has_items(&self) -> bool {
        self.has_items.load(Ordering::Acquire)
    }

    // ANCHOR: drain
    /// Takes the inbox, for the loop to move onto its callback queue. Called
    /// by the loop at the top of every iteration, before it counts the
    /// callbacks to run.
    pub(crate) fn drain(&self) -> Vec<RemoteCallback> {
        if !self.has_items() {
            return Vec::new();
        }
        let batch = {
            let mut inbox = self.lock();
            self.has_items.store(false, Ordering::Release);
            std::mem::take(&mut inbox.callbacks)
        };
        let n = batch.len();
        if n > 0 {
            emit(EventKind::Waker, || {
                let s = if n == 1 { "" } else { "s" };
                format!("waker woke: {n} callback{s} from another thread")
            });
        }
        batch
    }
    // ANCHOR_END: drain

    /// Refuses callbacks from now on and lets go of the poller.
    pub(crate) fn close(&self) {
        let dropped = {
            let mut inbox = self.lock();
            inbox.poller = None;
            self.has_items.store(false, Ordering::Release);
            std::mem::take(&mut inbox.callbacks)
        };
        // Dropped after the lock is released: a closure's captures may call
        // `add_callback` again when dropped.
        drop(dropped);
    }
}

/// A handle to an [`IOLoop`](crate::IOLoop) that other threads can hold: `Send`, `Sync`,
/// `Clone`, with the loop's one thread-safe method.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `IOLoop.add_callback`: "It is safe to call
/// this method from any thread at any time, except from a signal handler.
/// Note that this is the **only** method in `IOLoop` that makes this
/// thread-safety guarantee". `PollIOLoop` wakes a sleeping `poll()` by
/// writing a byte into its self-pipe, the `Waker`:
///
/// ```python
/// self._callbacks.append(functools.partial(
///     stack_context.wrap(callback), *args, **kwargs))
/// if thread.get_ident() != self._thread_ident:
///     # This will write one byte but Waker.consume() reads many
///     # at once, so it's ok to write even when not strictly
///     # necessary.
///     self._waker.wake()
/// ```
///
/// # Differences
///
/// - The thread-safe method lives on its own type: an `IOLoop` is `!Send`
///   and cannot reach another thread, so the compiler checks what Tornado's
///   docstring asks for. The closure must be `Send`; to touch the loop from
///   it, call [`IOLoop::current`](crate::IOLoop::current) (the loop is current while it runs), e.g.
///   `remote.add_callback(|| IOLoop::current().unwrap().stop())`, Tornado's
///   `io_loop.add_callback(io_loop.stop)`.
/// - The self-pipe of the generator article and Tornado (`os.pipe()`, a handler that
///   drains it) is replaced by the poller's own notifier
///   (`polling::Poller::notify`, an eventfd on Linux). We notify on every
///   call, as 4.5.3 wakes on every call; `polling` coalesces notifications
///   that arrive before the poll wakes, as Tornado's `consume()` drains all
///   bytes at once.
/// - Tornado appends to the loop's deque at once. Ours go to an inbox that
///   the loop moves onto its queue at the top of each iteration, right
///   before it counts the callbacks to run: that moment is where a remote
///   callback takes its place in the order (the recording says
///   `callback c3 scheduled from another thread` there). A remote callback
///   therefore always runs in the iteration after the one it arrived in,
///   or later, exactly as in Tornado, where it cannot join a batch already
///   counted.
///
/// # Example
///
/// ```
/// use ch03_ioloop::IOLoop;
///
/// let io_loop = IOLoop::new().unwrap();
/// let remote = io_loop.remote();
/// let thread = std::thread::spawn(move || {
///     remote.add_callback(|| println!("hello from the loop thread"));
///     remote.add_callback(|| IOLoop::current().unwrap().stop());
/// });
/// io_loop.start().unwrap(); // sleeps in poll until the thread wakes it
/// thread.join().unwrap();
/// ```
#[derive(Clone)]
pub struct RemoteLoop {
    shared: Arc<Remote>,
}

impl RemoteLoop {
    pub(crate) fn new(shared: Arc<Remote>) -> Self {
        RemoteLoop { shared }
    }

    /// Calls `callback` on the loop's thread, on a coming iteration, and
    /// wakes the loop if it is sleeping in `poll()`. Silently ignored (the
    /// closure dropped at once) once the loop is closed or dropped.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.add_callback` called from a
    /// thread that is not the loop's (see [`RemoteLoop`]).
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// let remote = io_loop.remote();
    /// std::thread::spawn(move || remote.add_callback(|| IOLoop::current().unwrap().stop()))
    ///     .join()
    ///     .unwrap();
    /// io_loop.start().unwrap();
    /// ```
    // ANCHOR: remote_add_callback
    pub fn add_callback(&self, callback: impl FnOnce() + Send + 'static) {
        let mut inbox = self.shared.lock();
        let Some(poller) = inbox.poller.clone() else {
            return; // closed
        };
        inbox.callbacks.push(Box::new(callback));
        self.shared.has_items.store(true, Ordering::Release);
        // PY: self._waker.wake(), on every call from another thread. Done
        // under the lock so that close() cannot drop the poller meanwhile.
        poller.notify();
    }
    // ANCHOR_END: remote_add_callback
}

impl fmt::Debug for RemoteLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteLoop").finish_non_exhaustive()
    }
}
