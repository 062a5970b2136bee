//! Tornado 6 mode for chapter 02's `Future`: with an event loop installed
//! (asyncio's `events.set_event_loop`), a `Future` is `asyncio.Future` as
//! Tornado 6.6.1 uses it. Done-callbacks are scheduled with the loop's
//! `call_soon`, never run inside `set_result`; `cancel()` works; a pending
//! future's `result()`/`exception()` raise `InvalidStateError`; a failed
//! future nobody looked at is reported on the `asyncio` logger.
//!
//! Chapter 02 makes no IOLoop (chapter 03 depends on this crate, not the
//! other way round), so these tests install a loop of their own: asyncio's
//! `_ready` deque and the "run exactly as many handles as are queued now"
//! rule of `BaseEventLoop._run_once`, nothing else. Chapter 03's
//! `tests/tornado6.rs` checks the same order on the real loop.
//!
//! Every expectation was checked against CPython 3.11's asyncio under
//! Tornado 6.6.1 (`tornado.concurrent.Future is asyncio.Future`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch02_future::asyncio::{EventLoop, set_event_loop};
use ch02_future::{Exception, Future, FutureError, PyError, future_add_done_callback};

/// asyncio's ready queue, run by hand one batch at a time.
#[derive(Default)]
struct ReadyQueue(RefCell<VecDeque<Box<dyn FnOnce()>>>);

impl EventLoop for ReadyQueue {
    fn call_soon(&self, callback: Box<dyn FnOnce()>) {
        self.0.borrow_mut().push_back(callback);
    }
}

impl ReadyQueue {
    /// One iteration of `_run_once` with nothing to poll: runs the handles
    /// queued *now*; what they queue waits for the next call. Returns how
    /// many ran.
    fn run_once(&self) -> usize {
        let ntodo = self.0.borrow().len();
        for _ in 0..ntodo {
            let handle = self.0.borrow_mut().pop_front();
            if let Some(handle) = handle {
                handle();
            }
        }
        ntodo
    }

    fn waiting(&self) -> usize {
        self.0.borrow().len()
    }
}

/// Installs a [`ReadyQueue`] as the thread's event loop for as long as the
/// guard lives (then removes it, handles and all, even if the test fails).
struct Installed(Rc<ReadyQueue>);

impl Installed {
    fn new() -> Self {
        let queue = Rc::new(ReadyQueue::default());
        let old = set_event_loop(Some(queue.clone()));
        assert!(old.is_none(), "a test thread starts with no event loop");
        Installed(queue)
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        drop(set_event_loop(None));
        // Dropped outside the queue's borrow: a handle holds a future.
        let left = std::mem::take(&mut *self.0.0.borrow_mut());
        drop(left);
    }
}

/// A shared journal the callbacks write into.
fn journal() -> Rc<RefCell<Vec<String>>> {
    Rc::new(RefCell::new(Vec::new()))
}

/// A done-callback that writes `name` into `seen`.
fn note<T: 'static>(
    seen: &Rc<RefCell<Vec<String>>>,
    name: &str,
) -> impl FnOnce(&Future<T>) + use<T> {
    let (seen, name) = (seen.clone(), name.to_string());
    move |_: &Future<T>| seen.borrow_mut().push(name)
}

/// asyncio `futures.py` `Future.__schedule_callbacks` (concurrent_test.py's
/// premise in 6.x: a done-callback never runs inside `set_result`): the
/// callbacks run in the loop's next iteration, in registration order, and
/// FIFO with a `call_soon` (Tornado 6's `add_callback`) made after
/// `set_result`, which runs after them.
#[test]
fn done_callbacks_run_next_iteration_in_order_before_later_call_soon() {
    let lp = Installed::new();
    let seen = journal();
    let f: Future<i32> = Future::new();
    f.add_done_callback(note(&seen, "cb1"));
    f.add_done_callback(note(&seen, "cb2"));
    f.set_result(1).unwrap();
    assert!(seen.borrow().is_empty(), "set_result only schedules");
    assert_eq!(lp.0.waiting(), 2);
    let s = seen.clone();
    lp.0.call_soon(Box::new(move || s.borrow_mut().push("add_callback".into())));
    assert_eq!(lp.0.run_once(), 3);
    assert_eq!(*seen.borrow(), ["cb1", "cb2", "add_callback"]);
    assert_eq!(lp.0.waiting(), 0);
}

