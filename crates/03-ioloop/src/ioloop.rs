//! The loop itself: `IOLoop`, its state, `start`, `stop`, `close`, and one iteration.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::os::fd::RawFd;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use ch00_trace::{Era, EventKind, ObjectKind, emit, next_id, poll_completed};
use ch01_yield::Exception;

use crate::clock::{Clock, SystemClock};
use crate::error::IOLoopError;
use crate::handler_table::HandlerTable;
use crate::poller::{LoopPoller, Poller, tornado_mask};
use crate::queue::CallbackQueue;
use crate::remote::{Remote, RemoteLoop};
use crate::run_state::RunState;
use crate::timer_heap::Timeouts;

/// How long a poll may wait when nothing is scheduled (Tornado's `_POLL_TIMEOUT`).
const POLL_TIMEOUT: f64 = 3600.0;

/// A level-triggered I/O loop: Tornado 4.5.3's `PollIOLoop` on `polling`.
///
/// It runs three kinds of work, in a fixed order per iteration (see
/// [`start`](IOLoop::start)): callbacks ([`add_callback`](IOLoop::add_callback)),
/// timeouts ([`call_later`](IOLoop::call_later) and friends) and handlers of
/// file descriptors ([`add_handler`](IOLoop::add_handler)).
///
/// `IOLoop` is a cheap handle: `Clone` gives another handle to the *same*
/// loop (Python's reference semantics), which is how callbacks reach the
/// loop that runs them. It is `!Send`: only its own thread may touch it, as
/// Tornado's documentation demands; other threads use a
/// [`RemoteLoop`](crate::RemoteLoop).
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `class PollIOLoop(IOLoop)`, whose state is:
///
/// ```python
/// self._handlers = {}
/// self._events = {}
/// self._callbacks = collections.deque()
/// self._timeouts = []
/// self._cancellations = 0
/// self._running = False
/// self._stopped = False
/// self._closing = False
/// self._timeout_counter = itertools.count()
/// self._waker = Waker()
/// ```
///
/// # Example
///
/// ```
/// use ch03_ioloop::IOLoop;
///
/// let io_loop = IOLoop::new().unwrap();
/// let lp = io_loop.clone();
/// io_loop.add_callback(move || {
///     println!("running on the loop");
///     lp.stop();
/// });
/// io_loop.start().unwrap();
/// io_loop.close(false);
/// ```
#[derive(Clone)]
pub struct IOLoop {
    pub(crate) inner: Rc<Inner>,
}

/// A handle that does not keep its [`IOLoop`] alive, from [`IOLoop::downgrade`].
///
/// The loop's own machinery holds one wherever it has to remember a loop
/// inside something the loop itself may end up holding: `add_future`'s
/// done-callback, `run_sync`'s stoppers, chapter 04's `Runner`. A strong
/// handle there would make a cycle (loop -> timeout -> future ->
/// done-callback -> loop) that nothing breaks, and a loop dropped while
/// such work is pending would never release its descriptors.
///
/// # Tornado
///
/// None: Python's garbage collector frees such cycles; Rust's `Rc` cannot,
/// so we do not make them.
///
/// # Example
///
/// ```
/// use ch03_ioloop::IOLoop;
/// let io_loop = IOLoop::new().unwrap();
/// IOLoop::clear_current();
/// let weak = io_loop.downgrade();
/// assert!(weak.upgrade().is_some());
/// drop(io_loop);
/// assert!(weak.upgrade().is_none()); // the loop is gone
/// weak.add_callback(|| ()); // ignored, as after close()
/// ```
#[derive(Clone, Default)]
pub struct WeakIOLoop {
    inner: Weak<Inner>,
}

impl WeakIOLoop {
    /// The loop, if some strong handle still holds it.
    pub fn upgrade(&self) -> Option<IOLoop> {
        self.inner.upgrade().map(|inner| IOLoop { inner })
    }

    /// [`IOLoop::add_callback`] if the loop is still there; ignored if it is
    /// gone, as a closed loop ignores it.
    pub fn add_callback<R: crate::CallbackReturn>(&self, callback: impl FnOnce() -> R + 'static) {
        if let Some(io_loop) = self.upgrade() {
            io_loop.add_callback(callback);
        }
    }

