//! Stack contexts: the callback world's error channel (`tornado/stack_context.py`).
//!
//! A callback handed to the loop runs later, from the loop, with nothing of
//! its caller's stack left: a `try/except` around `add_callback` cannot see
//! what the callback raises. A stack context is an exception handler (or any
//! context manager) that follows the work: the loop [`wrap`]s everything it
//! is handed, capturing the contexts active at that moment, and re-installs
//! them around the call, so an exception raised in the callback, or in the
//! callbacks *it* schedules, reaches the handler that was active where the
//! work began. Tornado 5 deprecated this and Tornado 6 removed it: futures
//! and coroutines carry the exception to whoever waits instead.
//!
//! The state is a thread-local pair, as in Tornado: the [`StackContext`]s to
//! re-enter around each wrapped call, and the *head*, the innermost context
//! of any kind, whose chain of "contexts active before me" is the order in
//! which an exception is offered to handlers. With no context active the
//! state is empty, `wrap` returns the callback unchanged and the loop pays
//! one thread-local read per callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ch01_yield::{Exception, catch_panic};

use crate::IOLoopError;
use crate::callbacks::{CallbackReturn, boxed};
use crate::ioloop::{CallbackFn, HandlerFn, IOLoop, LoopFn};

/// A context manager a [`StackContext`] enters around every wrapped call.
///
/// # Tornado
///
/// Python's context-manager protocol, `__enter__` / `__exit__(type, value, tb)`,
/// as `StackContext(context_factory)` uses it (`contextlib.contextmanager`
/// in most programs).
///
/// # Differences
///
/// `exit` receives the exception, or `None`, and returns `Ok(true)` to
/// swallow it (Python's true return of `__exit__`), or `Err` to raise
/// another in its place.
pub trait ContextManager {
    /// `__enter__`: an `Err` is the exception it raised.
    fn enter(&mut self) -> Result<(), Exception> {
        Ok(())
    }
    /// `__exit__`: `exc` is the exception leaving the body, if any.
    fn exit(&mut self, exc: Option<&Exception>) -> Result<bool, Exception>;
}

/// A context manager factory: `StackContext(context_factory)`'s argument.
type Factory = Box<dyn Fn() -> Box<dyn ContextManager>>;

/// The thread's stack-context state at one moment.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `_state.contexts`, the tuple
/// `(contexts, head)`, which the coroutine wrapper and `Runner.run` keep
/// before resuming a generator and compare (`is`) afterwards:
///
/// ```python
/// orig_stack_contexts = stack_context._state.contexts
/// yielded = self.gen.send(value)
/// if stack_context._state.contexts is not orig_stack_contexts:
///     self.gen.throw(stack_context.StackContextInconsistentError(...))
/// ```
///
/// # Differences
///
/// The empty state is `None` (Python: `(tuple(), None)`) and two empty
/// states are the same; identity is `Rc::ptr_eq`. A state with no
/// `StackContext` to re-enter, `((), head)` (the Runner's and `gen.Task`'s
/// contexts), is the head alone: no tuple to allocate.
#[derive(Clone, Default)]
pub struct Contexts(Option<State>);

#[derive(Clone)]
enum State {
    /// `((), head)`.
    Head(Rc<Node>),
    /// `(stack, head)` with a non-empty stack.
    Full(Rc<ContextsInner>),
}

struct ContextsInner {
    /// The `StackContext`s to enter around each wrapped call, outermost first.
    stack: Vec<Rc<Node>>,
    /// The innermost context of either kind.
    head: Option<Rc<Node>>,
}

impl Contexts {
    fn new(stack: Vec<Rc<Node>>, head: Option<Rc<Node>>) -> Contexts {
        match (stack.is_empty(), head) {
            (true, None) => Contexts(None),
            (true, Some(head)) => Contexts(Some(State::Head(head))),
            (false, head) => Contexts(Some(State::Full(Rc::new(ContextsInner { stack, head })))),
        }
    }

    fn stack(&self) -> &[Rc<Node>] {
        match &self.0 {
            Some(State::Full(c)) => &c.stack,
            _ => &[],
        }
    }

