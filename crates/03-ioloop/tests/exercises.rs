//! Chapter 03's graded exercises: the tests of each one, named after it
//! (`ex03_2_...` grades ex03.2).
//!
//! Run one exercise's tests with `cargo test -p ch03-ioloop --test exercises ex03_2`;
//! the tasks and their hints are in `crates/03-ioloop/exercises/README.md`
//! (`cargo run -- hint ex03.2` prints the next hint). Every test goes through
//! the loop's public API and runs on a `FakeClock`, so none waits for real time.

use std::cell::{Cell, RefCell};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, Recording, record, say};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{IOLoop, IOLoopError};

/// A loop on a fake clock at 0.0, not made current. The clock is guarded:
/// a loop that spins (a wrong solution can make one) fails the test after
/// 1,000 readings instead of hanging it.
fn new_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(testkit::GuardedClock::new(0.0)).unwrap();
    IOLoop::clear_current();
    io_loop
}

/// Runs exactly one iteration of `io_loop`: a callback queued last stops it,
/// and a stopped loop returns before it polls.
fn run_one_iteration(io_loop: &IOLoop) {
    io_loop.add_callback(io_loop.bind(IOLoop::stop));
    io_loop.start().unwrap();
}

/// The program's prints and the log's lines of a recording, as `[it=N] text`.
fn prints_and_logs(recording: &Recording) -> Vec<String> {
    recording
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Print | EventKind::Log))
        .map(|e| format!("[it={}] {}", e.iteration, e.text))
        .collect()
}

// ----------------------------------------------------------------------
// ex03.1: starting the loop (`RunState::begin_start`).

/// `start()` inside the running loop fails with Tornado's `RuntimeError`
/// (port of ioloop_test.py `test_reentrant`), and the outer loop goes on.
#[test]
fn ex03_1_start_inside_the_running_loop_is_an_error() {
    testkit::exercise("ex03.1", || {
        let io_loop = new_loop();
        let inner = Rc::new(RefCell::new(None));
        let (lp, seen) = (io_loop.clone(), inner.clone());
        io_loop.add_callback(move || {
            *seen.borrow_mut() = Some(lp.start().map_err(|e| e.to_string()));
            lp.stop();
        });
        io_loop.start().unwrap();
        assert_eq!(
            inner.take(),
            Some(Err("RuntimeError: IOLoop is already running".to_string())),
            "Tornado raises RuntimeError when start() is called inside the running loop"
        );
        io_loop.close(true);
    });
}

/// `stop()` before `start()` makes that `start()` return at once, running
/// nothing; the request is used up, so the next `start()` runs.
#[test]
fn ex03_1_stop_before_start_is_used_up_by_one_start() {
    testkit::exercise("ex03.1", || {
        let io_loop = new_loop();
        let ran = Rc::new(Cell::new(0));
        let (r, lp) = (ran.clone(), io_loop.clone());
        io_loop.stop();
        io_loop.add_callback(move || {
            r.set(r.get() + 1);
            lp.stop();
        });
        io_loop.start().unwrap();
        assert_eq!(
            ran.get(),
            0,
            "after stop(), the next start() returns at once and runs no callback"
        );
        io_loop.start().unwrap();
        assert_eq!(
            ran.get(),
            1,
            "Tornado resets `_stopped` when start() returns at once: the start() after it runs \
             the loop (the callback ran {} times)",
            ran.get()
        );
        io_loop.close(true);
    });
}

/// `start()` after `close()` is an error, not a loop over a closed poller.
#[test]
fn ex03_1_start_after_close_is_an_error() {
    testkit::exercise("ex03.1", || {
        let io_loop = new_loop();
        io_loop.close(true);
        let started = io_loop.start();
        assert!(
            matches!(started, Err(IOLoopError::Closed)),
            "start() on a closed loop returns IOLoopError::Closed; got {started:?}"
        );
    });
}

/// `start()` returns `Ok` after `stop()`, and the loop can start again.
#[test]
fn ex03_1_a_stopped_loop_starts_again() {
    testkit::exercise("ex03.1", || {
        let io_loop = new_loop();
        let ran = Rc::new(Cell::new(0));
        for _ in 0..2 {
            let (r, lp) = (ran.clone(), io_loop.clone());
            io_loop.add_callback(move || {
                r.set(r.get() + 1);
                lp.stop();
            });
            io_loop.start().unwrap();
        }
        assert_eq!(ran.get(), 2, "each start() runs until its stop()");
        io_loop.close(true);
    });
}

