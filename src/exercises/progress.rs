//! `cargo run -- progress [N]` and `cargo run -- hint exNN.M [K]`.
//!
//! Progress is derived from the tests each time it is asked for: it runs each chapter's
//! `exercises` tests and reads what they say. Nothing is stored, so nothing goes stale
//! when the course changes under a student's work.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use super::catalog::{Exercise, chapter_exercises, one_line};
use super::libtest::{self, Run};
use crate::{CHAPTERS, Chapter};

/// Where one exercise stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every one of its tests passes.
    Done,
    /// Its `todo!` is still there.
    ToDo,
    /// Written, but a test fails: the first failure's message.
    NotRight(String),
    /// Its tests stop at the `todo!` of an exercise it builds on.
    WaitingOn(String),
    /// Its chapter does not build: the compiler's errors.
    DoesNotBuild,
    /// No test of it ran (a course defect, or a filter gone wrong).
    NoTests,
}

/// How `exercise` stands in `run`.
pub fn status(exercise: &Exercise, run: &Run) -> Status {
    if run.build_error.is_some() {
        return Status::DoesNotBuild;
    }
    let results: Vec<_> = run.of(|name| exercise.owns_test(name)).collect();
    if results.is_empty() {
        return Status::NoTests;
    }
    let Some(failed) = results.iter().find(|r| !r.passed) else {
        return Status::Done;
    };
    let waits = format!("{} waits on ", exercise.id);
    if let Some(at) = failed.output.find(&waits) {
        let other: String = failed.output[at + waits.len()..]
            .chars()
            .take_while(|c| *c == '.' || c.is_ascii_alphanumeric())
            .collect();
        return Status::WaitingOn(other);
    }
    if failed
        .output
        .contains(&format!("{} is not done yet", exercise.id))
    {
        return Status::ToDo;
    }
    Status::NotRight(failure_message(&failed.output, &exercise.id))
}

/// The line of a failure's output that says what went wrong.
fn failure_message(output: &str, id: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let own = lines
        .iter()
        .position(|l| l.contains(&format!("{id} is not right yet")));
    let at = own.or_else(|| {
        lines
            .iter()
            .position(|l| l.contains("panicked at"))
            .map(|i| i + 1)
    });
    let Some(at) = at else {
        return "(see the test's output)".into();
    };
    // The message and its continuation lines (an assert_eq!'s left and right).
    let mut message = lines[at].to_string();
    for line in lines.iter().skip(at + 1).take(4) {
        if line.trim().is_empty() || line.starts_with("note:") || line.starts_with("thread ") {
            break;
        }
        message += "\n             ";
        message += line.trim();
    }
    message
}

