//! A recording as data: each event taken apart (its subject, action, detail and
//! the objects it names) and written as JSON, for the book's diagrams and player.
//!
//! The machinery's lines follow one vocabulary (docs/recordings.md lists it):
//!
//! ```text
//! future f1 set_exception: ValueError: bad     subject f1, action "set_exception", detail "ValueError: bad"
//! runner[f2] waits on f3                       subject f2 (the runner of f2), action "waits on f3"
//! poll: 1 event                                no subject, action "poll", detail "1 event"
//! ```
//!
//! so the parts are read back from the line itself: the text stays the one source,
//! and the data cannot say something the snapshot does not.

use std::fmt::Write as _;

use crate::era::Era;
use crate::event::{Event, EventKind, Recording};
use crate::recorder::ObjectKind;

/// An object a line names: `f3`, a future.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    /// Its name in the recording: `"f3"`.
    pub id: String,
    /// What it is.
    pub kind: ObjectKind,
}

/// An event taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventParts {
    /// The object the line is about (`c1` in `callback c1 runs`; for a runner's
    /// line, `runner[f2] ...`, the future the runner resolves); none for prints,
    /// logs, polls and the waker.
    pub subject: Option<String>,
    /// What happened to it: `"runs"`, `"set_exception"`, `"waits on f3"`, `"poll"`.
    /// For a print, `"print"`; for a log record, `"log"`.
    pub action: String,
    /// What follows the action's `: `, if anything: `"ValueError: bad"`, `"READ"`;
    /// for a print, the printed text; for a log record, the record.
    pub detail: Option<String>,
    /// Every object the machinery's line names, the subject first. Prints and log
    /// records name none: their text is the program's, not the recorder's.
    pub objects: Vec<ObjectRef>,
}

impl ObjectKind {
    /// The kind of the object named `id`, from its letter: `f3` is a future.
    pub fn of_id(id: &str) -> Option<ObjectKind> {
        let mut chars = id.chars();
        let kind = match chars.next()? {
            'f' => ObjectKind::Future,
            'c' => ObjectKind::Callback,
            't' => ObjectKind::Timeout,
            'h' => ObjectKind::Handler,
            'g' => ObjectKind::Generator,
            'o' => ObjectKind::Object,
            _ => return None,
        };
        let digits = chars.as_str();
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(kind)
    }

    /// Its name in the data: `"future"`.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Future => "future",
            ObjectKind::Callback => "callback",
            ObjectKind::Timeout => "timeout",
            ObjectKind::Handler => "handler",
            ObjectKind::Generator => "generator",
            ObjectKind::Object => "object",
        }
    }
}

impl EventKind {
    /// Its name in the data: `"callback"`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Print => "print",
            EventKind::Generator => "generator",
            EventKind::Future => "future",
            EventKind::Callback => "callback",
            EventKind::Timeout => "timeout",
            EventKind::Handler => "handler",
            EventKind::Waker => "waker",
            EventKind::Poll => "poll",
            EventKind::Runner => "runner",
            EventKind::Log => "log",
        }
    }
}

impl Event {
    /// The line taken apart.
    ///
    /// ```
    /// use ch00_trace::{Event, EventKind};
    /// let event = Event { iteration: 0, kind: EventKind::Runner, text: "runner[f2] waits on f3".into() };
    /// let parts = event.parts();
    /// assert_eq!(parts.subject.as_deref(), Some("f2"));
    /// assert_eq!(parts.action, "waits on f3");
    /// let ids: Vec<&str> = parts.objects.iter().map(|o| o.id.as_str()).collect();
    /// assert_eq!(ids, ["f2", "f3"]);
    /// ```
    pub fn parts(&self) -> EventParts {
        match self.kind {
            EventKind::Print | EventKind::Log => {
                return EventParts {
                    subject: None,
                    action: self.kind.name().to_string(),
                    detail: Some(self.text.clone()),
                    objects: Vec::new(),
                };
            }
            _ => {}
        }
        let text = self.text.as_str();
        // `runner[f2] rest`, `<word> <id> rest`, or `<word>: detail` (poll, waker).
        let (subject, rest) = if let Some(after) = text.strip_prefix("runner[") {
            match after.split_once("] ") {
                Some((id, rest)) => (Some(id.to_string()), rest),
                None => (None, text),
            }
        } else {
            match text.split_once(' ') {
                Some((_, rest)) => match rest.split_once(' ') {
                    Some((id, rest)) if ObjectKind::of_id(id).is_some() => {
                        (Some(id.to_string()), rest)
                    }
                    None if ObjectKind::of_id(rest).is_some() => (Some(rest.to_string()), ""),
                    _ => (None, text),
                },
                None => (None, text),
            }
        };
        let (action, detail) = match rest.strip_prefix("raises ") {
            // `raises ValueError: bad`: what is raised is the detail.
            Some(exception) => ("raises".to_string(), Some(exception.to_string())),
            None => match top_level_colon(rest) {
                Some(at) => (rest[..at].to_string(), Some(rest[at + 2..].to_string())),
                None => (rest.to_string(), None),
            },
        };
        let action = match (&subject, action.as_str()) {
            // `poll: 1 event`, `waker woke: ...`: the first word is the action.
            (None, a) => a.strip_prefix("waker ").unwrap_or(a).to_string(),
            _ => action,
        };
        let mut objects: Vec<ObjectRef> = Vec::new();
        let mut name = |id: &str| {
            if let Some(kind) = ObjectKind::of_id(id) {
                if !objects.iter().any(|o| o.id == id) {
                    objects.push(ObjectRef {
                        id: id.to_string(),
                        kind,
                    });
                }
            }
        };
        if let Some(id) = &subject {
            name(id);
        }
        // The objects named in the action: `waits on f3`, `sends the result of f4`,
        // `callback <object o1> called`. The detail is an exception's message or a
        // mask: its words are not objects.
        for word in action.split(|c: char| !c.is_ascii_alphanumeric()) {
            name(word);
        }
        EventParts {
            subject,
            action,
            detail,
            objects,
        }
    }
}

