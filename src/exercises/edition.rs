//! The solutions' regions in the source, and the editions written from them.
//!
//! A solution is the whole body of one function, between two markers:
//!
//! ```text
//!     pub(crate) fn push(&mut self, deadline: f64, callback: CallbackFn) -> TimeoutId {
//!         // exercise ex03.2 begin (uses: self, deadline, callback)
//!         ...
//!         // exercise ex03.2 end
//!     }
//! ```
//!
//! or, for a "predict the order" exercise, the lines between `# exercise ex03.5 begin` and
//! `# exercise ex03.5 end` of `crates/03-ioloop/exercises/ex03.5.txt`.
//!
//! - The full edition is the repository itself: the solutions compiled and tested.
//! - The student edition ([`write_student`]) replaces each region of the chapters it hands
//!   out by a `todo!` with the exercise's id, title and first hint (a prediction by
//!   nothing), and leaves out the wrong solutions, the course's CI and every marker.
//! - The gate edition ([`write_gate`], for `check-exercises`) keeps every solution but puts
//!   it beside its stub and its wrong solutions, chosen when the program runs by the
//!   environment variable [`SWITCH`]: one build, then any exercise stubbed or answered wrong.

use std::fs;
use std::path::{Path, PathBuf};

use super::catalog::{Exercise, one_line, shown};

/// The gate edition's switch: `ex03.2` stubs that exercise, `ex03.2 wrong` (or
/// `ex03.2 wrong 2`, ...) puts its wrong solution in.
pub const SWITCH: &str = "COURSE_EXERCISE";

/// One marked region.
#[derive(Clone, Debug)]
pub struct Region {
    /// Whose solution it is: `"ex03.2"`.
    pub id: String,
    /// The file, from the workspace root.
    pub path: PathBuf,
    /// The line numbers (from 0) of the begin and end markers.
    pub begin: usize,
    /// See `begin`.
    pub end: usize,
    /// The parameters the stub must mention so that the student edition has no
    /// "unused variable" warning.
    pub uses: Vec<String>,
    /// A prediction (`#` markers in a text file), not code.
    pub prediction: bool,
}

/// A marker line: `(id, is_begin, uses, is_prediction)`.
fn marker(line: &str) -> Option<(String, bool, Vec<String>, bool)> {
    let line = line.trim();
    let (rest, prediction) = match line.strip_prefix("// exercise ex") {
        Some(rest) => (rest, false),
        None => (line.strip_prefix("# exercise ex")?, true),
    };
    let (id, rest) = rest.split_once(' ')?;
    let id = format!("ex{id}");
    if rest == "end" {
        return Some((id, false, Vec::new(), prediction));
    }
    let rest = rest.strip_prefix("begin")?.trim();
    let uses = match rest
        .strip_prefix("(uses:")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(list) => list.split(',').map(|p| p.trim().to_string()).collect(),
        None if rest.is_empty() => Vec::new(),
        None => return None,
    };
    Some((id, true, uses, prediction))
}

/// The regions of one file's text. Errors say what is wrong with the markers.
pub fn regions_in(path: &Path, text: &str) -> Result<Vec<Region>, String> {
    let mut regions = Vec::new();
    let mut open: Option<(String, usize, Vec<String>, bool)> = None;
    for (n, line) in text.lines().enumerate() {
        let Some((id, begin, uses, prediction)) = marker(line) else {
            if line.contains("exercise ex") && (line.contains(" begin") || line.ends_with(" end")) {
                return Err(format!("{}:{}: a malformed marker", path.display(), n + 1));
            }
            continue;
        };
        match (begin, open.take()) {
            (true, None) => open = Some((id, n, uses, prediction)),
            (false, Some((open_id, at, uses, prediction))) if open_id == id => {
                regions.push(Region {
                    id,
                    path: path.to_path_buf(),
                    begin: at,
                    end: n,
                    uses,
                    prediction,
                });
            }
            _ => {
                return Err(format!(
                    "{}:{}: markers of {id} do not pair (regions cannot nest)",
                    path.display(),
                    n + 1
                ));
            }
        }
    }
    match open {
        Some((id, at, ..)) => Err(format!(
            "{}:{}: {id} begins and never ends",
            path.display(),
            at + 1
        )),
        None => Ok(regions),
    }
}

