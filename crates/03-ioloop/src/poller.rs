//! The glue between Tornado's `_impl` (an `epoll` object) and the `polling` crate, and the loop's poller state.
//!
//! This small module is the only place in the crate allowed to use `unsafe`,
//! and it does so once, in [`Poller::register`].
//!
//! # The invariant
//!
//! `polling` asks (`Poller::add` is an `unsafe fn`) that a descriptor be
//! deleted from the poller before it is closed: on some back-ends the poller
//! would otherwise keep reporting a descriptor number that may by then name
//! another file. The IOLoop keeps that promise by registering only
//! descriptors it owns: `add_handler` duplicates the caller's descriptor
//! (`F_DUPFD_CLOEXEC`) and registers the duplicate, an `OwnedFd` kept in
//! the handler table. Nobody else can close it (safe Rust closes only what
//! it owns), and the loop closes it only after deleting it:
//!
//! - `remove_handler` deletes the duplicate from the poller (Tornado's
//!   `_impl.unregister(fd)`), then drops it;
//! - `close()` and dropping the loop drop the poller, which forgets every
//!   registration at once, *before* the handlers and their duplicates.
//!
//! So a registration can never outlive the descriptor it was made with, and
//! a descriptor number in the poller can never be reused by another file
//! while registered: the stale registrations epoll keeps for a duplicated
//! descriptor closed behind its back (which Tornado 4.5.3 delivers to the
//! next handler of the same number) cannot arise.
//!
//! # Level-triggered, as Tornado's epoll
//!
//! Tornado registers descriptors with `epoll.register(fd, events | ERROR)`,
//! without `EPOLLET`: level-triggered, so a socket with unread data is
//! reported at every poll until it is read. We ask `polling` for the same
//! with [`PollMode::Level`].

#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::time::Duration;

use polling::{Event, Events, PollMode};

use crate::error::IOLoopError;

/// No events (`IOLoop.NONE`).
pub(crate) const NONE: u32 = 0;
/// Readable (`IOLoop.READ`, `EPOLLIN`).
pub(crate) const READ: u32 = 0x001;
/// Writable (`IOLoop.WRITE`, `EPOLLOUT`).
pub(crate) const WRITE: u32 = 0x004;
/// Error or hang-up (`IOLoop.ERROR`, `EPOLLERR | EPOLLHUP`).
pub(crate) const ERROR: u32 = 0x018;
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

    /// `epoll.register(fd, events | ERROR)`, for a descriptor the loop owns.
    ///
    /// `key` is what the poll reports for it: the caller's descriptor number,
    /// the one the handler table is keyed by.
    pub(crate) fn register(&self, fd: &OwnedFd, key: RawFd, events: u32) -> io::Result<()> {
        let interest = interest(key, events);
        // SAFETY: `polling` needs `fd` to be deleted from this poller before
        // it is closed. `fd` is the loop's own duplicate, owned by the
        // handler table, so no one else can close it: the loop deletes it in
        // `remove_handler` before dropping it, and `close()` and the loop's
        // `Drop` drop this poller (forgetting every registration) before
        // they drop the handlers. Tested by
        // `unregister_removes_the_descriptor_before_it_closes` here and
        // `remove_handler_deletes_the_duplicate_before_closing_it` in
        // `handlers.rs`.
        unsafe {
            self.inner
                .add_with_mode(fd.as_raw_fd(), interest, PollMode::Level)
        }
    }

    /// `epoll.modify(fd, events | ERROR)`.
    pub(crate) fn modify(&self, fd: &OwnedFd, key: RawFd, events: u32) -> io::Result<()> {
        let interest = interest(key, events);
        self.inner.modify_with_mode(fd, interest, PollMode::Level)
    }

    /// `epoll.unregister(fd)`.
    pub(crate) fn unregister(&self, fd: &OwnedFd) -> io::Result<()> {
        self.inner.delete(fd)
    }

    /// `epoll.poll(timeout)`: waits up to `timeout` seconds, fills `events`.
    pub(crate) fn poll(&self, events: &mut Events, timeout: f64) -> io::Result<usize> {
        events.clear();
        let timeout = Duration::from_secs_f64(timeout.max(0.0));
        self.inner.wait(events, Some(timeout))
    }

    /// The descriptors the kernel's interest list holds, from
    /// `/proc/self/fdinfo` (with `polling`'s own notifier and timer).
    #[cfg(test)]
    pub(crate) fn watched(&self) -> Vec<RawFd> {
        let path = format!("/proc/self/fdinfo/{}", self.inner.as_raw_fd());
        let info = std::fs::read_to_string(path).unwrap();
        info.lines()
            .filter_map(|l| l.strip_prefix("tfd:"))
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect()
    }

    /// Wakes the poll that is waiting now, or else the next one.
    pub(crate) fn notify(&self) {
        // PY: Waker.wake() swallows IOError; a failed wake-up only delays.
        let _ = self.inner.notify();
    }
}

