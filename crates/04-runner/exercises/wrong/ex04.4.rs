// wrong: each result is pushed as its child resolves, so the results come in the order the children finished, not the order of the list
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
let results = Rc::new(RefCell::new(Vec::new()));
for child in listening {
    let (future, unfinished, results) = (future.clone(), unfinished.clone(), results.clone());
    let (collect, quiet_exceptions) = (collect.clone(), quiet_exceptions.clone());
    child.add_done_callback(move |child| {
        unfinished.set(unfinished.get() - 1);
        match child.result() {
            Ok(value) => results.borrow_mut().push(value),
            Err(exc)
                if future.done() && catch_panic(|| quiet_exceptions(&exc)).unwrap_or(false) => {}
            Err(exc) if future.done() => {
                log::error!(target: "tornado.application", "Multiple exceptions in yield list: {exc}");
            }
            Err(exc) => {
                let _ = future.set_exception(exc);
            }
        }
        if unfinished.get() > 0 {
            return;
        }
        if let (false, Some(collect)) = (future.done(), collect.borrow_mut().take()) {
            let _ = future.set_result(collect(results.take()));
        }
    });
}
future
