//! Tornado 6 mode for coroutines: `@gen.coroutine` on a loop made inside
//! `with_era(Era::Tornado6, ...)`, where futures are `asyncio.Future`
//! (done-callbacks scheduled with `call_soon`) and the Runner resumes inside
//! `add_future`'s done-callback.
//!
//! Each test ports one of Tornado 6.6.1's `tornado/test/gen_test.py` /
//! `ioloop_test.py` tests, or an iteration count of the `ch05_result_hops`
//! twin, and asserts what real 6.6.1 printed (`[it=N]` counted as the twins
//! count them: polls completed). Where 4.5.3 differs, the test says so and
//! checks both.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{Era, EventKind, iteration, record, say, with_era};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment, sleep, with_timeout};

/// A loop of `era` on a fake clock, made current.
fn loop_in(era: Era) -> IOLoop {
    let io_loop = with_era(era, || IOLoop::with_clock(FakeClock::new(0.0)).unwrap());
    assert_eq!(io_loop.era(), era);
    io_loop.make_current();
    io_loop
}

/// Runs `main` with `run_sync` on a fresh loop of `era`, recording (so that
/// `iteration()` counts polls), and hands back its outcome and the
/// recording's log lines.
fn run<T: Clone + 'static>(
    era: Era,
    main: impl FnOnce() -> Future<T> + 'static,
) -> (Result<T, Exception>, String) {
    let (result, recording) = record(|| {
        with_era(era, || {
            let io_loop = loop_in(era);
            let result = io_loop.run_sync(main, None);
            io_loop.close(true);
            result
        })
    });
    (result, recording.only(&[EventKind::Log]))
}

type Journal = Rc<RefCell<Vec<(String, u32)>>>;

fn journal() -> Journal {
    Rc::new(RefCell::new(Vec::new()))
}

fn mark(seen: &Journal, name: &str) {
    seen.borrow_mut().push((name.to_string(), iteration()));
}

/// The iteration `name` was marked in.
fn at(seen: &Journal, name: &str) -> u32 {
    let seen = seen.borrow();
    let found = seen.iter().find(|(n, _)| n == name);
    found
        .unwrap_or_else(|| panic!("{name} never ran: {seen:?}"))
        .1
}

/// gen_test.py `test_multi_moment`: `yield [gen.moment, gen.moment]`
/// resolves to `[None, None]` with no hop (`multi_future` sees two done
/// children and is done at once; only a bare `yield gen.moment` costs an
/// iteration). 6.6.1 printed both lines at `[it=1]`.
#[test]
fn test_multi_moment() {
    let seen = journal();
    let s = seen.clone();
    let (result, logs) = run(Era::Tornado6, move || {
        coroutine(move |co| async move {
            mark(&s, "before");
            let moments = co.yield_(vec![moment(), moment()]).await?;
            mark(&s, "after multi");
            co.yield_(moment()).await?;
            mark(&s, "after moment");
            Ok(moments.len())
        })
    });
    assert_eq!(result.unwrap(), 2);
    assert_eq!(logs, "");
    assert_eq!(at(&seen, "after multi"), at(&seen, "before"));
    assert_eq!(at(&seen, "after moment"), at(&seen, "before") + 1);
}

