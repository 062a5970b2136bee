//! How many loop iterations each kind of yield costs (the twins
//! `ch04_moment_interleaving` and `ch04_runner_drives_generator` print them
//! under Tornado 4.5.3).

use ch00_trace::{record, say};
use ch01_yield::{Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Runner, generator, moment};

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