/// What a recording's data says of its counterpart under the other era's rules
/// ([`Recording::to_json_in`]): the counterpart's name in the data, and the printed
/// lines that moved between the two ([`Recording::moved_prints`]).
#[derive(Clone, Copy, Debug)]
pub struct Counterpart<'a> {
    /// The counterpart's name in the data: `"ch03_iteration_order.tornado6"`.
    pub recording: &'a str,
    /// The steps of this recording's moved prints.
    pub moved_here: &'a [usize],
    /// The steps of the counterpart's moved prints.
    pub moved_there: &'a [usize],
}

impl Recording {
    /// The recording as JSON, in the format docs/recordings.md describes, with the
    /// scenario's `name`, `title`, chapter and twin, recorded under Tornado 4.5.3's
    /// rules and compared with nothing.
    pub fn to_json(&self, name: &str, title: &str, chapter: u8, twin: Option<&str>) -> String {
        self.to_json_in(name, title, chapter, twin, Era::Tornado4, None)
    }

    /// The recording as JSON, recorded under `era`'s rules, and when it has a
    /// `counterpart` under the other era's, which of its printed lines moved.
    pub fn to_json_in(
        &self,
        name: &str,
        title: &str,
        chapter: u8,
        twin: Option<&str>,
        era: Era,
        counterpart: Option<Counterpart<'_>>,
    ) -> String {
        let steps = |steps: &[usize]| {
            let steps: Vec<String> = steps.iter().map(usize::to_string).collect();
            format!("[{}]", steps.join(", "))
        };
        let mut out = String::new();
        out += "{\n";
        let _ = writeln!(out, "  \"format\": \"tornado-course recording 1\",");
        let _ = writeln!(out, "  \"scenario\": {},", json(name));
        let _ = writeln!(out, "  \"title\": {},", json(title));
        let _ = writeln!(out, "  \"chapter\": {chapter},");
        let _ = writeln!(
            out,
            "  \"twin\": {},",
            twin.map_or("null".to_string(), json)
        );
        let _ = writeln!(out, "  \"tornado\": {},", json(era.version()));
        if let Some(other) = counterpart {
            let _ = writeln!(
                out,
                "  \"counterpart\": {{\"recording\": {}, \"moved_here\": {}, \"moved_there\": {}}},",
                json(other.recording),
                steps(other.moved_here),
                steps(other.moved_there)
            );
        }
        out += "  \"events\": [";
        for (step, event) in self.events.iter().enumerate() {
            let parts = event.parts();
            let objects: Vec<String> = parts
                .objects
                .iter()
                .map(|o| {
                    format!(
                        "{{\"id\": {}, \"kind\": {}}}",
                        json(&o.id),
                        json(o.kind.name())
                    )
                })
                .collect();
            out += if step == 0 { "\n" } else { ",\n" };
            let _ = write!(
                out,
                "    {{\"step\": {step}, \"it\": {}, \"kind\": {}, \"subject\": {}, \"action\": {}, \
                 \"detail\": {}, \"objects\": [{}], \"line\": {}}}",
                event.iteration,
                json(event.kind.name()),
                parts.subject.as_deref().map_or("null".to_string(), json),
                json(&parts.action),
                parts.detail.as_deref().map_or("null".to_string(), json),
                objects.join(", "),
                json(&event.to_string()),
            );
        }
        out += "\n  ]\n}\n";
        out
    }
}