// ----------------------------------------------------------------------
// ex03.2: the due timeouts of an iteration (`Timeouts::collect_due`).

/// A timeout whose deadline is exactly the clock's reading is due
/// (`deadline <= now`), and runs after the iteration's callbacks.
#[test]
fn ex03_2_a_deadline_equal_to_now_is_due() {
    testkit::exercise("ex03.2", || {
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            io_loop.call_at(0.0, || say!("timeout at 0.0"));
            io_loop.add_callback(|| say!("callback"));
            run_one_iteration(&io_loop);
            io_loop.close(true);
        });
        assert_eq!(
            recording.prints(),
            ["[it=0] callback", "[it=0] timeout at 0.0"],
            "at time 0.0 a timeout at 0.0 is due (Tornado: `deadline <= now`) and runs in the \
             same iteration, after the callbacks"
        );
    });
}

/// A timeout added while an iteration runs waits for the next iteration,
/// even if it is already due: the due ones are chosen before anything runs.
#[test]
fn ex03_2_a_timeout_added_during_the_iteration_waits() {
    testkit::exercise("ex03.2", || {
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            let lp = io_loop.clone();
            io_loop.call_at(-1.0, move || {
                say!("first timeout adds another, already due");
                lp.call_at(-1.0, || say!("the added timeout"));
            });
            io_loop.call_later(1.0, io_loop.bind(IOLoop::stop));
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(
            recording.prints(),
            [
                "[it=0] first timeout adds another, already due",
                "[it=1] the added timeout"
            ],
            "the due timeouts are collected before any runs: one added meanwhile waits for the \
             next iteration"
        );
    });
}

/// A removed timeout at the head of the heap is popped, and its
/// cancellation is no longer counted.
#[test]
fn ex03_2_a_removed_head_is_popped_and_uncounted() {
    testkit::exercise("ex03.2", || {
        let io_loop = new_loop();
        let head = io_loop.call_at(100.0, || ());
        io_loop.call_at(200.0, || ());
        io_loop.remove_timeout(&head);
        assert_eq!(
            (io_loop.timeouts_len(), io_loop.cancellations()),
            (2, 1),
            "remove_timeout leaves the entry in the heap and counts one cancellation"
        );
        run_one_iteration(&io_loop);
        assert_eq!(
            (io_loop.timeouts_len(), io_loop.cancellations()),
            (1, 0),
            "(heap length, cancellations) after one iteration: Tornado pops a cancelled head \
             and does `_cancellations -= 1`"
        );
        io_loop.close(true);
    });
}

/// More than 512 cancellations making up more than half the heap: the heap
/// is rebuilt without them and the count starts again from 0.
#[test]
fn ex03_2_the_heap_is_compacted_when_mostly_cancelled() {
    testkit::exercise("ex03.2", || {
        let io_loop = new_loop();
        let handles: Vec<_> = (0..1100)
            .map(|i| io_loop.call_at(1000.0 + f64::from(i), || ()))
            .collect();
        // The last 600: none of them reaches the head.
        for handle in &handles[500..] {
            io_loop.remove_timeout(handle);
        }
        run_one_iteration(&io_loop);
        assert_eq!(
            (io_loop.timeouts_len(), io_loop.cancellations()),
            (500, 0),
            "(heap length, cancellations) with 600 of 1100 removed: 600 > 512 and 600 > \
             1100 >> 1, so Tornado rebuilds the heap and sets `_cancellations = 0`"
        );
        io_loop.close(true);
    });
}

/// Exactly half the heap cancelled is not "more than half": no compaction,
/// and 512 cancellations are not "more than 512".
#[test]
fn ex03_2_no_compaction_at_the_limits() {
    testkit::exercise("ex03.2", || {
        for (total, removed) in [(1026, 513), (1000, 512)] {
            let io_loop = new_loop();
            let handles: Vec<_> = (0..total)
                .map(|i| io_loop.call_at(1000.0 + f64::from(i), || ()))
                .collect();
            for handle in &handles[total as usize - removed..] {
                io_loop.remove_timeout(handle);
            }
            run_one_iteration(&io_loop);
            assert_eq!(
                (io_loop.timeouts_len(), io_loop.cancellations()),
                (total as usize, removed),
                "(heap length, cancellations) with {removed} of {total} removed: Tornado \
                 compacts only when `_cancellations > 512 and _cancellations > \
                 (len(_timeouts) >> 1)`, both strictly"
            );
            io_loop.close(true);
        }
    });
}

