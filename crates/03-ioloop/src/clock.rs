//! Where the loop's time comes from: the system clock, or a fake one that tests move by hand.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The source of [`IOLoop::time`](crate::IOLoop::time).
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop.initialize(impl, time_func=None)`:
///
/// ```python
/// self.time_func = time_func or time.time
/// ...
/// def time(self):
///     return self.time_func()
/// ```
///
/// Tornado's own tests pass a fake `time_func` (`TestPeriodicCallback`) to
/// control time. A Python test with a fake clock still *sleeps* in `poll()`
/// for as long as the next timeout is away in real time; ours does not:
/// [`Clock::idle`] lets a fake clock jump to the deadline instead.
///
/// # Example
///
/// ```
/// use ch03_ioloop::{Clock, FakeClock};
/// let clock = FakeClock::new(100.0);
/// assert_eq!(clock.time(), 100.0);
/// // The loop wants to wait 2.5 s for its next timeout: the fake clock
/// // moves there at once and asks for a poll that does not wait.
/// assert_eq!(clock.idle(2.5), 0.0);
/// assert_eq!(clock.time(), 102.5);
/// ```
// ANCHOR: clock
pub trait Clock {
    /// Now, in seconds, on this clock's scale (Tornado's `time_func()`).
    fn time(&self) -> f64;

    /// Called when the loop is about to wait `seconds` (more than zero) for
    /// its next timeout to come due. Returns how long to really wait in
    /// `poll()`. A real clock waits the whole time; a fake clock advances
    /// itself by `seconds` and returns 0, so timer tests run instantly.
    fn idle(&self, seconds: f64) -> f64 {
        seconds
    }

    /// The same, knowing the deadline the loop waits for: `seconds` is
    /// `deadline - time()`, or less (at most 3600, Tornado's
    /// `_POLL_TIMEOUT`). The loop calls this one; by default it is
    /// [`idle`](Clock::idle). A fake clock uses the deadline to land on it
    /// exactly, as `time() + seconds` may round short of it.
    fn idle_until(&self, deadline: f64, seconds: f64) -> f64 {
        let _ = deadline;
        self.idle(seconds)
    }
}
// ANCHOR_END: clock

/// The wall clock: seconds since 1970, as a float.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop.initialize`: `self.time_func =
/// time_func or time.time`. (Tornado 6 keeps `time.time()` for `IOLoop.time`
/// while asyncio schedules on `time.monotonic`.)
///
/// # Example
///
/// ```
/// use ch03_ioloop::{Clock, SystemClock};
/// assert!(SystemClock.time() > 1.0e9); // seconds since 1970
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn time(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }
}

/// A clock that only moves when told to: by a test (`advance`, `set`), or by
/// the loop when it would otherwise sleep until its next timeout.
///
/// Clones share the same time, so a test keeps one clone and gives the
/// other to [`IOLoop::with_clock`](crate::IOLoop::with_clock).
///
/// # Differences
///
/// Tornado has no such clock in the library (its tests build one with
/// `time_func`). Ours makes the loop skip the wait: with a `FakeClock`,
/// when the next timeout is `d` seconds away and nothing else is ready, the
/// loop advances the clock by `d` and polls without waiting. The order of
/// callbacks is exactly what a real clock gives, only faster. With no
/// timeout pending the loop still blocks in a real poll (for I/O or for
/// another thread's `add_callback`), and so it does when the only timeouts
/// left never come due (deadline +inf or NaN).
///
/// When the wait reaches the deadline the clock is *set* to the deadline,
/// not advanced by the difference, which can round short of it (from -1.0
/// to 1e-17 the sum is 0.0) and cost an extra iteration. A wait longer than
/// an hour advances an hour per iteration, as a real poll would wait; far
/// from zero, where an hour is lost in rounding (`1e20 + 3600.0 == 1e20`),
/// the clock jumps to the deadline instead of never moving.
///
/// # Example
///
/// ```
/// use ch03_ioloop::{Clock, FakeClock, IOLoop};
/// let clock = FakeClock::new(1000.0);
/// let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
/// let stopper = io_loop.clone();
/// io_loop.call_later(3600.0, move || stopper.stop());
/// io_loop.start().unwrap();            // returns at once: no real hour passes
/// assert_eq!(clock.time(), 4600.0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct FakeClock {
    now: Rc<Cell<f64>>,
}

impl FakeClock {
    /// A fake clock showing `start` seconds.
    pub fn new(start: f64) -> Self {
        FakeClock {
            now: Rc::new(Cell::new(start)),
        }
    }

    /// What the clock shows (the same as [`Clock::time`], without importing the trait).
    pub fn time(&self) -> f64 {
        self.now.get()
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: f64) {
        self.now.set(self.now.get() + seconds);
    }

    /// Sets the clock to `now` (it may go backwards, as a real clock can).
    pub fn set(&self, now: f64) {
        self.now.set(now);
    }
}

impl Clock for FakeClock {
    fn time(&self) -> f64 {
        FakeClock::time(self)
    }

    fn idle(&self, seconds: f64) -> f64 {
        self.advance(seconds);
        0.0
    }

    fn idle_until(&self, deadline: f64, seconds: f64) -> f64 {
        let now = self.time();
        let later = now + seconds;
        // Land on the deadline when the wait reaches it (the sum may round
        // short), or when the step is lost to rounding (the clock would
        // never move and the loop would spin).
        self.set(if seconds >= deadline - now || later <= now {
            deadline
        } else {
            later
        });
        0.0
    }
}
