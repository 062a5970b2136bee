//! `gen.engine` and stack contexts: an engine function's error after its
//! first yield is raised into the stack context of the code that called it
//! (Tornado 4.5.3's `stack_context.wrap(final_callback)`). Ports gen_test's
//! `test_exception_phase2`, whose test case's own context catches it.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch01_yield::PyError;
use ch03_ioloop::stack_context::ExceptionStackContext;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{engine, moment};

fn fails_after_a_yield() -> Result<(), ch01_yield::Exception> {
    engine(|co| async move {
        co.yield_(moment()).await?;
        Err(PyError::new("ZeroDivisionError", "division by zero").into())
    })
}

/// The engine's error after its first yield reaches the handler that was
/// active where the engine function was called. Ports
/// `test_exception_phase2`.
#[test]
fn test_exception_phase2() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    let s = seen.clone();
    ExceptionStackContext::new(move |exc| {
        s.borrow_mut().push(exc.to_string());
        Ok(true)
    })
    .run(|_| fails_after_a_yield().unwrap())
    .unwrap();
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["ZeroDivisionError: division by zero"]);
}

/// With no context, the same error is logged by the future whose
/// done-callback raised it.
#[test]
fn engine_error_after_first_yield_without_a_context_is_logged() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current();
        fails_after_a_yield().unwrap();
        let lp = io_loop.clone();
        io_loop.call_later(1.0, move || lp.stop());
        io_loop.start().unwrap();
    });
    assert!(
        recording
            .only(&[EventKind::Log])
            .contains("ZeroDivisionError: division by zero"),
        "{recording}"
    );
}
