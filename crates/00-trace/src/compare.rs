//! Two recordings of one program side by side: which printed lines moved.
//!
//! The closing chapter records each program under Tornado 4.5.3's rules and
//! under Tornado 6.6.1's ([`Era`](crate::Era)) and shows both. What a reader
//! looks for is what the program printed differently: a line printed in
//! another iteration, or in another order relative to the others. Both the
//! tour (`cargo run`) and the book's pair of players (`chapters/theme/player.js`,
//! `movedPrints`, the same algorithm step for step) mark those lines.
//!
//! A printed line is compared with its iteration counted from the
//! recording's first printed line, `[+N] text`: the lines the two recordings
//! print in the same order and the same number of iterations after their
//! first print are their longest common subsequence, and every other printed
//! line, on either side, has *moved*. Counting from the first print keeps the
//! one poll asyncio makes before its first batch (every `[it=N]` of a Tornado
//! 6 program one higher) from marking every line: what is marked is what
//! moved relative to the rest of the program.
//!
//! ```
//! use ch00_trace::{Event, EventKind, Recording};
//! let print = |iteration, text: &str| Event { iteration, kind: EventKind::Print, text: text.into() };
//! let old = Recording { events: vec![print(0, "a"), print(0, "b"), print(1, "c")] };
//! let new = Recording { events: vec![print(0, "a"), print(1, "b"), print(1, "c")] };
//! let moved = old.moved_prints(&new);
//! assert_eq!((moved.left, moved.right), (vec![1], vec![1])); // b, in another iteration
//! ```

use crate::event::{EventKind, Recording};

/// The printed lines that moved between two recordings of one program: the
/// indices, into each recording's `events`, of its `Print` events that the
/// other recording does not print at the same place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MovedPrints {
    /// The moved prints of the recording `moved_prints` was called on.
    pub left: Vec<usize>,
    /// The moved prints of the other recording.
    pub right: Vec<usize>,
}

impl MovedPrints {
    /// Whether nothing moved: both recordings print the same lines in the same
    /// iterations, in the same order.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty() && self.right.is_empty()
    }
}

impl Recording {
    /// The printed lines that moved between `self` (the left side) and `other`.
    ///
    /// The common lines are a longest common subsequence of the two lists of
    /// `[it=N] text`, found from the end; where several are equally long, the
    /// left side's line is given up first, as the conformance test's diff does.
    /// The book's player computes the same, in the same way, so the tour and
    /// the book mark the same lines.
    pub fn moved_prints(&self, other: &Recording) -> MovedPrints {
        fn prints(recording: &Recording) -> Vec<(usize, u32, &str)> {
            recording
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EventKind::Print)
                .map(|(step, e)| (step, e.iteration, e.text.as_str()))
                .collect()
        }
        // `[+N] text`: N iterations after the recording's first printed line.
        let relative = |prints: Vec<(usize, u32, &str)>| -> Vec<(usize, String)> {
            let base = prints.first().map_or(0, |&(_, iteration, _)| iteration);
            prints
                .into_iter()
                .map(|(step, iteration, text)| (step, format!("[+{}] {text}", iteration - base)))
                .collect()
        };
        let (a, b) = (relative(prints(self)), relative(prints(other)));
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![vec![0usize; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i].1 == b[j].1 {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let mut moved = MovedPrints::default();
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a[i].1 == b[j].1 {
                (i, j) = (i + 1, j + 1);
            } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
                moved.left.push(a[i].0);
                i += 1;
            } else {
                moved.right.push(b[j].0);
                j += 1;
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use crate::event::{Event, EventKind, Recording};

    fn recording(lines: &[(u32, EventKind, &str)]) -> Recording {
        Recording {
            events: lines
                .iter()
                .map(|&(iteration, kind, text)| Event {
                    iteration,
                    kind,
                    text: text.into(),
                })
                .collect(),
        }
    }

    use EventKind::{Callback, Log, Print};

    #[test]
    fn the_same_prints_moved_nowhere() {
        // The machinery may differ: only the prints are compared.
        let old = recording(&[(0, Callback, "callback c1 runs"), (0, Print, "a")]);
        let new = recording(&[(0, Print, "a"), (1, Log, "ERROR x")]);
        assert!(old.moved_prints(&new).is_empty());
    }

    #[test]
    fn another_iteration_is_moved_on_both_sides() {
        let old = recording(&[(0, Print, "a"), (0, Print, "b")]);
        let new = recording(&[
            (0, Print, "a"),
            (1, Callback, "callback c1 runs"),
            (1, Print, "b"),
        ]);
        let moved = old.moved_prints(&new);
        assert_eq!((moved.left, moved.right), (vec![1], vec![2]));
    }

    #[test]
    fn another_order_marks_the_fewest_lines() {
        // `cb` ran inside set_result before, from the loop after: one line moved,
        // not the three that kept their order.
        let old = recording(&[
            (0, Print, "x"),
            (0, Print, "cb"),
            (0, Print, "y"),
            (0, Print, "z"),
        ]);
        let new = recording(&[
            (0, Print, "x"),
            (0, Print, "y"),
            (0, Print, "z"),
            (0, Print, "cb"),
        ]);
        let moved = old.moved_prints(&new);
        assert_eq!((moved.left, moved.right), (vec![1], vec![3]));
    }

    #[test]
    fn iterations_count_from_the_first_print() {
        // Tornado 6 polls once before its first batch: every line one later.
        let old = recording(&[(0, Print, "a"), (0, Print, "b"), (1, Print, "c")]);
        let new = recording(&[(1, Print, "a"), (1, Print, "b"), (3, Print, "c")]);
        let moved = old.moved_prints(&new);
        assert_eq!((moved.left, moved.right), (vec![2], vec![2]));
    }

    #[test]
    fn a_tie_gives_up_the_left_line_first() {
        // `a b` against `b a`: either line could stay; as in the conformance diff,
        // the left side's first line is the one given up, so `b` stays.
        let old = recording(&[(0, Print, "a"), (0, Print, "b")]);
        let new = recording(&[(0, Print, "b"), (0, Print, "a")]);
        let moved = old.moved_prints(&new);
        assert_eq!((moved.left, moved.right), (vec![0], vec![1]));
    }

    #[test]
    fn a_line_printed_on_one_side_only_moved() {
        let old = recording(&[(1, Print, "events=0x10")]);
        let new = recording(&[(1, Print, "events=0x1"), (1, Print, "extra")]);
        let moved = old.moved_prints(&new);
        assert_eq!((moved.left, moved.right), (vec![0], vec![0, 1]));
    }
}
