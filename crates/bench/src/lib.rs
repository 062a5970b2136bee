//! The course's IOLoop on the benchmark scenarios, measured beside Tornado
//! 4.5.3 and the floor (`floor/`, package `course-bench-floor`) in the same run.
//!
//! # The scenarios
//!
//! `docs/benchmarks.md` defines them; each program here mirrors, line by line in
//! intent, the Python program of the same scenario in `crates/bench/py/`, and prints
//! the same line: `SCENARIO N=<n> total_s=<s> per_op_ns=<ns> [extras]`.
//!
//! | scenario | program | mirrors |
//! |---|---|---|
//! | S1, S1' (`inloop`) | `course_s1_callbacks` | `py/s1_callbacks.py` |
//! | S2 | `course_s2_chain` | `py/s2_chain.py` |
//! | S3 | `course_s3_fanout` | `py/s3_fanout.py` (and its memory per coroutine) |
//! | S4 | `course_s4_timers` | `py/s4_timers.py` |
//! | S5 | `course_s5_pingpong` | `py/s5_pingpong.py` |
//! | S6 | `course_s6_task` | `py/s6_task.py` |
//! | POLLturn | `course_poll_turn` | `py/poll_turn.py` |
//! | ITERturn, ITERturnfd | `course_iter_turn` | — (ours only: the poll decision) |
//!
//! # Layout
//!
//! - [`measure`]: the output line, the S4 delays, `/proc/self/status`.
//! - [`table`]: reads the raw lines `run.sh` collects and prints the table.
//! - `src/bin/`: one program per scenario, and `bench_table`.

#![forbid(unsafe_code)]

pub mod measure;
pub mod table;

/// A benchmark scenario as the table shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchScenario {
    /// The name the programs print first on their line (`S1inloop`).
    pub name: &'static str,
    /// The row title.
    pub title: &'static str,
    /// Our program (and its argument), as `run.sh` calls it.
    pub program: &'static str,
}

/// Every scenario, in the order of the table.
pub const SCENARIOS: &[BenchScenario] = &[
    BenchScenario {
        name: "S1",
        title: "S1 callbacks (1M add_callback before start)",
        program: "course_s1_callbacks",
    },
    BenchScenario {
        name: "S1inloop",
        title: "S1' callbacks scheduled on the running loop",
        program: "course_s1_callbacks inloop",
    },
    BenchScenario {
        name: "S2",
        title: "S2 future round trip in a coroutine",
        program: "course_s2_chain",
    },
    BenchScenario {
        name: "S3",
        title: "S3 moment step (10k coroutines x 10)",
        program: "course_s3_fanout",
    },
    BenchScenario {
        name: "S4",
        title: "S4 timers (200k, half removed; ns beyond 50 ms)",
        program: "course_s4_timers",
    },
    BenchScenario {
        name: "S5",
        title: "S5 socketpair round trip",
        program: "course_s5_pingpong",
    },
    BenchScenario {
        name: "S6",
        title: "S6 gen.Task round trip",
        program: "course_s6_task",
    },
    BenchScenario {
        name: "POLLturn",
        title: "POLLturn: one empty poll (timeout 0)",
        program: "course_poll_turn",
    },
    BenchScenario {
        name: "ITERturn",
        title: "ITERturn: one iteration, one callback, no handler (poll skipped)",
        program: "course_iter_turn",
    },
    BenchScenario {
        name: "ITERturnfd",
        title: "ITERturnfd: the same with an idle handler (polls every iteration)",
        program: "course_iter_turn handler",
    },
];
