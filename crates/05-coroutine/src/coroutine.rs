//! `@gen.coroutine`: call a generator function, run its first step, and let
//! a Runner drive the rest.

use std::future::Future as StdFuture;

use ch00_trace::{EventKind, emit};
use ch01_yield::{Exception, catch_panic};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch04_runner::{Co, Coroutine, generator};

/// Runs a coroutine body and returns the future of its result: what calling
/// a `@gen.coroutine` function does.
///
/// `func` is the decorated function, already given its arguments: a closure
/// that receives the [`Co`] to yield through and returns the body as an
/// `async` block. Its code up to the first `co.yield_(..)` runs *before*
/// `coroutine` returns, exactly as in Tornado.
///
/// ```
/// use ch02_future::Future;
/// use ch05_coroutine::coroutine;
///
/// // @gen.coroutine
/// // def double(f):
/// //     x = yield f
/// //     return 2 * x
/// fn double(f: Future<i32>) -> Future<i32> {
///     coroutine(move |co| async move {
///         let x = co.yield_(f).await?;
///         Ok(2 * x)
///     })
/// }
///
/// let done = Future::resolved(21);
/// assert_eq!(double(done).result().unwrap(), 42); // no loop needed: nothing waited
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `_make_coroutine_wrapper(func, replace_callback=True)`:
///
/// ```python
/// def wrapper(*args, **kwargs):
///     future = TracebackFuture()
///     try:
///         result = func(*args, **kwargs)
///     except (Return, StopIteration) as e:
///         result = _value_from_stopiteration(e)
///     except Exception:
///         future.set_exc_info(sys.exc_info())
///         return future
///     else:
///         if isinstance(result, GeneratorType):
///             try:
///                 yielded = next(result)
///             except (StopIteration, Return) as e:
///                 future.set_result(_value_from_stopiteration(e))
///             except Exception:
///                 future.set_exc_info(sys.exc_info())
///             else:
///                 _futures_to_runners[future] = Runner(result, future, yielded)
///             return future
///     future.set_result(result)
///     return future
/// ```
///
/// # Differences
///
/// - Python applies the decorator once, where the function is defined, and
///   the wrapper runs at every call. A Rust `fn` that returns
///   `coroutine(move |co| async move { .. })` is the decorated function:
///   the wrapper's work happens at every call, as in Python.
/// - `raise gen.Return(x)` and `return x` are both `return Ok(x)` (or a
///   final `Ok(x)`); an exception is `Err(..)`, usually through `?`.
/// - Every body is an `async` block, so every coroutine is a generator:
///   Python's non-generator branch is the body that returns before its first
///   yield, and it ends the same way, with the future already resolved.
/// - The Runner is kept alive by the callbacks it registers, not by
///   `_futures_to_runners`.
/// - No `RecursionError`: Tornado 4.5.3 fails the 496th coroutine called
///   synchronously inside another's first step. We count 4 frames per such
///   call (`ch02_future::depth`); past 1000 in all the first step is queued
///   and runs from the outermost nesting frame, so `coroutine` returns the
///   future still pending and its caller waits for it through the loop.
///   (Four, not Tornado's two, because a level costs us about four times the
///   stack of a counted frame; so from 250 levels to 495 our order differs:
///   the innermost first steps wait for the outermost frame.)
/// - A body may raise by panicking, too: before its first yield the panic
///   fails the returned future (it never reaches the caller), after it the
///   Runner fails the future with it.
// ANCHOR: coroutine
pub fn coroutine<R, F, B>(func: F) -> Future<R>
where
    R: 'static,
    F: FnOnce(Co) -> B,
    B: StdFuture<Output = Result<R, Exception>> + 'static,
{
    let future = Future::new();
    start(&future, func);
    future
}
// ANCHOR_END: coroutine

