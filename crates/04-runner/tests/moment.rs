//! `gen.moment` is recognised by identity, whatever the recorder does.

use ch00_trace::record;
use ch01_yield::{Generator, GeneratorState};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Runner, generator, moment};

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
