    // wrong: the callback does not check whether the future is done, so a second call is an error
    use ch01_yield::raise;
    use ch03_ioloop::stack_context::ExceptionStackContext;

    let future = Future::new();
    let set_result = {
        let future = future.clone();
        ResultCallback::new(move |value: Value| {
            future.set_result(value.downcast::<T>()?)?;
            Ok(())
        })
    };
    let handler_future = future.clone();
    let context = ExceptionStackContext::new(move |exc| {
        if handler_future.done() {
            return Ok(false);
        }
        let _ = handler_future.set_exception(exc.clone());
        Ok(true)
    });
    let outcome = context.run(|_| {
        if let Err(exc) = func(set_result) {
            raise(exc);
        }
    });
    if let Err(exc) = outcome {
        raise(exc);
    }
    future
