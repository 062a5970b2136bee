//! Chapter 4: `gen.Runner`, which drives a generator on the IOLoop.
//!
//! A coroutine is a generator that yields futures. The Runner is what turns
//! that into concurrency: it takes each yielded future, asks the IOLoop to
//! call it back when the future is done, and then sends the result into the
//! generator (or throws its exception), until the generator returns. The
//! Runner then resolves the coroutine's own future with what it returned.
//!
//! # Tornado
//!
//! `tornado/gen.py` 4.5.3: `Runner`, `YieldPoint`, `convert_yielded`,
//! `moment`, `multi_future`, `BadYieldError`, `KeyReuseError`,
//! `UnknownKeyError`, `LeakedCallbackError`.
//!
//! # Layout
//!
//! - `value`: [`Value`], the Python object sent into the generator.
//! - `any_future`: [`AnyFuture`], a `Future<T>` with its `T` hidden.
//! - `yielded`: [`Yielded`], [`Yieldable`] and [`convert_yielded`]: what may be yielded.
//! - `moment`: [`moment()`], the future that costs exactly one loop iteration.
//! - `multi`: [`multi_future`], waiting for a list of futures (and its
//!   dict and `quiet_exceptions` siblings).
//! - `runner`: [`Runner`]: `run` and `handle_yield`, and the yield-point
//!   half (`register_callback` ... `result_callback`) chapter 06 teaches.
//! - `yield_point`: [`YieldPoint`], the protocol of that half, and [`yielded`].
//! - `key`: [`Key`], what a pending callback is registered under.
//! - `co`: [`Co`] and [`generator`]: writing a coroutine body as an `async` block.
//! - `error`: [`GenError`] (`BadYieldError`, and the yield points' three).
//! - [`scenarios`]: the chapter's recorded programs.

#![forbid(unsafe_code)]

mod any_future;
mod co;
mod error;
mod key;
mod moment;
mod multi;
mod runner;
pub mod scenarios;
mod value;
mod yield_point;
mod yielded;

pub use any_future::{AnyFuture, erase};
pub use co::{Co, Coroutine, generator};
pub use error::GenError;
pub use key::Key;
pub use moment::moment;
pub use multi::{multi_future, multi_future_map, multi_future_map_quiet, multi_future_quiet};
pub use runner::{Runner, stack_context_inconsistency};
pub use value::Value;
pub use yield_point::{YieldPoint, yielded};
pub use yielded::{Object, Yieldable, Yielded, convert_yielded};
