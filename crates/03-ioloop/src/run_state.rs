//! The loop's lifecycle flags: running, stopped, closing, started.

use std::cell::Cell;

use crate::error::IOLoopError;

/// Tornado's `_running`, `_stopped`, `_closing` and `_thread_ident`, with
/// the few transitions the loop makes between them.
///
/// Like the loop's other state types, it never sees the loop and runs no
/// user code; `start`, `stop`, `close`, `run_sync`, `add_callback` and
/// `add_timeout` ask it, instead of each setting flags of its own.
#[derive(Default)]
pub(crate) struct RunState {
    /// `_running`: set by `start`, cleared by `stop`; checked before each poll.
    running: Cell<bool>,
    /// `_stopped`: `stop()` was called; if it happened while the loop was
    /// not running, the next `start()` returns at once.
    stopped: Cell<bool>,
    /// `_closing`: `close()` was called; `add_callback` now does nothing.
    closing: Cell<bool>,
    /// `_thread_ident is not None`: `start` has run once. Until then,
    /// `add_callback` is "called from another thread" in Tornado's eyes and
    /// wakes the poller.
    started: Cell<bool>,
}

impl RunState {
    /// `self._running`.
    pub(crate) fn is_running(&self) -> bool {
        self.running.get()
    }

    /// `self._closing`.
    pub(crate) fn is_closing(&self) -> bool {
        self.closing.get()
    }

    /// `self._thread_ident is not None`: has `start` ever run?
    pub(crate) fn has_started(&self) -> bool {
        self.started.get()
    }

    /// The checks at the top of `start`: `Ok(true)` if the loop should run,
    /// `Ok(false)` if an earlier `stop()` makes this `start` return at once
    /// (the request is consumed).
    ///
    /// ```python
    /// if self._running:
    ///     raise RuntimeError("IOLoop is already running")
    /// if self._stopped:
    ///     self._stopped = False
    ///     return
    /// ```
    pub(crate) fn begin_start(&self) -> Result<bool, IOLoopError> {
        // exercise ex03.1 begin (uses: self)
        if self.running.get() {
            return Err(IOLoopError::AlreadyRunning);
        }
        if self.take_stop_request() {
            return Ok(false);
        }
        if self.closing.get() {
            return Err(IOLoopError::Closed);
        }
        // PY: `self._thread_ident = thread.get_ident()`.
        self.started.set(true);
        Ok(true)
        // exercise ex03.1 end
    }

    /// `self._running = True`, once the loop is current.
    pub(crate) fn enter_running(&self) {
        self.running.set(true);
    }

    /// The `finally:` of `start`.
    pub(crate) fn leave_running(&self) {
        // Reset the stopped flag so another start/stop pair can be issued.
        self.take_stop_request();
        // PY: Tornado leaves _running as stop() left it; an error from poll
        // would leave it set. We clear it so the loop can start again.
        self.running.set(false);
    }

    /// `stop()`: `self._running = False; self._stopped = True`.
    pub(crate) fn stop(&self) {
        self.running.set(false);
        self.stopped.set(true);
    }

    /// Consumes a `stop()` made while the loop was not running, as the
    /// next `start()` would: was there one?
    pub(crate) fn stop_requested(&self) -> bool {
        self.stopped.get()
    }

    /// Consumes a pending `stop()`: true if there was one.
    pub(crate) fn take_stop_request(&self) -> bool {
        self.stopped.replace(false)
    }

    /// `close()`: `self._closing = True`.
    pub(crate) fn close(&self) {
        self.closing.set(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stop()` before `start()` makes that `start` return at once, once.
    #[test]
    fn a_stop_before_start_is_consumed_by_the_next_start() {
        let state = RunState::default();
        state.stop();
        assert!(matches!(state.begin_start(), Ok(false)));
        assert!(!state.has_started());
        assert!(matches!(state.begin_start(), Ok(true)));
        assert!(state.has_started());
    }

    /// `start` fails inside the running loop and after `close()`.
    #[test]
    fn start_refuses_while_running_and_after_close() {
        let state = RunState::default();
        state.enter_running();
        assert!(matches!(
            state.begin_start(),
            Err(IOLoopError::AlreadyRunning)
        ));
        state.leave_running();
        state.close();
        assert!(matches!(state.begin_start(), Err(IOLoopError::Closed)));
    }
}
