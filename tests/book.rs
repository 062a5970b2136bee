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