/// asyncio `Future.add_done_callback`: on a done future, `self._loop.
/// call_soon(fn, self)`, never inline (Tornado 4.5.3 runs it at once).
#[test]
fn add_done_callback_on_a_done_future_is_scheduled() {
    let lp = Installed::new();
    let seen = journal();
    let f = Future::resolved(7);
    f.add_done_callback(note(&seen, "late"));
    assert!(seen.borrow().is_empty(), "not inline under Tornado 6");
    assert_eq!(lp.0.waiting(), 1);
    lp.0.run_once();
    assert_eq!(*seen.borrow(), ["late"]);
}

/// Tornado 6.6.1 `tornado.concurrent.future_add_done_callback`: `if
/// future.done(): callback(future)`: at once for a done future, and
/// scheduled (one iteration after `set_result`) for a pending one.
#[test]
fn future_add_done_callback_runs_at_once_when_done() {
    let lp = Installed::new();
    let seen = journal();
    let done = Future::resolved(1);
    future_add_done_callback(&done, note(&seen, "at once"));
    assert_eq!(*seen.borrow(), ["at once"]);
    assert_eq!(lp.0.waiting(), 0);

    let pending: Future<i32> = Future::new();
    future_add_done_callback(&pending, note(&seen, "scheduled"));
    pending.set_result(2).unwrap();
    assert_eq!(seen.borrow().len(), 1);
    lp.0.run_once();
    assert_eq!(*seen.borrow(), ["at once", "scheduled"]);
}

/// asyncio `Future.cancel`/`cancelled`/`result`/`set_result`: `cancel()` of
/// a pending future returns True and makes it done and cancelled;
/// `result()` and `exception()` raise `CancelledError`; `set_result` and
/// `set_exception` then raise `InvalidStateError('invalid state')`; a second
/// `cancel()` returns False; the done-callbacks are scheduled and see a
/// cancelled future.
#[test]
fn cancel_makes_the_future_cancelled() {
    let lp = Installed::new();
    let seen = journal();
    let f: Future<i32> = Future::new();
    let s = seen.clone();
    f.add_done_callback(move |f: &Future<i32>| {
        s.borrow_mut().push(format!("cancelled={}", f.cancelled()));
    });
    assert!(f.cancel());
    assert!(f.cancelled() && f.done());
    let err = f.result().unwrap_err();
    assert_eq!(
        err.downcast_ref::<FutureError>(),
        Some(&FutureError::Cancelled)
    );
    assert_eq!(err.to_string(), "CancelledError");
    assert_eq!(f.exception().unwrap_err().to_string(), "CancelledError");
    assert_eq!(f.set_result(1), Err(FutureError::InvalidState));
    assert_eq!(
        f.set_exception(PyError::new("ValueError", "late")),
        Err(FutureError::InvalidState)
    );
    assert_eq!(
        FutureError::InvalidState.to_string(),
        "InvalidStateError: invalid state"
    );
    assert!(!f.cancel(), "a second cancel() returns False");
    assert!(seen.borrow().is_empty());
    lp.0.run_once();
    assert_eq!(*seen.borrow(), ["cancelled=true"]);

    // A done future cannot be cancelled.
    let done = Future::resolved(3);
    assert!(!done.cancel());
    assert!(!done.cancelled());
    assert_eq!(done.result().unwrap(), 3);
}

