//! Depth is not a crash: a per-thread frame budget, and a queue of the work
//! that would have gone past it.
//!
//! Done-callbacks run inside `set_result`, a coroutine's first step runs
//! inside the call that made it, and dropping a future drops the futures its
//! callbacks hold: each of these nests one call inside another. Python
//! counts the nesting and raises `RecursionError` past
//! `sys.getrecursionlimit()` (1000 frames); Rust would overflow its stack
//! and abort the process.
//!
//! So every place that nests asks [`nested`] first, saying how many Python
//! frames Tornado 4.5.3 spends there at the very least. While the frames on
//! this thread stay within [`RECURSION_LIMIT`] the work runs inline, exactly
//! where Tornado runs it. Past it, where Tornado has already raised
//! `RecursionError`, the work is queued instead, and the outermost nesting
//! frame on this thread runs the queue, first in first out, before it
//! returns. The stack stays bounded whatever the depth, and a program that
//! Tornado can run keeps Tornado's order, since it never gets that deep.
//!
//! # Tornado
//!
//! No counterpart: Tornado relies on the interpreter's recursion limit. A
//! 333rd nested `_set_done` (`chain_future` over 333 links, resolved from the
//! head of a script) logs `RecursionError` as an exception in a
//! done-callback, and the rest of the chain stays pending forever; a 496th
//! nested coroutine fails its future with `RecursionError`, which every
//! caller re-raises. Dropping a long pending chain is fine in CPython, whose
//! deallocator flattens deep nesting ("trashcan").
//!
//! # Differences
//!
//! Past the limit the queued work runs later than Tornado would have run it
//! (had it not failed): after the outermost frame's own work, instead of
//! inside the frame that asked. The weights are lower bounds of Python's
//! frames, so our count never exceeds Python's for the same nesting.
//!
//! ```
//! use ch02_future::{Future, chain_future};
//!
//! // Tornado 4.5.3 gets 332 links deep; we resolve them all, on any stack.
//! let futures: Vec<Future<u32>> = (0..=2_000).map(|_| Future::new()).collect();
//! for pair in futures.windows(2) {
//!     chain_future(&pair[0], &pair[1]);
//! }
//! futures[0].set_result(7).unwrap();
//! assert!(futures.iter().all(|f| f.result().unwrap() == 7));
//! ```

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

/// Python's default `sys.getrecursionlimit()`: the frames a thread may nest
/// before we stop nesting and queue the work instead, unless
/// [`set_recursion_limit`] changed it for the thread.
pub const RECURSION_LIMIT: usize = 1000;

/// The fewest Python frames one nested `_set_done` costs in Tornado 4.5.3:
/// the done-callback, the `set_result` (or `set_exc_info`) it calls, and
/// `_set_done` itself.
pub const SET_DONE_FRAMES: usize = 3;

/// What dropping one future's pending done-callbacks counts for. CPython
/// frees nested objects without Python frames, so there is no order to keep;
/// three keeps a deep drop's stack (about 0.4 MiB in a debug build) in the
/// range of the other kinds of nesting.
pub const DROP_FRAMES: usize = 3;

/// Where [`nested`] ran the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// Right away, inside the call, as Tornado does.
    Inline,
    /// Queued: the outermost nesting frame of this thread runs it before it
    /// returns.
    Deferred,
}

/// A piece of work waiting in the queue, with the frames it counts for.
type Queued = (usize, Box<dyn FnOnce()>);

thread_local! {
    /// The frames counted on this thread right now.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// This thread's limit.
    static LIMIT: Cell<usize> = const { Cell::new(RECURSION_LIMIT) };
    /// The work that would have gone past the limit, oldest first.
    static QUEUE: RefCell<VecDeque<Queued>> = RefCell::new(VecDeque::new());
    /// The deepest count reached since the last [`take_max_depth`].
    static MAX_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Runs `work` inline if `frames` more frames still fit under this thread's
/// [`recursion_limit`], queues it otherwise. A call made with
/// nothing counted (the outermost one) also runs the queue, until it is
/// empty, before it returns.
///
/// ```
/// use ch02_future::depth::{Nesting, nested};
///
/// assert_eq!(nested(3, || {}), Nesting::Inline);
/// ```
pub fn nested(frames: usize, work: impl FnOnce() + 'static) -> Nesting {
    // A thread being torn down has no counter left: run the work inline.
    let Ok(depth) = DEPTH.try_with(Cell::get) else {
        work();
        return Nesting::Inline;
    };
    if depth > 0 && depth + frames > recursion_limit() {
        let mut work = Some(work);
        // `try_with`: a future dropped while the thread's locals are being
        // destroyed finds no queue, and is dropped inline.
        let _ = QUEUE.try_with(|queue| {
            if let Some(work) = work.take() {
                queue.borrow_mut().push_back((frames, Box::new(work)));
            }
        });
        match work {
            None => return Nesting::Deferred,
            Some(work) => work(),
        }
        return Nesting::Inline;
    }
    run_counted(depth, frames, work);
    if depth == 0 {
        // The trampoline (Python has none: it raises). Each queued piece of work
        // starts again from here, with nothing counted below it.
        while let Some((frames, next)) = QUEUE
            .try_with(|queue| queue.borrow_mut().pop_front())
            .ok()
            .flatten()
        {
            run_counted(0, frames, next);
        }
    }
    Nesting::Inline
}

/// Runs `work` with `frames` more counted; the count comes back down even if
/// `work` panics.
fn run_counted(depth: usize, frames: usize, work: impl FnOnce()) {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(depth);
    DEPTH.with(|d| d.set(depth + frames));
    let _ = MAX_DEPTH.try_with(|m| m.set(m.get().max(depth + frames)));
    work();
}

/// This thread's limit: [`RECURSION_LIMIT`] unless set otherwise.
///
/// # Tornado
///
/// Python's `sys.getrecursionlimit()`.
pub fn recursion_limit() -> usize {
    LIMIT.with(Cell::get)
}

/// Sets this thread's limit, as Python's `sys.setrecursionlimit(limit)`
/// does for the interpreter; returns the previous one.
///
/// The stack that deep nesting can use is proportional to the limit: about
/// 1 to 1.4 MiB at the default in a debug build (0.3 to 0.45 MiB in
/// release); a thread with a small stack lowers it. Below the default,
/// programs nested deeper than the new limit but less deep than Tornado's
/// own limit no longer run in Tornado's order.
///
/// # Tornado
///
/// Python's `sys.setrecursionlimit(limit)`.
pub fn set_recursion_limit(limit: usize) -> usize {
    LIMIT.with(|l| l.replace(limit))
}

/// The frames counted on this thread right now (0 outside any nesting).
pub fn depth() -> usize {
    DEPTH.with(Cell::get)
}

/// The deepest count this thread reached since the last call, which resets
/// it: what tests use to show the count never passed the limit.
pub fn take_max_depth() -> usize {
    MAX_DEPTH.with(|m| m.replace(0))
}
