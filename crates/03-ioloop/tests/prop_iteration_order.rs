//! Property: for random programs of callbacks, timeouts (on a `FakeClock`),
//! futures and `stop()`, the order the loop runs things in, with the
//! iteration (`[it=N]`, polls completed) and the clock of each, equals what a
//! small executable model of Tornado 4.5.3's rules predicts.
//!
//! The model (`Model` below) is written from `tornado/ioloop.py` 4.5.3,
//! `PollIOLoop.start`, `stop`, `call_at`, `remove_timeout`, `add_future`, and
//! `tornado/concurrent.py`'s `Future.set_result` (done-callbacks run at once,
//! in order), not from our code:
//!
//! - an iteration counts the queued callbacks, then pops cancelled heads of
//!   the timer heap and collects the due timeouts (deadline <= now, in
//!   (deadline, insertion) order), runs the counted callbacks, then the due
//!   timeouts not removed meanwhile;
//! - the poll timeout is 0 with callbacks queued, else the head's deadline
//!   (removed or not) minus now, else 3600 s; deadlines of `+inf` and NaN
//!   never come due, `-inf` always does, NaN is ordered as `+inf`; `stop()` makes the loop return
//!   right here, before the poll; a pending `stop()` wake-up makes the next
//!   poll return at once; otherwise the fake clock jumps to the deadline;
//! - a poll ends the iteration;
//! - `stop()` before `start()` makes the next `start()` return at once;
//! - `add_callback` before the first `start()` wakes the poller too (no loop
//!   thread is known yet), so the first poll returns at once.
//!
//! The compaction of the heap (more than 512 removals) cannot happen in these
//! small programs, so the model leaves it out. Programs never register a
//! handler, so our loop skips most of its polls here: the property also shows
//! that skipping them changes no order and no `[it=N]`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use ch00_trace::{record, say};
use ch02_future::Future;
use ch03_ioloop::{FakeClock, IOLoop, TimeoutHandle};
use proptest::prelude::*;

/// Delays a timeout may have: sums of the finite ones are exact in binary,
/// so equal deadlines (ties) happen often and compare exactly. The last three
/// are not finite numbers: `+inf` never comes due and `-inf` always is
/// (Tornado's `deadline <= now`), and NaN never comes due either and is
/// ordered as `+inf` (our documented meaning; in Tornado a NaN breaks the
/// heap's order and spins the loop).
const DELAYS: [f64; 7] = [
    0.0,
    0.5,
    1.0,
    2.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];
/// The sentinel timeout that ends every program, far after everything else.
const END: f64 = 1000.0;

/// Something a task does when it runs.
#[derive(Clone, Debug)]
enum Action {
    /// `add_callback(task)`.
    AddCallback(Task),
    /// `call_later(DELAYS[i], task)`; the handle is kept for `RemoveTimeout`.
    CallLater(usize, Task),
    /// `remove_timeout` of the n-th timeout made so far (modulo their count).
    RemoveTimeout(usize),
    /// `Future()`, kept for `SetResult` and `AddFuture`.
    NewFuture,
    /// `set_result` of the n-th future (modulo), unless it is done.
    SetResult(usize),
    /// `add_future(future n, task)`.
    AddFuture(usize, Task),
    /// `stop()`; the test starts the loop again until the sentinel fired.
    Stop,
}

/// A callback of the program: prints its label (with the clock), does its
/// actions, then panics if `fails` (logged by the loop; order unchanged).
#[derive(Clone, Debug)]
struct Task {
    label: u32,
    actions: Vec<Action>,
    fails: bool,
}

/// What each task prints: `[it=N] task L at T`.
fn line(iteration: u32, label: u32, now: f64) -> String {
    format!("[it={iteration}] task {label} at {now}")
}

// ---------------------------------------------------------------- real loop

/// The program's view of the loop: the handles it made, in order.
struct Real {
    io_loop: IOLoop,
    clock: FakeClock,
    timeouts: RefCell<Vec<TimeoutHandle>>,
    futures: RefCell<Vec<Future<()>>>,
}