/// The loop's poller and its waker: the state behind `poll`, `stop`'s
/// wake-up and `close`, owned by the loop.
///
/// Owns the loop's handle on the poller (other handles: the
/// [`RemoteLoop`](crate::RemoteLoop)s' inbox), the buffer each poll fills,
/// and whether a wake-up is waiting for the next poll. It runs no user code:
/// [`poll`](LoopPoller::poll) hands each event to a closure of the loop that
/// only records it, and the loop dispatches afterwards with no borrow held.
///
/// # Tornado
///
/// `tornado/ioloop.py` 4.5.3, `PollIOLoop._impl` (the `epoll` object) and
/// `_waker` (a pipe whose unread byte makes the next poll return).
///
/// # Invariant
///
/// `None` after `close()` (or the loop's drop), and only then; once `None`
/// it stays `None`, and every registration went with it. `wake_pending` is
/// true from a [`wake`](LoopPoller::wake) until the next real poll, and a
/// closed poller is never woken.
pub(crate) struct LoopPoller {
    /// `_impl`: `None` after `close()`.
    poller: RefCell<Option<Poller>>,
    /// The buffer `poll()` fills, kept between iterations.
    buffer: RefCell<Events>,
    /// `wake()` was called and no poll has consumed the wake-up yet
    /// (Tornado's waker byte still in the pipe): the next poll returns at
    /// once, so a fake clock must not jump ahead for it.
    wake_pending: Cell<bool>,
}

impl LoopPoller {
    pub(crate) fn new(poller: Poller) -> Self {
        LoopPoller {
            poller: RefCell::new(Some(poller)),
            buffer: RefCell::new(Events::new()),
            wake_pending: Cell::new(false),
        }
    }

    /// The poller, `None` once closed.
    #[inline]
    pub(crate) fn get(&self) -> Option<Poller> {
        self.poller.borrow().clone()
    }

    /// `self._waker.wake()`: the next poll returns at once. Tornado writes a
    /// byte each time and `consume()` reads them all; one notification
    /// until the next poll does the same.
    #[inline]
    pub(crate) fn wake(&self) {
        if let Some(poller) = self.poller.borrow().as_ref() {
            if !self.wake_pending.get() {
                poller.notify();
            }
            self.wake_pending.set(true);
        }
    }

    /// Is a wake-up waiting for the next poll?
    #[inline]
    pub(crate) fn wake_pending(&self) -> bool {
        self.wake_pending.get()
    }

    /// `self._impl.poll(timeout)`: waits, then hands each event to `each`
    /// (which must not run user code), and consumes any wake-up (Tornado's
    /// `Waker.consume()`). The number of events, or `Closed`.
    pub(crate) fn poll(
        &self,
        timeout: f64,
        mut each: impl FnMut(&Event),
    ) -> Result<usize, IOLoopError> {
        let poller = self.get().ok_or(IOLoopError::Closed)?;
        let mut events = self.buffer.borrow_mut();
        // `polling` retries a poll interrupted by a signal (Tornado's
        // EINTR `continue`) by itself.
        let n = poller.poll(&mut events, timeout)?;
        self.wake_pending.set(false);
        events.iter().for_each(|event| each(&event));
        Ok(n)
    }

    /// `self._impl.close()`: forgets every registration. Returns the
    /// poller for the caller to drop.
    pub(crate) fn close(&self) -> Option<Poller> {
        self.poller.borrow_mut().take()
    }
}

/// The loop's own descriptor for `fd` (`F_DUPFD_CLOEXEC`): what it registers.
pub(crate) fn duplicate(fd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    fd.try_clone_to_owned()
}

/// What we ask `polling` for: READ and WRITE as asked. ERROR needs no
/// asking: epoll always reports `EPOLLERR` and `EPOLLHUP`, which is why
/// Tornado's `events | ERROR` changes nothing on Linux.
fn interest(fd: RawFd, events: u32) -> Event {
    Event::new(fd as usize, events & READ != 0, events & WRITE != 0)
}

