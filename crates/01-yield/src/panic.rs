//! Catching a panic where Python would catch an exception.
//!
//! Tornado wraps every callback in `try: ... except Exception: log(...)` so
//! one failing callback never takes the loop down. In Rust a failing callback
//! either returns an error (handled as a value) or panics; [`catch_panic`]
//! turns the panic into an [`Exception`] so the caller can log it and go on.
//!
//! Rust's default panic hook prints every panic to standard error, even the
//! ones we catch. That would scatter noise through the tour and the tests, so
//! the first call installs a hook that stays quiet while a `catch_panic` is
//! running on this thread (the caller logs the panic instead) and defers to
//! the previous hook otherwise.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::exception::{Exception, Panic};

thread_local! {
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

/// Runs `f`; a panic inside it comes back as `Err(Exception)` holding a
/// [`Panic`], and is not printed by the panic hook.
///
/// ```
/// use ch01_yield::{catch_panic, Panic};
/// let err = catch_panic(|| -> () { panic!("boom") }).unwrap_err();
/// assert_eq!(err.downcast_ref::<Panic>().unwrap().message, "boom");
/// ```
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Result<R, Exception> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(c.get() + 1));
    // The callbacks we run own their state; if one panics half-way, the state
    // it leaves behind is its own business, exactly as after a Python
    // exception. Hence AssertUnwindSafe.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| Exception::new(Panic::from_payload(payload)))
}
