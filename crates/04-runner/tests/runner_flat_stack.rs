//! `Runner.run` resumes without recursion: yielding a million futures that
//! are already done finishes on a flat stack.

use ch01_yield::{Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Runner, generator};

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
