//! Ports of Tornado 4.5.3's `tornado/test/stack_context_test.py`
//! (`StackContextTest`, the parts without `gen`; those are in chapter 06's
//! `test_stack_context.rs`), and the loop's side of stack contexts: what it
//! wraps (`add_callback`, `add_timeout`, `add_handler`, `add_future`) and
//! what it does not (`spawn_callback`).

use std::cell::RefCell;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use ch00_trace::{EventKind, record};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::stack_context::{
    ContextManager, Contexts, Deactivate, ExceptionStackContext, NullContext, StackContext,
    is_active, run_with_stack_context, wrap,
};
use ch03_ioloop::{FakeClock, IOLoop};

/// `self.active_contexts`: the names of the contexts entered, innermost last.
type Active = Rc<RefCell<Vec<&'static str>>>;

/// `@contextlib.contextmanager def context(self, name)`: appends its name on
/// enter, and on exit checks that it is the innermost one and pops it.
struct Named {
    name: &'static str,
    active: Active,
}

impl ContextManager for Named {
    fn enter(&mut self) -> Result<(), Exception> {
        self.active.borrow_mut().push(self.name);
        Ok(())
    }
    fn exit(&mut self, _exc: Option<&Exception>) -> Result<bool, Exception> {
        assert_eq!(self.active.borrow_mut().pop(), Some(self.name));
        Ok(false)
    }
}

/// `StackContext(functools.partial(self.context, name))`.
fn named(active: &Active, name: &'static str) -> StackContext {
    let active = active.clone();
    StackContext::new(move || {
        Box::new(Named {
            name,
            active: active.clone(),
        })
    })
}

fn new_loop() -> IOLoop {
    IOLoop::with_clock(FakeClock::new(0.0)).unwrap()
}

fn value_error(message: &str) -> Result<(), PyError> {
    Err(PyError::new("ValueError", message))
}

/// A handler that records what it is offered and swallows it.
fn recording_handler(seen: &Rc<RefCell<Vec<String>>>) -> ExceptionStackContext {
    let seen = seen.clone();
    ExceptionStackContext::new(move |exc| {
        seen.borrow_mut().push(exc.to_string());
        Ok(true)
    })
}

/// A library that captures its caller's context, then adds its own: the
/// caller's callback runs with the caller's context innermost. Ports
/// `test_exit_library_context`.
#[test]
fn test_exit_library_context() {
    let io_loop = new_loop();
    let active: Active = Rc::default();
    let library_function = {
        let (io_loop, active) = (io_loop.clone(), active.clone());
        move |callback: Box<dyn FnMut(()) -> Result<(), Exception>>| {
            // Captures the caller's context before introducing its own.
            let mut callback = wrap(callback);
            let (a, lp) = (active.clone(), io_loop.clone());
            named(&active, "library")
                .run(move |_| {
                    lp.add_callback(move || {
                        assert_eq!(
                            a.borrow()[a.borrow().len() - 2..],
                            ["application", "library"]
                        );
                        callback(())
                    })
                })
                .unwrap();
        }
    };
    let (a, lp) = (active.clone(), io_loop.clone());
    let final_callback = Box::new(move |()| {
        // The full stack is [application, library, application]: the
        // library's context was not removed, but is no longer innermost.
        assert_eq!(a.borrow().last(), Some(&"application"));
        lp.stop();
        Ok(())
    });
    named(&active, "application")
        .run(|_| library_function(final_callback))
        .unwrap();
    io_loop.start().unwrap();
}

/// Deactivating a context does not remove it from a call already running,
/// but callbacks run later no longer enter it. Ports `test_deactivate`.
#[test]
fn test_deactivate() {
    let io_loop = new_loop();
    let active: Active = Rc::default();
    let deactivates: Rc<RefCell<Vec<Deactivate>>> = Rc::default();
    let (lp, a, d) = (io_loop.clone(), active.clone(), deactivates.clone());
    let f4 = move || {
        assert_eq!(*a.borrow(), ["c1", "c2", "c3"]);
        d.borrow()[1].call();
        assert_eq!(*a.borrow(), ["c1", "c2", "c3"]);
        let (a, lp2) = (a.clone(), lp.clone());
        lp.add_callback(move || {
            assert_eq!(*a.borrow(), ["c1", "c3"]);
            lp2.stop();
        });
    };
    let nest = |name: &'static str, next: Box<dyn FnOnce()>| {
        let (lp, a, d) = (io_loop.clone(), active.clone(), deactivates.clone());
        move || {
            named(&a, name)
                .run(|deactivate| {
                    d.borrow_mut().push(deactivate);
                    lp.add_callback(next);
                })
                .unwrap();
        }
    };
    let f3 = nest("c3", Box::new(f4));
    let f2 = nest("c2", Box::new(f3));
    let f1 = nest("c1", Box::new(f2));
    io_loop.add_callback(f1);
    io_loop.start().unwrap();
}