// ----------------------------------------------------------------------
// ex03.3: predict the order.

/// ex03.3's program: callbacks and timeouts, some added while the loop runs.
pub fn callbacks_and_timeouts() {
    // A fake clock (one that fails the program rather than let a loop spin).
    let io_loop = IOLoop::with_clock(testkit::GuardedClock::new(0.0)).unwrap();
    let now = io_loop.time();
    let lp = io_loop.clone();
    let c1 = move || {
        say!("C1");
        lp.add_callback(|| say!("C2: added by C1"));
        lp.call_at(now, || say!("T3: deadline now, added by C1"));
    };
    let lp = io_loop.clone();
    let t2 = move || {
        say!("T2: deadline now");
        lp.add_callback(|| say!("C3: added by T2"));
    };
    let lp = io_loop.clone();
    let t4 = move || {
        say!("T4: deadline now + 0.05, stops the loop");
        lp.stop();
        lp.add_callback(|| say!("C4: added by T4, after stop()"));
    };
    io_loop.call_at(now + 0.05, || say!("T1: deadline now + 0.05, added first"));
    io_loop.call_at(now, t2);
    io_loop.add_callback(c1);
    io_loop.call_at(now + 0.05, t4);
    io_loop.call_at(now + 0.05, || say!("T5: deadline now + 0.05, added last"));
    io_loop.start().unwrap();
    say!("start() returned");
    io_loop.close(true);
    IOLoop::clear_current();
}

/// ex03.3: your prediction of `callbacks_and_timeouts`, in `exercises/ex03.3.txt`.
#[test]
fn ex03_3_predict_callbacks_and_timeouts() {
    testkit::exercise("ex03.3", || {
        testkit::predict("ex03.3", env!("CARGO_MANIFEST_DIR"))
    });
}

/// The keys of the chapter's predictions are those of the programs' real
/// recordings (rerun with `COURSE_BLESS=1` after changing a program).
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(callbacks_and_timeouts);
    let output = recording.prints().join("\n");
    testkit::prediction_key(
        "ex03.3",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&output),
    );
}

// ----------------------------------------------------------------------
// ex03.4: running a handler (`IOLoop::run_handler`).

/// A socket pair whose first end is readable, shared so that its handler
/// can remove itself.
fn readable_pair() -> (Rc<UnixStream>, UnixStream) {
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    (Rc::new(socket), peer)
}

/// The handler of a ready descriptor is called with the descriptor's
/// number and the poll's mask.
#[test]
fn ex03_4_a_handler_gets_its_descriptor_and_mask() {
    testkit::exercise("ex03.4", || {
        let io_loop = new_loop();
        let (socket, _peer) = readable_pair();
        let calls: Rc<RefCell<Vec<(RawFd, u32)>>> = Rc::default();
        let (c, lp) = (calls.clone(), io_loop.clone());
        let s = socket.clone();
        io_loop
            .add_handler(
                &*socket,
                move |fd, events| {
                    c.borrow_mut().push((fd, events));
                    lp.remove_handler(&*s);
                    lp.stop();
                },
                IOLoop::READ,
            )
            .unwrap();
        io_loop.start().unwrap();
        assert_eq!(
            *calls.borrow(),
            [(socket.as_raw_fd(), IOLoop::READ)],
            "the handler runs once, with (fd, events) as the poll reported them"
        );
        io_loop.close(true);
    });
}

/// A handler that fails is logged under its name, `h1`, and the loop goes on.
#[test]
fn ex03_4_a_failing_handler_is_logged_and_the_loop_goes_on() {
    testkit::exercise("ex03.4", || {
        let (socket, _peer) = readable_pair();
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            let (lp, once) = (io_loop.clone(), Cell::new(true));
            io_loop
                .add_handler(
                    &*socket,
                    move |_, _| {
                        if !once.replace(false) {
                            return Ok(());
                        }
                        lp.add_callback(|| say!("the loop goes on"));
                        lp.add_callback(lp.bind(IOLoop::stop));
                        say!("the handler fails");
                        Err(PyError::new("ValueError", "bad"))
                    },
                    IOLoop::READ,
                )
                .unwrap();
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(
            prints_and_logs(&recording),
            [
                "[it=1] the handler fails",
                "[it=1] ERROR tornado.application: Exception in callback h1: ValueError: bad",
                "[it=1] the loop goes on",
            ],
            "Tornado logs a handler's exception (`handle_callback_exception`) and runs on"
        );
    });
}

