//! Property: random programs of coroutines, callbacks, timeouts (finite and not),
//! futures and panics never break the machinery.
//!
//! Each program is a tree of coroutines. A coroutine's steps yield a `moment`, a
//! `sleep`, a user future, a child coroutine or a list of them (`multi`), schedule a
//! callback (some panic, some resolve a user future, some with a delay of `inf`, `-inf`
//! or NaN), raise, or panic: before its first yield or after any of them. For every
//! program:
//!
//! - no panic escapes: `run_sync` returns, and the loop goes on to the end;
//! - nothing hangs (a guard fails the case if it takes more than a minute of wall
//!   time, which on the fake clock only a spinning loop could);
//! - every coroutine's future is done at the end, with the outcome its steps imply
//!   (a panic is an exception, delivered to whoever waits, as Tornado delivers one);
//! - a callback whose delay is `+inf` or NaN never runs, one whose delay is `-inf`
//!   runs, as Tornado's `deadline <= now` decides.
//!
//! The order of the callbacks and timeouts alone is checked against an executable
//! model of Tornado 4.5.3 by chapter 3's `prop_iteration_order`; this property adds the
//! coroutines and the hostile inputs and checks outcomes, not orders.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use ch01_yield::{Exception, Panic, PyError};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop};
use ch05_coroutine::{coroutine, moment, sleep};
use proptest::prelude::*;

/// How many user futures a program has; future `n` always resolves with `n`.
const USER_FUTURES: usize = 3;
/// Sleeps are finite: a coroutine must be able to finish.
const SLEEPS: [f64; 3] = [0.0, 0.5, 1.0];
/// Delays of side callbacks: the last three are never, at once, and not a number.
const DELAYS: [f64; 6] = [0.0, 0.5, 1.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
/// When every user future still pending is resolved, so every wait ends.
const END: f64 = 1000.0;

#[derive(Clone, Debug)]
enum Step {
    Moment,
    Sleep(usize),
    /// Wait on user future `n`.
    WaitUser(usize),
    /// Yield a child coroutine; `true`: catch its failure and go on.
    Child(Spec, bool),
    /// Yield a list of children (`multi`); `true`: catch its failure.
    Multi(Vec<Spec>, bool),
    /// Schedule a callback (`call_later(DELAYS[delay], ...)`).
    Callback(Side, usize),
    /// `raise ValueError`.
    Raise,
    /// `panic!`: Rust's exception.
    Panic,
}

#[derive(Clone, Debug)]
enum Side {
    /// Resolves user future `n` (if still pending).
    Resolve(usize),
    /// Panics: the loop logs it and goes on.
    Panics,
    /// Only notes that it ran.
    Notes,
}

#[derive(Clone, Debug)]
struct Spec {
    steps: Vec<Step>,
}

/// What a coroutine of `spec` ends with: its value (1 + what it collected), or the
/// kind of exception that ended it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Value(u64),
    Raised,
    Panicked,
}

fn expected(spec: &Spec) -> Outcome {
    let mut sum = 0;
    for step in &spec.steps {
        match step {
            Step::Moment | Step::Sleep(_) | Step::Callback(..) => {}
            Step::WaitUser(n) => sum += *n as u64,
            Step::Child(child, catch) => match expected(child) {
                Outcome::Value(v) => sum += v,
                failed if !catch => return failed,
                _ => {}
            },
            Step::Multi(children, catch) => {
                // multi_future fails with the first failing child, in list order.
                let outcomes: Vec<Outcome> = children.iter().map(expected).collect();
                match outcomes.iter().find(|o| !matches!(o, Outcome::Value(_))) {
                    Some(failed) if !catch => return *failed,
                    Some(_) => {}
                    None => {
                        for o in outcomes {
                            if let Outcome::Value(v) = o {
                                sum += v;
                            }
                        }
                    }
                }
            }
            Step::Raise => return Outcome::Raised,
            Step::Panic => return Outcome::Panicked,
        }
    }
    Outcome::Value(sum + 1)
}

fn outcome_of(result: Result<u64, Exception>) -> Outcome {
    match result {
        Ok(v) => Outcome::Value(v),
        Err(e) if e.is::<Panic>() => Outcome::Panicked,
        Err(e) if e.is::<PyError>() => Outcome::Raised,
        Err(e) => panic!("unexpected exception {e}"),
    }
}

/// The program's world: its loop, its user futures, what it made and what ran.
struct Env {
    io_loop: IOLoop,
    user: Vec<Future<u64>>,
    made: RefCell<Vec<(Spec, Future<u64>)>>,
    /// The delay index of every side callback that ran.
    ran: RefCell<Vec<usize>>,
    /// The delay index of every side callback scheduled.
    scheduled: RefCell<Vec<usize>>,
}

fn spawn(spec: Spec, env: Rc<Env>) -> Future<u64> {
    let (steps, world) = (spec.steps.clone(), env.clone());
    let future = coroutine(move |co| async move {
        let mut sum = 0;
        for step in steps {
            match step {
                Step::Moment => co.yield_(moment()).await?,
                Step::Sleep(i) => co.yield_(sleep(SLEEPS[i])).await?,
                Step::WaitUser(n) => sum += co.yield_(world.user[n].clone()).await?,
                Step::Child(child, catch) => match co.yield_(spawn(child, world.clone())).await {
                    Ok(v) => sum += v,
                    Err(e) if !catch => return Err(e),
                    Err(_) => {}
                },
                Step::Multi(children, catch) => {
                    let futures: Vec<Future<u64>> = children
                        .into_iter()
                        .map(|c| spawn(c, world.clone()))
                        .collect();
                    match co.yield_(futures).await {
                        Ok(values) => sum += values.iter().sum::<u64>(),
                        Err(e) if !catch => return Err(e),
                        Err(_) => {}
                    }
                }
                Step::Callback(side, delay) => schedule(&world, side, delay),
                Step::Raise => return Err(PyError::new("ValueError", "raised").into()),
                Step::Panic => panic!("a coroutine panics"),
            }
        }
        Ok(sum + 1)
    });
    env.made.borrow_mut().push((spec, future.clone()));
    future
}