/// A function wrapped inside three nested contexts, and their deactivation
/// callbacks (made under `NullContext`, so no outer context is involved).
/// A wrapped function, its contexts' deactivation callbacks, and what the
/// function saw active when it last ran.
type WrappedInThree = (
    Box<dyn FnMut(()) -> Result<(), Exception>>,
    Vec<Deactivate>,
    Active,
);

fn wrapped_in_three(active: &Active) -> WrappedInThree {
    let seen: Active = Rc::default();
    let (a, s) = (active.clone(), seen.clone());
    NullContext::run(|| {
        let c0 = named(active, "c0").enter().unwrap();
        let c1 = named(active, "c1").enter().unwrap();
        let c2 = named(active, "c2").enter().unwrap();
        let func = wrap(move |()| {
            *s.borrow_mut() = a.borrow().clone();
            Ok(())
        });
        let deactivates = vec![c0.deactivate(), c1.deactivate(), c2.deactivate()];
        c2.exit(None).unwrap();
        c1.exit(None).unwrap();
        c0.exit(None).unwrap();
        (func, deactivates, seen)
    })
}

/// Deactivating the outermost (tail) context drops it from later calls.
/// Ports `test_deactivate_order` (its first two cases).
#[test]
fn test_deactivate_order_tail() {
    let active: Active = Rc::default();
    let (mut func, _deactivates, seen) = wrapped_in_three(&active);
    func(()).unwrap();
    assert_eq!(*seen.borrow(), ["c0", "c1", "c2"]);
    let (mut func, deactivates, seen) = wrapped_in_three(&active);
    deactivates[0].call();
    func(()).unwrap();
    assert_eq!(*seen.borrow(), ["c1", "c2"]);
}

/// Deactivating the middle context drops it from later calls. Ports
/// `test_deactivate_order` (its third case).
#[test]
fn test_deactivate_order_middle() {
    let active: Active = Rc::default();
    let (mut func, deactivates, seen) = wrapped_in_three(&active);
    deactivates[1].call();
    func(()).unwrap();
    assert_eq!(*seen.borrow(), ["c0", "c2"]);
}

/// Deactivating the innermost (head) context drops it from later calls.
/// Ports `test_deactivate_order` (its last case).
#[test]
fn test_deactivate_order_head() {
    let active: Active = Rc::default();
    let (mut func, deactivates, seen) = wrapped_in_three(&active);
    deactivates[2].call();
    func(()).unwrap();
    assert_eq!(*seen.borrow(), ["c0", "c1"]);
}

/// A chain started in `c1` keeps `c1`, and does not pick up `c2`, the
/// context it happened to be called in. Ports `test_isolation_nonempty`.
#[test]
fn test_isolation_nonempty() {
    let io_loop = new_loop();
    let active: Active = Rc::default();
    let (a, lp) = (active.clone(), io_loop.clone());
    let f2 = move |()| {
        assert!(a.borrow().contains(&"c1"));
        let (a, lp2) = (a.clone(), lp.clone());
        lp.add_callback(move || {
            assert!(a.borrow().contains(&"c1"));
            assert!(!a.borrow().contains(&"c2"));
            lp2.stop();
        });
        Ok(())
    };
    let a = active.clone();
    io_loop.add_callback(move || {
        let mut wrapped = named(&a, "c1").run(|_| wrap(f2)).unwrap().unwrap();
        named(&a, "c2").run(|_| wrapped(())).unwrap().unwrap()
    });
    io_loop.start().unwrap();
}

