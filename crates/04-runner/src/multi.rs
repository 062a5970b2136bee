//! `multi_future`: wait for a list of futures, results in input order.

use std::collections::BTreeMap;

use ch01_yield::Exception;
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
/// `tornado/gen.py` 4.5.3 (the list form; [`multi_future_map`] is the dict
/// form, [`multi_future_quiet`] adds `quiet_exceptions`):
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
    multi_collect(children, |results| results, |_| false)
}

/// [`multi_future`] with `quiet_exceptions`: a failure after the first one
/// is logged only when `quiet_exceptions` says no.
///
/// ```
/// use ch01_yield::PyError;
/// use ch02_future::Future;
/// use ch04_runner::multi_future_quiet;
///
/// // gen.multi_future([a, b], quiet_exceptions=RuntimeError)
/// let (a, b) = (Future::<i32>::new(), Future::new());
/// let is_runtime_error =
///     |e: &ch01_yield::Exception| e.downcast_ref::<PyError>().is_some_and(|e| e.name == "RuntimeError");
/// let both = multi_future_quiet(vec![a.clone(), b.clone()], is_runtime_error);
/// a.set_exception(PyError::new("RuntimeError", "error 1")).unwrap();
/// b.set_exception(PyError::new("RuntimeError", "error 2")).unwrap(); // not logged
/// assert_eq!(both.result().unwrap_err().to_string(), "RuntimeError: error 1");
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `multi_future(children, quiet_exceptions=())`:
///
/// ```python
/// except Exception as e:
///     if future.done():
///         if not isinstance(e, quiet_exceptions):
///             app_log.error("Multiple exceptions in yield list", exc_info=True)
///     else:
///         future.set_exc_info(sys.exc_info())
/// ```
///
/// # Differences
///
/// Python names classes (`quiet_exceptions=(RuntimeError, KeyError)`,
/// matched with `isinstance`); here a predicate says which exceptions are
/// quiet, since a Rust error is matched by type (`|e| e.is::<TimeoutError>()`)
/// and an exception made by name ([`PyError`](ch01_yield::PyError)) by its
/// name. The first failure is raised whatever the predicate says; a
/// predicate that panics counts as "not quiet", and the exception is logged.
pub fn multi_future_quiet<T: Clone + 'static>(
    children: Vec<Future<T>>,
    quiet_exceptions: impl Fn(&Exception) -> bool + 'static,
) -> Future<Vec<T>> {
    multi_collect(children, |results| results, quiet_exceptions)
}

/// The dict form: waits for every future of the map and resolves to a map
/// of their results under the same keys; the first failure *in key order*
/// wins.
///
/// ```
/// use std::collections::BTreeMap;
/// use ch02_future::Future;
/// use ch04_runner::multi_future_map;
///
/// let (a, b) = (Future::new(), Future::new());
/// let both = multi_future_map(BTreeMap::from([("a", a.clone()), ("b", b.clone())]));
/// b.set_result(2).unwrap();
/// a.set_result(1).unwrap();
/// assert_eq!(both.result().unwrap(), BTreeMap::from([("a", 1), ("b", 2)]));
/// ```
///
/// # Differences
///
/// A Python dict keeps insertion order, which decides which failure is
/// raised; a `BTreeMap` keeps key order, which is deterministic too.
pub fn multi_future_map<K, T>(children: BTreeMap<K, Future<T>>) -> Future<BTreeMap<K, T>>
where
    K: Ord + Clone + 'static,
    T: Clone + 'static,
{
    multi_future_map_quiet(children, |_| false)
}

/// [`multi_future_map`] with `quiet_exceptions`, as
/// [`multi_future_quiet`] is to [`multi_future`].
pub fn multi_future_map_quiet<K, T>(
    children: BTreeMap<K, Future<T>>,
    quiet_exceptions: impl Fn(&Exception) -> bool + 'static,
) -> Future<BTreeMap<K, T>>
where
    K: Ord + Clone + 'static,
    T: Clone + 'static,
{
    // PY: `keys = list(children.keys()); children = children.values()`.
    let (keys, children): (Vec<K>, Vec<Future<T>>) = children.into_iter().unzip();
    // PY: `future.set_result(dict(zip(keys, result_list)))`.
    multi_collect(
        children,
        move |results| keys.into_iter().zip(results).collect(),
        quiet_exceptions,
    )
}

/// `multi_future` for both forms: `collect` makes the list or the dict;
/// `quiet_exceptions` says which later failures go unlogged.
fn multi_collect<T, O>(
    children: Vec<Future<T>>,
    collect: impl FnOnce(Vec<T>) -> O + 'static,
    quiet_exceptions: impl Fn(&Exception) -> bool + 'static,
) -> Future<O>
where
    T: Clone + 'static,
    O: 'static,
{
    // exercise ex04.4 begin (uses: children, collect, quiet_exceptions)
    use std::cell::{Cell, RefCell};
    use std::collections::HashSet;
    use std::rc::Rc;

    use ch01_yield::catch_panic;

    let future = Future::new();
    if children.is_empty() {
        // PY: `future.set_result({} if keys is not None else [])`: an empty
        // list or dict resolves at once.
        let _ = future.set_result(collect(Vec::new()));
        return future;
    }
    let collect = Rc::new(RefCell::new(Some(collect)));
    let quiet_exceptions = Rc::new(quiet_exceptions);

    // PY: `listening = set()`: each distinct future is listened to once, in
    // input order. A set as in Python (a future hashes by identity): looking
    // each child up in a list instead is quadratic, 50 million comparisons
    // for 10,000 children, longer than running them all.
    // Clippy warns of a key with interior mutability; a future hashes by
    // identity, which nothing inside it can change.
    #[allow(clippy::mutable_key_type)]
    let mut seen = HashSet::with_capacity(children.len());
    let listening: Vec<Future<T>> = children
        .iter()
        .filter(|child| seen.insert(*child))
        .cloned()
        .collect();
    drop(seen);

    // PY: `unfinished_children`: only its size matters, since each distinct
    // child calls back exactly once.
    let unfinished = Rc::new(Cell::new(listening.len()));
    let children = Rc::new(RefCell::new(Some(children)));
    for child in listening {
        let (future, unfinished, children) = (future.clone(), unfinished.clone(), children.clone());
        let (collect, quiet_exceptions) = (collect.clone(), quiet_exceptions.clone());
        // PY 6.x: `future_add_done_callback(f, callback)`: a child already
        // done counts at once (4.5.3's `add_done_callback` does the same).
        ch02_future::future_add_done_callback(&child, move |_| {
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
                    // PY: `if not isinstance(e, quiet_exceptions)`. The
                    // predicate is user code: one that panics says "not
                    // quiet", and the exception is logged.
                    // PY 6.x: `isinstance(e, (asyncio.CancelledError,
                    // quiet_exceptions))`: a cancelled child (Tornado 6
                    // only) is never logged.
                    Err(_) if future.done() && child.cancelled() => {}
                    Err(exc)
                        if future.done()
                            && catch_panic(|| quiet_exceptions(&exc)).unwrap_or(false) => {}
                    Err(exc) if future.done() => {
                        log::error!(target: "tornado.application", "Multiple exceptions in yield list: {exc}");
                    }
                    Err(exc) => {
                        let _ = future.set_exception(exc);
                    }
                }
            }
            if let (false, Some(collect)) = (future.done(), collect.borrow_mut().take()) {
                let _ = future.set_result(collect(results));
            }
        });
    }
    future
    // exercise ex04.4 end
}