/// The progress report of the chosen chapter, or of every chapter with exercises.
pub fn progress(root: &Path, only: Option<u8>) -> Result<String, String> {
    let mut report = String::new();
    let mut next: Option<(Exercise, Status)> = None;
    let mut total = 0;
    let mut done = 0;
    let chapters: Vec<&Chapter> = CHAPTERS
        .iter()
        .filter(|c| only.is_none_or(|n| n == c.number))
        .collect();
    if chapters.is_empty() {
        return Err(format!("there is no chapter {}", only.unwrap_or_default()));
    }
    for chapter in chapters {
        let exercises = chapter_exercises(root, chapter)?;
        if exercises.is_empty() {
            if only.is_some() {
                let _ = writeln!(report, "Chapter {} has no exercises.", chapter.number);
            }
            continue;
        }
        let run = libtest::cargo_exercises(root, chapter.package, Duration::from_secs(600));
        let statuses: Vec<Status> = exercises.iter().map(|e| status(e, &run)).collect();
        let finished = statuses.iter().filter(|s| **s == Status::Done).count();
        total += exercises.len();
        done += finished;
        let _ = writeln!(
            report,
            "Chapter {} · {}  ({finished} of {} done)",
            chapter.number,
            chapter.title,
            exercises.len()
        );
        if let Some(errors) = &run.build_error {
            let _ = writeln!(report, "  The chapter does not build; the compiler says:\n");
            for line in errors.lines() {
                let _ = writeln!(report, "    {line}");
            }
        }
        for (exercise, status) in exercises.iter().zip(&statuses) {
            let label = match status {
                Status::Done => "done".to_string(),
                Status::ToDo => "to do".to_string(),
                Status::NotRight(_) => "not right yet".to_string(),
                Status::WaitingOn(other) => format!("waits on {other}"),
                Status::DoesNotBuild => "does not build".to_string(),
                Status::NoTests => "no tests found".to_string(),
            };
            let _ = writeln!(report, "  {label:<16} {}  {}", exercise.id, exercise.title);
            let ready = !matches!(status, Status::Done | Status::WaitingOn(_));
            if ready && next.is_none() {
                next = Some((exercise.clone(), status.clone()));
            }
        }
        // With every exercise done, the chapter's own tests are the final exam: the
        // scenarios' recordings, the ported Tornado tests, the faults.
        if finished == exercises.len() {
            let suite = libtest::cargo_suite(root, chapter.package, Duration::from_secs(900));
            let failed = suite.results.iter().filter(|r| !r.passed).count();
            let _ = if failed == 0 && suite.build_error.is_none() {
                writeln!(
                    report,
                    "  and the chapter's whole suite passes ({} tests: `cargo test -p {}`)",
                    suite.results.len(),
                    chapter.package
                )
            } else {
                writeln!(
                    report,
                    "  but {failed} of the chapter's {} tests fail: run `cargo test -p {}`",
                    suite.results.len(),
                    chapter.package
                )
            };
        }
        report += "\n";
    }
    match next {
        None if total > 0 => {
            let _ = writeln!(report, "All {total} exercises are done.");
        }
        None => {}
        Some((exercise, status)) => {
            let _ = writeln!(
                report,
                "{done} of {total} done. Next: {} · {}",
                exercise.id, exercise.title
            );
            let _ = writeln!(
                report,
                "  Taught in:  {} (chapter {} of the book)",
                exercise.taught_in, exercise.chapter
            );
            let _ = writeln!(report, "  Where:      {}", exercise.location);
            if let Status::NotRight(message) = &status {
                let _ = writeln!(report, "  Failing:    {message}");
            }
            let _ = writeln!(report, "  Hint 1:     {}", one_line(&exercise.hints[0]));
            let _ = writeln!(report, "  More hints: cargo run -- hint {} 2", exercise.id);
            let _ = writeln!(report, "  The task:   cargo run -- hint {} 0", exercise.id);
            let _ = writeln!(report, "  Rerun it:   {}", exercise.test_command());
        }
    }
    Ok(report)
}

/// The exercise `id` with its task and its first `k` hints.
pub fn hint(root: &Path, id: &str, k: usize) -> Result<String, String> {
    let exercise = super::catalog::all(root)?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| {
            format!("there is no exercise {id} (ids look like ex03.2; see cargo run -- progress)")
        })?;
    let mut out = format!("{} · {}\n\n", exercise.id, exercise.title);
    let _ = writeln!(
        out,
        "Taught in: {} (chapter {} of the book)",
        exercise.taught_in, exercise.chapter
    );
    let _ = writeln!(out, "Where:     {}", exercise.location);
    let _ = writeln!(out, "Tests:     {}\n", exercise.test_command());
    let _ = writeln!(out, "{}\n", exercise.task);
    let shown = k.min(exercise.hints.len());
    for (n, text) in exercise.hints.iter().take(shown).enumerate() {
        let _ = writeln!(out, "Hint {}: {}\n", n + 1, text);
    }
    let count = exercise.hints.len();
    if shown < count {
        let _ = writeln!(
            out,
            "(hint {shown} of {count}; the next: cargo run -- hint {} {})",
            exercise.id,
            shown + 1
        );
    } else {
        let _ = writeln!(out, "(that was the last hint)");
    }
    Ok(out)
}
