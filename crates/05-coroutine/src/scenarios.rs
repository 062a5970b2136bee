//! The chapter's recorded programs: the articles' programs (see the
//! book's introduction) as coroutines, and the decorator's and helpers' rules. Each has a Python
//! twin under `tests/tornado/` run by real Tornado 4.5.3.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::rc::Rc;

use ch00_trace::{Scenario, say};
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};

use crate::{
    TimeoutError, coroutine, coroutine_with_callback, engine, maybe_future, moment, sleep,
    with_timeout,
};

mod sockets;

/// Every program of chapter 05.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ch05_callback_fills_future",
        title: "the asyn_sum article's asyn_sum: a coroutine waits for a callback to fill its future",
        twin: Some("ch05_callback_fills_future"),
        run: callback_fills_future,
    },
    Scenario {
        name: "ch05_method_coroutines",
        title: "the generator article's Demo.asyn_sum on two instances: both first steps run at call time",
        twin: Some("ch05_method_coroutines"),
        run: method_coroutines,
    },
    Scenario {
        name: "ch05_first_step",
        title: "what a call does before the loop runs: first step, no yield, early error, callback=",
        twin: Some("ch05_first_step"),
        run: first_step,
    },
    Scenario {
        name: "ch05_socket_fills_future",
        title: "the async-in-Tornado article's handler: get() waits for get_data(), which a socket's READ handler fills",
        twin: Some("ch05_socket_fills_future"),
        run: sockets::socket_fills_future,
    },
    Scenario {
        name: "ch05_http_fetch",
        title: "the fetch article's fetch_coroutine against a tiny HTTP server on the same loop",
        twin: Some("ch05_http_fetch"),
        run: sockets::http_fetch,
    },
    Scenario {
        name: "ch05_helpers",
        title: "sleep, multi of a list and a dict, with_timeout, maybe_future",
        twin: Some("ch05_helpers"),
        run: helpers,
    },
    Scenario {
        name: "ch05_report_where_freed",
        title: "a failed future nobody looks at is reported where 4.5.3 lets go of it: a discarded result, with_timeout's result",
        twin: Some("ch05_report_where_freed"),
        run: report_where_freed,
    },
    Scenario {
        name: "ch05_result_hops",
        title: "how many iterations a parent waits: a future, a child coroutine, multi, with_timeout, a done-callback",
        twin: Some("ch05_result_hops"),
        run: result_hops,
    },
];

/// A fresh loop on the system clock, made current.
fn new_loop() -> IOLoop {
    let io_loop = IOLoop::new().expect("a new IOLoop");
    io_loop.make_current();
    io_loop
}

// ANCHOR: asyn_sum
/// The asyn_sum article's `asyn_sum`.
fn asyn_sum(a: i32, b: i32) -> Future<()> {
    coroutine(move |co| async move {
        say!("begin calculate:sum {a}+{b}");
        let future = Future::new();
        let callback = {
            let future = future.clone();
            move |a: i32, b: i32| {
                say!("calculating the sum of {a}+{b}:");
                future.set_result(a + b)
            }
        };
        IOLoop::current()
            .unwrap()
            .add_callback(move || callback(a, b));
        let result = co.yield_(future).await?;
        say!("after yielded");
        say!("the {a}+{b}={result}");
        Ok(())
    })
}
// ANCHOR_END: asyn_sum

fn callback_fills_future() {
    let io_loop = new_loop();
    let f = asyn_sum(2, 3);
    say!("asyn_sum returned; its future is done: {}", py(f.done()));
    let stopper = io_loop.clone();
    io_loop.add_future(&f, move |_| stopper.stop());
    io_loop.start().expect("the loop starts");
}

// ANCHOR: demo
/// The generator article's `Demo`: one pending future per instance, shared by the calls
/// made while it is pending.
struct Demo {
    io_loop: IOLoop,
    name: &'static str,
    future: Option<Future<i32>>,
}

