//! Chapter 01's graded exercises: the tests of each one.
//!
//! Run one exercise's tests with `cargo test -p ch01-yield --test exercises
//! ex01_2` (its id with `_` for `.`); the tasks, and their hints, are in
//! `crates/01-yield/exercises/README.md` (`cargo run -- hint ex01.2`).
//! Every test goes through the crate's public API only.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{record, say};
use ch01_yield::scenarios::accumulate;
use ch01_yield::{
    Exception, Gen, Generator, GeneratorError, GeneratorExit, GeneratorState, Lifecycle, Panic,
    PyError, Resume, Stage, Yielder,
};

// ----------------------------------------------------------------------
// ex01.1: `Generator::close`

/// A generator whose every resumption answers what the test scripted, and
/// which remembers how it was resumed: `close` is tested on its own, with no
/// `Lifecycle` (ex01.2) behind it.
struct Scripted {
    answer: Option<Result<GeneratorState<i32, i32>, Exception>>,
    resumed_with: Vec<String>,
}

impl Scripted {
    fn answering(answer: Result<GeneratorState<i32, i32>, Exception>) -> Self {
        Scripted {
            answer: Some(answer),
            resumed_with: Vec::new(),
        }
    }
}

impl Generator for Scripted {
    type Yield = i32;
    type Send = i32;
    type Return = i32;

    fn resume(&mut self, how: Resume<i32>) -> Result<GeneratorState<i32, i32>, Exception> {
        self.resumed_with.push(match &how {
            Resume::Next => "next".to_string(),
            Resume::Send(v) => format!("send({v})"),
            Resume::Throw(exc) if exc.is::<GeneratorExit>() => "throw(GeneratorExit)".to_string(),
            Resume::Throw(exc) => format!("throw({exc})"),
        });
        self.answer
            .take()
            .expect("close() resumes the generator exactly once")
    }
}

/// `close()` throws `GeneratorExit` in, once; a body that lets it through is
/// closed, and `close()` returns `Ok`.
#[test]
fn ex01_1_close_throws_generator_exit_in_once() {
    testkit::exercise("ex01.1", || {
        let mut g = Scripted::answering(Err(Exception::new(GeneratorExit)));
        let closed = g.close();
        assert_eq!(
            g.resumed_with,
            ["throw(GeneratorExit)"],
            "close() resumes the generator once, with throw(GeneratorExit)"
        );
        assert!(
            closed.is_ok(),
            "a body that lets GeneratorExit through is closed: close() returns Ok, got {closed:?}"
        );
    });
}

/// A body that returns when `GeneratorExit` arrives is closed too.
#[test]
fn ex01_1_a_body_that_returns_is_closed() {
    testkit::exercise("ex01.1", || {
        let mut g = Scripted::answering(Ok(GeneratorState::Complete(7)));
        let closed = g.close();
        assert!(
            closed.is_ok(),
            "a body that returns (StopIteration) on GeneratorExit is closed: close() returns Ok, \
             got {closed:?}"
        );
    });
}

/// A body that yields again is refused: `RuntimeError: generator ignored
/// GeneratorExit`, as CPython's `gen_close` says.
#[test]
fn ex01_1_a_body_that_yields_again_is_refused() {
    testkit::exercise("ex01.1", || {
        let mut g = Scripted::answering(Ok(GeneratorState::Yielded(2)));
        let refused = g
            .close()
            .expect_err("a body that yields again after GeneratorExit must make close() fail");
        assert_eq!(
            refused.downcast_ref::<GeneratorError>(),
            Some(&GeneratorError::IgnoredGeneratorExit),
            "CPython raises RuntimeError: generator ignored GeneratorExit; close() gave {refused}"
        );
    });
}

/// A body that raises another exception on the way out: `close()` raises it,
/// the very same object.
#[test]
fn ex01_1_another_exception_comes_out_of_close() {
    testkit::exercise("ex01.1", || {
        let raised = Exception::msg("ValueError", "in the clean-up");
        let mut g = Scripted::answering(Err(raised.clone()));
        let out = g
            .close()
            .expect_err("an exception other than GeneratorExit must come out of close()");
        assert!(
            out.ptr_eq(&raised),
            "close() raises the body's own exception, the same object; it raised {out}"
        );
    });
}

// ----------------------------------------------------------------------
// ex01.2: `Lifecycle::resume`

