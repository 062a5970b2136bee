//! One recorded line, and a whole recording.

use std::fmt;

/// What kind of thing a recorded line reports.
///
/// `Print` lines are the program's own output: they are what the Python twin
/// prints too, so conformance with real Tornado compares exactly those.
/// Everything else is the machinery explaining itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A line the program printed with `say!` (Python's `print`).
    Print,
    /// A generator was started, resumed, or finished.
    Generator,
    /// A `Future` was resolved, or one of its done-callbacks ran.
    Future,
    /// A callback was scheduled on the IOLoop, or ran.
    Callback,
    /// A timeout was added, removed, or fired.
    Timeout,
    /// A file-descriptor handler was added, removed, or fired.
    Handler,
    /// The loop was woken from another thread.
    Waker,
    /// The loop polled for I/O (the boundary between two iterations).
    Poll,
    /// A coroutine's `Runner` resumed its generator.
    Runner,
    /// A message logged through the `log` facade (Tornado's `app_log`, `gen_log`).
    Log,
}

/// One recorded line: the iteration it happened in, its kind, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Polls completed before this line was recorded (`[it=N]` in the Python twins).
    pub iteration: u32,
    /// What kind of line this is.
    pub kind: EventKind,
    /// The line itself, already formatted.
    pub text: String,
}

impl fmt::Display for Event {
    /// `[it=0] > printed` for the program's prints, `[it=0]   ...` for machinery,
    /// `[it=0] ! ...` for log records: the program's voice stands out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let marker = match self.kind {
            EventKind::Print => ">",
            EventKind::Log => "!",
            _ => " ",
        };
        write!(f, "[it={}] {} {}", self.iteration, marker, self.text)
    }
}

/// Everything captured while a program ran under [`record`](crate::record).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recording {
    /// The lines, in the order they happened.
    pub events: Vec<Event>,
}

impl Recording {
    /// Only the program's own prints, as `[it=N] text`: the form the Python
    /// twins print, which conformance tests compare with real Tornado.
    pub fn prints(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e.kind == EventKind::Print)
            .map(|e| format!("[it={}] {}", e.iteration, e.text))
            .collect()
    }

    /// The lines to compare with a twin's output (`[it=N] ...` lines):
    /// [`prints`](Recording::prints), and, when the twin printed Tornado's
    /// log records (`print_logs()`, whose lines read `[it=N] LOG ...`), the
    /// log records too, in order, each as `[it=N] LOG <level> <target>:
    /// <first line>`. A never-retrieved report names its future (`Future f3
    /// exception ...`) where Python prints an address; both sides drop it.
    ///
    /// ```
    /// let (_, recording) = ch00_trace::record(|| ch00_trace::say!("hi"));
    /// assert_eq!(recording.lines_like(&["[it=0] hi"]), ["[it=0] hi"]);
    /// ```
    pub fn lines_like(&self, twin: &[impl AsRef<str>]) -> Vec<String> {
        let with_logs = twin.iter().any(|line| {
            line.as_ref()
                .split_once("] ")
                .is_some_and(|(_, rest)| rest.starts_with("LOG "))
        });
        if !with_logs {
            return self.prints();
        }
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Print => Some(format!("[it={}] {}", e.iteration, e.text)),
                EventKind::Log => {
                    let first = e.text.lines().next().unwrap_or_default();
                    Some(format!("[it={}] LOG {}", e.iteration, unname_future(first)))
                }
                _ => None,
            })
            .collect()
    }

    /// The lines of the given kinds only, rendered as in the full recording.
    pub fn only(&self, kinds: &[EventKind]) -> String {
        self.events
            .iter()
            .filter(|e| kinds.contains(&e.kind))
            .map(|e| format!("{e}\n"))
            .collect()
    }
}

impl fmt::Display for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for event in &self.events {
            writeln!(f, "{event}")?;
        }
        Ok(())
    }
}

/// `...: Future f3 exception was never retrieved: ...` without `f3`.
fn unname_future(line: &str) -> String {
    let Some(at) = line.find("Future f") else {
        return line.to_string();
    };
    let rest = &line[at + "Future f".len()..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || !rest[digits..].starts_with(" exception") {
        return line.to_string();
    }
    format!("{}Future{}", &line[..at], &rest[digits..])
}