fn run_task(real: &Rc<Real>, task: &Task) {
    say!("task {} at {}", task.label, real.clock.time());
    do_actions(real, &task.actions);
    if task.fails {
        panic!("task {} fails", task.label);
    }
}

fn later(real: &Rc<Real>, task: &Task) -> impl FnOnce() + 'static {
    let (real, task) = (real.clone(), task.clone());
    move || run_task(&real, &task)
}

fn do_actions(real: &Rc<Real>, actions: &[Action]) {
    let lp = &real.io_loop;
    for action in actions {
        match action {
            Action::AddCallback(task) => lp.add_callback(later(real, task)),
            Action::CallLater(d, task) => {
                let handle = lp.call_later(DELAYS[*d], later(real, task));
                real.timeouts.borrow_mut().push(handle);
            }
            Action::RemoveTimeout(n) => {
                let handle = pick(&real.timeouts.borrow(), *n);
                if let Some(handle) = handle {
                    lp.remove_timeout(&handle);
                }
            }
            Action::NewFuture => real.futures.borrow_mut().push(Future::new()),
            Action::SetResult(n) => {
                let future = pick(&real.futures.borrow(), *n);
                if let Some(future) = future.filter(|f| !f.done()) {
                    future.set_result(()).unwrap();
                }
            }
            Action::AddFuture(n, task) => {
                let future = pick(&real.futures.borrow(), *n);
                if let Some(future) = future {
                    let run = later(real, task);
                    lp.add_future(&future, move |_| run());
                }
            }
            Action::Stop => lp.stop(),
        }
    }
}

fn pick<T: Clone>(items: &[T], n: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[n % items.len()].clone())
}

/// Runs the program on our loop and returns what the tasks printed.
fn run_real(program: &[Action]) -> Vec<String> {
    let ((), recording) = record(|| {
        let clock = FakeClock::new(0.0);
        let io_loop = IOLoop::with_clock(clock.clone()).unwrap();
        let real = Rc::new(Real {
            io_loop: io_loop.clone(),
            clock,
            timeouts: RefCell::new(Vec::new()),
            futures: RefCell::new(Vec::new()),
        });
        let ended = Rc::new(Cell::new(false));
        let (e, lp) = (ended.clone(), io_loop.clone());
        io_loop.call_at(END, move || {
            say!("end");
            e.set(true);
            lp.stop();
        });
        do_actions(&real, program);
        let mut starts = 0;
        while !ended.get() {
            io_loop.start().unwrap();
            starts += 1;
            assert!(starts < 1000, "the program never ends");
        }
        io_loop.close(true);
        // Break the cycles the handles' closures make with `real`.
        real.futures.borrow_mut().clear();
        real.timeouts.borrow_mut().clear();
        IOLoop::clear_current();
    });
    recording.prints()
}

// -------------------------------------------------------------------- model

/// What the model queues: a task of the program, or the sentinel.
#[derive(Clone, Debug)]
enum Job {
    Task(Task),
    End,
}

struct ModelTimeout {
    deadline: f64,
    seq: usize,
    /// `None` once removed or run (Tornado's `timeout.callback = None`).
    job: Option<Job>,
    in_heap: bool,
}

#[derive(Default)]
struct ModelFuture {
    done: bool,
    /// `add_future`'s done-callbacks: each does `add_callback(job)`.
    waiting: Vec<Job>,
}

/// Tornado 4.5.3's rules, executable.
#[derive(Default)]
struct Model {
    out: Vec<String>,
    iteration: u32,
    now: f64,
    running: bool,
    stopped: bool,
    wake_pending: bool,
    /// `_thread_ident is not None`: `start()` got past its checks once.
    started: bool,
    ended: bool,
    callbacks: VecDeque<Job>,
    /// The timer heap's entries, by insertion (`seq`), the sentinel first.
    timeouts: Vec<ModelTimeout>,
    /// The program's own timeouts (indexes into `timeouts`), for `RemoveTimeout`.
    made: Vec<usize>,
    futures: Vec<ModelFuture>,
}

