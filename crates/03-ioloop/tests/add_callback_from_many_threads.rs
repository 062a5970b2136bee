//! Fault test: many threads call `RemoteLoop::add_callback` at once; every
//! callback runs exactly once, on the loop's thread, and the loop survives.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ch03_ioloop::IOLoop;

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
