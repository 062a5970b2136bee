//! The README promises two commands, one to run the tour and one to run the tests; these
//! tests keep that promise honest: the README shows exactly those two, CI runs the very
//! test command the README gives, and every file the README links to exists. They also
//! keep the facts a learner relies on from going stale: the packages it names, the Rust
//! version it states, and the chapter numbers it uses.

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
/// others are for reading the book or starting the exercises.
#[test]
fn readme_shows_the_two_commands() {
    let commands = readme_commands();
    assert_eq!(
        commands[..2],
        ["cargo run", "cargo test --workspace"],
        "README.md should show the tour and the tests first"
    );
    let others = [
        "cargo install mdbook ",
        "mdbook ",
        "cargo run -- student ",
        "cd ",
        "cargo run -- progress",
    ];
    for other in &commands[2..] {
        assert!(
            others.iter().any(|prefix| other.starts_with(prefix)),
            "README.md shows a command that is neither the two, the book's nor the exercises': {other}"
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

/// The package names of the workspace's members, from each member's `Cargo.toml`.
fn workspace_packages() -> Vec<String> {
    let manifest = read("Cargo.toml");
    let members = manifest
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .expect("Cargo.toml lists its workspace members")
        .0;
    members
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .map(|member| {
            read(&format!("{member}/Cargo.toml"))
                .lines()
                .find_map(|line| line.strip_prefix("name = "))
                .unwrap_or_else(|| panic!("{member}/Cargo.toml has no name"))
                .trim_matches('"')
                .to_string()
        })
        .collect()
}

/// The words of `text` that look like a chapter's package name: `ch`, two digits, `-`,
/// and a name (`ch03-ioloop`).
fn package_names(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| {
            let bytes = word.as_bytes();
            word.len() > 5
                && word.starts_with("ch")
                && bytes[2].is_ascii_digit()
                && bytes[3].is_ascii_digit()
                && bytes[4] == b'-'
        })
        .map(str::to_string)
        .collect()
}

/// Every package name the README gives (for `cargo test -p`) is a package of the
/// workspace, and every chapter's package is given.
#[test]
fn readme_package_names_exist() {
    let readme = read("README.md");
    let packages = workspace_packages();
    let named = package_names(&readme);
    for name in &named {
        assert!(
            packages.contains(name),
            "README.md names the package {name}; the workspace has {packages:?}"
        );
    }
    for chapter in tornado_course::CHAPTERS {
        assert!(
            named.iter().any(|n| n == chapter.package),
            "README.md should name chapter {}'s package, {}",
            chapter.number,
            chapter.package
        );
    }
}

/// The Rust version the README asks for is the workspace's `rust-version`.
#[test]
fn readme_states_the_workspace_rust_version() {
    let manifest = read("Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("Cargo.toml sets the workspace's rust-version")
        .trim_matches('"');
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("Rust {version} or newer")),
        "README.md should say the workspace needs `Rust {version} or newer`"
    );
}

/// The README's chapter table lists the chapters 0 to 6 as the tour does: number, crate
/// folder and package on each row; and every chapter number in its commands
/// (`--chapter N`, `progress N`, `--from N`) is one of them.
#[test]
fn readme_numbers_chapters_as_the_tour_does() {
    let readme = read("README.md");
    let rows: Vec<(String, String)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let number = cells.get(1)?;
            number.parse::<u8>().ok()?;
            Some((
                number.to_string(),
                cells.get(2)?.to_string() + cells.get(3)?,
            ))
        })
        .collect();
    assert_eq!(
        rows.len(),
        tornado_course::CHAPTERS.len(),
        "README.md's table should have one row per chapter"
    );
    for (chapter, (number, row)) in tornado_course::CHAPTERS.iter().zip(&rows) {
        assert_eq!(
            number,
            &chapter.number.to_string(),
            "README.md's table order"
        );
        assert!(
            row.contains(&format!("(crates/{})", chapter.dir)) && row.contains(chapter.package),
            "README.md's row for chapter {number} should link crates/{} and name {}: {row}",
            chapter.dir,
            chapter.package
        );
    }
    let numbers: Vec<String> = tornado_course::CHAPTERS
        .iter()
        .map(|c| c.number.to_string())
        .collect();
    for flag in ["--chapter ", "progress ", "--from "] {
        for (at, _) in readme.match_indices(flag) {
            let after = &readme[at + flag.len()..];
            let number: String = after.chars().take_while(char::is_ascii_digit).collect();
            if !number.is_empty() {
                assert!(
                    numbers.contains(&number),
                    "README.md says `{flag}{number}`, but the chapters are {numbers:?}"
                );
            }
        }
    }
}
