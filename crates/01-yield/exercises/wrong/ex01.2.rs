// wrong: a next() on a suspended generator is passed on as Next, not as Send(S::default())
use crate::error::GeneratorError;
use crate::panic::catch_panic;
match (self.stage, &how) {
    (Stage::Unstarted, Resume::Send(_)) => {
        return Err(Exception::new(GeneratorError::SendToUnstarted));
    }
    (Stage::Unstarted, Resume::Throw(_)) | (Stage::Finished, Resume::Throw(_)) => {
        self.stage = Stage::Finished;
        let Resume::Throw(exc) = how else {
            unreachable!()
        };
        return Err(exc);
    }
    (Stage::Finished, _) => return Err(Exception::new(GeneratorError::StopIteration)),
    _ => {}
}
let outcome = catch_panic(|| body(how)).and_then(|outcome| outcome);
self.stage = match &outcome {
    Ok(GeneratorState::Yielded(_)) => Stage::Suspended,
    _ => Stage::Finished,
};
outcome
