//! `cargo run -- check-exercises [--chapter N]`: the gate CI runs on the exercises.
//!
//! 1. **The catalogs and the regions agree**: every exercise has one solution region
//!    and at least one wrong solution, is taught in a section the chapter's page has,
//!    builds only on earlier exercises of its chapter; every chapter has 4 to 6
//!    exercises, one of them a prediction.
//! 2. **The student edition** builds with no warning; every exercise's tests fail there,
//!    each naming its exercise; no marker and no wrong solution is left in it.
//! 3. **The gate edition** (every region switchable, built once): with no exercise
//!    stubbed every exercise's tests pass; with each exercise alone stubbed, its tests
//!    fail saying it is not done, every other exercise's test passes or fails only by
//!    waiting on it (and then builds on it), and its chapter's whole suite ends (no hang)
//!    with every failure naming it; with each wrong solution in, at least one of its
//!    tests fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::catalog::{self, Exercise};
use super::edition::{self, Region, SWITCH};
use super::libtest;
use crate::CHAPTERS;

/// How long one test binary may run before it counts as hung.
const LIMIT: Duration = Duration::from_secs(120);

/// Runs the whole gate; `Err` lists every problem found.
pub fn check(root: &Path, only: Option<u8>) -> Result<(), Vec<String>> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let exercises = catalog::all(root).map_err(|e| vec![e])?;
    let regions = edition::scan(root).map_err(|e| vec![e])?;
    let chosen: Vec<&Exercise> = exercises
        .iter()
        .filter(|e| only.is_none_or(|n| n == e.chapter))
        .collect();

    say("1. the catalogs and the regions");
    problems.extend(consistency(root, &exercises, &regions, only));

    say("2. the student edition");
    let editions = root.join("target").join("editions");
    // The course's own target folder: the dependencies are built once for all editions.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    problems.extend(student_edition(
        &editions.join("student"),
        root,
        &exercises,
        &chosen,
        &target_dir,
    ));

    say("3. the gate edition: each exercise stubbed alone, each wrong solution");
    problems.extend(gate_edition(
        &editions.join("gate"),
        root,
        &exercises,
        &regions,
        &chosen,
        &target_dir,
    ));

    say(&format!(
        "checked {} exercises in {:.0?}",
        chosen.len(),
        started.elapsed()
    ));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn say(text: &str) {
    println!("==> check-exercises: {text}");
}

