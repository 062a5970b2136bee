    // wrong: the stack contexts are not compared around next(), so a yield inside a with StackContext block goes unnoticed
    use ch01_yield::{Generator, GeneratorState};
    use ch04_runner::{Runner, Yielded};

    let mut body = body;
    match body.next() {
        Ok(GeneratorState::Yielded(yielded)) => {
            let yielded: Yielded = yielded;
            Runner::new(body, future.clone(), yielded);
        }
        Ok(GeneratorState::Complete(value)) => {
            let _ = future.set_result(value);
        }
        Err(exc) => {
            let _ = future.set_exception(exc);
        }
    }
