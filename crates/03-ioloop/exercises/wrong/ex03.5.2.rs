// wrong: func is called at once, before start(), rather than from a callback of the running loop
use std::cell::Cell;
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
let armed = Rc::new(Cell::new(true));
let future = catch_panic(func).unwrap_or_else(Future::failed);
let (stopper, stop_armed) = (self.downgrade(), armed.clone());
self.add_future(&future, move |_| {
    if let Some(io_loop) = stopper.upgrade().filter(|_| stop_armed.get()) {
        io_loop.stop();
    }
});
let timeout_handle = timeout.map(|seconds| {
    let stopper = self.downgrade();
    self.add_timeout(self.time() + seconds, move || {
        if let Some(io_loop) = stopper.upgrade() {
            io_loop.stop();
        }
    })
});
let started = self.start();
armed.set(false);
started?;
if let Some(handle) = &timeout_handle {
    self.remove_timeout(handle);
}
if future.done() {
    future.result()
} else {
    Err(IOLoopError::Timeout(timeout).into())
}