/// Step 1: what can be checked without building anything (for chapter `only`, or all).
pub fn consistency(
    root: &Path,
    exercises: &[Exercise],
    regions: &[Region],
    only: Option<u8>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for chapter in CHAPTERS
        .iter()
        .filter(|c| c.number >= 1 && only.is_none_or(|n| n == c.number))
    {
        let own: Vec<&Exercise> = exercises
            .iter()
            .filter(|e| e.chapter == chapter.number)
            .collect();
        if !(4..=6).contains(&own.len()) {
            problems.push(format!(
                "chapter {} has {} exercises (4 to 6 wanted)",
                chapter.number,
                own.len()
            ));
        }
        let predictions = regions
            .iter()
            .filter(|r| r.prediction && own.iter().any(|e| e.id == r.id))
            .count();
        if !own.is_empty() && predictions == 0 {
            problems.push(format!(
                "chapter {} has no predict-the-order exercise",
                chapter.number
            ));
        }
        let page = root
            .join("chapters")
            .join("src")
            .join(format!("{}.md", chapter.dir));
        let page_text = fs::read_to_string(&page).unwrap_or_default();
        let headings: Vec<&str> = page_text
            .lines()
            .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
            .map(str::trim)
            .collect();
        for exercise in &own {
            if !headings.contains(&exercise.taught_in.as_str()) {
                problems.push(format!(
                    "{}: taught in *{}*, which is no heading of {}",
                    exercise.id,
                    exercise.taught_in,
                    catalog::shown(root, &page)
                ));
            }
            for other in &exercise.builds_on {
                let earlier = own
                    .iter()
                    .take_while(|e| e.id != exercise.id)
                    .any(|e| &e.id == other);
                if !earlier {
                    problems.push(format!(
                        "{} builds on {other}, which is no earlier exercise of its chapter",
                        exercise.id
                    ));
                }
            }
            let include = format!("crates/{}/exercises/README.md:exercises", chapter.dir);
            if !page_text.contains(&include) {
                problems.push(format!(
                    "{} does not include {include}",
                    catalog::shown(root, &page)
                ));
            }
        }
    }
    for exercise in exercises
        .iter()
        .filter(|e| only.is_none_or(|n| n == e.chapter))
    {
        let own: Vec<&Region> = regions.iter().filter(|r| r.id == exercise.id).collect();
        match own.as_slice() {
            [region] => {
                if edition::wrong_solutions(root, exercise, region.prediction).is_empty() {
                    problems.push(format!(
                        "{} has no wrong solution in exercises/wrong/",
                        exercise.id
                    ));
                }
            }
            [] => problems.push(format!("{} has no solution region", exercise.id)),
            _ => problems.push(format!(
                "{} has {} solution regions (one wanted)",
                exercise.id,
                own.len()
            )),
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Step 2.
fn student_edition(
    dest: &Path,
    root: &Path,
    exercises: &[Exercise],
    chosen: &[&Exercise],
    target_dir: &Path,
) -> Vec<String> {
    let mut problems = Vec::new();
    let _ = fs::remove_dir_all(dest);
    if let Err(e) = edition::write_student(root, dest, 1, exercises) {
        return vec![format!("writing the student edition: {e}")];
    }
    match edition::scan(dest) {
        Ok(left) if left.is_empty() => {}
        Ok(left) => problems.push(format!(
            "the student edition still has {} marked regions",
            left.len()
        )),
        Err(e) => problems.push(e),
    }
    for exercise in exercises {
        if edition::exercise_dir(dest, exercise).join("wrong").exists() {
            problems.push(format!(
                "the student edition has {}'s wrong solutions",
                exercise.id
            ));
        }
    }
    problems.extend(leaks(root, dest));
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dest)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "--workspace", "--all-targets", "--color", "never"])
        .output();
    match output {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                problems.push(format!("the student edition does not build:\n{stderr}"));
                return problems;
            }
            let warnings: Vec<&str> = stderr
                .lines()
                .filter(|l| l.starts_with("warning"))
                .collect();
            if !warnings.is_empty() {
                problems.push(format!(
                    "the student edition builds with warnings:\n{stderr}"
                ));
            }
        }
        Err(e) => problems.push(format!("cannot run cargo: {e}")),
    }
    let mut packages: Vec<&str> = chosen.iter().map(|e| e.package).collect();
    packages.dedup();
    for package in packages {
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command
            .current_dir(dest)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("RUST_BACKTRACE", "0")
            .args([
                "test",
                "-p",
                package,
                "--test",
                "exercises",
                "--no-fail-fast",
                "--color",
                "never",
            ]);
        let run = libtest::run(command, LIMIT);
        if run.timed_out {
            problems.push(format!(
                "student edition: {package}'s exercises did not end"
            ));
        }
        for exercise in chosen.iter().filter(|e| e.package == package) {
            let results: Vec<_> = run.of(|n| exercise.owns_test(n)).collect();
            if results.is_empty() {
                problems.push(format!("student edition: {} has no test", exercise.id));
            }
            for result in results {
                if result.passed {
                    problems.push(format!(
                        "student edition: {} passes with the exercise not done",
                        result.name
                    ));
                } else if !result.output.contains(&exercise.id) {
                    problems.push(format!(
                        "student edition: {} fails without naming {}",
                        result.name, exercise.id
                    ));
                }
            }
        }
        println!(
            "    student edition, {package}: {} exercise tests, all checked",
            run.results.len()
        );
    }
    problems
}

/// Solutions that show elsewhere in the student edition: a region's distinctive lines
/// (25 characters or more, not comments) of which most appear in one other file, such as
/// a chapter page quoting the code.
fn leaks(root: &Path, dest: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(regions) = edition::scan(root) else {
        return problems;
    };
    let mut files = Vec::new();
    text_files(dest, &mut files);
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|path| Some((path.clone(), fs::read_to_string(&path).ok()?)))
        .collect();
    for region in regions.iter().filter(|r| !r.prediction) {
        let Ok(source) = fs::read_to_string(root.join(&region.path)) else {
            continue;
        };
        let distinctive: Vec<&str> = source
            .lines()
            .skip(region.begin + 1)
            .take(region.end - region.begin - 1)
            .map(str::trim)
            .filter(|l| l.len() >= 25 && !l.starts_with("//"))
            .collect();
        if distinctive.len() < 2 {
            continue;
        }
        for (path, text) in &texts {
            let lines: std::collections::HashSet<&str> = text.lines().map(str::trim).collect();
            let found = distinctive.iter().filter(|l| lines.contains(*l)).count();
            if found * 5 >= distinctive.len() * 3 {
                problems.push(format!(
                    "the solution of {} shows in the student edition's {} ({found} of its {} distinctive lines)",
                    region.id,
                    catalog::shown(dest, path),
                    distinctive.len()
                ));
            }
        }
    }
    problems
}