/// One poll result as the epoll mask Tornado hands its handlers.
///
/// Tornado 4.5.3 passes epoll's flags through unchanged. `polling` does
/// not: it folds `EPOLLHUP` and `EPOLLERR` (and `EPOLLPRI`, which it asks
/// for with every READ interest and Tornado never does) into both
/// `readable` and `writable`, so a hang-up alone looks like "readable,
/// writable and hung up", the same as data waiting beside the hang-up.
/// Its `is_interrupt()` (`EPOLLHUP`), `is_err()` (`EPOLLERR`) and
/// `is_priority()` (`EPOLLPRI`) tell those bits apart, but not whether
/// `EPOLLIN` or `EPOLLOUT` came with them. So:
///
/// - with none of those bits, `readable`/`writable` are exactly `EPOLLIN`
///   and `EPOLLOUT`: kept for the directions the handler asked for;
/// - with any of them, `exact` asks the kernel again for the descriptor's
///   readiness (one `poll(2)` with no wait, on the loop's duplicate, for
///   the same interest): the mask epoll computed, bit for bit, since both
///   come from the same driver call and the loop is level-triggered. It
///   returns `None` if that fails (the descriptor is gone): then we fall
///   back to the folded flags, as before.
///
/// A pipe whose writer closed gives `EPOLLHUP` alone (`0x10`), a UDP socket
/// refused by an ICMP message `EPOLLERR` alone (`0x8`), a peer that closed
/// a socket with data left `READ | EPOLLHUP` (`0x11`): Tornado's masks (see
/// the `ch03_event_masks` scenario). An event whose mask comes out empty
/// (urgent data alone, `EPOLLPRI`) is one Tornado's epoll would not have
/// reported: `(fd, 0)`, which the loop does not dispatch.
pub(crate) fn tornado_mask(
    event: &Event,
    interest: u32,
    exact: impl FnOnce(u32) -> Option<u32>,
) -> (RawFd, u32) {
    debug_assert_eq!(EPOLLERR | EPOLLHUP, ERROR);
    let fd = event.key as RawFd;
    let folded = event.is_interrupt() || event.is_err() == Some(true) || event.is_priority();
    if folded {
        if let Some(mask) = exact(interest) {
            return (fd, mask);
        }
    }
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
    (fd, mask)
}

/// The descriptor's readiness now, as epoll would report it for
/// `interest | ERROR`: one `poll(2)` that does not wait. `None` if the call
/// fails or the descriptor is invalid (`POLLNVAL`).
///
/// PY: nothing; Tornado reads the mask straight from `epoll.poll()`.
pub(crate) fn readiness(fd: &OwnedFd, interest: u32) -> Option<u32> {
    use rustix::event::{PollFd, PollFlags, poll};
    let mut asked = PollFlags::empty();
    if interest & READ != 0 {
        asked |= PollFlags::IN;
    }
    if interest & WRITE != 0 {
        asked |= PollFlags::OUT;
    }
    let mut fds = [PollFd::new(fd, asked)];
    let zero = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    poll(&mut fds, Some(&zero)).ok()?;
    let got = fds[0].revents();
    if got.contains(PollFlags::NVAL) {
        return None;
    }
    // POLLIN, POLLOUT, POLLERR and POLLHUP have epoll's values; poll(2)
    // reports only what was asked for, plus POLLERR and POLLHUP.
    let mut mask = 0;
    for (flag, bit) in [
        (PollFlags::IN, READ),
        (PollFlags::OUT, WRITE),
        (PollFlags::ERR, EPOLLERR),
        (PollFlags::HUP, EPOLLHUP),
    ] {
        if got.contains(flag) {
            mask |= bit;
        }
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    /// The invariant of `register`'s `unsafe`: `unregister` really removes
    /// the loop's duplicate from the kernel's interest list, so it is gone
    /// before the duplicate closes.
    #[test]
    fn unregister_removes_the_descriptor_before_it_closes() {
        let poller = Poller::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        let dup = duplicate(a.as_fd()).unwrap();
        let dup_fd = dup.as_raw_fd();
        poller.register(&dup, a.as_raw_fd(), READ).unwrap();
        assert!(poller.watched().contains(&dup_fd));
        assert!(!poller.watched().contains(&a.as_raw_fd()));
        poller.unregister(&dup).unwrap();
        assert!(!poller.watched().contains(&dup_fd));
        drop(dup);
    }

    #[test]
    fn registering_twice_is_eexist() {
        let poller = Poller::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        let dup = duplicate(a.as_fd()).unwrap();
        poller.register(&dup, a.as_raw_fd(), READ).unwrap();
        let err = poller.register(&dup, a.as_raw_fd(), READ).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        poller.unregister(&dup).unwrap();
    }

    /// Events carry the key (the caller's number), not the duplicate's.
    #[test]
    fn masks_are_tornados() {
        let poller = Poller::new().unwrap();
        let (a, mut b) = UnixStream::pair().unwrap();
        let dup = duplicate(a.as_fd()).unwrap();
        poller.register(&dup, a.as_raw_fd(), READ | WRITE).unwrap();
        b.write_all(b"x").unwrap();
        let mut events = Events::new();
        poller.poll(&mut events, 1.0).unwrap();
        let masks: Vec<_> = events
            .iter()
            .map(|e| tornado_mask(&e, READ | WRITE, |i| readiness(&dup, i)))
            .collect();
        assert_eq!(masks, [(a.as_raw_fd(), READ | WRITE)]);

        poller.modify(&dup, a.as_raw_fd(), READ).unwrap();
        drop(b);
        poller.poll(&mut events, 1.0).unwrap();
        let masks: Vec<_> = events
            .iter()
            .map(|e| tornado_mask(&e, READ, |i| readiness(&dup, i)))
            .collect();
        assert_eq!(masks, [(a.as_raw_fd(), READ | EPOLLHUP)]);
        poller.unregister(&dup).unwrap();
    }
}
