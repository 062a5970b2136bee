//! S4 timers, the limit: a BinaryHeap of (deadline, id) and a table of boxed
//! callbacks; remove_timeout empties the slot (the heap entry is skipped when
//! popped, as Tornado does). Sleeps with thread::sleep until the next deadline.
use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use limit::{Callback, measure};

const N: u64 = 200_000;
const MAX_DELAY_US: u64 = 50_000;

/// The same 64-bit LCG as py/s4_timers.py.
fn delays_us(n: u64) -> Vec<u64> {
    let mut x: u64 = 1;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % (MAX_DELAY_US + 1)
        })
        .collect()
}

#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(Instant, usize)>>,
    callbacks: Vec<Option<Callback>>,
}

impl Timers {
    fn call_later(&mut self, delay: Duration, f: impl FnOnce() + 'static) -> usize {
        let id = self.callbacks.len();
        self.callbacks.push(Some(Box::new(f)));
        self.heap.push(Reverse((Instant::now() + delay, id)));
        id
    }

    fn remove_timeout(&mut self, id: usize) {
        self.callbacks[id] = None;
    }

    /// Fires due timers in deadline order, sleeping in between, until none are left.
    fn run(&mut self) {
        while let Some(&Reverse((deadline, id))) = self.heap.peek() {
            let now = Instant::now();
            if deadline > now {
                std::thread::sleep(deadline - now);
                continue;
            }
            self.heap.pop();
            if let Some(callback) = self.callbacks[id].take() {
                callback();
            }
        }
    }
}

fn main() {
    let delays = delays_us(N);
    let floor_us = delays.iter().step_by(2).copied().max().unwrap();
    let fired = Rc::new(Cell::new(0u64));
    let mut timers = Timers::default();

    let t0 = Instant::now();
    let ids: Vec<usize> = delays
        .iter()
        .map(|&us| {
            let fired = Rc::clone(&fired);
            timers.call_later(Duration::from_micros(us), move || {
                fired.set(fired.get() + 1)
            })
        })
        .collect();
    for &id in ids.iter().skip(1).step_by(2) {
        timers.remove_timeout(id);
    }
    timers.run();
    let total_s = t0.elapsed().as_secs_f64();

    assert_eq!(fired.get(), N / 2);
    let floor_s = floor_us as f64 / 1e6;
    measure::report_per_op(
        "S4",
        N,
        total_s,
        (total_s - floor_s) / N as f64 * 1e9,
        &[
            ("floor_s", format!("{floor_s:.6}")),
            ("fired", fired.get().to_string()),
        ],
    );
}