impl Model {
    fn call_at(&mut self, deadline: f64, job: Job) {
        let seq = self.timeouts.len();
        self.timeouts.push(ModelTimeout {
            deadline,
            seq,
            job: Some(job),
            in_heap: true,
        });
    }

    /// `add_callback`: before the first `start()`, Tornado knows no loop
    /// thread, so the caller counts as another thread and wakes the poller.
    fn add_callback(&mut self, job: Job) {
        self.callbacks.push_back(job);
        if !self.started {
            self.wake_pending = true;
        }
    }

    fn stop(&mut self) {
        self.running = false;
        self.stopped = true;
        self.wake_pending = true;
    }

    fn run(&mut self, job: Job) {
        match job {
            Job::End => {
                self.out.push(format!("[it={}] end", self.iteration));
                self.ended = true;
                self.stop();
            }
            Job::Task(task) => {
                self.out.push(line(self.iteration, task.label, self.now));
                self.actions(&task.actions);
            }
        }
    }

    fn actions(&mut self, actions: &[Action]) {
        for action in actions {
            match action {
                Action::AddCallback(task) => self.add_callback(Job::Task(task.clone())),
                Action::CallLater(d, task) => {
                    self.made.push(self.timeouts.len());
                    self.call_at(self.now + DELAYS[*d], Job::Task(task.clone()));
                }
                Action::RemoveTimeout(n) => {
                    if !self.made.is_empty() {
                        let i = self.made[n % self.made.len()];
                        self.timeouts[i].job = None;
                    }
                }
                Action::NewFuture => self.futures.push(ModelFuture::default()),
                Action::SetResult(n) => {
                    if !self.futures.is_empty() {
                        let i = n % self.futures.len();
                        if !self.futures[i].done {
                            self.futures[i].done = true;
                            // Done-callbacks run now, in order: each adds a callback.
                            let waiting = std::mem::take(&mut self.futures[i].waiting);
                            for job in waiting {
                                self.add_callback(job);
                            }
                        }
                    }
                }
                Action::AddFuture(n, task) => {
                    if !self.futures.is_empty() {
                        let i = n % self.futures.len();
                        let job = Job::Task(task.clone());
                        if self.futures[i].done {
                            self.add_callback(job); // add_done_callback runs at once
                        } else {
                            self.futures[i].waiting.push(job);
                        }
                    }
                }
                Action::Stop => self.stop(),
            }
        }
    }

    /// The heap's head: the smallest (deadline, seq) still in the heap.
    fn head(&self) -> Option<usize> {
        (0..self.timeouts.len())
            .filter(|&i| self.timeouts[i].in_heap)
            .min_by(|&a, &b| {
                let (a, b) = (&self.timeouts[a], &self.timeouts[b]);
                let key = |d: f64| if d.is_nan() { f64::INFINITY } else { d };
                key(a.deadline)
                    .total_cmp(&key(b.deadline))
                    .then(a.seq.cmp(&b.seq))
            })
    }