fn schedule(env: &Rc<Env>, side: Side, delay: usize) {
    env.scheduled.borrow_mut().push(delay);
    let world = env.clone();
    env.io_loop.call_later(DELAYS[delay], move || {
        world.ran.borrow_mut().push(delay);
        match side {
            Side::Resolve(n) => {
                if !world.user[n].done() {
                    world.user[n].set_result(n as u64).unwrap();
                }
            }
            Side::Panics => panic!("a callback panics"),
            Side::Notes => {}
        }
    });
}

/// Runs one program and checks every property; `Err` says which one failed.
fn check(root: Spec) -> Result<(), String> {
    let io_loop = IOLoop::with_clock(FakeClock::new(0.0)).unwrap();
    io_loop.make_current();
    let env = Rc::new(Env {
        io_loop: io_loop.clone(),
        user: (0..USER_FUTURES).map(|_| Future::new()).collect(),
        made: RefCell::new(Vec::new()),
        ran: RefCell::new(Vec::new()),
        scheduled: RefCell::new(Vec::new()),
    });
    // At END every user future still pending resolves, then the loop stops.
    let world = env.clone();
    io_loop.call_at(END, move || {
        for (n, future) in world.user.iter().enumerate() {
            if !future.done() {
                future.set_result(n as u64).unwrap();
            }
        }
    });
    let (lp, world, spec) = (io_loop.clone(), env.clone(), root.clone());
    let result = io_loop.run_sync(move || spawn(spec, world), Some(2.0 * END));
    let want = expected(&root);
    if outcome_of(result.clone()) != want {
        return Err(format!("run_sync gave {result:?}, expected {want:?}"));
    }
    // Let everything left (side callbacks, background children) run out.
    // (Sleeps and callbacks after END add a few seconds at most.)
    let stop = lp.clone();
    lp.call_later(END, move || stop.stop());
    lp.start().map_err(|e| format!("the loop failed: {e}"))?;
    for (spec, future) in env.made.borrow().iter() {
        if !future.done() {
            return Err(format!("a coroutine never finished: {spec:?}"));
        }
        let (got, want) = (outcome_of(future.result()), expected(spec));
        if got != want {
            return Err(format!("{spec:?} ended {got:?}, expected {want:?}"));
        }
    }
    let ran = env.ran.borrow();
    for delay in env.scheduled.borrow().iter() {
        let runs = ran.iter().filter(|d| *d == delay).count();
        let never = !DELAYS[*delay].is_finite() && DELAYS[*delay] != f64::NEG_INFINITY;
        if never && runs > 0 {
            return Err(format!("a callback delayed {} ran", DELAYS[*delay]));
        }
    }
    let finite_scheduled = env
        .scheduled
        .borrow()
        .iter()
        .filter(|d| DELAYS[**d].is_finite() || DELAYS[**d] == f64::NEG_INFINITY)
        .count();
    let finite_ran = ran
        .iter()
        .filter(|d| DELAYS[**d].is_finite() || DELAYS[**d] == f64::NEG_INFINITY)
        .count();
    if finite_ran != finite_scheduled {
        return Err(format!(
            "{finite_scheduled} callbacks were due, {finite_ran} ran"
        ));
    }
    io_loop.close(true);
    Ok(())
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![
        (0..USER_FUTURES).prop_map(Side::Resolve),
        Just(Side::Panics),
        Just(Side::Notes),
    ]
}

fn leaf_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Moment),
        2 => (0..SLEEPS.len()).prop_map(Step::Sleep),
        2 => (0..USER_FUTURES).prop_map(Step::WaitUser),
        3 => (side(), 0..DELAYS.len()).prop_map(|(s, d)| Step::Callback(s, d)),
        1 => Just(Step::Raise),
        1 => Just(Step::Panic),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let leaf = prop::collection::vec(leaf_step(), 0..5).prop_map(|steps| Spec { steps });
    leaf.prop_recursive(3, 24, 4, |inner| {
        let step = prop_oneof![
            4 => leaf_step(),
            2 => (inner.clone(), any::<bool>()).prop_map(|(s, c)| Step::Child(s, c)),
            1 => (prop::collection::vec(inner, 0..3), any::<bool>())
                .prop_map(|(s, c)| Step::Multi(s, c)),
        ];
        prop::collection::vec(step, 0..6).prop_map(|steps| Spec { steps })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hostile_programs_finish_with_the_outcomes_their_steps_imply(root in spec()) {
        // Each program runs on a thread of its own, so a hang is a failed case, not
        // a stuck test run, and a panic that escaped is reported, not fatal.
        let (tx, rx) = mpsc::channel();
        let program = root.clone();
        std::thread::spawn(move || {
            let verdict = std::panic::catch_unwind(|| check(program))
                .unwrap_or_else(|_| Err("a panic escaped the machinery".to_string()));
            let _ = tx.send(verdict);
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(verdict) => prop_assert_eq!(verdict, Ok(())),
            Err(_) => prop_assert!(false, "the program hung: {:?}", root),
        }
    }
}
