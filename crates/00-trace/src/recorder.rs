//! The thread-local buffer behind [`record`] and [`emit`].

use std::cell::{Cell, RefCell};
use std::fmt;

use crate::event::{Event, EventKind, Recording};

/// The sequences that name objects in a recording: `f1`, `c1`, `t1`, `h1`, `g1`.
///
/// Names are per recording and per kind, so the same program always records
/// the same names, whatever addresses its objects had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// Futures: `f1`, `f2`, ...
    Future = 0,
    /// IOLoop callbacks: `c1`, `c2`, ...
    Callback = 1,
    /// Timeouts: `t1`, `t2`, ...
    Timeout = 2,
    /// File-descriptor handlers: `h1`, `h2`, ...
    Handler = 3,
    /// Generators and coroutines: `g1`, `g2`, ...
    Generator = 4,
    /// Plain objects, Python's `object()` (chapter 06's unique keys): `o1`, ...
    Object = 5,
}

const OBJECT_KINDS: usize = 6;

/// The state of the one recording this thread may have going.
struct Active {
    events: Vec<Event>,
    next_ids: [u32; OBJECT_KINDS],
}

thread_local! {
    // Checked on every event: kept apart from the buffer so that "off" is
    // one `Cell` read, with no `RefCell` borrow.
    static ON: Cell<bool> = const { Cell::new(false) };
    static ITERATION: Cell<u32> = const { Cell::new(0) };
    static ACTIVE: RefCell<Option<Active>> = const { RefCell::new(None) };
    static RECORDINGS: Cell<u64> = const { Cell::new(0) };
}

/// How many recordings this thread has started: a per-thread singleton that
/// must be named inside each recording (chapter 04's `moment`) remakes
/// itself when this changes.
#[inline]
pub fn recordings_started() -> u64 {
    RECORDINGS.with(Cell::get)
}

/// Runs `program` with recording on for this thread and returns what it
/// returned together with everything recorded meanwhile.
///
/// The iteration counter starts at 0 and object names at 1.
///
/// ```
/// use ch00_trace::{record, say};
/// let (answer, recording) = record(|| { say!("thinking"); 42 });
/// assert_eq!(answer, 42);
/// assert_eq!(recording.prints(), ["[it=0] thinking"]);
/// ```
///
/// # Panics
///
/// With [`RecordError::Nested`]'s message when a recording is already going
/// on this thread; [`try_record`] returns that error instead.
// ANCHOR: record
pub fn record<R>(program: impl FnOnce() -> R) -> (R, Recording) {
    try_record(program).unwrap_or_else(|err| panic!("{err}"))
}

/// [`record`], with a recording already going on this thread reported as
/// [`RecordError::Nested`] (and `program` not run) instead of a panic.
///
/// ```
/// use ch00_trace::{RecordError, record, try_record};
/// let (inner, _) = record(|| try_record(|| ()).map(|_| ()));
/// assert_eq!(inner, Err(RecordError::Nested));
/// ```
pub fn try_record<R>(program: impl FnOnce() -> R) -> Result<(R, Recording), RecordError> {
    crate::logger::install();
    if is_recording() {
        // Recordings do not nest: the inner one would take the buffer and the
        // outer one would silently lose its lines.
        return Err(RecordError::Nested);
    }
    ACTIVE.with(|a| {
        *a.borrow_mut() = Some(Active {
            events: Vec::new(),
            next_ids: [0; OBJECT_KINDS],
        })
    });
    ITERATION.with(|i| i.set(0));
    RECORDINGS.with(|n| n.set(n.get() + 1));
    ON.with(|on| on.set(true));

    // Switch recording off even if the program panics, so the next test on
    // this thread starts clean.
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            ON.with(|on| on.set(false));
        }
    }
    let off = Off;
    let result = program();
    drop(off);

    let events = ACTIVE
        .with(|a| a.borrow_mut().take())
        .map(|active| active.events)
        .unwrap_or_default();
    Ok((result, Recording { events }))
}

/// Why [`try_record`] did not record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// `record` was called inside `record` on the same thread.
    Nested,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Nested => f.write_str(
                "RecordError: record() does not nest: finish the outer recording \
                 first, or record the inner program on another thread",
            ),
        }
    }
}

impl std::error::Error for RecordError {}
// ANCHOR_END: record

/// Is a recording going on this thread?
#[inline]
pub fn is_recording() -> bool {
    if cfg!(course_no_trace) {
        return false;
    }
    ON.with(Cell::get)
}

/// Runs `setup` with this thread's recording paused: nothing it does is
/// recorded and the objects it makes are not named (id 0).
///
/// For what Python does at import time, before any program runs: chapter 04's
/// `moment` is resolved once per thread, so its `set_result` belongs to no
/// program's recording, whichever program happens to use it first.
///
/// ```
/// use ch00_trace::{record, say, unrecorded};
/// let ((), recording) = record(|| {
///     unrecorded(|| say!("at import time"));
///     say!("in the program");
/// });
/// assert_eq!(recording.prints(), ["[it=0] in the program"]);
/// ```
pub fn unrecorded<R>(setup: impl FnOnce() -> R) -> R {
    // Restore the flag even if `setup` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ON.with(|on| on.set(self.0));
        }
    }
    let _restore = Restore(ON.with(|on| on.replace(false)));
    setup()
}

/// Records one line of machinery. `text` is only called when recording is on,
/// so an event costs nothing but a flag check when nobody is watching.
// ANCHOR: emit
#[inline]
pub fn emit(kind: EventKind, text: impl FnOnce() -> String) {
    if is_recording() {
        push(kind, text());
    }
}
// ANCHOR_END: emit

fn push(kind: EventKind, text: String) {
    let iteration = ITERATION.with(Cell::get);
    ACTIVE.with(|a| {
        if let Some(active) = a.borrow_mut().as_mut() {
            active.events.push(Event {
                iteration,
                kind,
                text,
            });
        }
    });
}

/// The next name of the given kind in this recording (1, 2, 3...), or 0 when
/// nothing is being recorded (the name will never be shown).
#[inline]
pub fn next_id(kind: ObjectKind) -> u32 {
    if !is_recording() {
        return 0;
    }
    ACTIVE.with(|a| match a.borrow_mut().as_mut() {
        Some(active) => {
            active.next_ids[kind as usize] += 1;
            active.next_ids[kind as usize]
        }
        None => 0,
    })
}

/// Called by the IOLoop after every poll: lines recorded from now on belong to
/// the next iteration.
#[inline]
pub fn poll_completed() {
    if is_recording() {
        ITERATION.with(|i| i.set(i.get() + 1));
    }
}

/// The iteration lines are being recorded in now (polls completed so far).
pub fn iteration() -> u32 {
    ITERATION.with(Cell::get)
}

/// The program's `print`: recorded when a recording is on, written to
/// standard output otherwise. Use it through [`say!`](crate::say).
// ANCHOR: say
pub fn say_args(args: fmt::Arguments<'_>) {
    if is_recording() {
        push(EventKind::Print, args.to_string());
    } else {
        println!("{args}");
    }
}
// ANCHOR_END: say

/// Python's `print(...)` for the course's programs: the line goes into the
/// recording when one is going, to standard output otherwise.
///
/// ```
/// ch00_trace::say!("asyn_sum {} {}", 2, 3);
/// ```
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say_args(::std::format_args!($($arg)*))
    };
}
