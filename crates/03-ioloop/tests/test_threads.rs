//! The one thread-safe method: `add_callback` from other threads, through a
//! `RemoteLoop`. Ports Tornado 4.5.3's ioloop_test.py
//! `TestIOLoop.test_add_callback_wakeup_other_thread`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ch00_trace::{EventKind, record};
use ch03_ioloop::IOLoop;

// ----------------------------------------------------------------------
// Port of Tornado's `TestIOLoop.test_add_callback_wakeup_other_thread`: a
// callback added from another thread wakes a loop that sleeps in `poll()`.

/// The loop has nothing to do and no timeout, so without a wake-up it would
/// sleep in `poll()` for 3600 seconds. The other thread waits until the
/// loop runs, and a little more, then adds the callback that stops it. (The bound on the
/// elapsed time is an hour-vs-seconds check, not a race.)
#[test]
fn test_add_callback_wakeup_other_thread() {
    let started = Instant::now();
    let ((), recording) = record(|| {
        let io_loop = IOLoop::new().unwrap();
        let remote = io_loop.remote();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            // Wait until the loop runs, then give it time to fall asleep.
            ready_rx.recv().unwrap();
            std::thread::sleep(Duration::from_millis(50));
            remote.add_callback(|| IOLoop::current().unwrap().stop());
        });
        io_loop.add_callback(move || ready_tx.send(()).unwrap());
        io_loop.start().unwrap();
        thread.join().unwrap();
        io_loop.close(true);
    });
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the loop slept through the wake-up"
    );
    // The first poll returns at once: c1 was added before `start()`, which
    // in Tornado 4.5.3 writes the waker (no loop thread is known yet; real
    // Tornado prints the remote callback at it=2 too). The second poll
    // sleeps until the other thread's callback wakes it.
    assert_eq!(
        recording.only(&[EventKind::Poll, EventKind::Waker, EventKind::Callback]),
        "[it=0]   callback c1 scheduled\n\
         [it=0]   callback c1 runs\n\
         [it=0]   poll: 0 events\n\
         [it=1]   poll: 0 events\n\
         [it=2]   waker woke: 1 callback from another thread\n\
         [it=2]   callback c2 scheduled from another thread\n\
         [it=2]   callback c2 runs\n"
    );
}

// ----------------------------------------------------------------------
// Fault test: many threads call `RemoteLoop::add_callback` at once; every
// callback runs exactly once, on the loop's thread, and the loop survives.

const THREADS: usize = 8;
const PER_THREAD: usize = 1000;

#[test]
fn every_remote_callback_runs_once_on_the_loop_thread() {
    let io_loop = IOLoop::new().unwrap();
    let loop_thread = std::thread::current().id();
    let ran = Arc::new(AtomicUsize::new(0));
    let finished_threads = Arc::new(AtomicUsize::new(0));

    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (remote, ran, finished) = (io_loop.remote(), ran.clone(), finished_threads.clone());
            std::thread::spawn(move || {
                for _ in 0..PER_THREAD {
                    let ran = ran.clone();
                    remote.add_callback(move || {
                        assert_eq!(std::thread::current().id(), loop_thread);
                        ran.fetch_add(1, Ordering::SeqCst);
                    });
                }
                // The last thread to finish asks the loop to stop; the stop
                // callback is queued after all of this thread's callbacks.
                if finished.fetch_add(1, Ordering::SeqCst) + 1 == THREADS {
                    remote.add_callback(|| IOLoop::current().unwrap().stop());
                }
            })
        })
        .collect();
    io_loop.start().unwrap();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(ran.load(Ordering::SeqCst), THREADS * PER_THREAD);

    // The loop still works afterwards.
    let again = Rc::new(Cell::new(false));
    let (a, lp) = (again.clone(), io_loop.clone());
    io_loop.add_callback(move || {
        a.set(true);
        lp.stop();
    });
    io_loop.start().unwrap();
    assert!(again.get());
    io_loop.close(true);
}
