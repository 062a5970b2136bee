//! How deep coroutines may call each other synchronously before a first
//! step waits for the outermost frame (see `ch02_future::depth`).

use ch00_trace::{EventKind, emit};
use ch02_future::Future;
use ch02_future::depth::{Nesting, nested};
use ch04_runner::Coroutine;

/// What one coroutine called from another one's body counts against the
/// recursion limit.
///
/// Tornado 4.5.3 spends two Python frames there (the decorator's `wrapper`
/// and the generator frame that `next(result)` runs), so its 496th level
/// fails. Ours spends more stack per level than a `set_result` does (the
/// wrapper, the generator's `Lifecycle` with its `catch_panic`, the `async`
/// block's poll, the Runner): about 4 KiB in a debug build against about
/// 1 KiB per counted frame elsewhere. Counting 4 keeps the whole budget near
/// 1 MiB of stack whatever mixes of chains and coroutines a thread nests, so
/// a debug test on a 2 MiB thread never overflows. The price: from 250
/// levels to 495, where Tornado still finishes inline, our first steps wait
/// for the outermost frame (and the caller for the loop).
pub const START_FRAMES: usize = 4;

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
        emit(EventKind::Runner, || {
            format!(
                "coroutine f{} defers its first step: recursion limit",
                future.id()
            )
        });
    }
}
