//! `@gen.engine`: a coroutine with no result, for the callback world.

use std::future::Future as StdFuture;

use ch01_yield::Exception;
use ch04_runner::Co;

/// Runs a body that returns nothing, the way calling a `@gen.engine`
/// function does. Its result future is not returned: an error before the
/// first yield comes back from this call (`Err`), a later one is logged
/// where the coroutine ends.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// def engine(func):
///     func = _make_coroutine_wrapper(func, replace_callback=False)
///     @functools.wraps(func)
///     def wrapper(*args, **kwargs):
///         future = func(*args, **kwargs)
///         def final_callback(future):
///             if future.result() is not None:
///                 raise ReturnValueIgnoredError(
///                     "@gen.engine functions cannot return values: %r" %
///                     (future.result(),))
///         future.add_done_callback(stack_context.wrap(final_callback))
///     return wrapper
/// ```
///
/// A done future runs a late `add_done_callback` at once, unprotected, so an
/// exception raised before the first yield reaches the caller (gen_test's
/// `test_exception_phase1`); after it, the future's done-callback raises and
/// the future logs it, unless a stack context active where the engine
/// function was called handles it. A body that panics takes the same
/// roads: the panic is what it raised.
///
/// # Differences
///
/// The body returns `Result<(), Exception>`: a value it could not return is
/// refused by the compiler, so there is no `ReturnValueIgnoredError`.
pub fn engine<F, B>(func: F) -> Result<(), Exception>
where
    F: FnOnce(Co) -> B,
    B: StdFuture<Output = Result<(), Exception>> + 'static,
{
    // exercise ex05.4 begin (uses: func)
    use ch03_ioloop::stack_context::{Captured, NullContext};

    use crate::coroutine::coroutine;

    let future = coroutine(func);
    if future.done() {
        return future.result();
    }
    // PY: `stack_context.wrap(final_callback)`: "the engine interface
    // doesn't give us any way to return errors but to raise them into the
    // stack context", the one of the code that called the engine function.
    let captured = Captured::capture();
    future.add_done_callback(move |future| match &captured {
        Some(captured) => captured.call(|| future.result()).map(drop),
        None => NullContext::run(|| future.result()),
    });
    Ok(())
    // exercise ex05.4 end
}