    /// [`IOLoop::add_future`] if the loop is still there; ignored if it is
    /// gone (the future keeps no callback, so nothing holds on to `callback`).
    pub fn add_future<T: 'static, R: crate::CallbackReturn>(
        &self,
        future: &ch02_future::Future<T>,
        callback: impl FnOnce(ch02_future::Future<T>) -> R + 'static,
    ) {
        if let Some(io_loop) = self.upgrade() {
            io_loop.add_future(future, callback);
        }
    }
}

impl fmt::Debug for WeakIOLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakIOLoop")
            .field("alive", &(self.inner.strong_count() > 0))
            .finish()
    }
}

/// A callback with its return value already folded into `Result`: what the
/// callback queue, the timer heap and the remote inbox store. One box per
/// callback, and the loop passes itself in, so running one clones nothing.
pub(crate) type CallbackFn = Box<dyn LoopCallback>;

/// What the loop can do with a queued callback: run it, and name it.
///
/// A trait rather than `dyn FnOnce` so the name of the user's function
/// (its Rust type's name) comes from the vtable: it costs no space in the
/// box (a closure that captures nothing still allocates nothing), and is
/// read only when an exception is logged outside a recording.
///
/// [`add_callback`](IOLoop::add_callback) boxes a closure into one of these
/// for you. Implement it yourself only to queue a box you made, with
/// [`add_boxed_callback`](IOLoop::add_boxed_callback): `call` receives the
/// box itself, so a callback that is queued again and again (chapter 04's
/// Runner, once per `yield`) can hand its box back to its owner for the
/// next time instead of allocating a new one each time.
pub trait LoopCallback {
    /// Runs the callback on `io_loop`. An `Err` (or a panic) is logged as
    /// any callback's exception is.
    fn call(self: Box<Self>, io_loop: &IOLoop) -> Result<(), Exception>;
    /// What to call it in a log line when no recording names it.
    fn type_name(&self) -> &'static str;
}

/// A callback that needs the loop itself (the loop's own wrappers: a
/// stack context around a callback, `add_future`'s hand-over), logged under
/// the name of the user's code it runs.
pub(crate) struct LoopFn<F> {
    pub(crate) func: F,
    pub(crate) type_name: &'static str,
}

impl<F: FnOnce(&IOLoop) -> Result<(), Exception>> LoopCallback for LoopFn<F> {
    fn call(self: Box<Self>, io_loop: &IOLoop) -> Result<(), Exception> {
        (self.func)(io_loop)
    }

    fn type_name(&self) -> &'static str {
        self.type_name
    }
}

/// A callback another thread sent through a [`RemoteLoop`]; its type was
/// erased in the inbox.
struct RemoteCallback(Box<dyn FnOnce() + Send>);

impl LoopCallback for RemoteCallback {
    fn call(self: Box<Self>, _: &IOLoop) -> Result<(), Exception> {
        (self.0)();
        Ok(())
    }

    fn type_name(&self) -> &'static str {
        "<callback from another thread>"
    }
}

/// One entry of the callback queue (Tornado's `_callbacks` deque holds
/// `functools.partial` objects; ours hold the boxed function and its recording name).
pub(crate) struct Callback {
    pub(crate) id: u32,
    pub(crate) func: CallbackFn,
}

/// A handler as the loop stores it: the user's closure, its return value
/// folded into a `Result`.
pub(crate) type HandlerFn = Box<dyn FnMut(RawFd, u32, &IOLoop) -> Result<(), Exception>>;

/// The loop's state: one state type per concern.
///
/// Each state type (`queue.rs`, `timer_heap.rs`, `handler_table.rs`,
/// `poller.rs`, `remote.rs`, `run_state.rs`) owns its data behind its own `Cell`/`RefCell`,
/// borrows it only inside its methods, never takes the loop and never runs
/// user code: it hands out what is to run (a callback, a batch of due
/// timeouts, a handler) and the loop runs it with no borrow held. That is
/// how "no borrow is held while user code runs" holds everywhere: callbacks
/// run while the loop is running and call back into it.
pub(crate) struct Inner {
    /// `_callbacks`: callbacks waiting for their iteration, in order.
    pub(crate) callbacks: CallbackQueue<Callback>,
    /// `_timeouts`, `_cancellations`, `_timeout_counter`.
    pub(crate) timeouts: Timeouts<CallbackFn>,
    /// `_handlers` and `_events`: descriptor -> handler, and this poll's
    /// results not yet dispatched.
    pub(crate) handlers: HandlerTable<HandlerFn>,
    /// `_impl` and the waker's pending byte: `None` after `close()`.
    pub(crate) poller: LoopPoller,
    /// The inbox other threads add callbacks to (`_waker` + the deque).
    pub(crate) remote: Arc<Remote>,
    /// `time_func`.
    clock: Box<dyn Clock>,
    /// `_running`, `_stopped`, `_closing` and whether `start` has run.
    pub(crate) state: RunState,
    /// An override of `handle_callback_exception`, if one was set.
    pub(crate) callback_exception_hook: RefCell<Option<Rc<CallbackExceptionHook>>>,
    /// Whose rules this loop follows: 4.5.3's `PollIOLoop` or 6.6.1's
    /// `AsyncIOLoop` (see `asyncio.rs`). Fixed when the loop is made.
    pub(crate) era: Era,
}

