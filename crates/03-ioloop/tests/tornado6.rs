//! Tornado 6 mode for chapter 03's loop: a loop made inside
//! `with_era(Era::Tornado6, ...)` is Tornado 6.6.1's `AsyncIOLoop`, one
//! iteration being CPython 3.11's `BaseEventLoop._run_once`.
//!
//! Each test ports a test of Tornado 6.6.1's `tornado/test/ioloop_test.py`
//! or one rule of asyncio's `base_events.py` / `selector_events.py`, and
//! asserts what real 6.6.1 does (every expectation was run under 6.6.1 on
//! CPython 3.11 first). Timers use a `FakeClock`: no test sleeps.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{Era, record, with_era};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

mod common;

/// A Tornado 6 loop on a fake clock at 0, made current.
fn loop6() -> (IOLoop, FakeClock) {
    loop_in(Era::Tornado6)
}

/// A loop of `era` on a fake clock at 0, made current.
fn loop_in(era: Era) -> (IOLoop, FakeClock) {
    let clock = FakeClock::new(0.0);
    let io_loop = with_era(era, || IOLoop::with_clock(clock.clone()).unwrap());
    assert_eq!(io_loop.era(), era);
    io_loop.make_current();
    (io_loop, clock)
}

/// A shared journal.
type Journal = Rc<RefCell<Vec<String>>>;

fn journal() -> Journal {
    Rc::new(RefCell::new(Vec::new()))
}

/// A callback that writes `name` into `seen`.
fn note(seen: &Journal, name: &str) -> impl FnOnce() + 'static {
    let (seen, name) = (seen.clone(), name.to_string());
    move || seen.borrow_mut().push(name)
}

/// A callback that writes `name` and the iteration it runs in.
fn note_it(seen: &Journal, name: &str) -> impl FnOnce() + 'static {
    let (seen, name) = (seen.clone(), name.to_string());
    move || {
        let it = ch00_trace::iteration();
        seen.borrow_mut().push(format!("{name} it={it}"));
    }
}

// ----------------------------------------------------------------------
// run_forever / _run_once: when the first batch runs, stop, re-entrance.

/// asyncio `_run_once`: the loop polls *before* its first batch, so a
/// callback added before `start()` runs at `[it=1]` (4.5.3 runs it at
/// `[it=0]`, before its first poll).
#[test]
fn the_first_batch_runs_after_one_poll() {
    for (era, expected) in [(Era::Tornado6, "first it=1"), (Era::Tornado4, "first it=0")] {
        let seen = journal();
        record(|| {
            let (io_loop, _clock) = loop_in(era);
            io_loop.add_callback(note_it(&seen, "first"));
            let lp = io_loop.clone();
            io_loop.add_callback(move || lp.stop());
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(*seen.borrow(), [expected], "{era}");
    }
}

/// asyncio `run_forever`: `stop()` before `start()` leaves `_stopping` set,
/// so that `start()` runs exactly one iteration (its ready callbacks, not
/// what they add) and returns; the next `start()` runs what was left.
/// (Tornado 4.5.3's `start()` returns at once instead.)
#[test]
fn stop_before_start_runs_one_iteration() {
    let (io_loop, _clock) = loop6();
    let seen = journal();
    io_loop.stop();
    let (s, lp) = (seen.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        s.borrow_mut().push("cb".into());
        lp.add_callback(note(&s, "added by cb"));
    });
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["cb"]);
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["cb", "added by cb"]);

    // The contrast: 4.5.3's start() consumes the stop and runs nothing.
    let (old, _clock) = loop_in(Era::Tornado4);
    let ran = Rc::new(Cell::new(false));
    old.stop();
    let r = ran.clone();
    old.add_callback(move || r.set(true));
    old.start().unwrap();
    assert!(!ran.get());
}

/// ioloop_test.py `test_reentrant`: `start()` from inside a running loop
/// raises (asyncio's `_check_running`: `RuntimeError: This event loop is
/// already running`) instead of deadlocking, and the outer loop goes on.
#[test]
fn test_reentrant() {
    let (io_loop, _clock) = loop6();
    let seen = journal();
    let (s, lp) = (seen.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        match lp.start() {
            Ok(()) => s.borrow_mut().push("returned from start".into()),
            Err(err) => s.borrow_mut().push(err.to_string()),
        }
        lp.stop();
    });
    io_loop.start().unwrap();
    assert_eq!(
        *seen.borrow(),
        ["RuntimeError: This event loop is already running"]
    );
    assert!(!io_loop.is_running());
}

