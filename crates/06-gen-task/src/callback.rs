//! `Callback`, `Wait` and `WaitAll`: a callback handed out under a key, and
//! the waits for its result.

use std::marker::PhantomData;

use ch01_yield::Exception;
use ch04_runner::{Key, Runner, Value, YieldPoint, Yieldable, Yielded, yielded};

use crate::arguments::ResultCallback;

/// Yielded, registers `key` and evaluates to the callback that delivers
/// its result: `let callback = co.yield_(Callback::new("k")).await?;`.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class Callback(YieldPoint):
///     def __init__(self, key):
///         self.key = key
///     def start(self, runner):
///         self.runner = runner
///         runner.register_callback(self.key)
///     def is_ready(self):
///         return True
///     def get_result(self):
///         return self.runner.result_callback(self.key)
/// ```
#[derive(Clone, Debug)]
pub struct Callback {
    key: Key,
}

impl Callback {
    /// `gen.Callback(key)`.
    pub fn new(key: impl Into<Key>) -> Self {
        Callback { key: key.into() }
    }
}

impl YieldPoint for Callback {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        runner.register_callback(self.key.clone())
    }

    fn is_ready(&mut self, _runner: &Runner) -> Result<bool, Exception> {
        Ok(true)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        Ok(Value::new(ResultCallback::new(
            runner.result_callback(self.key.clone()),
        )))
    }

    fn describe(&self) -> String {
        format!("Callback({})", self.key)
    }
}

impl Yieldable for Callback {
    type Output = ResultCallback;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// Yielded, waits until the callback of `key` has been called and
/// evaluates to what it was called with, as a `T`.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class Wait(YieldPoint):
///     def __init__(self, key):
///         self.key = key
///     def start(self, runner):
///         self.runner = runner
///     def is_ready(self):
///         return self.runner.is_ready(self.key)
///     def get_result(self):
///         return self.runner.pop_result(self.key)
/// ```
pub struct Wait<T> {
    key: Key,
    result: PhantomData<fn() -> T>,
}

impl<T> Wait<T> {
    /// `gen.Wait(key)`.
    pub fn new(key: impl Into<Key>) -> Self {
        Wait {
            key: key.into(),
            result: PhantomData,
        }
    }
}

impl<T> YieldPoint for Wait<T> {
    fn start(&mut self, _runner: &Runner) -> Result<(), Exception> {
        Ok(())
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        runner.is_ready(&self.key)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        runner.pop_result(&self.key)
    }

    fn describe(&self) -> String {
        format!("Wait({})", self.key)
    }
}

impl<T: 'static> Yieldable for Wait<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// Yielded, waits for the callbacks of every key and evaluates to their
/// results in key order.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3:
///
/// ```python
/// class WaitAll(YieldPoint):
///     def __init__(self, keys):
///         self.keys = keys
///     def start(self, runner):
///         self.runner = runner
///     def is_ready(self):
///         return all(self.runner.is_ready(key) for key in self.keys)
///     def get_result(self):
///         return [self.runner.pop_result(key) for key in self.keys]
/// ```
pub struct WaitAll<T> {
    keys: Vec<Key>,
    result: PhantomData<fn() -> T>,
}

impl<T> WaitAll<T> {
    /// `gen.WaitAll(keys)`.
    pub fn new<K: Into<Key>>(keys: impl IntoIterator<Item = K>) -> Self {
        WaitAll {
            keys: keys.into_iter().map(Into::into).collect(),
            result: PhantomData,
        }
    }
}

impl<T: 'static> YieldPoint for WaitAll<T> {
    fn start(&mut self, _runner: &Runner) -> Result<(), Exception> {
        Ok(())
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        // exercise ex06.1 begin (uses: self, runner)
        // PY: `all(...)` stops at the first key not ready.
        for key in &self.keys {
            if !runner.is_ready(key)? {
                return Ok(false);
            }
        }
        Ok(true)
        // exercise ex06.1 end
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        let mut results = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            results.push(runner.pop_result(key)?.downcast::<T>()?);
        }
        Ok(Value::new(results))
    }

    fn describe(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(Key::to_string).collect();
        format!("WaitAll([{}])", keys.join(", "))
    }
}

impl<T: 'static> Yieldable for WaitAll<T> {
    type Output = Vec<T>;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}
