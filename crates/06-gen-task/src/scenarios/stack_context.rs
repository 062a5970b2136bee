//! The callback world's error channel: what a stack context does with an
//! exception raised by a callback, with one and without one.

use ch00_trace::say;
use ch01_yield::{Exception, PyError, catch_panic};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch03_ioloop::stack_context::{ContextManager, ExceptionStackContext, StackContext};
use ch05_coroutine::{coroutine, moment, sleep};

use crate::{Callback, ResultCallback, Wait, task};

fn boom() -> Result<(), Exception> {
    say!("  boom() raises");
    Err(PyError::new("ValueError", "boom").into())
}

fn io_loop() -> IOLoop {
    IOLoop::current().expect("the current loop")
}

// ANCHOR: with_yield_point
/// Once the coroutine has met a yield point, the Runner's stack context
/// goes with everything it schedules: `boom`'s error is thrown in at the
/// `yield`.
fn with_yield_point() -> Future<&'static str> {
    coroutine(|co| async move {
        let _callback = co.yield_(Callback::new("k")).await?;
        say!("with_yield_point: reached a yield point; schedules boom");
        io_loop().add_callback(boom);
        if let Err(exc) = co.yield_(Wait::<()>::new("k")).await {
            say!("with_yield_point: caught at its yield: {exc}");
        }
        Ok("first done")
    })
}

/// A coroutine that only yields futures has no stack context: the same
/// error is only logged by the loop.
fn futures_only() -> Future<&'static str> {
    coroutine(|co| async move {
        say!("futures_only: schedules boom");
        io_loop().add_callback(boom);
        if co.yield_(sleep(0.1)).await.is_err() {
            say!("futures_only: not reached");
        }
        say!("futures_only: slept; boom was only logged");
        Ok("second done")
    })
}
// ANCHOR_END: with_yield_point

// ANCHOR: tasks
/// `def late_failure(callback)`: schedules `boom`, never calls back.
fn late_failure(_callback: ResultCallback) -> Result<(), Exception> {
    say!("  late_failure() schedules boom");
    io_loop().add_callback(boom);
    Ok(())
}

/// `def calls_back_then_raises(callback)`.
fn calls_back_then_raises(callback: ResultCallback) -> Result<(), Exception> {
    callback.call(42)?;
    say!("  calls_back_then_raises() called back; raises");
    Err(PyError::new("ValueError", "after calling back").into())
}

fn tasks() -> Future<&'static str> {
    coroutine(|co| async move {
        if let Err(exc) = co.yield_(task::<()>(late_failure)).await {
            say!("tasks: gen.Task's future failed: {exc}");
        }
        // PY: `try: gen.Task(...) except ValueError`: the error leaves
        // `task` as an exception (a panic carrying it).
        match catch_panic(|| task::<i32>(calls_back_then_raises)) {
            Ok(_) => say!("tasks: not reached"),
            Err(exc) => say!("tasks: gen.Task(...) raised: {exc}"),
        }
        Ok("third done")
    })
}
// ANCHOR_END: tasks

// ANCHOR: inconsistent
/// `@contextlib.contextmanager def nothing(): yield`.
struct Nothing;

impl ContextManager for Nothing {
    fn exit(&mut self, _exc: Option<&Exception>) -> Result<bool, Exception> {
        Ok(false)
    }
}

/// A `yield` inside a `with StackContext` block: the guard is still open
/// when the generator yields.
fn yields_inside_with() -> Future<()> {
    coroutine(|co| async move {
        let _with = StackContext::new(|| Box::new(Nothing)).enter()?;
        co.yield_(moment()).await?;
        Ok(())
    })
}
// ANCHOR_END: inconsistent

pub(crate) fn stack_context() {
    let lp = super::new_loop();
    super::run_loop(&lp, || {
        let f = with_yield_point();
        io_loop().add_future(&f, |f: Future<&'static str>| {
            say!("with_yield_point -> {}", f.result()?);
            let g = futures_only();
            io_loop().add_future(&g, |g: Future<&'static str>| {
                say!("futures_only -> {}", g.result()?);
                let h = tasks();
                io_loop().add_future(&h, |h: Future<&'static str>| {
                    say!("tasks -> {}", h.result()?);
                    // ANCHOR: handler
                    let handler = ExceptionStackContext::new(|exc| {
                        say!("handler: {exc}");
                        Ok(true)
                    });
                    handler.run(|_deactivate| io_loop().add_callback(boom))?;
                    say!("main: left the with block");
                    // ANCHOR_END: handler
                    let i = yields_inside_with();
                    io_loop().add_future(&i, |i: Future<()>| {
                        let exc = i.exception()?.map(|e| e.to_string()).unwrap_or_default();
                        say!("yields_inside_with -> {exc}");
                        io_loop().stop();
                        Ok::<(), Exception>(())
                    });
                    Ok::<(), Exception>(())
                });
                Ok::<(), Exception>(())
            });
            Ok::<(), Exception>(())
        });
    });
}