impl Demo {
    fn do_something_long(&self, a: i32, b: i32) -> Result<(), Exception> {
        say!("{}: do_something_long({a}, {b})", self.name);
        match &self.future {
            Some(future) => Ok(future.set_result(a + b)?),
            None => Err(PyError::new("AttributeError", "no _future").into()),
        }
    }

    /// `@coroutine def asyn_sum(self, a, b)`. Python's `self` is shared by
    /// reference; here the instance lives in an `Rc<RefCell<..>>`.
    fn asyn_sum(this: &Rc<RefCell<Demo>>, a: i32, b: i32) -> Future<()> {
        let this = this.clone();
        coroutine(move |co| async move {
            let name = this.borrow().name;
            say!("{name}: asyn_sum {a} {b}");
            let pending = this.borrow().future.clone().filter(|f| !f.done());
            let future = match pending {
                Some(future) => future,
                None => {
                    let future = Future::new();
                    this.borrow_mut().future = Some(future.clone());
                    let demo = this.clone();
                    let io_loop = this.borrow().io_loop.clone();
                    io_loop.add_callback(move || demo.borrow().do_something_long(a, b));
                    future
                }
            };
            let result = co.yield_(future).await?;
            say!("{name}: after yielded");
            say!("{name}: {a} {b} {result}");
            Ok(())
        })
    }
}
// ANCHOR_END: demo

fn method_coroutines() {
    let ioloop = new_loop();
    let demo = |name| {
        Rc::new(RefCell::new(Demo {
            io_loop: ioloop.clone(),
            name,
            future: None,
        }))
    };
    let t1 = demo("t1");
    let f1 = Demo::asyn_sum(&t1, 2, 3);
    say!("t1.asyn_sum returned a future, done={}", py(f1.done()));
    let t2 = demo("t2");
    let f2 = Demo::asyn_sum(&t2, 2, 3);
    say!("t2.asyn_sum returned a future, done={}", py(f2.done()));

    say!("start {}", "*".repeat(20));
    let stopper = ioloop.clone();
    ioloop.add_future(&f2, move |_| stopper.stop());
    ioloop.start().expect("the loop starts");
}

/// Python's `str(True)`.
fn py(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

/// The twin's `show`: a future's state, Python-style.
fn show<T: Clone + Debug + 'static>(what: &str, future: &Future<T>) {
    if !future.done() {
        say!("{what}: pending");
    } else {
        match future.result() {
            Ok(value) => say!("{what}: resolved to {value:?}"),
            Err(exc) => say!("{what}: failed with {exc}"),
        }
    }
}

// ANCHOR: first_step
fn before_and_after(f: Future<i32>) -> Future<i32> {
    coroutine(move |co| async move {
        say!("  body: before the first yield");
        let x = co.yield_(f).await?;
        say!("  body: after the yield, got {x}");
        Ok(x * 2) // PY: raise gen.Return(x * 2)
    })
}

fn never_yields() -> Future<i32> {
    coroutine(|_co| async move {
        say!("  never_yields: body runs");
        Ok(7)
    })
}

fn fails_at_once() -> Future<()> {
    coroutine(|_co| async move { Err(PyError::new("ValueError", "before any yield").into()) })
}
// ANCHOR_END: first_step

fn first_step() {
    let io_loop = new_loop();
    let f = Future::new();
    say!("calling before_and_after");
    let a = before_and_after(f.clone());
    show("before_and_after returned", &a);
    say!("calling never_yields");
    show("never_yields returned", &never_yields());
    show("fails_at_once returned", &fails_at_once());
    // PY: `@gen.engine` raising before its first yield.
    if let Err(exc) = engine(|_co| async move { Err(PyError::new("KeyError", "'engine'").into()) })
    {
        say!("engine_fails_at_once raised {exc}");
    }

    say!("calling never_yields with callback=");
    coroutine_with_callback(
        |value: i32| say!("callback= got {value}"),
        |_co| async move {
            say!("  never_yields: body runs");
            Ok(7)
        },
    );

    io_loop.add_callback({
        let a = a.clone();
        move || {
            say!("resolving f");
            f.set_result(21)?;
            show("before_and_after", &a);
            Ok::<(), Exception>(())
        }
    });
    let stopper = io_loop.clone();
    io_loop.add_future(&a, move |a| {
        show("before_and_after", &a);
        stopper.stop();
    });
    io_loop.start().expect("the loop starts");
}

