    // wrong: the final callback is not wrapped in the caller's stack context, so a later error never reaches its handler
    use crate::coroutine::coroutine;

    let future = coroutine(func);
    if future.done() {
        return future.result();
    }
    future.add_done_callback(|future| future.result());
    Ok(())
