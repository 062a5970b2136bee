    // wrong: the first step is left to the loop (a callback), so the body does not start inside the call
    use ch01_yield::{Generator, GeneratorState};
    use ch03_ioloop::IOLoop;
    use ch04_runner::Runner;

    let future = future.clone();
    let mut body = body;
    IOLoop::current().unwrap().add_callback(move || {
        match body.next() {
            Ok(GeneratorState::Yielded(yielded)) => {
                Runner::new(body, future.clone(), yielded);
            }
            Ok(GeneratorState::Complete(value)) => {
                let _ = future.set_result(value);
            }
            Err(exc) => {
                let _ = future.set_exception(exc);
            }
        }
    });
