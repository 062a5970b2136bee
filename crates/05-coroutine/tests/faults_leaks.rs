//! Coroutines the program let go of give their memory back: 100,000 of them
//! abandoned by `with_timeout`, and 100,000 pending on `sleep(1000)` when the
//! loop is closed.
//!
//! Python's cycle collector frees a coroutine nobody can reach. Here the
//! Runner holds the future it waits on weakly, so no reference cycle keeps
//! such a coroutine: it is freed by reference counting alone. The figures
//! come from a counting allocator (live bytes and blocks of the test's own
//! thread), printed with `--nocapture` and asserted.
//!
//! Its own test binary: it installs a counting `#[global_allocator]`, which
//! is process-wide.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{TimeoutError, coroutine, sleep, with_timeout};

/// The system allocator, counting the live bytes and blocks of each thread,
/// so tests running in parallel threads do not disturb each other's figures.
struct Counting;

thread_local! {
    // `const` and without a destructor: using it never allocates, which an
    // allocator must not do.
    static LIVE: Cell<(isize, isize)> = const { Cell::new((0, 0)) };
}

fn count(bytes: isize, blocks: isize) {
    // `try_with`: a thread being torn down may still free memory.
    let _ = LIVE.try_with(|live| {
        let (b, n) = live.get();
        live.set((b + bytes, n + blocks));
    });
}

// SAFETY: every call is passed on unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counting beside it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize, 1);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize), -1);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's guarantees are passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count(new_size as isize - layout.size() as isize, 0);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live (bytes, blocks) allocated by this thread.
fn live() -> (isize, isize) {
    LIVE.with(Cell::get)
}

const N: usize = 100_000;

/// A loop on a fake clock, current on this thread.
fn fake_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(100.0)).unwrap();
    io_loop.make_current();
    io_loop
}

/// Closes the loop and lets go of every handle to it.
fn close_and_drop(io_loop: IOLoop) {
    io_loop.close(true);
    IOLoop::clear_current();
    drop(io_loop);
}

/// `n` coroutines, one after another, each waiting on a future nobody else
/// holds, each abandoned when `with_timeout` gives up on it; returns how
/// many timed out and the live bytes while the loop was still open.
fn abandon_with_timeout(n: usize) -> (usize, isize) {
    let io_loop = fake_loop();
    let timed_out = io_loop
        .run_sync(
            move || {
                coroutine(move |co| async move {
                    let mut timed_out = 0;
                    for _ in 0..n {
                        let never = Future::<()>::new();
                        let stuck = coroutine(move |co| async move { co.yield_(never).await });
                        let deadline = IOLoop::current().unwrap().time() + 1.0;
                        match co.yield_(with_timeout(deadline, stuck)).await {
                            Err(exc) if exc.is::<TimeoutError>() => timed_out += 1,
                            other => panic!("expected a TimeoutError, got {other:?}"),
                        }
                    }
                    Ok(timed_out)
                })
            },
            None,
        )
        .unwrap();
    let open = live().0;
    close_and_drop(io_loop);
    (timed_out, open)
}

/// `n` coroutines pending on `sleep(1000)`, their futures dropped, then the
/// loop closed.
fn pending_on_sleep_at_close(n: usize) {
    let io_loop = fake_loop();
    let futures: Vec<Future<()>> = (0..n)
        .map(|_| coroutine(|co| async move { co.yield_(sleep(1000.0)).await }))
        .collect();
    assert!(futures.iter().all(|f| !f.done()));
    drop(futures);
    close_and_drop(io_loop);
}

/// 100,000 coroutines abandoned by `with_timeout` (their future never
/// resolves), then the loop closed and dropped: every byte comes back.
#[test]
fn coroutines_abandoned_by_with_timeout_are_freed() {
    // Warm-up: one-time allocations (thread-locals, the moment, lazily
    // grown buffers) are made here, not counted below.
    abandon_with_timeout(1_000);
    let (bytes0, blocks0) = live();
    let (timed_out, open) = abandon_with_timeout(N);
    let (bytes1, blocks1) = live();
    assert_eq!(timed_out, N);
    eprintln!(
        "with_timeout: {N} abandoned coroutines; live while the loop is open: {} bytes \
         ({:.1} per coroutine); after close and drop: {} bytes, {} blocks \
         ({:.1} bytes per coroutine)",
        open - bytes0,
        (open - bytes0) as f64 / N as f64,
        bytes1 - bytes0,
        blocks1 - blocks0,
        (bytes1 - bytes0) as f64 / N as f64,
    );
    assert_eq!((bytes1 - bytes0, blocks1 - blocks0), (0, 0));
}

/// 100,000 coroutines pending on `sleep(1000)` when the loop is closed
/// (`close(true)`), their futures already dropped: every byte comes back.
#[test]
fn coroutines_pending_on_sleep_are_freed_by_close() {
    pending_on_sleep_at_close(1_000);
    let (bytes0, blocks0) = live();
    pending_on_sleep_at_close(N);
    let (bytes1, blocks1) = live();
    eprintln!(
        "sleep(1000): {N} pending coroutines at close(true); after close and drop: \
         {} bytes, {} blocks ({:.1} bytes per coroutine)",
        bytes1 - bytes0,
        blocks1 - blocks0,
        (bytes1 - bytes0) as f64 / N as f64,
    );
    assert_eq!((bytes1 - bytes0, blocks1 - blocks0), (0, 0));
}
