//! Chapter 6: `gen.Task`, `YieldPoint`, `Callback` and `Wait`: the callback
//! world the Runner adapts.
//!
//! Before futures, Tornado's asynchronous functions took a `callback`
//! argument. Coroutines met them through *yield points*: objects that tell
//! the Runner themselves when the generator may go on. `gen.Task` wraps one
//! callback-style call; `Callback` hands out a callback under a key and
//! `Wait` waits for it. Tornado 4 kept them all beside futures; Tornado 6
//! removed them. Chapter 04's Runner already has the half of Tornado's
//! `Runner` that serves them, with the `YieldPoint` trait beside it, as
//! gen.py has; this chapter implements the yield points against it.
//!
//! ```
//! use ch02_future::Future;
//! use ch03_ioloop::IOLoop;
//! use ch05_coroutine::coroutine;
//! use ch06_gen_task::{Callback, Wait};
//!
//! // @gen.coroutine
//! // def f():
//! //     callback = yield gen.Callback("k")
//! //     IOLoop.current().add_callback(callback, 42)
//! //     return (yield gen.Wait("k"))
//! fn f() -> Future<i32> {
//!     coroutine(|co| async move {
//!         let callback = co.yield_(Callback::new("k")).await?;
//!         IOLoop::current().unwrap().add_callback(move || callback.call(42));
//!         co.yield_(Wait::new("k")).await
//!     })
//! }
//!
//! let io_loop = IOLoop::new().unwrap();
//! io_loop.make_current();
//! assert_eq!(io_loop.run_sync(f, None).unwrap(), 42);
//! ```
//!
//! # Tornado
//!
//! `tornado/gen.py` 4.5.3: `YieldPoint`, `Callback`, `Wait`, `WaitAll`,
//! `Task`, `YieldFuture`, `MultiYieldPoint`, `Arguments`, the Runner's
//! `register_callback` … `result_callback` and the `YieldPoint` half of
//! `handle_yield`; `KeyReuseError`, `UnknownKeyError`, `LeakedCallbackError`.
//! 3.2.2 for `Task` as a yield point (the upload article).
//!
//! # Layout
//!
//! - [`YieldPoint`], the protocol, [`yielded`], [`Key`] and the Runner's
//!   yield-point half live in chapter 04 (`ch04_runner`), re-exported here.
//! - `callback`: [`Callback`], [`Wait`], [`WaitAll`].
//! - `task`: [`task`] (Tornado 4) and [`Task`] (Tornado 3).
//! - `yield_future`: [`YieldFuture`]; `multi`: [`Multi`] (a list) and
//!   [`MultiMap`] (a dict).
//! - `arguments`: [`Arguments`] and [`ResultCallback`], the callback handed out.
//! - [`scenarios`]: the chapter's recorded programs, the upload article's story first.

#![forbid(unsafe_code)]

mod arguments;
mod callback;
mod multi;
pub mod scenarios;
mod task;
mod yield_future;

pub use arguments::{Arguments, ResultCallback};
pub use callback::{Callback, Wait, WaitAll};
pub use multi::{Multi, MultiMap};
pub use task::{CallbackFunction, Task, task};
pub use yield_future::YieldFuture;
// The yield-point protocol is the Runner's, in chapter 04.
pub use ch04_runner::{Key, Runner, YieldPoint, yielded};
