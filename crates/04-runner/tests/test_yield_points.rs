//! The Runner's yield-point half, driven with toy yield points (chapter 06
//! has the real ones): when a yield point is started, and the
//! `LeakedCallbackError` check in `run()`. Ports the intent of Tornado
//! 4.5.3's gen.py `Runner.handle_yield` and `Runner.run` (chapter 06's
//! `test_errors.rs` ports gen_test.py's yield-point error tests).

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::record;
use ch01_yield::{Exception, Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Key, Runner, Value, YieldPoint, Yieldable, Yielded, generator, yielded};

/// Ready as soon as it starts, with `value`; notes its start in `log`, and
/// registers `key` first if it has one (as `gen.Callback` does).
struct Ready {
    value: i32,
    key: Option<&'static str>,
    log: Rc<RefCell<Vec<String>>>,
}

impl YieldPoint for Ready {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        self.log.borrow_mut().push(format!("start {}", self.value));
        match self.key {
            Some(key) => runner.register_callback(Key::from(key)),
            None => Ok(()),
        }
    }

    fn is_ready(&mut self, _runner: &Runner) -> Result<bool, Exception> {
        Ok(true)
    }

    fn get_result(&mut self, _runner: &Runner) -> Result<Value, Exception> {
        Ok(Value::new(self.value))
    }

    fn describe(&self) -> String {
        format!("Ready({})", self.value)
    }
}

impl Yieldable for Ready {
    type Output = i32;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

fn start<R: 'static>(
    mut body: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> (Future<R>, Runner) {
    let result = Future::new();
    let Ok(GeneratorState::Yielded(first)) = body.next() else {
        panic!("the body yields first");
    };
    let runner = Runner::new(body, result.clone(), first);
    (result, runner)
}

/// The first yield point of a Runner is started from a loop callback (where
/// Tornado 4.5.3 opens its stack context), later ones at once, inside
/// `handle_yield`.
#[test]
fn the_first_yield_point_starts_one_iteration_late_and_later_ones_at_once() {
    let io_loop = IOLoop::new().unwrap();
    io_loop.make_current();
    let log = Rc::new(RefCell::new(Vec::new()));
    let body_log = log.clone();
    let (result, _runner) = start(generator(move |co| async move {
        let point = |value| Ready {
            value,
            key: None,
            log: body_log.clone(),
        };
        let a = co.yield_(point(3)).await?;
        let b = co.yield_(point(4)).await?;
        Ok(a + b)
    }));
    log.borrow_mut().push("Runner made".to_string());
    let loop_log = log.clone();
    let stopper = io_loop.clone();
    io_loop.add_callback(move || {
        loop_log.borrow_mut().push("next callback".to_string());
        stopper.stop();
    });
    io_loop.start().unwrap();
    assert_eq!(result.result().unwrap(), 7);
    assert_eq!(
        *log.borrow(),
        ["Runner made", "start 3", "start 4", "next callback"]
    );
}

/// A generator that returns while a callback it registered is still pending
/// raises `LeakedCallbackError` out of `run()`: the loop logs it and the
/// result future is never completed, as in Tornado 4.5.3.
#[test]
fn returning_with_a_pending_callback_logs_leaked_callback_and_never_completes() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::new().unwrap();
        io_loop.make_current();
        let log = Rc::new(RefCell::new(Vec::new()));
        let (result, runner) = start(generator(move |co| async move {
            co.yield_(Ready {
                value: 1,
                key: Some("k"),
                log,
            })
            .await?;
            Ok(())
        }));
        // Stop two iterations later, once the yield point has started.
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
            .contains("LeakedCallbackError: finished without waiting for callbacks {'k'}"),
        "the error escapes into the loop, which logs it:\n{recording}"
    );
}
