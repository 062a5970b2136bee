//! The door for chapter 06: a yielded object with its own `handle_yield`,
//! and per-Runner state consulted before the result future is completed.

use std::cell::Cell;

use ch00_trace::record;
use ch01_yield::{Exception, Generator, GeneratorState, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{
    CustomYield, Extension, Runner, RunnerHandle, Value, Yieldable, Yielded, erase, generator,
};

/// Counts the custom yields of one Runner, and refuses to let it return
/// when `refuse` is set (as `LeakedCallbackError` will).
#[derive(Default)]
struct Count {
    seen: Cell<u32>,
    refuse: Cell<bool>,
}

impl Extension for Count {
    fn on_return(&self, _had_exception: bool) -> Result<(), Exception> {
        if self.refuse.get() {
            return Err(PyError::new("LeakedCallbackError", "refused").into());
        }
        Ok(())
    }
}

/// Yields 7 after one trip through the loop, counting itself.
struct Seven {
    refuse: bool,
}

impl CustomYield for Seven {
    fn handle_yield(self: Box<Self>, runner: &RunnerHandle) -> bool {
        let count = runner.extension::<Count>();
        count.seen.set(count.seen.get() + 1);
        count.refuse.set(self.refuse);
        let future = Future::new();
        runner.set_future(erase(future.clone()));
        let runner = runner.clone();
        runner.io_loop().add_callback(move || {
            future.set_result(7)?;
            runner.run()
        });
        false
    }
}

impl Yieldable for Seven {
    type Output = i32;

    fn into_yielded(self) -> Yielded {
        Yielded::Custom(Box::new(self))
    }
}

fn start<R: 'static>(
    mut body: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> (Future<R>, Runner<R>) {
    let result = Future::new();
    let Ok(GeneratorState::Yielded(first)) = body.next() else {
        panic!("the body yields first");
    };
    let runner = Runner::new(body, result.clone(), first);
    (result, runner)
}

#[test]
fn a_custom_yield_decides_what_the_runner_waits_for() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.make_current();
    let (result, runner) = start(generator(|co| async move {
        let a = co.yield_(Seven { refuse: false }).await?;
        let b = co.yield_(Seven { refuse: false }).await?;
        Ok(a + b)
    }));
    let stopper = io_loop.clone();
    io_loop.add_future(&result, move |_| stopper.stop());
    io_loop.start().unwrap();
    assert_eq!(result.result().unwrap(), 14);
    // One `Count` per Runner, made on first use and kept.
    assert_eq!(runner.handle().extension::<Count>().seen.get(), 2);
}

#[test]
fn an_extension_can_stop_the_runner_from_completing_its_future() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::new().unwrap();
        io_loop.make_current();
        let (result, runner) = start(generator(|co| async move {
            co.yield_(Seven { refuse: true }).await?;
            Ok(())
        }));
        // Stop two iterations later, once the yield's callback has run.
        let stopper = io_loop.clone();
        io_loop.add_callback(move || {
            let again = stopper.clone();
            stopper.add_callback(move || again.stop());
        });
        io_loop.start().unwrap();
        assert!(runner.finished());
        assert!(!result.done(), "Tornado 4.5.3 never completes it");
    });
    assert!(
        recording
            .to_string()
            .contains("Exception in callback c1: LeakedCallbackError: refused"),
        "the error escapes into the loop, which logs it:\n{recording}"
    );
}
