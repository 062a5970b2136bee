//! The course's experiment exp01, ported: when do a Future's done-callbacks run?
//!
//! Run it beside its Python twin and compare:
//!
//! ```text
//! cargo run -p ch02-future --example future_callbacks
//! cd tests/tornado && PYTHONPATH=shim:. python ch02_done_callbacks.py
//! ```
//!
//! Tornado 4.5.3 and this example print the same lines in the same order:
//! each callback runs inside `set_result`, a callback added to a done future
//! runs at once, and a failing callback is logged (on standard error) while
//! the next one still runs. The Python twin prints `[it=0]` before each line:
//! the IOLoop iteration, always 0 here because nothing waits for the loop.

use ch02_future::{Future, PyError, say};

// ANCHOR: main
fn main() {
    // Without this, the log facade has no logger and the failing callback's
    // report would vanish; the course's logger writes it to standard error.
    ch00_trace::install_logger();

    let f = Future::new();
    f.add_done_callback(|f: &Future<i32>| say!("cb1 result={}", f.result().unwrap()));
    f.add_done_callback(|_: &Future<i32>| say!("cb2"));
    say!("before set_result");
    f.set_result(42).unwrap(); // cb1 and cb2 run in here
    say!("after set_result");
    f.add_done_callback(|_: &Future<i32>| say!("cb3 (added after done)")); // runs at once
    say!("after add_done_callback on done future");

    let g = Future::new();
    // PY: `raise ValueError("boom-in-callback")`; a Rust callback returns Err.
    g.add_done_callback(|_: &Future<i32>| {
        say!("bad callback raising");
        Err(PyError::new("ValueError", "boom-in-callback"))
    });
    g.add_done_callback(|_: &Future<i32>| say!("callback after the raising one still runs"));
    g.set_result(1).unwrap(); // logs the failure, runs the second callback, returns Ok
    say!("set_result returned normally");
}
// ANCHOR_END: main
