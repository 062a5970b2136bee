//! An exception's class name and message, Python's `type(e).__name__` and
//! `str(e)`, read from an [`Exception`] without parsing its `Display`.

use std::fmt;

use ch01_yield::{Exception, GeneratorError, PyError, catch_panic};

/// A `PyError` answers with the name and message it was made with; with no
/// message, `str(e)` is empty as for Python's `ValueError()`.
#[test]
fn class_name_and_message_of_a_py_error() {
    let exc = Exception::from(PyError::new("ZeroDivisionError", "division by zero"));
    assert_eq!(exc.class_name(), "ZeroDivisionError");
    assert_eq!(exc.message(), "division by zero");
    let bare = Exception::msg("StopIteration", "");
    assert_eq!(
        (bare.class_name(), bare.message()),
        ("StopIteration".into(), String::new())
    );
}

/// One of the course's error enums: the class its `Display` names, the
/// message after it, and no message when the `Display` is only the name.
#[test]
fn class_name_and_message_of_an_error_enum() {
    let exc = Exception::from(GeneratorError::IgnoredGeneratorExit);
    assert_eq!(exc.class_name(), "RuntimeError");
    assert_eq!(exc.message(), "generator ignored GeneratorExit");
    let stop = Exception::from(GeneratorError::StopIteration);
    assert_eq!(
        (stop.class_name(), stop.message()),
        ("StopIteration".into(), String::new())
    );
}

/// A caught panic is of class `Panic`, and its message is the panic's.
#[test]
fn class_name_and_message_of_a_panic() {
    let exc = catch_panic(|| -> () { panic!("boom {}", 42) }).unwrap_err();
    assert_eq!(exc.class_name(), "Panic");
    assert_eq!(exc.message(), "boom 42");
}

/// An error that names no Python class in its `Display` is of its Rust
/// type's class, and its whole `Display` is the message.
#[test]
fn class_name_of_a_foreign_error_is_its_type() {
    let exc = Exception::from(std::io::Error::other("disk on fire"));
    assert_eq!(exc.class_name(), "Error");
    assert_eq!(exc.message(), "disk on fire");

    /// Its `Display` starts lower-case, which no Python class name does.
    #[derive(Debug)]
    struct Lowercase;
    impl fmt::Display for Lowercase {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("oops: not a class")
        }
    }
    impl std::error::Error for Lowercase {}
    let exc = Exception::from(Lowercase);
    assert_eq!(exc.class_name(), "Lowercase");
    assert_eq!(exc.message(), "oops: not a class");
}

/// A dotted class name (`tornado.gen.TimeoutError`) is kept whole.
#[test]
fn class_name_may_be_dotted() {
    let exc = Exception::msg("tornado.gen.TimeoutError", "Timeout");
    assert_eq!(exc.to_string(), "tornado.gen.TimeoutError: Timeout");
    #[derive(Debug)]
    struct Dotted;
    impl fmt::Display for Dotted {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("tornado.gen.TimeoutError: Timeout")
        }
    }
    impl std::error::Error for Dotted {}
    let exc = Exception::from(Dotted);
    assert_eq!(exc.class_name(), "tornado.gen.TimeoutError");
    assert_eq!(exc.message(), "Timeout");
}
