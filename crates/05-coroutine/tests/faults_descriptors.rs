//! Faults around file descriptors: loops dropped while coroutines sleep on
//! them release their descriptors (counted in `/proc/self/fd`), and a
//! process out of descriptors fails what needs a loop with `OSError`.
//!
//! Every test takes `testkit::serial()` first: the count of `/proc/self/fd`
//! is process-wide, so no other test may open or close a descriptor while
//! one of these runs.

use std::fs::File;

use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, coroutine_with_callback, sleep, with_timeout};
use testkit::{open_fds, serial};

// ----------------------------------------------------------------------
// Fault: loops dropped without `close()` while coroutines sleep on them.
// A sleeping coroutine is a cycle in the making: the loop's timeout holds
// the `sleep` future, the future's done-callback holds the Runner, and the
// Runner remembers its loop. The Runner and `add_future` hold the loop
// weakly, so dropping the last handle frees the loop: 10,000 loops, each
// with two sleeping coroutines, a `with_timeout` and a kept `RemoteLoop`,
// leave the count of `/proc/self/fd` where it was.

const LOOPS: usize = 10_000;

/// 10,000 loops with sleeping coroutines and a pending `with_timeout`,
/// dropped without `close()`: the descriptor count stays flat.
#[test]
fn loops_dropped_with_sleeping_coroutines_release_their_descriptors() {
    let _serial = serial();
    IOLoop::clear_current();
    let before = open_fds();
    let mut remotes = Vec::with_capacity(LOOPS);
    for _ in 0..LOOPS {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current(); // sleep() and the Runner use the current loop
        let sleeper = || {
            coroutine(|co| async move {
                co.yield_(sleep(60.0)).await?;
                co.yield_(sleep(60.0)).await?;
                Ok(())
            })
        };
        let (a, b) = (sleeper(), sleeper());
        let lp = io_loop.clone();
        // One iteration: both coroutines are now waiting on their sleeps.
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        assert!(!a.done() && !b.done());
        let timed = with_timeout(30.0, Future::<()>::new());
        drop((a, b, timed));
        remotes.push(io_loop.remote());
        IOLoop::clear_current();
        drop(io_loop);
        assert_eq!(open_fds(), before, "this loop's descriptors were released");
    }
    drop(remotes);
    assert_eq!(open_fds(), before);
}

// ----------------------------------------------------------------------
// Fault: the process is out of file descriptors and there is no current
// loop, so none can be made. What needs the loop fails its future with
// `OSError: Too many open files` instead of panicking: `sleep`,
// `with_timeout`, `coroutine_with_callback`, and a coroutine whose first
// yield needs a Runner (Tornado 4.5.3 raises the `OSError` of `epoll()`
// from `IOLoop.current()` in each of these places).
//
// The test re-runs itself in a child process whose descriptor limit is
// lowered with the shell's `ulimit -n`, then uses up every descriptor
// there: the test process itself is left alone.

const CHILD: &str = "CH05_NO_DESCRIPTORS_CHILD";
const TEST: &str = "without_a_loop_the_futures_fail_with_oserror";

/// Out of descriptors, `sleep`, `with_timeout`, `coroutine_with_callback`
/// and a Runner fail their futures with the `OSError`.
#[test]
fn without_a_loop_the_futures_fail_with_oserror() {
    let _serial = serial();
    if std::env::var_os(CHILD).is_some() {
        return out_of_descriptors();
    }
    let output = testkit::rerun_this_test(TEST, CHILD, Some(64));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The child's stderr first: its panic (an unfinished exercise's `todo!`,
    // say) names the cause before the child's own libtest report, whose
    // lines are indented so that they never read as this binary's own.
    let child =
        |text: &str| -> String { text.lines().map(|l| format!("  child| {l}\n")).collect() };
    assert!(
        output.status.success(),
        "the child failed:\n{}{}",
        child(&stderr),
        child(&stdout)
    );
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