/// What a body was resumed with, as text: `next`, `send(5)`, `throw(...)`.
fn shown(how: &Resume<i32>) -> String {
    match how {
        Resume::Next => "next".to_string(),
        Resume::Send(v) => format!("send({v})"),
        Resume::Throw(exc) => format!("throw({exc})"),
    }
}

/// A body for `Lifecycle::resume`, boxed so bodies of every shape fit one type.
type Body = Box<dyn FnOnce(Resume<i32>) -> Result<GeneratorState<i32, ()>, Exception>>;

/// A body for `Lifecycle::resume` that notes how it was resumed and yields
/// what it received (or `-1` for `Next`).
fn echo_body(seen: &Rc<RefCell<Vec<String>>>) -> Body {
    let seen = seen.clone();
    Box::new(move |how| {
        seen.borrow_mut().push(shown(&how));
        match how {
            Resume::Next => Ok(GeneratorState::Yielded(-1)),
            Resume::Send(v) => Ok(GeneratorState::Yielded(v)),
            Resume::Throw(exc) => Err(exc),
        }
    })
}

/// `send(v)` before the first `next` is refused with CPython's `TypeError`,
/// runs none of the body, and leaves the generator unstarted.
#[test]
fn ex01_2_send_to_a_just_started_generator_is_a_type_error() {
    testkit::exercise("ex01.2", || {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut life = Lifecycle::new();
        let refused = life
            .resume(Resume::Send(5), echo_body(&seen))
            .expect_err("send(5) to a just-started generator must be refused");
        assert_eq!(
            refused.to_string(),
            "TypeError: can't send non-None value to a just-started generator",
            "CPython's words for send() before next()"
        );
        assert!(
            seen.borrow().is_empty(),
            "a refused send runs none of the body, yet the body saw {:?}",
            seen.borrow()
        );
        assert_eq!(
            life.stage(),
            Stage::Unstarted,
            "a refused send leaves the generator unstarted"
        );
        let first = life.resume(Resume::Next, echo_body(&seen));
        assert_eq!(
            first.ok(),
            Some(GeneratorState::Yielded(-1)),
            "after the refused send, next() still starts the body"
        );
        assert_eq!(
            *seen.borrow(),
            ["next"],
            "the first step reaches the body as Next"
        );
        assert_eq!(
            life.stage(),
            Stage::Suspended,
            "a body that yielded is suspended"
        );
    });
}

/// After the first step, `next()` reaches the body as `Send(S::default())`
/// (Python's `yield` evaluates to `None` after `next(g)`), `send(v)` as `Send(v)`.
#[test]
fn ex01_2_next_on_a_suspended_generator_sends_the_default() {
    testkit::exercise("ex01.2", || {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut life = Lifecycle::new();
        let steps = [
            life.resume(Resume::Next, echo_body(&seen)).ok(),
            life.resume(Resume::Send(7), echo_body(&seen)).ok(),
            life.resume(Resume::Next, echo_body(&seen)).ok(),
        ];
        assert_eq!(
            *seen.borrow(),
            ["next", "send(7)", "send(0)"],
            "the body gets Next only on its first step; later, next() is Send(S::default()), \
             here Send(0), the way a Python yield evaluates to None after next(g)"
        );
        assert_eq!(
            steps,
            [-1, 7, 0].map(|v| Some(GeneratorState::Yielded(v))),
            "each step returns what the body yielded"
        );
    });
}

/// `throw(e)` into an unstarted generator raises `e` at once, the same
/// object, runs none of the body, and finishes the generator.
#[test]
fn ex01_2_throw_into_an_unstarted_generator_raises_at_once() {
    testkit::exercise("ex01.2", || {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut life = Lifecycle::new();
        let thrown = Exception::msg("ValueError", "early");
        let raised = life
            .resume(Resume::Throw(thrown.clone()), echo_body(&seen))
            .expect_err("throw into an unstarted generator raises");
        assert!(
            raised.ptr_eq(&thrown),
            "throw(e) into an unstarted generator raises e itself; it raised {raised}"
        );
        assert!(
            seen.borrow().is_empty(),
            "throw into an unstarted generator runs none of the body (CPython raises before \
             the first line), yet the body saw {:?}",
            seen.borrow()
        );
        assert_eq!(
            life.stage(),
            Stage::Finished,
            "and the generator is finished"
        );
        let after = life.resume(Resume::Next, echo_body(&seen));
        assert!(
            after
                .as_ref()
                .is_err_and(|e| e.downcast_ref() == Some(&GeneratorError::StopIteration)),
            "next() after that is StopIteration; it gave {after:?}"
        );
    });
}