/// asyncio `_run_once` step 5 and `Future.__schedule_callbacks`: a future's
/// done-callbacks go through `call_soon`, so they are FIFO with
/// `add_callback`s: after those made before `set_result`, before those made
/// after it, all in the next iteration.
#[test]
fn done_callbacks_are_fifo_with_add_callback() {
    let (io_loop, _clock) = loop6();
    let seen = journal();
    record(|| {
        let (s, lp) = (seen.clone(), io_loop.clone());
        io_loop.add_callback(move || {
            let f: Future<i32> = Future::new();
            let s2 = s.clone();
            f.add_done_callback(move |_: &Future<i32>| note_it(&s2, "done-callback")());
            lp.add_callback(note_it(&s, "before set_result"));
            f.set_result(1).unwrap();
            lp.add_callback(note_it(&s, "after set_result"));
            s.borrow_mut().push("set_result returned".into());
            let stopper = lp.clone();
            lp.add_callback(move || stopper.stop());
        });
        io_loop.start().unwrap();
    });
    assert_eq!(
        *seen.borrow(),
        [
            "set_result returned",
            "before set_result it=2",
            "done-callback it=2",
            "after set_result it=2",
        ]
    );
}

/// asyncio `_run_once` step 5 ("run exactly as many handles as are queued
/// now"), at scale: a million callbacks added by one callback all run, in
/// the order they were added, before a callback added after them.
#[test]
fn a_million_callbacks_run_in_order() {
    const N: usize = 1_000_000;
    let (io_loop, _clock) = loop6();
    let next = Rc::new(Cell::new(0usize));
    let out_of_order = Rc::new(Cell::new(0usize));
    let seen_at_stop = Rc::new(Cell::new(usize::MAX));
    let lp = io_loop.clone();
    let (n, bad, at_stop) = (next.clone(), out_of_order.clone(), seen_at_stop.clone());
    io_loop.add_callback(move || {
        for i in 0..N {
            let (n, bad) = (n.clone(), bad.clone());
            lp.add_callback(move || {
                if n.get() != i {
                    bad.set(bad.get() + 1);
                }
                n.set(n.get() + 1);
            });
        }
        let stopper = lp.clone();
        lp.add_callback(move || {
            at_stop.set(n.get());
            stopper.stop();
        });
    });
    io_loop.start().unwrap();
    assert_eq!(next.get(), N);
    assert_eq!(out_of_order.get(), 0);
    assert_eq!(seen_at_stop.get(), N);
}

// ----------------------------------------------------------------------
// Timers.

/// The table under Tornado 6's rules (see `common::one_iteration`).
fn one_iteration(total: usize, remove: usize, earliest: bool) -> [(usize, usize); 2] {
    common::one_iteration(Era::Tornado6, total, remove, earliest)
}

/// asyncio base_events `_run_once`: cancelled-timer purge. More than 100
/// scheduled and more than half cancelled: the heap is rebuilt without them
/// (600/513 → 87, 600/512 → 88: 4.5.3 needed more than 512); otherwise only
/// cancelled heads are popped (2000/600 latest: none popped). Numbers from
/// real 6.6.1 (`len(asyncio_loop._scheduled)`, `_timer_cancelled_count`).
#[test]
fn cancelled_timers_are_purged_as_asyncio_does() {
    assert_eq!(one_iteration(600, 513, false), [(600, 513), (87, 0)]);
    assert_eq!(one_iteration(600, 512, false), [(600, 512), (88, 0)]);
    assert_eq!(one_iteration(2000, 600, false), [(2000, 600), (2000, 600)]);
    assert_eq!(one_iteration(2000, 1001, false), [(2000, 1001), (999, 0)]);
}

