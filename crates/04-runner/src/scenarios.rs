//! The chapter's programs, recorded. Each has a Python twin under
//! `tests/tornado/` that drives real Tornado 4.5.3's `gen.Runner` the same way.

use ch00_trace::{Scenario, say};
use ch01_yield::{
    Exception, Generator, GeneratorError, GeneratorState, Lifecycle, PyError, Resume,
};
use ch02_future::Future;
use ch03_ioloop::IOLoop;

use crate::{Object, Runner, Value, Yieldable, Yielded, generator, moment};

/// Every program of chapter 04.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch04_runner_drives_generator",
        title: "A Runner drives a generator: a pending future costs one hop, a done one none",
        twin: Some("ch04_runner_drives_generator"),
        run: runner_drives_generator,
    },
    Scenario {
        name: "ch04_hand_made_generator",
        title: "A hand-written state machine, driven by the same Runner",
        twin: Some("ch04_hand_made_generator"),
        run: hand_made_generator,
    },
    Scenario {
        name: "ch04_errors_thrown_in",
        title: "A failed future and a bad yield are thrown into the generator, which catches them",
        twin: Some("ch04_errors_thrown_in"),
        run: errors_thrown_in,
    },
    Scenario {
        name: "ch04_moment_interleaving",
        title: "Two generators: done futures run straight through, moments take turns",
        twin: Some("ch04_moment_interleaving"),
        run: moment_interleaving,
    },
];

/// Runs `program` as the first callback of a fresh loop, which stops when
/// `result` resolves (printing it).
fn on_a_loop<T: std::fmt::Debug + Clone + 'static>(program: impl FnOnce() -> Future<T> + 'static) {
    let io_loop = IOLoop::new().expect("a new IOLoop");
    io_loop.make_current();
    let stopper = io_loop.clone();
    io_loop.add_callback(move || {
        let result = program();
        result.add_done_callback(move |f| {
            match f.result() {
                Ok(value) => say!("result future resolved: {value:?}"),
                Err(exc) => say!("result future failed: {exc}"),
            }
            stopper.stop();
        });
    });
    io_loop.start().expect("the loop starts");
    io_loop.close(false);
}

/// Starts a generator and hands it to a Runner, as `@gen.coroutine` will in
/// chapter 05: `first_yielded = next(gen); Runner(generator_, future, first_yielded)`.
fn start<R: 'static>(
    mut generator_: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> Future<R> {
    let result = Future::new();
    match generator_.next() {
        Ok(GeneratorState::Yielded(first)) => {
            Runner::new(generator_, result.clone(), first);
        }
        Ok(GeneratorState::Complete(value)) => {
            let _ = result.set_result(value);
        }
        Err(exc) => {
            let _ = result.set_exception(exc);
        }
    }
    result
}

fn runner_drives_generator() {
    on_a_loop(|| {
        let pending = Future::new();
        // ANCHOR: drives
        let body = generator({
            let pending = pending.clone();
            move |co| async move {
                say!("body starts");
                let x: i32 = co.yield_(pending).await?;
                say!("got {x} (one hop after set_result)");
                let done = Future::new();
                done.set_result(10)?;
                let y: i32 = co.yield_(done).await?;
                say!("got {y} (already done: no hop)");
                co.yield_(moment()).await?;
                say!("after a moment (one hop)");
                Ok(x + y)
            }
        });
        // ANCHOR_END: drives
        let result = start(body);
        say!("runner made");
        IOLoop::current().unwrap().add_callback(move || {
            say!("resolving the pending future");
            pending.set_result(32)
        });
        result
    });
}

// ANCHOR: adder
/// Two futures added up, by a generator written by hand as the state
/// machine `yield` compiles to (chapter 01's `Echo`), driven by the Runner:
///
/// ```python
/// def adder(a, b):
///     print("adder: waiting for a")
///     a = yield a
///     print("adder: a = %d, waiting for b" % a)
///     b = yield b
///     print("adder: b = %d, returning %d" % (b, a + b))
///     return a + b
/// ```
struct Adder {
    lifecycle: Lifecycle,
    at: AdderAt,
}

/// Where `adder` is suspended, holding the locals it still needs.
enum AdderAt {
    Top { a: Future<i32>, b: Future<i32> },
    YieldA { b: Future<i32> },
    YieldB { a: i32 },
    Returned,
}

impl Generator for Adder {
    type Yield = Yielded;
    type Send = Value;
    type Return = i32;

    fn resume(&mut self, how: Resume<Value>) -> Result<GeneratorState<Yielded, i32>, Exception> {
        let at = &mut self.at;
        self.lifecycle.resume(how, |how| {
            match (std::mem::replace(at, AdderAt::Returned), how) {
                (_, Resume::Throw(exc)) => Err(exc),
                (AdderAt::Top { a, b }, _) => {
                    say!("adder: waiting for a");
                    *at = AdderAt::YieldA { b };
                    Ok(GeneratorState::Yielded(a.into_yielded()))
                }
                (AdderAt::YieldA { b }, Resume::Send(a)) => {
                    let a: i32 = a.downcast()?;
                    say!("adder: a = {a}, waiting for b");
                    *at = AdderAt::YieldB { a };
                    Ok(GeneratorState::Yielded(b.into_yielded()))
                }
                (AdderAt::YieldB { a }, Resume::Send(b)) => {
                    let b: i32 = b.downcast()?;
                    say!("adder: b = {b}, returning {}", a + b);
                    Ok(GeneratorState::Complete(a + b))
                }
                // A `Next` after the start, or a finished body: the Lifecycle
                // turns both away before they get here.
                (_, _) => Err(GeneratorError::StopIteration.into()),
            }
        })
    }
}
// ANCHOR_END: adder

fn hand_made_generator() {
    on_a_loop(|| {
        let (a, b) = (Future::new(), Future::new());
        let result = start(Adder {
            lifecycle: Lifecycle::new(),
            at: AdderAt::Top {
                a: a.clone(),
                b: b.clone(),
            },
        });
        let io_loop = IOLoop::current().unwrap();
        io_loop.add_callback(move || {
            say!("setting b first");
            b.set_result(2)
        });
        io_loop.add_callback(move || {
            say!("setting a");
            a.set_result(40)
        });
        result
    });
}

fn errors_thrown_in() {
    on_a_loop(|| {
        let failing = Future::<i32>::new();
        let body = generator({
            let failing = failing.clone();
            move |co| async move {
                match co.yield_(failing).await {
                    Ok(_) => say!("not reached"),
                    Err(exc) => say!("caught: {exc}"),
                }
                if let Err(exc) = co.yield_(Object(42)).await {
                    say!("caught: {exc}");
                }
                say!("now raising");
                Err::<i32, _>(PyError::new("ValueError", "from the body").into())
            }
        });
        let result = start(body);
        IOLoop::current().unwrap().add_callback(move || {
            say!("failing the future");
            failing.set_exception(PyError::new("KeyError", "'missing'"))
        });
        result
    });
}

fn moment_interleaving() {
    on_a_loop(|| {
        let steps = |name: &'static str, use_moment: bool| {
            generator(move |co| async move {
                for _ in 0..3 {
                    say!("{name}");
                    if use_moment {
                        co.yield_(moment()).await?;
                    } else {
                        co.yield_(Future::resolved(())).await?;
                    }
                }
                Ok(3)
            })
        };
        say!("done futures, then moments:");
        let a = start(steps("a (done futures)", false));
        let b = start(steps("b (moments)", true));
        let c = start(steps("c (moments)", true));
        crate::multi_future(vec![a, b, c])
    });
}