/// The wrapper's work once the result future exists: call `func`, run its
/// first step, and hand the rest to a Runner.
// ANCHOR: start
fn start<R, F, B>(future: &Future<R>, func: F)
where
    R: 'static,
    F: FnOnce(Co) -> B,
    B: StdFuture<Output = Result<R, Exception>> + 'static,
{
    emit(EventKind::Runner, || {
        format!("coroutine f{} called", future.id())
    });
    // PY: `try: result = func(*args, **kwargs)` ... `except Exception:
    // future.set_exc_info(...)`: the closure's code outside its `async`
    // block runs here, and a panic in it fails the future.
    let body = match catch_panic(|| generator(func)) {
        Ok(body) => body,
        Err(exc) => {
            let _ = future.set_exception(exc);
            return;
        }
    };
    // Past the depth where Tornado raises RecursionError, the first step
    // waits for the outermost frame instead of growing the stack.
    crate::depth::first_step(future, body, step);
}

/// `next(result)` and what follows it, for [`start`]: the wrapper's
/// `else:` branch, from `yielded = next(result)` to
/// `_futures_to_runners[future] = Runner(result, future, yielded)`.
fn step<R: 'static>(future: &Future<R>, body: Coroutine<R>) {
    // exercise ex05.3 begin (uses: future, body)
    use ch01_yield::{Generator, GeneratorState};
    use ch03_ioloop::stack_context::Contexts;
    use ch04_runner::{Runner, Yielded, erase, stack_context_inconsistency};

    let mut body = body;
    // PY: `yielded = next(result)`, inline: the body runs up to its first
    // yield before the caller gets the future back. A panic there is caught
    // by the generator (chapter 01's `Lifecycle`) and comes back as `Err`.
    // PY: `orig_stack_contexts = stack_context._state.contexts`.
    let orig_stack_contexts = Contexts::current();
    match body.next() {
        Ok(GeneratorState::Yielded(yielded)) => {
            // PY: a `yield` inside a `with StackContext` block: the Runner
            // starts on a failed future instead, and throws the error in.
            let yielded = match orig_stack_contexts.is_current() {
                true => yielded,
                false => {
                    let failed = Future::<()>::new();
                    let _ = failed.set_exception(stack_context_inconsistency());
                    Yielded::Future(erase(failed))
                }
            };
            Runner::new(body, future.clone(), yielded);
        }
        Ok(GeneratorState::Complete(value)) => {
            let _ = future.set_result(value);
        }
        // PY: an exception before the first yield is never raised to the
        // caller: it waits in the future.
        Err(exc) => {
            let _ = future.set_exception(exc);
        }
    }
    // exercise ex05.3 end
}
// ANCHOR_END: start

/// [`coroutine`] called with Tornado 4's `callback=` argument: `callback`
/// receives the result one loop iteration after the future resolves.
///
/// ```python
/// if replace_callback and 'callback' in kwargs:
///     callback = kwargs.pop('callback')
///     IOLoop.current().add_future(
///         future, lambda future: callback(future.result()))
/// ```
///
/// The callback is registered before the body runs, as in Tornado. If the
/// coroutine fails, `future.result()` raises inside that loop callback: the
/// loop logs the error and `callback` is not called. If there is no current
/// loop and none can be made, the future fails with that error and the body
/// does not run (Tornado's `IOLoop.current()` raises before it).
pub fn coroutine_with_callback<R, F, B>(callback: impl FnOnce(R) + 'static, func: F) -> Future<R>
where
    R: Clone + 'static,
    F: FnOnce(Co) -> B,
    B: StdFuture<Output = Result<R, Exception>> + 'static,
{
    let future = Future::new();
    let io_loop = match IOLoop::current() {
        Ok(io_loop) => io_loop,
        Err(error) => {
            let _ = future.set_exception(error);
            return future;
        }
    };
    io_loop.add_future(&future, move |future: Future<R>| {
        callback(future.result()?);
        Ok::<(), Exception>(())
    });
    start(&future, func);
    future
}
