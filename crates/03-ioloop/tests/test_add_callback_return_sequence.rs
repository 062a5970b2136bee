//! Port of Tornado 4.5.3's `TestIOLoop.test_add_callback_return_sequence`,
//! and its way of passing the loop's own `stop` as a callback
//! (`loop.add_timeout(datetime.timedelta(milliseconds=50), loop.stop)`).

use std::time::Duration;

use ch00_trace::{EventKind, record};
use ch03_ioloop::{FakeClock, IOLoop};

/// Callbacks returning nothing do not make the loop schedule more of them
/// (Tornado's issue #1803: returning `{}` or `[]` spun the CPU; a callback
/// returning a non-yieldable value does not compile here, `()` is the
/// nearest), and `loop.stop` passed as the timeout's callback stops it.
#[test]
fn test_add_callback_return_sequence() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.add_callback(|| ());
        io_loop.add_callback(|| ());
        io_loop.add_timeout(Duration::from_millis(50), io_loop.bind(IOLoop::stop));
        io_loop.start().unwrap();
        assert_eq!(io_loop.time(), 0.05);
        io_loop.close(true);
    });
    let calls = recording
        .only(&[EventKind::Callback])
        .lines()
        .filter(|line| line.ends_with("scheduled"))
        .count();
    assert!(calls < 10, "{calls} callbacks scheduled");
    assert_eq!(calls, 2);
}

/// A bound method holds its loop weakly: queued on the loop it names, it
/// keeps nothing alive, and run after the loop is gone it does nothing.
#[test]
fn a_bound_method_does_not_keep_its_loop_alive() {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    IOLoop::clear_current();
    let weak = io_loop.downgrade();
    let stop = io_loop.bind(IOLoop::stop);
    io_loop.add_callback(io_loop.bind(IOLoop::stop));
    drop(io_loop);
    assert!(weak.upgrade().is_none());
    assert!(stop().is_ok());
}

/// A bound closure's error is the callback's error: logged by the loop.
#[test]
fn a_bound_closure_returning_an_error_is_logged() {
    let ((), recording) = record(|| {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        io_loop.add_callback(io_loop.bind(|lp: &IOLoop| {
            lp.stop();
            Err(ch01_yield::PyError::new("ValueError", "bad"))
        }));
        io_loop.start().unwrap();
        io_loop.close(true);
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: Exception in callback c1: ValueError: bad\n"
    );
}
