//! Chapter 5: `@gen.coroutine`, and the helpers coroutines are written with.
//!
//! Chapter 04's Runner drives a generator it is handed. What hands it over
//! is the decorator: calling a `@gen.coroutine` function makes the result
//! future, runs the body up to its first `yield` right there, and gives the
//! generator, the future and what it yielded to a Runner. This chapter
//! rebuilds that wrapper and the small tools of `tornado/gen.py` built on
//! it: `engine`, `sleep`, `moment`, `multi`, `with_timeout`, `maybe_future`.
//!
//! A coroutine reads like its Python:
//!
//! ```
//! use ch02_future::Future;
//! use ch05_coroutine::{coroutine, sleep};
//!
//! // @gen.coroutine
//! // def slow_double(x):
//! //     yield gen.sleep(0.5)
//! //     return 2 * x
//! fn slow_double(x: i32) -> Future<i32> {
//!     coroutine(move |co| async move {
//!         co.yield_(sleep(0.5)).await?;
//!         Ok(2 * x)
//!     })
//! }
//!
//! let io_loop = ch03_ioloop::IOLoop::with_clock(ch03_ioloop::FakeClock::new(0.0)).unwrap();
//! io_loop.make_current();
//! assert_eq!(io_loop.run_sync(|| slow_double(21), None).unwrap(), 42);
//! ```
//!
//! # Layout
//!
//! - `coroutine`: [`coroutine`], [`coroutine_with_callback`]: the decorator.
//! - `engine`: [`engine`], the decorator for bodies without a result.
//! - `sleep`: [`sleep`].
//! - `with_timeout`: [`with_timeout`] and its [`TimeoutError`] (`error`).
//! - `maybe_future`: [`maybe_future`].
//! - From chapter 04: [`moment`], [`multi`] (list) and [`multi_map`] (dict),
//!   and [`multi_quiet`] / [`multi_map_quiet`] (`quiet_exceptions`).
//! - [`scenarios`]: the chapter's recorded programs.

#![forbid(unsafe_code)]

mod coroutine;
mod depth;
mod engine;
mod error;
mod maybe_future;
pub mod scenarios;
mod sleep;
mod with_timeout;

pub use coroutine::{coroutine, coroutine_with_callback};
pub use engine::engine;
pub use error::TimeoutError;
pub use maybe_future::maybe_future;
pub use sleep::sleep;
pub use with_timeout::with_timeout;

/// `gen.multi` of a list (`yield [a, b]` does the same): the results in
/// input order, or the first failure in input order.
pub use ch04_runner::multi_future as multi;
/// `gen.multi` of a dict (`yield {"a": a}` does the same).
pub use ch04_runner::multi_future_map as multi_map;
/// `gen.multi(dict, quiet_exceptions=...)`: [`multi_map`] with a predicate
/// saying which later failures go unlogged.
pub use ch04_runner::multi_future_map_quiet as multi_map_quiet;
/// `gen.multi(list, quiet_exceptions=...)`: [`multi`], except that a failure
/// after the first is logged only when the predicate says no (Python names
/// the quiet classes; Rust matches by type, or a `PyError` by name).
pub use ch04_runner::multi_future_quiet as multi_quiet;
pub use ch04_runner::{Co, Object, moment};
