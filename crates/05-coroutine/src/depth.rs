//! How deep coroutines may call each other synchronously before a first
//! step waits for the outermost frame (see `ch02_future::depth`).

use ch00_trace::{Kind, emit};
use ch02_future::Future;
use ch02_future::depth::{Nesting, nested};
use ch04_runner::Coroutine;

/// The fewest Python frames one coroutine called from another one's body
/// costs in Tornado 4.5.3: the decorator's `wrapper` and the generator frame
/// that `next(result)` runs.
pub const START_FRAMES: usize = 2;

/// Runs `step` (the body's first step) now, as Tornado does, unless this
/// thread is already nested as deep as Python's recursion limit (where
/// Tornado 4.5.3 fails the future with `RecursionError`). Then the step is
/// queued, the caller gets the future still pending, and the outermost
/// nesting frame runs the step before it returns: the stack stays bounded.
pub(crate) fn first_step<R: 'static>(
    future: &Future<R>,
    body: Coroutine<R>,
    step: fn(&Future<R>, Coroutine<R>),
) {
    let queued = future.clone();
    if nested(START_FRAMES, move || step(&queued, body)) == Nesting::Deferred {
        emit(Kind::Runner, || {
            format!(
                "coroutine f{} defers its first step: recursion limit",
                future.id()
            )
        });
    }
}
