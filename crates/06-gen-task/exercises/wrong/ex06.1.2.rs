        // wrong: an error from Runner::is_ready is taken for not ready, so an unknown key waits forever
        Ok(self
            .keys
            .iter()
            .all(|key| runner.is_ready(key).unwrap_or(false)))
