//! The graded exercises' side of the tests: [`exercise`] names the exercise a
//! failure belongs to, [`predict`] grades a "predict the order" exercise.
//!
//! An unfinished exercise is a `todo!("ex03.2: <title>; hint: <hint>")` in the
//! student edition. Its panic is never taken for a Python exception (chapter
//! 01's `catch_panic` lets it through), so a test that reaches it stops at
//! once; [`exercise`] then says which exercise the test grades and which one
//! it is waiting on.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Runs the body of a test of exercise `id` (`"ex03.2"`), so that a failure
/// says which exercise it grades and why it failed:
///
/// - `ex03.2 is not done yet: ...` when the body reached ex03.2's own `todo!`;
/// - `ex03.2 waits on ex03.1, which is not done yet: ...` when it reached the
///   `todo!` of an exercise it builds on;
/// - `ex03.2 is not right yet: <the assertion's message>` otherwise.
///
/// ```should_panic
/// testkit::exercise("ex09.1", || assert_eq!(1 + 1, 3, "arithmetic"));
/// ```
pub fn exercise(id: &str, body: impl FnOnce()) {
    let Err(payload) = panic::catch_unwind(AssertUnwindSafe(body)) else {
        return;
    };
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("(a panic without a message)");
    match unfinished_exercise(message) {
        Some(other) if other == id => panic!("{id} is not done yet: {message}"),
        Some(other) => panic!("{id} waits on {other}, which is not done yet: {message}"),
        None => panic!("{id} is not right yet: {message}"),
    }
}

/// The id of the unfinished exercise whose `todo!` produced `message`, if any:
/// `"not yet implemented: ex03.2: ..."` gives `Some("ex03.2")`.
///
/// ```
/// let message = "not yet implemented: ex03.2: Timeouts; hint: a heap";
/// assert_eq!(testkit::unfinished_exercise(message), Some("ex03.2"));
/// assert_eq!(testkit::unfinished_exercise("index out of bounds"), None);
/// ```
pub fn unfinished_exercise(message: &str) -> Option<&str> {
    let rest = &message[message.find("not yet implemented: ex")? + "not yet implemented: ".len()..];
    let id = &rest[..rest.find(':')?];
    is_exercise_id(id).then_some(id)
}

/// `exNN.M`: two digits, a dot, a number.
fn is_exercise_id(id: &str) -> bool {
    let Some((chapter, number)) = id.strip_prefix("ex").and_then(|s| s.split_once('.')) else {
        return false;
    };
    chapter.len() == 2
        && chapter.bytes().all(|b| b.is_ascii_digit())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Grades the "predict the order" exercise `id` of the chapter whose crate is
/// at `manifest_dir`: the learner's prediction, `exercises/<id>.txt`, against
/// the key, `exercises/<id>.check`, line by line.
///
/// A prediction is the lines the program prints, each with its iteration, as
/// the recording shows them: `[it=1] after yielded`. Lines starting with `#`
/// and blank lines are ignored, and so are differences in spacing.
///
/// The key holds a hash of each line the program really prints, not the lines
/// themselves, so the student edition can grade a prediction without holding
/// the answer. On a difference the failure shows the first line that differs,
/// whether that line comes later in the recording, and how many lines the
/// recording has. [`prediction_key`] writes the key from a real recording.
pub fn predict(id: &str, manifest_dir: &str) {
    let dir = Path::new(manifest_dir).join("exercises");
    let file = dir.join(format!("{id}.txt"));
    let text = read(&file);
    let prediction: Vec<String> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(normalize)
        .collect();
    let key: Vec<u64> = read(&dir.join(format!("{id}.check")))
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|hex| u64::from_str_radix(hex.trim(), 16).expect("a line of a .check file"))
        .collect();
    let shown = shown_path(&file);
    if prediction.is_empty() {
        let task = text
            .lines()
            .filter_map(|line| line.strip_prefix('#'))
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("predict the lines the program prints");
        // The file's first line starts with the id, as the message does already.
        let task = task
            .strip_prefix(id)
            .map_or(task, |rest| rest.trim_start_matches(':').trim_start());
        panic!(
            "not yet implemented: {id}: {task}; write your prediction in {shown}, one line \
             per line the program prints, as `[it=0] text`"
        );
    }
    for (at, line) in prediction.iter().enumerate() {
        let Some(&expected) = key.get(at) else {
            panic!(
                "line {} of your prediction, `{line}`, is one too many: the program prints {} \
                 lines ({shown})",
                at + 1,
                key.len()
            );
        };
        if line_hash(line) != expected {
            let later = key[at + 1..].iter().position(|&h| h == line_hash(line));
            let whereabouts = match later {
                Some(offset) => format!("it is line {} of the recording", at + 2 + offset),
                None => "the program never prints that line there or later".to_string(),
            };
            panic!(
                "line {} of your prediction, `{line}`, is not what the program prints there: \
                 {whereabouts} (the recording has {} lines; {shown})",
                at + 1,
                key.len()
            );
        }
    }
    assert!(
        prediction.len() == key.len(),
        "your prediction stops after {} lines; the program prints {} ({shown})",
        prediction.len(),
        key.len()
    );
}

/// Checks that `exercises/<id>.check` is the key of `recording` (the lines
/// the program prints, as `ch00_trace::print_lines` gives them), and with
/// `COURSE_BLESS=1` in the environment writes it instead.
///
/// Not an exercise's test: the regular test that keeps a prediction's key in
/// step with the program, in the full edition.
pub fn prediction_key(id: &str, manifest_dir: &str, recording: &[&str]) {
    let path = Path::new(manifest_dir)
        .join("exercises")
        .join(format!("{id}.check"));
    let mut key = format!(
        "# The key of {id}: a hash (FNV-1a, 64 bits) of each line the program prints.\n\
         # Written by the test that checks it, with COURSE_BLESS=1; do not edit.\n"
    );
    for line in recording {
        key += &format!("{:016x}\n", line_hash(&normalize(line)));
    }
    if std::env::var_os("COURSE_BLESS").is_some() {
        std::fs::write(&path, key).expect("writing the key");
        return;
    }
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(key.as_str()),
        "{} is not the key of the program's recording; rerun this test with COURSE_BLESS=1",
        shown_path(&path)
    );
}

/// A line with its spacing made regular: trimmed, runs of blanks as one space.
fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
fn line_hash(line: &str) -> u64 {
    line.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", shown_path(path)))
}

/// `path` from the workspace root (`crates/03-ioloop/exercises/ex03.5.txt`),
/// as a learner would type it.
fn shown_path(path: &Path) -> String {
    let parts: Vec<_> = path.components().collect();
    let from = parts
        .iter()
        .rposition(|c| c.as_os_str() == "crates")
        .unwrap_or(0);
    parts[from..]
        .iter()
        .collect::<PathBuf>()
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_1a_of_known_strings() {
        assert_eq!(line_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(line_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn spacing_does_not_count() {
        assert_eq!(normalize("  [it=0]   hello  world "), "[it=0] hello world");
    }

    #[test]
    fn ids() {
        assert!(is_exercise_id("ex03.12"));
        assert!(!is_exercise_id("ex3.1"));
        assert!(!is_exercise_id("ex03."));
        assert_eq!(unfinished_exercise("not yet implemented: exams: x"), None);
    }
}