    fn head(&self) -> Option<Rc<Node>> {
        match &self.0 {
            None => None,
            Some(State::Head(head)) => Some(head.clone()),
            Some(State::Full(c)) => c.head.clone(),
        }
    }

    /// PY: `_state.contexts`: the state now.
    #[inline]
    pub fn current() -> Contexts {
        current()
    }

    /// PY: `_state.contexts is self`: is this still the thread's state?
    #[inline]
    pub fn is_current(&self) -> bool {
        match &self.0 {
            None => !is_active(),
            Some(_) => STATE.with(|state| state.borrow().same(self)),
        }
    }

    /// How many contexts an exception would be offered to: the length of
    /// the head's chain (`gen_test.py`'s `_stack_depth()`, which checks that
    /// contexts do not pile up).
    pub fn depth(&self) -> usize {
        let mut depth = 0;
        let mut node = self.head();
        while let Some(n) = node {
            depth += 1;
            node = n.parent();
        }
        depth
    }

    /// How many `StackContext`s are re-entered around each wrapped call
    /// (`len(_state.contexts[0])`).
    pub fn stack_len(&self) -> usize {
        self.stack().len()
    }

    /// PY: `is`.
    fn same(&self, other: &Contexts) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(State::Head(a)), Some(State::Head(b))) => Rc::ptr_eq(a, b),
            (Some(State::Full(a)), Some(State::Full(b))) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

