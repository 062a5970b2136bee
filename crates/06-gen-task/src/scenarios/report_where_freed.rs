//! What `gen.Task` ignores is let go of at once, and `multi`'s later
//! failures are logged where 4.5.3 logs them.

use ch00_trace::say;
use ch01_yield::{Exception, PyError};
use ch02_future::Future;
use ch03_ioloop::IOLoop;
use ch05_coroutine::coroutine;

use crate::{ResultCallback, task};

fn failed(why: &str) -> Future<()> {
    Future::failed(PyError::new("ValueError", why.to_string()))
}

/// `def calls_back_twice(callback)`: the second value is ignored by
/// `gen.Task`, and dropped when that call returns.
fn calls_back_twice(callback: ResultCallback) -> Result<(), Exception> {
    callback.call(1i32)?;
    say!("first call returned");
    callback.call(failed("the second call's argument, ignored"))?;
    say!("second call returned");
    Ok(())
}

/// `def fails_later(why, callback)`: a callback on the next iteration
/// raises, into the task's stack context, which fails the task.
fn fails_later(why: &'static str) -> impl FnOnce(ResultCallback) -> Result<(), Exception> {
    move |_callback| {
        IOLoop::current()?.add_callback(move || {
            say!("{why}: raises");
            Err::<(), Exception>(PyError::new("ValueError", why).into())
        });
        Ok(())
    }
}

/// `tests/tornado/ch06_report_where_freed.py`.
pub(super) fn report_where_freed() {
    let io_loop = super::new_loop();
    let main = || {
        coroutine(|co| async move {
            let value = co.yield_(task::<i32>(calls_back_twice)).await?;
            say!("the task gave {value}");

            let tasks = vec![
                task::<()>(fails_later("first")),
                task::<()>(fails_later("second")),
            ];
            if let Err(exc) = co.yield_(tasks).await {
                say!("raised at the yield: {exc}");
            }
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
