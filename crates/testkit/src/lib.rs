//! Helpers shared by the chapters' tests. It depends on no chapter, so any
//! chapter can take it as a dev-dependency.
//!
//! - [`rerun_this_test`]: run one test of the current test binary again in a
//!   child process, for the cases that end the process (an abort) or need a
//!   process-wide limit (few descriptors).
#![forbid(unsafe_code)]

use std::process::{Command, Output};

/// Runs the test named `test` of the current test binary again, alone, in a
/// child process with the environment variable `child_var` set (the test
/// checks it to know it is the child), and returns what the child did.
///
/// With `max_open_files`, the child starts under `ulimit -n` of that many
/// descriptors, so running out of them touches only the child.
///
/// ```no_run
/// const CHILD: &str = "MY_TEST_CHILD";
/// if std::env::var_os(CHILD).is_some() {
///     std::process::abort(); // what the parent wants to watch
/// }
/// let output = testkit::rerun_this_test("my_test", CHILD, None);
/// assert!(!output.status.success());
/// ```
pub fn rerun_this_test(test: &str, child_var: &str, max_open_files: Option<u32>) -> Output {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = match max_open_files {
        None => Command::new(exe),
        Some(limit) => {
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!(r#"ulimit -n {limit} && exec "$0" "$@""#))
                .arg(exe);
            sh
        }
    };
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(child_var, "1")
        .output()
        .expect("the test binary runs again")
}
