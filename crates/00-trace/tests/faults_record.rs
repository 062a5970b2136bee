//! Misuses of the recorder: each is a named error, and the outer recording survives it.

use ch00_trace::{RecordError, record, say, try_record};

/// `record` inside `record` is `RecordError::Nested`: the inner program does not run and
/// the outer recording keeps every line, before and after.
#[test]
fn record_inside_record_is_a_named_error() {
    let (inner, recording) = record(|| {
        say!("before");
        let inner = try_record(|| say!("inner, never run"));
        say!("after");
        inner.map(|_| ())
    });
    assert_eq!(inner, Err(RecordError::Nested));
    assert_eq!(recording.prints(), ["[it=0] before", "[it=0] after"]);
    assert!(
        RecordError::Nested
            .to_string()
            .starts_with("RecordError: record() does not nest")
    );
}

/// The panicking form says the same, by name.
#[test]
fn record_inside_record_panics_with_the_named_error() {
    let (caught, _) = record(|| std::panic::catch_unwind(|| record(|| ())).map(|_| ()));
    let payload = caught.unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("RecordError: record() does not nest"),
        "{message}"
    );
}

/// A program that panics leaves the thread able to record again.
#[test]
fn a_panicking_program_does_not_leave_recording_on() {
    let _ = std::panic::catch_unwind(|| record(|| panic!("in the program")));
    let ((), recording) = record(|| say!("again"));
    assert_eq!(recording.prints(), ["[it=0] again"]);
}
