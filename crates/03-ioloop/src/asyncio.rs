//! The loop under Tornado 6's rules: `AsyncIOLoop` over asyncio's event loop.
//!
//! Tornado 6 has no loop of its own. `tornado/platform/asyncio.py`'s
//! `BaseAsyncIOLoop` forwards `add_callback` to asyncio's `call_soon`,
//! `call_at` to `call_later`, `add_handler` to `add_reader`/`add_writer`, and
//! `start` to `run_forever`; one iteration is CPython's
//! `BaseEventLoop._run_once` (3.11 `asyncio/base_events.py`). A loop made
//! inside [`with_era(Era::Tornado6, ...)`](ch00_trace::with_era) follows these
//! rules instead of 4.5.3's `PollIOLoop`; everything else about it (its
//! queues, its timer heap, its handlers, its poller) is the same state.
//!
//! One iteration, as `_run_once` orders it:
//!
//! 1. Drop cancelled timers: all of them if more than 100 are scheduled and
//!    more than half are cancelled, else only those at the head.
//! 2. Poll: with timeout 0 if a callback is ready or `stop()` was called,
//!    else until the first timer (at most a day), else with no timeout.
//! 3. Queue a handle for each ready descriptor, in the poller's order: one
//!    for its reader if it is readable, one for its writer if writable.
//! 4. Queue every timer due before `time() + clock resolution`.
//! 5. Run exactly as many handles as are queued now. Anything they add
//!    (a callback, a future's done-callback, a timer due at once) waits for
//!    the next iteration.
//!
//! Compared with 4.5.3's iteration, which runs callbacks, then the timeouts
//! that were due before them, then polls and dispatches: asyncio polls
//! *first* (so the first batch runs at `[it=1]`), runs descriptors' handlers
//! before timers in the same batch, and calls a handler once per kind of
//! readiness (`READ` or `WRITE`, never the error bits).

use std::cell::RefCell;
use std::os::fd::RawFd;
use std::rc::{Rc, Weak};

use ch00_trace::{EventKind, emit};
use ch02_future::asyncio::EventLoop;

use crate::error::IOLoopError;
use crate::ioloop::{Callback, HandlerFn, IOLoop, LoopFn, WeakIOLoop};
use crate::poller::{ERROR, READ, WRITE};

/// asyncio's `MAXIMUM_SELECT_TIMEOUT`: a poll waits at most a day.
const MAXIMUM_SELECT_TIMEOUT: f64 = 24.0 * 3600.0;

/// `time.get_clock_info('monotonic').resolution` on Linux: a timer is due if
/// its deadline is before `time() + CLOCK_RESOLUTION`.
const CLOCK_RESOLUTION: f64 = 1e-9;

/// The loop as chapter 02's futures see it: where a Tornado 6 future
/// schedules its done-callbacks (asyncio's `loop.call_soon`).
///
/// Weak, as every handle the loop's own machinery keeps: a future may live
/// in the loop's queues, and a strong handle there would be a cycle.
pub(crate) struct AsyncioEventLoop(pub(crate) WeakIOLoop);

impl EventLoop for AsyncioEventLoop {
    fn call_soon(&self, callback: Box<dyn FnOnce()>) {
        if let Some(io_loop) = self.0.upgrade() {
            io_loop.call_soon(callback);
        }
    }

    fn is_closed(&self) -> bool {
        self.0
            .upgrade()
            .is_none_or(|io_loop| io_loop.inner.state.is_closing())
    }
}

impl IOLoop {
    /// asyncio's `loop.call_soon(callback)`: a handle at the end of the
    /// ready queue, run in the next batch, named by itself in the recording
    /// (a future's done-callback, a timer, a descriptor's reader).
    pub(crate) fn call_soon(&self, callback: Box<dyn FnOnce()>) {
        if self.inner.state.is_closing() {
            return;
        }
        self.call_soon_loop(move |_| callback());
    }

    /// `BaseEventLoop.run_forever` around `_run_once`: Tornado 6's
    /// `AsyncIOLoop.start`.
    ///
    /// ```python
    /// while True:
    ///     self._run_once()
    ///     if self._stopping:
    ///         break
    /// ```
    ///
    /// A `stop()` made before `start()` is still pending when the first
    /// iteration ends: that `start()` runs exactly one iteration (4.5.3's
    /// returns at once).
    pub(crate) fn run_forever(&self) -> Result<(), IOLoopError> {
        loop {
            self.run_once()?;
            if self.inner.state.take_stop_request() {
                return Ok(());
            }
        }
    }

    // ANCHOR: run_once
    /// One iteration under Tornado 6's rules: asyncio's
    /// `BaseEventLoop._run_once` (see the module's documentation).
    fn run_once(&self) -> Result<(), IOLoopError> {
        let inner = &*self.inner;
        // 1. Remove delayed calls that were cancelled if their number is too
        //    high, else only the cancelled ones at the head of the heap.
        inner.timeouts.purge_cancelled_asyncio();

        // 2. The poll's timeout.
        let stopping = inner.state.stop_requested();
        let (timeout, deadline) = if !inner.callbacks.is_empty() || stopping {
            (0.0, None)
        } else {
            match inner.timeouts.head_deadline() {
                Some(when) if when < f64::INFINITY => {
                    let wait = (when - self.time()).clamp(0.0, MAXIMUM_SELECT_TIMEOUT);
                    (if wait.is_nan() { 0.0 } else { wait }, Some(when))
                }
                // PY: `timeout = None`: block until an event. A day stands
                // for "forever"; a fake clock then idles a day at a time.
                _ => (MAXIMUM_SELECT_TIMEOUT, None),
            }
        };
        let timeout = match deadline {
            Some(when) if timeout > 0.0 => inner.clock_idle_until(when, timeout),
            _ => timeout,
        };
        self.poll(timeout)?;
        // Another thread's `call_soon_threadsafe` appended to `_ready` at
        // once; ours wait in the inbox until here.
        self.take_remote_callbacks();

        // 3. `_process_events`: one handle per reader and per writer.
        self.queue_handler_handles();

        // 4. Handle 'later' callbacks that are ready.
        let end_time = self.time() + CLOCK_RESOLUTION;
        for timeout in inner.timeouts.collect_due_before(end_time) {
            let id = timeout.id();
            emit(EventKind::Timeout, || format!("timeout t{id} is due"));
            self.call_soon_loop(move |io_loop| io_loop.run_timeout(&timeout));
        }

        // 5. This is the only place where callbacks are actually *called*.
        //    All other places just add them to ready.
        let ntodo = inner.callbacks.len();
        self.run_ready(ntodo);
        Ok(())
    }
    // ANCHOR_END: run_once

