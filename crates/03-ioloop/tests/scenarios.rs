//! One insta snapshot per scenario of the chapter: the full recording, with
//! the machinery's lines, of each program in `ch03_ioloop::scenarios`.
//!
//! The lines the programs print are also checked here against what real
//! Tornado 4.5.3 printed for the Python twin (`tests/tornado/expected/`), so
//! a snapshot can only be accepted if its order is Tornado's.

use std::path::Path;

use ch03_ioloop::scenarios::SCENARIOS;

fn expected_prints(twin: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/tornado/expected/4.5.3")
        .join(format!("{twin}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| l.starts_with("[it="))
        .map(str::to_string)
        .collect()
}

#[test]
fn scenarios() {
    for scenario in SCENARIOS {
        let recording = scenario.record();
        if let Some(twin) = scenario.twin {
            assert_eq!(
                recording.prints(),
                expected_prints(twin),
                "{}: the printed lines differ from real Tornado's",
                scenario.name
            );
        }
        insta::with_settings!({ description => scenario.title, omit_expression => true }, {
            insta::assert_snapshot!(scenario.name, recording.to_string());
        });
    }
}
