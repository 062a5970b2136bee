//! The chapter's recorded programs.
//!
//! Each is a port of a Python program under `tests/tornado/` (its *twin*),
//! run under real Tornado 4.5.3 to produce `tests/tornado/expected/4.5.3/`.
//! The lines they print with `say!` must equal the twin's, iteration number
//! included; `tests/snapshots/` keeps the full recordings, machinery and
//! all. Every program uses a [`FakeClock`], so timeouts cost no real time.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::RawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::sync::{Arc, Barrier};

use ch00_trace::{Scenario, say};
use ch01_yield::{Exception, PyError};

use ch02_future::Future;

use crate::{FakeClock, IOLoop};

/// Every scenario of the chapter, in the order the tour shows them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch03_iteration_order",
        title: "One iteration: callbacks, then due timeouts, then fd handlers",
        twin: Some("ch03_iteration_order"),
        run: iteration_order,
    },
    Scenario {
        name: "ch03_equal_deadlines",
        title: "Timeouts with equal deadlines run in insertion order",
        twin: Some("ch03_equal_deadlines"),
        run: equal_deadlines,
    },
    Scenario {
        name: "ch03_remove_timeout",
        title: "remove_timeout is lazy; a timeout removed in its own iteration does not run",
        twin: Some("ch03_remove_timeout"),
        run: remove_timeout,
    },
    Scenario {
        name: "ch03_stop_start",
        title: "stop() before start(), stop() in the middle of a batch, start() inside start()",
        twin: Some("ch03_stop_start"),
        run: stop_start,
    },
    Scenario {
        name: "ch03_run_sync",
        title: "run_sync: a result, an error, and a timeout on a fake clock",
        twin: Some("ch03_run_sync"),
        run: run_sync,
    },
    Scenario {
        name: "ch03_callback_errors",
        title: "A panicking callback, an Err callback, a failing handler: logged, the loop goes on",
        twin: Some("ch03_callback_errors"),
        run: callback_errors,
    },
    Scenario {
        name: "ch03_waker_thread",
        title: "The generator article: another thread adds callbacks and wakes the sleeping loop",
        twin: Some("ch03_waker_thread"),
        run: waker_thread,
    },
    Scenario {
        name: "ch03_read_handler",
        title: "The async-in-Tornado article: a READ handler on a TCP connection, until the peer closes",
        twin: Some("ch03_read_handler"),
        run: read_handler,
    },
    Scenario {
        name: "ch03_event_masks",
        title: "A handler gets epoll's mask unchanged: a hang-up alone (0x10), an error alone (0x8)",
        twin: Some("ch03_event_masks"),
        run: event_masks,
    },
    Scenario {
        name: "ch03_report_after_batch",
        title: "A failed future nobody looked at is reported when the loop lets go of it",
        twin: Some("ch03_report_after_batch"),
        run: report_after_batch,
    },
];

/// The twins' `new_loop()`: a fresh loop, made current; here on a fake clock.
fn new_loop() -> IOLoop {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).expect("a new IOLoop");
    io_loop.make_current();
    io_loop
}

/// Closes the loop (dropping every closure that holds a clone of it) and
/// leaves the thread without a current loop, ready for the next program.
fn done(io_loop: IOLoop) {
    io_loop.close(true);
    IOLoop::clear_current();
}

// ANCHOR: iteration_order
/// `tests/tornado/ch03_iteration_order.py`: one iteration's order.
fn iteration_order() {
    let io_loop = new_loop();
    let (r, mut w) = UnixStream::pair().expect("a socket pair");
    w.write_all(b"x").expect("one byte"); // r is readable from the very beginning
    let r = Rc::new(r);
    let past = io_loop.time() - 1.0; // a deadline that is already due

    let lp = io_loop.clone();
    let a = move || {
        say!("A (callback #1)");
        lp.add_callback(|| say!("A2 (callback added by callback A)"));
        lp.add_timeout(past, || {
            say!("TA (already-due timeout added by callback A)")
        });
    };
    let b = || say!("B (callback #2)");
    let lp = io_loop.clone();
    let t1 = move || {
        say!("T1 (already-due timeout registered before start)");
        lp.add_callback(|| say!("T1c (callback added by timeout T1)"));
        lp.add_timeout(past, || {
            say!("T1t (already-due timeout added by timeout T1)")
        });
    };
    let (lp, reader) = (io_loop.clone(), r.clone());
    let h = move |_fd: RawFd, events: u32| {
        say!("H (fd handler) events={events}");
        lp.remove_handler(&reader);
        lp.add_callback(|| say!("Hc (callback added by fd handler)"));
    };

    io_loop.add_callback(a);
    io_loop.add_timeout(past, t1);
    io_loop.add_callback(b);
    io_loop.add_handler(&r, h, IOLoop::READ).expect("a handler");
    let lp = io_loop.clone();
    io_loop.add_timeout(io_loop.time() + 0.1, move || lp.stop());
    io_loop.start().expect("the loop runs");
    done(io_loop);
}
// ANCHOR_END: iteration_order

