//! `Multi` and `MultiMap`: several yield points waited on together, as a
//! list or as a dict.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use ch01_yield::{Exception, catch_panic};
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
///   here they are asked in input order, so the unfinished ones are always
///   the list from one index on, and a call to `is_ready` asks only those
///   it passes plus one: the Runner asks once per callback, and N children
///   cost O(N) questions in all, not O(N²).
/// - [`MultiMap`] is the dict form. `quiet_exceptions` is a predicate
///   ([`quiet_exceptions`](Self::quiet_exceptions)), not a tuple of classes.
pub struct Multi<T> {
    children: Children,
    result: PhantomData<fn() -> T>,
}

impl<T> Multi<T> {
    /// An empty `Multi`; add children with [`and`](Self::and).
    pub fn new() -> Self {
        Multi {
            children: Children::default(),
            result: PhantomData,
        }
    }

    /// Adds a child, after the others.
    pub fn and(mut self, child: impl YieldPoint + 'static) -> Self {
        self.children.points.push(Box::new(child));
        self
    }

    /// `quiet_exceptions=`: a failure after the first is logged only when
    /// `quiet_exceptions` says no.
    ///
    /// ```no_run
    /// # use ch06_gen_task::{Multi, Wait};
    /// # use ch01_yield::PyError;
    /// // gen.Multi([gen.Wait("a"), gen.Wait("b")], quiet_exceptions=RuntimeError)
    /// let both: Multi<i32> = Multi::new()
    ///     .and(Wait::<i32>::new("a"))
    ///     .and(Wait::<i32>::new("b"))
    ///     .quiet_exceptions(|e| e.downcast_ref::<PyError>().is_some_and(|e| e.name == "RuntimeError"));
    /// ```
    ///
    /// # Differences
    ///
    /// Python names classes, matched with `isinstance`; Rust matches an
    /// error by type (`|e| e.is::<TimeoutError>()`), or an exception made
    /// by name by its name. A predicate that panics counts as "not quiet".
    pub fn quiet_exceptions(mut self, quiet: impl Fn(&Exception) -> bool + 'static) -> Self {
        self.children.quiet = Some(Box::new(quiet));
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
        self.children.start(runner)
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        self.children.is_ready(runner)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        // PY: `return list(result_list)`.
        self.children.get_results::<T>(runner).map(Value::new)
    }

    fn describe(&self) -> String {
        format!("Multi([{}])", self.children.describe().join(", "))
    }
}

impl<T: 'static> Yieldable for Multi<T> {
    type Output = Vec<T>;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// The dict form of [`Multi`]: yield points under keys, waited on together;
/// evaluates to a map of their results under the same keys, or to the
/// first failure in key order.
///
/// ```no_run
/// # use ch06_gen_task::{MultiMap, Wait};
/// // yield dict(foo=gen.Wait("k1"), bar=gen.Wait("k2"))
/// let both: MultiMap<&str, i32> = MultiMap::new()
///     .and("foo", Wait::<i32>::new("k1"))
///     .and("bar", Wait::<i32>::new("k2"));
/// ```
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `MultiYieldPoint` given a dict:
///
/// ```python
/// def __init__(self, children, quiet_exceptions=()):
///     self.keys = None
///     if isinstance(children, dict):
///         self.keys = list(children.keys())
///         children = children.values()
///     ...
/// def get_result(self):
///     ...
///     if self.keys is not None:
///         return dict(zip(self.keys, result_list))
/// ```
///
/// # Differences
///
/// A dict is a `BTreeMap` in this course: children start, are asked and
/// are collected in key order, where Python uses insertion order (which
/// decides which failure is raised). Adding a key twice keeps the later
/// child, as a dict does; the earlier one is dropped unstarted. The rest
/// is [`Multi`]'s.
pub struct MultiMap<K, T> {
    /// The children under their keys until the map is started; then
    /// `keys` and `children`, in key order.
    building: BTreeMap<K, Box<dyn YieldPoint>>,
    keys: Vec<K>,
    children: Children,
    result: PhantomData<fn() -> T>,
}

impl<K: Ord, T> MultiMap<K, T> {
    /// An empty `MultiMap`; add children with [`and`](Self::and).
    pub fn new() -> Self {
        MultiMap {
            building: BTreeMap::new(),
            keys: Vec::new(),
            children: Children::default(),
            result: PhantomData,
        }
    }

    /// Adds a child under `key` (`children[key] = child`): a child already
    /// under that key is replaced.
    pub fn and(mut self, key: K, child: impl YieldPoint + 'static) -> Self {
        self.building.insert(key, Box::new(child));
        self
    }