/// The `ch05_result_hops` twin, multi line: `yield [f1, f2]` of pending
/// futures resumes the parent two iterations after the last child is set
/// under 6.6.1 (`[it=6]` set, `[it=8]` resumed: the multi's own future is
/// set in a scheduled done-callback, and the Runner's in another), one under
/// 4.5.3 (children copy into the multi inside `set_result`).
#[test]
fn multi_of_pending_futures_resumes_two_iterations_after_the_last_child() {
    for (era, hops) in [(Era::Tornado6, 2), (Era::Tornado4, 1)] {
        let seen = journal();
        let s = seen.clone();
        let (result, _) = run(era, move || {
            coroutine(move |co| async move {
                let (f1, f2) = (Future::new(), Future::new());
                let io_loop = IOLoop::current()?;
                let (g1, g2, lp, s2) = (f1.clone(), f2.clone(), io_loop.clone(), s.clone());
                io_loop.add_callback(move || {
                    g1.set_result(1).unwrap();
                    lp.add_callback(move || {
                        mark(&s2, "last child set");
                        g2.set_result(2).unwrap();
                    });
                });
                let results = co.yield_(vec![f1, f2]).await?;
                mark(&s, "parent resumed");
                Ok(results)
            })
        });
        assert_eq!(result.unwrap(), [1, 2]);
        assert_eq!(
            at(&seen, "parent resumed"),
            at(&seen, "last child set") + hops,
            "{era}"
        );
    }
}

/// The `ch05_result_hops` twin, done-callback line: a done-callback added to
/// a coroutine's result future runs one iteration after the coroutine
/// returns under 6.6.1 (`[it=12]` returns, `[it=13]` callback and parent),
/// in the same iteration under 4.5.3 (inside `set_result`).
#[test]
fn a_coroutines_done_callback_runs_one_iteration_after_it_returns() {
    for (era, hops) in [(Era::Tornado6, 1), (Era::Tornado4, 0)] {
        let seen = journal();
        let s = seen.clone();
        let (result, _) = run(era, move || {
            coroutine(move |co| async move {
                let s2 = s.clone();
                let child = coroutine(move |co| async move {
                    co.yield_(moment()).await?;
                    mark(&s2, "child returns");
                    Ok(7)
                });
                let s3 = s.clone();
                child.add_done_callback(move |_: &Future<i32>| mark(&s3, "done-callback"));
                let value = co.yield_(child).await?;
                mark(&s, "parent resumed");
                Ok(value)
            })
        });
        assert_eq!(result.unwrap(), 7);
        let returned = at(&seen, "child returns");
        assert_eq!(at(&seen, "done-callback"), returned + hops, "{era}");
        assert_eq!(at(&seen, "parent resumed"), returned + 1, "{era}");
    }
}

/// gen_test.py `GenCoroutineTest.test_async_raise` and `test_sync_raise`,
/// with a Rust panic standing for `1 / 0`: a panic after a `yield` fails the
/// coroutine's future and `run_sync` returns it (6.6.1: `ValueError: boom`);
/// one before the first `yield` is not raised to the caller but waits in the
/// future, and the parent sees it at its `yield`. Nothing hangs.
#[test]
fn a_panic_in_a_coroutine_body_fails_its_future() {
    let (result, _) = run(Era::Tornado6, || {
        coroutine(|co| async move {
            co.yield_(moment()).await?;
            if true {
                panic!("boom after a yield");
            }
            Ok(())
        })
    });
    let err = result.unwrap_err().to_string();
    assert!(err.contains("boom after a yield"), "{err}");

    let (result, _) = run(Era::Tornado6, || {
        coroutine(|co| async move {
            let child: Future<i32> = coroutine(|_co| async move { panic!("boom at once") });
            match co.yield_(child).await {
                Ok(_) => Ok("child succeeded".to_string()),
                Err(exc) => Ok(format!("parent caught: {exc}")),
            }
        })
    });
    let caught = result.unwrap();
    assert!(
        caught.starts_with("parent caught:") && caught.contains("boom at once"),
        "{caught}"
    );
}

/// Tornado 6.6.1 `gen.with_timeout`: `future_add_done_callback(future,
/// ...)` and `chain_future` copy a child that is already done at once, so
/// `yield gen.with_timeout(..., done_future)` resumes with no hop (6.6.1:
/// "before with_timeout done" and "resumed 5" both at `[it=5]`).
#[test]
fn with_timeout_on_a_done_future_costs_no_hop() {
    let seen = journal();
    let s = seen.clone();
    let (result, logs) = run(Era::Tornado6, move || {
        coroutine(move |co| async move {
            let deadline = IOLoop::current()?.time() + 10.0;
            mark(&s, "before");
            let value = co
                .yield_(with_timeout(deadline, Future::resolved(5)))
                .await?;
            mark(&s, "after");
            Ok(value)
        })
    });
    assert_eq!(result.unwrap(), 5);
    assert_eq!(logs, "");
    assert_eq!(at(&seen, "after"), at(&seen, "before"));
}

