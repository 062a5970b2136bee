//! Conformance with real Tornado: every scenario that has a Python twin prints, iteration
//! for iteration, what the twin printed under Tornado 4.5.3.
//!
//! A scenario with `twin: Some("x")` has a program `tests/tornado/x.py`, and what that
//! program printed under real Tornado 4.5.3 is kept in `tests/tornado/expected/4.5.3/x.txt`
//! (`tests/tornado/rebuild.sh` makes it; CI runs `rebuild.sh --check` so it is never
//! stale). The comparison is exact, after one documented normalisation: only the lines
//! `[it=N] text` are compared, the program's own prints with the iteration each happened
//! in (and, for a twin that prints Tornado's log records, the log lines too:
//! `Recording::lines_like`). The Rust recording's machinery lines have no Python counterpart and are left out
//! (`Recording::prints()`); so is anything in the twin's output that is not such a line.
//! `docs/conformance.md` tells the whole story.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use tornado_course::{
    Chapter, Era, Scenario, TORNADO_VERSION, TORNADO6_CHAPTERS, TWINS_DIR, has_tornado6_twin,
    print_lines, record_in, scenarios, twin_output, twin_program,
};

/// A path relative to the workspace root, made absolute.
fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Every scenario that has a twin, with its chapter and the twin's name.
fn twinned() -> Vec<(&'static Chapter, &'static Scenario, &'static str)> {
    scenarios()
        .filter_map(|(chapter, scenario)| Some((chapter, scenario, scenario.twin?)))
        .collect()
}

/// The twins present under `tests/tornado/`: every `ch*.py`, by name.
fn twin_programs() -> BTreeSet<String> {
    fs::read_dir(path(TWINS_DIR))
        .expect("tests/tornado/")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|file| Some(file.strip_suffix(".py")?.to_string()))
        .filter(|name| name.starts_with("ch"))
        .collect()
}

/// A line-by-line difference, `-` for Tornado's lines and `+` for ours, with every
/// common line shown too (recordings are short: the context is the lesson).
fn diff(tornado: &[&str], rust: &[&str]) -> String {
    // The longest common subsequence, by dynamic programming from the end.
    let (n, m) = (tornado.len(), rust.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if tornado[i] == rust[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && tornado[i] == rust[j] {
            out += &format!("     {}\n", tornado[i]);
            (i, j) = (i + 1, j + 1);
        } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!("   - {}\n", tornado[i]);
            i += 1;
        } else {
            out += &format!("   + {}\n", rust[j]);
            j += 1;
        }
    }
    out
}

/// Records one scenario under `era`'s rules and compares its prints with its twin's
/// output under that era's Tornado; `Err` says how they differ.
fn check(chapter: &Chapter, scenario: &Scenario, twin: &str, era: Era) -> Result<usize, String> {
    let version = era.version();
    let expected_file = twin_output(twin, version);
    let heading = format!(
        "scenario {} (crates/{}), twin {}",
        scenario.name,
        chapter.dir,
        twin_program(twin)
    );
    let output = fs::read_to_string(path(&expected_file)).map_err(|e| {
        format!("{heading}:\n   cannot read {expected_file}: {e} (run tests/tornado/rebuild.sh)")
    })?;
    let tornado = print_lines(&output);

    let recording = panic::catch_unwind(AssertUnwindSafe(|| record_in(chapter, scenario, era)))
        .map_err(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!("{heading}:\n   the Rust program panicked: {message}")
        })?;
    let prints = recording.lines_like(&tornado);
    let rust: Vec<&str> = prints.iter().map(String::as_str).collect();

    if tornado == rust {
        return Ok(rust.len());
    }
    Err(format!(
        "{heading}:\n   its prints differ from Tornado {version}'s ({expected_file})\n   \
         - printed only by Tornado {version}, + printed only by the Rust recording ({era} mode)\n\n{}",
        diff(&tornado, &rust)
    ))
}

