//! Port of Tornado's `TestIOLoop.test_reentrant`: calling `start()` from
//! inside the running loop fails with `RuntimeError: IOLoop is already
//! running` instead of deadlocking or nesting a loop.

use std::cell::RefCell;
use std::rc::Rc;

use ch03_ioloop::{IOLoop, IOLoopError};

#[test]
fn test_reentrant() {
    let io_loop = IOLoop::new().unwrap();
    let outcome = Rc::new(RefCell::new(None));
    let (o, lp) = (outcome.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        *o.borrow_mut() = Some(lp.start());
        lp.stop();
    });
    io_loop.start().unwrap();
    let nested = outcome.borrow_mut().take().expect("the callback ran");
    let err = nested.unwrap_err();
    assert!(matches!(err, IOLoopError::AlreadyRunning));
    assert_eq!(err.to_string(), "RuntimeError: IOLoop is already running");
    io_loop.close(true);
}
