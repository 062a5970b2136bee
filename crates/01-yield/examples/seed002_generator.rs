//! Seed 002's generator program: `cargo run -p ch01-yield --example seed002_generator`.
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
