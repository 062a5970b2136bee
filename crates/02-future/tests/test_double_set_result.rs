//! A second `set_result`/`set_exception` is refused with
//! `InvalidStateError`, as in Tornado 3.x (`concurrent.futures`) and 6.x
//! (`asyncio`). Tornado 4.5.3 checks nothing ("It is undefined to call any of
//! the set methods more than once"): it overwrites and then fails with
//! `TypeError`. The course chose the error of the other two versions.

use std::cell::Cell;
use std::rc::Rc;

use ch02_future::{Future, FutureError, PyError};

/// The second `set_result` is `InvalidState`, and the first value stays.
#[test]
fn test_double_set_result() {
    let f = Future::new();
    f.set_result(1).unwrap();
    assert_eq!(f.set_result(2), Err(FutureError::InvalidState));
    assert_eq!(f.result().unwrap(), 1);
}

/// `set_exception` after `set_result` (and the other way round) is refused
/// too, and stores nothing.
#[test]
fn test_set_exception_after_set_result() {
    let f = Future::new();
    f.set_result(1).unwrap();
    assert_eq!(
        f.set_exception(PyError::new("ValueError", "late")),
        Err(FutureError::InvalidState)
    );
    assert!(f.exception().unwrap().is_none());

    let g: Future<i32> = Future::new();
    g.set_exception(PyError::new("ValueError", "first"))
        .unwrap();
    assert_eq!(g.set_result(2), Err(FutureError::InvalidState));
    assert_eq!(g.result().unwrap_err().to_string(), "ValueError: first");
}

/// A refused set does not run the done-callbacks a second time.
#[test]
fn test_double_set_does_not_rerun_callbacks() {
    let runs = Rc::new(Cell::new(0));
    let f = Future::new();
    let r = runs.clone();
    f.add_done_callback(move |_: &Future<i32>| r.set(r.get() + 1));
    f.set_result(1).unwrap();
    let _ = f.set_result(2);
    assert_eq!(runs.get(), 1);
}

/// The error reads like Python's and converts into an `Exception` with `?`.
#[test]
fn test_invalid_state_error_display() {
    fn set_twice() -> Result<(), ch02_future::Exception> {
        let f = Future::resolved(());
        f.set_result(())?;
        Ok(())
    }
    let exc = set_twice().unwrap_err();
    assert_eq!(exc.to_string(), "InvalidStateError: invalid state");
    assert!(exc.is::<FutureError>());
}