/// asyncio `Future.result`/`exception` of a pending future:
/// `InvalidStateError('Result is not set.')` and `('Exception is not set.')`
/// (Tornado 4.5.3's is a bare `Exception: DummyFuture ...`).
#[test]
fn pending_result_and_exception_are_invalid_state() {
    let _lp = Installed::new();
    let f: Future<i32> = Future::new();
    let err = f.result().unwrap_err();
    assert_eq!(err.to_string(), "InvalidStateError: Result is not set.");
    assert_eq!(
        err.downcast_ref::<FutureError>(),
        Some(&FutureError::ResultNotSet)
    );
    let err = f.exception().unwrap_err();
    assert_eq!(err.to_string(), "InvalidStateError: Exception is not set.");
    assert!(!f.cancelled() && !f.done());
}

/// asyncio `events.Handle._run`: a done-callback that raises is reported by
/// the loop's exception handler (logger `asyncio`, "Exception in callback
/// ..."), and the next callback of the same future still runs.
#[test]
fn a_panicking_done_callback_is_logged_and_the_next_runs() {
    let lp = Installed::new();
    let seen = journal();
    let ((), recording) = record(|| {
        let f: Future<i32> = Future::new();
        f.add_done_callback(|_: &Future<i32>| -> Result<(), Exception> { panic!("bad callback") });
        f.add_done_callback(note(&seen, "after bad"));
        f.set_result(1).unwrap();
        lp.0.run_once();
    });
    assert_eq!(*seen.borrow(), ["after bad"]);
    let logs = recording.only(&[EventKind::Log]);
    assert!(
        logs.contains("ERROR asyncio: Exception in callback 1 of 2 for future f1")
            && logs.contains("bad callback"),
        "logged on target asyncio: {logs}"
    );
    assert_eq!(logs.lines().count(), 1, "{logs}");
}

/// asyncio `Future.__del__`: a failed future dropped before anyone looked at
/// its exception is reported through the loop's exception handler, logger
/// `asyncio` ("Future exception was never retrieved"), not
/// `tornado.application` as in 4.5.3.
#[test]
fn never_retrieved_is_reported_on_asyncio() {
    let _lp = Installed::new();
    let ((), recording) = record(|| {
        let f: Future<()> = Future::failed(PyError::new("ZeroDivisionError", "division by zero"));
        drop(f);
        let looked: Future<()> = Future::failed(PyError::new("ValueError", "seen"));
        assert!(looked.exception().unwrap().is_some());
        drop(looked);
    });
    assert_eq!(
        recording.only(&[EventKind::Log]).trim_end(),
        "[it=0] ! ERROR asyncio: Future f1 exception was never retrieved: \
         ZeroDivisionError: division by zero"
    );
}

/// The contrast: with no Tornado 6 loop installed, the same program follows
/// Tornado 4.5.3's `Future._set_done` (concurrent.py 4.5.3): callbacks run
/// inside `set_result`, a done future's `add_done_callback` runs at once,
/// `cancel()` is a no-op returning False, and a pending `result()` is the
/// bare `Exception: DummyFuture ...`.
#[test]
fn outside_tornado6_mode_the_453_rules_hold() {
    let seen = journal();
    let f: Future<i32> = Future::new();
    f.add_done_callback(note(&seen, "cb1"));
    assert!(!f.cancel());
    assert!(!f.cancelled());
    assert_eq!(
        f.result().unwrap_err().to_string(),
        "Exception: DummyFuture does not support blocking for results"
    );
    f.set_result(1).unwrap();
    assert_eq!(*seen.borrow(), ["cb1"], "inline, inside set_result");
    f.add_done_callback(note(&seen, "added when done"));
    assert_eq!(*seen.borrow(), ["cb1", "added when done"]);

    // And the same thread, once a loop is installed, switches rules.
    let lp = Installed::new();
    let g: Future<i32> = Future::new();
    g.add_done_callback(note(&seen, "scheduled"));
    g.set_result(2).unwrap();
    assert_eq!(seen.borrow().len(), 2);
    lp.0.run_once();
    assert_eq!(seen.borrow().last().unwrap(), "scheduled");
}
