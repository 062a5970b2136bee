//! Every scenario's recording as data, checked in under `chapters/src/recordings/`
//! (`<scenario>.json`, the format of docs/recordings.md) and drawn as a sequence
//! diagram (`<scenario>.svg`), for the book; and for a scenario that runs under
//! Tornado 6.6.1 too, its recording under Tornado 6's rules (`<scenario>.tornado6.*`).
//! The data and the chapter's insta snapshot come from the same recording, and
//! both are checked here: a recording that changed makes the data stale, and this test
//! fails until `COURSE_BLESS=1 cargo test --test recordings` writes it again (after the
//! snapshot's change was reviewed).

use std::path::{Path, PathBuf};

use ch00_trace::{Counterpart, EventKind};
use tornado_course::{CHAPTERS, Era, has_tornado6_twin, record_in, tornado6_name};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The recording's text, as the insta snapshot `scenarios__<name>.snap` holds it.
fn snapshot_body(dir: &str, name: &str) -> String {
    let path = root()
        .join("crates")
        .join(dir)
        .join("tests/snapshots")
        .join(format!("scenarios__{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // The header is `---`, its fields, `---`.
    let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
    body.trim_end().to_string()
}

/// The data of one recording, as the book loads it: `<key>.json`, the same as a script
/// `<key>.js` (a page opened from a file:// copy may load a script but not fetch a
/// file), and the sequence diagram `<key>.svg`.
fn data_files(key: &str, json: String, svg: String) -> [(String, String); 3] {
    let script =
        format!("(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {{}})[{key:?}] = {json};");
    [
        (format!("{key}.json"), json),
        (format!("{key}.js"), script),
        (format!("{key}.svg"), svg),
    ]
}

/// Each scenario's data is current, and says what its snapshot says; a scenario that
/// runs under Tornado 6.6.1 too ([`has_tornado6_twin`], the scenarios the 6.6.1
/// conformance test checks) has its Tornado 6 recording beside it,
/// `<scenario>.tornado6.{json,js,svg}`, and each says which printed lines moved.
#[test]
fn every_recording_is_written_as_data() {
    let dir = root().join("chapters/src/recordings");
    let bless = std::env::var_os("COURSE_BLESS").is_some();
    let mut stale = Vec::new();
    let mut expected_files = Vec::new();
    for chapter in CHAPTERS {
        for scenario in chapter.scenarios {
            let recording = scenario.record();
            assert_eq!(
                recording.to_string().trim_end(),
                snapshot_body(chapter.dir, scenario.name),
                "{}: the recording is not its reviewed snapshot (run the chapter's tests first)",
                scenario.name
            );
            let (name, title, number, twin) =
                (scenario.name, scenario.title, chapter.number, scenario.twin);
            let mut files = Vec::new();
            if has_tornado6_twin(chapter, scenario) {
                let modern = record_in(chapter, scenario, Era::Tornado6);
                let modern_name = tornado6_name(scenario);
                let moved = recording.moved_prints(&modern);
                let here = Counterpart {
                    recording: &modern_name,
                    moved_here: &moved.left,
                    moved_there: &moved.right,
                };
                let json =
                    recording.to_json_in(name, title, number, twin, Era::Tornado4, Some(here));
                files.extend(data_files(
                    name,
                    json,
                    recording.diagram().to_svg(&format!("{name}: {title}")),
                ));
                let there = Counterpart {
                    recording: name,
                    moved_here: &moved.right,
                    moved_there: &moved.left,
                };
                let json = modern.to_json_in(name, title, number, twin, Era::Tornado6, Some(there));
                let svg = modern
                    .diagram()
                    .to_svg(&format!("{name}: {title} ({})", Era::Tornado6));
                files.extend(data_files(&modern_name, json, svg));
            } else {
                let json = recording.to_json(name, title, number, twin);
                files.extend(data_files(
                    name,
                    json,
                    recording.diagram().to_svg(&format!("{name}: {title}")),
                ));
            }
            for (file, text) in files {
                let path = dir.join(file);
                expected_files.push(path.clone());
                if bless {
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(&path, &text).unwrap();
                } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                    stale.push(shown(&path));
                }
            }
        }
    }
    // No data left over from a scenario that is gone.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let ours = path
            .extension()
            .is_some_and(|e| e == "json" || e == "js" || e == "svg");
        if ours && !expected_files.contains(&path) {
            if bless {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (no such scenario)", shown(&path)));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale recording data: {}\nwrite it again with COURSE_BLESS=1 cargo test --test recordings",
        stale.join(", ")
    );
}

/// Every line of the machinery reads as the vocabulary says: an object and what
/// happened to it, or a poll, or the waker. A new kind of line that does not is
/// found here, before the book's player shows it wrong.
#[test]
fn every_machinery_line_has_a_subject() {
    for chapter in CHAPTERS {
        for scenario in chapter.scenarios {
            let mut events = scenario.record().events;
            if has_tornado6_twin(chapter, scenario) {
                events.extend(record_in(chapter, scenario, Era::Tornado6).events);
            }
            for event in events {
                if matches!(event.kind, EventKind::Print | EventKind::Log) {
                    continue;
                }
                let parts = event.parts();
                let plain = matches!(event.kind, EventKind::Poll | EventKind::Waker);
                assert!(
                    parts.subject.is_some() != plain && !parts.action.is_empty(),
                    "{}: `{}` does not read as the vocabulary says ({parts:?})",
                    scenario.name,
                    event.text
                );
            }
        }
    }
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every recording the book shows (a snapshot or Tornado's output of a scenario) has a
/// player beside it on the same page, alone or as the left half of a pair, with its data
/// loaded.
#[test]
fn every_recording_the_book_shows_has_a_player() {
    let scenarios: Vec<&str> = CHAPTERS
        .iter()
        .flat_map(|c| c.scenarios.iter().map(|s| s.name))
        .collect();
    let pages = root().join("chapters/src");
    for entry in std::fs::read_dir(&pages).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for name in &scenarios {
            let on_page = text.contains(&format!("scenarios__{name}.snap:"))
                || text.contains(&format!("expected/4.5.3/{name}.txt}}}}"));
            if !on_page {
                continue;
            }
            let player = format!("<div class=\"course-player\" data-recording=\"{name}\"></div>");
            // Or the left half of a pair of players (the epilogue's: both eras).
            let pair = format!("<div class=\"course-player-pair\" data-left=\"{name}\"");
            let data = format!("<script src=\"recordings/{name}.js\"></script>");
            assert!(
                (text.contains(&player) || text.contains(&pair)) && text.contains(&data),
                "{} shows {name}'s recording without its player ({player} and {data})",
                shown(&path)
            );
        }
    }
}

/// Each chapter's overview picture is drawn from its description in `src/overview.rs`
/// and checked in as `chapters/src/overviews/NN.svg`; its page shows it.
#[test]
fn every_chapter_has_its_overview() {
    let dir = root().join("chapters/src/overviews");
    let bless = std::env::var_os("COURSE_BLESS").is_some();
    for chapter in CHAPTERS {
        let overview = tornado_course::overview::OVERVIEWS
            .iter()
            .find(|o| o.chapter == chapter.number)
            .unwrap_or_else(|| panic!("chapter {} has no overview", chapter.number));
        let path = dir.join(format!("{:02}.svg", chapter.number));
        let svg = overview.to_svg();
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else {
            assert!(
                std::fs::read_to_string(&path).ok().as_deref() == Some(svg.as_str()),
                "{} is stale: COURSE_BLESS=1 cargo test --test recordings",
                shown(&path)
            );
        }
        let page = root()
            .join("chapters/src")
            .join(format!("{}.md", chapter.dir));
        let text = std::fs::read_to_string(&page).unwrap();
        let image = format!("](overviews/{:02}.svg)", chapter.number);
        assert!(
            text.contains(&image),
            "{} does not show its overview ({image})",
            shown(&page)
        );
    }
}

/// Every pair of players a page of the book holds (`course-player-pair`, docs/recordings.md)
/// names two recordings whose data exists and whose scripts the page loads.
#[test]
fn every_pair_of_players_has_its_data() {
    let pages = root().join("chapters/src");
    let data = root().join("chapters/src/recordings");
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&pages).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for markup in text.split("<div class=\"course-player-pair\"").skip(1) {
            let markup = markup.split('>').next().unwrap_or_default();
            for side in ["data-left", "data-right"] {
                let name = markup
                    .split_once(&format!("{side}=\""))
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(name, _)| name);
                let Some(name) = name else {
                    problems.push(format!("{}: a pair with no {side}", shown(&path)));
                    continue;
                };
                if !data.join(format!("{name}.js")).is_file() {
                    problems.push(format!(
                        "{}: a pair names {name}, which has no data",
                        shown(&path)
                    ));
                }
                let script = format!("<script src=\"recordings/{name}.js\"></script>");
                if !text.contains(&script) {
                    problems.push(format!(
                        "{}: a pair shows {name} without {script}",
                        shown(&path)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
