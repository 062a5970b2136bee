//! The catalog: each chapter's `crates/NN-name/exercises/README.md`, read.
//!
//! The file is written for people (GitHub shows it; the book includes it at the end of
//! the chapter) and has a fixed shape that this module reads strictly, so a mistake in
//! it is an error that says where, never an exercise silently missing:
//!
//! ```text
//! ### ex03.2 · Timeouts in the order of their deadlines
//!
//! - Taught in: *Timeouts*
//! - Builds on: ex03.1
//! - Tests: `cargo test -p ch03-ioloop --test exercises ex03_2`
//! - Where: `crates/03-ioloop/src/timer_heap.rs`, `Timeouts::push`
//!
//! The task, in a few paragraphs.
//!
//! <details><summary>Hint 1</summary>
//!
//! The first hint.
//!
//! </details>
//! ```

use std::path::{Path, PathBuf};

use crate::Chapter;

/// One graded exercise, as its chapter's catalog describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// `"ex03.2"`.
    pub id: String,
    /// The chapter's number: 3.
    pub chapter: u8,
    /// The chapter's package: `"ch03-ioloop"`.
    pub package: &'static str,
    /// The title, after the `·`.
    pub title: String,
    /// The heading of the chapter's page that teaches it.
    pub taught_in: String,
    /// The exercises of the same chapter it needs finished first.
    pub builds_on: Vec<String>,
    /// Which file and function the student writes.
    pub location: String,
    /// The task, as Markdown.
    pub task: String,
    /// Two or three hints, each giving away more.
    pub hints: Vec<String>,
}

impl Exercise {
    /// The prefix of its tests' names: `"ex03_2"`.
    pub fn test_prefix(&self) -> String {
        self.id.replace('.', "_")
    }

    /// The command that runs its tests alone.
    pub fn test_command(&self) -> String {
        format!(
            "cargo test -p {} --test exercises {}",
            self.package,
            self.test_prefix()
        )
    }

    /// Does this test (by name) belong to this exercise?
    pub fn owns_test(&self, test: &str) -> bool {
        test.strip_prefix(&self.test_prefix())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
    }
}

/// The catalog of `chapter`, if the chapter has exercises (chapter 00 has none).
pub fn chapter_exercises(root: &Path, chapter: &Chapter) -> Result<Vec<Exercise>, String> {
    let path = catalog_path(root, chapter);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text, chapter).map_err(|e| format!("{}: {e}", shown(root, &path)))
}

/// Every exercise of the course, chapter by chapter, in order.
pub fn all(root: &Path) -> Result<Vec<Exercise>, String> {
    let mut all = Vec::new();
    for chapter in crate::CHAPTERS {
        all.extend(chapter_exercises(root, chapter)?);
    }
    Ok(all)
}

/// `crates/03-ioloop/exercises/README.md`.
pub fn catalog_path(root: &Path, chapter: &Chapter) -> PathBuf {
    root.join("crates")
        .join(chapter.dir)
        .join("exercises")
        .join("README.md")
}

/// `path` relative to `root`, for messages.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Reads one catalog. Errors name the line.
pub fn parse(text: &str, chapter: &Chapter) -> Result<Vec<Exercise>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("### "))
        .collect();
    let mut exercises = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let exercise = parse_one(&lines[start..end], chapter)
            .map_err(|e| format!("line {}: {e}", start + 1))?;
        let expected = format!("ex{:02}.{}", chapter.number, k + 1);
        if exercise.id != expected {
            return Err(format!(
                "line {}: exercise {} should be {expected} (ids count up from 1)",
                start + 1,
                exercise.id
            ));
        }
        exercises.push(exercise);
    }
    Ok(exercises)
}