impl Inner {
    /// The clock's `idle_until`: a fake clock jumps to `deadline` here.
    pub(crate) fn clock_idle_until(&self, deadline: f64, seconds: f64) -> f64 {
        self.clock.idle_until(deadline, seconds)
    }
}

/// What [`IOLoop::set_handle_callback_exception`] installs.
pub(crate) type CallbackExceptionHook = dyn Fn(&IOLoop, &dyn fmt::Display, &Exception);

impl IOLoop {
    /// A new loop on the system clock. It becomes this thread's current
    /// loop if the thread has none.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.initialize(make_current=None)`:
    ///
    /// ```python
    /// if make_current is None:
    ///     if IOLoop.current(instance=False) is None:
    ///         self.make_current()
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// assert!(!io_loop.is_running());
    /// ```
    pub fn new() -> io::Result<IOLoop> {
        IOLoop::with_clock(SystemClock)
    }

    /// A new loop whose [`time`](IOLoop::time) comes from `clock`, e.g. a
    /// [`FakeClock`](crate::FakeClock). Becomes current as [`new`](IOLoop::new) does.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.initialize(impl, time_func=None)`.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let io_loop = IOLoop::with_clock(FakeClock::new(42.0)).unwrap();
    /// assert_eq!(io_loop.time(), 42.0);
    /// ```
    pub fn with_clock(clock: impl Clock + 'static) -> io::Result<IOLoop> {
        let io_loop = IOLoop::unregistered(clock)?;
        if IOLoop::try_current().is_none() {
            io_loop.make_current();
        }
        Ok(io_loop)
    }

    /// A new loop on `clock`, made current or not as `make_current` says:
    /// Python's `IOLoop(make_current=...)`.
    ///
    /// - `None`: current if the thread has no current loop (what
    ///   [`new`](IOLoop::new) and [`with_clock`](IOLoop::with_clock) do);
    /// - `Some(true)`: current, and an error if the thread already has one;
    /// - `Some(false)`: not current. It is current only while it runs
    ///   (`start` makes it current and restores the previous one).
    ///
    /// # Errors
    ///
    /// [`IOLoopError::CurrentExists`] for `Some(true)` when the thread has
    /// a current loop: checked first, so no loop is made and the current
    /// one stays. [`IOLoopError::Io`] if the poller cannot be made.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.initialize(make_current=None)`,
    /// which `PollIOLoop.initialize` calls before it makes its poller:
    ///
    /// ```python
    /// if make_current is None:
    ///     if IOLoop.current(instance=False) is None:
    ///         self.make_current()
    /// elif make_current:
    ///     if IOLoop.current(instance=False) is not None:
    ///         raise RuntimeError("current IOLoop already exists")
    ///     self.make_current()
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{IOLoop, SystemClock};
    /// IOLoop::clear_current();
    /// let forced = IOLoop::with_options(SystemClock, Some(true)).unwrap();
    /// let err = IOLoop::with_options(SystemClock, Some(true)).unwrap_err();
    /// assert_eq!(err.to_string(), "RuntimeError: current IOLoop already exists");
    /// let quiet = IOLoop::with_options(SystemClock, Some(false)).unwrap();
    /// assert!(IOLoop::current().unwrap().ptr_eq(&forced));
    /// # drop(quiet);
    /// ```
    pub fn with_options(
        clock: impl Clock + 'static,
        make_current: Option<bool>,
    ) -> Result<IOLoop, IOLoopError> {
        let make_current = match make_current {
            None => IOLoop::try_current().is_none(),
            Some(true) if IOLoop::try_current().is_some() => {
                return Err(IOLoopError::CurrentExists);
            }
            Some(forced) => forced,
        };
        let io_loop = IOLoop::unregistered(clock)?;
        if make_current {
            io_loop.make_current();
        }
        Ok(io_loop)
    }