/// ioloop_test.py `TestIOLoopRunSync.test_timeout` (`yield gen.sleep(1)`
/// with `timeout=0.01`): `TimeoutError`, the coroutine's future cancelled;
/// the coroutine still wakes later and returns into the cancelled future
/// quietly (6.6.1 `future_set_result_unless_cancelled`: nothing logged).
#[test]
fn run_sync_timeout_cancels_a_sleeping_coroutine() {
    let seen = journal();
    let cell: Rc<RefCell<Option<Future<i32>>>> = Rc::new(RefCell::new(None));
    let ((), recording) = record(|| {
        with_era(Era::Tornado6, || {
            let io_loop = loop_in(Era::Tornado6);
            let (s, c) = (seen.clone(), cell.clone());
            let err = io_loop
                .run_sync(
                    move || {
                        let f = coroutine(move |co| async move {
                            co.yield_(sleep(1.0)).await?;
                            mark(&s, "wakes");
                            Ok(3)
                        });
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
            assert!(cell.borrow().as_ref().unwrap().cancelled());
            let lp = io_loop.clone();
            io_loop.call_later(2.0, move || lp.stop());
            io_loop.start().unwrap();
            io_loop.close(true);
        })
    });
    assert_eq!(seen.borrow().len(), 1, "the coroutine ran to its end");
    assert_eq!(recording.only(&[EventKind::Log]), "");
}

/// Tornado 6.6.1 `future_set_exc_info` (via the Runner): a coroutine that
/// *fails* after its future was cancelled (run_sync's timeout) cannot store
/// the exception, and logs it instead: 6.6.1 printed `LOG ERROR
/// tornado.application: Exception after Future was cancelled:
/// ZeroDivisionError: division by zero`.
#[test]
fn a_failure_after_cancel_is_logged() {
    let ((), recording) = record(|| {
        with_era(Era::Tornado6, || {
            let io_loop = loop_in(Era::Tornado6);
            let err = io_loop
                .run_sync(
                    || {
                        coroutine(|co| async move {
                            co.yield_(sleep(0.05)).await?;
                            Err::<i32, _>(
                                PyError::new("ZeroDivisionError", "division by zero").into(),
                            )
                        })
                    },
                    Some(0.01),
                )
                .unwrap_err();
            assert!(err.to_string().starts_with("TimeoutError"), "{err}");
            let lp = io_loop.clone();
            io_loop.call_later(0.1, move || lp.stop());
            io_loop.start().unwrap();
            io_loop.close(true);
        })
    });
    let logs = recording.only(&[EventKind::Log]);
    assert!(
        logs.contains(
            "ERROR tornado.application: Exception after Future was cancelled: \
             ZeroDivisionError: division by zero"
        ),
        "logs: {logs:?}"
    );
}

/// Tornado 6.6.1 `gen.multi_future` ("As in asyncio.gather, a cancelled
/// child is treated as an error, and does not cancel the combined future")
/// and `gen.with_timeout` (`chain_future` copies a cancel; a timeout leaves
/// the slow future running and logs its late failure). The lines and their
/// iterations are what 6.6.1 printed for the same program: a cancelled
/// child raises `CancelledError` at the `yield`; a cancelled child beside a
/// failed one is not logged as "Multiple exceptions in yield list".
#[test]
fn cancelled_children_of_multi_and_with_timeout() {
    let ((), recording) = record(|| {
        with_era(Era::Tornado6, || {
            let io_loop = loop_in(Era::Tornado6);
            let result = io_loop.run_sync(
                || {
                    coroutine(|co| async move {
                        let lp = IOLoop::current()?;
                        let (f1, f2) = (Future::<i32>::new(), Future::<i32>::new());
                        let (g1, g2) = (f1.clone(), f2.clone());
                        lp.add_callback(move || {
                            g1.cancel();
                            g2.set_result(2).unwrap();
                        });
                        if let Err(exc) = co.yield_(vec![f1, f2]).await {
                            say!("multi raised {exc}");
                        }

                        let (f1, f2) = (Future::<i32>::new(), Future::<i32>::new());
                        let (g1, g2) = (f1.clone(), f2.clone());
                        lp.add_callback(move || {
                            g1.set_exception(PyError::new("ValueError", "v")).unwrap();
                            g2.cancel();
                        });
                        if let Err(exc) = co.yield_(vec![f1, f2]).await {
                            say!("multi2 raised {exc}");
                        }

                        let f = Future::<i32>::new();
                        let g = f.clone();
                        lp.add_callback(move || {
                            g.cancel();
                        });
                        if let Err(exc) = co.yield_(with_timeout(lp.time() + 5.0, f)).await {
                            say!("with_timeout raised {exc}");
                        }

                        let f = Future::<i32>::new();
                        if let Err(exc) = co.yield_(with_timeout(lp.time() + 1.0, f.clone())).await
                        {
                            say!("with_timeout timed out {exc}");
                        }
                        f.set_exception(PyError::new("KeyError", "'late'")).unwrap();
                        co.yield_(sleep(0.01)).await?;
                        say!("end");
                        Ok(())
                    })
                },
                None,
            );
            io_loop.close(true);
            result.unwrap();
        })
    });
    let lines: Vec<String> = recording
        .only(&[EventKind::Print, EventKind::Log])
        .lines()
        .map(|line| line.replace("Future f10 after", "Future after"))
        .collect();
    assert_eq!(
        lines,
        [
            "[it=4] > multi raised CancelledError",
            "[it=7] > multi2 raised ValueError: v",
            "[it=10] > with_timeout raised CancelledError",
            "[it=12] > with_timeout timed out TimeoutError: Timeout",
            "[it=13] ! ERROR tornado.application: Exception in Future after timeout: \
             KeyError: 'late'",
            "[it=15] > end",
        ]
    );
}

/// Tornado 6.6.1 `IOLoop.run_sync` over asyncio's `run_forever`, after a
/// `stop()` made before it: the one iteration runs `func`, and a pending
/// future is "Event loop stopped before Future completed." (a); a done one
/// is returned (b), but the stop its done-callback queued is still ready, so
/// it stops the *next* `run_sync` after one iteration (c); the one after
/// that runs normally (d). 6.6.1 printed these four lines at these
/// iterations.
#[test]
fn run_sync_after_stop_runs_one_iteration() {
    fn slow() -> Future<i32> {
        coroutine(|co| async move {
            co.yield_(sleep(0.01)).await?;
            Ok(9)
        })
    }
    let ((), recording) = record(|| {
        with_era(Era::Tornado6, || {
            let io_loop = loop_in(Era::Tornado6);
            let show = |r: Result<i32, Exception>| match r {
                Ok(value) => value.to_string(),
                Err(exc) => exc.to_string(),
            };
            io_loop.stop();
            say!("a: {}", show(io_loop.run_sync(Future::<i32>::new, None)));
            io_loop.stop();
            say!(
                "b: {}",
                show(io_loop.run_sync(|| Future::resolved(5), None))
            );
            say!("c: {}", show(io_loop.run_sync(slow, None)));
            say!("d: {}", show(io_loop.run_sync(slow, None)));
            io_loop.close(true);
        })
    });
    assert_eq!(
        recording.prints(),
        [
            "[it=1] a: RuntimeError: Event loop stopped before Future completed.",
            "[it=2] b: 5",
            "[it=3] c: RuntimeError: Event loop stopped before Future completed.",
            "[it=7] d: 9",
        ]
    );
}
