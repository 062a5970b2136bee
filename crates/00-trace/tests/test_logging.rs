//! `basic_config`: logging set up as Python's
//! `logging.basicConfig(format=..., stream=...)` does, for log lines written
//! outside a recording. The setting is process-wide, so these tests take
//! turns.

use std::sync::{Arc, Mutex};

use ch00_trace::{DEFAULT_FORMAT, EventKind, LogStream, basic_config, record};

static TURNS: Mutex<()> = Mutex::new(());

fn buffer() -> Arc<Mutex<String>> {
    Arc::new(Mutex::new(String::new()))
}

/// The format's keys are filled in as Python's are, with Python's level
/// names (`WARNING`, not `WARN`) and numbers.
#[test]
fn basic_config_formats_lines_as_python_does() {
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let out = buffer();
    basic_config(
        "%(levelname)s %(name)s %(message)s [%(levelno)s] 100%%",
        LogStream::Buffer(out.clone()),
    );
    log::error!(target: "tornado.application", "Exception in callback c1: ValueError: bad");
    log::warn!(target: "tornado.general", "careful");
    assert_eq!(
        *out.lock().unwrap(),
        "ERROR tornado.application Exception in callback c1: ValueError: bad [40] 100%\n\
         WARNING tornado.general careful [30] 100%\n"
    );
    basic_config(DEFAULT_FORMAT, LogStream::Stderr);
}

/// Inside a recording, log lines are recorded as always, whatever the
/// format, and nothing goes to the configured stream.
#[test]
fn a_recording_still_captures_log_lines() {
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let out = buffer();
    basic_config("%(message)s", LogStream::Buffer(out.clone()));
    let ((), recording) = record(|| {
        log::error!(target: "tornado.application", "recorded");
    });
    assert_eq!(
        recording.only(&[EventKind::Log]),
        "[it=0] ! ERROR tornado.application: recorded\n"
    );
    assert_eq!(*out.lock().unwrap(), "");
    basic_config(DEFAULT_FORMAT, LogStream::Stderr);
}

/// The default format is the one the course used before `basic_config`:
/// `LEVEL target: message`.
#[test]
fn the_default_format_reads_like_a_recorded_log_line() {
    let _turn = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let out = buffer();
    basic_config(DEFAULT_FORMAT, LogStream::Buffer(out.clone()));
    log::error!(target: "tornado.application", "Exception in callback f");
    assert_eq!(
        *out.lock().unwrap(),
        "ERROR tornado.application: Exception in callback f\n"
    );
    basic_config(DEFAULT_FORMAT, LogStream::Stderr);
}

/// `LogStream::Stdout` puts log lines on standard output, between the
/// program's own prints, as `basicConfig(stream=sys.stdout)` does (seen from
/// a child process, since the test harness does not capture the stream).
#[test]
fn basic_config_can_log_to_stdout() {
    const CHILD: &str = "CH00_LOG_TO_STDOUT_CHILD";
    if std::env::var_os(CHILD).is_some() {
        use std::io::Write;
        basic_config("%(levelname)s %(name)s %(message)s", LogStream::Stdout);
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "before").unwrap();
        drop(stdout);
        log::error!(target: "tornado.application", "Exception in callback f");
        writeln!(std::io::stdout().lock(), "after").unwrap();
        return;
    }
    let output = testkit::rerun_this_test("basic_config_can_log_to_stdout", CHILD, None);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("before\nERROR tornado.application Exception in callback f\nafter\n"),
        "{stdout}"
    );
}
