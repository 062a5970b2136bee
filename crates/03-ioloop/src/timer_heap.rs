//! The timer heap: the state behind `add_timeout` and `remove_timeout`, owned by the loop.

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::rc::Rc;

use ch02_future::HeldReports;

/// One scheduled timeout (Tornado's `_Timeout`: `deadline`, `callback`, `tdeadline`).
///
/// Generic over the callback so that the heap needs nothing from the loop.
pub(crate) struct Timeout<T> {
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
    callback: RefCell<Option<T>>,
    /// Tornado 6 (asyncio's `TimerHandle._scheduled`): still in the heap.
    /// Only asyncio's count of cancellations reads it.
    scheduled: Cell<bool>,
    /// The never-retrieved reports of what the callback captured, once it
    /// ran. PY: 4.5.3 leaves `timeout.callback` set after running it, so
    /// the callback (and what it refers to) lives as long as the timeout
    /// object: the iteration's `due_timeouts` list, or a handle the program
    /// kept. `remove_timeout` lets go of it.
    /// Boxed, so a timeout that holds nothing back (nearly all) pays one
    /// word for it.
    kept: Cell<Option<Box<HeldReports>>>,
}

impl<T> Timeout<T> {
    pub(crate) fn deadline(&self) -> f64 {
        self.deadline
    }

    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }

    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.callback.borrow().is_none()
    }

    /// Keeps what the callback captured (its held-back reports) for as long
    /// as this timeout lives, as Python keeps `timeout.callback`.
    pub(crate) fn keep(&self, held: HeldReports) {
        if !held.is_empty() {
            self.kept.set(Some(Box::new(held)));
        }
    }

    /// The callback, for the loop to run (or drop) with no borrow held; the
    /// timeout is cancelled from then on (`timeout.callback = None`).
    pub(crate) fn take_callback(&self) -> Option<T> {
        self.callback.borrow_mut().take()
    }
}

/// A heap entry ordered so that `BinaryHeap` (a max-heap) pops the smallest
/// `(deadline, seq)` first: Python's `heapq` is a min-heap.
///
/// The key is copied out of the `Timeout` into the entry, so the heap
/// compares without following a pointer. With 200,000 timers (benchmark S4)
/// the timeouts are scattered over megabytes, and chasing each `Rc` on every
/// comparison of a pop made cache misses most of the loop's time.
struct Entry<T> {
    deadline: f64,
    seq: u64,
    timeout: Rc<Timeout<T>>,
}

impl<T> Entry<T> {
    fn new(timeout: Rc<Timeout<T>>) -> Self {
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

impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // PY: _Timeout.__lt__ compares self.tdeadline < other.tdeadline;
        // reversed here because BinaryHeap pops the greatest element.
        (other.deadline.total_cmp(&self.deadline)).then(other.seq.cmp(&self.seq))
    }
}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Entry<T> {}

/// The loop's timeouts: the heap, its cancellation count and the insertion
/// counter.
///
/// Owns the heap entries (each shares its [`Timeout`] with the handle
/// `add_timeout` returned). It hands out the due timeouts of an iteration
/// as a batch ([`collect_due`](Timeouts::collect_due)) and never runs a
/// callback: every borrow ends inside a method, so the loop runs them with
/// no borrow held.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop._timeouts` (a `heapq` list),
/// `_cancellations` and `_timeout_counter`.
///
/// # Invariant
///
/// The heap pops by `(deadline, seq)`, NaN as +inf; `cancellations` is at
/// least the number of cancelled entries still in the heap (it over-counts,
/// as Tornado's does), so the compaction rule of 4.5.3 holds.
pub(crate) struct Timeouts<T> {
    /// The timer heap; may hold cancelled entries (lazy removal).
    heap: RefCell<BinaryHeap<Entry<T>>>,
    /// `remove_timeout` calls not yet purged. Over-counts on purpose, as
    /// Tornado's does: removing a timeout that already ran still counts.
    cancellations: Cell<usize>,
    /// The next insertion number (`itertools.count()`).
    counter: Cell<u64>,
}

impl<T> Timeouts<T> {
    pub(crate) fn new() -> Self {
        Timeouts {
            heap: RefCell::new(BinaryHeap::new()),
            cancellations: Cell::new(0),
            counter: Cell::new(0),
        }
    }

