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
//! The scenarios of chapters 02 to 05 whose twin also ran under Tornado 6.6.1
//! ([`tornado6_scenarios`]) are recorded under Tornado 6's rules too ([`record_in`]):
//! the 6.6.1 conformance test checks them, the book keeps them as data beside the 4.5.3
//! ones, and the tour shows both.
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
pub mod overview;

// The twin lookup lives once, in chapter 0 beside `Scenario::twin_prints`;
// the tour and the conformance test use it from there.
pub use ch00_trace::{
    Era, MovedPrints, Recording, Scenario, TORNADO_VERSION, TWINS_DIR, print_lines, twin_output,
    twin_program,
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

/// The chapters whose programs also run under Tornado 6's rules: 02 to 05. Chapter 01
/// is Python's generators alone, and chapter 06's `gen.Task` and yield points were
/// removed in Tornado 6.0.
pub const TORNADO6_CHAPTERS: std::ops::RangeInclusive<u8> = 2..=5;

/// Whether a scenario is recorded under Tornado 6.6.1's rules too: it belongs to
/// [`TORNADO6_CHAPTERS`] and its Python twin ran under real Tornado 6.6.1, which left
/// its output in `tests/tornado/expected/6.6.1/<twin>.txt`. The 6.6.1 conformance test
/// checks exactly these scenarios, the book keeps their recordings as data
/// (`chapters/src/recordings/<scenario>.tornado6.json`) and the tour shows both.
///
/// ```
/// use tornado_course::{CHAPTERS, has_tornado6_twin};
/// let ch03 = &CHAPTERS[3];
/// let order = ch03.scenarios.iter().find(|s| s.name == "ch03_iteration_order").unwrap();
/// assert!(has_tornado6_twin(ch03, order));
/// assert!(!has_tornado6_twin(&CHAPTERS[1], &CHAPTERS[1].scenarios[0]));
/// ```
pub fn has_tornado6_twin(chapter: &Chapter, scenario: &Scenario) -> bool {
    TORNADO6_CHAPTERS.contains(&chapter.number)
        && scenario.twin.is_some_and(|twin| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(twin_output(twin, Era::Tornado6.version()))
                .is_file()
        })
}

/// Every scenario recorded under Tornado 6.6.1's rules too ([`has_tornado6_twin`]), in
/// the order of the book.
pub fn tornado6_scenarios() -> impl Iterator<Item = (&'static Chapter, &'static Scenario)> {
    scenarios().filter(|(chapter, scenario)| has_tornado6_twin(chapter, scenario))
}

/// The name of a scenario's Tornado 6 recording in the book's data and the tour's
/// pages: `ch03_iteration_order.tornado6`.
pub fn tornado6_name(scenario: &Scenario) -> String {
    format!("{}.{}", scenario.name, Era::Tornado6.slug())
}

/// Records a scenario with the machinery following `era`'s rules.
///
/// Under [`Era::Tornado4`] this is [`Scenario::record`]. Under
/// [`Era::Tornado6`], a program that makes no loop of its own (chapter 02's:
/// futures alone) runs inside one, as its Python twin does under Tornado 6,
/// where an `asyncio.Future` needs a loop to schedule its done-callbacks:
///
/// ```python
/// def main():
///     ...                          # the program
///
/// loop.add_callback(main)
/// loop.start()                     # stopped once the futures' callbacks ran
/// ```
///
/// The loop is stopped by a timer a (fake) hour away, which fires once
/// nothing else is left to run.
///
/// ```
/// use tornado_course::{CHAPTERS, Era, record_in};
/// let chapter = &CHAPTERS[2];
/// let scenario = &chapter.scenarios[0];
/// let modern = record_in(chapter, scenario, Era::Tornado6);
/// assert!(modern.to_string().contains("[it=1]"));
/// ```
pub fn record_in(chapter: &Chapter, scenario: &Scenario, era: Era) -> Recording {
    // A program may leave its loop current. A Tornado 6 loop left current would
    // go on scheduling the futures of the next program recorded on this thread,
    // whatever its era, on a loop nobody runs: the thread's current loop is put
    // back as it was.
    let before = ch03_ioloop::IOLoop::try_current();
    let recording = record_in_a_loop_if_needed(chapter, scenario, era);
    match before {
        Some(before) => before.make_current(),
        None => ch03_ioloop::IOLoop::clear_current(),
    }
    recording
}

/// [`record_in`] without putting the current loop back.
fn record_in_a_loop_if_needed(chapter: &Chapter, scenario: &Scenario, era: Era) -> Recording {
    if era == Era::Tornado4 || chapter.number > 2 {
        return scenario.record_in(era);
    }
    let run = scenario.run;
    if OUTSIDE_A_LOOP.contains(&scenario.name) {
        return record_outside_a_loop(run);
    }
    ch00_trace::with_era(era, || {
        ch00_trace::record(|| {
            let io_loop = ch00_trace::unrecorded(|| {
                ch03_ioloop::IOLoop::with_options(ch03_ioloop::FakeClock::new(1000.0), Some(false))
                    .expect("a new IOLoop")
            });
            io_loop.make_current();
            // The twin stops once its futures' callbacks have run; here a
            // timer a (fake) hour away stops the loop once nothing else is
            // left to do, whatever the program did, a panic included.
            let stopper = io_loop.downgrade();
            io_loop.call_later(3600.0, move || {
                if let Some(io_loop) = stopper.upgrade() {
                    io_loop.stop();
                }
            });
            io_loop.add_callback(run);
            io_loop.start().expect("the loop runs");
            io_loop.close(true);
        })
        .1
    })
}

/// Chapter 02's programs that run outside any loop under Tornado 6, as their
/// Python twins do (no `new_loop()`): asyncio gives them an event loop nobody
/// runs, and their done-callbacks never run. Every other chapter 02 program
/// runs inside a loop's callback under Tornado 6.
pub const OUTSIDE_A_LOOP: &[&str] = &["ch02_future_api"];

/// A program recorded under Tornado 6's rules with no loop running: futures
/// schedule their done-callbacks on an
/// [`UnstartedLoop`](ch02_future::asyncio::UnstartedLoop), which drops them
/// unrun once the recording is over (Python drops them at exit, silently).
fn record_outside_a_loop(run: fn()) -> Recording {
    use ch02_future::asyncio::{UnstartedLoop, set_event_loop};
    use std::rc::Rc;

    let parked = Rc::new(UnstartedLoop::default());
    let old = set_event_loop(Some(parked.clone()));
    let recording = ch00_trace::with_era(Era::Tornado6, || ch00_trace::record(run).1);
    drop(set_event_loop(old));
    drop(parked.take_waiting());
    recording
}