/// The `.rs`, `.md` and `.txt` files under `dir`, recursively.
fn text_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            text_files(&path, files);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "md" || e == "txt")
        {
            files.push(path);
        }
    }
}

/// A test executable of the gate edition: its package's folder, its target's name.
struct Binary {
    package_dir: PathBuf,
    target: String,
    exe: PathBuf,
}

/// Step 3.
fn gate_edition(
    dest: &Path,
    root: &Path,
    exercises: &[Exercise],
    regions: &[Region],
    chosen: &[&Exercise],
    target_dir: &Path,
) -> Vec<String> {
    let mut problems = Vec::new();
    let _ = fs::remove_dir_all(dest);
    if let Err(e) = edition::write_gate(root, dest, exercises) {
        return vec![format!("writing the gate edition: {e}")];
    }
    let binaries = match build_tests(dest, target_dir) {
        Ok(b) => b,
        Err(e) => return vec![format!("the gate edition does not build: {e}")],
    };
    let dir_of = |number: u8| {
        let chapter = CHAPTERS.iter().find(|c| c.number == number).unwrap();
        dest.join("crates").join(chapter.dir)
    };
    let exercises_binary = |number: u8| {
        binaries
            .iter()
            .find(|b| b.target == "exercises" && b.package_dir == dir_of(number))
    };
    let run_binary = |binary: &Binary, switch: Option<&str>| {
        let mut command = Command::new(&binary.exe);
        command
            .current_dir(&binary.package_dir)
            .env("RUST_BACKTRACE", "0")
            .env("INSTA_UPDATE", "no");
        command.env_remove(SWITCH);
        if let Some(value) = switch {
            command.env(SWITCH, value);
        }
        libtest::run(command, LIMIT)
    };

    // With nothing stubbed, every exercise's tests pass.
    let chapters: Vec<u8> = {
        let mut c: Vec<u8> = exercises.iter().map(|e| e.chapter).collect();
        c.dedup();
        c
    };
    for &number in &chapters {
        let Some(binary) = exercises_binary(number) else {
            problems.push(format!("chapter {number:02} has no tests/exercises.rs"));
            continue;
        };
        let run = run_binary(binary, None);
        for result in run.results.iter().filter(|r| !r.passed) {
            problems.push(format!(
                "gate edition, nothing stubbed: {} fails:\n{}",
                result.name, result.output
            ));
        }
        for exercise in exercises.iter().filter(|e| e.chapter == number) {
            if run.of(|n| exercise.owns_test(n)).next().is_none() {
                problems.push(format!(
                    "{} has no test named {}_...",
                    exercise.id,
                    exercise.test_prefix()
                ));
            }
        }
    }

    for exercise in chosen {
        let Some(region) = regions.iter().find(|r| r.id == exercise.id) else {
            continue; // reported by step 1
        };
        let started = Instant::now();
        // The exercise stubbed alone.
        let prediction = region.prediction.then(|| PredictionSwap::new(dest, region));
        if let Some(swap) = &prediction {
            swap.write(&[]);
        }
        let switch = (!region.prediction).then_some(exercise.id.as_str());
        let mut waiting = 0;
        for &number in chapters.iter().filter(|&&n| n >= exercise.chapter) {
            let Some(binary) = exercises_binary(number) else {
                continue;
            };
            let run = run_binary(binary, switch);
            if run.timed_out {
                problems.push(format!(
                    "{} stubbed: chapter {number:02}'s exercises do not end",
                    exercise.id
                ));
            }
            for result in &run.results {
                let owner = exercises.iter().find(|e| e.owns_test(&result.name));
                match owner {
                    Some(owner) if owner.id == exercise.id => {
                        if result.passed {
                            problems.push(format!(
                                "{} stubbed: its test {} passes",
                                exercise.id, result.name
                            ));
                        } else if !result
                            .output
                            .contains(&format!("{} is not done yet", exercise.id))
                        {
                            problems.push(format!(
                                "{} stubbed: {} fails without saying {} is not done:\n{}",
                                exercise.id, result.name, exercise.id, result.output
                            ));
                        }
                    }
                    Some(owner) if !result.passed => {
                        let waits = result
                            .output
                            .contains(&format!("{} waits on {}", owner.id, exercise.id));
                        if !waits {
                            problems.push(format!(
                                "{} stubbed: {}'s test {} fails otherwise than by waiting on it:\n{}",
                                exercise.id, owner.id, result.name, result.output
                            ));
                        } else if owner.chapter == exercise.chapter
                            && !builds_on(exercises, owner, &exercise.id)
                        {
                            problems.push(format!(
                                "{} waits on {} but its catalog entry does not say it builds on it",
                                owner.id, exercise.id
                            ));
                        }
                        waiting += 1;
                    }
                    _ => {}
                }
            }
        }
        // Its chapter's whole suite: it ends, and what fails names the exercise.
        let mut regular_failures = 0;
        if !region.prediction {
            for binary in binaries
                .iter()
                .filter(|b| b.package_dir == dir_of(exercise.chapter) && b.target != "exercises")
            {
                let run = run_binary(binary, switch);
                if run.timed_out {
                    problems.push(format!(
                        "{} stubbed: {}'s tests do not end",
                        exercise.id, binary.target
                    ));
                }
                for result in run.results.iter().filter(|r| !r.passed) {
                    regular_failures += 1;
                    if !result.output.contains(&exercise.id) {
                        problems.push(format!(
                            "{} stubbed: {} ({}) fails without naming it:\n{}",
                            exercise.id, result.name, binary.target, result.output
                        ));
                    }
                }
            }
        }
        // Each wrong solution.
        let mut wrong_caught = Vec::new();
        for (value, path) in edition::wrong_solutions(root, exercise, region.prediction) {
            let run = match &prediction {
                Some(swap) => {
                    let text = fs::read_to_string(&path).unwrap_or_default();
                    swap.write(&text.lines().collect::<Vec<_>>());
                    run_binary(exercises_binary(exercise.chapter).unwrap(), None)
                }
                None => run_binary(exercises_binary(exercise.chapter).unwrap(), Some(&value)),
            };
            let failed = run
                .of(|n| exercise.owns_test(n))
                .filter(|r| !r.passed)
                .count();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if failed == 0 || run.timed_out {
                problems.push(format!(
                    "{}: the wrong solution {name} passes its tests (or hangs)",
                    exercise.id
                ));
            }
            wrong_caught.push(format!("{name}: {failed} failing"));
        }
        if let Some(swap) = prediction {
            swap.restore();
        }
        println!(
            "    {}: stubbed → its tests fail, {waiting} other exercise tests wait on it, {regular_failures} chapter tests fail naming it; wrong {}; {:.1?}",
            exercise.id,
            wrong_caught.join(", "),
            started.elapsed()
        );
    }
    problems
}

