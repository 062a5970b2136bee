        // wrong: the value under the key is the future itself, returned as if it were its result
        match &self.state {
            Started::Waiting(key) => runner.pop_result(key),
            Started::Future(future) => future.result().map(Value::new),
        }
