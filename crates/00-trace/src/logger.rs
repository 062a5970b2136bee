//! The `log` facade, routed into the recording.
//!
//! Tornado reports errors it survives through Python's `logging`
//! (`app_log.error("Exception in callback %r", ...)` on `tornado.application`).
//! The course's crates log through the `log` facade with the same targets, and
//! this logger puts each record into the recording of the thread that logged
//! it, so a snapshot shows *where* in the order of events an error was
//! reported. With no recording going, records go to standard error, or
//! where [`basic_config`] sends them, in its format.

use std::io::Write;
use std::sync::{Arc, Mutex, Once, RwLock};

use log::{Level, LevelFilter, Log, Metadata, Record};

use crate::event::EventKind;

/// The format of log lines outside a recording until [`basic_config`]
/// chooses another: `ERROR tornado.application: Exception in callback ...`.
pub const DEFAULT_FORMAT: &str = "%(levelname)s %(name)s: %(message)s";

/// Where [`basic_config`] sends log lines written outside a recording.
#[derive(Clone, Debug)]
pub enum LogStream {
    /// Standard error (Python's default, `sys.stderr`).
    Stderr,
    /// Standard output (`stream=sys.stdout`), so a program's log lines go
    /// between its prints.
    Stdout,
    /// A string in memory (`stream=io.StringIO()`): each line is appended,
    /// with its `\n`.
    Buffer(Arc<Mutex<String>>),
}

/// The current [`basic_config`]: a format and a stream.
struct Config {
    format: String,
    stream: LogStream,
}

static CONFIG: RwLock<Option<Config>> = RwLock::new(None);

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
            return;
        }
        // A poisoned lock only means a writer panicked: its value is whole.
        let config = CONFIG.read().unwrap_or_else(|e| e.into_inner());
        let (format, stream) = match &*config {
            Some(config) => (config.format.as_str(), &config.stream),
            None => (DEFAULT_FORMAT, &LogStream::Stderr),
        };
        let line = format_record(format, record);
        // PY: logging's handlers report their own failures and go on; a
        // closed stream must not panic the loop that logged.
        match stream {
            LogStream::Stderr => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            LogStream::Stdout => {
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            }
            LogStream::Buffer(buffer) => {
                let mut buffer = buffer.lock().unwrap_or_else(|e| e.into_inner());
                buffer.push_str(&line);
                buffer.push('\n');
            }
        }
    }

    fn flush(&self) {}
}

/// Python's name of a level: `WARNING` where `log` says `WARN`.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "ERROR",
        Level::Warn => "WARNING",
        Level::Info => "INFO",
        Level::Debug | Level::Trace => "DEBUG",
    }
}

/// Python's `logging.LogRecord` level numbers.
fn level_number(level: Level) -> u8 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug | Level::Trace => 10,
    }
}

/// `format % record.__dict__`, for the keys the course's programs use.
fn format_record(format: &str, record: &Record<'_>) -> String {
    const KEYS: [&str; 5] = [
        "%%",
        "%(levelname)s",
        "%(levelno)s",
        "%(name)s",
        "%(message)s",
    ];
    let mut line = String::with_capacity(format.len() + 64);
    let mut rest = format;
    while let Some(at) = rest.find('%') {
        line.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(key) = KEYS.into_iter().find(|key| rest.starts_with(key)) else {
            // Anything else is copied as it is.
            line.push('%');
            rest = &rest[1..];
            continue;
        };
        match key {
            "%%" => line.push('%'),
            "%(levelname)s" => line.push_str(level_name(record.level())),
            "%(levelno)s" => line.push_str(&level_number(record.level()).to_string()),
            "%(name)s" => line.push_str(record.target()),
            _ => line.push_str(&record.args().to_string()),
        }
        rest = &rest[key.len()..];
    }
    line.push_str(rest);
    line
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

/// Sets up logging outside recordings the way Python's
/// `logging.basicConfig(format=..., stream=...)` does, and installs the
/// course's logger ([`install_logger`](crate::install_logger)).
///
/// `format` knows `%(levelname)s` (`ERROR`, `WARNING`, `INFO`),
/// `%(levelno)s` (40, 30, 20), `%(name)s` (the logger's name, the `log`
/// target: `tornado.application`), `%(message)s` and `%%`; anything else
/// is copied as it is. Inside a recording nothing changes: log lines are
/// recorded as `! ERROR tornado.application: ...`, whatever the format.
///
/// # Differences
///
/// Python's `basicConfig` does nothing once the root logger has a handler
/// (Tornado 4.5.3's `IOLoop.start` adds one by calling `basicConfig()`
/// itself); this one replaces the previous setting each time. Levels below
/// `INFO` are not logged, and an unknown `%(key)s` is copied rather than
/// raising `KeyError`.
///
/// # Example
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use ch00_trace::{LogStream, basic_config};
///
/// let buffer = Arc::new(Mutex::new(String::new()));
/// basic_config("%(levelname)s:%(name)s:%(message)s", LogStream::Buffer(buffer.clone()));
/// log::error!(target: "tornado.application", "Exception in callback f");
/// assert_eq!(*buffer.lock().unwrap(), "ERROR:tornado.application:Exception in callback f\n");
/// ```
pub fn basic_config(format: impl Into<String>, stream: LogStream) {
    install();
    let config = Config {
        format: format.into(),
        stream,
    };
    let old = CONFIG
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .replace(config);
    // Dropped after the lock is released (a buffer's `Arc` may be the last).
    drop(old);
}