thread_local! {
    /// PY: `_state = _State()`, a `threading.local` holding `contexts`.
    static STATE: RefCell<Contexts> = const { RefCell::new(Contexts(None)) };
    /// `STATE` is not empty. A plain flag (no destructor, so no lazy
    /// registration to check): the one read the loop pays per callback.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

#[inline]
fn current() -> Contexts {
    if !is_active() {
        return Contexts(None);
    }
    STATE.with(|state| state.borrow().clone())
}

#[inline]
fn replace(contexts: Contexts) -> Contexts {
    let active = contexts.0.is_some();
    // One access to the flag: set it, and learn whether it was set.
    if !ACTIVE.with(|flag| flag.replace(active)) && !active {
        // Empty for empty: nothing to swap (the common case, `null_wrapper`).
        return Contexts(None);
    }
    STATE.with(|state| state.replace(contexts))
}

/// Is any stack context active on this thread? One thread-local read: what
/// the loop pays per callback when stack contexts are not in use.
#[inline]
pub fn is_active() -> bool {
    ACTIVE.with(Cell::get)
}

/// One entered context: a `StackContext` or an `ExceptionStackContext`.
/// Generic over its kind so that an `ExceptionStackContext`'s handler
/// lives in the node's own allocation; used as `Rc<Node>`, the kind a
/// trait object.
struct Node<K: ?Sized = dyn NodeKind> {
    /// PY: `self.active`, cleared by the deactivation callback.
    active: Cell<bool>,
    /// PY: `self.old_contexts`: the state when it was entered; its head is
    /// the next context an exception is offered to.
    old: RefCell<Contexts>,
    kind: K,
}

/// What a context does around a wrapped call: Python's `enter` and `exit`
/// of `StackContext` and `ExceptionStackContext`.
trait NodeKind {
    /// PY: `StackContext.enter`; `ExceptionStackContext` has none.
    fn enter(&self) -> Result<(), Exception> {
        Ok(())
    }
    /// PY: `exit(type, value, traceback)`: whether the exception was handled.
    fn exit(&self, exc: Option<&Exception>) -> Result<bool, Exception>;
}

/// PY: `StackContext`: the factory and the stack of entered managers.
struct StackKind {
    factory: Factory,
    entered: RefCell<Vec<Box<dyn ContextManager>>>,
}

impl NodeKind for StackKind {
    /// A fresh manager from the factory, entered.
    fn enter(&self) -> Result<(), Exception> {
        let mut manager = catch_panic(&self.factory)?;
        catch_panic(|| manager.enter()).and_then(|r| r)?;
        self.entered.borrow_mut().push(manager);
        Ok(())
    }

    fn exit(&self, exc: Option<&Exception>) -> Result<bool, Exception> {
        let manager = self.entered.borrow_mut().pop();
        match manager {
            Some(mut manager) => catch_panic(|| manager.exit(exc)).and_then(|r| r),
            None => Ok(false),
        }
    }
}

/// PY: `ExceptionStackContext`: its handler.
struct ExceptionKind<H>(H);

impl<H: Fn(&Exception) -> Result<bool, Exception>> NodeKind for ExceptionKind<H> {
    fn exit(&self, exc: Option<&Exception>) -> Result<bool, Exception> {
        match exc {
            Some(exc) => catch_panic(|| (self.0)(exc)).and_then(|r| r),
            None => Ok(false),
        }
    }
}

impl Node {
    fn enter(&self) -> Result<(), Exception> {
        self.kind.enter()
    }

    fn exit(&self, exc: Option<&Exception>) -> Result<bool, Exception> {
        self.kind.exit(exc)
    }

    fn parent(&self) -> Option<Rc<Node>> {
        self.old.borrow().head()
    }
}

/// The deactivation callback `with StackContext(...) as deactivate:` binds.
///
/// Calling it marks the context inactive: callbacks wrapped later do not
/// carry it, and wrapped callbacks that carried it drop it the next time
/// they run (contexts already entered are not affected).
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `StackContext._deactivate`:
/// `self.active = False`.
#[derive(Clone)]
pub struct Deactivate(Rc<Node>);

impl Deactivate {
    /// PY: `deactivate()`.
    pub fn call(&self) {
        self.0.active.set(false);
    }
}

/// A `with` block that is open: made by [`StackContext::enter`] and
/// [`ExceptionStackContext::enter`], closed by [`exit`](Entered::exit) or
/// when dropped.
///
/// Dropping it exits with no exception, like leaving a `with` block
/// normally; an inconsistency found then is logged, since `Drop` cannot
/// raise (use `exit` to get it as a value).
pub struct Entered {
    node: Rc<Node>,
    new: Contexts,
    done: bool,
}

impl Entered {
    /// The deactivation callback (`as deactivate`).
    pub fn deactivate(&self) -> Deactivate {
        Deactivate(self.node.clone())
    }

    /// PY: `__exit__(type, value, tb)`: exits the context with `exc` (the
    /// exception leaving the block, if any). `Ok(true)` means the handler
    /// swallowed it. Fails with `StackContextInconsistentError` if the
    /// state is not the one this block installed (something entered in it
    /// was not exited, e.g. a `yield` inside the block), after restoring
    /// the state from before the block.
    pub fn exit(mut self, exc: Option<&Exception>) -> Result<bool, Exception> {
        self.close(exc)
    }

    fn close(&mut self, exc: Option<&Exception>) -> Result<bool, Exception> {
        self.done = true;
        let handled = self.node.exit(exc);
        // PY: `finally: ... _state.contexts = self.old_contexts`.
        let old = self.node.old.borrow().clone();
        let final_contexts = replace(old);
        if !final_contexts.same(&self.new) {
            return Err(IOLoopError::StackContextInconsistent(
                "stack_context inconsistency (may be caused by yield within a \"with StackContext\" block)",
            )
            .into());
        }
        handled
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        if !self.done
            && let Err(exc) = self.close(None)
        {
            log::error!(target: "tornado.application", "{exc}");
        }
    }
}

/// Establishes a context that is re-entered around every callback wrapped
/// while it is active.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `StackContext`:
///
/// ```python
/// def __enter__(self):
///     self.old_contexts = _state.contexts
///     self.new_contexts = (self.old_contexts[0] + (self,), self)
///     _state.contexts = self.new_contexts
///     try:
///         self.enter()
///     except:
///         _state.contexts = self.old_contexts
///         raise
///     return self._deactivate
/// ```
///
/// # Differences
///
/// The factory returns a boxed [`ContextManager`]; `with` is
/// [`enter`](StackContext::enter) (a guard) or [`run`](StackContext::run)
/// (a closure, which also catches a panic in the body and hands it to the
/// context as the exception it is).
pub struct StackContext {
    factory: Factory,
}

impl StackContext {
    /// PY: `StackContext(context_factory)`.
    pub fn new(factory: impl Fn() -> Box<dyn ContextManager> + 'static) -> StackContext {
        StackContext {
            factory: Box::new(factory),
        }
    }

    /// PY: `__enter__`.
    pub fn enter(self) -> Result<Entered, Exception> {
        let old = current();
        let node: Rc<Node> = Rc::new(Node {
            active: Cell::new(true),
            old: RefCell::new(old.clone()),
            kind: StackKind {
                factory: self.factory,
                entered: RefCell::new(Vec::new()),
            },
        });
        let mut stack = old.stack().to_vec();
        stack.push(node.clone());
        let new = Contexts::new(stack, Some(node.clone()));
        replace(new.clone());
        if let Err(exc) = node.enter() {
            replace(old);
            return Err(exc);
        }
        Ok(Entered {
            node,
            new,
            done: false,
        })
    }

    /// `with StackContext(factory) as deactivate: body(deactivate)`.
    /// See [`ExceptionStackContext::run`] for what it returns.
    pub fn run<R>(self, body: impl FnOnce(Deactivate) -> R) -> Result<Option<R>, Exception> {
        run_with(self.enter()?, body)
    }
}

/// An exception handler that follows the work: a specialisation of
/// [`StackContext`] that is not re-entered around calls, only offered the
/// exceptions that leave them.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `ExceptionStackContext`:
///
/// ```python
/// def exit(self, type, value, traceback):
///     if type is not None:
///         return self.exception_handler(type, value, traceback)
///
/// def __enter__(self):
///     self.old_contexts = _state.contexts
///     self.new_contexts = (self.old_contexts[0], self)
///     _state.contexts = self.new_contexts
///     return self._deactivate
/// ```
///
/// # Differences
///
/// The handler gets the exception (Python: the `exc_info` triple) and
/// returns `Ok(true)` to swallow it, `Ok(false)` to let it go on, `Err` to
/// raise another in its place. A panic in the handler is the exception it
/// raised, too.
pub struct ExceptionStackContext {
    /// The context, made here (Python makes the object before `__enter__`);
    /// its `old_contexts` are set when it is entered.
    node: Rc<Node>,
}

impl ExceptionStackContext {
    /// PY: `ExceptionStackContext(exception_handler)`.
    pub fn new(
        handler: impl Fn(&Exception) -> Result<bool, Exception> + 'static,
    ) -> ExceptionStackContext {
        ExceptionStackContext {
            node: Rc::new(Node {
                active: Cell::new(true),
                old: RefCell::new(Contexts(None)),
                kind: ExceptionKind(handler),
            }),
        }
    }

    /// PY: `__enter__`.
    pub fn enter(self) -> Entered {
        let node = self.node;
        let old = current();
        // PY: `(self.old_contexts[0], self)`: the stack goes on unchanged.
        let new = match &old.0 {
            Some(State::Full(c)) => Contexts::new(c.stack.clone(), Some(node.clone())),
            _ => Contexts(Some(State::Head(node.clone()))),
        };
        *node.old.borrow_mut() = old;
        replace(new.clone());
        Entered {
            node,
            new,
            done: false,
        }
    }

    /// `with ExceptionStackContext(handler) as deactivate: body(deactivate)`.
    ///
    /// `Ok(Some(value))`: the body returned. `Ok(None)`: it panicked and the
    /// handler swallowed the panic. `Err`: the exception goes on (the
    /// handler declined it, or the block left the state inconsistent).
    pub fn run<R>(self, body: impl FnOnce(Deactivate) -> R) -> Result<Option<R>, Exception> {
        run_with(self.enter(), body)
    }
}

/// The body of a `with` block, a panic in it being the exception that
/// leaves the block.
fn run_with<R>(
    entered: Entered,
    body: impl FnOnce(Deactivate) -> R,
) -> Result<Option<R>, Exception> {
    let deactivate = entered.deactivate();
    match catch_panic(|| body(deactivate)) {
        Ok(value) => entered.exit(None).map(|_| Some(value)),
        Err(exc) => match entered.exit(Some(&exc))? {
            true => Ok(None),
            false => Err(exc),
        },
    }
}

/// Resets the stack contexts for the body: work it schedules carries none.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `NullContext`:
///
/// ```python
/// def __enter__(self):
///     self.old_contexts = _state.contexts
///     _state.contexts = (tuple(), None)
/// def __exit__(self, type, value, traceback):
///     _state.contexts = self.old_contexts
/// ```
pub struct NullContext;

impl NullContext {
    /// `with NullContext(): body()`. The state is restored even if `body`
    /// panics (the panic goes on).
    pub fn run<R>(body: impl FnOnce() -> R) -> R {
        struct Restore(Option<Contexts>);
        impl Drop for Restore {
            fn drop(&mut self) {
                if let Some(old) = self.0.take() {
                    replace(old);
                }
            }
        }
        let _restore = Restore(Some(replace(Contexts(None))));
        body()
    }
}

/// PY: `_remove_deactivated(contexts)`: drops deactivated contexts from the
/// stack and from the head's chain (shortening each context's
/// `old_contexts` past deactivated parents, as Tornado does). `None` when
/// every context is active: the state stays as it is (Python builds an
/// equal copy).
fn remove_deactivated(contexts: &Contexts) -> Option<Contexts> {
    let stack = contexts.stack();
    let any_inactive = stack.iter().any(|n| !n.active.get())
        || match &contexts.0 {
            None => false,
            Some(State::Head(head)) => !chain_active(head),
            Some(State::Full(c)) => c.head.as_ref().is_some_and(|head| !chain_active(head)),
        };
    if !any_inactive {
        return None;
    }
    let stack: Vec<Rc<Node>> = stack.iter().filter(|n| n.active.get()).cloned().collect();
    let mut head = contexts.head();
    while let Some(n) = head.clone() {
        if n.active.get() {
            break;
        }
        head = n.parent();
    }
    let mut ctx = head.clone();
    while let Some(c) = ctx {
        let mut parent = c.parent();
        while let Some(p) = parent.clone() {
            if p.active.get() {
                break;
            }
            let grand = p.old.borrow().clone();
            *c.old.borrow_mut() = grand;
            parent = p.parent();
        }
        ctx = parent;
    }
    Some(Contexts::new(stack, head))
}

/// Is every context of the chain from `node` outwards active? Walks it
/// by reference (no `Rc` counts touched): what each wrapped call pays
/// when nothing was deactivated.
fn chain_active(node: &Node) -> bool {
    if !node.active.get() {
        return false;
    }
    match &node.old.borrow().0 {
        None => true,
        Some(State::Head(parent)) => chain_active(parent),
        Some(State::Full(c)) => c.head.as_ref().is_none_or(|parent| chain_active(parent)),
    }
}

/// PY: `_handle_exception(tail, exc)`: offers the exception to each context
/// from `tail` outwards; what is left is raised.
fn handle_exception(mut tail: Option<Rc<Node>>, mut exc: Option<Exception>) -> Option<Exception> {
    while let Some(node) = tail {
        match node.exit(exc.as_ref()) {
            Ok(true) => exc = None,
            Ok(false) => {}
            Err(raised) => exc = Some(raised),
        }
        tail = node.parent();
    }
    exc
}

/// The stack contexts captured by [`wrap`]: what it re-installs around
/// each call.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `wrap`'s `cap_contexts` and the
/// `wrapped` function it returns.
pub struct Captured {
    contexts: RefCell<Contexts>,
}

impl Captured {
    /// PY: `cap_contexts = [_state.contexts]`. `None` when no context is
    /// active: Tornado's fast path, `null_wrapper`, which only resets the
    /// state to empty around the call.
    pub fn capture() -> Option<Captured> {
        let contexts = current();
        contexts.0.as_ref()?;
        Some(Captured {
            contexts: RefCell::new(contexts),
        })
    }

    /// Calls `f` with the captured contexts re-entered, offering what it
    /// raises (an `Err` or a panic) to their handlers, innermost first.
    /// `Ok(Some(value))`: `f` returned; `Ok(None)`: a handler swallowed its
    /// exception; `Err`: no handler did.
    ///
    /// ```python
    /// def wrapped(*args, **kwargs):
    ///     current_state = _state.contexts
    ///     cap_contexts[0] = contexts = _remove_deactivated(cap_contexts[0])
    ///     _state.contexts = contexts
    ///     for n in stack: n.enter()      # an exception: top = n.old_contexts[1]
    ///     if top is None:
    ///         try: ret = fn(*args, **kwargs)
    ///         except: exc = sys.exc_info(); top = contexts[1]
    ///     if top is not None: exc = _handle_exception(top, exc)
    ///     else: ...                      # exit the stack contexts in reverse
    ///     if exc != (None, None, None): raise_exc_info(exc)
    ///     finally: _state.contexts = current_state
    /// ```
    // ANCHOR: call
    pub fn call<R>(
        &self,
        f: impl FnOnce() -> Result<R, Exception>,
    ) -> Result<Option<R>, Exception> {
        // PY: `cap_contexts[0] = contexts = _remove_deactivated(cap_contexts[0])`;
        // written back only when something was removed.
        let contexts = self.contexts.borrow().clone();
        let contexts = match &contexts.0 {
            // Every context of the chain active (no `Deactivate` was
            // called): nothing to prune, checked without a call.
            Some(State::Head(head)) if chain_active(head) => contexts,
            _ => match remove_deactivated(&contexts) {
                None => contexts,
                Some(pruned) => {
                    *self.contexts.borrow_mut() = pruned.clone();
                    pruned
                }
            },
        };
        // PY: `finally: _state.contexts = current_state`, also on a panic
        // (one from a context manager's own exit, outside every catch).
        struct Restore(Option<Contexts>);
        impl Drop for Restore {
            fn drop(&mut self) {
                if let Some(old) = self.0.take() {
                    replace(old);
                }
            }
        }
        let _restore = Restore(Some(replace(contexts.clone())));
        if let Some(State::Head(head)) = &contexts.0 {
            // Only exception handlers (`gen.Task`'s, the Runner's): nothing
            // to re-enter or exit around `f`, only its exception to offer.
            return match catch_panic(f).and_then(|r| r) {
                Ok(value) => Ok(Some(value)),
                Err(raised) => match handle_exception(Some(head.clone()), Some(raised)) {
                    None => Ok(None),
                    Some(exc) => Err(exc),
                },
            };
        }
        let stack = contexts.stack();
        let mut exc = None;
        let mut top = None;
        let mut last = 0;
        for node in stack {
            match node.enter() {
                Ok(()) => last += 1,
                Err(raised) => {
                    exc = Some(raised);
                    top = node.parent();
                }
            }
        }
        let mut ret = None;
        // PY: `if top is None:`: Tornado runs `fn` even when the outermost
        // context failed to enter (its `top` is then `None` too).
        if top.is_none() {
            match catch_panic(f).and_then(|r| r) {
                Ok(value) => ret = Some(value),
                Err(raised) => {
                    exc = Some(raised);
                    top = contexts.head();
                }
            }
        }
        if top.is_some() {
            exc = handle_exception(top, exc);
        } else {
            while last > 0 {
                last -= 1;
                let node = &stack[last];
                if let Err(raised) = node.exit(exc.as_ref()) {
                    exc = Some(raised);
                    top = node.parent();
                    break;
                }
            }
            if top.is_some() {
                exc = handle_exception(top, exc);
            }
        }
        match exc {
            Some(exc) => Err(exc),
            None => Ok(ret),
        }
    }
    // ANCHOR_END: call
}

/// Returns a callable that will restore the current stack contexts when
/// called.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `wrap(fn)`: "Use this whenever saving a
/// callback to be executed later in a different execution context".
///
/// # Differences
///
/// The callable takes one argument and returns `Result<(), Exception>`: an
/// `Err` is the exception Python's `wrapped` re-raises when no handler
/// swallowed it. A panic in `f` is offered to the handlers as the exception
/// it is; if none swallows it, it comes back as that `Err`.
pub fn wrap<A: 'static>(
    mut f: impl FnMut(A) -> Result<(), Exception> + 'static,
) -> Box<dyn FnMut(A) -> Result<(), Exception>> {
    match Captured::capture() {
        // PY: `null_wrapper`: the state is empty around the call.
        None => Box::new(move |arg| NullContext::run(|| f(arg))),
        Some(captured) => Box::new(move |arg| captured.call(|| f(arg)).map(drop)),
    }
}