/// Every region of the chapters' crates (their `src/` and `exercises/`), in file order.
pub fn scan(root: &Path) -> Result<Vec<Region>, String> {
    let mut regions = Vec::new();
    for chapter in crate::CHAPTERS {
        let dir = root.join("crates").join(chapter.dir);
        for path in files_under(&dir.join("src"))?
            .into_iter()
            .chain(files_under(&dir.join("exercises"))?)
        {
            let is_source = path.extension().is_some_and(|e| e == "rs" || e == "txt");
            if !is_source || path.components().any(|c| c.as_os_str() == "wrong") {
                continue;
            }
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            regions.extend(regions_in(relative, &text)?);
        }
    }
    Ok(regions)
}

/// The files under `dir`, recursively, sorted; none if it does not exist.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(files);
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The stub of a code region: `let _ = (&a, &b);` then the `todo!`, at `indent`.
pub fn stub(exercise: &Exercise, uses: &[String], indent: &str) -> String {
    let message = format!(
        "{}: {}; hint: {}",
        exercise.id,
        one_line(&exercise.title),
        exercise
            .hints
            .first()
            .map(|h| one_line(h))
            .unwrap_or_default()
    );
    let escaped = message
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('{', "{{")
        .replace('}', "}}");
    let mut out = String::new();
    if !uses.is_empty() {
        let names: Vec<String> = uses.iter().map(|u| format!("&{u}")).collect();
        let tuple = if names.len() == 1 {
            names[0].clone()
        } else {
            format!("({})", names.join(", "))
        };
        out += &format!("{indent}let _ = {tuple};\n");
    }
    out += &format!("{indent}todo!(\"{escaped}\")\n");
    out
}

/// The wrong solutions of `id`, in order: `exercises/wrong/ex03.2.rs`, then `ex03.2.2.rs`, ...
/// (`.txt` for a prediction), each with its switch value (`ex03.2 wrong`, `ex03.2 wrong 2`).
pub fn wrong_solutions(
    root: &Path,
    exercise: &Exercise,
    prediction: bool,
) -> Vec<(String, PathBuf)> {
    let dir = exercise_dir(root, exercise).join("wrong");
    let ext = if prediction { "txt" } else { "rs" };
    let mut found = Vec::new();
    for k in 1.. {
        let (name, switch) = match k {
            1 => (
                format!("{}.{ext}", exercise.id),
                format!("{} wrong", exercise.id),
            ),
            _ => (
                format!("{}.{k}.{ext}", exercise.id),
                format!("{} wrong {k}", exercise.id),
            ),
        };
        let path = dir.join(name);
        if !path.exists() {
            break;
        }
        found.push((switch, path));
    }
    found
}

/// `crates/03-ioloop/exercises`.
pub fn exercise_dir(root: &Path, exercise: &Exercise) -> PathBuf {
    let chapter = crate::CHAPTERS
        .iter()
        .find(|c| c.number == exercise.chapter)
        .expect("an exercise's chapter");
    root.join("crates").join(chapter.dir).join("exercises")
}

/// Which edition to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// Exercises of chapters `from` and later stubbed; earlier ones complete.
    Student {
        /// The first chapter handed out.
        from: u8,
    },
    /// Every solution beside its stub and wrong solutions (see [`SWITCH`]).
    Gate,
}