/// A future resolved by a callback on the next iteration.
fn later<T: 'static>(value: T) -> Future<T> {
    let f = Future::new();
    let resolve = f.clone();
    IOLoop::current()
        .unwrap()
        .add_callback(move || resolve.set_result(value));
    f
}

/// Resolves or fails `future` from a callback, printing `message` first.
fn settle_later<T: 'static>(
    message: &'static str,
    future: &Future<T>,
    outcome: Result<T, Exception>,
) {
    let future = future.clone();
    IOLoop::current().unwrap().add_callback(move || {
        if !message.is_empty() {
            say!("{message}");
        }
        match outcome {
            Ok(value) => future.set_result(value),
            Err(exc) => future.set_exception(exc),
        }
    });
}

// ANCHOR: helpers
/// A coroutine that sleeps, then returns `value`.
fn after(delay: f64, value: i32) -> Future<i32> {
    coroutine(move |co| async move {
        co.yield_(sleep(delay)).await?;
        Ok(value)
    })
}

fn helpers_body() -> Future<&'static str> {
    coroutine(|co| async move {
        say!("sleep(0.01)");
        co.yield_(sleep(0.01)).await?;
        say!("slept");

        let (a, b) = (Future::new(), Future::new());
        settle_later("b resolves first", &b, Ok("b"));
        settle_later("a resolves second", &a, Ok("a"));
        let results = co.yield_(vec![a, b]).await?;
        say!("multi of a list, in input order: {}", results.join(", "));

        let d = co
            .yield_(BTreeMap::from([("x", later(1)), ("y", after(0.01, 2))]))
            .await?;
        say!("multi of a dict: x={} y={}", d["x"], d["y"]);

        let (c, e) = (Future::<()>::new(), Future::<()>::new());
        settle_later("", &e, Err(PyError::new("TypeError", "fails first").into()));
        settle_later(
            "",
            &c,
            Err(PyError::new("ValueError", "fails second").into()),
        );
        if let Err(exc) = co.yield_(vec![c, e]).await {
            say!("multi raised the first failure in input order: {exc}");
        }

        let slow = Future::<()>::new();
        let deadline = IOLoop::current().unwrap().time() + 0.01;
        match co.yield_(with_timeout(deadline, slow.clone())).await {
            Err(exc) if exc.is::<TimeoutError>() => say!("with_timeout raised {exc}"),
            other => other?,
        }
        say!("the slow future is not cancelled: done={}", py(slow.done()));
        slow.set_exception(PyError::new("ValueError", "too late"))?;
        say!("the slow future failed after the timeout (logged)");

        let deadline = IOLoop::current().unwrap().time() + 10.0;
        let fast = co.yield_(with_timeout(deadline, maybe_future(5))).await?;
        say!("with_timeout of maybe_future(5): {fast}");
        Ok("done")
    })
}
// ANCHOR_END: helpers

fn helpers() {
    // The fake clock makes the sleeps instant; the order is the real one.
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).expect("a new IOLoop");
    io_loop.make_current();
    match io_loop.run_sync(helpers_body, None) {
        Ok(value) => say!("helpers() returned: {value}"),
        Err(exc) => say!("helpers() raised {exc}"),
    }
}

