// wrong: the multi fails as soon as one child fails, without waiting for the others as 4.5.3 does
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use ch01_yield::catch_panic;

let future = Future::new();
if children.is_empty() {
    let _ = future.set_result(collect(Vec::new()));
    return future;
}
let collect = Rc::new(RefCell::new(Some(collect)));
let quiet_exceptions = Rc::new(quiet_exceptions);
#[allow(clippy::mutable_key_type)]
let mut seen = HashSet::with_capacity(children.len());
let listening: Vec<Future<T>> = children
    .iter()
    .filter(|child| seen.insert(*child))
    .cloned()
    .collect();
drop(seen);
let unfinished = Rc::new(Cell::new(listening.len()));
let children = Rc::new(RefCell::new(Some(children)));
for child in listening {
    let (future, unfinished, children) = (future.clone(), unfinished.clone(), children.clone());
    let (collect, quiet_exceptions) = (collect.clone(), quiet_exceptions.clone());
    child.add_done_callback(move |child| {
        unfinished.set(unfinished.get() - 1);
        if let Err(exc) = child.result() {
            if !future.done() {
                let _ = future.set_exception(exc);
            } else if !catch_panic(|| quiet_exceptions(&exc)).unwrap_or(false) {
                log::error!(target: "tornado.application", "Multiple exceptions in yield list: {exc}");
            }
        }
        if unfinished.get() > 0 {
            return;
        }
        let children = children.borrow_mut().take().unwrap_or_default();
        let results: Vec<T> = children.iter().filter_map(|c| c.result().ok()).collect();
        if let (false, Some(collect)) = (future.done(), collect.borrow_mut().take()) {
            let _ = future.set_result(collect(results));
        }
    });
}
future
