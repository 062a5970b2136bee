//! The upload article's upload story, side by side: `cargo run -p ch06-gen-task --example upload`.
//!
//! Left, the handler as it was: it caches the answers right after starting
//! the renaming coroutines, so the cache gets the old file names. Right, the
//! fix: a done-callback on each renaming coroutine's future, and the last
//! one to finish caches the answers. Both are recorded; the program's prints
//! are shown iteration by iteration, then what each left in the cache.

use ch00_trace::Recording;
use ch06_gen_task::scenarios::SCENARIOS;

const WIDTH: usize = 62;

fn recording(name: &str) -> Recording {
    let scenario = SCENARIOS
        .iter()
        .find(|s| s.name == name)
        .expect("the scenario exists");
    scenario.record()
}

/// The program's prints of one iteration, without the `[it=N]` prefix.
fn prints_of(recording: &Recording, iteration: u32) -> Vec<String> {
    recording
        .events
        .iter()
        .filter(|e| e.kind == ch00_trace::EventKind::Print && e.iteration == iteration)
        .map(|e| e.text.clone())
        .collect()
}

fn clip(text: &str) -> String {
    if text.chars().count() <= WIDTH {
        format!("{text:WIDTH$}")
    } else {
        let cut: String = text.chars().take(WIDTH - 1).collect();
        format!("{cut}…")
    }
}

fn main() {
    let stale = recording("ch06_upload_stale");
    let fixed = recording("ch06_upload_fixed");
    let last = stale
        .events
        .iter()
        .chain(&fixed.events)
        .map(|e| e.iteration)
        .max()
        .unwrap_or(0);

    println!(
        "     {:WIDTH$} | the fix: cache when every future is done",
        "as it was: cache at once"
    );
    println!("     {:-<WIDTH$}-+-{:-<WIDTH$}", "", "");
    for iteration in 0..=last {
        let (left, right) = (prints_of(&stale, iteration), prints_of(&fixed, iteration));
        for row in 0..left.len().max(right.len()) {
            let tag = if row == 0 {
                format!("it={iteration}")
            } else {
                String::new()
            };
            let cell = |lines: &[String]| clip(lines.get(row).map_or("", String::as_str));
            println!("{tag:5}{} | {}", cell(&left), cell(&right));
        }
    }

    for (title, recording) in [("as it was", &stale), ("the fix", &fixed)] {
        let lines = recording.prints();
        let ending = &lines[lines.len().saturating_sub(2)..];
        println!("\n{title}:");
        for line in ending {
            println!("  {line}");
        }
    }
}
