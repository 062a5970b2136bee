//! Timeouts: `add_timeout`, `call_at`, `call_later`, `remove_timeout`, and the timer heap.

use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use ch00_trace::{EventKind, ObjectKind, emit, next_id};
use ch02_future::CallbackBatch;

use crate::callbacks::CallbackReturn;
use crate::ioloop::{CallbackFn, IOLoop};
use crate::timer_heap::Timeout;

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
pub struct TimeoutHandle(Rc<Timeout<CallbackFn>>);

impl TimeoutHandle {
    /// When the timeout is (or was) due, on the loop's clock.
    pub fn deadline(&self) -> f64 {
        self.0.deadline()
    }
}

impl fmt::Debug for TimeoutHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutHandle")
            .field("deadline", &self.0.deadline())
            .field("seq", &self.0.seq())
            .field("pending", &!self.0.is_cancelled())
            .finish()
    }
}

/// When a timeout added with [`IOLoop::add_timeout`] is due: at a time on
/// the loop's clock (an `f64`), or after a [`Duration`] from now.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `IOLoop.add_timeout` takes either:
///
/// ```python
/// if isinstance(deadline, numbers.Real):
///     return self.call_at(deadline, callback, *args, **kwargs)
/// elif isinstance(deadline, datetime.timedelta):
///     return self.call_at(self.time() + timedelta_to_seconds(deadline),
///                         callback, *args, **kwargs)
/// ```
///
/// # Differences
///
/// A `Duration` cannot be negative, NaN or infinite, as a `timedelta` can
/// be negative; a past or never-due time is written as an `f64` deadline,
/// whose rules are those of [`IOLoop::add_timeout`].
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use ch03_ioloop::{Deadline, FakeClock, IOLoop};
/// let io_loop = IOLoop::with_clock(FakeClock::new(10.0)).unwrap();
/// assert_eq!(Deadline::from(12.5), Deadline::At(12.5));
/// // A Duration is relative: 10.0 + 0.25.
/// let handle = io_loop.add_timeout(Duration::from_millis(250), || ());
/// assert_eq!(handle.deadline(), 10.25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Deadline {
    /// An absolute time on the scale of [`IOLoop::time`] (Python's number).
    At(f64),
    /// A delay from the time the timeout is added (Python's `timedelta`).
    After(Duration),
}

impl From<f64> for Deadline {
    fn from(when: f64) -> Self {
        Deadline::At(when)
    }
}

impl From<Duration> for Deadline {
    fn from(delay: Duration) -> Self {
        Deadline::After(delay)
    }
}

impl IOLoop {
    /// Runs `callback` at the time `deadline` (on the scale of [`IOLoop::time`]),
    /// or, given a [`Duration`], that long from now (see [`Deadline`]).
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
        deadline: impl Into<Deadline>,
        callback: impl FnOnce() -> R + 'static,
    ) -> TimeoutHandle {
        let deadline = match deadline.into() {
            Deadline::At(when) => when,
            // PY: self.time() + timedelta_to_seconds(deadline)
            Deadline::After(delay) => self.time() + delay.as_secs_f64(),
        };
        // PY (Tornado 6): `call_at` hands asyncio a delay, `max(0, when -
        // self.time())`, and asyncio's deadline is its clock plus that delay:
        // a deadline already past becomes "now", so it runs after every
        // timer already due instead of before them.
        let deadline = match self.inner.era {
            ch00_trace::Era::Tornado6 => {
                let now = self.time();
                let delay = deadline - now;
                now + if delay > 0.0 { delay } else { 0.0 }
            }
            ch00_trace::Era::Tornado4 => deadline,
        };
        let inner = &*self.inner;
        let id = next_id(ObjectKind::Timeout);
        emit(EventKind::Timeout, || format!("timeout t{id} added"));
        let timeout = inner.timeouts.new_timeout(
            deadline,
            id,
            // PY: `functools.partial(stack_context.wrap(callback), ...)`.
            crate::stack_context::wrap_user_callback(callback),
        );
        // PY: after close() Tornado's heap is None and this would raise;
        // we hand back a handle that will never run.
        if !inner.state.is_closing() {
            inner.timeouts.push(timeout.clone());
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
        let (callback, kept) = match self.inner.era {
            ch00_trace::Era::Tornado4 => self.inner.timeouts.cancel(&timeout.0),
            ch00_trace::Era::Tornado6 => self.inner.timeouts.cancel_asyncio(&timeout.0),
        };
        let id = timeout.0.id();
        emit(EventKind::Timeout, || format!("timeout t{id} removed"));
        // Dropped here, outside every borrow: a closure's captures may do
        // anything when dropped. Python frees it at once, even while a
        // batch of timeouts runs.
        ch02_future::released_now(|| drop((callback, kept)));
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
        self.inner.timeouts.len()
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
        self.inner.timeouts.cancellations()
    }

    /// Step one of an iteration: the due timeouts, chosen before anything runs.
    pub(crate) fn collect_due_timeouts(&self) -> Vec<Rc<Timeout<CallbackFn>>> {
        if self.inner.timeouts.is_empty() {
            return Vec::new();
        }
        let now = self.time();
        self.inner.timeouts.collect_due(now)
    }

    /// Runs a due timeout unless a callback or an earlier timeout of this
    /// iteration removed it.
    pub(crate) fn run_timeout(&self, timeout: &Timeout<CallbackFn>) {
        let callback = timeout.take_callback();
        if let Some(func) = callback {
            let id = timeout.id();
            emit(EventKind::Timeout, || format!("timeout t{id} fires"));
            // PY: the callback stays in `timeout.callback` after it ran: what
            // it captured lives as long as the timeout (see `CallbackBatch`).
            let batch = CallbackBatch::begin();
            batch.next();
            self.run_callback_fn(func, "t", id);
            timeout.keep(batch.finish());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