/// asyncio base_events `_run_once`: cancelled-timer purge, the small cases:
/// 150 scheduled with 76 cancelled is "more than 100, more than half"
/// (rebuilt: 74; 4.5.3 keeps 150); 10 with the 5 earliest cancelled is
/// below 100, so only the cancelled heads go (5).
#[test]
fn small_heaps_purge_by_fraction_or_pop_heads() {
    assert_eq!(one_iteration(150, 76, false), [(150, 76), (74, 0)]);
    assert_eq!(one_iteration(10, 5, true), [(10, 5), (5, 0)]);
    assert_eq!(one_iteration(10, 5, false), [(10, 5), (10, 5)]);
}

/// ioloop_test.py `test_remove_timeout_from_timeout`: three timers due in
/// the same batch; the first removes the second (asyncio cancels a handle
/// already in `_ready`), which then does not run.
#[test]
fn test_remove_timeout_from_timeout() {
    let (io_loop, clock) = loop6();
    let seen = journal();
    let t2: Rc<RefCell<Option<TimeoutHandle>>> = Rc::new(RefCell::new(None));
    let now = io_loop.time();
    let (s, lp, h) = (seen.clone(), io_loop.clone(), t2.clone());
    io_loop.add_timeout(now + 0.01, move || {
        s.borrow_mut().push("t1".into());
        lp.remove_timeout(h.borrow().as_ref().unwrap());
    });
    *t2.borrow_mut() = Some(io_loop.add_timeout(now + 0.02, note(&seen, "t2")));
    let lp = io_loop.clone();
    let s = seen.clone();
    io_loop.add_timeout(now + 0.03, move || {
        s.borrow_mut().push("t3".into());
        lp.stop();
    });
    clock.set(now + 0.03); // `time.sleep(0.03)`: all three due at once
    let ((), recording) = record(|| io_loop.start().unwrap());
    assert_eq!(*seen.borrow(), ["t1", "t3"]);
    let due = recording
        .to_string()
        .lines()
        .filter(|line| line.starts_with("[it=1]") && line.ends_with("is due"))
        .count();
    assert_eq!(due, 3, "all three were due in one batch:\n{recording}");
}

/// Tornado 6.6.1 `BaseAsyncIOLoop.call_at`: `call_later(max(0, when -
/// self.time()), ...)`: a deadline in the past becomes "now", so the timer
/// runs *after* a timer already due with a later deadline (4.5.3 orders
/// them by deadline, the past one first). Python: `t1 (deadline t0+0.01)`
/// then `t2 (deadline t0, past)`.
#[test]
fn call_at_in_the_past_runs_after_timers_already_due() {
    for (era, expected) in [(Era::Tornado6, ["t1", "t2"]), (Era::Tornado4, ["t2", "t1"])] {
        let (io_loop, clock) = loop_in(era);
        let seen = journal();
        io_loop.call_at(1.0, note(&seen, "t1"));
        clock.set(5.0);
        io_loop.call_at(0.5, note(&seen, "t2"));
        let lp = io_loop.clone();
        io_loop.call_at(5.0, move || lp.stop());
        io_loop.start().unwrap();
        assert_eq!(*seen.borrow(), expected, "{era}");
        io_loop.close(true);
    }
}