    /// Queues a handle that needs the loop itself.
    fn call_soon_loop(&self, func: impl FnOnce(&IOLoop) + 'static) {
        self.inner.callbacks.push_back(Callback {
            id: 0,
            func: Box::new(LoopFn {
                type_name: "<asyncio handle>",
                func: move |io_loop: &IOLoop| {
                    func(io_loop);
                    Ok(())
                },
            }),
        });
    }

    /// Runs the first `ntodo` handles of the ready queue, each guarded on
    /// its own: `handle._run()`, whose exceptions asyncio's exception
    /// handler logs. A callback queued by `add_callback` logs its own, as
    /// Tornado 6's `_run_callback` does.
    fn run_ready(&self, ntodo: usize) {
        for _ in 0..ntodo {
            let Some(Callback { id, func }) = self.inner.callbacks.pop_front() else {
                return; // a callback closed the loop
            };
            if id != 0 {
                emit(EventKind::Callback, || format!("callback c{id} runs"));
            }
            self.run_callback_fn(func, "c", id);
        }
    }

    /// `BaseSelectorEventLoop._process_events`: for each event in the
    /// poller's order, a handle for the reader if the descriptor is readable,
    /// then one for the writer if writable. The selector reports a hang-up or
    /// an error as both (`selectors.EpollSelector.select`), so each goes to
    /// whichever of the two is registered. The handler receives exactly
    /// `READ` or `WRITE`.
    fn queue_handler_handles(&self) {
        let inner = &*self.inner;
        for (fd, mask) in inner.handlers.take_events() {
            let Some((id, func)) = inner.handlers.handler(fd) else {
                continue;
            };
            // The handle knows its handler by the function's allocation, not
            // by `id`: ids are 0 outside a recording. Weak, so a queued
            // handle keeps no removed handler alive (and its allocation, so
            // its address, is not reused meanwhile).
            let func = Rc::downgrade(&func);
            let interest = inner.handlers.interest(fd);
            let readable = mask & (READ | ERROR) != 0;
            let writable = mask & (WRITE | ERROR) != 0;
            for (ready, kind) in [(readable, READ), (writable, WRITE)] {
                if ready && interest & kind != 0 {
                    let queued = func.clone();
                    let dropped = inner.handlers.dropped(fd, kind);
                    self.call_soon_loop(move |io_loop| {
                        io_loop.run_reader_or_writer(fd, kind, id, &queued, dropped);
                    });
                }
            }
        }
    }

    /// The handle `add_reader`/`add_writer` registered, run: skipped if it
    /// was cancelled meanwhile (`remove_handler`, or `update_handler`
    /// dropping that kind), as asyncio's `remove_reader` cancels the handle
    /// already queued.
    fn run_reader_or_writer(
        &self,
        fd: RawFd,
        kind: u32,
        id: u32,
        queued: &Weak<RefCell<HandlerFn>>,
        dropped: Option<u32>,
    ) {
        let inner = &*self.inner;
        let Some((_, func)) = inner.handlers.handler(fd) else {
            return;
        };
        // Cancelled if the handler was replaced, or if `update_handler`
        // dropped this kind since (even if it added it back: a new handle).
        if !std::ptr::eq(queued.as_ptr(), Rc::as_ptr(&func))
            || inner.handlers.interest(fd) & kind == 0
            || inner.handlers.dropped(fd, kind) != dropped
        {
            return;
        }
        emit(EventKind::Handler, || {
            format!("handler h{id} fires: {}", crate::handlers::mask_name(kind))
        });
        let outcome = ch01_yield::catch_panic(|| match func.try_borrow_mut() {
            Ok(mut handler) => handler(fd, kind, self),
            Err(_) => Ok(()),
        })
        .and_then(|result| result);
        if let Err(exc) = outcome {
            // PY: not wrapped by Tornado 6: asyncio's exception handler logs it.
            log::error!(target: "asyncio", "Exception in callback h{id}: {exc}");
        }
    }
}

/// Installs `io_loop` as the thread's asyncio event loop if it follows
/// Tornado 6's rules, removes any otherwise: what `make_current` does for
/// chapter 02's futures.
pub(crate) fn install(io_loop: Option<&IOLoop>) {
    let event_loop: Option<Rc<dyn EventLoop>> = io_loop
        .filter(|io_loop| io_loop.era() == ch00_trace::Era::Tornado6)
        .map(|io_loop| Rc::new(AsyncioEventLoop(io_loop.downgrade())) as Rc<dyn EventLoop>);
    drop(ch02_future::asyncio::set_event_loop(event_loop));
}