/// One exercise: its `###` line and what follows, up to the next one.
fn parse_one(lines: &[&str], chapter: &Chapter) -> Result<Exercise, String> {
    let heading = lines[0].trim_start_matches("### ");
    let (id, title) = heading
        .split_once(" · ")
        .ok_or("the heading must be `### exNN.M · Title`")?;
    let mut fields = [
        ("- Taught in: ", None),
        ("- Builds on: ", None),
        ("- Where: ", None),
    ];
    let mut tests = None;
    let mut body = Vec::new();
    for line in &lines[1..] {
        if line.starts_with("<!-- ANCHOR") {
            continue;
        }
        if let Some(value) = line.strip_prefix("- Tests: ") {
            tests = Some(value.trim().trim_matches('`').to_string());
            continue;
        }
        if let Some((_, slot)) = fields.iter_mut().find(|(name, _)| line.starts_with(name)) {
            *slot = Some(line[line.find(": ").unwrap() + 2..].trim().to_string());
            continue;
        }
        body.push(*line);
    }
    let field = |k: usize| {
        fields[k].1.clone().ok_or(format!(
            "the field `{}` is missing",
            fields[k].0.trim_end_matches(": ")
        ))
    };
    let taught_in = field(0)?.trim_matches('*').to_string();
    let builds_on = match field(1)?.as_str() {
        "nothing" => Vec::new(),
        list => list.split(',').map(|id| id.trim().to_string()).collect(),
    };
    let location = field(2)?.replace('`', "");
    let exercise_task_end = body
        .iter()
        .position(|line| line.starts_with("<details>"))
        .ok_or("no hints (`<details><summary>Hint 1</summary>`)")?;
    let task = body[..exercise_task_end].join("\n").trim().to_string();
    let hints = parse_hints(&body[exercise_task_end..])?;
    let exercise = Exercise {
        id: id.trim().to_string(),
        chapter: chapter.number,
        package: chapter.package,
        title: title.trim().to_string(),
        taught_in,
        builds_on,
        location,
        task,
        hints,
    };
    let expected_tests = exercise.test_command();
    if tests.as_deref() != Some(expected_tests.as_str()) {
        return Err(format!("the field `- Tests:` must be `{expected_tests}`"));
    }
    if exercise.task.is_empty() {
        return Err(format!("{} has no task", exercise.id));
    }
    if !(2..=3).contains(&exercise.hints.len()) {
        return Err(format!("{} needs 2 or 3 hints", exercise.id));
    }
    if exercise.hints[0].contains(['"', '\\', '{', '}']) {
        return Err(format!(
            "{}'s first hint goes into a todo! message: no quotes, backslashes or braces",
            exercise.id
        ));
    }
    Ok(exercise)
}

/// `<details><summary>Hint K</summary> ... </details>` blocks, in order.
fn parse_hints(lines: &[&str]) -> Result<Vec<String>, String> {
    let mut hints = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in lines {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix("<details><summary>Hint ") {
            let number = rest.trim_end_matches("</summary>");
            if number != (hints.len() + 1).to_string() || current.is_some() {
                return Err(format!("`{line}`: hints are numbered 1, 2, 3, each closed"));
            }
            current = Some(Vec::new());
        } else if line == "</details>" {
            let text = current.take().ok_or("`</details>` without its hint")?;
            hints.push(
                text.join("\n")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        } else if let Some(text) = current.as_mut() {
            text.push(line);
        } else if !line.trim().is_empty() {
            return Err(format!("`{line}`: only hints may follow the first hint"));
        }
    }
    if current.is_some() {
        return Err("a hint is not closed with `</details>`".into());
    }
    Ok(hints)
}

/// A hint as one line of text, for a `todo!` message or a terminal.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: Chapter = Chapter {
        number: 3,
        dir: "03-ioloop",
        package: "ch03-ioloop",
        title: "t",
        tornado: "t",
        scenarios: &[],
    };

    const GOOD: &str = "# Chapter 03's exercises

<!-- ANCHOR: exercises -->
### ex03.1 · One iteration

- Taught in: *The iteration*
- Builds on: nothing
- Tests: `cargo test -p ch03-ioloop --test exercises ex03_1`
- Where: `crates/03-ioloop/src/iteration.rs`, `IOLoop::run_callbacks`

Write it.

<details><summary>Hint 1</summary>

Look at the
queue.

</details>

<details><summary>Hint 2</summary>

Take it.

</details>
<!-- ANCHOR_END: exercises -->
";

    #[test]
    fn reads_an_exercise() {
        let exercises = parse(GOOD, &CHAPTER).unwrap();
        assert_eq!(exercises.len(), 1);
        let ex = &exercises[0];
        assert_eq!(ex.id, "ex03.1");
        assert_eq!(ex.title, "One iteration");
        assert_eq!(ex.taught_in, "The iteration");
        assert_eq!(ex.hints, ["Look at the queue.", "Take it."]);
        assert_eq!(ex.task, "Write it.");
        assert!(ex.owns_test("ex03_1_snapshot") && !ex.owns_test("ex03_10_x"));
    }

    #[test]
    fn says_what_is_wrong() {
        let no_tests = GOOD.replace(
            "- Tests: `cargo test -p ch03-ioloop --test exercises ex03_1`\n",
            "",
        );
        assert!(parse(&no_tests, &CHAPTER).unwrap_err().contains("- Tests:"));
        let renumbered = GOOD.replace("ex03.1", "ex03.2").replace("ex03_1", "ex03_2");
        assert!(
            parse(&renumbered, &CHAPTER)
                .unwrap_err()
                .contains("should be ex03.1")
        );
        let one_hint = GOOD.replace(
            "<details><summary>Hint 2</summary>\n\nTake it.\n\n</details>\n",
            "",
        );
        assert!(
            parse(&one_hint, &CHAPTER)
                .unwrap_err()
                .contains("2 or 3 hints")
        );
    }
}
