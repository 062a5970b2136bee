//! `multi` of a list and of a dict (gen_test's `test_multi*`): results in
//! input order, every child waited for, the first failure in input order.

use std::collections::BTreeMap;

use ch00_trace::record;
use ch01_yield::PyError;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, multi, multi_map, sleep};

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
