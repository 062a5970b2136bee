//! `multi` of a list and of a dict (gen_test's `test_multi*`): results in
//! input order, every child waited for, the first failure in input order,
//! the later ones logged unless `quiet_exceptions` says so.

use std::cell::Cell;
use std::collections::BTreeMap;

use ch00_trace::{EventKind, record, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, multi, multi_map, multi_map_quiet, multi_quiet, sleep};

fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// A coroutine that sleeps `delay`, then returns `value`.
fn delayed(delay: f64, value: i32) -> Future<i32> {
    coroutine(move |co| async move {
        co.yield_(sleep(delay)).await?;
        Ok(value)
    })
}

/// `test_multi_delayed`: results keep input order whatever the finishing order.
#[test]
fn test_multi_delayed() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(vec![delayed(0.03, 1), delayed(0.01, 2), delayed(0.02, 3)])
                        .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, [1, 2, 3]);
}

/// `test_multi_dict_delayed`: the dict form keeps the keys.
#[test]
fn test_multi_dict_delayed() {
    let io_loop = fake_loop();
    let results = io_loop
        .run_sync(
            || {
                coroutine(|co| async move {
                    co.yield_(BTreeMap::from([
                        ("a", delayed(0.02, 1)),
                        ("b", delayed(0.01, 2)),
                    ]))
                    .await
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, BTreeMap::from([("a", 1), ("b", 2)]));
}

/// `test_multi_empty`: an empty list or dict resolves at once, keeping its type.
#[test]
fn test_multi_empty() {
    assert_eq!(
        multi(Vec::<Future<i32>>::new()).result().unwrap(),
        Vec::<i32>::new()
    );
    let empty: BTreeMap<&str, Future<i32>> = BTreeMap::new();
    assert!(multi_map(empty).result().unwrap().is_empty());
}

/// `test_multi_future_duplicate`: the same future twice is listened to once
/// and its result appears twice.
#[test]
fn test_multi_future_duplicate() {
    let (a, f, b) = (Future::new(), Future::new(), Future::new());
    let all = multi(vec![a.clone(), f.clone(), b.clone(), f.clone()]);
    a.set_result(1).unwrap();
    f.set_result(2).unwrap();
    assert!(!all.done());
    b.set_result(3).unwrap();
    assert_eq!(all.result().unwrap(), [1, 2, 3, 2]);
}

/// `test_multi_exceptions`: the multi waits for every child even after a
/// failure, raises the first failure in input order and logs the second.
#[test]
fn test_multi_exceptions() {
    let ((), recording) = record(|| {
        let (first, second, slow) = (Future::<i32>::new(), Future::new(), Future::new());
        let all = multi(vec![first.clone(), second.clone(), slow.clone()]);
        second
            .set_exception(PyError::new("KeyError", "second"))
            .unwrap();
        first
            .set_exception(PyError::new("ValueError", "first"))
            .unwrap();
        assert!(!all.done(), "a failed child does not cut the wait short");
        slow.set_result(3).unwrap();
        assert_eq!(all.result().unwrap_err().to_string(), "ValueError: first");
    });
    assert!(
        recording.to_string().contains(
            "! ERROR tornado.application: Multiple exceptions in yield list: KeyError: second"
        ),
        "{recording}"
    );
}

/// gen_test's `async_exception`: a coroutine that fails after one moment.
fn async_exception(name: &'static str, message: &'static str) -> Future<i32> {
    coroutine(move |co| async move {
        co.yield_(ch05_coroutine::moment()).await?;
        Err(PyError::new(name, message).into())
    })
}

/// `quiet_exceptions=RuntimeError`: Python names the class; here a predicate
/// matches the exception made by that name.
fn is_runtime_error(exc: &Exception) -> bool {
    exc.downcast_ref::<PyError>()
        .is_some_and(|e| e.name == "RuntimeError")
}

/// Runs `main` to completion on a fresh loop while recording; returns the
/// lines it printed and the lines logged.
fn run_recorded(main: impl FnOnce() -> Future<()> + 'static) -> (Vec<String>, String) {
    let (result, recording) = record(|| fake_loop().run_sync(main, Some(60.0)));
    result.unwrap();
    (recording.prints(), recording.only(&[EventKind::Log]))
}

/// `test_multi_future_exceptions`: with two failures the first is raised and
/// the second logged; with one failure nothing is logged; with the second
/// failure's type in `quiet_exceptions` nothing is logged either. Tornado
/// 4.5.3 printed the same lines at the same iterations, and logged exactly
/// one "Multiple exceptions in yield list", for the first program.
#[test]
fn test_multi_future_exceptions() {
    let (prints, logged) = run_recorded(|| {
        coroutine(|co| async move {
            let two = vec![
                async_exception("RuntimeError", "error 1"),
                async_exception("RuntimeError", "error 2"),
            ];
            say!("two: {}", co.yield_(two).await.unwrap_err());
            let one = vec![async_exception("RuntimeError", "error 1"), Future::new()];
            let fine = one[1].clone();
            IOLoop::current()
                .unwrap()
                .add_callback(move || fine.set_result(2));
            say!("one: {}", co.yield_(one).await.unwrap_err());
            let quiet = multi_quiet(
                vec![
                    async_exception("RuntimeError", "error 1"),
                    async_exception("RuntimeError", "error 2"),
                ],
                is_runtime_error,
            );
            say!("quiet: {}", co.yield_(quiet).await.unwrap_err());
            Ok(())
        })
    });
    assert_eq!(
        prints,
        [
            "[it=2] two: RuntimeError: error 1",
            "[it=4] one: RuntimeError: error 1",
            "[it=6] quiet: RuntimeError: error 1",
        ]
    );
    assert_eq!(
        logged,
        "[it=1] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: error 2\n"
    );
}

/// `quiet_exceptions` silences by type only the failures after the first:
/// the first is raised even when quiet, a later one of another type is still
/// logged, and the dict form takes the same predicate. Real Tornado 4.5.3
/// raised and logged the same, at the same iterations, for
/// `gen.multi(..., quiet_exceptions=RuntimeError)`.
#[test]
fn quiet_exceptions_silence_only_later_failures_of_their_type() {
    let (prints, logged) = run_recorded(|| {
        coroutine(|co| async move {
            let other_type = multi_quiet(
                vec![
                    async_exception("RuntimeError", "error 1"),
                    async_exception("ValueError", "error 2"),
                ],
                is_runtime_error,
            );
            say!("other type: {}", co.yield_(other_type).await.unwrap_err());
            let first_not_quiet = multi_quiet(
                vec![
                    async_exception("ValueError", "error 1"),
                    async_exception("RuntimeError", "error 2"),
                ],
                is_runtime_error,
            );
            say!(
                "first not quiet: {}",
                co.yield_(first_not_quiet).await.unwrap_err()
            );
            let dict = multi_map_quiet(
                BTreeMap::from([
                    ("a", async_exception("RuntimeError", "error a")),
                    ("b", async_exception("RuntimeError", "error b")),
                ]),
                is_runtime_error,
            );
            say!("dict: {}", co.yield_(dict).await.unwrap_err());
            Ok(())
        })
    });
    assert_eq!(
        prints,
        [
            "[it=2] other type: RuntimeError: error 1",
            "[it=4] first not quiet: ValueError: error 1",
            "[it=6] dict: RuntimeError: error a",
        ]
    );
    assert_eq!(
        logged,
        "[it=1] ! ERROR tornado.application: Multiple exceptions in yield list: ValueError: error 2\n"
    );
}

thread_local! {
    /// How many times a [`Counted`] was cloned on this thread.
    static CLONES: Cell<usize> = const { Cell::new(0) };
}

/// A result that counts its clones: every `future.result()` clones it, so
/// the count is how many times the multi read a child's result.
struct Counted(usize);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.with(|clones| clones.set(clones.get() + 1));
        Counted(self.0)
    }
}

/// `test_multi_performance`, ten times larger: 20,000 children, each
/// resolved by a loop callback (Tornado's `gen.Task(self.io_loop.add_callback)`),
/// complete in linear work. Tornado asserts under a second of wall clock;
/// here the work is counted instead: each child's result is read a bounded
/// number of times (once to collect it, once more when the coroutine takes
/// the list), where a multi that re-read the results at each child's
/// completion would read them N²/2 = 200 million times.
#[test]
fn test_multi_performance() {
    const N: usize = 20_000;
    let io_loop = fake_loop();
    CLONES.with(|clones| clones.set(0));
    let results = io_loop
        .run_sync(
            || {
                let children: Vec<Future<Counted>> = (0..N)
                    .map(|i| {
                        let child = Future::new();
                        let setter = child.clone();
                        IOLoop::current()
                            .unwrap()
                            .add_callback(move || setter.set_result(Counted(i)));
                        child
                    })
                    .collect();
                coroutine(|co| async move {
                    let results = co.yield_(children).await?;
                    Ok(results.iter().map(|c| c.0).sum::<usize>())
                })
            },
            None,
        )
        .unwrap();
    assert_eq!(results, N * (N - 1) / 2, "every child's result, once");
    let clones = CLONES.with(Cell::get);
    assert!(clones <= 2 * N, "{clones} clones for {N} children");
}

/// A `quiet_exceptions` predicate is user code: one that panics counts as
/// "not quiet", so the later failure is logged and the multi still fails
/// with the first.
#[test]
fn a_panicking_quiet_predicate_logs_the_exception() {
    let ((), recording) = record(|| {
        let (first, second) = (Future::<i32>::new(), Future::new());
        let all = multi_quiet(vec![first.clone(), second.clone()], |_| {
            panic!("predicate bug")
        });
        first
            .set_exception(PyError::new("KeyError", "first"))
            .unwrap();
        second
            .set_exception(PyError::new("RuntimeError", "second"))
            .unwrap();
        assert_eq!(all.result().unwrap_err().to_string(), "KeyError: first");
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Multiple exceptions in yield list: RuntimeError: second\n"
    );
}
