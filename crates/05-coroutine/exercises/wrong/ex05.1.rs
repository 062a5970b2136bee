    // wrong: the duration is given to add_timeout, which takes an absolute deadline, not a delay
    use ch03_ioloop::{IOLoop, IOLoopError};
    if duration.is_nan() {
        return Future::failed(IOLoopError::NotANumber);
    }
    let f = Future::new();
    let resolve = f.clone();
    match IOLoop::current() {
        Ok(io_loop) => {
            io_loop.add_timeout(duration, move || resolve.set_result(()));
        }
        Err(error) => {
            let _ = f.set_exception(error);
        }
    }
    f