/// The same chain started with no context carries none, whatever it is
/// called in (Tornado's `null_wrapper`). Ports `test_isolation_empty`.
#[test]
fn test_isolation_empty() {
    let io_loop = new_loop();
    let active: Active = Rc::default();
    let (a, lp) = (active.clone(), io_loop.clone());
    let f2 = move |()| {
        let (a, lp2) = (a.clone(), lp.clone());
        lp.add_callback(move || {
            assert!(!a.borrow().contains(&"c2"));
            lp2.stop();
        });
        Ok(())
    };
    let a = active.clone();
    io_loop.add_callback(move || {
        let mut wrapped = NullContext::run(|| wrap(f2));
        named(&a, "c2").run(|_| wrapped(())).unwrap().unwrap()
    });
    io_loop.start().unwrap();
}

/// A callback added inside an `ExceptionStackContext` that raises (returns
/// `Err`) has its exception handed to the handler, which swallows it:
/// nothing is logged.
#[test]
fn add_callback_error_goes_to_the_handler_of_its_context() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let ((), recording) = record(|| {
        let io_loop = new_loop();
        recording_handler(&seen)
            .run(|_| io_loop.add_callback(|| value_error("late")))
            .unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
    });
    assert_eq!(*seen.borrow(), ["ValueError: late"]);
    assert_eq!(recording.only(&[EventKind::Log]), "");
}

/// A panic in a wrapped callback is the exception the handler sees.
#[test]
fn panicking_callback_is_offered_to_the_handler_as_its_exception() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    recording_handler(&seen)
        .run(|_| io_loop.add_callback(|| -> () { panic!("in a callback") }))
        .unwrap();
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["panic: in a callback"]);
}

/// The context goes on with what the callback schedules in turn: the
/// error of a callback two hops away still reaches the handler (the
/// `part2`/`part3` chain of `HTTPStackContextTest`).
#[test]
fn context_follows_callbacks_scheduled_by_wrapped_callbacks() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    let lp = io_loop.clone();
    recording_handler(&seen)
        .run(|_| {
            io_loop.add_callback(move || {
                let lp2 = lp.clone();
                lp.add_callback(move || {
                    lp2.stop();
                    value_error("part3")
                })
            })
        })
        .unwrap();
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["ValueError: part3"]);
}

/// A handler that declines (returns `false`) leaves the exception to the
/// loop, which logs it as for any callback.
#[test]
fn declined_exception_is_logged_by_the_loop() {
    let ((), recording) = record(|| {
        let io_loop = new_loop();
        ExceptionStackContext::new(|_| Ok(false))
            .run(|_| io_loop.add_callback(|| value_error("declined")))
            .unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: ValueError: declined\n"
    );
}

/// Nested handlers: the inner one is offered the exception first; when it
/// declines, the outer one gets it.
#[test]
fn inner_handler_declines_outer_handler_swallows() {
    let order = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    let (o1, o2) = (order.clone(), order.clone());
    ExceptionStackContext::new(move |_| {
        o1.borrow_mut().push("outer");
        Ok(true)
    })
    .run(|_| {
        ExceptionStackContext::new(move |_| {
            o2.borrow_mut().push("inner");
            Ok(false)
        })
        .run(|_| io_loop.add_callback(|| value_error("nested")))
        .unwrap();
    })
    .unwrap();
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*order.borrow(), ["inner", "outer"]);
}

/// A handler that raises (returns `Err`) replaces the exception: the outer
/// handler sees the new one.
#[test]
fn handler_that_raises_replaces_the_exception() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    recording_handler(&seen)
        .run(|_| {
            ExceptionStackContext::new(|_| Err(PyError::new("KeyError", "replaced").into()))
                .run(|_| io_loop.add_callback(|| value_error("original")))
                .unwrap();
        })
        .unwrap();
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["KeyError: replaced"]);
}

/// A panic inside the `with` body itself is offered to the handler, which
/// may swallow it (`run` then returns `Ok(None)`).
#[test]
fn panic_in_the_with_body_is_swallowed_by_its_handler() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let outcome = recording_handler(&seen).run(|_| -> i32 { panic!("in the body") });
    assert!(matches!(outcome, Ok(None)));
    assert_eq!(*seen.borrow(), ["panic: in the body"]);
    assert!(!is_active());
}

/// A declined exception in the `with` body comes out of `run` as `Err`.
#[test]
fn declined_panic_in_the_with_body_goes_on() {
    let outcome = ExceptionStackContext::new(|_| Ok(false)).run(|_| -> i32 { panic!("goes on") });
    assert_eq!(outcome.unwrap_err().to_string(), "panic: goes on");
}

