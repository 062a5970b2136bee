//! Timeouts: `add_timeout`, `call_at`, `call_later`, `remove_timeout`, and the timer heap.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::rc::Rc;

use ch00_trace::{IdKind, Kind, emit, next_id};

use crate::callbacks::{CallbackReturn, Name, Task, task};
use crate::ioloop::IOLoop;

/// One scheduled timeout (Tornado's `_Timeout`: `deadline`, `callback`, `tdeadline`).
pub(crate) struct Timeout {
    /// When it is due, on the loop's clock (`IOLoop::time`).
    deadline: f64,
    /// Insertion number: breaks ties between equal deadlines in insertion
    /// order, as 4.5.3's `tdeadline = (deadline, next(_timeout_counter))`.
    seq: u64,
    /// Recording name (`t1`), 0 when not recording.
    id: u32,
    /// The callback; `None` once it ran or was removed. `remove_timeout`
    /// only clears it (lazy removal): the entry stays in the heap until it
    /// reaches the head or the heap is compacted.
    callback: RefCell<Option<Task>>,
}

impl Timeout {
    fn is_cancelled(&self) -> bool {
        self.callback.borrow().is_none()
    }
}

/// The handle `add_timeout` returns, for [`IOLoop::remove_timeout`].
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3 returns the `_Timeout` object itself and calls
/// it "an opaque handle that may be passed to `remove_timeout` to cancel".
///
/// # Example
///
/// ```
/// use ch03_ioloop::IOLoop;
/// let io_loop = IOLoop::new().unwrap();
/// let handle = io_loop.call_at(12.5, || ());
/// assert_eq!(handle.deadline(), 12.5);
/// io_loop.remove_timeout(&handle);
/// ```
#[derive(Clone)]
pub struct TimeoutHandle(Rc<Timeout>);

impl TimeoutHandle {
    /// When the timeout is (or was) due, on the loop's clock.
    pub fn deadline(&self) -> f64 {
        self.0.deadline
    }
}

impl fmt::Debug for TimeoutHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutHandle")
            .field("deadline", &self.0.deadline)
            .field("seq", &self.0.seq)
            .field("pending", &!self.0.is_cancelled())
            .finish()
    }
}

/// A heap entry ordered so that `BinaryHeap` (a max-heap) pops the smallest
/// `(deadline, seq)` first: Python's `heapq` is a min-heap.
///
/// The key is copied out of the `Timeout` into the entry, so the heap
/// compares without following a pointer. With 200,000 timers (benchmark S4)
/// the timeouts are scattered over megabytes, and chasing each `Rc` on every
/// comparison of a pop made cache misses most of the loop's time.
struct Entry {
    deadline: f64,
    seq: u64,
    timeout: Rc<Timeout>,
}

impl Entry {
    fn new(timeout: Rc<Timeout>) -> Self {
        Entry {
            deadline: sort_key(timeout.deadline),
            seq: timeout.seq,
            timeout,
        }
    }
}

