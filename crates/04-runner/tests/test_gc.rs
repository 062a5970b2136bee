//! How long a Runner lives: as long as the future it waits on can still be
//! resolved, whoever holds the Runner itself. The Runner-level half of
//! Tornado 4.5.3's gen_test.py `RunnerGCTest` (chapter 05's `test_gc.rs` has
//! the coroutine-level half).

use std::cell::Cell;
use std::rc::Rc;

use ch01_yield::{Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch04_runner::{Runner, generator};

/// Counts its drops: a generator's local whose end the tests watch.
struct Guard(Rc<Cell<u32>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// A Runner driving a generator that waits on `awaited`, then returns 7;
/// its local guard counts into `dropped`. Returns the Runner and its result
/// future.
fn waiting_runner(awaited: Future<()>, dropped: &Rc<Cell<u32>>) -> (Runner, Future<i32>) {
    let dropped = dropped.clone();
    let mut body = generator(move |co| async move {
        let _local = Guard(dropped);
        co.yield_(awaited).await?;
        Ok(7)
    });
    let Ok(GeneratorState::Yielded(first)) = body.next() else {
        panic!("the body yields first");
    };
    let result = Future::new();
    let runner = Runner::new(body, result.clone(), first);
    (runner, result)
}

/// The Runner does not keep alive the future it waits on: once the program
/// drops that future (nothing can resolve it any more), the Runner, its
/// generator and the generator's locals are freed, though the program still
/// holds the Runner's result future.
#[test]
fn runner_is_freed_with_the_future_it_waits_on() {
    let _io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let dropped = Rc::new(Cell::new(0));
    let awaited = Future::new();
    let (runner, result) = waiting_runner(awaited.clone(), &dropped);
    drop(runner);
    assert_eq!(dropped.get(), 0, "the future it waits on is still held");
    drop(awaited);
    assert_eq!(dropped.get(), 1, "generator dropped with the future");
    assert!(!result.done());
}

/// Nobody holds the Runner, yet it resumes when the future it waits on is
/// resolved: the callback it registered on that future keeps it, and once
/// the future is done the Runner holds it strongly again until `run()` has
/// read it (`AnyFuture::hold_strongly`).
#[test]
fn runner_nobody_holds_resumes_when_its_future_resolves() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    let dropped = Rc::new(Cell::new(0));
    let awaited = Future::new();
    let (runner, result) = waiting_runner(awaited.clone(), &dropped);
    drop(runner);
    awaited.set_result(()).unwrap();
    drop(awaited);
    assert!(!result.done(), "resumed one loop iteration later");
    let value = io_loop.run_sync(move || result, None).unwrap();
    assert_eq!((value, dropped.get()), (7, 1));
}