/// Tornado 6.6.1 `call_at`'s `max(0, when - self.time())` with odd numbers:
/// `call_later(nan)` gives `max(0, nan) == 0`, so it runs at the next
/// iteration (checked under 6.6.1: "nan timer runs"); `call_at(inf)` never
/// runs, and the loop neither panics nor spins on it (asyncio's poll waits
/// at most a day, `MAXIMUM_SELECT_TIMEOUT`).
#[test]
fn call_later_nan_runs_soon_and_call_at_inf_never() {
    let (io_loop, clock) = loop6();
    let seen = journal();
    io_loop.call_later(f64::NAN, note(&seen, "nan"));
    io_loop.call_at(f64::NAN, note(&seen, "call_at nan"));
    io_loop.call_at(f64::INFINITY, note(&seen, "inf"));
    io_loop.call_later(f64::INFINITY, note(&seen, "later inf"));
    let lp = io_loop.clone();
    io_loop.call_later(5.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["nan", "call_at nan"]);
    assert_eq!(clock.time(), 5.0);
    assert_eq!(io_loop.timeouts_len(), 2, "the two infinite timers wait");

    // With only an infinite timer left, the loop still turns (a day per
    // poll on the fake clock) and a timer added meanwhile runs.
    let lp = io_loop.clone();
    io_loop.call_later(3.0 * 86400.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(clock.time(), 5.0 + 3.0 * 86400.0);
    assert_eq!(seen.borrow().len(), 2);
}

// ----------------------------------------------------------------------
// Descriptors.

/// asyncio selector_events `_process_events` (the premise of ioloop_test.py
/// `test_read_while_writeable`): a handler registered for `READ | WRITE` is
/// asyncio's reader and writer, so a socket both readable and writable
/// calls it twice in one batch, first with exactly `READ`, then with
/// exactly `WRITE` (6.6.1: `[1, 4]`). 4.5.3 calls it once with `READ|WRITE`.
#[test]
fn read_write_handler_is_called_once_per_kind() {
    for (era, expected) in [
        (Era::Tornado6, vec![(IOLoop::READ, 1), (IOLoop::WRITE, 1)]),
        (Era::Tornado4, vec![(IOLoop::READ | IOLoop::WRITE, 1)]),
    ] {
        let (a, mut b) = UnixStream::pair().unwrap();
        b.write_all(b"x").unwrap();
        let calls = Rc::new(RefCell::new(Vec::new()));
        record(|| {
            let (io_loop, _clock) = loop_in(era);
            let (c, lp) = (calls.clone(), io_loop.clone());
            io_loop
                .add_handler(
                    &a,
                    move |_, events| {
                        c.borrow_mut().push((events, ch00_trace::iteration()));
                        lp.stop();
                    },
                    IOLoop::READ | IOLoop::WRITE,
                )
                .unwrap();
            io_loop.start().unwrap();
            io_loop.remove_handler(&a);
            io_loop.close(false);
        });
        assert_eq!(*calls.borrow(), expected, "{era}");
    }
}

/// ioloop_test.py `test_remove_handler_from_handler`: two descriptors ready
/// in the same batch; whichever handler runs first removes the other, which
/// then is not called (asyncio's `remove_reader` cancels the handle already
/// queued).
#[test]
fn test_remove_handler_from_handler() {
    let (io_loop, _clock) = loop6();
    let (client, server) = UnixStream::pair().unwrap();
    (&client).write_all(b"abc").unwrap();
    (&server).write_all(b"abc").unwrap();
    let (client, server) = (Rc::new(client), Rc::new(server));
    let calls = journal();
    for (me, other, name) in [
        (client.clone(), server.clone(), "client"),
        (server.clone(), client.clone(), "server"),
    ] {
        let (c, lp) = (calls.clone(), io_loop.clone());
        io_loop
            .add_handler(
                &*me,
                move |_, _| {
                    c.borrow_mut().push(name.to_string());
                    lp.remove_handler(&*other);
                },
                IOLoop::READ,
            )
            .unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(0.1, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(calls.borrow().len(), 1, "only one fd was read: {calls:?}");
    io_loop.remove_handler(&*client);
    io_loop.remove_handler(&*server);
}

// ----------------------------------------------------------------------
// run_sync.

/// ioloop_test.py `TestIOLoopRunSync.test_timeout`, with 6.6.1's
/// `timeout_callback`: the timeout cancels the future (`future.cancel()`),
/// whose done-callback stops the loop, and `run_sync` raises
/// `TimeoutError: Operation timed out after 0.01 seconds`.
#[test]
fn run_sync_timeout_cancels_the_future() {
    let (io_loop, clock) = loop6();
    let cell: Rc<RefCell<Option<Future<i32>>>> = Rc::new(RefCell::new(None));
    let c = cell.clone();
    let err = io_loop
        .run_sync(
            move || {
                let f = Future::new();
                *c.borrow_mut() = Some(f.clone());
                f
            },
            Some(0.01),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "TimeoutError: Operation timed out after 0.01 seconds"
    );
    let future = cell.borrow_mut().take().unwrap();
    assert!(future.cancelled(), "6.6.1 cancels the timed-out future");
    assert_eq!(clock.time(), 0.01);
    assert_eq!(io_loop.timeouts_len(), 0);
}

/// ioloop_test.py `TestIOLoopRunSync.test_stop_no_timeout`: a loop stopped
/// by someone else before the future is done is `RuntimeError: Event loop
/// stopped before Future completed.`, not a timeout.
#[test]
fn test_stop_no_timeout() {
    let (io_loop, _clock) = loop6();
    let lp = io_loop.clone();
    let err = io_loop
        .run_sync(
            move || {
                let stopper = lp.clone();
                lp.call_later(0.1, move || stopper.stop());
                Future::<()>::new()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "RuntimeError: Event loop stopped before Future completed."
    );
}

/// asyncio base_events `_run_once`: cancelled-timer purge, by asyncio's
/// *count* (`_timer_cancelled_count`), not by the cancelled timers actually
/// in the heap. A cancelled timer popped as due (behind a live head with the
/// same deadline) leaves the count as it was, so the count stays too high;
/// a later heap of 120 with 10 cancelled then counts 70 and is rebuilt
/// (110). Real 6.6.1: `after due batch 0 60`, `before 120 70`, `after 110 0`.
#[test]
fn the_purge_follows_asyncios_stale_cancelled_count() {
    let (io_loop, _clock) = loop6();
    io_loop.call_at(1.0, || ());
    let doomed: Vec<TimeoutHandle> = (0..60).map(|_| io_loop.call_at(1.0, || ())).collect();
    for handle in &doomed {
        io_loop.remove_timeout(handle);
    }
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (61, 60));
    let lp = io_loop.clone();
    io_loop.call_at(2.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (0, 60));

    let base = io_loop.time() + 3600.0;
    let far: Vec<TimeoutHandle> = (0..120)
        .map(|i| io_loop.call_at(base + i as f64, || ()))
        .collect();
    for handle in &far[110..] {
        io_loop.remove_timeout(handle);
    }
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (120, 70));
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (110, 0));
}

/// ioloop_test.py `test_remove_timeout_after_fire`, with asyncio's
/// `TimerHandle.cancel` counting: removing a timer twice counts one
/// cancellation, removing one that already ran counts none (6.6.1: `twice
/// 1 1`, `after fire 1 1`; 4.5.3 counts every call).
#[test]
fn test_remove_timeout_after_fire() {
    let (io_loop, _clock) = loop6();
    let far = io_loop.call_later(3600.0, || ());
    io_loop.remove_timeout(&far);
    io_loop.remove_timeout(&far);
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (1, 1));
    let lp = io_loop.clone();
    let fired = io_loop.call_later(0.0, move || lp.stop());
    io_loop.start().unwrap();
    io_loop.remove_timeout(&fired);
    assert_eq!((io_loop.timeouts_len(), io_loop.cancellations()), (1, 1));
}