    /// A new loop, not made current (`PollIOLoop.initialize` without
    /// `IOLoop.initialize`).
    fn unregistered(clock: impl Clock + 'static) -> io::Result<IOLoop> {
        let poller = Poller::new()?;
        let remote = Arc::new(Remote::new(poller.clone()));
        Ok(IOLoop {
            inner: Rc::new(Inner {
                callbacks: CallbackQueue::new(),
                timeouts: Timeouts::new(),
                handlers: HandlerTable::new(),
                poller: LoopPoller::new(poller),
                remote,
                clock: Box::new(clock),
                state: RunState::default(),
                callback_exception_hook: RefCell::new(None),
                era: ch00_trace::era(),
            }),
        })
    }

    /// A handle other threads can use to add callbacks to this loop.
    ///
    /// # Tornado
    ///
    /// In `tornado/ioloop.py` 4.5.3 another thread simply holds the `IOLoop`
    /// (often `IOLoop.instance()`) and may call only its `add_callback`. See
    /// [`RemoteLoop`] for why that one method gets a type of its own.
    ///
    /// ```
    /// use ch03_ioloop::{IOLoop, RemoteLoop};
    /// fn is_send_sync<T: Send + Sync>(_: &T) {}
    /// let remote: RemoteLoop = IOLoop::new().unwrap().remote();
    /// is_send_sync(&remote);
    /// ```
    pub fn remote(&self) -> RemoteLoop {
        RemoteLoop::new(self.inner.remote.clone())
    }

    /// Now, on the loop's clock, in seconds.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.time`: `return self.time_func()`.
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let clock = FakeClock::new(5.0);
    /// let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
    /// clock.advance(1.5);
    /// assert_eq!(io_loop.time(), 6.5);
    /// ```
    pub fn time(&self) -> f64 {
        self.inner.clock.time()
    }

    /// A [`WeakIOLoop`]: a handle that does not keep this loop alive.
    pub fn downgrade(&self) -> WeakIOLoop {
        WeakIOLoop {
            inner: Rc::downgrade(&self.inner),
        }
    }

    /// Are these two handles the same loop (Python's `is`)?
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let a = IOLoop::new().unwrap();
    /// assert!(a.ptr_eq(&a.clone()));
    /// assert!(!a.ptr_eq(&IOLoop::new().unwrap()));
    /// ```
    /// Whose rules this loop follows: [`Era::Tornado4`] (Tornado 4.5.3's
    /// `PollIOLoop`, what this chapter builds) or [`Era::Tornado6`] (6.6.1's
    /// `AsyncIOLoop`), as [`ch00_trace::era`] said when the loop was made.
    ///
    /// ```
    /// use ch00_trace::{Era, with_era};
    /// use ch03_ioloop::IOLoop;
    /// let modern = with_era(Era::Tornado6, || IOLoop::new().unwrap());
    /// assert_eq!(modern.era(), Era::Tornado6);
    /// ```
    pub fn era(&self) -> Era {
        self.inner.era
    }

    /// Are these the same loop (Python's `is`)?
    pub fn ptr_eq(&self, other: &IOLoop) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    /// Is [`start`](IOLoop::start) running, and not yet told to stop?
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// let lp = io_loop.clone();
    /// io_loop.add_callback(move || { assert!(lp.is_running()); lp.stop() });
    /// io_loop.start().unwrap();
    /// assert!(!io_loop.is_running());
    /// ```
    pub fn is_running(&self) -> bool {
        self.inner.state.is_running()
    }

