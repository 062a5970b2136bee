//! The graded exercises hold together, checked without building anything: every
//! chapter's catalog reads, every exercise has its one solution region and a wrong
//! solution, is taught in a section of its chapter's page, and builds only on earlier
//! exercises. (`cargo run -- check-exercises`, run by CI, checks what needs builds:
//! the student edition, each exercise stubbed alone, each wrong solution.)

use tornado_course::exercises::{catalog, check, course_root, edition};

/// The catalogs, the regions and the book agree.
#[test]
fn the_exercises_hold_together() {
    let root = course_root();
    let exercises = catalog::all(&root).unwrap();
    let regions = edition::scan(&root).unwrap();
    let problems = check::consistency(&root, &exercises, &regions, None);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each chapter's exercises are where the README says to look, and their test
/// commands are the ones the catalog gives.
#[test]
fn every_chapter_with_code_has_its_exercises() {
    let root = course_root();
    for chapter in tornado_course::CHAPTERS.iter().filter(|c| c.number >= 1) {
        let exercises = catalog::chapter_exercises(&root, chapter).unwrap();
        assert!(
            !exercises.is_empty(),
            "chapter {:02} has no exercises",
            chapter.number
        );
        let tests = root
            .join("crates")
            .join(chapter.dir)
            .join("tests")
            .join("exercises.rs");
        let text = std::fs::read_to_string(&tests).unwrap();
        for exercise in &exercises {
            let wrapped = format!("exercise(\"{}\"", exercise.id);
            assert!(
                text.contains(&format!("fn {}_", exercise.test_prefix()))
                    && text.contains(&wrapped),
                "{}: no test `fn {}_...` wrapped in testkit::{wrapped}..)",
                tests.display(),
                exercise.test_prefix()
            );
        }
    }
}