/// What to leave out of an edition: build output, version control, and, in the
/// student edition, the wrong solutions and the course's own CI.
fn left_out(relative: &Path, edition: Edition) -> bool {
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_dir = |dir: &str| relative.components().any(|c| c.as_os_str() == dir);
    if in_dir("target") || in_dir(".git") || in_dir("node_modules") || name.ends_with(".snap.new") {
        return true;
    }
    match edition {
        Edition::Student { .. } => {
            relative.starts_with(".ci")
                || (in_dir("exercises") && in_dir("wrong"))
                || name.ends_with(".pending-snap")
        }
        Edition::Gate => false,
    }
}

/// Writes the student edition of the workspace at `root` into `dest` (which must not
/// exist or be empty). Returns how many regions it stubbed.
pub fn write_student(
    root: &Path,
    dest: &Path,
    from: u8,
    exercises: &[Exercise],
) -> Result<usize, String> {
    write_edition(root, dest, Edition::Student { from }, exercises)
}

/// Writes the gate edition (see the module's doc) into `dest`, replacing what is there.
pub fn write_gate(root: &Path, dest: &Path, exercises: &[Exercise]) -> Result<usize, String> {
    write_edition(root, dest, Edition::Gate, exercises)
}

fn write_edition(
    root: &Path,
    dest: &Path,
    edition: Edition,
    exercises: &[Exercise],
) -> Result<usize, String> {
    let regions = scan(root)?;
    for region in &regions {
        if !exercises.iter().any(|e| e.id == region.id) {
            return Err(format!(
                "{}: {} is in no catalog",
                region.path.display(),
                region.id
            ));
        }
    }
    let mut stubbed = 0;
    let mut files = Vec::new();
    collect(root, root, edition, &mut files)?;
    for path in files {
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        let target = dest.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let in_file: Vec<&Region> = regions.iter().filter(|r| r.path == relative).collect();
        if in_file.is_empty() && !(relative == Path::new("README.md") && edition != Edition::Gate) {
            fs::copy(&path, &target).map_err(|e| format!("{}: {e}", target.display()))?;
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (text, count) = match edition {
            Edition::Student { from } if relative == Path::new("README.md") => {
                (student_readme(&text, from), 0)
            }
            _ => rewrite(root, &text, &in_file, edition, exercises)?,
        };
        stubbed += count;
        fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(stubbed)
}

/// The files of the edition, recursively.
fn collect(
    root: &Path,
    dir: &Path,
    edition: Edition,
    files: &mut Vec<PathBuf>,
) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if left_out(path.strip_prefix(root).unwrap(), edition) {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, edition, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// One file's text with its regions rewritten for `edition`; and how many were stubbed.
fn rewrite(
    root: &Path,
    text: &str,
    regions: &[&Region],
    edition: Edition,
    exercises: &[Exercise],
) -> Result<(String, usize), String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut stubbed = 0;
    let mut next = 0;
    for region in regions {
        for line in &lines[next..region.begin] {
            out += line;
            out += "\n";
        }
        next = region.end + 1;
        let exercise = exercises.iter().find(|e| e.id == region.id).unwrap();
        let solution = &lines[region.begin + 1..region.end];
        let indent: String = lines[region.begin]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        match edition {
            Edition::Student { from } if exercise.chapter < from => {
                for line in solution {
                    out += line;
                    out += "\n";
                }
            }
            Edition::Student { .. } => {
                stubbed += 1;
                if !region.prediction {
                    out += &stub(exercise, &region.uses, &indent);
                }
            }
            Edition::Gate if region.prediction => {
                // Read when the test runs: the gate swaps the file itself.
                for line in &lines[region.begin..=region.end] {
                    out += line;
                    out += "\n";
                }
            }
            Edition::Gate => {
                stubbed += 1;
                out += &switch(root, exercise, region, &indent, solution)?;
            }
        }
    }
    for line in &lines[next..] {
        out += line;
        out += "\n";
    }
    Ok((out, stubbed))
}

/// The gate edition's form of a code region: a `match` on [`SWITCH`].
fn switch(
    root: &Path,
    exercise: &Exercise,
    region: &Region,
    indent: &str,
    solution: &[&str],
) -> Result<String, String> {
    // The solution's and the wrong solution's lines go in as they are: re-indenting them
    // would change a multi-line string literal.
    let inner = format!("{indent}        ");
    let mut out = format!("{indent}match ::std::env::var(\"{SWITCH}\").as_deref() {{\n");
    out += &format!("{indent}    Ok(\"{}\") => {{\n", exercise.id);
    out += &stub(exercise, &region.uses, &inner);
    out += &format!("{indent}    }}\n");
    for (value, path) in wrong_solutions(root, exercise, false) {
        let wrong =
            fs::read_to_string(&path).map_err(|e| format!("{}: {e}", shown(root, &path)))?;
        out += &format!("{indent}    Ok(\"{value}\") => {{\n");
        for line in wrong.lines() {
            out += &format!("{line}\n");
        }
        out += &format!("{indent}    }}\n");
    }
    out += &format!("{indent}    _ => {{\n");
    for line in solution {
        out += &format!("{line}\n");
    }
    out += &format!("{indent}    }}\n{indent}}}\n");
    Ok(out)
}

/// The student edition's README: a paragraph on top says what this copy is.
fn student_readme(text: &str, from: u8) -> String {
    let chapters = if from <= 1 {
        "every chapter's exercises are yours to write".to_string()
    } else {
        format!(
            "the exercises of chapters {from} to 6 are yours to write (the chapters before are complete)"
        )
    };
    format!(
        "> **Student edition.** In this copy of the course {chapters}: each is a `todo!` \
         that names it. `cargo run -- progress` shows where you stand and what to do next; \
         `cargo run -- hint exNN.M` gives a hint.\n\n{text}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_markers() {
        assert_eq!(
            marker("    // exercise ex03.2 begin (uses: self, when)"),
            Some((
                "ex03.2".into(),
                true,
                vec!["self".into(), "when".into()],
                false
            ))
        );
        assert_eq!(
            marker("# exercise ex03.5 end"),
            Some(("ex03.5".into(), false, vec![], true))
        );
        assert_eq!(marker("// an exercise ex03.2 begin"), None);
    }

    #[test]
    fn a_stub_names_the_exercise_and_builds() {
        let exercise = Exercise {
            id: "ex03.2".into(),
            chapter: 3,
            package: "ch03-ioloop",
            title: "Ties \"in\" {order}".into(),
            taught_in: "Timeouts".into(),
            builds_on: vec![],
            location: String::new(),
            task: "t".into(),
            hints: vec!["Look   at\n   the heap.".into(), "h2".into()],
        };
        let uses = ["self".to_string(), "when".to_string()];
        assert_eq!(
            stub(&exercise, &uses, "    "),
            "    let _ = (&self, &when);\n    todo!(\"ex03.2: Ties \\\"in\\\" {{order}}; hint: Look at the heap.\")\n"
        );
        assert_eq!(
            stub(&exercise, &uses[..1], ""),
            format!("let _ = &self;\n{}", stub(&exercise, &[], ""))
        );
    }

    #[test]
    fn regions_pair_or_fail() {
        let text = "fn f() {\n    // exercise ex01.1 begin\n    1\n    // exercise ex01.1 end\n}\n";
        let regions = regions_in(Path::new("f.rs"), text).unwrap();
        assert_eq!((regions[0].begin, regions[0].end), (1, 3));
        let unclosed = "// exercise ex01.1 begin\n";
        assert!(
            regions_in(Path::new("f.rs"), unclosed)
                .unwrap_err()
                .contains("never ends")
        );
        let nested = "// exercise ex01.1 begin\n// exercise ex01.2 begin\n";
        assert!(
            regions_in(Path::new("f.rs"), nested)
                .unwrap_err()
                .contains("do not pair")
        );
        let typo = "// exercise ex01.1 begins\n";
        assert!(
            regions_in(Path::new("f.rs"), typo)
                .unwrap_err()
                .contains("malformed")
        );
    }
}
