//! Port of Tornado's `TestIOLoop.test_remove_timeout_from_timeout`: a due
//! timeout removed by an earlier timeout of the same iteration does not run;
//! the same holds when a callback of that iteration removes it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};

#[test]
fn test_remove_timeout_from_timeout() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let calls = Rc::new(RefCell::new(Vec::new()));
    let t2: Rc<RefCell<Option<TimeoutHandle>>> = Rc::new(RefCell::new(None));

    // Two timeouts due at the same moment: the first removes the second.
    let now = io_loop.time();
    let (c, lp, h) = (calls.clone(), io_loop.clone(), t2.clone());
    io_loop.add_timeout(now + 0.01, move || {
        c.borrow_mut().push("t1");
        lp.remove_timeout(h.borrow().as_ref().unwrap());
    });
    let c = calls.clone();
    *t2.borrow_mut() = Some(io_loop.add_timeout(now + 0.01, move || c.borrow_mut().push("t2")));
    let lp = io_loop.clone();
    io_loop.add_timeout(now + 0.02, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*calls.borrow(), ["t1"]);
    io_loop.close(true);
}

#[test]
fn a_callback_removes_a_timeout_due_in_its_iteration() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    let due = io_loop.add_timeout(io_loop.time(), move || r.set(true));
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        lp.remove_timeout(&due);
        lp.stop();
    });
    io_loop.start().unwrap();
    assert!(
        !ran.get(),
        "the timeout was already chosen, but removed: it must not run"
    );
    io_loop.close(true);
}