/// A body that returns, raises or panics finishes the generator: every
/// `next`/`send` after it is `StopIteration`, and a `throw` raises what was
/// thrown, with the body never run again.
#[test]
fn ex01_2_a_body_that_returns_raises_or_panics_is_finished() {
    testkit::exercise("ex01.2", || {
        let endings: [(&str, Body); 3] = [
            ("returns", Box::new(|_| Ok(GeneratorState::Complete(())))),
            ("raises", Box::new(|_| Err(Exception::msg("KeyError", "k")))),
            ("panics", Box::new(|_| panic!("the body panicked"))),
        ];
        for (ending, body) in endings {
            let seen = Rc::new(RefCell::new(Vec::new()));
            let mut life = Lifecycle::new();
            let first = life.resume(Resume::Next, body);
            if ending == "panics" {
                assert!(
                    first.as_ref().is_err_and(|e| e.is::<Panic>()),
                    "a body that panics has raised: the panic comes back as an Err holding a \
                     Panic (catch_panic); got {first:?}"
                );
            }
            assert_eq!(
                life.stage(),
                Stage::Finished,
                "a body that {ending} finishes the generator"
            );
            for how in [Resume::Next, Resume::Send(1)] {
                let what = shown(&how);
                let again = life.resume(how, echo_body(&seen));
                assert!(
                    again
                        .as_ref()
                        .is_err_and(|e| e.downcast_ref() == Some(&GeneratorError::StopIteration)),
                    "{what} after a body that {ending} is StopIteration; it gave {again:?}"
                );
            }
            let thrown = Exception::msg("ValueError", "late");
            let raised = life.resume(Resume::Throw(thrown.clone()), echo_body(&seen));
            assert!(
                raised.as_ref().is_err_and(|e| e.ptr_eq(&thrown)),
                "throw(e) into a finished generator raises e; it gave {raised:?}"
            );
            assert!(
                seen.borrow().is_empty(),
                "a finished generator never runs its body again, yet it saw {:?}",
                seen.borrow()
            );
        }
    });
}

// ----------------------------------------------------------------------
// ex01.3: `accumulate`, a body with try/except/finally

/// What one step of `accumulate` gave, as the twin's `show` prints it.
fn step(outcome: Result<GeneratorState<i32, i32>, Exception>) -> String {
    match outcome {
        Ok(GeneratorState::Yielded(v)) => format!("yielded {v}"),
        Ok(GeneratorState::Complete(v)) => format!("returned {v}"),
        Err(exc) => format!("raised {exc}"),
    }
}

/// The body starts at the first `next`, adds up what is sent, and `next()`
/// (Python's `None`) makes it return the total, its `finally` running first.
#[test]
fn ex01_3_sends_add_up_and_next_returns_the_total() {
    testkit::exercise("ex01.3", || {
        let (steps, recording) = record(|| {
            let mut g = accumulate();
            say!("made");
            vec![
                step(g.next()),
                step(g.send(Some(5))),
                step(g.send(Some(10))),
                step(g.next()),
            ]
        });
        assert_eq!(
            steps,
            ["yielded 0", "yielded 5", "yielded 15", "returned 15"],
            "accumulate yields the running total and next() returns it"
        );
        assert_eq!(
            recording.prints(),
            [
                "[it=0] made",
                "[it=0]   body: starts",
                "[it=0]   body: finally runs"
            ],
            "the body starts at the first next(), not when accumulate() is called, and its \
             finally runs once, on the way out"
        );
    });
}

