//! The tour (`cargo run`) shows every scenario of every chapter, succeeds, and prints the
//! same thing every time: recordings are deterministic, so the tour is too.

use std::process::{Command, Output};

use tornado_course::scenarios;

/// Runs the tour binary with `args`.
fn tour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tornado-course"))
        .args(args)
        .output()
        .expect("the tour runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("the tour prints UTF-8")
}

/// Every scenario appears, nothing panics, and two runs print the same text.
#[test]
fn the_tour_shows_every_scenario_deterministically() {
    let first = tour(&[]);
    assert!(
        first.status.success(),
        "the tour failed:\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let text = stdout(&first);
    for (_, scenario) in scenarios() {
        assert!(
            text.contains(&format!("scenario {}\n", scenario.name)),
            "the tour does not show {}",
            scenario.name
        );
    }
    assert_eq!(text, stdout(&tour(&[])), "two runs of the tour differ");
}

/// `--chapter` and `--scenario` narrow the tour down; bad arguments are refused.
#[test]
fn the_tour_filters_and_refuses_bad_arguments() {
    let chapter_one = stdout(&tour(&["--chapter", "1"]));
    assert!(chapter_one.contains("Chapter 1."));
    assert!(!chapter_one.contains("Chapter 2."));

    let help = tour(&["--help"]);
    assert!(help.status.success() && stdout(&help).contains("--scenario"));

    assert_eq!(tour(&["--frobnicate"]).status.code(), Some(2));
    assert_eq!(tour(&["--chapter", "7"]).status.code(), Some(2));
    assert_eq!(tour(&["--chapter", "99"]).status.code(), Some(2));
    assert!(!tour(&["--scenario", "no such scenario"]).status.success());
}

/// `cargo run | head`: a reader that stops early closes the pipe; the tour then stops
/// quietly and successfully, with no broken-pipe panic on standard error.
#[test]
fn a_closed_pipe_stops_the_tour_quietly() {
    use std::io::Read;
    use std::process::Stdio;

    let mut child = Command::new(env!("CARGO_BIN_EXE_tornado-course"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tour starts");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_exact(&mut first)
        .expect("the tour prints its welcome");
    // The read end is dropped here: `head` has had its lines and exits.
    let output = child.wait_with_output().expect("the tour ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit status {:?}: {stderr}",
        output.status
    );
    assert!(stderr.is_empty(), "the tour wrote to stderr: {stderr}");
}

/// `--chapter 0` is accepted: chapter 0 (the recorder, `crates/00-trace`) has no programs
/// of its own, and the tour says so and what the chapter is, instead of refusing it.
#[test]
fn chapter_zero_says_it_is_the_recorder() {
    let output = tour(&["--chapter", "0"]);
    assert!(
        output.status.success(),
        "--chapter 0 was refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(text.contains("Chapter 0. Reading a recording"), "{text}");
    assert!(text.contains("crates/00-trace (ch00-trace)"), "{text}");
    assert!(text.contains("No programs of its own"), "{text}");
    assert!(!text.contains("Chapter 1."), "{text}");

    let listing = stdout(&tour(&["--list"]));
    let headings: Vec<&str> = listing
        .lines()
        .filter(|line| line.starts_with("Chapter "))
        .collect();
    assert_eq!(headings.len(), 7, "chapters 0 to 6:\n{listing}");
    assert!(headings[0].starts_with("Chapter 0. "), "{listing}");
    assert!(headings[6].starts_with("Chapter 6. "), "{listing}");
}
