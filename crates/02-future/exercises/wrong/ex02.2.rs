// wrong: only a callback that returns Err is caught; one that panics is not turned into an exception
if let Err(exc) = callback() {
    log::error!(
        target: "tornado.application",
        "Exception in callback {which} for future f{}: {exc}",
        self.id()
    );
}