    /// `quiet_exceptions=`, as [`Multi::quiet_exceptions`].
    pub fn quiet_exceptions(mut self, quiet: impl Fn(&Exception) -> bool + 'static) -> Self {
        self.children.quiet = Some(Box::new(quiet));
        self
    }

    /// PY: `self.keys = list(children.keys()); children = children.values()`.
    fn split(&mut self) {
        for (key, child) in std::mem::take(&mut self.building) {
            self.keys.push(key);
            self.children.points.push(child);
        }
    }
}

impl<K: Ord, T> Default for MultiMap<K, T> {
    fn default() -> Self {
        MultiMap::new()
    }
}

impl<K: Ord + fmt::Debug + 'static, T: 'static> YieldPoint for MultiMap<K, T> {
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        self.split();
        self.children.start(runner)
    }

    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        self.split();
        self.children.is_ready(runner)
    }

    fn get_result(&mut self, runner: &Runner) -> Result<Value, Exception> {
        self.split();
        let results = self.children.get_results::<T>(runner)?;
        // PY: `return dict(zip(self.keys, result_list))`.
        let keys = std::mem::take(&mut self.keys);
        let map: BTreeMap<K, T> = keys.into_iter().zip(results).collect();
        Ok(Value::new(map))
    }

    fn describe(&self) -> String {
        let entries: Vec<String> = if self.building.is_empty() {
            self.keys
                .iter()
                .zip(self.children.describe())
                .map(|(key, child)| format!("{key:?}: {child}"))
                .collect()
        } else {
            self.building
                .iter()
                .map(|(key, child)| format!("{key:?}: {}", child.describe()))
                .collect()
        };
        format!("Multi({{{}}})", entries.join(", "))
    }
}

impl<K: Ord + fmt::Debug + 'static, T: 'static> Yieldable for MultiMap<K, T> {
    type Output = BTreeMap<K, T>;

    fn into_yielded(self) -> Yielded {
        yielded(self)
    }
}

/// PY: `quiet_exceptions`, a tuple of classes: here, which exceptions are quiet.
type QuietExceptions = dyn Fn(&Exception) -> bool;

/// What both forms share: the children in order, how far they are ready,
/// and which later failures go unlogged.
#[derive(Default)]
struct Children {
    points: Vec<Box<dyn YieldPoint>>,
    /// PY: `self.unfinished_children`. Asked in order, the unfinished
    /// children are always `points[first_unfinished..]`, so finishing one
    /// is a step of this index, not a removal from a list.
    first_unfinished: usize,
    /// PY: `self.quiet_exceptions`; `None` is Python's `()`.
    quiet: Option<Box<QuietExceptions>>,
}

impl Children {
    /// PY: `for i in self.children: i.start(runner)`.
    fn start(&mut self, runner: &Runner) -> Result<(), Exception> {
        for child in &mut self.points {
            child.start(runner)?;
        }
        Ok(())
    }

    /// PY: `finished = list(itertools.takewhile(lambda i: i.is_ready(),
    /// self.unfinished_children))`, then `difference_update(finished)`.
    fn is_ready(&mut self, runner: &Runner) -> Result<bool, Exception> {
        while let Some(child) = self.points.get_mut(self.first_unfinished) {
            if !child.is_ready(runner)? {
                return Ok(false);
            }
            self.first_unfinished += 1;
        }
        Ok(true)
    }

    /// Every child's result in order, or the first failure; the later
    /// failures are logged unless quiet.
    fn get_results<T: 'static>(&mut self, runner: &Runner) -> Result<Vec<T>, Exception> {
        let mut results = Vec::with_capacity(self.points.len());
        let mut first_error = None;
        let quiet = &self.quiet;
        for child in &mut self.points {
            match child.get_result(runner).and_then(Value::downcast::<T>) {
                Ok(result) => results.push(result),
                Err(exc) if first_error.is_none() => first_error = Some(exc),
                // PY: `if not isinstance(e, self.quiet_exceptions)`.
                Err(exc) if is_quiet(quiet, &exc) => {}
                Err(exc) => log::error!(
                    target: "tornado.application",
                    "Multiple exceptions in yield list: {exc}"
                ),
            }
        }
        match first_error {
            Some(exc) => Err(exc),
            None => Ok(results),
        }
    }

    fn describe(&self) -> Vec<String> {
        self.points.iter().map(|child| child.describe()).collect()
    }
}

/// Is `exc` quiet? The predicate is user code: one that panics says no.
fn is_quiet(quiet: &Option<Box<QuietExceptions>>, exc: &Exception) -> bool {
    quiet
        .as_ref()
        .is_some_and(|quiet| catch_panic(|| quiet(exc)).unwrap_or(false))
}
