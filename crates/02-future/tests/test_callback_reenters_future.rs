//! A done-callback may use the future that is running it: read its result,
//! add another done-callback (which, the future being done, runs at once, as
//! Tornado 4.5.3's `add_done_callback` does because `_set_done` sets `_done`
//! before calling anyone), and complete other futures whose callbacks run
//! nested inside. Nothing may be borrowed while user code runs.

use std::cell::RefCell;
use std::rc::Rc;

use ch02_future::Future;

/// A callback that adds a callback to its own future: the new one runs at
/// once, nested, before the next waiting callback.
#[test]
fn test_callback_reenters_future() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let f: Future<i32> = Future::new();

    let s = seen.clone();
    f.add_done_callback(move |f: &Future<i32>| {
        s.borrow_mut()
            .push(format!("cb1 sees {}", f.result().unwrap()));
        let s2 = s.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            s2.borrow_mut()
                .push(format!("nested sees {}", f.result().unwrap()));
        });
        assert!(
            f.set_result(0).is_err(),
            "already done, even inside its callbacks"
        );
    });
    let s = seen.clone();
    f.add_done_callback(move |_: &Future<i32>| s.borrow_mut().push("cb2".to_string()));

    f.set_result(9).unwrap();
    assert_eq!(*seen.borrow(), ["cb1 sees 9", "nested sees 9", "cb2"]);
}

/// A callback that completes another future runs that future's callbacks
/// nested inside its own: the chain unrolls depth-first.
#[test]
fn test_callback_resolves_other_future() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let first: Future<i32> = Future::new();
    let second: Future<i32> = Future::new();

    let s = seen.clone();
    second.add_done_callback(move |g: &Future<i32>| {
        s.borrow_mut()
            .push(format!("second done {}", g.result().unwrap()))
    });
    let s = seen.clone();
    let next = second.clone();
    first.add_done_callback(move |f: &Future<i32>| {
        s.borrow_mut().push("first cb starts".to_string());
        next.set_result(f.result().unwrap() + 1).unwrap();
        s.borrow_mut().push("first cb ends".to_string());
    });

    first.set_result(1).unwrap();
    assert_eq!(
        *seen.borrow(),
        ["first cb starts", "second done 2", "first cb ends"]
    );
}

/// `Debug` works from inside a callback too.
#[test]
fn test_debug_inside_callback() {
    let shown = Rc::new(RefCell::new(String::new()));
    let f: Future<()> = Future::new();
    let s = shown.clone();
    f.add_done_callback(move |f: &Future<()>| *s.borrow_mut() = format!("{f:?}"));
    f.set_result(()).unwrap();
    assert_eq!(*shown.borrow(), "Future(f0, done)");
}
