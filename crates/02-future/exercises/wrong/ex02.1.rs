// wrong: a pending future answers None, as if it had succeeded (Tornado's `self._check_done()` is left out)
self.0.log_traceback.set(0);
match &self.0.state.borrow().outcome {
    Outcome::Exception(exc) => Ok(Some(exc.clone())),
    _ => Ok(None),
}
