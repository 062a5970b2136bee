//! A fake clock that fails a test whose loop spins (feature `clock`).

use std::cell::Cell;
use std::rc::Rc;

use ch03_ioloop::{Clock, FakeClock};

/// More clock reads than any guarded test program needs (each iteration
/// with a timeout pending reads the clock twice).
pub const MAX_READS: u32 = 1_000;

/// A [`FakeClock`] that counts its readings and panics past [`MAX_READS`]:
/// a loop that spins is stopped by the panic, which `start()` does not
/// catch, so the test fails instead of hanging.
#[derive(Clone)]
pub struct GuardedClock {
    /// The fake clock underneath: read it directly to check the time
    /// without counting a reading.
    pub clock: FakeClock,
    reads: Rc<Cell<u32>>,
}

impl GuardedClock {
    /// A guarded fake clock reading `start`.
    pub fn new(start: f64) -> Self {
        GuardedClock {
            clock: FakeClock::new(start),
            reads: Rc::new(Cell::new(0)),
        }
    }
}

impl Clock for GuardedClock {
    fn time(&self) -> f64 {
        self.reads.set(self.reads.get() + 1);
        assert!(
            self.reads.get() <= MAX_READS,
            "the loop spins: {MAX_READS} clock readings"
        );
        self.clock.time()
    }

    fn idle(&self, seconds: f64) -> f64 {
        self.clock.idle(seconds)
    }

    fn idle_until(&self, deadline: f64, seconds: f64) -> f64 {
        self.clock.idle_until(deadline, seconds)
    }
}