    /// `_Timeout(deadline, callback, self)`: a timeout with the next
    /// insertion number, not yet in the heap.
    pub(crate) fn new_timeout(&self, deadline: f64, id: u32, callback: T) -> Rc<Timeout<T>> {
        let seq = self.counter.get();
        self.counter.set(seq + 1);
        Rc::new(Timeout {
            deadline,
            seq,
            id,
            callback: RefCell::new(Some(callback)),
            scheduled: Cell::new(false),
            kept: Cell::new(None),
        })
    }

    /// `heapq.heappush(self._timeouts, timeout)`.
    pub(crate) fn push(&self, timeout: Rc<Timeout<T>>) {
        timeout.scheduled.set(true);
        self.heap.borrow_mut().push(Entry::new(timeout));
    }

    /// `timeout.callback = None; self._cancellations += 1`. Returns the
    /// callback (or, if it ran, the reports of what it captured) for the
    /// caller to drop with no borrow held.
    pub(crate) fn cancel(&self, timeout: &Timeout<T>) -> (Option<T>, Option<Box<HeldReports>>) {
        let callback = timeout.take_callback();
        let kept = timeout.kept.take();
        self.cancellations.set(self.cancellations.get() + 1);
        (callback, kept)
    }

    /// Tornado 6's `remove_timeout`: asyncio's `TimerHandle.cancel()`. It
    /// counts the cancellation only for a timer still in the heap and not
    /// cancelled already (4.5.3 counts every call).
    pub(crate) fn cancel_asyncio(
        &self,
        timeout: &Timeout<T>,
    ) -> (Option<T>, Option<Box<HeldReports>>) {
        let callback = timeout.take_callback();
        let kept = timeout.kept.take();
        if callback.is_some() && timeout.scheduled.get() {
            self.cancellations.set(self.cancellations.get() + 1);
        }
        (callback, kept)
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.heap.borrow().is_empty()
    }

    /// `len(_timeouts)`, cancelled entries included.
    pub(crate) fn len(&self) -> usize {
        self.heap.borrow().len()
    }

    /// `_cancellations`.
    pub(crate) fn cancellations(&self) -> usize {
        self.cancellations.get()
    }

    /// The head's deadline, cancelled or not (Tornado looks at
    /// `_timeouts[0].deadline` without checking).
    #[inline]
    pub(crate) fn head_deadline(&self) -> Option<f64> {
        self.heap.borrow().peek().map(|e| e.deadline)
    }

    /// Empties the heap and takes every callback out of its timeout, for a
    /// loop that closes (which drops them outside any borrow): a
    /// `TimeoutHandle` kept elsewhere then holds no
    /// closure (which may hold what holds the handle, a cycle).
    pub(crate) fn take_callbacks(&self) -> Vec<T> {
        let heap = std::mem::take(&mut *self.heap.borrow_mut());
        heap.into_iter()
            .filter_map(|e| e.timeout.take_callback())
            .collect()
    }

    /// Tornado 6's first step of an iteration (asyncio's `_run_once`): if
    /// more than 100 timers are scheduled and more than half of them are
    /// cancelled, rebuild the heap without the cancelled ones; otherwise pop
    /// the cancelled ones at its head.
    ///
    /// The decision reads asyncio's count of cancelled timers
    /// (`_timer_cancelled_count`, kept in `cancellations` by `cancel_asyncio`),
    /// not the cancelled timers actually in the heap: a cancelled timer
    /// popped as due leaves the count as it was (see `collect_due_before`),
    /// and asyncio then rebuilds a heap that holds fewer cancelled timers
    /// than it counts.
    pub(crate) fn purge_cancelled_asyncio(&self) {
        const MIN_SCHEDULED_TIMER_HANDLES: usize = 100;
        const MIN_CANCELLED_TIMER_HANDLES_FRACTION: f64 = 0.5;
        let mut heap = self.heap.borrow_mut();
        let count = heap.len();
        if count > MIN_SCHEDULED_TIMER_HANDLES {
            let cancelled = self.cancellations.get();
            if cancelled as f64 / count as f64 > MIN_CANCELLED_TIMER_HANDLES_FRACTION {
                heap.retain(|e| {
                    let keep = !e.timeout.is_cancelled();
                    e.timeout.scheduled.set(keep);
                    keep
                });
                self.cancellations.set(0);
                return;
            }
        }
        while heap.peek().is_some_and(|head| head.timeout.is_cancelled()) {
            if let Some(entry) = heap.pop() {
                entry.timeout.scheduled.set(false);
            }
            self.cancellations
                .set(self.cancellations.get().saturating_sub(1));
        }
    }

