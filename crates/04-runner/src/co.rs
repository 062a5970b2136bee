//! The handle a coroutine body yields through: typed values in, typed out.

use std::future::Future as StdFuture;

use ch01_yield::{Exception, Gen};

use crate::value::Value;
use crate::yielded::{Yieldable, Yielded};

/// A generator the Runner can drive, written as an `async` block.
pub type Coroutine<R> = Gen<Yielded, Value, R>;

/// What a coroutine body yields through.
///
/// `let v = co.yield_(f).await?;` is Python's `v = yield f`: it suspends
/// the generator until the Runner sends `f`'s result back, and evaluates to
/// it. If `f` failed, the Runner throws its exception in instead, and `?`
/// lets it propagate out of the body as an uncaught Python exception would,
/// while a `match` catches it as `except` would.
///
/// # Differences
///
/// Chapter 01's `Yielder<Y, S>` yields and receives one type each. This wrapper
/// accepts any [`Yieldable`] and hands back its own output type, so one
/// coroutine can wait on a `Future<i32>`, then a `Future<String>`.
pub struct Co(ch01_yield::Yielder<Yielded, Value>);

impl Co {
    /// Python's `yield`: wait for `yielded` and evaluate to its result.
    pub async fn yield_<Y: Yieldable>(&self, yielded: Y) -> Result<Y::Output, Exception> {
        let value = self.0.yield_(yielded.into_yielded()).await?;
        Y::output(value)
    }
}

/// Python's generator function: calling it makes a generator whose body has
/// not started yet.
///
/// ```
/// use ch01_yield::{Generator, GeneratorState};
/// use ch02_future::Future;
/// use ch04_runner::generator;
///
/// let f = Future::new();
/// let mut g = generator({
///     let f = f.clone();
///     move |co| async move {
///         let x: i32 = co.yield_(f).await?;
///         Ok(x + 1)
///     }
/// });
/// assert!(matches!(g.next(), Ok(GeneratorState::Yielded(_))));
/// ```
pub fn generator<R, F, Body>(body: F) -> Coroutine<R>
where
    R: 'static,
    F: FnOnce(Co) -> Body,
    Body: StdFuture<Output = Result<R, Exception>> + 'static,
{
    Gen::new(move |co| body(Co(co)))
}
