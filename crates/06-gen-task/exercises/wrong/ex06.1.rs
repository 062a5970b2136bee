        // wrong: ready as soon as one key has its result (any where Tornado has all)
        for key in &self.keys {
            if runner.is_ready(key)? {
                return Ok(true);
            }
        }
        Ok(false)
