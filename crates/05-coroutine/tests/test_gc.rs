//! What becomes of coroutines the program lets go of: Tornado 4.5.3's
//! `RunnerGCTest.test_gc`, `GenCoroutineTest.test_coroutine_refcounting` and
//! the coroutine case of `ReturnFutureTest.test_uncaught_exception_log`,
//! and the Runner's weak hold on the future it waits on.

use std::cell::Cell;
use std::rc::Rc;

use ch00_trace::{EventKind, record, say};
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment, with_timeout};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(100.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// Counts its drops: a coroutine's local whose end the tests watch (the
/// `weakref.ref(local_var)` of Tornado's tests).
struct Guard(Rc<Cell<u32>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// Ports `RunnerGCTest.test_gc` (Tornado issue 1769, "Runner objects can get
/// GCed unexpectedly"): the future the coroutine waits on is reached from
/// the loop callback that resolves it only through a weak reference, and
/// the coroutine's result future only through `with_timeout`; the coroutine
/// still finishes, and its locals are dropped once it has.
#[test]
fn test_gc() {
    let io_loop = fake_loop();
    let (resumed_with, dropped) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let (r, d) = (resumed_with.clone(), dropped.clone());
    io_loop
        .run_sync(
            move || {
                let tester = coroutine(move |co| async move {
                    let _local = Guard(d);
                    let fut = Future::<i32>::new();
                    // PY: `weakref_scope[0] = weakref.ref(fut)`.
                    let weak = fut.downgrade();
                    IOLoop::current().unwrap().add_callback(move || {
                        weak.upgrade()
                            .expect("the awaited future is alive")
                            .set_result(123)
                    });
                    r.set(co.yield_(fut.clone()).await?);
                    Ok(())
                });
                with_timeout(IOLoop::current().unwrap().time() + 0.2, tester)
            },
            None,
        )
        .unwrap();
    assert_eq!(resumed_with.get(), 123);
    assert_eq!(dropped.get(), 1, "the coroutine's locals are dropped");
}

/// A coroutine whose result future nobody holds, waiting on a future that
/// only a loop callback holds, still finishes, then drops its locals.
#[test]
fn coroutine_nobody_holds_finishes_when_its_future_resolves() {
    let io_loop = fake_loop();
    let (finished, dropped) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(0)));
    let fut = Future::<()>::new();
    let (f, fin, d) = (fut.clone(), finished.clone(), dropped.clone());
    drop(coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(f).await?;
        fin.set(true);
        Ok(())
    }));
    io_loop.add_callback(move || fut.set_result(()));
    assert_eq!((finished.get(), dropped.get()), (false, 0), "still waiting");
    let stopper = io_loop.clone();
    io_loop.call_later(1.0, move || stopper.stop());
    io_loop.start().unwrap();
    assert_eq!((finished.get(), dropped.get()), (true, 1));
}

/// A coroutine waiting on a future nobody else holds can never resume: its
/// Runner is freed, and its locals dropped, as soon as it waits, while its
/// result future stays pending. (Tornado 4.5.3 keeps such a coroutine as
/// long as the process lives: `_futures_to_runners` maps its result future
/// to the Runner, which holds that very future.)
#[test]
fn coroutine_waiting_on_a_future_nobody_holds_is_freed_at_once() {
    let _io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    let d = dropped.clone();
    let result = coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(Future::<()>::new()).await
    });
    assert_eq!(dropped.get(), 1, "its locals are dropped");
    assert!(!result.done(), "its result future is never resolved");
}

/// A chain of coroutines, each waiting on the next, the last on a future
/// nobody holds: the whole chain is freed.
#[test]
fn chain_of_abandoned_coroutines_unravels() {
    let _io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    fn link(depth: u32, dropped: Rc<Cell<u32>>) -> Future<()> {
        coroutine(move |co| async move {
            let _local = Guard(dropped.clone());
            if depth == 0 {
                co.yield_(Future::<()>::new()).await
            } else {
                co.yield_(link(depth - 1, dropped)).await
            }
        })
    }
    let top = link(9, dropped.clone());
    assert_eq!(dropped.get(), 10, "all ten coroutines dropped their locals");
    assert!(!top.done());
}

/// Ports `GenCoroutineTest.test_coroutine_refcounting`: a coroutine that
/// fails after a yield drops its locals; the exception it raised, caught by
/// its caller, does not keep them alive.
#[test]
fn test_coroutine_refcounting() {
    let io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    let d = dropped.clone();
    io_loop
        .run_sync(
            move || {
                let inner = move || {
                    coroutine(move |co| async move {
                        let _local_var = Guard(d);
                        co.yield_(coroutine(|_| async { Ok(()) })).await?;
                        Err::<(), _>(PyError::new("ValueError", "Some error").into())
                    })
                };
                coroutine(move |co| async move {
                    match co.yield_(inner()).await {
                        Err(exc) if exc.to_string() == "ValueError: Some error" => Ok(()),
                        other => panic!("expected the ValueError, got {other:?}"),
                    }
                })
            },
            Some(3.0),
        )
        .unwrap();
    assert_eq!(dropped.get(), 1);
}

/// Ports the coroutine case of `ReturnFutureTest.test_uncaught_exception_log`
/// (`concurrent_test.py`): a coroutine that fails, whose future is dropped
/// without anyone looking at it, is reported as "never retrieved" when it
/// is dropped, not before.
#[test]
fn test_uncaught_exception_log() {
    let ((), recording) = record(|| {
        let io_loop = fake_loop();
        io_loop
            .run_sync(
                || {
                    coroutine(|co| async move {
                        let g = coroutine(|co| async move {
                            co.yield_(moment()).await?;
                            Err::<(), _>(
                                PyError::new("ZeroDivisionError", "division by zero").into(),
                            )
                        });
                        co.yield_(moment()).await?;
                        co.yield_(moment()).await?;
                        say!("del g");
                        drop(g);
                        say!("after del g");
                        Ok(())
                    })
                },
                None,
            )
            .unwrap();
    });
    let lines = recording.only(&[EventKind::Print, EventKind::Log]);
    let lines: Vec<&str> = lines.lines().map(|line| &line[7..]).collect();
    assert_eq!(
        lines,
        [
            "> del g",
            "! ERROR tornado.application: Future f2 exception was never retrieved: \
             ZeroDivisionError: division by zero",
            "> after del g",
        ],
        "{recording}"
    );
}
