//! The Python object a Runner sends into a generator.

use std::any::Any;
use std::fmt;

use ch01_yield::{Exception, PyError};

/// What `future.result()` handed back, on its way into the generator.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `Runner.run`:
///
/// ```python
/// value = future.result()
/// yielded = self.gen.send(value)
/// ```
///
/// # Differences
///
/// Python sends any object; the Runner does not know or care what it is.
/// Rust's Runner does not know either, so the value travels as `Box<dyn Any>`
/// and the coroutine body, which does know what it yielded, takes it back
/// out with [`Value::downcast`]. [`Co::yield_`](crate::Co::yield_) does that
/// for you, so user code never sees a `Value`.
pub struct Value(Box<dyn Any>);

impl Value {
    /// Wraps a result on its way into the generator.
    pub fn new<T: 'static>(value: T) -> Self {
        Value(Box::new(value))
    }

    /// Python's `None`: what `next(gen)` sends and what a moment resolves to.
    pub fn none() -> Self {
        Value::new(())
    }

    /// Takes the value back out as the type the coroutine expected.
    ///
    /// An error here means a value of another type was sent in: the Runner
    /// never does that, so it points at a bug in a hand-made generator.
    ///
    /// ```
    /// use ch04_runner::Value;
    /// assert_eq!(Value::new(42).downcast::<i32>().unwrap(), 42);
    /// assert!(Value::new("text").downcast::<i32>().is_err());
    /// ```
    pub fn downcast<T: 'static>(self) -> Result<T, Exception> {
        match self.0.downcast::<T>() {
            Ok(value) => Ok(*value),
            Err(_) => Err(PyError::new(
                "TypeError",
                format!(
                    "the generator expected a {} but was sent something else; \
                     yield a future of that type there",
                    std::any::type_name::<T>()
                ),
            )
            .into()),
        }
    }
}

/// `next(gen)` is `gen.send(None)`: the default value is Python's `None`.
impl Default for Value {
    fn default() -> Self {
        Value::none()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Value(..)")
    }
}
