//! The tour (`cargo run`) shows every scenario of every chapter, succeeds, and prints the
//! same thing every time: recordings are deterministic, so the tour is too.

use std::process::{Command, Output};

use tornado_course::{CHAPTERS, Era, record_in, scenarios, tornado6_scenarios};

/// The heading the tour puts above a scenario's recording under Tornado 6's rules.
const MODERN: &str = "Under Tornado 6.6.1's rules (asyncio)";

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
    assert_eq!(
        text.matches(MODERN).count(),
        tornado6_scenarios().count(),
        "every scenario recorded under Tornado 6's rules too is shown under both, once"
    );
    assert_eq!(text, stdout(&tour(&[])), "two runs of the tour differ");
}

/// The printed lines the tour marks `<- moved`, under each era, are those
/// `Recording::moved_prints` finds (the function the book's data records too), and
/// `--era` shows one era alone.
#[test]
fn the_tour_marks_the_lines_that_moved_and_picks_an_era() {
    let name = "ch03_iteration_order";
    let chapter = &CHAPTERS[3];
    let scenario = chapter.scenarios.iter().find(|s| s.name == name).unwrap();
    let old = scenario.record();
    let new = record_in(chapter, scenario, Era::Tornado6);
    let moved = old.moved_prints(&new);
    assert!(
        !moved.is_empty(),
        "{name} has lines that moved under Tornado 6"
    );
    let marked = |recording: &tornado_course::Recording, steps: &[usize]| -> Vec<String> {
        steps
            .iter()
            .map(|&step| format!("    {}   <- moved", recording.events[step]))
            .collect()
    };

    let text = stdout(&tour(&["--scenario", name]));
    let (before, after) = text
        .split_once(MODERN)
        .expect("the Tornado 6 recording is shown");
    let recording_part = |section: &str| -> Vec<String> {
        let lines = section.split_once("The recording:\n").unwrap().1;
        lines
            .lines()
            .filter(|l| l.ends_with("<- moved"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(recording_part(before), marked(&old, &moved.left), "{text}");
    assert_eq!(recording_part(after), marked(&new, &moved.right), "{text}");
    assert!(before.contains("Under Tornado 4.5.3's rules"), "{text}");

    let four = stdout(&tour(&["--scenario", name, "--era", "4"]));
    assert!(
        !four.contains(MODERN) && four.contains("<- moved"),
        "{four}"
    );
    let six = stdout(&tour(&["--scenario", name, "--era", "6"]));
    assert!(
        six.contains(MODERN) && !six.contains("Under Tornado 4.5.3's rules"),
        "{six}"
    );
    let yield_points = stdout(&tour(&["--chapter", "6", "--era", "6"]));
    assert!(
        yield_points.contains("Not recorded under Tornado 6.6.1's rules"),
        "{yield_points}"
    );
    assert_eq!(tour(&["--era", "5"]).status.code(), Some(2));
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

/// `--diagram` shows a recording as lanes; `--player DIR` writes it into a page of the
/// book's player, with the data inside, that a browser opens from disk.
#[test]
fn the_tour_draws_and_writes_players() {
    let output = tour(&["--scenario", "ch03_iteration_order", "--diagram"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("lanes: 1=program  2=IOLoop"), "{text}");
    assert!(text.contains("---- iteration 1"), "{text}");

    let dir = std::env::temp_dir().join(format!("tour-player-{}", std::process::id()));
    let output = tour(&[
        "--scenario",
        "ch03_iteration_order",
        "--player",
        dir.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let page = std::fs::read_to_string(dir.join("ch03_iteration_order.html")).unwrap();
    let pair = std::fs::read_to_string(dir.join("ch03_iteration_order.tornado6.html")).unwrap();
    assert!(
        pair.contains(
            r#"<div class="course-player-pair" data-left="ch03_iteration_order.tornado4" data-right="ch03_iteration_order.tornado6""#
        ),
        "the pair page holds a pair"
    );
    assert!(
        pair.contains("[it=1]   timeout t1 is due") && pair.contains("function initPair(root)"),
        "the pair page holds the Tornado 6 data and the player"
    );
    assert!(page.contains(r#"data-recording="ch03_iteration_order""#));
    assert!(
        page.contains("[it=1]   handler h1 fires: READ"),
        "the data is in the page"
    );
    assert!(
        page.contains("function derive(recording)"),
        "the player is in the page"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
