//! One insta snapshot per scenario of the chapter: the full recording, with
//! the machinery's lines and the log records, of each program in
//! `ch06_gen_task::scenarios`.
//!
//! The lines the programs print are also checked against what real Tornado
//! 4.5.3 printed for the Python twin (`tests/tornado/expected/`), so a
//! snapshot can only be accepted if its order is Tornado's.

#[test]
fn scenarios() {
    ch00_trace::assert_scenarios!(ch06_gen_task::scenarios::SCENARIOS);
}
