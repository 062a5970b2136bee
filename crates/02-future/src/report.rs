//! When a failed future that nobody looked at is reported: where Python
//! would free its last reference.
//!
//! Tornado 4.5.3 logs "Future exception was never retrieved" from
//! `Future.__del__`, when CPython frees the future. A Python callback keeps
//! everything its closure refers to until the callback object itself is
//! freed, and two of Tornado's loops keep a whole batch of callbacks alive
//! until the batch is over:
//!
//! - `Future._set_done` runs `for cb in self._callbacks: ...` and only then
//!   sets `self._callbacks = None`: every done-callback, with what it
//!   captured, lives until the last one has run;
//! - `PollIOLoop.start` runs the iteration's `due_timeouts` and only then
//!   sets `due_timeouts = timeout = None`.
//!
//! A Rust callback is an `FnOnce`: calling it consumes it, so what it
//! captured is dropped when its body returns, one callback too early. A
//! [`CallbackBatch`] puts the report back where Python makes it: while a
//! batch runs, the report of a future dropped during one of its callbacks,
//! and failed *before* that callback started (so the callback could have
//! captured it), waits until the batch ends; a future the callback itself
//! failed (a local of its body) is reported at once, as Python frees a
//! frame's locals when the frame returns. [`released_now`] marks the drops
//! that free what Python frees at once even inside a batch: `remove_timeout`
//! and `remove_handler` let go of a callback that is not running.
//!
//! # Differences
//!
//! A future failed before the running callback started and dropped by it
//! without having been captured (taken out of a shared list, say) is
//! reported at the end of the batch; Python, which frees it at once, reports
//! it there and then.

use std::cell::{Cell, RefCell};

use ch01_yield::Exception;

thread_local! {
    /// Counts `set_exception` calls on this thread: a failure's stamp.
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    /// The batches running on this thread, innermost last.
    static BATCHES: RefCell<Vec<Batch>> = const { RefCell::new(Vec::new()) };
}

/// One running batch: the stamp when its current callback started, and the
/// reports it holds back.
struct Batch {
    /// Futures failed at or before this stamp may be captures of the
    /// running callback. 0: hold nothing back ([`released_now`]).
    started: u32,
    held: Vec<(u32, Exception)>,
}

/// A failure's stamp, for [`Inner::log_traceback`](crate::Future): never 0.
pub(crate) fn stamp() -> u32 {
    // `try_with`: a future may fail or drop while the thread's locals are
    // being destroyed (one held by another thread-local); then stamp 1.
    FAILURES
        .try_with(|n| {
            let next = n.get().wrapping_add(1).max(1);
            n.set(next);
            next
        })
        .unwrap_or(1)
}

/// Reports future `id`, failed with `exc` at `failed_at`, as never
/// retrieved: now, or when the innermost running batch ends.
pub(crate) fn never_retrieved(id: u32, failed_at: u32, exc: &Exception) {
    let held = BATCHES
        .try_with(|batches| match batches.try_borrow_mut() {
            Ok(mut batches) => match batches.last_mut() {
                Some(batch) if failed_at <= batch.started => {
                    batch.held.push((id, exc.clone()));
                    true
                }
                _ => false,
            },
            Err(_) => false,
        })
        .unwrap_or(false);
    if !held {
        log(id, exc);
    }
}

fn log(id: u32, exc: &Exception) {
    // Tornado 6's future is asyncio's, which reports on logger `asyncio`.
    if crate::asyncio::has_event_loop() {
        log::error!(target: "asyncio", "Future f{id} exception was never retrieved: {exc}");
    } else {
        log::error!(
            target: "tornado.application",
            "Future f{id} exception was never retrieved: {exc}"
        );
    }
}

/// A batch of callbacks that Python would keep alive until the last one has
/// run: the never-retrieved reports of what their captures held come when
/// the batch is dropped.
///
/// Call [`next`](CallbackBatch::next) before each callback of the batch.
///
/// # Tornado
///
/// `tornado/concurrent.py` 4.5.3, `Future._set_done` (`self._callbacks =
/// None` after the loop) and `tornado/ioloop.py`, `PollIOLoop.start`:
///
/// ```python
/// for timeout in due_timeouts:
///     if timeout.callback is not None:
///         self._run_callback(timeout.callback)
/// # Closures may be holding on to a lot of memory, so allow
/// # them to be freed before we go into our poll wait.
/// due_timeouts = timeout = None
/// ```
///
/// # Example
///
/// ```
/// use ch02_future::{CallbackBatch, Future, PyError};
///
/// let failed: Future<()> = Future::new();
/// failed.set_exception(PyError::new("ValueError", "captured")).unwrap();
/// let batch = CallbackBatch::begin();
/// batch.next();
/// let callback = move || drop(failed); // a callback's capture
/// callback(); // not reported yet: Python's batch still holds it
/// drop(batch); // "Future exception was never retrieved" is logged here
/// ```
pub struct CallbackBatch {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl CallbackBatch {
    /// A batch begins: nothing is held back until [`next`](CallbackBatch::next).
    pub fn begin() -> Self {
        push(0);
        CallbackBatch {
            _not_send: std::marker::PhantomData,
        }
    }

    /// The next callback of the batch is about to run.
    pub fn next(&self) {
        let now = FAILURES.try_with(Cell::get).unwrap_or(0);
        let _ = BATCHES.try_with(|batches| {
            if let Some(batch) = batches.borrow_mut().last_mut() {
                batch.started = now;
            }
        });
    }
}

impl CallbackBatch {
    /// Ends the batch, handing over the reports it held back, for whoever
    /// Python would have keep the callbacks alive: they are made when the
    /// [`HeldReports`] is dropped. A timeout that ran keeps its callback as
    /// long as the timeout object lives (4.5.3 never clears
    /// `timeout.callback` after running it).
    pub fn finish(self) -> HeldReports {
        let held = pop();
        std::mem::forget(self);
        HeldReports(held)
    }
}

impl Drop for CallbackBatch {
    /// The batch is freed: the reports it held back are made, in the order
    /// the futures were dropped.
    fn drop(&mut self) {
        drop(HeldReports(pop()));
    }
}

/// Never-retrieved reports held back for a callback that Python would
/// still keep alive: made, in order, when this is dropped (at once, even
/// inside a running batch).
#[derive(Default)]
pub struct HeldReports(Vec<(u32, Exception)>);

impl HeldReports {
    /// Nothing was held back.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for HeldReports {
    fn drop(&mut self) {
        // At once, even inside a batch: the owner (a timeout handle) is
        // let go of explicitly far more often than captured by a callback.
        for (id, exc) in self.0.drain(..) {
            log(id, &exc);
        }
    }
}

fn push(started: u32) {
    let _ = BATCHES.try_with(|batches| {
        batches.borrow_mut().push(Batch {
            started,
            held: Vec::new(),
        })
    });
}

fn pop() -> Vec<(u32, Exception)> {
    BATCHES
        .try_with(|batches| batches.borrow_mut().pop().map(|b| b.held))
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Runs `release` (a drop) so that the futures it frees are reported at
/// once, even inside a running batch: for a closure that Python frees at
/// once, as `remove_timeout`'s `timeout.callback = None` does.
pub fn released_now<R>(release: impl FnOnce() -> R) -> R {
    // No batch running (the common case): nothing would be held back.
    let idle = BATCHES
        .try_with(|batches| batches.borrow().is_empty())
        .unwrap_or(true);
    if idle {
        return release();
    }
    push(0);
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            // A batch of `started == 0` never holds anything back.
            pop();
        }
    }
    let _pop = Pop;
    release()
}
