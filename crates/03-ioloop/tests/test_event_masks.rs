//! The mask a handler receives is epoll's, unchanged, even when `polling`
//! folds a hang-up or an error into "readable and writable" (see
//! `poller.rs`, `tornado_mask`). Real Tornado 4.5.3's masks for the same
//! descriptors are in the `ch03_event_masks` twin.

use std::cell::RefCell;
use std::net::UdpSocket;
use std::os::fd::AsFd;
use std::rc::Rc;

use ch03_ioloop::{FakeClock, IOLoop};

/// The masks `fd`'s handler receives in the first iteration with events.
fn first_masks(fd: &impl AsFd, events: u32) -> Vec<u32> {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    let masks = Rc::new(RefCell::new(Vec::new()));
    let (m, lp) = (masks.clone(), io_loop.clone());
    io_loop
        .add_handler(
            fd,
            move |_, events| {
                m.borrow_mut().push(events);
                lp.stop();
            },
            events,
        )
        .unwrap();
    io_loop.start().unwrap();
    io_loop.remove_handler(fd.as_fd());
    io_loop.close(true);
    masks.take()
}

/// A pipe's read end whose writer closed, with nothing to read: `EPOLLHUP`
/// alone (`0x10`), no READ, as 4.5.3 passes it (we used to add READ).
#[test]
fn a_hangup_alone_is_0x10_without_read() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(writer);
    assert_eq!(first_masks(&reader, IOLoop::READ), [0x10]);
}

/// A connected UDP socket refused by an ICMP message: `EPOLLERR` alone
/// (`0x8`), as 4.5.3 passes it (we used to add READ).
#[test]
fn an_error_alone_is_0x8_without_read() {
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    let closed_port = probe.local_addr().unwrap().port();
    drop(probe);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(("127.0.0.1", closed_port)).unwrap();
    socket.send(b"ping").unwrap();
    assert_eq!(first_masks(&socket, IOLoop::READ), [0x8]);
}

/// Data left in a pipe whose writer closed: `READ | EPOLLHUP` (`0x11`).
#[test]
fn data_beside_a_hangup_is_read_and_0x10() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    rustix::io::write(&writer, b"x").unwrap();
    drop(writer);
    assert_eq!(first_masks(&reader, IOLoop::READ), [0x11]);
}

/// A pipe's write end whose reader closed, registered for WRITE: writable
/// and `EPOLLERR` (`0xc`), with no hang-up bit invented.
#[test]
fn a_write_end_without_reader_is_write_and_0x8() {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    assert_eq!(first_masks(&writer, IOLoop::WRITE), [0xc]);
}

/// Urgent TCP data alone (`EPOLLPRI`, which `polling` asks for and Tornado
/// does not): no handler runs, as under Tornado, whose epoll has no event.
/// The figure it prints is the price: the level-triggered poll returns at
/// once while the urgent byte is unread (docs/reliability.md).
#[test]
fn urgent_data_alone_runs_no_handler() {
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    rustix::net::send(&client, b"!", rustix::net::SendFlags::OOB).unwrap();

    let ((calls, polls), _) = ch00_trace::record(|| {
        let io_loop = IOLoop::new().unwrap();
        let calls = Rc::new(RefCell::new(0));
        let c = calls.clone();
        io_loop
            .add_handler(&server, move |_, _| *c.borrow_mut() += 1, IOLoop::READ)
            .unwrap();
        let lp = io_loop.clone();
        io_loop.call_later(0.05, move || lp.stop());
        let before = ch00_trace::iteration();
        io_loop.start().unwrap();
        let polls = ch00_trace::iteration() - before;
        io_loop.remove_handler(&server);
        io_loop.close(true);
        (calls.take(), polls)
    });
    eprintln!("urgent byte unread for 0.05 s: {calls} handler calls, {polls} polls");
    assert_eq!(calls, 0);
}
