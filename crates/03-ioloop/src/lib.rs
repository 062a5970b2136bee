//! Chapter 3: the IOLoop, Tornado 4.5.3's `PollIOLoop` rebuilt on the `polling` crate.
//!
//! # Tornado
//!
//! `tornado/ioloop.py` 4.5.3: `IOLoop`, `PollIOLoop`, `_Timeout`,
//! `TimeoutError`, and the self-pipe `Waker` of `tornado/platform/posix.py`.
//! Everything a coroutine needs from the loop: callbacks that run on the
//! next iteration, timeouts, handlers of file descriptors, `add_future`,
//! `run_sync`, and the one thread-safe door, `add_callback` from another
//! thread.
//!
//! ```
//! use ch03_ioloop::{FakeClock, IOLoop};
//!
//! let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
//! let lp = io_loop.clone();
//! io_loop.add_callback(|| println!("1. a callback: next iteration"));
//! io_loop.call_later(5.0, move || {
//!     println!("2. a timeout: five (fake) seconds later");
//!     lp.stop();
//! });
//! io_loop.start().unwrap();
//! ```
//!
//! # How it works
//!
//! One iteration of [`IOLoop::start`] counts the queued callbacks, picks the
//! due timeouts, runs those callbacks, then those timeouts, then polls the
//! descriptors and runs their handlers. Anything scheduled meanwhile waits
//! for the next iteration. Errors and panics in user code are logged
//! (`tornado.application`, "Exception in callback ...") and the loop goes
//! on. The loop is level-triggered, as Tornado's epoll loop is.
//!
//! # Layout
//!
//! - `ioloop`: [`IOLoop`], its state, `start`/`stop`/`close`, one iteration.
//! - `asyncio`: the loop under Tornado 6's rules (asyncio's `_run_once`), and the door
//!   through which chapter 02's futures schedule their done-callbacks on it.
//! - `callbacks`: `add_callback`, `spawn_callback`, [`CallbackReturn`], running one.
//! - `timeouts`: `add_timeout`/`call_at`/`call_later`/`remove_timeout`, [`Deadline`], [`TimeoutHandle`].
//! - `handlers`: `add_handler`/`update_handler`/`remove_handler`, `READ`/`WRITE`/`ERROR`.
//! - `poller`: the glue to `polling` (the crate's only `unsafe`).
//! - `remote`: [`RemoteLoop`], the thread-safe `add_callback` and the waker.
//! - `clock`: [`Clock`], [`SystemClock`], [`FakeClock`].
//! - `current`: `current`, `make_current`, `clear_current`.
//! - `futures`: `add_future`, and a callback returning a `Future`.
//! - `run_state`: the loop's running/stopped/closing/started flags.
//! - `run_sync`: `run_sync`.
//! - `error`: [`IOLoopError`].
//! - [`scenarios`]: the chapter's recorded programs.

#![deny(unsafe_code)]

mod asyncio;
mod callbacks;
mod clock;
mod current;
mod error;
mod futures;
mod handler_table;
mod handlers;
mod ioloop;
mod poller;
mod queue;
mod remote;
mod run_state;
mod run_sync;
pub mod scenarios;
pub mod stack_context;
mod timeouts;
mod timer_heap;

pub use callbacks::CallbackReturn;
pub use clock::{Clock, FakeClock, SystemClock};
pub use error::IOLoopError;
pub use ioloop::{IOLoop, LoopCallback, WeakIOLoop};
pub use remote::RemoteLoop;
pub use timeouts::{Deadline, TimeoutHandle};
