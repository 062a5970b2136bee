//! Fault: the process is out of file descriptors when a loop is needed.
//! `IOLoop::current()` with no current loop must make one, and making its
//! poller fails (`EMFILE`): it returns `OSError: Too many open files`
//! instead of panicking, and works again once descriptors are free.
//! (Tornado 4.5.3's `IOLoop.current()` raises the `OSError` of `epoll()`.)
//!
//! The test re-runs itself in a child process whose descriptor limit is
//! lowered with the shell's `ulimit -n`, then uses up every descriptor
//! there: the test process itself is left alone.

use std::fs::File;

use ch03_ioloop::{IOLoop, IOLoopError};

const CHILD: &str = "CH03_NO_DESCRIPTORS_CHILD";
const TEST: &str = "current_returns_an_error_when_no_poller_can_be_made";

/// `IOLoop::current()` out of descriptors is an `Err(OSError)`, not a panic.
#[test]
fn current_returns_an_error_when_no_poller_can_be_made() {
    if std::env::var_os(CHILD).is_some() {
        return out_of_descriptors();
    }
    let output = testkit::rerun_this_test(TEST, CHILD, Some(64));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("current() failed: OSError: Too many open files"),
        "{stdout}"
    );
}

/// The child's half: runs under `ulimit -n 64`.
fn out_of_descriptors() {
    IOLoop::clear_current();
    let mut files = Vec::new();
    let exhausted = loop {
        match File::open("/dev/null") {
            Ok(file) => files.push(file),
            Err(err) => break err,
        }
    };
    assert_eq!(exhausted.raw_os_error(), Some(24), "EMFILE");
    let err = IOLoop::current().unwrap_err();
    println!("current() failed: {err}");
    assert!(matches!(err, IOLoopError::Io(_)));
    assert!(
        IOLoop::try_current().is_none(),
        "no half-made loop is current"
    );
    drop(files);
    assert!(
        IOLoop::current().is_ok(),
        "works again with descriptors free"
    );
}
