//! Python's exceptions as values.
//!
//! A Python generator can have an exception thrown into it, a Future can hold
//! one, a callback can raise one: the machinery passes exceptions around as
//! ordinary objects. [`Exception`] is that object in Rust: any error value,
//! cheap to clone (a Future hands the same exception to every caller of
//! `result()`), and inspectable the way `except SomeError as e:` inspects.
//!
//! # Differences
//!
//! Python matches exceptions by class; Rust matches by type:
//! `except KeyError as e` becomes `if let Some(e) = exc.downcast_ref::<KeyError>()`.
//! An exception's `Display` is the last line of a Python traceback,
//! `Name: message`: each error type of the course writes its Tornado name
//! into its message so recordings read like Tornado's logs.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Any error, as a Python exception: a value that can be raised, caught,
/// stored in a Future and handed out again.
///
/// Every `E: Error + Send + Sync` converts into it with `?`, as with `anyhow`.
///
/// ```
/// use ch01_yield::{Exception, PyError};
///
/// fn divide(a: i32, b: i32) -> Result<i32, Exception> {
///     if b == 0 {
///         return Err(PyError::new("ZeroDivisionError", "division by zero").into());
///     }
///     Ok(a / b)
/// }
///
/// let exc = divide(1, 0).unwrap_err();
/// assert_eq!(exc.to_string(), "ZeroDivisionError: division by zero");
/// assert!(exc.is::<PyError>());
/// ```
#[derive(Clone)]
pub struct Exception(Arc<Held<dyn Error + Send + Sync>>);

/// The error, and the name of its Rust type for [`Exception::class_name`]'s
/// last resort (a `dyn Error` no longer knows it). The error is the last
/// field, so `Arc<Held<E>>` coerces to `Arc<Held<dyn Error>>`: one allocation.
struct Held<E: ?Sized> {
    type_name: &'static str,
    error: E,
}

impl Exception {
    /// Wraps an error value as an exception.
    pub fn new<E: Error + Send + Sync + 'static>(error: E) -> Self {
        Exception(Arc::new(Held {
            type_name: std::any::type_name::<E>(),
            error,
        }))
    }

    /// A Python-style exception made on the spot: `Exception::msg("ValueError", "bad")`.
    pub fn msg(name: &'static str, message: impl Into<String>) -> Self {
        Exception::new(PyError::new(name, message))
    }

    /// Is the error inside of type `E`? (`isinstance(e, E)`.)
    pub fn is<E: Error + 'static>(&self) -> bool {
        self.downcast_ref::<E>().is_some()
    }

    /// The error inside, if it is of type `E` (`except E as e:`).
    pub fn downcast_ref<E: Error + 'static>(&self) -> Option<&E> {
        let inner: &(dyn Error + 'static) = &self.0.error;
        inner.downcast_ref::<E>()
    }

    /// The exception's class name: Python's `type(e).__name__`.
    ///
    /// - a [`PyError`]: its `name` (`"ValueError"`);
    /// - a caught panic ([`Panic`]): `"Panic"`;
    /// - any other error whose `Display` follows the course's convention,
    ///   `Name: message` (or just `Name`), with `Name` a Python class name
    ///   (identifiers, dots allowed, the last one capitalised): that `Name`.
    ///   Every error enum of the course does (`RuntimeError`, `TimeoutError`, ...);
    /// - otherwise the Rust type's name without its path (`"Error"` for a
    ///   `std::io::Error`).
    ///
    /// # Differences
    ///
    /// Python asks the object for its class. A Rust error has a type, not a
    /// Python class: the name is what its `Display` says it is.
    ///
    /// ```
    /// use ch01_yield::{Exception, PyError, catch_panic};
    /// assert_eq!(Exception::msg("ValueError", "bad").class_name(), "ValueError");
    /// let panicked = catch_panic(|| -> () { panic!("boom") }).unwrap_err();
    /// assert_eq!(panicked.class_name(), "Panic");
    /// ```
    pub fn class_name(&self) -> String {
        self.split().0
    }

    /// The exception's message without its class name: Python's `str(e)`.
    ///
    /// `ValueError: bad` gives `bad`; an exception with no message (Python's
    /// `ValueError()`) gives `""`; a panic gives the panic's message; an
    /// error that does not name a class in its `Display` gives all of it.
    ///
    /// ```
    /// use ch01_yield::{Exception, PyError, catch_panic};
    /// assert_eq!(Exception::msg("ValueError", "bad").message(), "bad");
    /// assert_eq!(Exception::msg("StopIteration", "").message(), "");
    /// let panicked = catch_panic(|| -> () { panic!("boom") }).unwrap_err();
    /// assert_eq!(panicked.message(), "boom");
    /// ```
    pub fn message(&self) -> String {
        self.split().1
    }

    /// `(class name, message)`, as [`class_name`](Self::class_name) describes.
    fn split(&self) -> (String, String) {
        if let Some(e) = self.downcast_ref::<PyError>() {
            return (e.name.to_string(), e.message.clone());
        }
        if let Some(e) = self.downcast_ref::<Panic>() {
            return ("Panic".to_string(), e.message.clone());
        }
        // Through our own Display, which survives a failing one.
        let text = self.to_string();
        let (head, rest) = match text.split_once(": ") {
            Some((head, rest)) => (head, rest),
            None => (text.as_str(), ""),
        };
        if is_class_name(head) {
            return (head.to_string(), rest.to_string());
        }
        // PY: every object has a class; this error's is its Rust type.
        let path = self.0.type_name.split('<').next().unwrap_or_default();
        let short = path.rsplit("::").next().unwrap_or(path);
        (short.to_string(), text)
    }

    /// Are these the same exception object (Python's `is`)?
    pub fn ptr_eq(&self, other: &Exception) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<E: Error + Send + Sync + 'static> From<E> for Exception {
    fn from(error: E) -> Self {
        Exception::new(error)
    }
}

