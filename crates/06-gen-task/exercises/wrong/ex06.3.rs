    // wrong: func runs outside an ExceptionStackContext, so an error raised later by a callback it scheduled never reaches the future
    let future = Future::new();
    let set_result = {
        let future = future.clone();
        ResultCallback::new(move |value: Value| {
            if future.done() {
                return Ok(());
            }
            let _ = match value.downcast::<T>() {
                Ok(value) => future.set_result(value),
                Err(exc) => future.set_exception(exc),
            };
            Ok(())
        })
    };
    if let Err(exc) = func(set_result) {
        let _ = future.set_exception(exc);
    }
    future
