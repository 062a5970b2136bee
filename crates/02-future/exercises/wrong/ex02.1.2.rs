// wrong: result() does not clear the never-retrieved flag, as Tornado's _clear_tb_log does
let value = match &self.0.state.borrow().outcome {
    Outcome::Pending => return Err(FutureError::NotDone.into()),
    Outcome::Result(value) => Rc::clone(value),
    Outcome::Exception(exc) => return Err(exc.clone()),
};
Ok(T::clone(&value))
