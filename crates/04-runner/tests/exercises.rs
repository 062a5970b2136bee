//! Chapter 04's graded exercises: the tests of each one, named after it
//! (`ex04_2_...` grades ex04.2).
//!
//! Run one exercise's tests with `cargo test -p ch04-runner --test exercises ex04_2`;
//! the tasks and their hints are in `crates/04-runner/exercises/README.md`
//! (`cargo run -- hint ex04.2` prints the next hint). Every test goes through
//! the chapter's public API; those that need a loop run it on a fake clock.

use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{EventKind, Recording, record, say};
use ch01_yield::{Exception, Generator, GeneratorState, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{
    GenError, Object, Runner, Value, YieldPoint, Yieldable, Yielded, convert_yielded, generator,
    moment, multi_future, multi_future_quiet, yielded,
};

/// `next(gen)`, then `Runner(gen, result, first_yielded)`: what
/// `@gen.coroutine` does in chapter 05. Returns the result future.
fn start<R: 'static>(
    mut generator_: impl Generator<Yield = Yielded, Send = Value, Return = R> + 'static,
) -> Future<R> {
    let result = Future::new();
    match generator_.next() {
        Ok(GeneratorState::Yielded(first)) => {
            Runner::new(generator_, result.clone(), first);
        }
        Ok(GeneratorState::Complete(value)) => {
            let _ = result.set_result(value);
        }
        Err(exc) => {
            let _ = result.set_exception(exc);
        }
    }
    result
}

/// Runs `program` as the first callback of a new loop on a guarded fake
/// clock, until the future it returns resolves (or, if it never does, until
/// a timeout 100 seconds later on the fake clock: no test can hang).
fn on_a_loop<T: 'static>(program: impl FnOnce() -> Future<T> + 'static) {
    let io_loop = IOLoop::with_clock(testkit::GuardedClock::new(0.0)).unwrap();
    io_loop.make_current();
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        let result = program();
        let stopper = lp.clone();
        result.add_done_callback(move |_| stopper.stop());
    });
    io_loop.call_later(100.0, io_loop.bind(IOLoop::stop));
    io_loop.start().unwrap();
    io_loop.close(true);
    IOLoop::clear_current();
}

/// The lines logged in `recording`.
fn logs(recording: &Recording) -> Vec<String> {
    recording
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Log)
        .map(|e| e.text.clone())
        .collect()
}

// ----------------------------------------------------------------------
// ex04.1: `convert_yielded`.

/// A yielded future converts to itself: the same future, not a copy.
#[test]
fn ex04_1_a_future_converts_to_itself() {
    testkit::exercise("ex04.1", || {
        let future = Future::<i32>::new();
        let converted = convert_yielded(future.clone().into_yielded());
        let converted = converted.unwrap_or_else(|e| {
            panic!("convert_yielded of a yielded future is that future; got the error {e}")
        });
        assert!(
            !converted.done(),
            "the future is pending, so is what it converts to"
        );
        future.set_result(7).unwrap();
        assert!(
            converted.done(),
            "convert_yielded hands back the yielded future itself: resolving it resolves what \
             the Runner waits on"
        );
    });
}

/// An object of no yieldable type is Tornado's `BadYieldError`, naming it.
#[test]
fn ex04_1_an_unknown_object_is_a_bad_yield() {
    testkit::exercise("ex04.1", || {
        let converted = convert_yielded(Object(42).into_yielded());
        assert_eq!(
            converted.err().map(|e| e.to_string()),
            Some("BadYieldError: yielded unknown object 42".to_string()),
            "Tornado raises BadYieldError(\"yielded unknown object %r\") for an object it \
             cannot convert"
        );
    });
}

/// A yield point is not a future: outside the Runner's own check for it
/// (in a list of futures, say), converting one is a `BadYieldError`.
#[test]
fn ex04_1_a_yield_point_is_not_a_future() {
    struct Never;
    impl YieldPoint for Never {
        fn start(&mut self, _: &Runner) -> Result<(), Exception> {
            Ok(())
        }
        fn is_ready(&mut self, _: &Runner) -> Result<bool, Exception> {
            Ok(false)
        }
        fn get_result(&mut self, _: &Runner) -> Result<Value, Exception> {
            Ok(Value::none())
        }
        fn describe(&self) -> String {
            "Never".to_string()
        }
    }
    testkit::exercise("ex04.1", || {
        let converted = convert_yielded(yielded(Never));
        assert_eq!(
            converted.err(),
            Some(GenError::BadYield {
                repr: "<YieldPoint>".to_string()
            }),
            "a YieldPoint given to convert_yielded is a BadYieldError naming `<YieldPoint>`"
        );
    });
}