/// Does `exercise` build on `id`, directly or through another exercise?
fn builds_on(exercises: &[Exercise], exercise: &Exercise, id: &str) -> bool {
    exercise.builds_on.iter().any(|other| {
        other == id
            || exercises
                .iter()
                .find(|e| &e.id == other)
                .is_some_and(|e| builds_on(exercises, e, id))
    })
}

/// A prediction file of the gate edition, its answer swapped for a test run.
struct PredictionSwap {
    path: PathBuf,
    original: String,
    begin: usize,
    end: usize,
}

impl PredictionSwap {
    fn new(dest: &Path, region: &Region) -> Self {
        let path = dest.join(&region.path);
        let original = fs::read_to_string(&path).unwrap_or_default();
        PredictionSwap {
            path,
            original,
            begin: region.begin,
            end: region.end,
        }
    }

    /// The file with `lines` between its markers.
    fn write(&self, lines: &[&str]) {
        let old: Vec<&str> = self.original.lines().collect();
        let mut text = String::new();
        for line in old[..=self.begin]
            .iter()
            .chain(lines)
            .chain(&old[self.end..])
        {
            text += line;
            text += "\n";
        }
        fs::write(&self.path, text).expect("writing a prediction of the gate edition");
    }

    fn restore(self) {
        fs::write(&self.path, &self.original).expect("restoring a prediction of the gate edition");
    }
}

/// Builds every test of the workspace at `dir`; returns the test executables.
fn build_tests(dir: &Path, target_dir: &Path) -> Result<Vec<Binary>, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--message-format=json",
            "--color",
            "never",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let (Some(exe), Some(manifest), Some(target)) = (
            json_string(line, "\"executable\":\""),
            json_string(line, "\"manifest_path\":\""),
            line.find("\"target\":{")
                .and_then(|at| json_string(&line[at..], "\"name\":\"")),
        ) else {
            continue;
        };
        let package_dir = Path::new(&manifest).parent().unwrap().to_path_buf();
        binaries.push(Binary {
            package_dir,
            target,
            exe: PathBuf::from(exe),
        });
    }
    Ok(binaries)
}

/// The string value after `key` in one line of cargo's JSON (paths and names need no
/// unescaping here: cargo escapes only quotes and backslashes, which they do not hold).
fn json_string(line: &str, key: &str) -> Option<String> {
    let start = line.find(key)? + key.len();
    let end = start + line[start..].find('"')?;
    Some(line[start..end].to_string())
}
