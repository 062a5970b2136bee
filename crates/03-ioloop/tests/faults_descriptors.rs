//! Faults around file descriptors: what `close()` and dropped loops release
//! (counted in `/proc/self/fd`), descriptors closed or reused behind the
//! loop's back, a peer that closes mid-read, and a process out of
//! descriptors. No Tornado test ports these; each case was first run under
//! Tornado 4.5.3 where the header of its part says so.
//!
//! Its own test binary, and every test takes `testkit::serial()` first: descriptor
//! numbers and the count of `/proc/self/fd` are process-wide, so no other
//! test may open or close a descriptor while one of these runs.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ch00_trace::EventKind;
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop, IOLoopError};
use testkit::{open_fds, serial};

// ----------------------------------------------------------------------
// Fault: `close(true)` on a loop in full use (16 handlers whose closures own
// their sockets, queued callbacks, pending timeouts, a thread still adding
// callbacks through a `RemoteLoop`) releases every descriptor: the count of
// `/proc/self/fd` is back where it was before the loop was made.
//
// (`close_releases_every_descriptor_it_opened`, below, shows an idle loop
// and one handler.)

const HANDLERS: usize = 16;

#[test]
fn close_on_a_busy_loop_releases_every_descriptor() {
    let _serial = serial();
    let before = open_fds();
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let mut peers = Vec::new();
    for _ in 0..HANDLERS {
        let (socket, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        let socket = Rc::new(socket);
        let owned = socket.clone();
        io_loop
            .add_handler(
                &*socket,
                move |_, _| {
                    let _owned = &owned;
                },
                IOLoop::READ,
            )
            .unwrap();
        peers.push(peer); // held by the test; the handlers own the other ends
    }
    // Pending work that close() must drop.
    for _ in 0..100 {
        io_loop.add_callback(|| ());
        io_loop.call_later(60.0, || ());
    }
    // A thread that keeps adding until told to stop, before and after close().
    let remote = io_loop.remote();
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut added = 0u64;
        while !s.load(Ordering::Relaxed) || added < 1000 {
            remote.add_callback(|| ());
            added += 1;
        }
        drop(remote);
    });
    // One iteration runs, with everything in flight.
    let lp = io_loop.clone();
    io_loop.add_callback(move || lp.stop());
    io_loop.start().unwrap();
    let during = open_fds();
    assert_eq!(
        during,
        before + 3 + 3 * HANDLERS,
        "epoll, eventfd, timerfd, 16 pairs, the loop's duplicate of each registered end"
    );

    io_loop.close(true);
    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap(); // its add_callback calls after close() were ignored
    drop(peers);
    IOLoop::clear_current();
    assert_eq!(open_fds(), before, "every descriptor released");
}

// ----------------------------------------------------------------------
// `close()` releases every descriptor the loop opened (Tornado 4.5.3's
// `PollIOLoop.close`: "self._waker.close(); self._impl.close()"), and with
// `all_fds = true` the handlers' sockets close too.

fn is_open(fd: i32) -> bool {
    Path::new(&format!("/proc/self/fd/{fd}")).exists()
}

#[test]
fn close_releases_every_descriptor_it_opened() {
    let _serial = serial();
    let before = open_fds();
    for _ in 0..3 {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        assert!(open_fds() > before, "a loop opens its poller's descriptors");
        let remote = io_loop.remote(); // a handle held elsewhere must not keep them open
        let lp = io_loop.clone();
        io_loop.add_callback(move || lp.stop());
        io_loop.start().unwrap();
        io_loop.close(false);
        assert_eq!(open_fds(), before, "close(false) released the poller");
        drop(remote);
        IOLoop::clear_current();
    }

    // close(true): the handlers go, and with them the sockets they own.
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    let fd = socket.as_raw_fd();
    let socket = Rc::new(socket);
    let (lp, owned) = (io_loop.clone(), socket.clone());
    io_loop
        .add_handler(
            &socket,
            move |_, _| {
                let _owned = &owned;
                lp.stop();
            },
            IOLoop::READ,
        )
        .unwrap();
    drop(socket); // only the handler's closure owns the socket now
    io_loop.start().unwrap();
    assert!(is_open(fd));
    io_loop.close(true);
    assert!(
        !is_open(fd),
        "close(true) dropped the handler, closing its socket"
    );
    drop(peer);
    IOLoop::clear_current();
    assert_eq!(open_fds(), before);
}

