// wrong: a throw into an unstarted generator runs the body, as a throw into a suspended one does
use crate::error::GeneratorError;
use crate::panic::catch_panic;
let how = match (self.stage, how) {
    (Stage::Unstarted, Resume::Send(_)) => {
        return Err(Exception::new(GeneratorError::SendToUnstarted));
    }
    (Stage::Finished, Resume::Throw(exc)) => return Err(exc),
    (Stage::Finished, _) => return Err(Exception::new(GeneratorError::StopIteration)),
    (Stage::Suspended, Resume::Next) => Resume::Send(S::default()),
    (_, how) => how,
};
let outcome = catch_panic(|| body(how)).and_then(|outcome| outcome);
self.stage = match &outcome {
    Ok(GeneratorState::Yielded(_)) => Stage::Suspended,
    _ => Stage::Finished,
};
outcome
