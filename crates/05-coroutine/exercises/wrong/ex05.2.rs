    // wrong: the timeout is never removed, so it still fires at the deadline after the future completed
    use ch01_yield::Exception;
    use ch02_future::chain_future;
    use ch03_ioloop::{IOLoop, IOLoopError};

    use crate::error::TimeoutError;

    fn log_failure_after_timeout<T: Clone + 'static>(future: &Future<T>) {
        future.add_done_callback(|future: &Future<T>| {
            if let Err(exc) = future.result() {
                log::error!(target: "tornado.application",
                    "Exception in Future f{} after timeout: {exc}", future.id());
            }
        });
    }

    if deadline.is_nan() {
        let result = Future::failed(IOLoopError::NotANumber);
        log_failure_after_timeout(&future);
        return result;
    }
    let result = Future::new();
    let io_loop = match IOLoop::current() {
        Ok(io_loop) => io_loop,
        Err(error) => {
            let _ = result.set_exception(error);
            return result;
        }
    };
    chain_future(&future, &result);
    io_loop.add_timeout(deadline, {
        let (result, future) = (result.clone(), future.clone());
        move || {
            result.set_exception(TimeoutError)?;
            log_failure_after_timeout(&future);
            Ok::<(), Exception>(())
        }
    });
    result
