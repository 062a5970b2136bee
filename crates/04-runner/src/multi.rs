//! `multi_future`: wait for a list of futures, results in input order.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch02_future::Future;

/// Waits for every future of `children`; resolves to their results in input
/// order, or fails with the first failure *in input order*.
///
/// ```
/// use ch02_future::Future;
/// use ch04_runner::multi_future;
///
/// let (a, b) = (Future::new(), Future::new());
/// let both = multi_future(vec![a.clone(), b.clone()]);
/// b.set_result(2).unwrap();
/// assert!(!both.done()); // waits for every child
/// a.set_result(1).unwrap();
/// assert_eq!(both.result().unwrap(), [1, 2]);
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 (the list form; chapter 05 adds dicts and
/// `quiet_exceptions`):
///
/// ```python
/// unfinished_children = set(children)
/// future = Future()
/// if not children:
///     future.set_result([])
/// def callback(f):
///     unfinished_children.remove(f)
///     if not unfinished_children:
///         result_list = []
///         for f in children:
///             try:
///                 result_list.append(f.result())
///             except Exception as e:
///                 if future.done():
///                     app_log.error("Multiple exceptions in yield list", exc_info=True)
///                 else:
///                     future.set_exc_info(sys.exc_info())
///         if not future.done():
///             future.set_result(result_list)
/// listening = set()
/// for f in children:
///     if f not in listening:
///         listening.add(f)
///         f.add_done_callback(callback)
/// ```
///
/// A failed child does not cut the wait short: the multi resolves only when
/// every child has, so one child that never finishes hangs it. The same
/// future may appear twice; it is listened to once and its result appears
/// twice.
pub fn multi_future<T: Clone + 'static>(children: Vec<Future<T>>) -> Future<Vec<T>> {
    let future = Future::new();
    if children.is_empty() {
        // PY: `future.set_result([])`: an empty list resolves at once.
        let _ = future.set_result(Vec::new());
        return future;
    }

    // PY: `listening = set()`: each distinct future is listened to once.
    let mut listening: Vec<Future<T>> = Vec::new();
    for child in &children {
        if !listening.iter().any(|f| f.ptr_eq(child)) {
            listening.push(child.clone());
        }
    }

    // PY: `unfinished_children`: only its size matters, since each distinct
    // child calls back exactly once.
    let unfinished = Rc::new(Cell::new(listening.len()));
    let children = Rc::new(RefCell::new(Some(children)));
    for child in listening {
        let (future, unfinished, children) = (future.clone(), unfinished.clone(), children.clone());
        child.add_done_callback(move |_| {
            unfinished.set(unfinished.get() - 1);
            if unfinished.get() > 0 {
                return;
            }
            // The last child is done: collect in input order. Taking the
            // list out drops the children once the multi has resolved.
            let children = children.borrow_mut().take().unwrap_or_default();
            let mut results = Vec::with_capacity(children.len());
            for child in &children {
                match child.result() {
                    Ok(value) => results.push(value),
                    Err(exc) if future.done() => {
                        log::error!(target: "tornado.application", "Multiple exceptions in yield list: {exc}");
                    }
                    Err(exc) => {
                        let _ = future.set_exception(exc);
                    }
                }
            }
            if !future.done() {
                let _ = future.set_result(results);
            }
        });
    }
    future
}