/// Tornado 6.6.1 `update_handler`/`remove_handler` over asyncio's
/// `remove_writer`/`remove_reader`, which cancel a handle already queued:
/// a `READ | WRITE` handler that drops `WRITE` in its `READ` call is not
/// called for `WRITE` in the same batch; a descriptor removed and given a
/// new handler by another handler of the batch calls neither the old nor
/// the new one in it (6.6.1: `[('h', 1), ...]` and `[('h1', 'c', 1)]`).
#[test]
fn a_kind_or_handler_replaced_in_the_batch_is_not_called() {
    let (io_loop, _clock) = loop6();
    let (a, mut b) = UnixStream::pair().unwrap();
    b.write_all(b"x").unwrap();
    let a = Rc::new(a);
    let calls = Rc::new(RefCell::new(Vec::new()));
    let (c, lp, fd) = (calls.clone(), io_loop.clone(), a.clone());
    io_loop
        .add_handler(
            &*a,
            move |_, events| {
                c.borrow_mut().push(events);
                lp.update_handler(&*fd, IOLoop::READ).unwrap();
                lp.stop();
            },
            IOLoop::READ | IOLoop::WRITE,
        )
        .unwrap();
    io_loop.start().unwrap();
    assert_eq!(*calls.borrow(), [IOLoop::READ]);
    io_loop.remove_handler(&*a);

    let (c1, d1) = UnixStream::pair().unwrap();
    (&c1).write_all(b"y").unwrap();
    (&d1).write_all(b"z").unwrap();
    let (c1, d1) = (Rc::new(c1), Rc::new(d1));
    let seen = journal();
    for (me, other) in [(c1.clone(), d1.clone()), (d1.clone(), c1.clone())] {
        let (s, lp) = (seen.clone(), io_loop.clone());
        io_loop
            .add_handler(
                &*me,
                move |_, _| {
                    s.borrow_mut().push("h1".into());
                    lp.remove_handler(&*other);
                    let s2 = s.clone();
                    lp.add_handler(
                        &*other,
                        move |_, _| s2.borrow_mut().push("h2".into()),
                        IOLoop::READ,
                    )
                    .unwrap();
                    lp.stop();
                },
                IOLoop::READ,
            )
            .unwrap();
    }
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["h1"]);
    io_loop.remove_handler(&*c1);
    io_loop.remove_handler(&*d1);
}

