//! The graded exercises: their catalog, the editions, progress and the gate.
//!
//! Each chapter's exercises are described in `crates/NN-name/exercises/README.md` (the
//! catalog, also the end of the chapter in the book), solved in the chapter's source
//! between `// exercise exNN.M begin` and `// exercise exNN.M end`, graded by the tests
//! named `exNN_M_...` in `crates/NN-name/tests/exercises.rs`, and answered wrong on
//! purpose in `crates/NN-name/exercises/wrong/`.
//!
//! - [`catalog`]: the catalogs, read.
//! - [`edition`]: the solutions' regions; the student edition and the gate edition.
//! - [`libtest`]: running tests and reading their results.
//! - [`progress`]: `cargo run -- progress` and `cargo run -- hint`.
//! - [`check`]: `cargo run -- check-exercises`, the gate CI runs.
//! - [`cli`]: those commands, as `cargo run --` takes them.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod edition;
pub mod libtest;
pub mod progress;

use std::path::PathBuf;

/// The workspace this program was built from: the course's root, in the full edition
/// as in a student edition.
pub fn course_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