    /// Tornado 6's due timers: every timer whose deadline is before
    /// `end_time`, popped in heap order (cancelled ones too: the loop skips
    /// them when their turn comes, as asyncio skips a cancelled handle).
    ///
    /// Equal deadlines come out in the order they were added, as in 4.5.3.
    /// asyncio's heap compares deadlines only, so its order for equal
    /// deadlines is whatever `heapq` leaves; with a real monotonic clock two
    /// timers rarely share a deadline. The course keeps them FIFO.
    pub(crate) fn collect_due_before(&self, end_time: f64) -> Vec<Rc<Timeout<T>>> {
        let mut heap = self.heap.borrow_mut();
        let mut due = Vec::new();
        while heap.peek().is_some_and(|head| head.deadline < end_time) {
            if let Some(entry) = heap.pop() {
                // PY: `handle._scheduled = False`; a cancelled one leaves the
                // count as it is (asyncio's count then stays one too high).
                entry.timeout.scheduled.set(false);
                due.push(entry.timeout);
            }
        }
        due
    }

    // ANCHOR: collect_due
    /// The first step of an iteration: pops cancelled heads and every due
    /// timeout, then compacts the heap if it is mostly cancellations.
    pub(crate) fn collect_due(&self, now: f64) -> Vec<Rc<Timeout<T>>> {
        // exercise ex03.2 begin (uses: self, now)
        // Compact the heap only when it holds more than this many cancellations...
        const COMPACT_MIN_CANCELLATIONS: usize = 512;
        let mut heap = self.heap.borrow_mut();
        let mut due = Vec::new();
        while let Some(head) = heap.peek() {
            if head.timeout.is_cancelled() {
                // The timeout was cancelled. Note that the cancellation
                // check is repeated below for timeouts that are cancelled
                // by another timeout or callback.
                heap.pop();
                // Never below zero: every cancelled entry was counted.
                self.cancellations
                    .set(self.cancellations.get().saturating_sub(1));
            } else if head.deadline <= now {
                due.extend(heap.pop().map(|e| e.timeout));
            } else {
                break;
            }
        }
        if self.cancellations.get() > COMPACT_MIN_CANCELLATIONS
            && self.cancellations.get() > (heap.len() >> 1)
        {
            // Clean up the timeout queue when it gets large and it's more
            // than half cancellations.
            self.cancellations.set(0);
            heap.retain(|e| !e.timeout.is_cancelled());
        }
        due
        // exercise ex03.2 end
    }
    // ANCHOR_END: collect_due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(t: &Timeouts<()>, deadline: f64) {
        t.push(t.new_timeout(deadline, 0, ()));
    }

    #[test]
    fn heap_pops_by_deadline_then_insertion() {
        let t = Timeouts::new();
        for d in [2.0, 1.0, 1.0, 0.5, 1.0] {
            push(&t, d);
        }
        let due: Vec<u64> = t.collect_due(10.0).iter().map(|t| t.seq).collect();
        assert_eq!(due, [3, 1, 2, 4, 0]);
    }

    /// NaN of either sign sorts after every number, +inf included, in
    /// insertion order with +inf, and is not due at any finite time.
    #[test]
    fn nan_sorts_after_every_deadline() {
        let t = Timeouts::new();
        for d in [f64::NAN, -f64::NAN, f64::INFINITY, 1.0, f64::NEG_INFINITY] {
            push(&t, d);
        }
        let due: Vec<u64> = t.collect_due(f64::MAX).iter().map(|t| t.seq).collect();
        assert_eq!(due, [4, 3]);
        let mut heap = t.heap.borrow_mut();
        let rest: Vec<u64> = std::iter::from_fn(|| heap.pop().map(|e| e.seq)).collect();
        assert_eq!(rest, [0, 1, 2]);
    }

    #[test]
    fn nothing_is_due_before_its_deadline() {
        let t = Timeouts::new();
        push(&t, 2.0);
        assert!(t.collect_due(1.999).is_empty());
        assert_eq!(t.collect_due(2.0).len(), 1);
    }
}
