//! The twin `ch02_done_callbacks`, in Rust: when do a Future's done-callbacks run?
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

use ch02_future::scenarios::SCENARIOS;

fn main() {
    // Without this, the log facade has no logger and the failing callback's
    // report would vanish; the course's logger writes it to standard error.
    ch00_trace::install_logger();

    // The program is the chapter's scenario `ch02_done_callbacks`, run here
    // without a recording: its `say!` lines go straight to standard output.
    let scenario = SCENARIOS
        .iter()
        .find(|s| s.name == "ch02_done_callbacks")
        .expect("the scenario exists");
    (scenario.run)();
}
