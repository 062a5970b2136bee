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
//!
//! An unfinished exercise of the course's student edition, a
//! `todo!("ex03.2: ...")`, is not an exception of the program: `catch_panic`
//! lets its panic go on unwinding (and the hook prints it), so a test that
//! reaches one stops at once with the exercise's id, instead of logging it
//! and running on, or waiting for a result that never comes.
//!
//! # Differences
//!
//! A Python exception raised in a `finally` block while another exception is
//! propagating replaces it (the first one survives as `__context__`). In Rust
//! a panic inside a destructor that runs *while a panic unwinds* aborts the
//! process: nothing can catch it, `catch_panic` included. What the hook does
//! is make sure the abort does not hide the cause: the first panic, kept
//! quiet because a `catch_panic` was going to report it, is printed before
//! the second one and the abort.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

use crate::exception::{Exception, Panic};

thread_local! {
    /// How many `catch_panic` calls are running on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// The quiet panics now unwinding towards a `catch_panic`: that call's
    /// depth in `CATCHING`, and the panic's message. Pushed by the hook,
    /// removed when the `catch_panic` has caught it.
    static UNWINDING: RefCell<Vec<(u32, String)>> = const { RefCell::new(Vec::new()) };
    /// Is `UNWINDING` non-empty? Read on every return from `catch_panic`, so
    /// a call that did not panic costs one flag read, not a `Vec` access.
    static ANY_UNWINDING: Cell<bool> = const { Cell::new(false) };
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
            let depth = CATCHING.with(Cell::get);
            if depth == 0 || is_unfinished_exercise(info.payload()) {
                previous(info);
                return;
            }
            // A second panic at the same depth, before the first reached its
            // `catch_panic`: a destructor panicked during the unwinding, and
            // Rust is about to abort. Print the cause it would otherwise hide.
            // Printed once: Rust's own "panic in a destructor during
            // cleanup", which follows, only needs the previous hook.
            let first = UNWINDING.with(|u| match u.borrow_mut().last_mut() {
                Some((at, message)) if *at == depth => Some(std::mem::take(message)),
                _ => None,
            });
            if let Some(first) = first {
                if !first.is_empty() {
                    eprintln!(
                        "panic while unwinding from an earlier panic, which Rust cannot \
                         survive; the earlier panic was: {first}"
                    );
                }
                previous(info);
                return;
            }
            UNWINDING.with(|u| u.borrow_mut().push((depth, message_of(info))));
            ANY_UNWINDING.with(|any| any.set(true));
        }));
    });
    let depth = CATCHING.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    // The callbacks we run own their state; if one panics half-way, the state
    // it leaves behind is its own business, exactly as after a Python
    // exception. Hence AssertUnwindSafe.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    // Also forgets a record left at this depth by a panic that `f` caught
    // itself (with `catch_unwind`): that panic is over.
    caught(depth);
    // The payload is dropped while this call still counts as catching, so a
    // payload whose `Drop` panics stays quiet too (see `Panic::from_payload`).
    let result = result.map_err(|payload| {
        // An exception re-raised with `raise` comes back as itself.
        let payload = match payload.downcast::<Exception>() {
            Ok(exc) => {
                caught(depth);
                return *exc;
            }
            Err(payload) => payload,
        };
        if is_unfinished_exercise(&*payload) {
            CATCHING.with(|c| c.set(c.get() - 1));
            panic::resume_unwind(payload);
        }
        let panic = Panic::from_payload(payload);
        caught(depth);
        Exception::new(panic)
    });
    CATCHING.with(|c| c.set(c.get() - 1));
    result
}

/// Raises `exc` as Python's `raise` does: unwinds to the nearest
/// [`catch_panic`], which returns this very exception (not a [`Panic`]).
///
/// For machinery that must let an exception go on up the caller's stack
/// where the Rust signature has no `Result` to carry it: chapter 06's
/// `gen.Task` when its stack context declines an exception. The panic hook
/// is not run (`resume_unwind`), so nothing is printed.
///
/// ```
/// use ch01_yield::{PyError, catch_panic, raise};
/// let exc = catch_panic(|| raise(PyError::new("ValueError", "bad").into())).unwrap_err();
/// assert_eq!(exc.to_string(), "ValueError: bad");
/// ```
pub fn raise(exc: Exception) -> ! {
    panic::resume_unwind(Box::new(exc))
}

/// The panics that were unwinding towards the `catch_panic` at `depth` (or a
/// deeper one) have been caught: forget them.
fn caught(depth: u32) {
    if ANY_UNWINDING.with(Cell::get) {
        UNWINDING.with(|u| {
            let mut u = u.borrow_mut();
            u.retain(|(at, _)| *at < depth);
            ANY_UNWINDING.with(|any| any.set(!u.is_empty()));
        });
    }
}

/// Is this the panic of an unfinished exercise, `todo!("ex03.2: ...")`?
fn is_unfinished_exercise(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied());
    message
        .and_then(|m| m.strip_prefix("not yet implemented: ex"))
        .is_some_and(|rest| {
            rest.len() > 3
                && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
                && rest.as_bytes()[2] == b'.'
        })
}

/// The panic's message, as the default hook would print it.
fn message_of(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>");
    match info.location() {
        Some(at) => format!("{message} (at {at})"),
        None => message.to_string(),
    }
}
