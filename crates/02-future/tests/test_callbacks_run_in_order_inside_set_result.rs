//! Ports the intent of Tornado 4.5.3's `Future._set_done` (exercised by the
//! twin `ch02_done_callbacks`): done-callbacks run synchronously inside
//! `set_result` / `set_exception`, in registration order, before it returns.

use std::cell::RefCell;
use std::rc::Rc;

use ch02_future::{Future, PyError};

/// A shared log the callbacks write into, so the test sees the order.
fn journal() -> Rc<RefCell<Vec<String>>> {
    Rc::new(RefCell::new(Vec::new()))
}

/// `set_result` runs every waiting callback, in order, before it returns.
#[test]
fn test_callbacks_run_in_order_inside_set_result() {
    let seen = journal();
    let f: Future<i32> = Future::new();
    for name in ["cb1", "cb2", "cb3"] {
        let seen = seen.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            seen.borrow_mut()
                .push(format!("{name} {}", f.result().unwrap()));
        });
    }
    assert!(
        seen.borrow().is_empty(),
        "no callback may run before the future is done"
    );

    seen.borrow_mut().push("before".into());
    f.set_result(42).unwrap();
    seen.borrow_mut().push("after".into());

    assert_eq!(
        *seen.borrow(),
        ["before", "cb1 42", "cb2 42", "cb3 42", "after"]
    );
}

/// `set_exception` runs them the same way, and each sees the exception.
#[test]
fn test_callbacks_run_inside_set_exception() {
    let seen = journal();
    let f: Future<i32> = Future::new();
    for name in ["cb1", "cb2"] {
        let seen = seen.clone();
        f.add_done_callback(move |f: &Future<i32>| {
            let exc = f.exception().unwrap().unwrap();
            seen.borrow_mut().push(format!("{name} {exc}"));
        });
    }
    f.set_exception(PyError::new("ValueError", "bad")).unwrap();
    seen.borrow_mut().push("after".into());

    assert_eq!(
        *seen.borrow(),
        ["cb1 ValueError: bad", "cb2 ValueError: bad", "after"]
    );
}

/// Each callback runs exactly once: a later (refused) second set does not
/// run them again.
#[test]
fn test_callbacks_run_once() {
    let count = Rc::new(RefCell::new(0));
    let f = Future::new();
    let c = count.clone();
    f.add_done_callback(move |_: &Future<()>| *c.borrow_mut() += 1);
    f.set_result(()).unwrap();
    let _ = f.set_result(());
    assert_eq!(*count.borrow(), 1);
}