/// Either kind of stack context, for [`run_with_stack_context`] (Python
/// takes any object with `__enter__` and `__exit__`).
pub enum AnyStackContext {
    /// A [`StackContext`].
    Stack(StackContext),
    /// An [`ExceptionStackContext`].
    Exception(ExceptionStackContext),
}

impl From<StackContext> for AnyStackContext {
    fn from(context: StackContext) -> Self {
        AnyStackContext::Stack(context)
    }
}

impl From<ExceptionStackContext> for AnyStackContext {
    fn from(context: ExceptionStackContext) -> Self {
        AnyStackContext::Exception(context)
    }
}

/// `with context: return func()`: runs `func` in `context`.
///
/// # Tornado
///
/// `tornado/stack_context.py` 4.5.3, `run_with_stack_context(context, func)`:
/// the way to run a coroutine in a context without a `yield` inside the
/// `with` block (`yield run_with_stack_context(StackContext(ctx), f)`).
/// Returns as [`ExceptionStackContext::run`] does.
pub fn run_with_stack_context<R>(
    context: impl Into<AnyStackContext>,
    func: impl FnOnce() -> R,
) -> Result<Option<R>, Exception> {
    match context.into() {
        AnyStackContext::Stack(context) => context.run(|_| func()),
        AnyStackContext::Exception(context) => context.run(|_| func()),
    }
}

