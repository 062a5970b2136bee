// wrong: the value is cloned while the future's state is still borrowed
self.0.log_traceback.set(0);
match &self.0.state.borrow().outcome {
    Outcome::Pending => Err(FutureError::NotDone.into()),
    Outcome::Result(value) => Ok(T::clone(value)),
    Outcome::Exception(exc) => Err(exc.clone()),
}
