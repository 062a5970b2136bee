// wrong: any way the body stops counts as closed, even a body that yields again
use crate::error::GeneratorExit;
match self.resume(Resume::Throw(Exception::new(GeneratorExit))) {
    Ok(_) => Ok(()),
    Err(exc) if exc.is::<GeneratorExit>() => Ok(()),
    Err(exc) => Err(exc),
}
