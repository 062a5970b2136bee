//! The tour: every chapter's programs, recorded and printed.
//!
//! `cargo run` runs each scenario of each chapter under the recorder and prints what the
//! program printed, then the whole recording: the program's lines among the machinery's.
//! `cargo run -- --help` shows how to pick one chapter or one scenario.

#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use tornado_course::{
    CHAPTERS, Chapter, Era, MovedPrints, Recording, Scenario, TORNADO_VERSION, has_tornado6_twin,
    record_in, tornado6_name, twin_program,
};

/// The width the tour wraps its prose at (recordings are never wrapped).
const WIDTH: usize = 78;

const HELP: &str = "\
The tour of the course: every chapter's programs, recorded and printed.

Usage: cargo run [-- OPTIONS]

Options:
  --chapter N        only chapter N (0 to 6, as the crates and the book number them;
                     chapter 0 is the recorder, with no programs of its own)
  --scenario NAME    only the scenarios whose name contains NAME
  --list             list the chapters and scenarios without running them
  --diagram          show each recording as a sequence diagram: a column per
                     actor (the program, the IOLoop, each Runner, each Future)
  --era 4|6          only the recordings under Tornado 4.5.3's rules (4) or under
                     Tornado 6.6.1's (6); without it, both: every scenario that
                     runs under Tornado 6.6.1 too (chapters 2 to 5, its twin has a
                     6.6.1 output) is shown under both, 4.5.3 first
  --player DIR       also write each recording into DIR/<scenario>.html, in the
                     book's player (one page each, opens offline in a browser); a
                     scenario shown under Tornado 6.6.1 too gets
                     DIR/<scenario>.tornado6.html, both recordings side by side
                     in the book's pair of players, stepping together by iteration
  -h, --help         this help
";

const WELCOME: &str = "\
Tornado's coroutine machinery, rebuilt in Rust
==============================================

Chapters 1 to 6 each rebuild one layer of Tornado 4.5.3 (generators, Future,
IOLoop, ...) as a crate of its own; chapter 0 is the recorder. Below, every
chapter's programs run under it: what each program printed, then the full
recording of what happened, in order.

How to read a recording:
  [it=N]      the IOLoop iteration: how many polls had completed
  > text      a line the program printed (Python's print, our say!)
    text      the machinery at work: futures, callbacks, timeouts, handlers
  ! text      a log record: an error Tornado logs and survives

Scenarios with a Python twin print exactly what that twin printed under real
Tornado 4.5.3; `cargo test --workspace` checks it. Those of chapters 2 to 5
whose twin also ran under Tornado 6.6.1 are shown twice: under 4.5.3's rules,
then under 6.6.1's (asyncio underneath), where a printed line that the other
recording printed in another iteration (counted from its first printed line),
or in another order, is marked `<- moved` on both sides.
";

/// How the tour marks a printed line that moved between a scenario's two recordings
/// (the book's pair of players marks the same lines, `moved`).
const MOVED: &str = "   <- moved";

/// What the tour says of a chapter with no programs of its own (chapter 0, the recorder),
/// instead of a scenario list.
const NO_PROGRAMS: &str = "\
No programs of its own: the programs of every other chapter run under this
recorder. The welcome above says how to read what it records, and so does the
book's chapter 0; `cargo test -p ch00-trace` runs its tests.
";

/// What the command line asked for.
#[derive(Debug, Default)]
struct Options {
    chapter: Option<u8>,
    scenario: Option<String>,
    list: bool,
    diagram: bool,
    player: Option<std::path::PathBuf>,
    /// `--era`: only this era's recordings; both when `None`.
    era: Option<Era>,
}

/// Reads the options, or says what is wrong with them.
fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--list" => options.list = true,
            "--diagram" => options.diagram = true,
            "--player" => {
                let dir = args.next().ok_or("--player needs a folder")?;
                options.player = Some(dir.into());
            }
            "--era" => {
                let value = args.next().ok_or("--era needs 4 or 6")?;
                options.era = Some(match value.as_str() {
                    "4" | "4.5.3" => Era::Tornado4,
                    "6" | "6.6.1" => Era::Tornado6,
                    _ => return Err(format!("--era needs 4 or 6, not '{value}'")),
                });
            }
            "--chapter" => {
                let value = args.next().ok_or("--chapter needs a number")?;
                let number = value
                    .parse()
                    .map_err(|_| format!("--chapter needs a number, not '{value}'"))?;
                options.chapter = Some(number);
            }
            "--scenario" => {
                options.scenario = Some(args.next().ok_or("--scenario needs a name")?);
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Some(options))
}