/// `tests/tornado/ch03_equal_deadlines.py`.
fn equal_deadlines() {
    let io_loop = new_loop();
    let when = io_loop.time() - 1.0; // already due: they all run in the first iteration
    for i in 0..6 {
        io_loop.add_timeout(when, move || {
            say!("timeout {i} (deadline `when`, added #{i})")
        });
    }
    io_loop.add_timeout(when - 0.5, || {
        say!("an earlier deadline, added last: runs first")
    });
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        say!("a callback adds call_later(0) four times, then call_later(0, stop)");
        for i in 0..4 {
            lp.call_later(0.0, move || say!("call_later(0) #{i}"));
        }
        let stopper = lp.clone();
        lp.call_later(0.0, move || stopper.stop());
    });
    io_loop.start().expect("the loop runs");
    done(io_loop);
}

/// `tests/tornado/ch03_remove_timeout.py`.
fn remove_timeout() {
    let io_loop = new_loop();
    let past = io_loop.time() - 1.0;
    let heap = |lp: &IOLoop| {
        format!(
            "heap={} cancellations={}",
            lp.timeouts_len(),
            lp.cancellations()
        )
    };
    // Handles are filled in after the closures that use them are made.
    let b_handle = Rc::new(RefCell::new(None));
    let d_handle = Rc::new(RefCell::new(None));
    let e_handle = Rc::new(RefCell::new(None));
    let f_handle = Rc::new(RefCell::new(None));

    let (lp, b) = (io_loop.clone(), b_handle.clone());
    let a = move || {
        say!("A fires and removes B (due in this same iteration)");
        if let Some(b) = b.borrow().as_ref() {
            lp.remove_timeout(b);
        }
    };
    let (lp, d, f) = (io_loop.clone(), d_handle.clone(), f_handle.clone());
    let after = move || {
        say!("D already fired: removing it again is harmless");
        for handle in [&d, &f] {
            if let Some(h) = handle.borrow().as_ref() {
                lp.remove_timeout(h);
            }
        }
        say!("F removed, the entry stays: {}", heap(&lp));
        lp.stop();
    };
    let lp = io_loop.clone();
    let d = move || {
        say!("D fires");
        lp.add_callback(after);
    };

    io_loop.add_timeout(past - 0.3, a);
    *b_handle.borrow_mut() = Some(io_loop.add_timeout(past - 0.2, || say!("B fires (never)")));
    let c = io_loop.add_timeout(past - 0.1, || say!("C fires (never)"));
    *d_handle.borrow_mut() = Some(io_loop.add_timeout(past, d));
    *e_handle.borrow_mut() = Some(io_loop.add_timeout(past, || say!("E fires (never)")));
    let far = io_loop.time() + 3600.0;
    *f_handle.borrow_mut() = Some(io_loop.add_timeout(far, || say!("F fires (never)")));
    io_loop.remove_timeout(&c);
    say!("C removed before start: {}", heap(&io_loop));
    let (lp, e) = (io_loop.clone(), e_handle);
    io_loop.add_callback(move || {
        say!("a callback removes E (due, already chosen for this iteration)");
        if let Some(e) = e.borrow().as_ref() {
            lp.remove_timeout(e);
        }
    });
    io_loop.start().expect("the loop runs");
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().expect("the loop runs");
    say!(
        "one more iteration popped F from the head: {}",
        heap(&io_loop)
    );
    done(io_loop);
}

