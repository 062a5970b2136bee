//! The course as a whole: the list of its chapters, for the tour and the cross-chapter tests.
//!
//! Every chapter crate exports `scenarios::SCENARIOS`, the programs it teaches with. This
//! crate gathers them in [`CHAPTERS`], in the order of the book, and two things read that
//! one list:
//!
//! - the tour (`cargo run`, `src/main.rs`) records and prints every scenario;
//! - the conformance test (`tests/conformance.rs`) compares every scenario that has a
//!   Python twin with what real Tornado 4.5.3 printed for it
//!   (`tests/tornado/expected/4.5.3/<twin>.txt`).
//!
//! ```
//! use tornado_course::CHAPTERS;
//!
//! for chapter in CHAPTERS {
//!     println!("chapter {}: {} ({})", chapter.number, chapter.title, chapter.tornado);
//! }
//! ```
//!
//! Chapter 0, the recorder (`ch00-trace`), is in the list with no scenarios of its own: it
//! is what records all the others. The chapters are numbered 0 to 6 everywhere, as their
//! crates' folders are (`crates/00-trace` ... `crates/06-gen-task`).

#![forbid(unsafe_code)]

pub mod exercises;

// The twin lookup lives once, in chapter 0 beside `Scenario::twin_prints`;
// the tour and the conformance test use it from there.
pub use ch00_trace::{
    Recording, Scenario, TORNADO_VERSION, TWINS_DIR, print_lines, twin_output, twin_program,
};

/// One chapter of the course: a crate that rebuilds one layer of Tornado 4.5.3.
#[derive(Clone, Copy, Debug)]
pub struct Chapter {
    /// The chapter's number, as in the book and the crate's folder.
    pub number: u8,
    /// The crate's folder under `crates/`: `"02-future"`.
    pub dir: &'static str,
    /// The crate's package name: `"ch02-future"`.
    pub package: &'static str,
    /// The chapter's title, as in the book's `SUMMARY.md` (after its number).
    pub title: &'static str,
    /// What of Tornado the chapter rebuilds: file and names.
    pub tornado: &'static str,
    /// The chapter's programs, from its `scenarios::SCENARIOS`.
    pub scenarios: &'static [Scenario],
}

/// Every chapter, in the order of the book: chapter 0 (the recorder, no scenarios) to 6.
///
/// A new chapter is one more entry here (and its crate in the root `Cargo.toml`'s
/// `[dependencies]`): the tour and the conformance test pick it up from this list.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 0,
        dir: "00-trace",
        package: "ch00-trace",
        title: "Reading a recording",
        tornado: "nothing of Tornado's: it is the recorder every other chapter's programs run under",
        scenarios: &[],
    },
    Chapter {
        number: 1,
        dir: "01-yield",
        package: "ch01-yield",
        title: "Generators: yield, send, throw, close",
        tornado: "Python's generators (PEP 342), the protocol tornado/gen.py drives",
        scenarios: ch01_yield::scenarios::SCENARIOS,
    },
    Chapter {
        number: 2,
        dir: "02-future",
        package: "ch02-future",
        title: "Future: a result that arrives later",
        tornado: "tornado/concurrent.py: Future",
        scenarios: ch02_future::scenarios::SCENARIOS,
    },
    Chapter {
        number: 3,
        dir: "03-ioloop",
        package: "ch03-ioloop",
        title: "The IOLoop: callbacks, timeouts and file descriptors",
        tornado: "tornado/ioloop.py: IOLoop (PollIOLoop)",
        scenarios: ch03_ioloop::scenarios::SCENARIOS,
    },
    Chapter {
        number: 4,
        dir: "04-runner",
        package: "ch04-runner",
        title: "The Runner: a generator driven by futures",
        tornado: "tornado/gen.py: Runner, convert_yielded, moment, multi_future",
        scenarios: ch04_runner::scenarios::SCENARIOS,
    },
    Chapter {
        number: 5,
        dir: "05-coroutine",
        package: "ch05-coroutine",
        title: "The coroutine decorator, and the tools built on it",
        tornado: "tornado/gen.py: coroutine, engine, sleep, multi, with_timeout, maybe_future",
        scenarios: ch05_coroutine::scenarios::SCENARIOS,
    },
    Chapter {
        number: 6,
        dir: "06-gen-task",
        package: "ch06-gen-task",
        title: "gen.Task and yield points: the callback world, adapted",
        tornado: "tornado/gen.py: Task, YieldPoint, Callback, Wait, WaitAll, Multi, Runner.set_result",
        scenarios: ch06_gen_task::scenarios::SCENARIOS,
    },
];

/// Every scenario of every chapter, with its chapter, in the order of the book.
///
/// ```
/// let names: Vec<&str> = tornado_course::scenarios().map(|(_, s)| s.name).collect();
/// assert_eq!(names.len(), tornado_course::CHAPTERS.iter().map(|c| c.scenarios.len()).sum());
/// ```
pub fn scenarios() -> impl Iterator<Item = (&'static Chapter, &'static Scenario)> {
    CHAPTERS
        .iter()
        .flat_map(|chapter| chapter.scenarios.iter().map(move |s| (chapter, s)))
}
