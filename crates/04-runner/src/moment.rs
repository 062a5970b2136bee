//! `gen.moment`: yield to let the IOLoop run one turn.

use std::cell::RefCell;

use ch00_trace::{recordings_started, unrecorded};
use ch02_future::Future;

use crate::any_future::{AnyFuture, Weakened};

thread_local! {
    // PY: `moment = Future(); moment.set_result(None)` at module level.
    // Futures are per thread here (an `Rc`), so there is one moment per
    // thread, made on first use and the same future for the thread's life,
    // whatever the recorder does. The number beside it says in which
    // recording it last took a name: the Python twins name the moment where a
    // program first uses it, so in each new recording it takes a fresh name
    // (`Future::rename`) at its first use; its identity never changes.
    // `u64::MAX`: not named in any recording yet.
    static MOMENT: RefCell<Option<(u64, Future<()>)>> = const { RefCell::new(None) };
}

/// A special object which may be yielded to allow the IOLoop to run for one
/// iteration.
///
/// ```
/// let moment = ch04_runner::moment();
/// assert!(moment.done());
/// assert!(moment.ptr_eq(&ch04_runner::moment()));
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// moment = Future()
/// moment.set_result(None)
/// ```
///
/// It is an ordinary, already-resolved future, so inside a list it counts as
/// done (`yield [moment, moment]` does not yield to the loop at all); yielded
/// alone, `Runner.handle_yield` recognises it *by identity* and waits one
/// turn of the loop anyway (`if not self.future.done() or self.future is moment`).
pub fn moment() -> Future<()> {
    MOMENT.with(|slot| {
        let mut slot = slot.borrow_mut();
        let recording = recordings_started();
        // Resolved once, as at import time: no program's recording shows it.
        let (named_in, moment) =
            slot.get_or_insert_with(|| (u64::MAX, unrecorded(|| Future::resolved(()))));
        if *named_in != recording {
            *named_in = recording;
            moment.rename();
        }
        moment.clone()
    })
}

/// Is this the moment, the one future `handle_yield` treats as not done?
/// (Asking does not make one: a future made before it cannot be it.)
pub(crate) fn is_moment(future: &dyn AnyFuture) -> bool {
    let any = future.as_any();
    // The Runner holds the moment it waits on weakly, as any future.
    let future = match any.downcast_ref::<Future<()>>() {
        Some(future) => future.clone(),
        None => match any
            .downcast_ref::<Weakened<()>>()
            .and_then(Weakened::upgrade)
        {
            Some(future) => future,
            None => return false,
        },
    };
    MOMENT.with(|slot| {
        slot.borrow()
            .as_ref()
            .is_some_and(|(_, moment)| moment.ptr_eq(&future))
    })
}
