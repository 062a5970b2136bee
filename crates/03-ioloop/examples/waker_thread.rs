//! The generator article's demo: an IOLoop, and a thread that adds callbacks to it.
//!
//! The article builds a tiny `IoLoop` from `select.epoll()` and a self-pipe
//! `Waker`, starts a thread that calls `add_callback(test, 888, 999)` every
//! ten seconds, and runs the loop forever. Here the loop is chapter 3's
//! `IOLoop`, the waker is `polling`'s notifier behind `RemoteLoop`, the
//! thread adds a callback every 200 ms, three times, and then stops the
//! loop, so the program ends by itself.
//!
//! Run it with `cargo run -p ch03-ioloop --example waker_thread`; the
//! article's program, on real Tornado, is `tests/tornado/ch03_waker_thread.py`
//! (the book's introduction lists the articles).

use std::time::Duration;

use ch03_ioloop::IOLoop;

fn test(a: i32, b: i32) {
    println!("run callback function test, args: {a} {b}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let io_loop = IOLoop::new()?;

    println!("add a callback function");
    io_loop.add_callback(|| test(2, 2));

    println!("start a thread to add callback function");
    // PY: the thread gets the IoLoop object itself; ours gets the one
    // thread-safe part of it.
    let remote = io_loop.remote();
    let thread = std::thread::spawn(move || {
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(200));
            println!("add callback (from the thread; this wakes the loop)");
            remote.add_callback(|| test(888, 999));
        }
        remote.add_callback(|| {
            println!("the thread is done: stop the loop");
            IOLoop::current().unwrap().stop();
        });
    });

    println!("start ioloop");
    io_loop.start()?; // sleeps in poll() until the thread wakes it
    thread.join().expect("the thread ends");
    io_loop.close(true);
    Ok(())
}
