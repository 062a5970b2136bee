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
}
