//! Tornado 6 mode refuses chapter 06: Tornado 6.0 removed `gen.Task`,
//! `gen.Callback`, `gen.Wait` and the `YieldPoint` protocol, so under
//! 6.6.1 `gen.Task` is `AttributeError: module 'tornado.gen' has no
//! attribute 'Task'`, raised inside the coroutine body, where it can be
//! caught (checked under real 6.6.1). The course refuses them with
//! `GenError::RemovedInTornado6`, thrown into the coroutine at its `yield`
//! (or, for `task`, in the failed future it returns): the coroutine's future
//! fails with that message, `run_sync` returns it, and nothing hangs. Made
//! outside Tornado 6 mode, the same programs still work as in 4.5.3.

use ch00_trace::{Era, with_era};
use ch01_yield::Exception;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch04_runner::GenError;
use ch05_coroutine::coroutine;
use ch06_gen_task::{Callback, Wait, task};

/// The message `gen.<name>` fails with under Tornado 6.
fn removed(name: &str) -> String {
    format!(
        "AttributeError: module 'tornado.gen' has no attribute '{name}' \
         (yield points and gen.Task were removed in Tornado 6.0)"
    )
}

/// Runs `main` with `run_sync` on a fresh loop of `era` (fake clock), with a
/// timeout so that a coroutine left hanging fails as `TimeoutError` instead
/// of hanging the test.
fn run<T: Clone + 'static>(
    era: Era,
    main: impl FnOnce() -> Future<T> + 'static,
) -> Result<T, Exception> {
    with_era(era, || {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        assert_eq!(io_loop.era(), era);
        io_loop.make_current();
        let result = io_loop.run_sync(main, Some(60.0));
        io_loop.close(true);
        result
    })
}

/// The 4.5.3 program of gen_test.py `test_ioloop_cb` with `Callback` and
/// `Wait`: 42 through a callback the loop calls.
fn callback_then_wait() -> Future<i32> {
    coroutine(|co| async move {
        let callback = co.yield_(Callback::new("k")).await?;
        IOLoop::current()?.add_callback(move || callback.call(42));
        co.yield_(Wait::new("k")).await
    })
}

/// gen_test.py (4.5.3) `GenEngineTest.test_task`'s program: `yield
/// gen.Task(io_loop.add_callback)`-style, the callback called by the loop.
fn yield_task() -> Future<i32> {
    coroutine(|co| async move {
        let f = task(|callback| {
            IOLoop::current()?.add_callback(move || callback.call(7));
            Ok(())
        });
        co.yield_(f).await
    })
}

/// Yielding `gen.Callback` under 6.6.1: `AttributeError` for `Callback`,
/// the coroutine's future fails with it and `run_sync` returns it.
#[test]
fn yielding_callback_is_refused_under_tornado6() {
    let err = run(Era::Tornado6, callback_then_wait).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<GenError>(),
            Some(GenError::RemovedInTornado6 { name }) if name == "Callback"
        ),
        "{err}"
    );
    assert_eq!(err.to_string(), removed("Callback"));
}

/// Yielding `gen.Wait` under 6.6.1 (here with no `Callback` before it):
/// refused for `Wait`, not an `UnknownKeyError` as 4.5.3 would raise.
#[test]
fn yielding_wait_is_refused_under_tornado6() {
    let program = || {
        coroutine(|co| async move {
            let () = co.yield_(Wait::new("never")).await?;
            Ok(())
        })
    };
    let err = run(Era::Tornado6, program).unwrap_err();
    assert_eq!(err.to_string(), removed("Wait"));
    let old = run(Era::Tornado4, program).unwrap_err();
    assert!(old.to_string().starts_with("UnknownKeyError"), "{old}");
}

/// Calling `gen.Task` under 6.6.1: refused for `Task`, the function never
/// called, the coroutine that yields the task fails with the message.
#[test]
fn task_is_refused_under_tornado6() {
    let err = run(Era::Tornado6, yield_task).unwrap_err();
    assert_eq!(err.to_string(), removed("Task"));

    let called = std::rc::Rc::new(std::cell::Cell::new(false));
    let c = called.clone();
    let err = run(Era::Tornado6, move || {
        let f: Future<i32> = task(move |_callback| {
            c.set(true);
            Ok(())
        });
        f
    })
    .unwrap_err();
    assert_eq!(err.to_string(), removed("Task"));
    assert!(!called.get(), "gen.Task's function must not run");
}

/// The refusal is thrown in at the `yield`, as Python raises the
/// `AttributeError` in the body: the coroutine may catch it and go on.
#[test]
fn the_refusal_can_be_caught_in_the_coroutine() {
    let result = run(Era::Tornado6, || {
        coroutine(|co| async move {
            match co.yield_(Callback::new("k")).await {
                Ok(_) => Ok("Callback worked".to_string()),
                Err(exc) => Ok(format!("caught: {exc}")),
            }
        })
    });
    assert_eq!(result.unwrap(), format!("caught: {}", removed("Callback")));
}

/// The contrast: outside Tornado 6 mode, `Callback`/`Wait` and `task` still
/// work (gen_test.py 4.5.3 `test_ioloop_cb`, `test_task`).
#[test]
fn outside_tornado6_mode_yield_points_still_work() {
    assert_eq!(run(Era::Tornado4, callback_then_wait).unwrap(), 42);
    assert_eq!(run(Era::Tornado4, yield_task).unwrap(), 7);
}
