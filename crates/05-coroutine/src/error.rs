//! `gen.TimeoutError`.

use std::error::Error;
use std::fmt;

/// What [`with_timeout`](crate::with_timeout) fails with when the deadline
/// passes first: Tornado 4's `tornado.gen.TimeoutError("Timeout")`, a class
/// of its own (not `tornado.ioloop.TimeoutError`, which `run_sync` raises).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutError;

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TimeoutError: Timeout")
    }
}

impl Error for TimeoutError {}
