//! What becomes of a coroutine waiting on a yield point once nothing can
//! complete it: it is freed, locals and all, instead of being kept by a
//! cycle between its Runner and the yield point's future. And one whose
//! callback is still held lives on and finishes.

// The shared helpers include `recorded`, which these tests do not use.
#[allow(dead_code)]
mod common;

use common::fake_loop;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::coroutine;
use ch06_gen_task::{ResultCallback, Task, YieldFuture};

/// Counts its drops: a coroutine's local whose end the tests watch.
struct Guard(Rc<Cell<u32>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// Runs the loop for `seconds` of its fake clock.
fn run_for(io_loop: &IOLoop, seconds: f64) {
    let stopper = io_loop.clone();
    io_loop.call_later(seconds, move || stopper.stop());
    io_loop.start().unwrap();
}

/// A `Task` whose function drops the callback without calling it: nothing
/// can resume the coroutine, so once its first yield point has started
/// (one loop iteration after the yield) it is freed and its locals dropped.
#[test]
fn task_whose_callback_is_dropped_frees_the_coroutine() {
    let io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    let d = dropped.clone();
    let result = coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(Task::<()>::new(|callback| {
            drop(callback);
            Ok(())
        }))
        .await
    });
    run_for(&io_loop, 1.0);
    assert_eq!(dropped.get(), 1, "the coroutine's locals are dropped");
    assert!(!result.done());
}

/// A `Task` whose callback is kept (here, by the test) keeps the coroutine
/// alive, though nobody holds its result future, and calling the callback
/// later finishes it.
#[test]
fn task_whose_callback_is_held_finishes_later() {
    let io_loop = fake_loop();
    let (dropped, finished) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
    let kept: Rc<RefCell<Option<ResultCallback>>> = Rc::default();
    let (d, f, k) = (dropped.clone(), finished.clone(), kept.clone());
    drop(coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(Task::<()>::new(move |callback| {
            *k.borrow_mut() = Some(callback);
            Ok(())
        }))
        .await?;
        f.set(true);
        Ok(())
    }));
    run_for(&io_loop, 1.0);
    assert_eq!((dropped.get(), finished.get()), (0, false), "still waiting");
    let callback = kept.borrow_mut().take().expect("the task's function ran");
    io_loop.add_callback(move || callback.call_none());
    run_for(&io_loop, 1.0);
    assert_eq!((dropped.get(), finished.get()), (1, true));
}

/// A `YieldFuture` of a future nobody else holds: freed with that future.
#[test]
fn yield_future_of_a_future_nobody_holds_frees_the_coroutine() {
    let io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    let d = dropped.clone();
    let result = coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(YieldFuture::new(Future::<()>::new())).await
    });
    run_for(&io_loop, 1.0);
    assert_eq!(dropped.get(), 1, "the coroutine's locals are dropped");
    assert!(!result.done());
}

/// The same after a first yield point: a coroutine's later yield points
/// wait through a callback on the yield point's future, which must not be
/// what keeps the coroutine once the task's callback is gone.
#[test]
fn second_task_whose_callback_is_dropped_frees_the_coroutine() {
    let io_loop = fake_loop();
    let dropped = Rc::new(Cell::new(0));
    let d = dropped.clone();
    let result = coroutine(move |co| async move {
        let _local = Guard(d);
        co.yield_(Task::<()>::new(|callback| {
            IOLoop::current()
                .unwrap()
                .add_callback(move || callback.call_none());
            Ok(())
        }))
        .await?;
        co.yield_(Task::<()>::new(|callback| {
            drop(callback);
            Ok(())
        }))
        .await
    });
    run_for(&io_loop, 1.0);
    assert_eq!(dropped.get(), 1, "the coroutine's locals are dropped");
    assert!(!result.done());
}
