//! The book in `chapters/` only shows compiled, tested code and real recordings:
//! its listings and recorded orders are `{{#include}}`s of files in the
//! workspace. These tests make sure every chapter named in `SUMMARY.md`
//! exists and every include points at a file (and anchor) that is there, so
//! the book cannot quietly drift from the code.

use std::fs;
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("chapters/src")
}

/// The `(target)` of every `[title](target)` link in SUMMARY.md.
fn summary_targets() -> Vec<String> {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    summary
        .lines()
        .filter_map(|line| {
            let start = line.find("](")? + 2;
            let end = start + line[start..].find(')')?;
            Some(line[start..end].to_string())
        })
        .collect()
}

/// Every `{{#include path}}` / `{{#include path:anchor}}` in a chapter.
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#include ") {
        let after = &rest[start + "{{#include ".len()..];
        let end = after.find("}}").expect("an unclosed {{#include");
        let spec = after[..end].trim();
        let (path, anchor) = match spec.split_once(':') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (spec, None),
        };
        // `path:10:20` selects lines, not an anchor: nothing to look up.
        let anchor = anchor
            .filter(|a| !a.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .map(str::to_string);
        found.push((path.to_string(), anchor));
        rest = &after[end..];
    }
    found
}

#[test]
fn every_chapter_in_the_summary_exists() {
    let targets = summary_targets();
    assert!(
        targets.len() >= 4,
        "SUMMARY.md lists too few chapters: {targets:?}"
    );
    for target in targets {
        let path = book_src().join(&target);
        assert!(
            path.is_file(),
            "SUMMARY.md names {target}, which does not exist"
        );
    }
}

#[test]
fn every_include_resolves() {
    let mut checked = 0;
    for target in summary_targets() {
        let chapter = book_src().join(&target);
        let text = fs::read_to_string(&chapter).unwrap();
        for (path, anchor) in includes(&text) {
            let file = chapter.parent().unwrap().join(&path);
            let content = fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{target} includes {path}, which does not exist"));
            if let Some(anchor) = anchor {
                let begin = format!("ANCHOR: {anchor}");
                let end = format!("ANCHOR_END: {anchor}");
                assert!(
                    content.contains(&begin) && content.contains(&end),
                    "{target} includes {path}:{anchor}, but the file has no such anchor"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "no {{{{#include}}}} found: the book shows no compiled code"
    );
}

#[test]
fn includes_are_parsed_with_and_without_anchors() {
    let found = includes("a {{#include ../x.rs:emit}} b {{#include y.snap}} {{#include z.rs:3:9}}");
    assert_eq!(
        found,
        [
            ("../x.rs".to_string(), Some("emit".to_string())),
            ("y.snap".to_string(), None),
            ("z.rs".to_string(), None),
        ]
    );
}

/// The numbered entries of SUMMARY.md: `(number, title, file)` for each
/// `- [N. Title](file)` line (the introduction, unnumbered, is left out).
fn summary_entries() -> Vec<(String, String, String)> {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    summary
        .lines()
        .filter_map(|line| {
            let entry = line.trim_start().strip_prefix("- [")?;
            let (label, rest) = entry.split_once("](")?;
            let file = rest.strip_suffix(')')?;
            let (number, title) = label.split_once(". ")?;
            Some((number.to_string(), title.to_string(), file.to_string()))
        })
        .collect()
}

/// One numbering everywhere: each sidebar entry's number (`3.`, `6.1.`) starts with the
/// number of its page's file (`03-ioloop.md`), which is its crate's (`crates/03-ioloop`);
/// the page's heading is the sidebar's entry, number included; the chapters are 0 to 6,
/// as the tour's `--chapter` takes them; and mdBook's own numbering (from 1) is off.
#[test]
fn the_sidebar_numbers_are_the_crates_numbers() {
    let entries = summary_entries();
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let listed = summary
        .lines()
        .filter(|l| l.trim_start().starts_with("- ["))
        .count();
    assert_eq!(
        entries.len(),
        listed,
        "every SUMMARY.md entry is `- [N. Title](NN-name.md)`"
    );
    let mut chapters = Vec::new();
    for (number, title, file) in &entries {
        let from_file: u8 = file[..2]
            .parse()
            .unwrap_or_else(|_| panic!("{file} does not start with its chapter's number"));
        let chapter: u8 = number.split('.').next().unwrap().parse().unwrap();
        assert_eq!(
            chapter, from_file,
            "SUMMARY.md numbers {file} as {number}., its file name says {from_file}"
        );
        let heading = format!("# {number}. {title}\n");
        let page = fs::read_to_string(book_src().join(file)).unwrap();
        assert!(
            page.starts_with(&heading),
            "{file} should open with the sidebar's entry, `{}`",
            heading.trim_end()
        );
        if !number.contains('.') {
            chapters.push((chapter, title.clone(), file.clone()));
        }
    }
    let course: Vec<(u8, String, String)> = tornado_course::CHAPTERS
        .iter()
        .map(|c| (c.number, c.title.to_string(), format!("{}.md", c.dir)))
        .collect();
    assert_eq!(
        chapters, course,
        "the book's chapters are the tour's (src/lib.rs CHAPTERS), numbers and titles alike"
    );
    let config = fs::read_to_string(book_src().join("../book.toml")).unwrap();
    assert!(
        config.contains("no-section-label = true"),
        "book.toml should turn mdBook's numbering (from 1) off: the titles carry the numbers"
    );
}

/// Every chapter page (and the stack-context section) opens, under its heading, with the
/// same block: what the learner can do after it (2 to 4 items), the time it takes, and its
/// commands, which name the page's own chapter and an existing package.
#[test]
fn every_page_opens_with_its_goals_time_and_commands() {
    let packages: Vec<&str> = tornado_course::CHAPTERS.iter().map(|c| c.package).collect();
    for (number, _, file) in summary_entries() {
        let page = fs::read_to_string(book_src().join(&file)).unwrap();
        let block: Vec<&str> = page
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('>'))
            .collect();
        let text = block.join("\n");
        assert!(
            block
                .first()
                .is_some_and(|l| l.starts_with("> **After this ") && l.ends_with(" you can**")),
            "{file} should open with `> **After this chapter you can**` under its heading"
        );
        let goals = block.iter().filter(|l| l.starts_with("> - ")).count();
        assert!(
            (2..=4).contains(&goals),
            "{file} lists {goals} things the learner can do after it, not 2 to 4"
        );
        let time = block
            .iter()
            .position(|l| l.starts_with("> **Time:** about "));
        let commands = block.iter().position(|l| l.starts_with("> **Commands:** "));
        assert!(
            time.is_some() && commands.is_some() && time < commands,
            "{file}'s opening says its time, then its commands"
        );
        let chapter = number.split('.').next().unwrap();
        assert!(
            text.contains(&format!("`cargo run -- --chapter {chapter}")),
            "{file}'s commands should show its programs with `cargo run -- --chapter {chapter}`"
        );
        assert!(
            text.contains(&format!("`cargo run -- progress {chapter}`"))
                || (chapter == "0" && text.contains("`cargo run -- progress`")),
            "{file}'s commands should show `cargo run -- progress {chapter}`"
        );
        let tested = text
            .split("`cargo test -p ")
            .nth(1)
            .and_then(|rest| rest.split([' ', '`']).next())
            .unwrap_or_else(|| panic!("{file}'s commands should show `cargo test -p <package>`"));
        assert!(
            packages.contains(&tested),
            "{file} tests the package {tested}, which is not one of {packages:?}"
        );
    }
}
