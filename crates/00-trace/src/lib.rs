//! The recorder: what a program printed and what the machinery did, in order.
//!
//! Every chapter of the course shows its lesson as a *recording*: the lines the
//! program printed (`say!`) interleaved with the events of the machinery
//! underneath (a callback scheduled, a future resolved, a timeout fired, a
//! poll returned). Each line carries the IOLoop iteration it happened in,
//! `[it=N]`, counted exactly as the Python twins of the course count
//! them: the number of polls completed so far.
//!
//! ```
//! use ch00_trace::{record, say};
//!
//! let ((), recording) = record(|| {
//!     say!("hello from {}", "the program");
//! });
//! assert_eq!(recording.to_string(), "[it=0] > hello from the program\n");
//! ```
//!
//! # How it works
//!
//! A recording belongs to one thread: [`record`] switches a thread-local
//! buffer on, runs the program, and hands back what was captured. Machinery
//! calls [`emit`] with a closure that formats the line, so with no recording
//! active an event costs one thread-local flag check and nothing is formatted.
//! Built with `RUSTFLAGS="--cfg course_no_trace"`, every event compiles to
//! nothing at all: the benchmarks compare the two to show what "off" costs.
//!
//! Recordings are deterministic: objects are named by small per-recording
//! sequence numbers (`f1`, `c2`, `t3`), never by address, and no wall-clock
//! time appears in them.
//!
//! # Layout
//!
//! - `era`: which Tornado's rules the machinery follows ([`Era`], [`with_era`]).
//! - `event`: one recorded line ([`Event`], [`EventKind`]) and a whole [`Recording`].
//! - `compare`: two recordings of one program, which printed lines moved
//!   ([`Recording::moved_prints`], [`MovedPrints`]).
//! - `data`: a recording as data: [`Event::parts`] and [`Recording::to_json`]
//!   ([`Recording::to_json_in`] for another era's, with its [`Counterpart`]).
//! - `diagram`: a recording as a sequence diagram ([`Recording::diagram`]): SVG, or text.
//! - `player`: a recording on a page of its own, in the book's player
//!   ([`Recording::player_page`]).
//! - `recorder`: the thread-local buffer: [`record`] (and [`try_record`], [`RecordError`]),
//!   [`emit`], [`say!`], [`next_id`].
//! - `logger`: the `log` facade routed into the recording; [`basic_config`] outside it.
//! - `scenario`: a chapter's named, recordable program ([`Scenario`]).

#![forbid(unsafe_code)]

mod compare;
mod data;
mod diagram;
mod era;
mod event;
mod logger;
mod player;
mod recorder;
mod scenario;

pub use compare::MovedPrints;
pub use data::{Counterpart, EventParts, ObjectRef};
pub use diagram::{Diagram, Lane, Row};
pub use era::{Era, era, with_era};
pub use event::{Event, EventKind, Recording};
pub use logger::{DEFAULT_FORMAT, LogStream, basic_config, install as install_logger};
pub use recorder::{
    ObjectKind, RecordError, emit, is_recording, iteration, next_id, poll_completed, record,
    recordings_started, say_args, try_record, unrecorded,
};
pub use scenario::{Scenario, TORNADO_VERSION, TWINS_DIR, print_lines, twin_output, twin_program};
