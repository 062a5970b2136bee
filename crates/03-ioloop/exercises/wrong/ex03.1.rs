// wrong: a stop() before start() makes start() return at once, but the request is never used up
if self.running.get() {
    return Err(IOLoopError::AlreadyRunning);
}
if self.stopped.get() {
    return Ok(false);
}
if self.closing.get() {
    return Err(IOLoopError::Closed);
}
self.started.set(true);
Ok(true)
