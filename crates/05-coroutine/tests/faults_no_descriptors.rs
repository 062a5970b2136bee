//! Fault: the process is out of file descriptors and there is no current
//! loop, so none can be made. What needs the loop fails its future with
//! `OSError: Too many open files` instead of panicking: `sleep`,
//! `with_timeout`, `coroutine_with_callback`, and a coroutine whose first
//! yield needs a Runner (Tornado 4.5.3 raises the `OSError` of `epoll()`
//! from `IOLoop.current()` in each of these places).
//!
//! The test re-runs itself in a child process whose descriptor limit is
//! lowered with the shell's `ulimit -n`, then uses up every descriptor
//! there: the test process itself is left alone.

use std::fs::File;

use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::{coroutine, coroutine_with_callback, sleep, with_timeout};

const CHILD: &str = "CH05_NO_DESCRIPTORS_CHILD";
const TEST: &str = "without_a_loop_the_futures_fail_with_oserror";

/// Out of descriptors, `sleep`, `with_timeout`, `coroutine_with_callback`
/// and a Runner fail their futures with the `OSError`.
#[test]
fn without_a_loop_the_futures_fail_with_oserror() {
    if std::env::var_os(CHILD).is_some() {
        return out_of_descriptors();
    }
    let output = testkit::rerun_this_test(TEST, CHILD, Some(64));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout
            .matches("fails: OSError: Too many open files")
            .count(),
        4,
        "{stdout}"
    );
}

fn expect_oserror<T: Clone + 'static>(what: &str, future: &Future<T>) {
    assert!(future.done(), "{what}: failed at once");
    let err = future.result().err().unwrap();
    println!("{what} fails: {err}");
}

/// The child's half: runs under `ulimit -n 64`.
fn out_of_descriptors() {
    IOLoop::clear_current();
    let mut files = Vec::new();
    while let Ok(file) = File::open("/dev/null") {
        files.push(file);
    }
    expect_oserror("sleep", &sleep(1.0));
    expect_oserror("with_timeout", &with_timeout(1.0, Future::<()>::new()));
    let ran = std::rc::Rc::new(std::cell::Cell::new(false));
    let r = ran.clone();
    let future = coroutine_with_callback(
        |_: ()| (),
        move |_co| async move {
            r.set(true);
            Ok(())
        },
    );
    expect_oserror("coroutine_with_callback", &future);
    assert!(!ran.get(), "the body does not run");
    // The body runs to its first yield; the Runner then needs the loop.
    let pending: Future<()> = Future::new();
    let future = coroutine(move |co| async move {
        co.yield_(pending).await?;
        Ok(())
    });
    expect_oserror("a coroutine's Runner", &future);
    drop(files);
}