/// A thread that ends with a Tornado 6 loop still current, and a failed future
/// waiting in that loop's ready queue, ends cleanly: the loop is dropped by a
/// thread-local's destructor, possibly after the thread's asyncio event loop
/// slot is gone, and the future's "never retrieved" report must not touch it
/// (Rust aborts the process on a panic there).
#[test]
fn a_thread_may_end_with_a_tornado6_loop_current() {
    let ended = std::thread::spawn(|| {
        let (io_loop, _clock) = loop6();
        io_loop.make_current();
        let failed: Future<()> = Future::failed(ch02_future::PyError::new("ValueError", "late"));
        // Scheduled on the loop, which never runs: the handle holds the future.
        failed.add_done_callback(|_: &Future<()>| ());
        drop(failed);
        // The thread ends here, its loop still current.
    })
    .join();
    assert!(ended.is_ok());
}

/// Tornado 6.6.1 over asyncio: `update_handler` that drops `WRITE` and adds it
/// back in the handler's `READ` call still cancels the `WRITE` call already
/// queued for that batch (`remove_writer` cancels the queued handle,
/// `add_writer` makes a new one, for the next poll). Real 6.6.1, a socket pair
/// with a byte to read, handler on `READ | WRITE`:
///
/// ```text
/// [it=1] handler events=0x1
/// [it=1] dropped WRITE and added it back
/// [it=2] handler events=0x1
/// [it=2] handler events=0x4
/// ```
#[test]
fn a_kind_dropped_and_added_back_in_the_batch_waits_for_the_next_poll() {
    let (io_loop, _clock) = loop6();
    let (a, mut b) = UnixStream::pair().unwrap();
    b.write_all(b"x").unwrap();
    let a = Rc::new(a);
    let calls: Rc<RefCell<Vec<(u32, u32)>>> = Rc::new(RefCell::new(Vec::new()));
    let (c, lp, fd) = (calls.clone(), io_loop.clone(), a.clone());
    // Recorded, so that `iteration()` counts the polls.
    let ((), _recording) = record(|| {
        io_loop
            .add_handler(
                &*a,
                move |_, events| {
                    c.borrow_mut().push((ch00_trace::iteration(), events));
                    let n = c.borrow().len();
                    if n == 1 {
                        lp.update_handler(&*fd, IOLoop::READ).unwrap();
                        lp.update_handler(&*fd, IOLoop::READ | IOLoop::WRITE)
                            .unwrap();
                    }
                    if n == 3 {
                        lp.stop();
                    }
                },
                IOLoop::READ | IOLoop::WRITE,
            )
            .unwrap();
        io_loop.start().unwrap();
    });
    assert_eq!(
        *calls.borrow(),
        [(1, IOLoop::READ), (2, IOLoop::READ), (2, IOLoop::WRITE)]
    );
    io_loop.remove_handler(&*a);
}

/// asyncio's `call_soon` on a closed loop raises `RuntimeError('Event loop is
/// closed')`, out of the `set_result` that schedules. The course cannot raise
/// from there: the done-callbacks are dropped, unrun, and that is logged
/// rather than silent.
#[test]
fn a_closed_loop_takes_no_done_callbacks_and_says_so() {
    let (io_loop, _clock) = loop6();
    io_loop.make_current();
    io_loop.close(true);
    let ran = Rc::new(Cell::new(false));
    let (f, r) = (Future::new(), ran.clone());
    let ((), recording) = record(|| {
        f.add_done_callback(move |_: &Future<i32>| r.set(true));
        f.set_result(1).unwrap();
    });
    assert!(!ran.get());
    assert!(
        recording
            .to_string()
            .contains("RuntimeError: Event loop is closed: 1 done-callback(s) of future"),
        "{recording}"
    );
    IOLoop::clear_current();
}