impl Options {
    fn wants_chapter(&self, chapter: &Chapter) -> bool {
        self.chapter.is_none_or(|n| n == chapter.number)
    }

    fn wants_era(&self, era: Era) -> bool {
        self.era.is_none_or(|e| e == era)
    }

    fn wants_scenario(&self, scenario: &Scenario) -> bool {
        self.scenario
            .as_deref()
            .is_none_or(|name| scenario.name.contains(name))
    }
}

/// The words of `text` in lines of at most [`WIDTH`] columns: the first line starts with
/// `first`, the others with `indent`.
fn wrap(text: &str, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    let mut start = first.len();
    for word in text.split_whitespace() {
        if line.len() > start && line.len() + 1 + word.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
            start = indent.len();
        }
        if line.len() > start {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn chapter_heading(chapter: &Chapter) -> String {
    let rule = "=".repeat(WIDTH);
    let title = format!("Chapter {}. {}", chapter.number, chapter.title);
    let crate_line = format!(
        "crates/{} ({}) rebuilds {}",
        chapter.dir, chapter.package, chapter.tornado
    );
    format!(
        "{rule}\n{}{}{rule}\n",
        wrap(&title, "", "  "),
        wrap(&crate_line, "  ", "  ")
    )
}

/// Records `record()` and catches a panic: `Err` says what the program panicked with.
fn catch(record: impl FnOnce() -> Recording) -> Result<Recording, String> {
    panic::catch_unwind(AssertUnwindSafe(record)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// A recording as the tour prints it: what the program printed, then the whole
/// recording (or its diagram); the printed lines at the steps in `moved` are marked.
fn recording_text(recording: &Recording, moved: &[usize], options: &Options) -> String {
    let mark = |step: usize| if moved.contains(&step) { MOVED } else { "" };
    let mut out = String::from("\n  The program printed:\n");
    let prints = recording.prints();
    if prints.is_empty() {
        out += "    (nothing)\n";
    }
    let steps = recording
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == ch00_trace::EventKind::Print);
    for (line, (step, _)) in prints.iter().zip(steps) {
        out += &format!("    {line}{}\n", mark(step));
    }
    if options.diagram {
        out += "\n  The recording, as a sequence diagram:\n";
        for line in recording.diagram().to_text().lines() {
            out += &format!("    {line}\n");
        }
    } else {
        out += "\n  The recording:\n";
        for (step, event) in recording.events.iter().enumerate() {
            out += &format!("    {event}{}\n", mark(step));
        }
    }
    out
}

/// Writes `page` to `DIR/<file>` and says where, or says why not (`false`).
fn write_page(dir: &std::path::Path, file: &str, page: String) -> (String, bool) {
    let path = dir.join(file);
    match std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, page)) {
        Ok(()) => (format!("\n  In the player: {}\n", path.display()), true),
        Err(e) => (
            format!("\n  !! cannot write {}: {e}\n", path.display()),
            false,
        ),
    }
}

/// One scenario, recorded: its title, what it printed, the whole recording; and for a
/// scenario that runs under Tornado 6.6.1 too, the same under Tornado 6's rules, the
/// printed lines that moved marked on both sides. `false` if the program panicked (the
/// text then says so instead of showing a recording) or a page could not be written.
fn show(chapter: &Chapter, index: usize, scenario: &Scenario, options: &Options) -> (String, bool) {
    let number = format!("{}.{} ", chapter.number, index + 1);
    let indent = " ".repeat(number.len());
    let mut out = wrap(
        scenario.title,
        &format!("--- {number}"),
        &format!("    {indent}"),
    );
    let pad = format!("    {indent}");
    out += &format!("{pad}scenario {}\n", scenario.name);
    let modern = has_tornado6_twin(chapter, scenario);
    match scenario.twin {
        Some(twin) => {
            let also = if modern {
                format!(" and {}", Era::Tornado6)
            } else {
                String::new()
            };
            let twin = format!(
                "Python twin {}, checked against Tornado {TORNADO_VERSION}{also}",
                twin_program(twin)
            );
            out += &wrap(&twin, &pad, &pad);
        }
        None => out += &format!("{pad}no Python twin: a Rust-only program\n"),
    }
    let panicked = |out: &mut String, era: Era, message: String| {
        *out += &format!("\n  !! this program panicked under {era}'s rules: {message}\n\n");
    };
    let recording = match catch(|| scenario.record()) {
        Ok(recording) => recording,
        Err(message) => {
            panicked(&mut out, Era::Tornado4, message);
            return (out, false);
        }
    };
    let modern = if modern {
        match catch(|| record_in(chapter, scenario, Era::Tornado6)) {
            Ok(modern) => Some(modern),
            Err(message) => {
                panicked(&mut out, Era::Tornado6, message);
                return (out, false);
            }
        }
    } else {
        None
    };
    let moved = match &modern {
        Some(modern) => recording.moved_prints(modern),
        None => MovedPrints::default(),
    };
    let mut ok = true;
    if options.wants_era(Era::Tornado4) {
        if modern.is_some() {
            out += &wrap(
                &format!(
                    "Under {}'s rules, the course's: printed lines that moved under \
                     Tornado 6 are marked{MOVED}",
                    Era::Tornado4
                ),
                "\n  ",
                "  ",
            );
        }
        out += &recording_text(&recording, &moved.left, options);
        if let Some(dir) = &options.player {
            let page = recording.player_page(scenario.name, scenario.title);
            let (text, written) = write_page(dir, &format!("{}.html", scenario.name), page);
            out += &text;
            ok &= written;
        }
    }
    if options.wants_era(Era::Tornado6) {
        match &modern {
            Some(modern) => {
                out += &wrap(
                    &format!(
                        "Under {}'s rules (asyncio): printed lines that moved are \
                         marked{MOVED}",
                        Era::Tornado6
                    ),
                    "\n  ",
                    "  ",
                );
                out += &recording_text(modern, &moved.right, options);
                if let Some(dir) = &options.player {
                    let page = recording.player_pair_page(
                        Era::Tornado4,
                        modern,
                        Era::Tornado6,
                        scenario.name,
                        scenario.title,
                    );
                    let (text, written) =
                        write_page(dir, &format!("{}.html", tornado6_name(scenario)), page);
                    out += &text;
                    ok &= written;
                }
            }
            None if options.era == Some(Era::Tornado6) => {
                out += &wrap(
                    &format!(
                        "Not recorded under {}'s rules: only the programs of chapters \
                         2 to 5 whose twin ran under it are.",
                        Era::Tornado6
                    ),
                    "\n  ",
                    "  ",
                );
            }
            None => {}
        }
    }
    out.push('\n');
    (out, ok)
}

fn list(options: &Options) -> String {
    let mut out = String::new();
    for chapter in CHAPTERS.iter().filter(|c| options.wants_chapter(c)) {
        out += &format!("Chapter {}. {}\n", chapter.number, chapter.title);
        if chapter.scenarios.is_empty() && options.scenario.is_none() {
            out += "  (no programs of its own: the recorder that records the others)\n";
        }
        for scenario in chapter
            .scenarios
            .iter()
            .filter(|s| options.wants_scenario(s))
        {
            let twin = if scenario.twin.is_some() {
                " (twin)"
            } else {
                ""
            };
            out += &format!("  {}{twin}: {}\n", scenario.name, scenario.title);
        }
    }
    out
}

/// Writes to standard output. A reader that went away (`cargo run | head`) is not an
/// error of ours: the caller stops quietly, as `cat` and `ls` do, instead of panicking
/// in `print!`.
fn out(text: &str) -> io::Result<()> {
    io::stdout().lock().write_all(text.as_bytes())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = tornado_course::exercises::cli::run(&args) {
        return code;
    }
    match tour() {
        Ok(code) => code,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tornado-course: cannot write the tour: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The tour itself; `Err` only when standard output cannot be written.
fn tour() -> io::Result<ExitCode> {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            out(HELP)?;
            out(&format!("\n{}", tornado_course::exercises::cli::HELP))?;
            return Ok(ExitCode::SUCCESS);
        }
        Err(message) => {
            eprintln!("tornado-course: {message}\n\n{HELP}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(n) = options.chapter {
        if !CHAPTERS.iter().any(|c| c.number == n) {
            let numbers: Vec<String> = CHAPTERS.iter().map(|c| c.number.to_string()).collect();
            eprintln!(
                "tornado-course: there is no chapter {n} (chapters: {})",
                numbers.join(", ")
            );
            return Ok(ExitCode::from(2));
        }
    }
    if options.list {
        out(&list(&options))?;
        return Ok(ExitCode::SUCCESS);
    }

    // What to show, decided before anything is printed.
    let chosen: Vec<(&Chapter, Vec<(usize, &Scenario)>)> = CHAPTERS
        .iter()
        .filter(|c| options.wants_chapter(c))
        .map(|chapter| {
            let scenarios = chapter.scenarios.iter().enumerate();
            let scenarios = scenarios.filter(|(_, s)| options.wants_scenario(s));
            (chapter, scenarios.collect::<Vec<_>>())
        })
        .filter(|(_, scenarios)| options.scenario.is_none() || !scenarios.is_empty())
        .collect();
    if let (Some(name), true) = (&options.scenario, chosen.is_empty()) {
        eprintln!("tornado-course: no scenario's name contains '{name}' (see --list)");
        return Ok(ExitCode::FAILURE);
    }

    out(WELCOME)?;
    let mut panicked = Vec::new();
    for (chapter, scenarios) in chosen {
        out(&format!("\n{}\n", chapter_heading(chapter)))?;
        if chapter.scenarios.is_empty() {
            out(&format!("{}\n", wrap(NO_PROGRAMS, "  ", "  ")))?;
        }
        for (index, scenario) in scenarios {
            let (text, ok) = show(chapter, index, scenario, &options);
            out(&text)?;
            if !ok {
                panicked.push(scenario.name);
            }
        }
    }
    if !panicked.is_empty() {
        eprintln!(
            "tornado-course: these programs panicked: {}",
            panicked.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_filters() {
        let options = parse(args(&["--chapter", "2", "--scenario", "chain"]))
            .unwrap()
            .unwrap();
        assert_eq!(options.chapter, Some(2));
        assert_eq!(options.scenario.as_deref(), Some("chain"));
        assert!(parse(args(&["--help"])).unwrap().is_none());
        assert!(parse(args(&["--chapter", "two"])).is_err());
        assert!(parse(args(&["--frobnicate"])).is_err());
        let six = parse(args(&["--era", "6"])).unwrap().unwrap();
        assert_eq!(six.era, Some(Era::Tornado6));
        let four = parse(args(&["--era", "4.5.3"])).unwrap().unwrap();
        assert_eq!(four.era, Some(Era::Tornado4));
        assert!(parse(args(&["--era", "5"])).is_err());
        assert!(parse(args(&["--era"])).is_err());
    }

    /// `--chapter 0` is the recorder's chapter, numbered as its crate `00-trace` is; a
    /// leading zero is accepted, so `--chapter 03` is chapter 3.
    #[test]
    fn chapter_numbers_start_at_zero() {
        let zero = parse(args(&["--chapter", "0"])).unwrap().unwrap();
        assert_eq!(zero.chapter, Some(0));
        let three = parse(args(&["--chapter", "03"])).unwrap().unwrap();
        assert_eq!(three.chapter, Some(3));
        let numbers: Vec<u8> = CHAPTERS.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5, 6]);
        for chapter in CHAPTERS {
            assert_eq!(
                chapter.dir[..2].parse::<u8>().ok(),
                Some(chapter.number),
                "chapter {} lives in crates/{}",
                chapter.number,
                chapter.dir
            );
            assert_eq!(chapter.package, format!("ch{}", chapter.dir));
        }
    }

    /// The listing says what chapter 0 is rather than showing it empty.
    #[test]
    fn the_listing_says_what_chapter_zero_is() {
        let options = Options {
            chapter: Some(0),
            ..Options::default()
        };
        let listing = list(&options);
        assert!(
            listing.starts_with("Chapter 0. Reading a recording\n"),
            "{listing}"
        );
        assert!(listing.contains("no programs of its own"), "{listing}");
    }

    #[test]
    fn wraps_at_the_width() {
        let text = "word ".repeat(40);
        let wrapped = wrap(&text, "1.1 ", "  ");
        assert!(wrapped.starts_with("1.1 word word"));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  word")));
        assert!(wrapped.lines().all(|l| l.len() <= WIDTH));
        assert_eq!(wrapped.split_whitespace().count(), 41);
    }
}