/// `add_timeout` carries the context: the timeout's error reaches it.
#[test]
fn add_timeout_carries_the_context() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    let lp = io_loop.clone();
    recording_handler(&seen)
        .run(|_| {
            io_loop.call_later(1.0, move || {
                lp.stop();
                value_error("timeout")
            })
        })
        .unwrap();
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["ValueError: timeout"]);
}

/// `add_handler` carries the context: the handler's error reaches it.
#[test]
fn add_handler_carries_the_context() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    let (reader, mut writer) = UnixStream::pair().unwrap();
    writer.write_all(b"x").unwrap();
    let lp = io_loop.clone();
    recording_handler(&seen)
        .run(|_| {
            io_loop
                .add_handler(
                    &reader,
                    move |_, _| {
                        lp.stop();
                        value_error("handler")
                    },
                    IOLoop::READ,
                )
                .unwrap()
        })
        .unwrap();
    io_loop.start().unwrap();
    io_loop.remove_handler(&reader);
    assert_eq!(*seen.borrow(), ["ValueError: handler"]);
}

/// `add_future` captures the context when it is called, not when the
/// future resolves: resolving it inside another context changes nothing.
#[test]
fn add_future_carries_the_context_of_its_caller() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let elsewhere = Rc::new(RefCell::new(Vec::new()));
    let io_loop = new_loop();
    let future: Future<()> = Future::new();
    let lp = io_loop.clone();
    recording_handler(&seen)
        .run(|_| {
            io_loop.add_future(&future, move |_| {
                lp.stop();
                value_error("add_future")
            })
        })
        .unwrap();
    recording_handler(&elsewhere)
        .run(|_| future.set_result(()).unwrap())
        .unwrap();
    io_loop.start().unwrap();
    assert_eq!(*seen.borrow(), ["ValueError: add_future"]);
    assert!(elsewhere.borrow().is_empty());
}

/// `spawn_callback` does not carry the caller's context: its error is only
/// logged.
#[test]
fn spawn_callback_does_not_carry_the_context() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let ((), recording) = record(|| {
        let io_loop = new_loop();
        recording_handler(&seen)
            .run(|_| io_loop.spawn_callback(|| value_error("spawned")))
            .unwrap();
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
    });
    assert!(seen.borrow().is_empty());
    assert!(
        recording
            .only(&[EventKind::Log])
            .contains("ValueError: spawned"),
        "{recording}"
    );
}

/// Leaving a block other than the innermost one first is an inconsistency:
/// `exit` fails with `StackContextInconsistentError` and restores the state
/// from before the block.
#[test]
fn exiting_out_of_order_is_inconsistent() {
    let before = Contexts::current();
    let outer = ExceptionStackContext::new(|_| Ok(false)).enter();
    let inner = ExceptionStackContext::new(|_| Ok(false)).enter();
    let error = outer.exit(None).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("StackContextInconsistentError: stack_context inconsistency"),
        "{error}"
    );
    assert!(before.is_current());
    std::mem::forget(inner);
}

/// `run_with_stack_context` runs a function inside the context and leaves
/// the state as it found it.
#[test]
fn run_with_stack_context_runs_inside_the_context() {
    let active: Active = Rc::default();
    let a = active.clone();
    let inside = run_with_stack_context(named(&active, "c1"), || a.borrow().clone()).unwrap();
    assert_eq!(inside, Some(vec!["c1"]));
    assert!(active.borrow().is_empty());
    assert!(!is_active());
}

/// With no context active the state stays empty through a loop's life: the
/// loop's callbacks cost no wrapping.
#[test]
fn no_context_leaves_the_state_empty() {
    let io_loop = new_loop();
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        assert!(!is_active());
        lp.stop();
    });
    io_loop.start().unwrap();
    assert_eq!(Contexts::current().depth(), 0);
}

/// A loop started inside a context runs a callback that was added with no
/// context in the empty state (Tornado's `null_wrapper`): the context's
/// handler does not see its error, the loop logs it.
#[test]
fn loop_started_inside_a_context_runs_unwrapped_callbacks_with_none() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let ((), recording) = record(|| {
        let io_loop = new_loop();
        io_loop.add_callback(|| {
            assert!(!is_active());
            value_error("unwrapped")
        });
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        recording_handler(&seen)
            .run(|_| io_loop.start().unwrap())
            .unwrap();
    });
    assert!(seen.borrow().is_empty());
    assert!(
        recording
            .only(&[EventKind::Log])
            .contains("ValueError: unwrapped"),
        "{recording}"
    );
}
