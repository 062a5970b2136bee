//! The Runner's future half: how many loop iterations each kind of yield
//! costs, `gen.moment` recognised by identity, and `run()` resuming without
//! recursion. Ports the intent of Tornado 4.5.3's gen_test.py
//! `test_multi_performance` and of `Runner.run`'s `while True` loop, with
//! the twins `ch04_moment_interleaving` and `ch04_runner_drives_generator`.

use ch00_trace::{record, say};
use ch01_yield::{Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Runner, generator, moment};

// ----------------------------------------------------------------------
// How many loop iterations each kind of yield costs (the twins
// `ch04_moment_interleaving` and `ch04_runner_drives_generator` print them
// under Tornado 4.5.3).

/// Runs a coroutine that says where it is around each kind of yield, and
/// returns the iteration of each line.
fn iterations_of(lines: &[&str]) -> Vec<u32> {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::new().unwrap();
        io_loop.make_current();
        io_loop
            .run_sync(
                || {
                    let mut generator_ = generator(|co| async move {
                        say!("start");
                        co.yield_(Future::resolved(1)).await?;
                        say!("after done future");
                        co.yield_(moment()).await?;
                        say!("after moment");
                        co.yield_(()).await?;
                        say!("after None");
                        co.yield_(vec![moment(), moment()]).await?;
                        say!("after [moment, moment]");
                        Ok(())
                    });
                    let result = Future::new();
                    if let Ok(GeneratorState::Yielded(first)) = generator_.next() {
                        Runner::new(generator_, result.clone(), first);
                    }
                    result
                },
                None,
            )
            .unwrap();
    });
    let events = &recording.events;
    lines
        .iter()
        .map(|line| {
            events
                .iter()
                .find(|e| e.text == *line)
                .unwrap_or_else(|| panic!("{line} not recorded:\n{recording}"))
                .iteration
        })
        .collect()
}

/// gen_test `test_moment` / `ch04_moment_interleaving`: a done future costs no hop, a moment and
/// `yield None` one each, and a list of moments none (they count as done).
#[test]
fn test_hops_per_kind_of_yield() {
    let its = iterations_of(&[
        "start",
        "after done future",
        "after moment",
        "after None",
        "after [moment, moment]",
    ]);
    let start = its[0];
    assert_eq!(
        its.iter().map(|i| i - start).collect::<Vec<_>>(),
        [0, 0, 1, 2, 2]
    );
}

// ----------------------------------------------------------------------
// `gen.moment` is recognised by identity, whatever the recorder does.

/// A moment taken before a recording starts is still the moment inside it:
/// yielded there, the Runner waits one loop iteration, not zero.
#[test]
fn a_moment_taken_before_a_recording_is_the_moment_inside_it() {
    let before = moment();
    let ((), recording) = record(|| {
        // A moment taken inside the recording, as a program would.
        let _inside = moment();
        let io_loop = IOLoop::new().unwrap();
        io_loop.make_current();
        let mut body = generator(move |co| async move {
            co.yield_(before).await?;
            Ok(())
        });
        let Ok(GeneratorState::Yielded(first)) = body.next() else {
            panic!("the body yields first");
        };
        let result = Future::<()>::new();
        Runner::new(body, result.clone(), first);
        assert!(!result.done(), "a moment is never gone past at once");
        let stopper = io_loop.clone();
        io_loop.add_future(&result, move |_| stopper.stop());
        io_loop.start().unwrap();
        assert!(result.done());
    });
    assert!(
        recording.to_string().contains("waits one moment"),
        "{recording}"
    );
}

// ----------------------------------------------------------------------
// `Runner.run` resumes without recursion: yielding a million futures that
// are already done finishes on a flat stack.

/// Port of the intent of gen_test's `test_multi_performance` and of the
/// Runner's `while True` loop: 1,000,000 done futures in a row, run on a
/// thread with a deliberately small stack. Recursion of even a few hundred
/// bytes per resume would overflow it.
#[test]
fn test_million_done_futures_flat_stack() {
    const N: u64 = 1_000_000;
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let io_loop = IOLoop::new().unwrap();
            io_loop.make_current();
            let mut generator_ = generator(|co| async move {
                let mut sum = 0u64;
                for i in 0..N {
                    sum += co.yield_(Future::resolved(i)).await?;
                }
                Ok(sum)
            });
            let result = Future::new();
            let Ok(GeneratorState::Yielded(first)) = generator_.next() else {
                panic!("the body yields first");
            };
            Runner::new(generator_, result.clone(), first);
            // Every future was done: the Runner finished inside `new`,
            // without a single trip through the loop.
            assert!(result.done());
            result.result().unwrap()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), N * (N - 1) / 2);
}

/// There is one moment per thread: the same future before, inside and after
/// recordings. Only its name changes, taken afresh where each recording first
/// uses it (the Python twins name it there).
#[test]
fn one_moment_whatever_the_recorder_does() {
    let before = moment();
    let (inside, _) = record(|| {
        let _earlier: Future<()> = Future::new();
        let inside = moment();
        assert_eq!(inside.id(), 2, "named where this recording first uses it");
        inside
    });
    let (again, _) = record(|| {
        let again = moment();
        assert_eq!(again.id(), 1, "named afresh in the next recording");
        again
    });
    assert!(before.ptr_eq(&inside) && inside.ptr_eq(&again) && again.ptr_eq(&moment()));
}
