//! The glue between Tornado's `_impl` (an `epoll` object) and the `polling` crate.
//!
//! This small module is the only place in the crate allowed to use `unsafe`,
//! and it does so once, in [`Poller::register`].
//!
//! # The invariant
//!
//! `polling` asks (`Poller::add` is an `unsafe fn`) that a descriptor be
//! deleted from the poller before it is closed: on some back-ends the poller
//! would otherwise keep reporting a descriptor number that may by then name
//! another file. The IOLoop keeps that promise for everything it controls:
//!
//! - `remove_handler` deletes the descriptor from the poller (Tornado's
//!   `_impl.unregister(fd)`);
//! - `close()` drops the poller, which forgets every registration at once,
//!   *before* it drops the handlers (whose closures usually own the sockets,
//!   so dropping them closes the descriptors).
//!
//! The rest is the caller's side of the contract, word for word Tornado's:
//! remove a handler before closing its descriptor. On Linux (epoll) and the
//! BSDs (kqueue) breaking it cannot cause undefined behaviour: the kernel
//! removes a closed descriptor from the interest list by itself.
//!
//! # Level-triggered, as Tornado's epoll
//!
//! Tornado registers descriptors with `epoll.register(fd, events | ERROR)`,
//! without `EPOLLET`: level-triggered, so a socket with unread data is
//! reported at every poll until it is read. We ask `polling` for the same
//! with [`PollMode::Level`].

#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::sync::Arc;
use std::time::Duration;

use polling::{Event, Events, PollMode};

use crate::handlers::{ERROR, READ, WRITE};

/// `EPOLLERR`: half of Tornado's `ERROR` (`0x018 = EPOLLERR | EPOLLHUP`).
const EPOLLERR: u32 = 0x008;
/// `EPOLLHUP`: the other half; a peer that closed shows as `READ | EPOLLHUP`.
const EPOLLHUP: u32 = 0x010;

/// Tornado's `_impl`: register, modify, unregister, poll.
///
/// Shared (`Arc`) with the [`RemoteLoop`](crate::RemoteLoop) handles so that
/// another thread can wake a sleeping poll with `notify()`.
#[derive(Clone)]
pub(crate) struct Poller {
    inner: Arc<polling::Poller>,
}

impl Poller {
    /// A new poller: on Linux an epoll descriptor, plus the eventfd that
    /// `notify()` writes and a timerfd for timeouts (three descriptors).
    pub(crate) fn new() -> io::Result<Self> {
        Ok(Poller {
            inner: Arc::new(polling::Poller::new()?),
        })
    }

    /// `epoll.register(fd, events | ERROR)`.
    pub(crate) fn register(&self, fd: BorrowedFd<'_>, events: u32) -> io::Result<()> {
        let interest = interest(fd.as_raw_fd(), events);
        // SAFETY: `polling` needs `fd` to be deleted from this poller before
        // it is closed. The IOLoop deletes it in `remove_handler`, and in
        // `close()` it drops the poller (forgetting every registration)
        // before dropping the handlers that may own the descriptor; the user
        // promises, as in Tornado, to remove a handler before closing its
        // descriptor. On epoll and kqueue, where a broken promise is
        // possible at all, the kernel itself drops a closed descriptor from
        // the interest list, so nothing unsound follows from it.
        unsafe {
            self.inner
                .add_with_mode(fd.as_raw_fd(), interest, PollMode::Level)
        }
    }

    /// `epoll.modify(fd, events | ERROR)`.
    pub(crate) fn modify(&self, fd: BorrowedFd<'_>, events: u32) -> io::Result<()> {
        let interest = interest(fd.as_raw_fd(), events);
        self.inner.modify_with_mode(fd, interest, PollMode::Level)
    }

    /// `epoll.unregister(fd)`.
    pub(crate) fn unregister(&self, fd: BorrowedFd<'_>) -> io::Result<()> {
        self.inner.delete(fd)
    }