/// Every scenario with a twin prints exactly the `[it=N] text` lines its twin printed
/// under real Tornado 4.5.3. All scenarios are checked; every difference is reported.
#[test]
fn scenarios_print_what_tornado_4_5_3_printed() {
    let mut failures = Vec::new();
    let mut lines = 0;
    let all = twinned();
    for &(chapter, scenario, twin) in &all {
        match check(chapter, scenario, twin, Era::Tornado4) {
            Ok(n) => lines += n,
            Err(failure) => failures.push(failure),
        }
    }
    eprintln!(
        "conformance: {} scenarios with a twin, {} matched ({lines} lines)",
        all.len(),
        all.len() - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ from real Tornado {TORNADO_VERSION}:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// The twins of chapters 02 to 05 that do not run under Tornado 6.6.1, and why. Every
/// other twin of those chapters has its 6.6.1 output, and its scenario, recorded under
/// Tornado 6's rules, must print it.
const NOT_UNDER_TORNADO_6: &[(&str, &str)] = &[(
    "ch05_first_step",
    "it shows gen.engine and a coroutine's callback= argument, both removed in Tornado 6.0",
)];

/// Every scenario of chapters 02 to 05 whose twin runs under Tornado 6.6.1 prints, when
/// recorded under Tornado 6's rules (`Era::Tornado6`), exactly the `[it=N] text` lines its
/// twin printed under real 6.6.1 (`tests/tornado/expected/6.6.1/`).
#[test]
fn scenarios_print_what_tornado_6_6_1_printed() {
    let mut failures = Vec::new();
    let mut lines = 0;
    let mut checked = 0;
    for &(chapter, scenario, twin) in &twinned() {
        if !TORNADO6_CHAPTERS.contains(&chapter.number) {
            continue;
        }
        let has_output = has_tornado6_twin(chapter, scenario);
        let excused = NOT_UNDER_TORNADO_6.iter().any(|&(name, _)| name == twin);
        match (has_output, excused) {
            (true, false) => {}
            (false, true) => continue,
            (true, true) => {
                failures.push(format!(
                    "{twin} has a 6.6.1 output and is listed in NOT_UNDER_TORNADO_6: remove it from the list"
                ));
                continue;
            }
            (false, false) => {
                failures.push(format!(
                    "{twin} has no 6.6.1 output: make it run under Tornado 6.6.1 (touch {} and run \
                     rebuild.sh), or list it in NOT_UNDER_TORNADO_6 with the reason",
                    twin_output(twin, Era::Tornado6.version())
                ));
                continue;
            }
        }
        checked += 1;
        match check(chapter, scenario, twin, Era::Tornado6) {
            Ok(n) => lines += n,
            Err(failure) => failures.push(failure),
        }
    }
    eprintln!("conformance under Tornado 6.6.1: {checked} scenarios checked ({lines} lines)");
    assert!(
        failures.is_empty(),
        "{} problems with Tornado 6.6.1's order:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every twin a scenario names exists, has its output under Tornado 4.5.3, and is named
/// `ch*` so that `rebuild.sh` (which runs `tests/tornado/ch*.py`) rebuilds it.
#[test]
fn every_scenario_twin_has_its_program_and_output() {
    let mut problems = Vec::new();
    for (_, scenario, twin) in twinned() {
        if !twin.starts_with("ch") {
            problems.push(format!(
                "{}: twin '{twin}' must be named ch*, or rebuild.sh will not run it",
                scenario.name
            ));
        }
        for file in [twin_program(twin), twin_output(twin, TORNADO_VERSION)] {
            if !path(&file).is_file() {
                problems.push(format!("{}: {file} is missing", scenario.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No orphans: every twin program belongs to a scenario, and every expected output (for
/// any Tornado version) belongs to a twin program.
#[test]
fn every_twin_belongs_to_a_scenario() {
    let used: BTreeSet<&str> = twinned().iter().map(|&(_, _, twin)| twin).collect();
    let programs = twin_programs();
    let mut problems = Vec::new();
    for program in &programs {
        if !used.contains(program.as_str()) {
            problems.push(format!(
                "{} is the twin of no scenario",
                twin_program(program)
            ));
        }
    }
    let expected = path(&format!("{TWINS_DIR}/expected"));
    for version in fs::read_dir(&expected).expect("tests/tornado/expected/") {
        let version = version.unwrap().path();
        for file in fs::read_dir(&version).unwrap() {
            let file = file.unwrap().path();
            let twin = file.file_stem().unwrap().to_string_lossy().into_owned();
            if !programs.contains(&twin) {
                problems.push(format!(
                    "{} has no twin program {}",
                    file.strip_prefix(path("")).unwrap_or(&file).display(),
                    twin_program(&twin)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Scenario names are unique in the workspace: each names a snapshot file. (Twins may
/// be shared: two Rust versions of one program, say, have one Python twin.)
#[test]
fn scenario_names_are_unique() {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, scenario) in scenarios() {
        *names.entry(scenario.name).or_default() += 1;
    }
    let repeated: Vec<String> = names
        .iter()
        .filter(|&(_, &count)| count > 1)
        .map(|(name, count)| format!("{name} ({count} times)"))
        .collect();
    assert!(
        repeated.is_empty(),
        "scenario names used more than once: {repeated:?}"
    );
}

/// The diff the conformance failure shows marks each side's extra lines.
#[test]
fn diff_marks_both_sides() {
    let tornado = ["[it=0] a", "[it=1] b", "[it=1] c"];
    let rust = ["[it=0] a", "[it=0] b", "[it=1] c"];
    assert_eq!(
        diff(&tornado, &rust),
        "     [it=0] a\n   - [it=1] b\n   + [it=0] b\n     [it=1] c\n"
    );
}

/// Recording under one era leaves nothing behind for the next recording on the same
/// thread: every scenario of chapters 02 to 05, recorded under Tornado 6's rules and then
/// at once under 4.5.3's, still prints what Tornado 4.5.3 printed. (A Tornado 6 loop left
/// current would go on scheduling the next program's futures.)
#[test]
fn eras_do_not_leak_into_each_other() {
    let mut failures = Vec::new();
    for &(chapter, scenario, twin) in &twinned() {
        if !(2..=5).contains(&chapter.number) {
            continue;
        }
        drop(record_in(chapter, scenario, Era::Tornado6));
        if let Err(failure) = check(chapter, scenario, twin, Era::Tornado4) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `OUTSIDE_A_LOOP` is what the twins do: a chapter 02 program is recorded outside any
/// loop under Tornado 6's rules exactly when its twin makes no loop (`new_loop()`).
#[test]
fn outside_a_loop_is_what_the_twins_do() {
    for &(chapter, scenario, twin) in &twinned() {
        if chapter.number != 2 {
            continue;
        }
        let source = fs::read_to_string(path(&twin_program(twin))).expect("the twin");
        assert_eq!(
            tornado_course::OUTSIDE_A_LOOP.contains(&scenario.name),
            !source.contains("new_loop()"),
            "{}: OUTSIDE_A_LOOP says one thing, {} another",
            scenario.name,
            twin_program(twin)
        );
    }
}