/// Where the action ends: the first `: ` outside brackets and quotes (a yield
/// point's `Multi({"a": Wait('a')})` keeps its own colons).
fn top_level_colon(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ' ') if previous == ':' && depth == 0 => return Some(at - 1),
            _ => {}
        }
        previous = c;
    }
    None
}

/// A JSON string.
fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            '\r' => out += "\\r",
            '\t' => out += "\\t",
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(kind: EventKind, text: &str) -> EventParts {
        Event {
            iteration: 0,
            kind,
            text: text.into(),
        }
        .parts()
    }

    #[test]
    fn subjects_actions_details() {
        let p = parts(
            EventKind::Future,
            "future f1 set_exception: ValueError: bad",
        );
        assert_eq!(
            (p.subject.as_deref(), p.action.as_str()),
            (Some("f1"), "set_exception")
        );
        assert_eq!(p.detail.as_deref(), Some("ValueError: bad"));
        let p = parts(EventKind::Poll, "poll: 1 event");
        assert_eq!(
            (p.subject, p.action.as_str(), p.detail.as_deref()),
            (None, "poll", Some("1 event"))
        );
        let p = parts(
            EventKind::Waker,
            "waker woke: 2 callbacks from another thread",
        );
        assert_eq!(p.action, "woke");
        let p = parts(EventKind::Runner, "runner[f1] callback <object o2> called");
        let ids: Vec<_> = p.objects.iter().map(|o| (o.id.as_str(), o.kind)).collect();
        assert_eq!(
            ids,
            [("f1", ObjectKind::Future), ("o2", ObjectKind::Object)]
        );
        let p = parts(
            EventKind::Generator,
            "generator g1 resumed by throw: ValueError: t1 failed",
        );
        assert_eq!(p.objects.len(), 1, "the detail's words are not objects");
        let p = parts(EventKind::Generator, "generator g2 raises ValueError: bad");
        assert_eq!(
            (p.action.as_str(), p.detail.as_deref()),
            ("raises", Some("ValueError: bad"))
        );
        let p = parts(
            EventKind::Runner,
            "runner[f1] starts Multi({\"a\": Wait('a')}): waits",
        );
        assert_eq!(p.action, "starts Multi({\"a\": Wait('a')})");
        let p = parts(EventKind::Print, "t1: asyn_sum 2 3");
        assert!(p.objects.is_empty() && p.detail.as_deref() == Some("t1: asyn_sum 2 3"));
    }

    /// Tornado 6's machinery lines (asyncio underneath) read as the vocabulary says.
    #[test]
    fn tornado_6_lines() {
        let p = parts(
            EventKind::Future,
            "future f1 schedules done-callback 1 of 2 (call_soon)",
        );
        assert_eq!(
            (p.subject.as_deref(), p.action.as_str(), p.detail),
            (
                Some("f1"),
                "schedules done-callback 1 of 2 (call_soon)",
                None
            )
        );
        assert_eq!(p.objects.len(), 1, "`call_soon` names no object");
        let p = parts(EventKind::Timeout, "timeout t3 is due");
        assert_eq!(
            (p.subject.as_deref(), p.action.as_str()),
            (Some("t3"), "is due")
        );
        let p = parts(EventKind::Future, "future f2 cancelled");
        assert_eq!(
            (p.subject.as_deref(), p.action.as_str()),
            (Some("f2"), "cancelled")
        );
    }

    #[test]
    fn the_data_says_its_era_and_counterpart() {
        let recording = Recording {
            events: vec![Event {
                iteration: 1,
                kind: EventKind::Print,
                text: "a".into(),
            }],
        };
        let old = recording.to_json("x", "t", 3, None);
        assert!(old.contains("\"tornado\": \"4.5.3\",\n"), "{old}");
        assert!(!old.contains("counterpart"), "{old}");
        let counterpart = Counterpart {
            recording: "x",
            moved_here: &[0],
            moved_there: &[],
        };
        let new = recording.to_json_in("x", "t", 3, None, Era::Tornado6, Some(counterpart));
        assert!(new.contains("\"tornado\": \"6.6.1\",\n"), "{new}");
        assert!(
            new.contains(
                "\"counterpart\": {\"recording\": \"x\", \"moved_here\": [0], \"moved_there\": []},"
            ),
            "{new}"
        );
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json("a \"b\"\n\\"), r#""a \"b\"\n\\""#);
        assert_eq!(json("\u{1}"), r#""\u0001""#);
    }
}
