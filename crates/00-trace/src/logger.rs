//! The `log` facade, routed into the recording.
//!
//! Tornado reports errors it survives through Python's `logging`
//! (`app_log.error("Exception in callback %r", ...)` on `tornado.application`).
//! The course's crates log through the `log` facade with the same targets, and
//! this logger puts each record into the recording of the thread that logged
//! it, so a snapshot shows *where* in the order of events an error was
//! reported. With no recording going, records go to standard error.

use std::sync::Once;

use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::event::EventKind;

struct CourseLogger;

impl Log for CourseLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Info
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if crate::is_recording() {
            crate::recorder::emit(EventKind::Log, || {
                format!("{} {}: {}", record.level(), record.target(), record.args())
            });
        } else {
            eprintln!("{} {}: {}", record.level(), record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

static LOGGER: CourseLogger = CourseLogger;
static INSTALL: Once = Once::new();

/// Installs the course's logger as the `log` facade's logger, once per
/// process. [`record`](crate::record) calls it; call it yourself to see log
/// lines on standard error without recording. If the program already
/// installed another logger, that one stays and records are not captured.
pub fn install() {
    INSTALL.call_once(|| {
        if log::set_logger(&LOGGER).is_ok() {
            log::set_max_level(LevelFilter::Info);
        }
    });
}
