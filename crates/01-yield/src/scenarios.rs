//! The chapter's recorded programs.
//!
//! Each [`Scenario`] prints with [`say!`]. The tour (`cargo run`) shows
//! them, `tests/scenarios.rs` snapshots their recordings, and each is
//! compared line for line with its Python twin under `tests/tornado/`.
//! Nothing here needs an IOLoop: every line happens in iteration 0.

use std::convert::Infallible;
use std::fmt::Display;

use ch00_trace::{Scenario, say};

use crate::{Echo, Exception, Gen, Generator, GeneratorState, Yielder};

/// Every scenario of chapter 1, in the order the tour shows them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch01_send_values",
        title: "the generator article's test() as a hand-written state machine: enter, 1, 2, 3",
        twin: Some("ch01_send_values"),
        run: send_values_state_machine,
    },
    Scenario {
        name: "ch01_send_values_async",
        title: "the same test() as an async block driven by resume: the same output",
        twin: Some("ch01_send_values"),
        run: send_values_async,
    },
    Scenario {
        name: "ch01_protocol",
        title: "next, send, throw, close, the return value, and the protocol's errors",
        twin: Some("ch01_protocol"),
        run: protocol,
    },
];

/// Python's `str()` of an `Option`: the value, or `None`.
fn py_str(value: Option<i32>) -> String {
    value.map_or_else(|| "None".to_string(), |v| v.to_string())
}

/// What a step yielded (the generator article's `print f.send(1)`).
fn yielded<R>(state: GeneratorState<Option<i32>, R>) -> String {
    match state {
        GeneratorState::Yielded(value) => py_str(value),
        GeneratorState::Complete(_) => "returned".to_string(),
    }
}

/// The generator article's program, run on any version of `test()`.
// ANCHOR: send_values_driver
fn send_values(mut f: impl Generator<Yield = Option<i32>, Send = Option<i32>>) {
    f.next().unwrap(); // f.send(None), which is f.next()
    say!("{}", yielded(f.send(Some(1)).unwrap()));
    f.next().unwrap();
    say!("{}", yielded(f.send(Some(2)).unwrap()));
    f.next().unwrap();
    say!("{}", yielded(f.send(Some(3)).unwrap()));
    f.next().unwrap();
}
// ANCHOR_END: send_values_driver

fn send_values_state_machine() {
    send_values(Echo::new());
}

/// The generator article's `test()` once more, as an `async fn`: the compiler writes the
/// state machine of [`Echo`] for us.
// ANCHOR: send_values_async
async fn test(co: Yielder<Option<i32>, Option<i32>>) -> Result<Infallible, Exception> {
    say!("enter");
    loop {
        let b = co.yield_(None).await?;
        co.yield_(b).await?;
    }
}
// ANCHOR_END: send_values_async

fn send_values_async() {
    send_values(Gen::new(test));
}

/// Says how one resumption ended, as the twin's `show`.
fn show<Y: Display, R: Display>(what: &str, step: Result<GeneratorState<Y, R>, Exception>) {
    match step {
        Ok(GeneratorState::Yielded(value)) => say!("{what} yielded {value}"),
        Ok(GeneratorState::Complete(value)) => say!("{what} returned {value}"),
        Err(exc) => say!("{what} raised {exc}"),
    }
}

/// The twin's `accumulate()`: adds up what is sent in; `next()` ends it
/// and returns the total. A `ValueError` thrown in is caught and counts as
/// 0; whichever way the body ends, its `finally` prints `body: finally runs`.
///
/// ```python
/// def accumulate():
///     log("  body: starts")
///     total = 0
///     try:
///         while True:
///             try:
///                 value = yield total
///             except ValueError as e:
///                 log("  body: caught %s" % name(e))
///                 value = 0
///             if value is None:
///                 return total
///             total += value
///     finally:
///         log("  body: finally runs")
/// ```
// ANCHOR: accumulate
pub fn accumulate() -> Gen<i32, Option<i32>, i32> {
    // exercise ex01.3 begin
    /// Is this exception a `ValueError`? (`except ValueError:`)
    fn is_value_error(exc: &Exception) -> bool {
        exc.downcast_ref::<crate::PyError>()
            .is_some_and(|e| e.name == "ValueError")
    }
    Gen::new(|co| async move {
        say!("  body: starts");
        let mut total = 0;
        // PY: `try: ... finally:`. The loop is an inner block whose outcome
        // is kept, so the clean-up runs whichever way the block ends.
        let outcome = async {
            loop {
                let value = match co.yield_(total).await {
                    Ok(value) => value,
                    Err(exc) if is_value_error(&exc) => {
                        say!("  body: caught {exc}");
                        Some(0)
                    }
                    Err(exc) => return Err(exc),
                };
                match value {
                    None => return Ok(total),
                    Some(value) => total += value,
                }
            }
        }
        .await;
        say!("  body: finally runs");
        outcome
    })
    // exercise ex01.3 end
}
// ANCHOR_END: accumulate

/// The twin's `stubborn()`: yields again when closed.
fn stubborn() -> Gen<i32, Option<i32>, ()> {
    Gen::new(|co| async move {
        if co.yield_(1).await.is_err() {
            say!("  stubborn: caught GeneratorExit, yields again");
            co.yield_(2).await?;
        }
        Ok(())
    })
}

fn protocol() {
    let mut g = accumulate();
    say!("accumulate() made a generator; its body has not run");
    show("send(5) before next()", g.send(Some(5)));
    show("next()", g.next());
    show("send(5)", g.send(Some(5)));
    show("send(10)", g.send(Some(10)));
    show(
        "throw(ValueError)",
        g.throw(Exception::msg("ValueError", "bad")),
    );
    show("next()", g.next());
    show("next() on a finished generator", g.next());

    let mut h = accumulate();
    h.next().unwrap();
    show(
        "throw(TypeError) not caught",
        h.throw(Exception::msg("TypeError", "wrong type")),
    );

    let mut c = accumulate();
    c.next().unwrap();
    c.close().unwrap();
    say!("close() returned");

    let mut s = stubborn();
    s.next().unwrap();
    if let Err(exc) = s.close() {
        say!("close() raised {exc}");
    }

    let mut u = accumulate();
    show(
        "throw(ValueError) into an unstarted generator",
        u.throw(Exception::msg("ValueError", "early")),
    );
    show("next() after that", u.next());
}