// ANCHOR: stop_start
/// `tests/tornado/ch03_stop_start.py`: stop and start.
fn stop_start() {
    let io_loop = new_loop();

    say!("-- stop() before start(): start() returns at once");
    io_loop.add_callback(|| say!("cb queued before stop()+start()"));
    io_loop.stop();
    io_loop.start().expect("start");
    say!("start() returned");

    say!("-- second start(): the pending callback now runs");
    io_loop.add_callback(|| say!("stopper"));
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().expect("start");
    say!("start() returned");

    say!("-- stop() in the middle of a batch");
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        say!("s1 calls stop()");
        lp.stop();
        lp.add_callback(|| say!("added-after-stop (next batch)"));
    });
    io_loop.add_callback(|| say!("s2 same batch after stop()"));
    io_loop.add_timeout(io_loop.time() - 1.0, || {
        say!("due timeout in same iteration after stop()")
    });
    io_loop.start().expect("start");
    say!("start() returned");

    say!("-- restart: the leftover callback runs");
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().expect("start");

    say!("-- re-entrant start()");
    let lp = io_loop.clone();
    io_loop.add_callback(move || {
        match lp.start() {
            Ok(()) => say!("nested start returned"),
            Err(err) => say!("nested start raised {err}"),
        }
        lp.stop();
    });
    io_loop.start().expect("start");
    say!("start() returned");
    done(io_loop);
}
// ANCHOR_END: stop_start

// ANCHOR: run_sync
/// `tests/tornado/ch03_run_sync.py`: `run_sync`, the parts a Future can show.
fn run_sync() {
    let io_loop = new_loop();
    let report = |outcome: Result<i32, Exception>| match outcome {
        Ok(value) => say!("run_sync returned {value}"),
        Err(exc) => say!("run_sync raised {exc}"),
    };

    let lp = io_loop.clone();
    report(io_loop.run_sync(
        move || {
            say!("func runs in the loop; its future resolves one callback later");
            let future = Future::new();
            let f = future.clone();
            lp.add_callback(move || f.set_result(42));
            future
        },
        None,
    ));

    let lp = io_loop.clone();
    report(io_loop.run_sync(
        move || {
            let future = Future::new();
            let f = future.clone();
            lp.add_callback(move || f.set_exception(PyError::new("ValueError", "bad")));
            future
        },
        None,
    ));

    report(io_loop.run_sync(
        || {
            say!("func returns a future that nobody resolves");
            Future::new()
        },
        Some(0.05),
    ));
    done(io_loop);
}
// ANCHOR_END: run_sync

// ANCHOR: callback_errors
/// `tests/tornado/ch03_callback_errors.py`: errors in callbacks.
fn callback_errors() {
    let io_loop = new_loop();
    let (r, mut w) = UnixStream::pair().expect("a socket pair");
    w.write_all(b"x").expect("one byte");
    let r = Rc::new(r);

    io_loop.add_callback::<()>(|| {
        say!("callback 1 fails");
        panic!("callback 1 failed"); // a panic...
    });
    io_loop.add_callback(|| {
        say!("callback 2 fails");
        Err(PyError::new("KeyError", "'callback 2 failed'")) // ...or an Err
    });
    io_loop.add_callback(|| say!("callback 3 still runs in the same batch"));
    io_loop.add_callback(|| {
        say!("callback 4 returns a failed future: logged one iteration later");
        let future = Future::<()>::new();
        // A fresh future: it cannot be done already.
        let _ = future.set_exception(PyError::new("ValueError", "the future failed"));
        future
    });
    io_loop.add_timeout(io_loop.time() - 1.0, || {
        say!("a due timeout fails");
        Err(PyError::new("ZeroDivisionError", "the timeout failed"))
    });
    let (lp, reader) = (io_loop.clone(), r.clone());
    let failing_handler = move |_fd, _events| -> Result<(), Exception> {
        say!("the handler reads 1 byte, removes itself and fails");
        (&*reader).read_exact(&mut [0u8; 1])?;
        lp.remove_handler(&reader);
        let stopper = lp.clone();
        lp.add_callback(move || {
            say!("the loop is still alive: stop");
            stopper.stop();
        });
        Err(PyError::new("OSError", "the handler failed").into())
    };
    io_loop
        .add_handler(&r, failing_handler, IOLoop::READ)
        .expect("a handler");
    io_loop.start().expect("the loop runs");
    done(io_loop);
}
// ANCHOR_END: callback_errors

