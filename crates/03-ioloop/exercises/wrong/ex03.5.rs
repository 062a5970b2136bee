// wrong: the stop hung on the future is never disarmed, so a future that resolves after the timeout stops a later start()
use std::cell::RefCell;
use std::rc::Rc;

use ch01_yield::catch_panic;

use crate::error::IOLoopError;

if timeout.is_some_and(f64::is_nan) {
    return Err(IOLoopError::NotANumber.into());
}
if self.is_running() {
    return Err(IOLoopError::AlreadyRunning.into());
}
if self.inner.state.take_stop_request() {
    return Err(IOLoopError::Timeout(timeout).into());
}
let future_cell: Rc<RefCell<Option<Future<T>>>> = Rc::new(RefCell::new(None));
let (cell, io_loop) = (future_cell.clone(), self.downgrade());
self.add_callback(move || {
    let future = catch_panic(func).unwrap_or_else(Future::failed);
    *cell.borrow_mut() = Some(future.clone());
    let Some(io_loop) = io_loop.upgrade() else {
        return;
    };
    let stopper = io_loop.downgrade();
    io_loop.add_future(&future, move |_| {
        if let Some(io_loop) = stopper.upgrade() {
            io_loop.stop();
        }
    });
});
let timeout_handle = timeout.map(|seconds| {
    let stopper = self.downgrade();
    self.add_timeout(self.time() + seconds, move || {
        if let Some(io_loop) = stopper.upgrade() {
            io_loop.stop();
        }
    })
});
self.start()?;
if let Some(handle) = &timeout_handle {
    self.remove_timeout(handle);
}
let future = future_cell.borrow_mut().take();
match future {
    Some(future) if future.done() => future.result(),
    _ => Err(IOLoopError::Timeout(timeout).into()),
}
