//! Running tests and reading what libtest printed: the one source of truth for
//! `progress` and `check-exercises` (no state file of ours).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One test's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// The test's name: `ex03_2_ties_run_in_the_order_added`.
    pub name: String,
    /// Did it pass? (An ignored test counts as not run and is left out.)
    pub passed: bool,
    /// What it printed when it failed (the panic messages), else empty.
    pub output: String,
}

/// What a run of tests gave.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Each test that ran.
    pub results: Vec<TestResult>,
    /// The run did not get as far as running tests (a build error): what cargo said.
    pub build_error: Option<String>,
    /// It was killed after its time ran out.
    pub timed_out: bool,
}

impl Run {
    /// The results of the tests whose names satisfy `owns`.
    pub fn of<'a>(
        &'a self,
        owns: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a TestResult> + 'a {
        self.results.iter().filter(move |r| owns(&r.name))
    }
}

/// Reads libtest's (default, "pretty") output.
pub fn parse(stdout: &str) -> Vec<TestResult> {
    let mut results: Vec<TestResult> = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, outcome)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let passed = match outcome.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue, // ignored, or a line of a test's own output
        };
        results.push(TestResult {
            name: name.trim().to_string(),
            passed,
            output: String::new(),
        });
    }
    // The failures' output: `---- name stdout ----` up to the next such line or the summary.
    let mut current: Option<usize> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = results.iter().position(|r| r.name == name);
            continue;
        }
        if line == "failures:" || line.starts_with("test result: ") {
            current = None;
            continue;
        }
        if let Some(i) = current {
            results[i].output += line;
            results[i].output += "\n";
        }
    }
    results
}

/// Runs `command` (a test binary, or cargo) for at most `limit`, and reads its results.
pub fn run(mut command: Command, limit: Duration) -> Run {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Run {
                build_error: Some(format!("cannot run {command:?}: {e}")),
                ..Run::default()
            };
        }
    };
    // Read both pipes on threads, so that a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                timed_out = true;
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let results = parse(&stdout);
    let ran = stdout.lines().any(|l| l.starts_with("running "));
    let build_error = (!ran && !timed_out && !status.is_some_and(|s| s.success()))
        .then(|| compiler_errors(&stderr));
    Run {
        results,
        build_error,
        timed_out,
    }
}

/// `cargo test -p <package> --test exercises` in `root`, as a student would run it.
pub fn cargo_exercises(root: &Path, package: &str, limit: Duration) -> Run {
    cargo_test(root, &["-p", package, "--test", "exercises"], limit)
}

/// `cargo test -p <package>`: the chapter's whole suite, doc tests included.
pub fn cargo_suite(root: &Path, package: &str, limit: Duration) -> Run {
    cargo_test(root, &["-p", package], limit)
}

fn cargo_test(root: &Path, selection: &[&str], limit: Duration) -> Run {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .arg("test")
        .args(selection)
        .args([
            "--no-fail-fast",
            "--color",
            "never",
            "--",
            "--color",
            "never",
        ])
        .env("RUST_BACKTRACE", "0");
    run(command, limit)
}

/// The compiler's errors from cargo's standard error: the `error` blocks, shortened.
fn compiler_errors(stderr: &str) -> String {
    let mut kept = Vec::new();
    let mut in_error = false;
    for line in stderr.lines() {
        if line.starts_with("error") {
            in_error = true;
        } else if line.starts_with("warning") || line.trim_start().starts_with("Compiling") {
            in_error = false;
        }
        if in_error {
            kept.push(line);
        }
    }
    if kept.is_empty() {
        return stderr
            .lines()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n");
    }
    kept.into_iter().take(40).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test ex03_1_a ... ok
test ex03_2_b ... FAILED
test slow ... ignored

failures:

---- ex03_2_b stdout ----

thread 'ex03_2_b' panicked at crates/testkit/src/exercise.rs:33:39:
ex03.2 is not done yet: not yet implemented: ex03.2: T; hint: h


failures:
    ex03_2_b

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn reads_libtest() {
        let results = parse(OUTPUT);
        assert_eq!(results.len(), 2);
        assert!(results[0].passed && !results[1].passed);
        assert!(results[1].output.contains("ex03.2 is not done yet"));
        assert!(results[0].output.is_empty());
    }
}
