    // wrong: the result future is dropped, so an error before the first yield is never returned
    use crate::coroutine::coroutine;

    let _ = coroutine(func);
    Ok(())
