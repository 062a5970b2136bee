//! Depth is not a crash: long chains resolve, and drop, on a bounded stack.
//!
//! Tornado 4.5.3 resolves 332 `chain_future` links from the head of a script;
//! the 333rd nested `_set_done` logs `RecursionError` and the rest of the
//! chain stays pending. Below Python's recursion limit we run every
//! done-callback inline, as Tornado does; past it they run from the
//! outermost frame, so a million links resolve on a small stack.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch00_trace::record;
use ch02_future::depth::{self, RECURSION_LIMIT};
use ch02_future::{Future, FutureError, chain_future};
use testkit::stack::{on_stack, probe};

const LINKS: usize = 1_000_000;

/// `futures[0]` chained to `futures[1]`, to `futures[2]`, ...
fn chain_of(links: usize) -> Vec<Future<u64>> {
    let futures: Vec<Future<u64>> = (0..=links).map(|_| Future::new()).collect();
    for pair in futures.windows(2) {
        chain_future(&pair[0], &pair[1]);
    }
    futures
}

/// A million links resolved from the head: every link gets the value, and
/// the stack used stays what Python's recursion limit allows (under 1.5 MiB
/// in a debug build, on a 2 MiB thread; without the limit, about 2 GiB).
#[test]
fn million_link_chain_resolves_from_the_head() {
    let ((all, max_depth), used) = on_stack(2 << 20, || {
        let futures = chain_of(LINKS);
        futures[LINKS].add_done_callback(|_: &Future<u64>| probe());
        for future in futures.iter().step_by(1000) {
            future.add_done_callback(|_: &Future<u64>| probe());
        }
        depth::take_max_depth();
        futures[0].set_result(42).unwrap();
        let all = futures.iter().all(|f| f.result().unwrap() == 42);
        (all, depth::take_max_depth())
    });
    println!("{LINKS} links: {used} bytes of stack, deepest count {max_depth}");
    assert!(all);
    assert!(max_depth <= RECURSION_LIMIT);
    assert!(used < 1536 * 1024, "{used} bytes of stack");
}

/// A thread with a 256 KiB stack lowers its limit, as Python's
/// `sys.setrecursionlimit` would, and resolves a million links too.
#[test]
fn lower_limit_fits_a_million_links_in_256_kib() {
    let (all, used) = on_stack(256 << 10, || {
        depth::set_recursion_limit(150);
        let futures = chain_of(LINKS);
        for future in futures.iter().step_by(7) {
            future.add_done_callback(|_: &Future<u64>| probe());
        }
        futures[0].set_result(7).unwrap();
        futures.iter().all(|f| f.result().unwrap() == 7)
    });
    println!("{LINKS} links, limit 150: {used} bytes of stack");
    assert!(all);
}

/// Dropping the head of a pending chain of a million links drops every link
/// (each drop would drop the next one inside it) on a 512 KiB stack.
#[test]
fn dropping_a_pending_million_link_chain() {
    /// Counts its drops, and notes the stack depth of each.
    struct Dropped(Rc<Cell<usize>>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            probe();
            self.0.set(self.0.get() + 1);
        }
    }
    let (dropped, used) = on_stack(512 << 10, || {
        let dropped = Rc::new(Cell::new(0));
        let head: Future<u64> = Future::new();
        let mut tail = head.clone();
        for _ in 0..LINKS {
            let next = Future::new();
            chain_future(&tail, &next);
            let guard = Dropped(dropped.clone());
            next.add_done_callback(move |_: &Future<u64>| drop(guard));
            tail = next;
        }
        drop(tail);
        drop(head);
        dropped.get()
    });
    println!("dropped a pending chain of {LINKS}: {used} bytes of stack");
    assert_eq!(dropped, LINKS);
}

/// 332 links (as deep as Tornado 4.5.3 goes): every done-callback still runs
/// inside the `set_result` before it, nothing is deferred.
#[test]
fn chain_as_deep_as_tornado_runs_every_callback_inline() {
    let ((), recording) = record(|| {
        let futures = chain_of(332);
        futures[0].set_result(1).unwrap();
    });
    let lines = recording.to_string();
    assert!(!lines.contains("defers"), "{lines}");
    assert_eq!(lines.matches("runs done-callback 1 of 1").count(), 332);
}

/// Past the limit, a deeper future's done-callbacks run after the callback
/// that completed it returns, not inside it: `set_result` returns first.
#[test]
fn past_the_limit_callbacks_run_after_the_completing_callback() {
    // Link k's `set_done` is counted 3 * (k + 1) frames deep: future 333 is
    // the first whose callbacks would pass 1000.
    let first_deferred = RECURSION_LIMIT / 3;
    let order = Rc::new(RefCell::new(Vec::new()));
    let futures = chain_of(first_deferred + 10);
    let o = order.clone();
    futures[first_deferred]
        .add_done_callback(move |_: &Future<u64>| o.borrow_mut().push("333's callback"));
    let o = order.clone();
    futures[first_deferred - 1]
        .add_done_callback(move |_: &Future<u64>| o.borrow_mut().push("332's second callback"));
    let ((), recording) = record(|| futures[0].set_result(1).unwrap());
    // 332's first callback (the chain's copy) completed 333, past the limit:
    // 333's callbacks were queued, and ran once 332's callbacks returned.
    assert_eq!(*order.borrow(), ["332's second callback", "333's callback"]);
    assert!(futures.iter().all(|f| f.result().unwrap() == 1));
    assert_eq!(recording.to_string().matches("defers").count(), 1);
}

/// `result()` clones the value with no borrow held: a `Clone` that uses the
/// same future (here, tries to set it again) gets an answer, not a
/// `BorrowMutError` panic.
#[test]
fn result_clones_the_value_with_no_borrow_held() {
    thread_local! {
        static SAME: RefCell<Option<Future<Probe>>> = const { RefCell::new(None) };
        static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    struct Probe;
    impl Clone for Probe {
        fn clone(&self) -> Self {
            let future = SAME.with(|s| s.borrow().clone()).unwrap();
            let again = future.set_result(Probe);
            SEEN.with(|s| s.borrow_mut().push(format!("{again:?} {future:?}")));
            Probe
        }
    }
    let future = Future::new();
    SAME.with(|s| *s.borrow_mut() = Some(future.clone()));
    future.set_result(Probe).unwrap();
    assert!(future.result().is_ok());
    let seen = SEEN.with(|s| s.borrow().clone());
    assert_eq!(
        seen,
        [format!(
            "{:?} Future(f0, done)",
            Err::<(), _>(FutureError::InvalidState)
        )]
    );
    SAME.with(|s| s.borrow_mut().take());
}