// ANCHOR: waker_thread
/// `tests/tornado/ch03_waker_thread.py`: the generator article's loop and its thread.
///
/// The article's thread adds a callback every ten seconds, forever. Ours adds
/// two per round, three rounds; a barrier makes each round happen at the
/// same point of the loop in every run, so the recording never changes.
fn waker_thread() {
    fn test(a: i32, b: i32) {
        say!("run callback function test, args: {a} {b}");
    }
    fn let_thread_add(round: u32, barrier: &Barrier) {
        say!("round {round}: the loop lets the thread add two callbacks");
        barrier.wait(); // the thread may add now
        barrier.wait(); // the thread has added them
    }

    let io_loop = new_loop();
    let barrier = Arc::new(Barrier::new(2));

    say!("add a callback function");
    io_loop.add_callback(|| test(2, 2));
    say!("start a thread to add callback function");
    let remote = io_loop.remote();
    let b = barrier.clone();
    let thread = std::thread::spawn(move || {
        for round in 1..=3 {
            b.wait();
            remote.add_callback(|| test(888, 999));
            if round < 3 {
                let b = b.clone();
                remote.add_callback(move || let_thread_add(round + 1, &b));
            } else {
                remote.add_callback(|| IOLoop::current().unwrap().stop());
            }
            b.wait();
        }
    });
    io_loop.add_callback(move || let_thread_add(1, &barrier));
    say!("start ioloop");
    io_loop.start().expect("the loop runs");
    thread.join().expect("the thread ends");
    say!("ioloop stopped, thread joined");
    done(io_loop);
}
// ANCHOR_END: waker_thread

// ANCHOR: read_handler
/// `tests/tornado/ch03_read_handler.py`: the async-in-Tornado article's `handle_data`.
fn read_handler() {
    let io_loop = new_loop();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
    listener.set_nonblocking(true).expect("non-blocking");
    let mut client =
        TcpStream::connect(listener.local_addr().expect("its address")).expect("a connection");
    client.write_all(b"hello\n").expect("hello");
    say!("client connected and sent hello");
    let client = Rc::new(RefCell::new(Some(client)));
    let listener = Rc::new(listener);

    let (lp, server) = (io_loop.clone(), listener.clone());
    let accept = move |_fd, events| -> Result<(), Exception> {
        let (conn, _) = server.accept()?;
        conn.set_nonblocking(true)?;
        say!("accept: events={events}, a new connection");
        lp.remove_handler(&server);
        let conn = Rc::new(conn);
        let (lp2, conn2, client) = (lp.clone(), conn.clone(), client.clone());
        let handle_data = move |_fd, events| -> Result<(), Exception> {
            let mut buf = [0u8; 1024];
            let n = (&*conn2).read(&mut buf)?;
            if n > 0 {
                let text = String::from_utf8_lossy(&buf[..n]);
                say!(
                    "handle_data: events={events}, read {n} bytes: {}",
                    text.trim()
                );
                drop(client.borrow_mut().take()); // closes the client's socket
                say!("the client closes its socket");
            } else {
                say!("handle_data: events={events}, read 0 bytes: the peer closed");
                lp2.remove_handler(&conn2);
                lp2.stop();
            }
            Ok(())
        };
        lp.add_handler(&conn, handle_data, IOLoop::READ)?;
        Ok(())
    };
    io_loop
        .add_handler(&listener, accept, IOLoop::READ)
        .expect("a handler");
    say!("start ioloop");
    io_loop.start().expect("the loop runs");
    say!("ioloop stopped");
    done(io_loop);
}
// ANCHOR_END: read_handler