/// Shows the error inside, as Python's `str(e)`.
///
/// # Differences
///
/// The error's own `Display` is user code: if it panics or returns `Err`,
/// `format!` would panic inside the machinery (while the IOLoop logs
/// `Exception in callback ...`, say). So it is written to a buffer under
/// [`catch_panic`](crate::catch_panic) first, and a failure shows as a stand-in
/// that names the problem, the way Python's traceback prints
/// `<exception str() failed>`: `<exception str() failed: panic: boom>`.
impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let mut text = String::new();
        match crate::panic::catch_panic(|| write!(text, "{}", &self.0.error)) {
            Ok(Ok(())) => f.write_str(&text),
            Ok(Err(fmt::Error)) => {
                f.write_str("<exception str() failed: its Display returned an error>")
            }
            // The panic's own message is a plain string: it cannot fail again.
            Err(panic) => write!(f, "<exception str() failed: {}>", &panic.0.error),
        }
    }
}

impl fmt::Debug for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Exception({self})")
    }
}

/// Is `name` a Python class name as the course's errors write them:
/// dotted identifiers (`tornado.gen.TimeoutError`), the last one capitalised?
fn is_class_name(name: &str) -> bool {
    let is_identifier = |part: &str| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    name.split('.').all(is_identifier)
        && name
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// A Python exception made by name, for programs that raise
/// `ValueError("...")` without a Rust type of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyError {
    /// The Python class name: `"ValueError"`.
    pub name: &'static str,
    /// The message: what `str(e)` gives in Python.
    pub message: String,
}

impl PyError {
    /// `ValueError("bad")` is `PyError::new("ValueError", "bad")`.
    pub fn new(name: &'static str, message: impl Into<String>) -> Self {
        PyError {
            name,
            message: message.into(),
        }
    }
}

impl fmt::Display for PyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.name)
        } else {
            write!(f, "{}: {}", self.name, self.message)
        }
    }
}

impl Error for PyError {}

/// A panic caught at a boundary where Python would have caught an exception
/// (a callback run by the IOLoop, a done-callback run by a Future).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message, when it had one.
    pub message: String,
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "panic: {}", self.message)
    }
}

impl Error for Panic {}

impl Panic {
    /// The caught panic's message; the payload itself is dropped here.
    ///
    /// A payload (`std::panic::panic_any(x)`) may be any type, and its `Drop`
    /// may panic in turn. That second panic is caught too, so it cannot
    /// escape the boundary that caught the first, and added to the message;
    /// its own payload is leaked (`mem::forget`) rather than risk a third.
    pub(crate) fn from_payload(payload: Box<dyn Any + Send>) -> Self {
        let mut message = message_of(&*payload);
        if let Err(second) = std::panic::catch_unwind(AssertUnwindSafe(move || drop(payload))) {
            message = format!(
                "{message} (then dropping the panic's payload panicked: {})",
                message_of(&*second)
            );
            std::mem::forget(second);
        }
        Panic { message }
    }
}

/// The message of a panic payload: `panic!` makes a `&str` or a `String`.
fn message_of(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}
