//! Chapter 1: Python's generator protocol in Rust. (Being written.)
#![forbid(unsafe_code)]

mod exception;
mod panic;

pub use exception::{Exception, Panic, PyError};
pub use panic::catch_panic;