/// `tests/tornado/ch03_event_masks.py`: epoll's mask, unchanged, for a
/// hang-up alone, an error alone, and data beside a hang-up.
fn event_masks() {
    use std::net::UdpSocket;
    let io_loop = new_loop();
    let pipe = || rustix::pipe::pipe().expect("a pipe");
    let (empty_r, empty_w) = pipe();
    drop(empty_w);
    let (full_r, full_w) = pipe();
    rustix::io::write(&full_w, b"x").expect("one byte");
    drop(full_w);
    let probe = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    let closed_port = probe.local_addr().expect("its address").port();
    drop(probe);
    let udp = Rc::new(UdpSocket::bind("127.0.0.1:0").expect("a UDP socket"));
    let full_r = Rc::new(full_r);
    let empty_r = Rc::new(empty_r);

    let (lp, full) = (io_loop.clone(), full_r.clone());
    let on_full_pipe = move |_fd: RawFd, events: u32| {
        say!("pipe, writer closed, one byte left: events={events:#x}");
        lp.remove_handler(&*full);
        lp.stop();
    };
    let (lp, full, socket) = (io_loop.clone(), full_r.clone(), udp.clone());
    let mut on_full_pipe = Some(on_full_pipe);
    let on_refused_udp = move |_fd: RawFd, events: u32| -> Result<(), Exception> {
        say!("udp socket refused by ICMP: events={events:#x}");
        lp.remove_handler(&*socket);
        if let Some(next) = on_full_pipe.take() {
            lp.add_handler(&*full, next, IOLoop::READ)?;
        }
        Ok(())
    };
    let (lp, socket, empty) = (io_loop.clone(), udp.clone(), empty_r.clone());
    let mut on_refused_udp = Some(on_refused_udp);
    let on_empty_pipe = move |_fd: RawFd, events: u32| -> Result<(), Exception> {
        say!("pipe, writer closed, nothing to read: events={events:#x}");
        lp.remove_handler(&*empty);
        socket.connect(("127.0.0.1", closed_port))?;
        socket.send(b"ping")?;
        say!("udp socket sent a datagram to a closed port");
        if let Some(next) = on_refused_udp.take() {
            lp.add_handler(&*socket, next, IOLoop::READ)?;
        }
        Ok(())
    };
    io_loop
        .add_handler(&*empty_r, on_empty_pipe, IOLoop::READ)
        .expect("a handler");
    io_loop.start().expect("the loop runs");
    done(io_loop);
}

/// A future failed with `ValueError: why`.
fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why))
}

/// `tests/tornado/ch03_report_after_batch.py`: a due timeout's callback
/// lives until the batch ends (or as long as its handle is kept), a removed
/// one goes at once, and a handler's
/// returned future is dropped as soon as the handler returns.
fn report_after_batch() {
    let io_loop = new_loop();
    let (reader, writer) = rustix::pipe::pipe().expect("a pipe");
    let (reader, writer) = (Rc::new(reader), Rc::new(writer));

    let (lp, w) = (io_loop.clone(), writer.clone());
    let wake_the_handler = move || {
        rustix::io::write(&*w, b"x").expect("one byte");
        say!("a byte for the handler");
    };
    let kept: Rc<RefCell<Vec<crate::TimeoutHandle>>> = Rc::default();
    let let_go = kept.clone();
    let let_go_of_the_kept_timeout = move || {
        say!("letting go of the timeout that ran");
        let_go.borrow_mut().clear();
        say!("let go");
    };
    let remove_a_timeout = move || {
        let held = failed("held by a removed timeout's callback");
        let timeout = lp.add_timeout(lp.time() + 100.0, move || drop(held));
        say!("removing a pending timeout");
        lp.remove_timeout(&timeout);
        say!("removed");
        lp.add_timeout(lp.time() - 1.0, wake_the_handler);
        lp.add_callback(let_go_of_the_kept_timeout);
    };
    let lp = io_loop.clone();
    let add_two_timeouts = move || {
        let held = failed("held by timeout 1's callback");
        lp.add_timeout(lp.time() - 1.0, move || {
            let _held = held;
            say!("timeout 1 runs");
        });
        lp.add_timeout(lp.time() - 1.0, || say!("timeout 2 runs"));
        let held = failed("held by a kept timeout's callback");
        kept.borrow_mut()
            .push(lp.add_timeout(lp.time() - 1.0, move || {
                let _held = held;
                say!("kept timeout runs");
            }));
        lp.add_callback(remove_a_timeout);
        say!("three due timeouts added, one of them kept");
    };
    let (lp, handled) = (io_loop.clone(), reader.clone());
    let handler = move |_fd: RawFd, _events: u32| {
        say!("the handler returns a failed future");
        lp.remove_handler(&*handled);
        let stopper = lp.clone();
        lp.add_callback(move || stopper.stop());
        failed("returned by the handler")
    };
    io_loop
        .add_handler(&*reader, handler, IOLoop::READ)
        .expect("a handler");
    io_loop.add_callback(add_two_timeouts);
    io_loop.start().expect("the loop runs");
    say!("stopped");
    drop(writer);
    done(io_loop);
}