/// `tests/tornado/ch05_report_where_freed.py`: a coroutine's result that
/// its caller discards is reported when the step that received it ends (the
/// loop callback that resumed the Runner holds the coroutine's future until
/// then), and `with_timeout`'s unobserved `TimeoutError` when the wrapped
/// future resolves (its done-callback keeps the fired timeout's handle,
/// which keeps the timeout's callback and the result it captured).
fn report_where_freed() {
    let io_loop = IOLoop::with_clock(FakeClock::new(1000.0)).expect("a new IOLoop");
    io_loop.make_current();
    let failed = |why: &str| Future::<()>::failed(PyError::new("ValueError", why.to_string()));
    let main = move || {
        coroutine(move |co| async move {
            let inner = coroutine(move |co| async move {
                co.yield_(moment()).await?;
                Ok(failed("a coroutine's result, discarded by its caller"))
            });
            co.yield_(inner).await?;
            say!("resumed, the result discarded");
            co.yield_(moment()).await?;
            say!("one moment later");

            let wrapped = Future::<()>::new();
            let deadline = IOLoop::current()?.time() + 0.25;
            drop(with_timeout(deadline, wrapped.clone()));
            say!("with_timeout's result dropped at once");
            co.yield_(sleep(0.5)).await?;
            say!("the timeout has fired; the wrapped future resolves");
            wrapped.set_result(())?;
            say!("resolved");
            co.yield_(moment()).await?;
            say!("one moment later");
            Ok::<(), Exception>(())
        })
    };
    if let Err(exc) = io_loop.run_sync(main, None) {
        say!("main() raised {exc}");
    }
    say!("done");
    io_loop.close(true);
    IOLoop::clear_current();
}

/// `tests/tornado/ch05_result_hops.py`: the iterations between "done" and
/// "the waiter goes on", one wait of each kind.
///
/// Under Tornado 4.5.3's rules every wait costs one iteration (the
/// coroutine's result future runs its done-callbacks at once, in the
/// iteration the child returns). Under Tornado 6's, `multi` and
/// `with_timeout` cost two (their inner done-callback is scheduled, then the
/// Runner's), and a done-callback on a coroutine's result future runs one
/// iteration after the child returns, beside the parent.
// ANCHOR: result_hops
fn result_hops() {
    /// Sets `f` from a loop callback, printing when it happens.
    fn set_later(name: &'static str, f: &Future<i32>, value: i32) {
        let f = f.clone();
        IOLoop::current().unwrap().add_callback(move || {
            say!("{name}: set_result");
            f.set_result(value)
        });
    }

    fn child(name: &'static str) -> Future<&'static str> {
        coroutine(move |co| async move {
            co.yield_(moment()).await?;
            say!("{name}: child returns");
            Ok(name)
        })
    }

    let io_loop = new_loop();
    // PY: `loop.add_callback(main)`: the first step runs in the first batch.
    io_loop.add_callback(|| {
        coroutine(|co| async move {
            let f = Future::new();
            set_later("plain future", &f, 1);
            co.yield_(f).await?;
            say!("plain future: parent resumed");

            co.yield_(child("child coroutine")).await?;
            say!("child coroutine: parent resumed");

            let (f1, f2) = (Future::new(), Future::new());
            set_later("multi, first child", &f1, 1);
            set_later("multi, last child", &f2, 2);
            co.yield_(vec![f1, f2]).await?;
            say!("multi: parent resumed");

            let f = Future::new();
            set_later("with_timeout", &f, 1);
            let deadline = IOLoop::current().unwrap().time() + 3600.0;
            co.yield_(with_timeout(deadline, f)).await?;
            say!("with_timeout: parent resumed");

            let r = child("done-callback");
            r.add_done_callback(|_: &Future<&str>| say!("done-callback: callback runs"));
            co.yield_(r).await?;
            say!("done-callback: parent resumed");
            let io_loop = IOLoop::current().unwrap();
            let stopper = io_loop.clone();
            io_loop.add_callback(move || stopper.stop());
            Ok(())
        })
    });
    io_loop.start().expect("the loop starts");
}
// ANCHOR_END: result_hops