// ANCHOR: wrap_callback
/// The loop's `stack_context.wrap(callback)` for a queued callback: the
/// callback unchanged when no context is active (`IOLoop::start` runs the
/// loop in the empty state, so it runs with none, as `null_wrapper` would).
#[inline]
pub(crate) fn wrap_callback(func: CallbackFn) -> CallbackFn {
    if !is_active() {
        return func;
    }
    wrap_captured(func)
}

/// [`wrap_callback`] for a user's callback not boxed yet (`add_callback`,
/// `add_timeout`): one allocation holds both the callback and the captured
/// contexts, where boxing first and wrapping the box would take two.
#[inline]
pub(crate) fn wrap_user_callback<R: CallbackReturn>(
    callback: impl FnOnce() -> R + 'static,
) -> CallbackFn {
    if !is_active() {
        return boxed(callback);
    }
    wrap_user_captured(callback)
}

/// `wrap_user_callback` with contexts to capture, kept out of line so the
/// empty path stays as small as `boxed` alone.
#[inline(never)]
fn wrap_user_captured<R: CallbackReturn>(callback: impl FnOnce() -> R + 'static) -> CallbackFn {
    match Captured::capture() {
        None => boxed(callback),
        Some(captured) => Box::new(LoopFn {
            // The name `boxed` would give it: the user's closure.
            type_name: std::any::type_name_of_val(&callback),
            func: move |io_loop: &IOLoop| {
                captured
                    .call(|| callback().into_callback_result(io_loop))
                    .map(drop)
            },
        }),
    }
}

/// `wrap_callback` with contexts to capture.
fn wrap_captured(func: CallbackFn) -> CallbackFn {
    match Captured::capture() {
        None => func,
        Some(captured) => {
            let type_name = func.type_name();
            Box::new(LoopFn {
                type_name,
                func: move |io_loop: &IOLoop| {
                    let mut func = Some(func);
                    captured
                        .call(|| match func.take() {
                            Some(func) => func.call(io_loop),
                            None => Ok(()),
                        })
                        .map(drop)
                },
            })
        }
    }
}

// ANCHOR_END: wrap_callback

/// The loop's `stack_context.wrap(handler)` for a descriptor handler.
#[inline]
pub(crate) fn wrap_handler(mut func: HandlerFn) -> HandlerFn {
    if !is_active() {
        return func;
    }
    match Captured::capture() {
        None => func,
        Some(captured) => Box::new(move |fd, events, io_loop: &IOLoop| {
            captured.call(|| func(fd, events, io_loop)).map(drop)
        }),
    }
}