/// A panic in a handler is Python's exception: caught, logged, the loop goes on.
#[test]
fn ex03_4_a_panicking_handler_is_logged() {
    testkit::exercise("ex03.4", || {
        let (socket, _peer) = readable_pair();
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            let lp = io_loop.clone();
            let s = socket.clone();
            io_loop
                .add_handler(
                    &*socket,
                    move |_, _| -> () {
                        lp.remove_handler(&*s);
                        lp.add_callback(lp.bind(IOLoop::stop));
                        panic!("the handler panicked");
                    },
                    IOLoop::READ,
                )
                .unwrap();
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        let logs = prints_and_logs(&recording);
        assert!(
            logs.len() == 1 && logs[0].ends_with("panic: the handler panicked"),
            "a panicking handler is logged once, as `Exception in callback ...: panic: ...` \
             (catch_panic, Tornado's try/except); the log says {logs:?}"
        );
    });
}

/// A handler that removed itself and then failed is logged as `None`:
/// Tornado looks its name up again after the failure.
#[test]
fn ex03_4_a_handler_that_removed_itself_is_logged_as_none() {
    testkit::exercise("ex03.4", || {
        let (socket, _peer) = readable_pair();
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            let lp = io_loop.clone();
            let s = socket.clone();
            io_loop
                .add_handler(
                    &*socket,
                    move |_, _| {
                        lp.remove_handler(&*s);
                        lp.add_callback(lp.bind(IOLoop::stop));
                        Err(PyError::new("OSError", "gone"))
                    },
                    IOLoop::READ,
                )
                .unwrap();
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(
            prints_and_logs(&recording),
            ["[it=1] ERROR tornado.application: Exception in callback None: OSError: gone"],
            "Tornado logs `handle_callback_exception(self._handlers.get(fd))`, looked up after \
             the failure: None for a handler that removed itself"
        );
    });
}

/// A handler that fails with a broken pipe is not logged: Tornado ignores
/// `EPIPE` from a handler (the client closed the connection).
#[test]
fn ex03_4_a_broken_pipe_is_not_logged() {
    testkit::exercise("ex03.4", || {
        let (socket, _peer) = readable_pair();
        let ((), recording) = record(|| {
            let io_loop = new_loop();
            let lp = io_loop.clone();
            let s = socket.clone();
            io_loop
                .add_handler(
                    &*socket,
                    move |_, _| {
                        lp.remove_handler(&*s);
                        lp.add_callback(|| say!("after the handler"));
                        lp.add_callback(lp.bind(IOLoop::stop));
                        Err(io::Error::from(io::ErrorKind::BrokenPipe))
                    },
                    IOLoop::READ,
                )
                .unwrap();
            io_loop.start().unwrap();
            io_loop.close(true);
        });
        assert_eq!(
            prints_and_logs(&recording),
            ["[it=1] after the handler"],
            "Tornado's start() ignores EPIPE from a handler: nothing is logged"
        );
    });
}

// ----------------------------------------------------------------------
// ex03.5: `run_sync`.

/// `run_sync` runs `func` inside the running loop, and returns the result
/// of its future once the future resolves, two polls later (one for the
/// callback that resolves it, one for `add_future`'s hop), as in Tornado.
#[test]
fn ex03_5_returns_the_result_of_funcs_future() {
    testkit::exercise("ex03.5", || {
        let (value, recording) = record(|| {
            let io_loop = new_loop();
            let lp = io_loop.clone();
            let value = io_loop.run_sync(
                move || {
                    say!("func runs; the loop is running: {}", lp.is_running());
                    let future = Future::new();
                    let f = future.clone();
                    lp.add_callback(move || f.set_result(42));
                    future
                },
                None,
            );
            say!("run_sync returned");
            io_loop.close(true);
            value.map_err(|e| e.to_string())
        });
        assert_eq!(value, Ok(42), "run_sync returns the future's result");
        assert_eq!(
            recording.prints(),
            [
                "[it=0] func runs; the loop is running: true",
                "[it=2] run_sync returned"
            ],
            "Tornado calls func from a callback of the running loop, and stops the loop with \
             add_future(future, stop): one iteration after the future resolved"
        );
    });
}

