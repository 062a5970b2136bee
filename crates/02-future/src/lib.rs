//! Chapter 2: `Future<T>`, a result that is not there yet.
//!
//! A future is a box that someone fills exactly once, with a result or an
//! exception, and a list of callbacks to call when that happens. Everything
//! in the later chapters (the IOLoop's `add_future`, the coroutine Runner,
//! `multi`, `with_timeout`) is built by hanging callbacks on futures.
//!
//! ```
//! use ch02_future::Future;
//!
//! let f = Future::new();
//! f.add_done_callback(|f: &Future<i32>| println!("cb1 result={}", f.result().unwrap()));
//! println!("before set_result");
//! f.set_result(42).unwrap(); // prints "cb1 result=42" before it returns
//! println!("after set_result");
//! ```
//!
//! # Tornado
//!
//! `tornado/concurrent.py` 4.5.3: `Future` (its own single-threaded class
//! since 4.0, `TracebackFuture` being an alias) and `chain_future`.
//! Done-callbacks run synchronously inside `set_result`, in registration
//! order; in Tornado 6.x, `Future` is `asyncio.Future`, which schedules them
//! on the loop instead (the chapter shows both orders).
//!
//! # Layout
//!
//! - `future`: [`Future`] itself.
//! - [`asyncio`]: the thread's event loop, which a Tornado 6 future schedules its
//!   done-callbacks on (installed by chapter 03's loop in Tornado 6 mode).
//! - `chain`: [`chain_future`].
//! - `callback`: [`DoneCallbackReturn`], what a done-callback may return.
//! - `error`: [`FutureError`], what `Future`'s methods raise.
//! - `report`: [`CallbackBatch`], [`HeldReports`], [`released_now`]: when a failed future
//!   nobody looked at is reported (where Python would free it).
//! - [`depth`]: the per-thread frame budget that keeps deep nesting (long
//!   chains, deeply nested coroutines) from overflowing the stack.
//! - [`scenarios`]: the chapter's recorded programs.
//!
//! The exception type, [`Exception`], and [`catch_panic`] come from chapter 1
//! and are re-exported here, with the recorder items that the next chapter
//! needs, so that chapter 3 can depend on this crate alone.

#![forbid(unsafe_code)]

pub mod asyncio;
mod callback;
mod chain;
pub mod depth;
mod error;
mod future;
mod report;
pub mod scenarios;

pub use callback::DoneCallbackReturn;
pub use chain::{chain_future, future_add_done_callback};
pub use error::FutureError;
pub use future::{Future, WeakFuture};
pub use report::{CallbackBatch, HeldReports, released_now};

pub use ch01_yield::{Exception, Panic, PyError, catch_panic};
