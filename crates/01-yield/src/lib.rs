//! Chapter 1: Python's generator protocol in Rust.
//!
//! Tornado's coroutines are Python generators: a `@gen.coroutine` function
//! `yield`s a Future, and the `Runner` resumes it with the result. Before any
//! of that, this chapter rebuilds what a generator *is*: an object resumed
//! with `next`, `send`, `throw` and `close`, that yields, returns or raises.
//!
//! # Layout
//!
//! - `exception`: [`Exception`], a Python exception as a value; [`PyError`],
//!   one made by name; [`Panic`], a panic caught where Python catches.
//! - `panic`: [`catch_panic`], the boundary that turns a panic into a `Panic`.
//! - `generator`: the protocol: [`Generator`], [`Resume`], [`GeneratorState`].
//! - `error`: its misuses, [`GeneratorError`], and [`GeneratorExit`].
//! - `lifecycle`: [`Lifecycle`], the rules every generator shares
//!   (unstarted, suspended, finished).
//! - `state_machine`: the generator article's `test()` written by hand: [`Echo`].
//! - `async_gen`: [`Gen`] and [`Yielder`], a generator written as an `async` block.
//! - [`scenarios`]: the chapter's recorded programs.
#![forbid(unsafe_code)]

mod async_gen;
mod error;
mod exception;
mod generator;
mod lifecycle;
mod panic;
pub mod scenarios;
mod state_machine;

pub use async_gen::{Gen, Yielder};
pub use error::{GeneratorError, GeneratorExit};
pub use exception::{Exception, Panic, PyError};
pub use generator::{Generator, GeneratorState, Resume};
pub use lifecycle::{Lifecycle, Stage};
pub use panic::{catch_panic, raise};
pub use state_machine::Echo;
