// wrong: every exception out of the body is taken for the GeneratorExit that close threw in
use crate::error::{GeneratorError, GeneratorExit};
match self.resume(Resume::Throw(Exception::new(GeneratorExit))) {
    Ok(GeneratorState::Complete(_)) | Err(_) => Ok(()),
    Ok(GeneratorState::Yielded(_)) => Err(Exception::new(GeneratorError::IgnoredGeneratorExit)),
}
