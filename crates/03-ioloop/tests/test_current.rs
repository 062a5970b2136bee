//! Ports of Tornado's `TestIOLoopCurrent.test_default_current` (4.5.3: the
//! first loop of a thread becomes current, a second does not) and of the
//! rule that a running loop is current and restores the previous one.

use std::cell::Cell;
use std::rc::Rc;

use ch03_ioloop::IOLoop;

#[test]
fn test_default_current() {
    // Each test runs on its own thread, which starts with no current loop,
    // unless the harness runs tests on the main thread: start clean.
    IOLoop::clear_current();
    let first = IOLoop::new().unwrap();
    assert!(IOLoop::current().unwrap().ptr_eq(&first));
    let second = IOLoop::new().unwrap();
    assert!(
        IOLoop::current().unwrap().ptr_eq(&first),
        "a second loop must not become current"
    );

    // While it runs, a loop is current; afterwards the previous one is back.
    let was_current = Rc::new(Cell::new(false));
    let (w, lp) = (was_current.clone(), second.clone());
    second.add_callback(move || {
        w.set(IOLoop::current().unwrap().ptr_eq(&lp));
        lp.stop();
    });
    second.start().unwrap();
    assert!(was_current.get());
    assert!(IOLoop::current().unwrap().ptr_eq(&first));

    IOLoop::clear_current();
    assert!(IOLoop::try_current().is_none());
    first.close(true);
    second.close(true);
}

#[test]
fn current_creates_a_loop_when_there_is_none() {
    IOLoop::clear_current();
    let made = IOLoop::current().unwrap();
    assert!(
        IOLoop::current().unwrap().ptr_eq(&made),
        "the new loop becomes current"
    );
    IOLoop::clear_current();
    made.close(true);
}

#[test]
fn every_thread_has_its_own_current_loop() {
    IOLoop::clear_current();
    let here = IOLoop::current().unwrap();
    let other_thread_had_none = std::thread::spawn(|| IOLoop::try_current().is_none())
        .join()
        .unwrap();
    assert!(other_thread_had_none);
    IOLoop::clear_current();
    here.close(true);
}

/// Port of `TestIOLoopCurrent.test_force_current`: a loop made with
/// `make_current=True` is current, and a second one cannot be made so;
/// the failed construction leaves the current loop alone.
#[test]
fn test_force_current() {
    use ch03_ioloop::{IOLoopError, SystemClock};
    IOLoop::clear_current();
    let io_loop = IOLoop::with_options(SystemClock, Some(true)).unwrap();
    assert!(IOLoop::current().unwrap().ptr_eq(&io_loop));
    let err = IOLoop::with_options(SystemClock, Some(true)).unwrap_err();
    assert!(matches!(err, IOLoopError::CurrentExists));
    assert_eq!(
        err.to_string(),
        "RuntimeError: current IOLoop already exists"
    );
    assert!(IOLoop::current().unwrap().ptr_eq(&io_loop));
    IOLoop::clear_current();
    io_loop.close(true);
}

/// Port of `TestIOLoopCurrent.test_non_current`: a loop made with
/// `make_current=False` is not current; starting it makes it current and
/// stopping it makes it non-current again, repeatably.
#[test]
fn test_non_current() {
    use ch03_ioloop::SystemClock;
    IOLoop::clear_current();
    let io_loop = IOLoop::with_options(SystemClock, Some(false)).unwrap();
    assert!(IOLoop::try_current().is_none());
    for _ in 0..3 {
        let current = Rc::new(std::cell::RefCell::new(None));
        let (c, lp) = (current.clone(), io_loop.clone());
        io_loop.add_callback(move || {
            *c.borrow_mut() = Some(IOLoop::current().unwrap());
            lp.stop();
        });
        io_loop.start().unwrap();
        assert!(current.borrow().as_ref().unwrap().ptr_eq(&io_loop));
        assert!(IOLoop::try_current().is_none());
    }
    io_loop.close(true);
}
