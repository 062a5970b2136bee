//! The generator article's generator program: `cargo run -p ch01-yield --example send_values`.
//!
//! Runs the chapter's three scenarios and prints each recording: the
//! program's prints (`>`) between the generator's steps.

use ch01_yield::scenarios::SCENARIOS;

fn main() {
    for scenario in SCENARIOS {
        println!("== {}: {}", scenario.name, scenario.title);
        print!("{}", scenario.record());
        println!();
    }
}