/// The deadline the heap orders by: NaN counts as +inf, so it sorts after
/// every number (either sign of NaN: `total_cmp` alone puts a negative NaN
/// before -inf) and never comes due, while ties stay in insertion order.
/// PY: Tornado compares the NaN itself, and since every comparison with NaN
/// is false, `heapq` leaves it where it lands: at the head it starves every
/// later timeout and `max(0, min(nan, _POLL_TIMEOUT))` makes the poll spin.
fn sort_key(deadline: f64) -> f64 {
    if deadline.is_nan() {
        f64::INFINITY
    } else {
        deadline
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // PY: _Timeout.__lt__ compares self.tdeadline < other.tdeadline;
        // reversed here because BinaryHeap pops the greatest element.
        (other.deadline.total_cmp(&self.deadline)).then(other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// Tornado's `_timeouts`, `_cancellations` and `_timeout_counter` together.
#[derive(Default)]
pub(crate) struct Timeouts {
    /// The timer heap; may hold cancelled entries (lazy removal).
    heap: BinaryHeap<Entry>,
    /// `remove_timeout` calls not yet purged. Over-counts on purpose, as
    /// Tornado's does: removing a timeout that already ran still counts.
    cancellations: usize,
    /// The next insertion number (`itertools.count()`).
    counter: u64,
}

/// Compact the heap only when it holds more than this many cancellations...
const COMPACT_MIN_CANCELLATIONS: usize = 512;

impl Timeouts {
    pub(crate) fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The head's deadline, cancelled or not (Tornado looks at
    /// `_timeouts[0].deadline` without checking).
    pub(crate) fn head_deadline(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.deadline)
    }

    /// Empties the heap and takes every callback out of its timeout, for a
    /// loop that closes (which drops them outside any borrow): a
    /// `TimeoutHandle` kept elsewhere then holds no
    /// closure (which may hold what holds the handle, a cycle).
    pub(crate) fn take_callbacks(&mut self) -> Vec<Task> {
        std::mem::take(&mut self.heap)
            .into_iter()
            .filter_map(|e| e.timeout.callback.borrow_mut().take())
            .collect()
    }

    // ANCHOR: collect_due
    /// The first step of an iteration: pops cancelled heads and every due
    /// timeout, then compacts the heap if it is mostly cancellations.
    fn collect_due(&mut self, now: f64) -> Vec<Rc<Timeout>> {
        let mut due = Vec::new();
        while let Some(head) = self.heap.peek() {
            if head.timeout.is_cancelled() {
                // The timeout was cancelled. Note that the cancellation
                // check is repeated below for timeouts that are cancelled
                // by another timeout or callback.
                self.heap.pop();
                // Never below zero: every cancelled entry was counted.
                self.cancellations = self.cancellations.saturating_sub(1);
            } else if head.deadline <= now {
                due.extend(self.heap.pop().map(|e| e.timeout));
            } else {
                break;
            }
        }
        if self.cancellations > COMPACT_MIN_CANCELLATIONS
            && self.cancellations > (self.heap.len() >> 1)
        {
            // Clean up the timeout queue when it gets large and it's more
            // than half cancellations.
            self.cancellations = 0;
            self.heap.retain(|e| !e.timeout.is_cancelled());
        }
        due
    }
    // ANCHOR_END: collect_due
}

impl IOLoop {
    /// Runs `callback` at the time `deadline` (on the scale of [`IOLoop::time`]).
    ///
    /// Timeouts with equal deadlines run in the order they were added. A
    /// timeout added while the loop runs an iteration waits for the next
    /// iteration even if already due: the due set is chosen before anything
    /// runs. Returns a handle for [`remove_timeout`](IOLoop::remove_timeout).
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.call_at` and `_Timeout`:
    ///
    /// ```python
    /// def call_at(self, deadline, callback, *args, **kwargs):
    ///     timeout = _Timeout(deadline, functools.partial(
    ///         stack_context.wrap(callback), *args, **kwargs), self)
    ///     heapq.heappush(self._timeouts, timeout)
    ///     return timeout
    /// # _Timeout.__init__:
    ///     self.tdeadline = (deadline, next(io_loop._timeout_counter))
    /// ```
    ///
    /// A deadline that is not a finite number has a meaning of its own,
    /// the same for `add_timeout`, [`call_at`](IOLoop::call_at) and
    /// [`call_later`](IOLoop::call_later):
    ///
    /// - `+inf`: never fires (Tornado's `inf <= now` is never true); the
    ///   loop waits as if it were not there. Remove it to free it.
    /// - `-inf`: due at the next iteration, before every finite deadline.
    /// - NaN: never fires, like `+inf`, and sorts after every other deadline.
    ///
    /// # Differences
    ///
    /// Tornado's `add_timeout` also takes a `datetime.timedelta` (relative);
    /// here that is [`call_later`](IOLoop::call_later), and `add_timeout` is
    /// always absolute, like `call_at`.
    ///
    /// A NaN deadline in Tornado 4.5.3 never fires either, but it breaks the
    /// heap: every comparison with NaN is false, so a NaN at the head of
    /// `_timeouts` starves the timeouts added after it, and the poll timeout
    /// `max(0, min(nan, _POLL_TIMEOUT))` is 0, so the loop spins. Here it is
    /// ordered as `+inf` (the handle still reports NaN) and waits quietly.
    /// With only never-due timeouts left the loop polls as if it had none:
    /// 3600 s, and a [`FakeClock`](crate::FakeClock) does not move.
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// use std::{cell::RefCell, rc::Rc};
    ///
    /// let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    /// let order = Rc::new(RefCell::new(Vec::new()));
    /// for name in ["a", "b", "c"] {
    ///     let o = order.clone();
    ///     io_loop.add_timeout(5.0, move || o.borrow_mut().push(name));
    /// }
    /// let lp = io_loop.clone();
    /// io_loop.add_timeout(5.0, move || lp.stop());
    /// io_loop.start().unwrap();
    /// assert_eq!(*order.borrow(), ["a", "b", "c"]); // equal deadlines: FIFO
    /// ```
    pub fn add_timeout<R: CallbackReturn>(
        &self,
        deadline: f64,
        callback: impl FnOnce() -> R + 'static,
    ) -> TimeoutHandle {
        let inner = &*self.inner;
        let mut timeouts = inner.timeouts.borrow_mut();
        let seq = timeouts.counter;
        timeouts.counter += 1;
        let id = next_id(IdKind::Timeout);
        emit(Kind::Timeout, || format!("timeout t{id} added"));
        let timeout = Rc::new(Timeout {
            deadline,
            seq,
            id,
            callback: RefCell::new(Some(task(callback))),
        });
        // PY: after close() Tornado's heap is None and this would raise;
        // we hand back a handle that will never run.
        if !inner.closing.get() {
            timeouts.heap.push(Entry::new(timeout.clone()));
        }
        TimeoutHandle(timeout)
    }

    /// Runs `callback` at the absolute time `when`: the same as [`add_timeout`](IOLoop::add_timeout).
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.call_at(when, callback, *args, **kwargs)`:
    /// "Runs the callback at the absolute time designated by `when`."
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let io_loop = IOLoop::with_clock(FakeClock::new(10.0)).unwrap();
    /// let lp = io_loop.clone();
    /// io_loop.call_at(12.0, move || lp.stop());
    /// io_loop.start().unwrap();
    /// assert_eq!(io_loop.time(), 12.0);
    /// ```
    pub fn call_at<R: CallbackReturn>(
        &self,
        when: f64,
        callback: impl FnOnce() -> R + 'static,
    ) -> TimeoutHandle {
        self.add_timeout(when, callback)
    }

    /// Runs `callback` after `delay` seconds.
    ///
    /// The deadline is `self.time() + delay`, so a delay of `+inf` or NaN
    /// never fires and `-inf` is due at the next iteration (see
    /// [`add_timeout`](IOLoop::add_timeout)). Far from zero, a delay smaller
    /// than half the clock's resolution is lost in the sum and the timeout is
    /// due at once, as in Tornado.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `IOLoop.call_later`:
    ///
    /// ```python
    /// return self.call_at(self.time() + delay, callback, *args, **kwargs)
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let io_loop = IOLoop::with_clock(FakeClock::new(10.0)).unwrap();
    /// let lp = io_loop.clone();
    /// io_loop.call_later(0.5, move || lp.stop());
    /// io_loop.start().unwrap();
    /// assert_eq!(io_loop.time(), 10.5);
    /// ```
    pub fn call_later<R: CallbackReturn>(
        &self,
        delay: f64,
        callback: impl FnOnce() -> R + 'static,
    ) -> TimeoutHandle {
        self.call_at(self.time() + delay, callback)
    }

    /// Cancels a timeout. Safe to call after it ran, or twice.
    ///
    /// Removal is lazy: the callback is dropped at once, but the heap entry
    /// stays until it reaches the head of the heap, or until more than 512
    /// removals make up more than half of the heap, when the heap is
    /// rebuilt without them. A due timeout removed by a callback or an
    /// earlier timeout of the same iteration does not run.
    ///
    /// # Tornado
    ///
    /// `tornado/ioloop.py` 4.5.3, `PollIOLoop.remove_timeout`:
    ///
    /// ```python
    /// def remove_timeout(self, timeout):
    ///     # Removing from a heap is complicated, so just leave the defunct
    ///     # timeout object in the queue (see discussion in
    ///     # http://docs.python.org/library/heapq.html).
    ///     # If this turns out to be a problem, we could add a garbage
    ///     # collection pass whenever there are too many dead timeouts.
    ///     timeout.callback = None
    ///     self._cancellations += 1
    /// ```
    ///
    /// # Example
    ///
    /// ```
    /// use ch03_ioloop::{FakeClock, IOLoop};
    /// let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    /// let handle = io_loop.call_later::<()>(1.0, || panic!("removed: never runs"));
    /// io_loop.remove_timeout(&handle);
    /// assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (1, 1));
    /// let lp = io_loop.clone();
    /// io_loop.call_later(2.0, move || lp.stop());
    /// io_loop.start().unwrap();
    /// // The cancelled entry was popped when it reached the head of the heap.
    /// assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (0, 0));
    /// ```
    pub fn remove_timeout(&self, timeout: &TimeoutHandle) {
        let callback = timeout.0.callback.borrow_mut().take();
        self.inner.timeouts.borrow_mut().cancellations += 1;
        let id = timeout.0.id;
        emit(Kind::Timeout, || format!("timeout t{id} removed"));
        // Dropped here, outside every borrow: a closure's captures may do
        // anything when dropped.
        drop(callback);
    }

    /// How many entries the timer heap holds, cancelled ones included
    /// (Tornado's `len(io_loop._timeouts)`), to watch lazy removal at work.
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// io_loop.call_later(60.0, || ());
    /// assert_eq!(io_loop.timeouts_len(), 1);
    /// ```
    pub fn timeouts_len(&self) -> usize {
        self.inner.timeouts.borrow().heap.len()
    }

    /// Removals not yet purged from the heap (Tornado's `_cancellations`).
    ///
    /// ```
    /// use ch03_ioloop::IOLoop;
    /// let io_loop = IOLoop::new().unwrap();
    /// let t = io_loop.call_later(60.0, || ());
    /// io_loop.remove_timeout(&t);
    /// io_loop.remove_timeout(&t); // counted twice, as in Tornado
    /// assert_eq!(io_loop.cancellations(), 2);
    /// ```
    pub fn cancellations(&self) -> usize {
        self.inner.timeouts.borrow().cancellations
    }

    /// Step one of an iteration: the due timeouts, chosen before anything runs.
    pub(crate) fn collect_due_timeouts(&self) -> Vec<Rc<Timeout>> {
        if self.inner.timeouts.borrow().is_empty() {
            return Vec::new();
        }
        let now = self.time();
        self.inner.timeouts.borrow_mut().collect_due(now)
    }

    /// Runs a due timeout unless a callback or an earlier timeout of this
    /// iteration removed it.
    pub(crate) fn run_timeout(&self, timeout: &Timeout) {
        let callback = timeout.callback.borrow_mut().take();
        if let Some(task) = callback {
            let id = timeout.id;
            emit(Kind::Timeout, || format!("timeout t{id} fires"));
            self.run_task(task, Name { prefix: "t", id });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(deadline: f64, seq: u64) -> Entry {
        Entry::new(Rc::new(Timeout {
            deadline,
            seq,
            id: 0,
            callback: RefCell::new(Some(Box::new(|_: &IOLoop| Ok(())))),
        }))
    }

    #[test]
    fn heap_pops_by_deadline_then_insertion() {
        let mut t = Timeouts::default();
        for (d, s) in [(2.0, 0), (1.0, 1), (1.0, 2), (0.5, 3), (1.0, 4)] {
            t.heap.push(timeout(d, s));
        }
        let due: Vec<u64> = t.collect_due(10.0).iter().map(|t| t.seq).collect();
        assert_eq!(due, [3, 1, 2, 4, 0]);
    }

    /// NaN of either sign sorts after every number, +inf included, in
    /// insertion order with +inf, and is not due at any finite time.
    #[test]
    fn nan_sorts_after_every_deadline() {
        let mut t = Timeouts::default();
        for (d, s) in [
            (f64::NAN, 0),
            (-f64::NAN, 1),
            (f64::INFINITY, 2),
            (1.0, 3),
            (f64::NEG_INFINITY, 4),
        ] {
            t.heap.push(timeout(d, s));
        }
        let due: Vec<u64> = t.collect_due(f64::MAX).iter().map(|t| t.seq).collect();
        assert_eq!(due, [4, 3]);
        let rest: Vec<u64> = std::iter::from_fn(|| t.heap.pop().map(|e| e.seq)).collect();
        assert_eq!(rest, [0, 1, 2]);
    }

    /// With only never-due timeouts (+inf, NaN) the poll waits as with no
    /// timeout at all: 3600 s and no deadline, so a fake clock does not move
    /// and the loop does not spin (a NaN wait would poll with timeout 0).
    #[test]
    fn never_due_timeouts_poll_as_if_there_were_none() {
        let io_loop = IOLoop::with_clock(crate::FakeClock::new(5.0)).unwrap();
        io_loop.call_at(f64::INFINITY, || ());
        io_loop.call_later(f64::NAN, || ());
        io_loop.call_at(-f64::NAN, || ());
        assert_eq!(io_loop.poll_timeout(), (3600.0, None));
        io_loop.call_at(7.0, || ());
        assert_eq!(io_loop.poll_timeout(), (2.0, Some(7.0)));
        io_loop.call_at(f64::NEG_INFINITY, || ());
        assert_eq!(io_loop.poll_timeout(), (0.0, Some(f64::NEG_INFINITY)));
        io_loop.close(true);
    }

    #[test]
    fn nothing_is_due_before_its_deadline() {
        let mut t = Timeouts::default();
        t.heap.push(timeout(2.0, 0));
        assert!(t.collect_due(1.999).is_empty());
        assert_eq!(t.collect_due(2.0).len(), 1);
    }
}
