//! Helpers shared by the chapters' tests (no course code).
//!
//! - [`rerun_this_test`]: run one test of the current test binary again in a
//!   child process, for the cases that end the process (an abort) or need a
//!   process-wide limit (few descriptors).
//! - [`open_fds`] and [`serial`]: count the process's descriptors, with the
//!   other tests of the binary kept out meanwhile.
//! - [`stack`]: how much stack a test used, on a thread of a chosen size.
//! - `GuardedClock` (feature `clock`): a fake clock that fails a test whose
//!   loop spins.
//! - [`exercise`] and [`predict`]: the graded exercises' tests (a failure
//!   names its exercise; a prediction is graded against its key).
//!
//! Without features it depends on no chapter, so any chapter can take it as
//! a dev-dependency; the `clock` feature adds chapter 03 (for `Clock`), for
//! chapters 03 and up.
#![forbid(unsafe_code)]

use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

#[cfg(feature = "clock")]
mod clock;
mod exercise;
#[cfg(feature = "clock")]
pub use clock::{GuardedClock, MAX_READS};
pub use exercise::{exercise, predict, prediction_key, unfinished_exercise};

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

/// How many descriptors the process has open (the entries of
/// `/proc/self/fd`; the listing itself holds one while it runs, the same one
/// every time). It sees every thread's descriptors: take [`serial`] first.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Holds the other tests of this binary that also take it: for tests that
/// count or reuse descriptor numbers, which are process-wide. A test that
/// failed while holding it does not poison it for the next one.
pub fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The stack a test uses: [`stack::on_stack`] runs it on a thread of a
/// given size, and [`stack::probe`], called where the stack is deepest,
/// notes how far down it went.
pub mod stack {
    use std::cell::Cell;

    thread_local! {
        /// The lowest stack address a probe saw on this thread.
        static LOWEST: Cell<usize> = const { Cell::new(usize::MAX) };
    }

    /// Notes how deep the stack is here (a local of a plain function is on
    /// the stack; one of an `async` body would be in the body, on the heap).
    #[inline(never)]
    pub fn probe() {
        let here = 0u8;
        let address = std::ptr::addr_of!(here) as usize;
        LOWEST.with(|lowest| lowest.set(lowest.get().min(address)));
    }

    /// Runs `test` on a fresh thread with a `stack`-byte stack; returns what
    /// it returned and the bytes of stack it used below its first frame (as
    /// far as [`probe`] saw). A stack overflow aborts the process.
    pub fn on_stack<R: Send + 'static>(
        stack: usize,
        test: impl FnOnce() -> R + Send + 'static,
    ) -> (R, usize) {
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let top = 0u8;
                let top = std::ptr::addr_of!(top) as usize;
                let result = test();
                let used = top.saturating_sub(LOWEST.with(Cell::get));
                (result, used)
            })
            .unwrap()
            .join()
            .expect("no stack overflow")
    }
}
