//! `Multi`: several yield points waited on together.

use std::marker::PhantomData;

use ch01_yield::Exception;
use ch04_runner::{Runner, Value, YieldPoint, Yieldable, Yielded, yielded};

/// Starts every child, waits until all are ready, and evaluates to their
/// results in input order, or to the first failure in input order.
///
/// ```no_run
/// # use ch06_gen_task::{Multi, Wait, YieldFuture};
/// # let f = ch02_future::Future::<i32>::new();
/// // yield [gen.Wait("a"), gen.YieldFuture(f)]
/// let both: Multi<i32> = Multi::new().and(Wait::<i32>::new("a")).and(YieldFuture::new(f));
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `MultiYieldPoint` (what `yield [...]` becomes
/// when the list holds a yield point; `gen.Multi` in 3.x):
///
/// ```python
/// def start(self, runner):
///     for i in self.children:
///         i.start(runner)
/// def is_ready(self):
///     finished = list(itertools.takewhile(
///         lambda i: i.is_ready(), self.unfinished_children))
///     self.unfinished_children.difference_update(finished)
///     return not self.unfinished_children
/// def get_result(self):
///     result_list = []
///     exc_info = None
///     for f in self.children:
///         try:
///             result_list.append(f.get_result())
///         except Exception as e:
///             if exc_info is None:
///                 exc_info = sys.exc_info()
///             else:
///                 if not isinstance(e, self.quiet_exceptions):
///                     app_log.error("Multiple exceptions in yield list",
///                                   exc_info=True)
///     if exc_info is not None:
///         raise_exc_info(exc_info)
///     return list(result_list)
/// ```
///
/// # Differences
///
/// - Built explicitly with [`and`](Self::and): a Rust `Vec` holds one type,
///   and the Runner cannot look inside a list for yield points. Futures go
///   in as [`YieldFuture`](crate::YieldFuture)s, as Tornado converts them.
/// - Python keeps `unfinished_children` in a set, asked in no fixed order;
///   here they are asked in input order. The dict form and
///   `quiet_exceptions` are left out.
pub struct Multi<T> {
    children: Vec<Box<dyn YieldPoint>>,
    /// Indexes into `children` of those not yet ready.
    unfinished: Vec<usize>,
    result: PhantomData<fn() -> T>,
}

impl<T> Multi<T> {
    /// An empty `Multi`; add children with [`and`](Self::and).
    pub fn new() -> Self {
        Multi {
            children: Vec::new(),
            unfinished: Vec::new(),
            result: PhantomData,
        }
    }

    /// Adds a child, after the others.
    pub fn and(mut self, child: impl YieldPoint + 'static) -> Self {
        self.unfinished.push(self.children.len());
        self.children.push(Box::new(child));
        self
    }
}

impl<T> Default for Multi<T> {
    fn default() -> Self {
        Multi::new()
    }
}

impl<T: 'static> YieldPoint for Multi<T> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        for child in &mut self.children {
            child.start(runner)?;
        }
        Ok(())
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        let mut finished = 0;
        for &index in &self.unfinished {
            if !self.children[index].is_ready(runner)? {
                break;
            }
            finished += 1;
        }
        self.unfinished.drain(..finished);
        Ok(self.unfinished.is_empty())
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        let mut results = Vec::with_capacity(self.children.len());
        let mut first_error = None;
        for child in &mut self.children {
            match child.get_result(runner).and_then(Value::downcast::<T>) {
                Ok(result) => results.push(result),
                Err(exc) if first_error.is_none() => first_error = Some(exc),
                Err(exc) => log::error!(
                    target: "tornado.application",
                    "Multiple exceptions in yield list: {exc}"
                ),
            }
        }
        match first_error {
            Some(exc) => Err(exc),
            None => Ok(Value::new(results)),
        }
    }

    fn describe(&self) -> String {
        let children: Vec<String> = self.children.iter().map(|c| c.describe()).collect();
        format!("Multi([{}])", children.join(", "))
    }
}

impl<T: 'static> Yieldable for Multi<T> {
    type Output = Vec<T>;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}