/// `yield None` (here `()`) converts to the moment: a future that is done.
#[test]
fn ex04_1_none_converts_to_a_done_future() {
    testkit::exercise("ex04.1", || {
        let converted = convert_yielded(().into_yielded());
        let converted = converted.unwrap_or_else(|e| {
            panic!("`yield None` is `yield gen.moment` in 4.5.3, not an error; got {e}")
        });
        assert!(
            converted.done(),
            "the moment is a future resolved once and for all"
        );
    });
}

// ----------------------------------------------------------------------
// ex04.2: the moment, recognised by identity (`is_moment`).

/// Runs a coroutine that prints around one `yield`, and returns the prints.
fn around_one_yield<Y: Yieldable + 'static>(make: impl FnOnce() -> Y + 'static) -> Vec<String> {
    let ((), recording) = record(|| {
        on_a_loop(move || {
            start(generator(move |co| async move {
                say!("before the yield");
                co.yield_(make()).await?;
                say!("after the yield");
                Ok(())
            }))
        })
    });
    recording.prints()
}

/// Yielding `gen.moment` costs one iteration of the loop, although the
/// moment is a done future.
#[test]
fn ex04_2_a_moment_waits_one_iteration() {
    testkit::exercise("ex04.2", || {
        assert_eq!(
            around_one_yield(moment),
            ["[it=0] before the yield", "[it=1] after the yield"],
            "handle_yield treats the moment as not done (`self.future is moment`): the \
             coroutine resumes one iteration later"
        );
    });
}

/// `yield None` is a moment too in 4.5.3 (here `co.yield_(())`).
#[test]
fn ex04_2_yield_none_waits_one_iteration() {
    testkit::exercise("ex04.2", || {
        assert_eq!(
            around_one_yield(|| ()),
            ["[it=0] before the yield", "[it=1] after the yield"],
            "`yield None` converts to the moment, which waits one iteration"
        );
    });
}

/// Any other done future, even a `Future<()>` resolved with `()`, resumes
/// the generator at once: only the moment's identity makes it special.
#[test]
fn ex04_2_another_done_unit_future_does_not_wait() {
    testkit::exercise("ex04.2", || {
        assert_eq!(
            around_one_yield(|| Future::resolved(())),
            ["[it=0] before the yield", "[it=0] after the yield"],
            "a done future that is not the moment resumes the generator in the same \
             iteration: compare by identity (ptr_eq with the thread's moment), not by type or \
             state"
        );
    });
}

// ----------------------------------------------------------------------
// ex04.3: predict the order.

/// ex04.3's program: two Runners, one waiting on the other.
pub fn two_runners() {
    on_a_loop(|| {
        say!("main starts");
        let pending = Future::<i32>::new();
        let a = start(generator({
            let pending = pending.clone();
            move |co| async move {
                say!("A starts, waits on the pending future");
                let x = co.yield_(pending).await?;
                say!("A got {x}, waits one moment");
                co.yield_(moment()).await?;
                say!("A returns {}", x + 1);
                Ok(x + 1)
            }
        }));
        let b = start(generator(move |co| async move {
            say!("B starts, waits on A");
            let y = co.yield_(a).await?;
            let z = co.yield_(Future::resolved(10)).await?;
            say!("B got {y} from A and {z} from a done future");
            Ok(y + z)
        }));
        IOLoop::current().unwrap().add_callback(move || {
            say!("a callback resolves the pending future");
            pending.set_result(1)
        });
        b.add_done_callback(|f| say!("B's result future resolved: {}", f.result().unwrap()));
        say!("main ends");
        b
    });
}

/// ex04.3: your prediction of `two_runners`, in `exercises/ex04.3.txt`.
#[test]
fn ex04_3_predict_two_runners() {
    testkit::exercise("ex04.3", || {
        testkit::predict("ex04.3", env!("CARGO_MANIFEST_DIR"))
    });
}

/// The keys of the chapter's predictions are those of the programs' real
/// recordings (rerun with `COURSE_BLESS=1` after changing a program).
#[test]
fn prediction_keys_are_current() {
    let ((), recording) = record(two_runners);
    let output = recording.prints().join("\n");
    testkit::prediction_key(
        "ex04.3",
        env!("CARGO_MANIFEST_DIR"),
        &ch00_trace::print_lines(&output),
    );
}

// ----------------------------------------------------------------------
// ex04.4: `multi_future`.