    /// Runs the loop until [`stop`](IOLoop::stop) is called.
    ///
    /// One iteration, exactly as Tornado 4.5.3's:
    ///
    /// 1. Count the queued callbacks (callbacks added from now on wait for
    ///    the next iteration).
    /// 2. If there are timeouts: read the clock once, pop cancelled heads and
    ///    collect every due timeout (timeouts added from now on wait too);
    ///    compact the heap if more than 512 removals are more than half of it.
    /// 3. Run the counted callbacks, then the due timeouts still not removed.
    /// 4. Choose the poll timeout: 0 if callbacks are queued, else until the
    ///    first timeout (with a fresh clock reading), at most 3600 s, else
    ///    3600 s. A first timeout that never comes due (+inf, NaN) counts
    ///    as none.
    /// 5. If `stop()` was called, return now: before the poll.
    /// 6. Poll, then run the handler of each ready descriptor, in the reverse
    ///    of the poller's order.
    ///
    /// # Differences
    ///
    /// When the poll of step 6 could only return at once with no event
    /// (timeout 0, no handler registered, no `stop()` wake-up pending), the
    /// loop skips its system calls, which on `polling` cost about 1 µs, and
    /// goes on as if it had polled. Nothing changes order; see
    /// `poll_would_be_empty` in `ioloop.rs` for why.
    ///
    /// While it runs, this loop is the thread's current loop; the previous
    /// current loop is restored when `start` returns. If `stop()` was called
    /// while the loop was not running, `start` returns at once and runs
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`IOLoopError::AlreadyRunning`] if called from inside the loop (Tornado's
    /// `test_reentrant`), [`IOLoopError::Closed`] after `close()`,
    /// [`IOLoopError::Io`] if polling fails.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.start` (abridged):
    ///
    /// ```python
    /// while True:
    ///     # Prevent IO event starvation by delaying new callbacks
    ///     # to the next iteration of the event loop.
    ///     ncallbacks = len(self._callbacks)
    ///     due_timeouts = []
    ///     if self._timeouts:
    ///         now = self.time()
    ///         while self._timeouts:
    ///             if self._timeouts[0].callback is None:
    ///                 heapq.heappop(self._timeouts); self._cancellations -= 1
    ///             elif self._timeouts[0].deadline <= now:
    ///                 due_timeouts.append(heapq.heappop(self._timeouts))
    ///             else:
    ///                 break
    ///         if (self._cancellations > 512 and
    ///                 self._cancellations > (len(self._timeouts) >> 1)):
    ///             ...  # rebuild the heap without cancelled timeouts
    ///     for i in range(ncallbacks):
    ///         self._run_callback(self._callbacks.popleft())
    ///     for timeout in due_timeouts:
    ///         if timeout.callback is not None:
    ///             self._run_callback(timeout.callback)
    ///     if self._callbacks: poll_timeout = 0.0
    ///     elif self._timeouts: poll_timeout = max(0, min(
    ///         self._timeouts[0].deadline - self.time(), _POLL_TIMEOUT))
    ///     else: poll_timeout = _POLL_TIMEOUT
    ///     if not self._running:
    ///         break
    ///     event_pairs = self._impl.poll(poll_timeout)
    ///     self._events.update(event_pairs)
    ///     while self._events:
    ///         fd, events = self._events.popitem()
    ///         fd_obj, handler_func = self._handlers[fd]
    ///         handler_func(fd_obj, events)
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// io_loop.stop();               // stop() before start() ...
    /// io_loop.add_callback::<()>(|| panic!("not run by the next start"));
    /// io_loop.start().unwrap();     // ... makes start() return at once
    /// ```
    pub fn start(&self) -> Result<(), IOLoopError> {
        if crate::stack_context::is_active() {
            // PY: `null_wrapper`: a callback captured with no stack context
            // runs with none (a wrapped one installs its own). Done once for
            // the whole run rather than per callback: only a loop started
            // inside a context gets here.
            return crate::stack_context::NullContext::run(|| self.start());
        }
        let inner = &*self.inner;
        if inner.era == Era::Tornado6 {
            // PY (asyncio): `_check_running`, then `run_forever`.
            if inner.state.is_running() {
                return Err(IOLoopError::EventLoopRunning);
            }
            if inner.state.is_closing() {
                return Err(IOLoopError::Closed);
            }
            let _running = Running::enter(self);
            return self.run_forever();
        }
        if !inner.state.begin_start()? {
            return Ok(());
        }
        let _running = Running::enter(self);
        while self.iteration()? {}
        Ok(())
    }

    /// Stops the loop after the current iteration's callbacks and due timeouts.
    ///
    /// The loop returns from [`start`](IOLoop::start) before its next poll,
    /// so no handler runs after `stop()` in that iteration. Callbacks added
    /// after `stop()` stay queued and run on the next `start()`. Called
    /// while the loop is not running, it makes the next `start()` return
    /// at once.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.stop`:
    ///
    /// ```python
    /// def stop(self):
    ///     self._running = False
    ///     self._stopped = True
    ///     self._waker.wake()
    /// ```
    ///
    /// The wake-up matters even on the loop's own thread, where the loop
    /// checks `running` before it polls anyway: nothing reads the waker
    /// before the loop breaks, so the *next* poll (of this `start()` or of
    /// the next one) returns at once, with no event. That costs one extra
    /// iteration, which shows in the `[it=N]` numbers: a second `run_sync`
    /// takes one poll more than the first (see the `ch03_run_sync`
    /// scenario). We wake the poller the same way, and a fake clock does not
    /// jump ahead for that poll.
    ///
    /// `stop` is not thread-safe (in Tornado either). From another thread,
    /// send it: `remote.add_callback(|| IOLoop::current().unwrap().stop())`.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// use std::{cell::Cell, rc::Rc};
    /// let io_loop = IOLoop::new().unwrap();
    /// let ran = Rc::new(Cell::new(0));
    /// let (lp, r) = (io_loop.clone(), ran.clone());
    /// io_loop.add_callback(move || lp.stop());
    /// io_loop.add_callback(move || r.set(r.get() + 1)); // same batch: still runs
    /// io_loop.start().unwrap();
    /// assert_eq!(ran.get(), 1);
    /// ```
    pub fn stop(&self) {
        let inner = &*self.inner;
        inner.state.stop();
        // PY: self._waker.wake(). Tornado 6's `asyncio_loop.stop()` only
        // sets `_stopping`: the next poll has timeout 0 anyway.
        if inner.era == Era::Tornado4 {
            self.wake();
        }
    }

    /// `self._waker.wake()`: the next poll returns at once. Tornado writes a
    /// byte each time and `consume()` reads them all; one notification
    /// until the next poll does the same.
    pub(crate) fn wake(&self) {
        self.inner.poller.wake();
    }

    /// Closes the loop and releases the descriptors it opened (the poller).
    ///
    /// Callbacks and timeouts not yet run are dropped, and later
    /// `add_callback` calls (from any thread) are ignored. With
    /// `all_fds = true` the handlers are dropped too, which closes the
    /// descriptors their closures own; with `false` they are kept until the
    /// loop itself is dropped. Call it after `start()` has returned.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.close`:
    ///
    /// ```python
    /// def close(self, all_fds=False):
    ///     self._closing = True
    ///     self.remove_handler(self._waker.fileno())
    ///     if all_fds:
    ///         for fd, handler in list(self._handlers.values()):
    ///             self.close_fd(fd)
    ///     self._waker.close()
    ///     self._impl.close()
    ///     self._callbacks = None
    ///     self._timeouts = None
    /// ```
    ///
    /// # Differences
    ///
    /// Rust closes a descriptor by dropping its owner, and the loop only
    /// owns its duplicates of the handlers' descriptors. So `all_fds` drops
    /// the *handlers*: their duplicates close, and so do the sockets their
    /// closures own. A descriptor owned elsewhere stays open (Tornado would
    /// `os.close` it). Dropping callbacks, timeouts and handlers also breaks
    /// the reference cycles of closures that hold a clone of the loop.
    ///
    /// Dropping the last handle of a loop that was never closed does what
    /// `close(true)` does: the poller, the handlers and the pending work are
    /// released, and [`RemoteLoop`]s refuse callbacks from then on.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// io_loop.close(true);
    /// io_loop.add_callback::<()>(|| panic!("ignored after close"));
    /// assert!(io_loop.start().is_err());
    /// ```
    pub fn close(&self, all_fds: bool) {
        let inner = &*self.inner;
        inner.state.close();
        // PY: remove the waker, close the waker and _impl: other threads
        // lose the poller first, then ours goes.
        inner.remote.close();
        let poller = inner.poller.close();
        drop(poller);
        inner.handlers.clear_events();
        // Everything below is dropped outside the borrows: closures may do
        // anything when dropped, including calling this loop.
        let callbacks = inner.callbacks.take_all();
        drop(callbacks);
        let timeouts = inner.timeouts.take_callbacks();
        drop(timeouts);
        if all_fds {
            // The poller is gone, so every descriptor has left it before
            // its owner (the handler's closure) closes it.
            let handlers = self.take_handlers();
            drop(handlers);
        }
    }

    // ANCHOR: iteration
    /// One iteration of `start`; `Ok(false)` when the loop should return.
    fn iteration(&self) -> Result<bool, IOLoopError> {
        let inner = &*self.inner;
        // PY: another thread's add_callback appended to the deque at once;
        // ours wait in the inbox until here.
        self.take_remote_callbacks();

        // Prevent IO event starvation by delaying new callbacks to the next
        // iteration of the event loop.
        let ncallbacks = inner.callbacks.len();

        // Add any timeouts that have come due to the callback list. Do not
        // run anything until we have determined which ones are ready, so
        // timeouts that call add_timeout cannot schedule anything in this
        // iteration.
        let due = self.collect_due_timeouts();

        // PY: for i in range(ncallbacks): self._run_callback(self._callbacks.popleft())
        self.run_callbacks(ncallbacks);
        for timeout in &due {
            self.run_timeout(timeout);
        }
        // Closures may be holding on to a lot of memory, so allow them to be
        // freed before we go into our poll wait.
        drop(due);

        let (poll_timeout, waiting_for) = self.poll_timeout();
        if !inner.state.is_running() {
            return Ok(false);
        }
        let poll_timeout = match waiting_for {
            // An earlier stop() woke the poller: this poll returns at once.
            _ if inner.poller.wake_pending() => 0.0,
            // A fake clock jumps to the deadline here instead of sleeping.
            Some(deadline) if poll_timeout > 0.0 => inner.clock.idle_until(deadline, poll_timeout),
            _ => poll_timeout,
        };
        // `min` also maps a NaN from a custom clock to the maximum: the
        // poller's `Duration` must never see NaN or infinity.
        self.poll(poll_timeout.min(POLL_TIMEOUT))?;
        self.dispatch();
        Ok(true)
    }
    // ANCHOR_END: iteration

    /// How long the coming poll may wait (finite, 0 to 3600 s), and the
    /// deadline it waits for, if it waits for a timeout.
    pub(crate) fn poll_timeout(&self) -> (f64, Option<f64>) {
        let inner = &*self.inner;
        if !inner.callbacks.is_empty() || inner.remote.has_items() {
            // If any callbacks or timeouts called add_callback, we don't
            // want to wait in poll() before we run them.
            return (0.0, None);
        }
        let head = inner.timeouts.head_deadline();
        // If there are any timeouts, schedule the first one. Use self.time()
        // instead of 'now' to account for time spent running callbacks.
        let wait = head.map(|deadline| (deadline, deadline - self.time()));
        match wait {
            // PY: max(0, min(poll_timeout, _POLL_TIMEOUT)). A head at +inf
            // (or NaN, kept as +inf) never comes due, and a NaN wait (a
            // clock at +inf) decides nothing: poll as if there were no
            // timeouts, rather than 0 (a spin) or a fake clock's endless
            // hour-long jumps.
            Some((deadline, wait)) if deadline < f64::INFINITY && !wait.is_nan() => {
                (wait.clamp(0.0, POLL_TIMEOUT), Some(deadline))
            }
            // No timeouts and no callbacks, so use the default.
            _ => (POLL_TIMEOUT, None),
        }
    }

    // ANCHOR: poll
    /// `event_pairs = self._impl.poll(poll_timeout); self._events.update(event_pairs)`,
    /// or the same result without the system calls when it cannot differ.
    pub(crate) fn poll(&self, timeout: f64) -> Result<(), IOLoopError> {
        let inner = &*self.inner;
        let n = if self.poll_would_be_empty(timeout) {
            // PY: Tornado polls here all the same; see `poll_would_be_empty`.
            inner.poller.get().ok_or(IOLoopError::Closed)?;
            0
        } else {
            // The poll consumes any wake-up (Tornado's `Waker.consume()`).
            inner.poller.poll(timeout, |event| {
                let fd = event.key as RawFd;
                let interest = inner.handlers.interest(fd);
                let exact = |interest| inner.handlers.readiness(fd, interest);
                match tornado_mask(event, interest, exact) {
                    // Only `EPOLLPRI`, which Tornado's epoll never reports.
                    (_, 0) => {}
                    pair => inner.handlers.add_events([pair]),
                }
            })?
        };
        emit(EventKind::Poll, || {
            let s = if n == 1 { "" } else { "s" };
            format!("poll: {n} event{s}")
        });
        poll_completed();
        Ok(())
    }

    /// Would this poll surely return at once with no event? Then the loop
    /// skips the system calls and goes on as if it had polled.
    ///
    /// Tornado polls on every iteration, even with callbacks waiting (timeout
    /// 0), and 4.5.3's `epoll.poll(0)` costs about 0.3 µs. On `polling` an
    /// empty `Poller::wait` costs about 1 µs (five system calls: re-arm its
    /// timer, wait, read and re-arm its notifier), which would be most of the
    /// price of an iteration that runs a single callback, as each coroutine
    /// step of the later chapters does (twice). So we skip it when all three
    /// hold:
    ///
    /// - the timeout is 0: callbacks are waiting (or a fake clock already
    ///   jumped to the next deadline), so the poll would not wait;
    /// - no handler is registered: only a handler's descriptor can report an
    ///   event. (Tornado's own waker is a handler too; ours is `polling`'s
    ///   notifier, which reports nothing.) With a handler, however idle, we
    ///   poll every iteration, exactly as Tornado does;
    /// - no wake-up is pending (from `stop()`, or an `add_callback` before
    ///   the first `start()`): that one must be consumed by a poll
    ///   now, as Tornado's waker byte is, or a later poll would return early
    ///   and the `[it=N]` count of the next `start()` would change.
    ///
    /// The order of everything is unchanged: the skipped poll would have
    /// returned 0 events, so nothing would have been dispatched, and the
    /// recording still marks the iteration boundary (`poll: 0 events`).
    /// Another thread's `add_callback` is still seen on the next iteration:
    /// `RemoteLoop` puts it in an inbox that the loop drains at the top of
    /// every iteration whether it polled or not. Its wake-up then stays
    /// unconsumed until the loop next really polls, which may return once
    /// early, with nothing: at most one extra empty iteration, at a moment
    /// that depends on thread timing anyway.
    fn poll_would_be_empty(&self, timeout: f64) -> bool {
        let inner = &*self.inner;
        timeout == 0.0 && !inner.poller.wake_pending() && inner.handlers.is_empty()
    }
    // ANCHOR_END: poll

    /// Moves other threads' callbacks from the inbox onto the queue, each
    /// named as it takes its place there.
    pub(crate) fn take_remote_callbacks(&self) {
        let batch = self.inner.remote.drain();
        if batch.is_empty() {
            return;
        }
        self.inner
            .callbacks
            .extend(batch.into_iter().map(|callback| {
                let id = next_id(ObjectKind::Callback);
                emit(EventKind::Callback, || {
                    format!("callback c{id} scheduled from another thread")
                });
                Callback {
                    id,
                    func: Box::new(RemoteCallback(callback)),
                }
            }));
    }

    // ANCHOR: dispatch
    /// Pop one fd at a time from the set of pending fds and run its handler.
    /// Since that handler may perform actions on other file descriptors,
    /// there may be reentrant calls to this IOLoop that modify `events`.
    fn dispatch(&self) {
        loop {
            // PY: fd, events = self._events.popitem(): the last one first.
            let next = self.inner.handlers.pop_event();
            let Some((fd, events)) = next else { break };
            // PY: fd_obj, handler_func = self._handlers[fd]. A handler
            // removed meanwhile took its pending event with it, so it is
            // there; taken out with no borrow held, since it may remove itself.
            let Some((id, handler)) = self.inner.handlers.handler(fd) else {
                continue;
            };
            self.run_handler(fd, events, id, &handler);
        }
    }
    // ANCHOR_END: dispatch
}

