    // wrong: an error before the first yield is raised to the caller instead of failing the future
    use ch01_yield::{Generator, GeneratorState, raise};
    use ch03_ioloop::stack_context::Contexts;
    use ch04_runner::{Runner, Yielded, erase, stack_context_inconsistency};

    let mut body = body;
    let orig_stack_contexts = Contexts::current();
    match body.next() {
        Ok(GeneratorState::Yielded(yielded)) => {
            let yielded = match orig_stack_contexts.is_current() {
                true => yielded,
                false => {
                    let failed = Future::<()>::new();
                    let _ = failed.set_exception(stack_context_inconsistency());
                    Yielded::Future(erase(failed))
                }
            };
            Runner::new(body, future.clone(), yielded);
        }
        Ok(GeneratorState::Complete(value)) => {
            let _ = future.set_result(value);
        }
        Err(exc) => raise(exc),
    }