/// The results come in the order of the list, whatever the order the
/// children resolve in; the multi resolves when the last child does.
#[test]
fn ex04_4_results_in_input_order() {
    testkit::exercise("ex04.4", || {
        let children: Vec<Future<&str>> = (0..3).map(|_| Future::new()).collect();
        let all = multi_future(children.clone());
        children[2].set_result("c").unwrap();
        children[0].set_result("a").unwrap();
        assert!(
            !all.done(),
            "the multi waits for every child (one is still pending)"
        );
        children[1].set_result("b").unwrap();
        assert_eq!(
            all.result().ok(),
            Some(vec!["a", "b", "c"]),
            "multi_future's results are in the order of the list, not the order the children \
             resolved in"
        );
    });
}

/// An empty list resolves at once, to an empty list.
#[test]
fn ex04_4_an_empty_list_resolves_at_once() {
    testkit::exercise("ex04.4", || {
        let all = multi_future(Vec::<Future<i32>>::new());
        assert_eq!(
            all.result().ok(),
            Some(vec![]),
            "Tornado: `if not children: future.set_result([])`"
        );
    });
}

/// A future listed twice is listened to once, and its result appears at
/// both places.
#[test]
fn ex04_4_a_child_listed_twice() {
    testkit::exercise("ex04.4", || {
        let (a, b) = (Future::new(), Future::new());
        let all = multi_future(vec![a.clone(), b.clone(), a.clone()]);
        a.set_result(1).unwrap();
        b.set_result(2).unwrap();
        assert_eq!(
            all.result().ok(),
            Some(vec![1, 2, 1]),
            "Tornado listens to each distinct child once (`listening = set()`) and counts the \
             distinct unfinished children: a child listed twice must not be waited for twice"
        );
    });
}

/// A failure fails the multi, but only once every child is done; the
/// first failure in list order wins and later ones are logged.
#[test]
fn ex04_4_the_first_failure_wins_and_later_ones_are_logged() {
    testkit::exercise("ex04.4", || {
        let ((), recording) = record(|| {
            let (a, b, c) = (Future::<i32>::new(), Future::new(), Future::new());
            let all = multi_future(vec![a.clone(), b.clone(), c.clone()]);
            c.set_exception(PyError::new("KeyError", "'second'"))
                .unwrap();
            assert!(
                !all.done(),
                "4.5.3's multi_future waits for every child, even after one failed"
            );
            a.set_result(1).unwrap();
            b.set_exception(PyError::new("ValueError", "first"))
                .unwrap();
            assert_eq!(
                all.result().err().map(|e| e.to_string()),
                Some("ValueError: first".to_string()),
                "the multi fails with the first failure in list order (b's), not the first to \
                 happen (c's)"
            );
        });
        assert_eq!(
            logs(&recording),
            ["ERROR tornado.application: Multiple exceptions in yield list: KeyError: 'second'"],
            "each failure after the first is logged as `Multiple exceptions in yield list`"
        );
    });
}

/// `quiet_exceptions` says which later failures are not logged.
#[test]
fn ex04_4_quiet_exceptions_are_not_logged() {
    testkit::exercise("ex04.4", || {
        let ((), recording) = record(|| {
            let (a, b) = (Future::<i32>::new(), Future::new());
            let all =
                multi_future_quiet(vec![a.clone(), b.clone()], |e| e.class_name() == "KeyError");
            a.set_exception(PyError::new("ValueError", "first"))
                .unwrap();
            b.set_exception(PyError::new("KeyError", "'quiet'"))
                .unwrap();
            assert_eq!(
                all.result().err().map(|e| e.to_string()),
                Some("ValueError: first".to_string())
            );
        });
        assert_eq!(
            logs(&recording),
            Vec::<String>::new(),
            "a later failure that quiet_exceptions accepts is not logged"
        );
    });
}

/// What a Runner sends in for a list of futures is that list of results
/// (the Runner waits on the multi the list converts to).
#[test]
fn ex04_4_a_coroutine_yields_a_list() {
    testkit::exercise("ex04.4", || {
        let got = Rc::new(RefCell::new(None));
        let g = got.clone();
        on_a_loop(move || {
            let (a, b) = (Future::new(), Future::new());
            let lp = IOLoop::current().unwrap();
            let (a2, b2) = (a.clone(), b.clone());
            lp.add_callback(move || b2.set_result("b"));
            lp.add_callback(move || a2.set_result("a"));
            start(generator(move |co| async move {
                *g.borrow_mut() = Some(co.yield_(vec![a, b]).await?);
                Ok(())
            }))
        });
        assert_eq!(
            got.take(),
            Some(vec!["a", "b"]),
            "`yield [a, b]` evaluates to the list of their results, in list order"
        );
    });
}