/// The last handle is gone: release what `close(true)` releases.
///
/// # Tornado
///
/// None: an unclosed `PollIOLoop` that Python collects leaves its epoll
/// object and waker pipe to their own finalizers. We close the inbox so
/// [`RemoteLoop`]s refuse callbacks, and drop the poller before the fields
/// drop, so every registration is forgotten before the handlers close
/// their duplicates (the invariant of `poller.rs`).
impl Drop for Inner {
    fn drop(&mut self) {
        self.state.close();
        self.remote.close();
        drop(self.poller.close());
        // A kept `TimeoutHandle` must not keep its callback (see `close`).
        drop(self.timeouts.take_callbacks());
    }
}

/// What `start` sets up and its `finally:` undoes.
struct Running<'a> {
    io_loop: &'a IOLoop,
    old_current: Option<IOLoop>,
}

impl<'a> Running<'a> {
    fn enter(io_loop: &'a IOLoop) -> Self {
        // PY: old_current = IOLoop._current.instance; IOLoop._current.instance = self
        let old_current = IOLoop::set_current(Some(io_loop.clone()));
        io_loop.inner.state.enter_running();
        Running {
            io_loop,
            old_current,
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.io_loop.inner.state.leave_running();
        let this = IOLoop::set_current(self.old_current.take());
        drop(this);
    }
}

impl fmt::Debug for IOLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("IOLoop")
            .field("running", &inner.state.is_running())
            .field("closing", &inner.state.is_closing())
            .field("callbacks", &inner.callbacks.len())
            .field("timeouts", &self.timeouts_len())
            .field("handlers", &inner.handlers.len())
            .finish()
    }
}