    /// `epoll.poll(timeout)`: waits up to `timeout` seconds, fills `events`.
    pub(crate) fn poll(&self, events: &mut Events, timeout: f64) -> io::Result<usize> {
        events.clear();
        let timeout = Duration::from_secs_f64(timeout.max(0.0));
        self.inner.wait(events, Some(timeout))
    }

    /// Wakes the poll that is waiting now, or else the next one.
    pub(crate) fn notify(&self) {
        // PY: Waker.wake() swallows IOError; a failed wake-up only delays.
        let _ = self.inner.notify();
    }
}

/// What we ask `polling` for: READ and WRITE as asked. ERROR needs no
/// asking: epoll always reports `EPOLLERR` and `EPOLLHUP`, which is why
/// Tornado's `events | ERROR` changes nothing on Linux.
fn interest(fd: RawFd, events: u32) -> Event {
    Event::new(fd as usize, events & READ != 0, events & WRITE != 0)
}

/// One poll result as the epoll mask Tornado hands its handlers.
///
/// `polling` reports `readable`/`writable` and the hang-up and error bits
/// separately; a hang-up makes both `readable` and `writable` true, so we
/// keep only the directions the handler asked for, and add the `ERROR`
/// bits as epoll gives them. A peer that closed a socket registered for
/// READ gives `READ | EPOLLHUP = 0x11`, exactly Tornado's mask (exp25).
pub(crate) fn tornado_mask(event: &Event, interest: u32) -> (RawFd, u32) {
    let mut mask = 0;
    if event.readable && interest & READ != 0 {
        mask |= READ;
    }
    if event.writable && interest & WRITE != 0 {
        mask |= WRITE;
    }
    if event.is_interrupt() {
        mask |= EPOLLHUP;
    }
    if event.is_err() == Some(true) {
        mask |= EPOLLERR;
    }
    debug_assert_eq!(EPOLLERR | EPOLLHUP, ERROR);
    (event.key as RawFd, mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    /// The descriptors an epoll instance watches, from `/proc/self/fdinfo`.
    fn watched(poller: &Poller) -> Vec<RawFd> {
        let info =
            std::fs::read_to_string(format!("/proc/self/fdinfo/{}", poller.inner.as_raw_fd()))
                .unwrap();
        info.lines()
            .filter_map(|l| l.strip_prefix("tfd:"))
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect()
    }

    /// The invariant of `register`'s `unsafe`: `unregister` really removes
    /// the descriptor from the kernel's interest list, so it is gone before
    /// the socket closes.
    #[test]
    fn unregister_removes_the_descriptor_before_it_closes() {
        let poller = Poller::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        let fd = a.as_raw_fd();
        poller.register(a.as_fd(), READ).unwrap();
        assert!(watched(&poller).contains(&fd));
        poller.unregister(a.as_fd()).unwrap();
        assert!(!watched(&poller).contains(&fd));
        drop(a);
    }

    #[test]
    fn registering_twice_is_eexist() {
        let poller = Poller::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        poller.register(a.as_fd(), READ).unwrap();
        let err = poller.register(a.as_fd(), READ).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        poller.unregister(a.as_fd()).unwrap();
    }

    #[test]
    fn masks_are_tornados() {
        let poller = Poller::new().unwrap();
        let (a, mut b) = UnixStream::pair().unwrap();
        poller.register(a.as_fd(), READ | WRITE).unwrap();
        b.write_all(b"x").unwrap();
        let mut events = Events::new();
        poller.poll(&mut events, 1.0).unwrap();
        let masks: Vec<_> = events
            .iter()
            .map(|e| tornado_mask(&e, READ | WRITE))
            .collect();
        assert_eq!(masks, [(a.as_raw_fd(), READ | WRITE)]);

        poller.modify(a.as_fd(), READ).unwrap();
        drop(b);
        poller.poll(&mut events, 1.0).unwrap();
        let masks: Vec<_> = events.iter().map(|e| tornado_mask(&e, READ)).collect();
        assert_eq!(masks, [(a.as_raw_fd(), READ | EPOLLHUP)]);
        poller.unregister(a.as_fd()).unwrap();
    }
}
