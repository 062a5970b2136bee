//! Depth is not a crash: coroutines that call each other synchronously (a
//! million levels, past Python's recursion limit) and coroutines that each
//! wait on the next through the loop (100,000 on a small stack). Tornado
//! 4.5.3 gets 495 levels deep from a script and fails the 496th with
//! `RecursionError`; no Tornado test ports these.

use ch02_future::Future;
use ch02_future::depth::{self, RECURSION_LIMIT};
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment};
use testkit::stack::{on_stack, probe};

// ----------------------------------------------------------------------
// Depth is not a crash: coroutines that call each other synchronously.
//
// `nested(n)` yields `nested(n - 1)` straight away (no `moment`), so each
// body runs inside its caller's first step. Tornado 4.5.3 gets 495 levels
// deep from a script; the 496th fails with `RecursionError`, re-raised by
// every caller. We run first steps inline up to Python's recursion limit
// (500 levels); past it a first step waits for the outermost frame and its
// caller waits through the loop, so a million levels give the right result.

/// `@gen.coroutine def nest(n): if n == 0: raise gen.Return(0);
/// x = yield nest(n - 1); raise gen.Return(x + 1)`.
fn nested(depth: u64) -> Future<u64> {
    coroutine(move |co| async move {
        probe();
        if depth == 0 {
            return Ok(0);
        }
        let below = co.yield_(nested(depth - 1)).await?;
        Ok(below + 1)
    })
}

/// Runs `nested(levels)` with `run_sync` on a thread with a `stack`-byte
/// stack and this thread's recursion limit set to `limit`; returns the
/// result, the stack used, and the deepest frame count.
fn run_nested(levels: u64, stack: usize, limit: usize) -> (u64, usize, usize) {
    let ((result, max_depth), used) = on_stack(stack, move || {
        depth::set_recursion_limit(limit);
        depth::take_max_depth();
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.make_current();
        let result = io_loop.run_sync(move || nested(levels), None).unwrap();
        (result, depth::take_max_depth())
    });
    (result, used, max_depth)
}

/// A million nested synchronous coroutines give the right result through
/// `run_sync`, with the stack bounded by the recursion limit (under 1.25 MiB
/// in a debug build, on a 2 MiB thread; unbounded, it would take 2 GiB).
#[test]
fn million_nested_synchronous_coroutines_give_the_right_result() {
    const LEVELS: u64 = 1_000_000;
    let (result, used, max_depth) = run_nested(LEVELS, 2 << 20, RECURSION_LIMIT);
    println!("{LEVELS} nested coroutines: {used} bytes of stack, deepest count {max_depth}");
    assert_eq!(result, LEVELS);
    assert!(max_depth <= RECURSION_LIMIT);
    assert!(used < 1280 * 1024, "{used} bytes of stack");
}

/// With the limit lowered (Python's `sys.setrecursionlimit`), a 256 KiB
/// thread runs 100,000 nested synchronous coroutines.
#[test]
fn lower_limit_fits_nested_coroutines_in_256_kib() {
    let (result, used, _) = run_nested(100_000, 256 << 10, 100);
    println!("100000 nested coroutines, limit 100: {used} bytes of stack");
    assert_eq!(result, 100_000);
}

/// 249 levels (each counting `START_FRAMES` = 4 against the limit of 1000)
/// still run all inline: the future is done when the outermost call returns,
/// with no loop at all, as in Tornado. (Tornado itself goes to 495.)
#[test]
fn nesting_within_the_limit_finishes_without_the_loop() {
    let future = nested(249);
    assert_eq!(future.result().unwrap(), 249);
}

/// From 250 levels on, the innermost first steps wait for the outermost
/// frame: the future is pending until the loop runs (Tornado 4.5.3 still
/// finishes `nest(495)` inline; this is the documented difference).
#[test]
fn nesting_at_tornados_depth_waits_for_the_loop() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    let future = nested(495);
    assert!(!future.done());
    assert_eq!(io_loop.run_sync(move || future, None).unwrap(), 495);
}

/// Past the limit the outermost call returns a pending future: the levels
/// above a deferred first step wait for it through the loop.
#[test]
fn nesting_past_the_limit_finishes_through_the_loop() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    let future = nested(600);
    assert!(!future.done());
    assert_eq!(io_loop.run_sync(move || future, None).unwrap(), 600);
}

// ----------------------------------------------------------------------
// 100,000 coroutines, each waiting on the next: no stack overflow.
//
// Each level yields a moment before it calls the next, so every first step
// runs from its own loop callback; and each completion reaches its waiter
// through the loop (`add_future`), never by a nested call. The stack stays
// flat, whatever the depth: the test runs on a 256 KiB thread.

const DEPTH: u64 = 100_000;

fn nested_after_a_moment(depth: u64) -> Future<u64> {
    coroutine(move |co| async move {
        if depth == 0 {
            return Ok(0);
        }
        co.yield_(moment()).await?;
        let below = co.yield_(nested_after_a_moment(depth - 1)).await?;
        Ok(below + 1)
    })
}

#[test]
fn hundred_thousand_nested_coroutines_on_a_small_stack() {
    let result = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
            io_loop.make_current();
            io_loop
                .run_sync(|| nested_after_a_moment(DEPTH), None)
                .unwrap()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(result, DEPTH);
}
