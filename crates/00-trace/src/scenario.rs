//! A chapter's named, recordable program.

use crate::event::Recording;

/// One of a chapter's programs: what the tour shows, what the snapshot tests
/// record, and (when real Tornado can run it) what the conformance test
/// compares with the Python twin's output.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    /// The snapshot name, unique in the workspace: `ch03_iteration_order`.
    pub name: &'static str,
    /// One line for the tour: what the program shows.
    pub title: &'static str,
    /// The Python twin under `tests/tornado/`, without `.py`, if Tornado can
    /// run this program; `None` for programs that only Rust can run.
    pub twin: Option<&'static str>,
    /// The program itself. It prints with `say!`.
    pub run: fn(),
}

impl Scenario {
    /// Runs the program under [`record`](crate::record).
    pub fn record(&self) -> Recording {
        crate::record(self.run).1
    }

    /// Runs the program under [`record`](crate::record) with the machinery
    /// following `era`'s rules ([`with_era`](crate::with_era)).
    ///
    /// A program that makes no loop of its own (chapter 02's) cannot run
    /// under Tornado 6's rules, where a future needs a running loop to
    /// schedule its callbacks: the workspace root's `record_in` runs those
    /// inside one, as their Python twins do.
    pub fn record_in(&self, era: crate::Era) -> Recording {
        crate::with_era(era, || self.record())
    }
}

/// The Tornado version the course models, whose twins' output the Rust
/// recordings match.
pub const TORNADO_VERSION: &str = "4.5.3";

/// Where the Python twins live, relative to the workspace root.
pub const TWINS_DIR: &str = "tests/tornado";

/// The path of a twin's program, relative to the workspace root:
/// `tests/tornado/<twin>.py`.
pub fn twin_program(twin: &str) -> String {
    format!("{TWINS_DIR}/{twin}.py")
}

/// The path of what a twin printed under a Tornado version, relative to the
/// workspace root: `tests/tornado/expected/<version>/<twin>.txt`.
pub fn twin_output(twin: &str, version: &str) -> String {
    format!("{TWINS_DIR}/expected/{version}/{twin}.txt")
}

/// The lines of a twin's output that conformance compares: those of the form
/// `[it=N] text`, the program's own prints. Anything else a twin prints (a
/// banner, a traceback) is ignored.
///
/// ```
/// let output = "Tornado 4.5.3\n[it=0] hello\n[it=1] world\n";
/// assert_eq!(ch00_trace::print_lines(output), ["[it=0] hello", "[it=1] world"]);
/// ```
pub fn print_lines(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|line| line.starts_with("[it="))
        .collect()
}

/// The workspace root, from this crate (`crates/00-trace`).
const WORKSPACE_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

impl Scenario {
    /// The `[it=N] text` lines the twin printed under real Tornado 4.5.3
    /// ([`twin_output`]); `None` without a twin.
    ///
    /// A chapter's tests compare them with [`Recording::prints`]. Fails with
    /// a message naming the file when it cannot be read (run
    /// `tests/tornado/rebuild.sh` after adding a twin).
    pub fn twin_prints(&self) -> Option<Result<Vec<String>, String>> {
        let twin = self.twin?;
        let path = format!("{WORKSPACE_ROOT}/{}", twin_output(twin, TORNADO_VERSION));
        Some(
            std::fs::read_to_string(&path)
                .map(|text| print_lines(&text).into_iter().map(str::to_string).collect())
                .map_err(|e| format!("{path}: {e}")),
        )
    }
}

/// Checks every scenario of a chapter: its printed lines equal its twin's
/// under real Tornado 4.5.3 (when it has one), and its whole recording
/// equals the reviewed insta snapshot named after it.
///
/// For a chapter's `tests/scenarios.rs`, which must depend on `insta`:
///
/// ```ignore
/// #[test]
/// fn scenarios() {
///     ch00_trace::assert_scenarios!(ch02_future::scenarios::SCENARIOS);
/// }
/// ```
///
/// The twin comparison runs first, so a snapshot can only be accepted if
/// its order is Tornado's.
#[macro_export]
macro_rules! assert_scenarios {
    ($scenarios:expr) => {
        for scenario in $scenarios {
            let recording = scenario.record();
            if let Some(expected) = scenario.twin_prints() {
                let expected = expected.unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(
                    recording.lines_like(&expected),
                    expected,
                    "{}: the printed lines differ from real Tornado 4.5.3's",
                    scenario.name
                );
            }
            insta::with_settings!({ description => scenario.title, omit_expression => true }, {
                insta::assert_snapshot!(scenario.name, recording.to_string());
            });
        }
    };
}
