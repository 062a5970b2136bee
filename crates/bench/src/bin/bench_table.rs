//! Prints the benchmark table for a file of raw lines written by `run.sh`
//! (`<round> <impl> <SCENARIO> N=.. total_s=.. per_op_ns=..`).
//!
//! Usage: `bench_table RAW_FILE` (or the lines on standard input).
use std::io::Read;

use course_bench::table::{Runs, render};

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => {
            std::fs::read_to_string(&path).unwrap_or_else(|e| course_bench::measure::fail(&path, e))
        }
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .unwrap_or_else(|e| course_bench::measure::fail("stdin", e));
            text
        }
    };
    print!("{}", render(&Runs::parse(&text)));
}
