//! What a coroutine may yield, and how each kind becomes a future.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::rc::Rc;

use ch01_yield::Exception;
use ch02_future::Future;

use crate::any_future::{AnyFuture, erase};
use crate::error::GenError;
use crate::moment::moment;
use crate::multi::{multi_future, multi_future_map};
use crate::value::Value;
use crate::yield_point::YieldPoint;

/// A yielded object, on its way from the generator to the Runner.
pub enum Yielded {
    /// A future to wait on (the moment too: see [`moment`](crate::moment())).
    Future(Rc<dyn AnyFuture>),
    /// An object that is not yieldable; `convert_yielded` rejects it with
    /// `BadYieldError`. The string is its representation.
    Object(String),
    /// A [`YieldPoint`] (chapter 06's `Callback`, `Wait`, `Task`, ...),
    /// which the Runner handles with its yield-point half.
    YieldPoint(Box<dyn YieldPoint>),
}

/// A type that a coroutine may yield, and what the `yield` then evaluates to.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3 dispatches on the yielded object's type:
///
/// ```python
/// @singledispatch
/// def convert_yielded(yielded):
///     if yielded is None:
///         return moment
///     elif isinstance(yielded, (list, dict)):
///         return multi(yielded)
///     elif is_future(yielded):
///         return yielded
///     else:
///         raise BadYieldError("yielded unknown object %r" % (yielded,))
/// ```
///
/// # Differences
///
/// `singledispatch.register` becomes `impl Yieldable for ...`, and a type
/// with no impl cannot be yielded at all: Rust refuses at compile time what
/// Python refuses with `BadYieldError` at run time. [`Object`] keeps the
/// run-time error reachable, for the lesson.
pub trait Yieldable {
    /// What `yield x` evaluates to once `x` has completed.
    type Output: 'static;

    /// Turns the object into what the Runner receives.
    fn into_yielded(self) -> Yielded;

    /// Takes the result the Runner sent back out of its box.
    fn output(value: Value) -> Result<Self::Output, Exception> {
        value.downcast()
    }
}

/// A future is waited on; `yield f` evaluates to `f.result()`.
impl<T: Clone + 'static> Yieldable for Future<T> {
    type Output = T;

    fn into_yielded(self) -> Yielded {
        Yielded::Future(erase(self))
    }
}

/// A list of futures is waited on with `multi_future`; `yield [a, b]`
/// evaluates to `[a.result(), b.result()]`, in input order.
impl<T: Clone + 'static> Yieldable for Vec<Future<T>> {
    type Output = Vec<T>;

    fn into_yielded(self) -> Yielded {
        Yielded::Future(erase(multi_future(self)))
    }
}

/// A dict of futures is waited on with `multi_future` too; `yield {"a": a}`
/// evaluates to `{"a": a.result()}`.
impl<K: Ord + Clone + 'static, T: Clone + 'static> Yieldable for BTreeMap<K, Future<T>> {
    type Output = BTreeMap<K, T>;

    fn into_yielded(self) -> Yielded {
        Yielded::Future(erase(multi_future_map(self)))
    }
}

/// `yield None`: in Tornado 4.5.3 the same as `yield gen.moment`.
impl Yieldable for () {
    type Output = ();

    fn into_yielded(self) -> Yielded {
        Yielded::Future(erase(moment()))
    }
}

/// Any other object, yielded by mistake: the Runner throws
/// `BadYieldError: yielded unknown object ...` back at the `yield`.
///
/// ```
/// use ch04_runner::{convert_yielded, Object, Yieldable};
/// let err = convert_yielded(Object(42).into_yielded()).err().unwrap();
/// assert_eq!(err.to_string(), "BadYieldError: yielded unknown object 42");
/// ```
///
/// # Differences
///
/// The representation is the object's `Debug`, user code: if it panics or
/// returns `Err` (Python: `%r` raising while the error is made), the error
/// still names the object's problem, with a stand-in such as
/// `<object repr() failed: panic: ...>`, and is thrown in as usual.
#[derive(Clone, Debug)]
pub struct Object<T: Debug>(pub T);

impl<T: Debug> Yieldable for Object<T> {
    // The yield never evaluates to anything: it raises.
    type Output = ();

    fn into_yielded(self) -> Yielded {
        use std::fmt::Write as _;
        let mut repr = String::new();
        let repr = match ch01_yield::catch_panic(|| write!(repr, "{:?}", self.0)) {
            Ok(Ok(())) => repr,
            Ok(Err(_)) => "<object repr() failed: its Debug returned an error>".to_string(),
            Err(panic) => format!("<object repr() failed: {panic}>"),
        };
        Yielded::Object(repr)
    }
}

/// The future the Runner waits on for a yielded object.
///
/// # Tornado
///
/// `tornado/gen.py` 4.5.3, `convert_yielded`; see [`Yieldable`] for the
/// conversions, which happen as the object is yielded.
pub fn convert_yielded(yielded: Yielded) -> Result<Rc<dyn AnyFuture>, GenError> {
    // exercise ex04.1 begin (uses: yielded)
    match yielded {
        Yielded::Future(future) => Ok(future),
        Yielded::Object(repr) => Err(GenError::BadYield { repr }),
        // The Runner hands these to their own `handle_yield` first; anywhere
        // else (inside a list of futures) they are not futures.
        Yielded::YieldPoint(_) => Err(GenError::BadYield {
            repr: "<YieldPoint>".to_string(),
        }),
    }
    // exercise ex04.1 end
}
