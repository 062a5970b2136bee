//! `gen.moment`: yield to let the IOLoop run one turn.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use ch00_trace::{recordings_started, unrecorded};
use ch02_future::Future;

use crate::any_future::AnyFuture;

thread_local! {
    // PY: `moment = Future(); moment.set_result(None)` at module level.
    // Futures are per thread here (an `Rc`), so there is one moment per
    // thread, made on first use and the same future for the thread's life,
    // whatever the recorder does. It records in which recording it last took
    // a name: the Python twins name the moment where a program first uses it,
    // so in each new recording it takes a fresh name (`Future::rename`) at
    // its first use; its identity never changes. Kept with it: the moment
    // already erased (see `erased_moment`).
    static MOMENT: RefCell<Option<Moment>> = const { RefCell::new(None) };
}

/// The thread's moment, as `MOMENT` keeps it.
struct Moment {
    /// `recordings_started()` when it last took a name (`u64::MAX`: never).
    named_in: u64,
    future: Future<()>,
    /// `future` as the Runner holds it (see [`erased_moment`]).
    erased: Rc<dyn AnyFuture>,
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
        let moment = slot.get_or_insert_with(|| {
            let future = unrecorded(|| Future::resolved(()));
            let erased: Rc<dyn AnyFuture> = Rc::new(future.clone());
            Moment {
                named_in: u64::MAX,
                future,
                erased,
            }
        });
        if moment.named_in != recording {
            moment.named_in = recording;
            moment.future.rename();
        }
        moment.future.clone()
    })
}

/// Is this the moment, the one future `handle_yield` treats as not done?
/// (Asking does not make one: a future made before it cannot be it.)
pub(crate) fn is_moment(future: &dyn AnyFuture) -> bool {
    // exercise ex04.2 begin (uses: future)
    use crate::any_future::Erased;

    let any = future.as_any();
    // The Runner holds the moment it waits on weakly, as any future.
    let future = match any.downcast_ref::<Future<()>>() {
        Some(future) => future.clone(),
        None => match any.downcast_ref::<Erased<()>>().and_then(Erased::upgrade) {
            Some(future) => future,
            None => return false,
        },
    };
    MOMENT.with(|slot| {
        slot.borrow()
            .as_ref()
            .is_some_and(|moment| moment.future.ptr_eq(&future))
    })
    // exercise ex04.2 end
}

/// The moment as the Runner holds it, `Rc<dyn AnyFuture>`, if `future` is
/// the moment: made once with it, so that `yield moment`, which a coroutine
/// may do in every turn, allocates nothing. `None` for any other future.
pub(crate) fn erased_moment<T: 'static>(future: &Future<T>) -> Option<Rc<dyn AnyFuture>> {
    // Only a `Future<()>` can be the moment; for any other `T` the compiler
    // knows this is `None`.
    let future = (future as &dyn Any).downcast_ref::<Future<()>>()?;
    MOMENT.with(|slot| match &*slot.borrow() {
        Some(moment) if moment.future.ptr_eq(future) => Some(moment.erased.clone()),
        _ => None,
    })
}