    /// `PollIOLoop.start`.
    fn start(&mut self) {
        if self.stopped {
            self.stopped = false;
            return;
        }
        self.started = true;
        self.running = true;
        loop {
            let ncallbacks = self.callbacks.len();
            let mut due = Vec::new();
            while let Some(h) = self.head() {
                if self.timeouts[h].job.is_none() {
                    self.timeouts[h].in_heap = false; // cancelled head
                } else if self.timeouts[h].deadline <= self.now {
                    self.timeouts[h].in_heap = false;
                    due.push(h);
                } else {
                    break;
                }
            }
            for _ in 0..ncallbacks {
                let job = self.callbacks.pop_front().unwrap();
                self.run(job);
            }
            for h in due {
                if let Some(job) = self.timeouts[h].job.take() {
                    self.run(job);
                }
            }
            let (timeout, waiting_for_timeout) = if !self.callbacks.is_empty() {
                (0.0, false)
            } else if let Some(h) = self
                .head()
                .filter(|&h| self.timeouts[h].deadline < f64::INFINITY)
            {
                // (A head that never comes due, +inf or NaN, counts as none.)
                (
                    (self.timeouts[h].deadline - self.now).clamp(0.0, 3600.0),
                    true,
                )
            } else {
                (3600.0, false)
            };
            if !self.running {
                break;
            }
            if self.wake_pending {
                self.wake_pending = false; // this poll returns at once
            } else if waiting_for_timeout && timeout > 0.0 {
                self.now += timeout; // the fake clock jumps instead of sleeping
            }
            self.iteration += 1; // the poll: no handlers, no events
        }
        self.stopped = false;
        self.running = false;
    }
}

fn run_model(program: &[Action]) -> Vec<String> {
    let mut model = Model::default();
    model.call_at(END, Job::End);
    model.actions(program);
    while !model.ended {
        model.start();
    }
    model.out
}

// ---------------------------------------------------------------- programs

fn task_strategy() -> impl Strategy<Value = Task> + Clone {
    let leaf = prop::bool::weighted(0.1).prop_map(|fails| Task {
        label: 0,
        actions: Vec::new(),
        fails,
    });
    leaf.prop_recursive(3, 40, 4, |inner| {
        (
            prop::collection::vec(action_strategy(inner), 0..4),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(actions, fails)| Task {
                label: 0,
                actions,
                fails,
            })
    })
}

fn action_strategy(task: impl Strategy<Value = Task> + Clone) -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => task.clone().prop_map(Action::AddCallback),
        3 => (0..DELAYS.len(), task.clone()).prop_map(|(d, t)| Action::CallLater(d, t)),
        1 => (0..8usize).prop_map(Action::RemoveTimeout),
        1 => Just(Action::NewFuture),
        1 => (0..8usize).prop_map(Action::SetResult),
        2 => (0..8usize, task).prop_map(|(n, t)| Action::AddFuture(n, t)),
        1 => Just(Action::Stop),
    ]
}

/// Gives every task a distinct label, in program order.
fn label(actions: &mut [Action], next: &mut u32) {
    for action in actions {
        if let Action::AddCallback(task) | Action::CallLater(_, task) | Action::AddFuture(_, task) =
            action
        {
            *next += 1;
            task.label = *next;
            label(&mut task.actions, next);
        }
    }
}

fn program_strategy() -> impl Strategy<Value = Vec<Action>> {
    prop::collection::vec(action_strategy(task_strategy()), 1..8).prop_map(|mut program| {
        label(&mut program, &mut 0);
        program
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_loop_runs_programs_in_the_order_of_tornados_rules(program in program_strategy()) {
        prop_assert_eq!(run_real(&program), run_model(&program));
    }
}

/// The model itself, on a program whose 4.5.3 order is known (the twin
/// `ch03_iteration_order`): a callback added by a callback waits one
/// iteration; a due timeout runs after the counted callbacks.
#[test]
fn the_model_knows_the_snapshot_rule() {
    let leaf = |label| Task {
        label,
        actions: Vec::new(),
        fails: false,
    };
    let program = vec![
        Action::AddCallback(Task {
            label: 1,
            actions: vec![Action::AddCallback(leaf(2))],
            fails: false,
        }),
        Action::CallLater(0, leaf(3)),
        Action::CallLater(2, leaf(4)),
    ];
    let expected = [
        "[it=0] task 1 at 0",
        "[it=0] task 3 at 0",
        "[it=1] task 2 at 0",
        "[it=2] task 4 at 1",
        "[it=3] end",
    ];
    assert_eq!(run_model(&program), expected);
    assert_eq!(run_real(&program), expected);
}
