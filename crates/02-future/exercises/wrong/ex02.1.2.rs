// wrong: exception() does not clear the never-retrieved flag, as Tornado's `_clear_tb_log` does
match &self.0.state.borrow().outcome {
    Outcome::Pending => Err(FutureError::NotDone.into()),
    Outcome::Result(_) => Ok(None),
    Outcome::Exception(exc) => Ok(Some(exc.clone())),
    Outcome::Cancelled => Err(FutureError::Cancelled.into()),
}