/// A `ValueError` thrown in is caught: it counts as 0 and `throw` returns
/// the total yielded next.
#[test]
fn ex01_3_a_value_error_thrown_in_is_caught() {
    testkit::exercise("ex01.3", || {
        let (steps, recording) = record(|| {
            let mut g = accumulate();
            let mut steps = vec![step(g.next()), step(g.send(Some(5)))];
            steps.push(step(g.throw(PyError::new("ValueError", "bad").into())));
            steps.push(step(g.send(Some(1))));
            steps
        });
        assert_eq!(
            steps,
            ["yielded 0", "yielded 5", "yielded 5", "yielded 6"],
            "throw(ValueError) is caught by `except ValueError`: the value counts as 0, the \
             loop goes on, and throw() returns what the body yields next"
        );
        assert_eq!(
            recording.prints(),
            [
                "[it=0]   body: starts",
                "[it=0]   body: caught ValueError: bad"
            ],
            "the body says what it caught, as the twin's `log(\"  body: caught %s\" % name(e))`"
        );
    });
}

/// Another exception thrown in is not caught: it comes out of `throw`, the
/// same object, after the `finally` ran.
#[test]
fn ex01_3_another_exception_goes_through_the_finally() {
    testkit::exercise("ex01.3", || {
        let thrown = Exception::msg("TypeError", "wrong type");
        let (raised, recording) = record(|| {
            let mut g = accumulate();
            g.next().expect("the first next() yields 0");
            g.throw(thrown.clone())
        });
        assert!(
            raised.as_ref().is_err_and(|e| e.ptr_eq(&thrown)),
            "a TypeError is not caught: throw() raises it, the same object; it gave {raised:?}"
        );
        assert_eq!(
            recording.prints(),
            ["[it=0]   body: starts", "[it=0]   body: finally runs"],
            "the finally runs on the way out of an uncaught exception too"
        );
    });
}

/// `close()` throws `GeneratorExit` in: the `finally` runs and the
/// generator is closed.
#[test]
fn ex01_3_close_runs_the_finally() {
    testkit::exercise("ex01.3", || {
        let (closed, recording) = record(|| {
            let mut g = accumulate();
            g.next().expect("the first next() yields 0");
            g.close()
        });
        assert!(
            closed.is_ok(),
            "accumulate lets GeneratorExit through, so close() returns Ok; it gave {closed:?}"
        );
        assert_eq!(
            recording.prints(),
            ["[it=0]   body: starts", "[it=0]   body: finally runs"],
            "close() throws GeneratorExit in at the yield, and the finally runs"
        );
    });
}

// ----------------------------------------------------------------------
// ex01.4: predict what `numbers` prints

/// The program of ex01.4: a generator with a `try/finally`, driven by
/// `next`, `send`, `throw` and `close`. Predict its lines in
/// `crates/01-yield/exercises/ex01.4.txt`.
fn numbers() {
    // def numbers(): ... (the generator)
    let numbers = || -> Gen<i32, Option<i32>, ()> {
        Gen::new(|co: Yielder<i32, Option<i32>>| async move {
            say!("body: starts");
            // PY: `try: ... finally:`, as in `accumulate`.
            let outcome: Result<(), Exception> = async {
                let received = co.yield_(1).await?;
                say!("body: received {}", received.unwrap_or_default());
                // PY: `except ValueError as e:`
                if let Err(exc) = co.yield_(2).await {
                    if exc.class_name() != "ValueError" {
                        return Err(exc);
                    }
                    say!("body: caught {exc}");
                }
                co.yield_(3).await?;
                say!("body: after the last yield");
                Ok(())
            }
            .await;
            say!("body: finally");
            outcome
        })
    };
    let gave = |step: Result<GeneratorState<i32, ()>, Exception>| match step {
        Ok(GeneratorState::Yielded(v)) => v.to_string(),
        other => format!("{other:?}"),
    };

    let mut g = numbers();
    say!("numbers() made a generator");
    say!("next() gave {}", gave(g.next()));
    say!("send(10) gave {}", gave(g.send(Some(10))));
    let bad = Exception::msg("ValueError", "bad");
    say!("throw(ValueError) gave {}", gave(g.throw(bad)));
    g.close().expect("numbers lets GeneratorExit through");
    say!("close() returned");
}

/// Grades the prediction of ex01.4 against the key.
#[test]
fn ex01_4_predict_numbers() {
    testkit::exercise("ex01.4", || {
        testkit::predict("ex01.4", env!("CARGO_MANIFEST_DIR"))
    })
}

/// Not an exercise: each prediction's key is the key of what its program
/// prints now (`COURSE_BLESS=1` rewrites it).
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(numbers);
    let output = recording.prints().join("\n");
    testkit::prediction_key(
        "ex01.4",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&output),
    );
}