/// A `func` that panics, or whose future fails, makes `run_sync` return
/// that exception.
#[test]
fn ex03_5_returns_the_exception_of_func() {
    testkit::exercise("ex03.5", || {
        let io_loop = new_loop();
        let err = io_loop
            .run_sync::<i32>(|| panic!("division by zero"), None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "panic: division by zero",
            "a func that raises (panics) fails run_sync with its exception"
        );
        let lp = io_loop.clone();
        let err = io_loop
            .run_sync::<i32>(
                move || {
                    let future = Future::new();
                    let f = future.clone();
                    lp.add_callback(move || {
                        let _ = f.set_exception(PyError::new("ValueError", "bad"));
                    });
                    future
                },
                None,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ValueError: bad",
            "a future that fails makes run_sync raise its exception"
        );
        io_loop.close(true);
    });
}

/// A future that does not resolve in time gives `TimeoutError`, on the
/// fake clock at once; the timeout is taken back when `run_sync` returns.
#[test]
fn ex03_5_times_out_with_timeout_error() {
    testkit::exercise("ex03.5", || {
        let io_loop = new_loop();
        let err = io_loop
            .run_sync(Future::<i32>::new, Some(0.05))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "TimeoutError: Operation timed out after 0.05 seconds",
            "Tornado's run_sync raises TimeoutError when the loop stopped first"
        );
        assert_eq!(io_loop.time(), 0.05, "the timeout fired at 0.05");
        let done = io_loop.run_sync(|| Future::resolved(1), Some(10.0));
        assert_eq!(done.ok(), Some(1));
        assert_eq!(
            io_loop.timeouts_len() - io_loop.cancellations().min(io_loop.timeouts_len()),
            0,
            "run_sync removes its timeout when the future came first (remove_timeout)"
        );
        io_loop.close(true);
    });
}

/// Inside the running loop `run_sync` fails with `RuntimeError`, and
/// queues nothing: `func` never runs.
#[test]
fn ex03_5_refuses_inside_the_running_loop_and_leaves_nothing() {
    testkit::exercise("ex03.5", || {
        let io_loop = new_loop();
        let ran = Rc::new(Cell::new(false));
        let seen = Rc::new(RefCell::new(None));
        let (lp, r, s) = (io_loop.clone(), ran.clone(), seen.clone());
        io_loop.add_callback(move || {
            let inner = lp.run_sync(
                move || {
                    r.set(true);
                    Future::resolved(())
                },
                None,
            );
            *s.borrow_mut() = Some(inner.map_err(|e| e.to_string()));
            lp.add_callback(lp.bind(IOLoop::stop));
        });
        io_loop.start().unwrap();
        io_loop.add_callback(io_loop.bind(IOLoop::stop));
        io_loop.start().unwrap();
        assert_eq!(
            seen.take(),
            Some(Err("RuntimeError: IOLoop is already running".to_string())),
            "run_sync inside the running loop is Tornado's RuntimeError"
        );
        assert!(
            !ran.get(),
            "a run_sync that cannot run queues nothing: its func must never run (Tornado's \
             would; ours checks first)"
        );
        io_loop.close(true);
    });
}

/// After a timeout, the stop that `run_sync` hung on the future is
/// disarmed: the future resolving later does not stop somebody else's `start()`.
#[test]
fn ex03_5_a_late_future_does_not_stop_a_later_start() {
    testkit::exercise("ex03.5", || {
        let io_loop = new_loop();
        let late = Future::<i32>::new();
        let l = late.clone();
        let err = io_loop.run_sync(move || l, Some(1.0)).unwrap_err();
        assert!(err.to_string().starts_with("TimeoutError"));
        let order = Rc::new(RefCell::new(Vec::new()));
        let (o, lp) = (order.clone(), io_loop.clone());
        io_loop.add_callback(move || {
            late.set_result(1).unwrap();
            o.borrow_mut().push("resolved the late future");
            let o = o.clone();
            lp.call_later(5.0, move || {
                o.borrow_mut().push("the later start() goes on")
            });
            lp.call_later(6.0, lp.bind(IOLoop::stop));
        });
        io_loop.start().unwrap();
        assert_eq!(
            *order.borrow(),
            ["resolved the late future", "the later start() goes on"],
            "once run_sync has returned, its stop must do nothing when the future resolves"
        );
        io_loop.close(true);
    });
}
