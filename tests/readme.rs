//! The README promises two commands, one to run the tour and one to run the tests; these
//! tests keep that promise honest: the README shows exactly those two, CI runs the very
//! test command the README gives, and every file the README links to exists.

use std::fs;
use std::path::Path;

/// A file of the workspace, read whole.
fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// The commands the README shows: every line of its shell code blocks (```` ```sh ````,
/// `bash`, `shell`, `console`), without a `$ ` prompt, blank lines and comments left out.
fn readme_commands() -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_shell_block = false;
    let mut in_other_block = false;
    for line in read("README.md").lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_shell_block || in_other_block {
                (in_shell_block, in_other_block) = (false, false);
            } else if matches!(info.trim(), "sh" | "bash" | "shell" | "console") {
                in_shell_block = true;
            } else {
                in_other_block = true;
            }
        } else if in_shell_block && !trimmed.is_empty() && !trimmed.starts_with('#') {
            let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
            commands.push(command.to_string());
        }
    }
    commands
}

/// The commands `.ci/run` runs, comments left out.
fn ci_commands() -> Vec<String> {
    read(".ci/run")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The README shows two commands first, the tour and then the tests; any
/// others are for reading the book.
#[test]
fn readme_shows_the_two_commands() {
    let commands = readme_commands();
    assert_eq!(
        commands[..2],
        ["cargo run", "cargo test --workspace"],
        "README.md should show the tour and the tests first"
    );
    for other in &commands[2..] {
        assert!(
            other.starts_with("cargo install mdbook ") || other.starts_with("mdbook "),
            "README.md shows a command that is neither the two nor the book's: {other}"
        );
    }
}

/// The mdBook version the README tells a reader to install is the one CI
/// builds the book with.
#[test]
fn readme_and_ci_pin_the_same_mdbook() {
    let ci = read(".ci/run");
    let pinned = ci
        .lines()
        .find_map(|line| line.strip_prefix("MDBOOK_VERSION="))
        .expect(".ci/run pins MDBOOK_VERSION");
    let install = readme_commands()
        .into_iter()
        .find(|command| command.starts_with("cargo install mdbook "))
        .expect("README.md says how to install mdBook");
    assert!(
        install.contains(&format!("--version {pinned} ")),
        "README installs `{install}`, CI pins {pinned}"
    );
}

/// CI runs exactly the README's test command, and the README's tour command.
#[test]
fn ci_runs_the_readme_commands() {
    let readme = readme_commands();
    let (run, test) = (&readme[0], &readme[1]);
    let ci = ci_commands();
    let tests: Vec<&String> = ci.iter().filter(|c| c.starts_with("cargo test")).collect();
    assert_eq!(
        tests,
        [test],
        ".ci/run should run the README's test command `{test}`, and only it"
    );
    assert!(
        ci.iter()
            .any(|c| c == run || c.starts_with(&format!("{run} "))),
        ".ci/run should run the tour, `{run}`"
    );
}

/// Every relative link of the README, `[text](path)`, points at a file or folder that
/// exists.
#[test]
fn readme_links_resolve() {
    let readme = read("README.md");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rest = readme.as_str();
    let mut checked = 0;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let end = after.find(')').expect("an unclosed link");
        let target = after[..end].split('#').next().unwrap_or_default();
        if !target.is_empty() && !target.contains("://") {
            assert!(
                root.join(target).exists(),
                "README.md links to {target}, which does not exist"
            );
            checked += 1;
        }
        rest = &after[end..];
    }
    assert!(checked > 0, "README.md should link to the docs");
}