// ----------------------------------------------------------------------
// Fault: loops dropped without `close()` while work is pending, a
// `RemoteLoop` of each still held elsewhere. Dropping the last `IOLoop`
// handle does what `close(true)` does: the poller's descriptors and the
// loop's duplicates of registered descriptors are released, so 10,000 such
// loops leave the count of `/proc/self/fd` where it was.
//
// The pending work is the kind that used to hold the loop in a cycle: an
// `add_future` on a future that the loop's own timeout resolves (the
// done-callback held a strong handle to the loop), and a `run_sync` whose
// future never resolved (its stoppers held the loop).

const LOOPS: usize = 10_000;

/// 10,000 loops with timeouts, an `add_future` cycle, a pending `run_sync`
/// future, a handler and a kept `RemoteLoop`, each dropped without
/// `close()`: the descriptor count stays flat.
#[test]
fn loops_dropped_without_close_release_their_descriptors() {
    let _serial = serial();
    IOLoop::clear_current();
    let before = open_fds();
    let mut remotes = Vec::with_capacity(LOOPS);
    let mut peak = 0;
    for _ in 0..LOOPS {
        let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
        IOLoop::clear_current(); // the thread-local would keep it alive
        for _ in 0..3 {
            io_loop.call_later(60.0, || ());
        }
        // A future only the loop's timeout holds, whose done-callback
        // (add_future) remembers the loop.
        let future: Future<()> = Future::new();
        let resolve = future.clone();
        io_loop.call_later(30.0, move || resolve.set_result(()));
        io_loop.add_future(&future, |_| ());
        drop(future);
        // run_sync that times out: its future stays pending.
        let pending: Future<()> = Future::new();
        let kept = pending.clone();
        let timed_out = io_loop.run_sync(move || kept, Some(1.0));
        assert!(timed_out.is_err());
        // (`pending` only in a timeout: the run_sync closures hold it.)
        io_loop.call_later(10.0, move || drop(pending));
        // A registered socket, dropped by its owner after remove_handler is
        // forgotten: the loop's duplicate must go with the loop.
        let (socket, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        io_loop
            .add_handler(&socket, |_, _| (), IOLoop::READ)
            .unwrap();
        drop((socket, peer));
        remotes.push(io_loop.remote());
        peak = peak.max(open_fds());
        drop(io_loop);
        assert_eq!(open_fds(), before, "this loop's descriptors were released");
    }
    // epoll, eventfd, timerfd, a socket pair and the loop's duplicate.
    assert!(peak <= before + 6, "one loop at a time: peak {peak}");
    drop(remotes);
    assert_eq!(open_fds(), before);
}

// ----------------------------------------------------------------------
// Fault: a socket is dropped (closed) while its handler is still
// registered, behind the loop's back (the caller's half of the contract,
// "remove the handler before closing the descriptor", is broken).
//
// The loop registered its own duplicate of the descriptor, so the socket
// stays open, as Tornado 4.5.3 keeps a socket object alive in `_handlers`
// after the caller's `del sock`: the handler goes on being called while the
// socket is readable, and the peer sees no hang-up. When a new socket gets
// the old number, `add_handler` refuses it (`FileExistsError`: the number
// is in the table) and `remove_handler` by that number removes the old
// registration, closing the old connection; then the new socket is
// watched, and hears only its own events.

/// Runs the loop for one fake second: a handful of iterations.
fn run_one_second(io_loop: &IOLoop) {
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
}

/// A dropped registered socket stays open (the loop's duplicate) and its
/// handler keeps firing until `remove_handler` of its number, which closes it.
#[test]
fn a_socket_dropped_while_registered_stays_open_until_removed() {
    let _serial = serial();
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap(); // readable from now on (nobody reads)
    let old_fd = socket.as_raw_fd();
    let old_calls = Rc::new(Cell::new(0));
    let c = old_calls.clone();
    io_loop
        .add_handler(&socket, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    run_one_second(&io_loop);
    let before_drop = old_calls.get();
    assert!(before_drop >= 1);

    drop(socket); // closed without remove_handler
    run_one_second(&io_loop);
    assert!(
        old_calls.get() > before_drop,
        "the loop's duplicate keeps the socket readable and watched"
    );
    peer.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 1];
    let err = peer.read(&mut buf).unwrap_err();
    assert_eq!(
        err.kind(),
        std::io::ErrorKind::WouldBlock,
        "no hang-up: the connection is still open"
    );

    // A new socket gets the old number: the table still holds it.
    let (reused, _reused_peer) = UnixStream::pair().unwrap();
    assert_eq!(reused.as_raw_fd(), old_fd);
    let err = io_loop
        .add_handler(&reused, |_, _| (), IOLoop::READ)
        .unwrap_err();
    assert!(matches!(err, IOLoopError::FileExists));

    // remove_handler by that number ends the old registration and closes
    // the loop's duplicate: the old connection's last descriptor.
    io_loop.remove_handler(&reused);
    // (A reset rather than EOF: the socket closed with our "x" unread.)
    let closed = peer.read(&mut buf).unwrap_err();
    assert_eq!(
        closed.kind(),
        std::io::ErrorKind::ConnectionReset,
        "the peer sees the connection closed now"
    );

    // The new socket (nothing to read) hears nothing of the old one.
    let old_total = old_calls.get();
    let new_calls = Rc::new(Cell::new(0));
    let c = new_calls.clone();
    io_loop
        .add_handler(&reused, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    run_one_second(&io_loop);
    assert_eq!(new_calls.get(), 0);
    assert_eq!(old_calls.get(), old_total);
    io_loop.remove_handler(&reused);
    io_loop.close(true);
    IOLoop::clear_current();
}

// ----------------------------------------------------------------------
// Fault: a handler removes another handler whose event is already pending,
// closes that descriptor, and registers a new socket that gets the *same
// descriptor number*, all inside one dispatch.
//
// Tornado 4.5.3's `remove_handler` also deletes the fd's pending event
// (`self._events.pop(fd, None)`), so the stale readiness of the old socket
// cannot reach the new handler. (`test_remove_handler_from_handler` shows
// the removal alone; this adds the number's reuse, the case that makes the
// `_events.pop` matter.)

/// A readable socket and its peer, owned here so a handler can close them.
type Pair = Rc<RefCell<Option<(UnixStream, UnixStream)>>>;

fn readable_pair() -> Pair {
    let (socket, mut peer) = UnixStream::pair().unwrap();
    peer.write_all(b"x").unwrap();
    Rc::new(RefCell::new(Some((socket, peer))))
}

#[test]
fn a_removed_descriptor_reused_at_once_gets_no_stale_event() {
    let _serial = serial();
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (first, second) = (readable_pair(), readable_pair());
    let old_calls = Rc::new(Cell::new(0)); // calls of the two old handlers
    let new_calls = Rc::new(Cell::new(0)); // calls of the new socket's handler
    let numbers = Rc::new(Cell::new(None)); // (old fd, new fd)
    let replacement: Pair = Rc::new(RefCell::new(None));

    // Both are ready in the first poll. Whichever runs first removes the
    // other (whose event is pending), closes it, and registers a fresh, idle
    // socket, which the kernel gives the number just freed.
    for (me, other) in [(&first, &second), (&second, &first)] {
        let other = other.clone();
        let (lp, old_calls, new_calls) = (io_loop.clone(), old_calls.clone(), new_calls.clone());
        let (numbers, replacement) = (numbers.clone(), replacement.clone());
        let handler = move |_, _| {
            old_calls.set(old_calls.get() + 1);
            let (old, old_peer) = other.borrow_mut().take().expect("not replaced yet");
            lp.remove_handler(&old);
            let old_fd = old.as_raw_fd();
            drop(old); // closes the old descriptor; the peer stays open for now
            let (new, new_peer) = UnixStream::pair().unwrap();
            numbers.set(Some((old_fd, new.as_raw_fd())));
            let c = new_calls.clone();
            lp.add_handler(&new, move |_, _| c.set(c.get() + 1), IOLoop::READ)
                .unwrap();
            *replacement.borrow_mut() = Some((new, new_peer));
            drop(old_peer);
        };
        let guard = me.borrow();
        let (socket, _) = guard.as_ref().unwrap();
        io_loop.add_handler(socket, handler, IOLoop::READ).unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop()); // a few idle iterations later
    io_loop.start().unwrap();

    let (old_fd, new_fd) = numbers.get().expect("a handler ran");
    assert_eq!(new_fd, old_fd, "the new socket reuses the closed number");
    assert_eq!(old_calls.get(), 1, "the removed handler never ran");
    assert_eq!(
        new_calls.get(),
        0,
        "the old socket's pending READ did not reach the new one"
    );

    // The new handler works: data on the new socket reaches it.
    {
        let mut guard = replacement.borrow_mut();
        let (_, new_peer) = guard.as_mut().unwrap();
        new_peer.write_all(b"y").unwrap();
    }
    let lp = io_loop.clone();
    io_loop.call_later(1.0, move || lp.stop());
    io_loop.start().unwrap();
    assert!(new_calls.get() >= 1);

    for pair in [&first, &second, &replacement] {
        if let Some((socket, _)) = pair.borrow().as_ref() {
            io_loop.remove_handler(socket);
        }
    }
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Fault: the registered descriptor is a duplicate, closed behind the loop's
// back while the original keeps the socket open; its number is reused by a
// new socket that gets its own handler.
//
// Tornado 4.5.3 on epoll (checked by running it): epoll keeps the old
// registration under the closed number, because the open file is still
// open; `remove_handler` cannot reach it any more (`unregister` of the
// number finds the new file), and its events are reported under the same
// number, so they go to the *new* handler. While the old socket stays
// readable the level-triggered loop never sleeps again: 36,961 calls of
// the new handler in 0.2 s of a loop with nothing to do.
//
// Here the loop registers its own duplicate, which nobody else can close,
// so no registration outlives its descriptor: the new handler hears
// nothing and the loop sleeps.

/// Tornado's stale-registration case: the new handler gets no event of the
/// old socket, and the loop does not spin (polls counted over 0.2 s).
#[test]
fn a_stale_registration_neither_reaches_the_new_handler_nor_spins() {
    let _serial = serial();
    let io_loop = IOLoop::new().unwrap(); // system clock: spinning would show
    let (socket, mut peer) = UnixStream::pair().unwrap();
    let duplicate = socket.try_clone().unwrap();
    let old_fd = duplicate.as_raw_fd();
    let old_calls = Rc::new(Cell::new(0));
    let c = old_calls.clone();
    io_loop
        .add_handler(&duplicate, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();
    drop(duplicate); // behind the loop's back; `socket` keeps the file open
    peer.write_all(b"x").unwrap(); // the old socket is readable for good

    let (reused, _reused_peer) = UnixStream::pair().unwrap();
    assert_eq!(reused.as_raw_fd(), old_fd, "the number was reused");
    io_loop.remove_handler(&reused); // clears the old entry, as in Tornado
    let new_calls = Rc::new(Cell::new(0));
    let c = new_calls.clone();
    io_loop
        .add_handler(&reused, move |_, _| c.set(c.get() + 1), IOLoop::READ)
        .unwrap();

    let lp = io_loop.clone();
    io_loop.call_later(0.2, move || lp.stop());
    let ((), recording) = ch00_trace::record(|| io_loop.start().unwrap());
    let polls = recording
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Poll)
        .count();
    println!("polls in 0.2 s: {polls}");
    assert_eq!(new_calls.get(), 0, "no event of the old socket");
    assert_eq!(old_calls.get(), 0, "the old handler was removed");
    assert!(
        polls <= 3,
        "the loop slept until its timeout: {polls} polls"
    );

    io_loop.remove_handler(&reused);
    io_loop.close(true);
    IOLoop::clear_current();
    drop((socket, peer));
}

// ----------------------------------------------------------------------
// Fault: the peer closes the connection while the handler is half-way
// through reading what it sent.
//
// The peer sends 10 bytes; the handler reads 4 at a time. During its first
// call the peer closes. The loop is level-triggered (as Tornado's epoll
// loop), so the handler is called again while bytes remain, now with the
// hang-up bit: `READ | 0x10` (half of `ERROR`), exactly the mask Tornado
// 4.5.3 hands over. The data sent before the close is all delivered, then
// `read` returns 0 (end of file) and the handler removes itself, as
// Tornado's `IOStream` does on a closed connection. The loop lives on.

#[test]
fn a_peer_closing_mid_read_delivers_the_rest_then_eof() {
    let _serial = serial();
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let (socket, mut peer) = UnixStream::pair().unwrap();
    socket.set_nonblocking(true).unwrap();
    peer.write_all(b"0123456789").unwrap();
    let socket = Rc::new(socket);
    let peer = Rc::new(RefCell::new(Some(peer)));
    // (bytes read, mask) per call
    let calls = Rc::new(RefCell::new(Vec::new()));

    let (me, lp, c, p) = (socket.clone(), io_loop.clone(), calls.clone(), peer.clone());
    io_loop
        .add_handler(
            &*socket,
            move |_, events| {
                let mut buf = [0u8; 4];
                let n = (&*me).read(&mut buf).expect("readable");
                c.borrow_mut().push((n, events));
                // The peer goes away in the middle of the transfer.
                drop(p.borrow_mut().take());
                if n == 0 {
                    // End of file: stop listening, as IOStream.close() does.
                    lp.remove_handler(&*me);
                    let stopper = lp.clone();
                    lp.add_callback(move || stopper.stop());
                }
            },
            IOLoop::READ,
        )
        .unwrap();
    io_loop.start().unwrap();

    const HUP: u32 = 0x10;
    assert_eq!(
        *calls.borrow(),
        [
            (4, IOLoop::READ),       // before the close
            (4, IOLoop::READ | HUP), // the rest, with the hang-up
            (2, IOLoop::READ | HUP),
            (0, IOLoop::READ | HUP), // end of file: the handler removes itself
        ]
    );
    assert_ne!((IOLoop::READ | HUP) & IOLoop::ERROR, 0);

    // The loop lives: it runs a callback after all this.
    let (ran, lp) = (Rc::new(RefCell::new(false)), io_loop.clone());
    let r = ran.clone();
    io_loop.add_callback(move || {
        *r.borrow_mut() = true;
        lp.stop();
    });
    io_loop.start().unwrap();
    assert!(*ran.borrow());
    io_loop.close(true);
}

// ----------------------------------------------------------------------
// Fault: the process is out of file descriptors when a loop is needed.
// `IOLoop::current()` with no current loop must make one, and making its
// poller fails (`EMFILE`): it returns `OSError: Too many open files`
// instead of panicking, and works again once descriptors are free.
// (Tornado 4.5.3's `IOLoop.current()` raises the `OSError` of `epoll()`.)
//
// The test re-runs itself in a child process whose descriptor limit is
// lowered with the shell's `ulimit -n`, then uses up every descriptor
// there: the test process itself is left alone.

const CHILD: &str = "CH03_NO_DESCRIPTORS_CHILD";
const TEST: &str = "current_returns_an_error_when_no_poller_can_be_made";

/// `IOLoop::current()` out of descriptors is an `Err(OSError)`, not a panic.
#[test]
fn current_returns_an_error_when_no_poller_can_be_made() {
    let _serial = serial();
    if std::env::var_os(CHILD).is_some() {
        return out_of_descriptors();
    }
    let output = testkit::rerun_this_test(TEST, CHILD, Some(64));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("current() failed: OSError: Too many open files"),
        "{stdout}"
    );
}

/// The child's half: runs under `ulimit -n 64`.
fn out_of_descriptors() {
    IOLoop::clear_current();
    let mut files = Vec::new();
    let exhausted = loop {
        match File::open("/dev/null") {
            Ok(file) => files.push(file),
            Err(err) => break err,
        }
    };
    assert_eq!(exhausted.raw_os_error(), Some(24), "EMFILE");
    let err = IOLoop::current().unwrap_err();
    println!("current() failed: {err}");
    assert!(matches!(err, IOLoopError::Io(_)));
    assert!(
        IOLoop::try_current().is_none(),
        "no half-made loop is current"
    );
    drop(files);
    assert!(
        IOLoop::current().is_ok(),
        "works again with descriptors free"
    );
}
