//! A recording drawn as a sequence diagram: one lane per actor, one row per event,
//! the iterations marked. As SVG for the book, as text for the terminal.
//!
//! The actors are the program (its prints, and its generators' steps: the user's
//! code), the IOLoop (callbacks, timeouts, handlers, polls, the waker, log records),
//! each Runner with the future it resolves (`runner[f2]` and `f2` share a lane: that
//! future is the coroutine's result), and each other Future.
//! A line that names another actor (`runner[f2] waits on f3`) is drawn as an arrow
//! from its subject's lane to that actor's lane.

use std::fmt::Write as _;

use crate::data::EventParts;
use crate::event::{EventKind, Recording};
use crate::recorder::ObjectKind;

/// One lane of the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lane {
    /// The user's code: prints and generators.
    Program,
    /// The loop: callbacks, timeouts, handlers, polls, the waker, logs.
    IOLoop,
    /// The Runner of a coroutine, and the future it resolves (`f2`): one lane, since
    /// that future is the coroutine's result.
    Runner(String),
    /// A Future.
    Future(String),
}

impl Lane {
    /// Its heading.
    pub fn label(&self) -> String {
        match self {
            Lane::Program => "program".into(),
            Lane::IOLoop => "IOLoop".into(),
            Lane::Runner(f) => format!("Runner → {f}"),
            Lane::Future(f) => format!("Future {f}"),
        }
    }
}

/// One row: the event's step, iteration, lane, the lanes its arrows go to, and its label.
#[derive(Clone, Debug)]
pub struct Row {
    /// The event's index in the recording.
    pub step: usize,
    /// Its iteration.
    pub it: u32,
    /// Its kind.
    pub kind: EventKind,
    /// The lane it is drawn on (an index into [`Diagram::lanes`]).
    pub lane: usize,
    /// The lanes of the other actors it names.
    pub arrows: Vec<usize>,
    /// What is written beside it.
    pub label: String,
    /// The recorded line.
    pub line: String,
}

/// A recording laid out in lanes and rows.
#[derive(Clone, Debug)]
pub struct Diagram {
    /// The lanes, in order: the program, the IOLoop, then runners and futures as
    /// they first appear.
    pub lanes: Vec<Lane>,
    /// One row per event.
    pub rows: Vec<Row>,
}

impl Recording {
    /// The recording laid out as a sequence diagram.
    pub fn diagram(&self) -> Diagram {
        let mut lanes = vec![Lane::Program, Lane::IOLoop];
        let lane_of =
            |lane: Lane, lanes: &mut Vec<Lane>| match lanes.iter().position(|l| *l == lane) {
                Some(at) => at,
                None => {
                    lanes.push(lane);
                    lanes.len() - 1
                }
            };
        let parts: Vec<EventParts> = self.events.iter().map(|e| e.parts()).collect();
        // The futures that runners resolve: drawn on their runner's lane.
        let runners: Vec<String> = self
            .events
            .iter()
            .zip(&parts)
            .filter(|(e, _)| e.kind == EventKind::Runner)
            .filter_map(|(_, p)| p.subject.clone())
            .collect();
        let future_lane = |id: &str| match runners.iter().any(|r| r == id) {
            true => Lane::Runner(id.to_string()),
            false => Lane::Future(id.to_string()),
        };
        let mut rows = Vec::new();
        for ((step, event), parts) in self.events.iter().enumerate().zip(parts.iter()) {
            let subject = parts.subject.clone().unwrap_or_default();
            let lane = match event.kind {
                EventKind::Print | EventKind::Generator => Lane::Program,
                EventKind::Future | EventKind::Runner => future_lane(&subject),
                _ => Lane::IOLoop,
            };
            let lane = lane_of(lane, &mut lanes);
            let mut arrows = Vec::new();
            for object in parts.objects.iter().filter(|o| o.id != subject) {
                if object.kind == ObjectKind::Future {
                    let target = lane_of(future_lane(&object.id), &mut lanes);
                    if target != lane {
                        arrows.push(target);
                    }
                }
            }
            let label = match event.kind {
                EventKind::Print => format!("> {}", event.text),
                EventKind::Log => format!("! {}", event.text.lines().next().unwrap_or_default()),
                EventKind::Future | EventKind::Runner => {
                    let who = if event.kind == EventKind::Future {
                        format!("{subject} ")
                    } else {
                        String::new()
                    };
                    match &parts.detail {
                        Some(detail) => format!("{who}{}: {detail}", parts.action),
                        None => format!("{who}{}", parts.action),
                    }
                }
                _ => event.text.clone(),
            };
            rows.push(Row {
                step,
                it: event.iteration,
                kind: event.kind,
                lane,
                arrows,
                label,
                line: event.to_string(),
            });
        }
        Diagram { lanes, rows }
    }
}

const LANE: usize = 150;
/// The program's lane is wider: its prints are the lines a reader looks for.
const PROGRAM: usize = 260;
/// The longest label drawn; the whole line is in the row's tooltip.
const LABEL: usize = 56;
const ROW: usize = 20;
const TOP: usize = 44;
const LEFT: usize = 56;

impl Diagram {
    /// The diagram as a standalone SVG (no script, no external resource), titled `title`.
    pub fn to_svg(&self, title: &str) -> String {
        let width = LEFT + PROGRAM + LANE * (self.lanes.len() - 1) + 12 * LABEL / 2;
        let height = TOP + ROW * (self.rows.len() + self.iterations()) + 20;
        let x = |lane: usize| match lane {
            0 => LEFT + 12,
            n => LEFT + PROGRAM + LANE * (n - 1) + 12,
        };
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="11" role="img" aria-label="{}">"#,
            escape(title)
        );
        let _ = writeln!(svg, "<title>{}</title>", escape(title));
        let _ = writeln!(
            svg,
            r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
        );
        for (i, lane) in self.lanes.iter().enumerate() {
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="20" font-weight="bold" fill="#222">{}</text><line x1="{}" y1="28" x2="{}" y2="{}" stroke="#d0d0d0" stroke-width="1"/>"##,
                x(i) - 6,
                escape(&lane.label()),
                x(i),
                x(i),
                height - 10
            );
        }
        let mut y = TOP;
        let mut iteration = None;
        for row in &self.rows {
            if iteration != Some(row.it) {
                iteration = Some(row.it);
                let _ = writeln!(
                    svg,
                    r##"<line x1="4" y1="{}" x2="{}" y2="{}" stroke="#8aa4c8" stroke-dasharray="4 3"/><text x="4" y="{}" fill="#3b5b8a">iteration {}</text>"##,
                    y - 6,
                    width - 4,
                    y - 6,
                    y + 7,
                    row.it
                );
                y += ROW;
            }
            let (fill, weight) = match row.kind {
                EventKind::Print => ("#0b6b2e", "bold"),
                EventKind::Log => ("#b00020", "normal"),
                EventKind::Poll => ("#3b5b8a", "normal"),
                _ => ("#333333", "normal"),
            };
            for &target in &row.arrows {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-dasharray="3 2"/><circle cx="{}" cy="{}" r="2.5" fill="#999"/>"##,
                    x(row.lane),
                    y,
                    x(target),
                    y,
                    x(target),
                    y
                );
            }
            let _ = writeln!(
                svg,
                r##"<g><title>{}</title><circle cx="{}" cy="{}" r="4" fill="{fill}"/><text x="{}" y="{}" fill="{fill}" font-weight="{weight}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text></g>"##,
                escape(&row.line),
                x(row.lane),
                y,
                x(row.lane) + 8,
                y + 4,
                escape(&shorten(&row.label, LABEL))
            );
            y += ROW;
        }
        svg += "</svg>\n";
        svg
    }

    /// How many iterations the rows span (each gets a marker row).
    fn iterations(&self) -> usize {
        let mut seen = 0;
        let mut last = None;
        for row in &self.rows {
            if last != Some(row.it) {
                seen += 1;
                last = Some(row.it);
            }
        }
        seen
    }

    /// The diagram as text for a terminal: a column per lane (`●` the event's lane,
    /// `│` a lane, `○` an actor the event names), then the label.
    ///
    /// ```
    /// let (_, recording) = ch00_trace::record(|| ch00_trace::say!("hi"));
    /// let text = recording.diagram().to_text();
    /// assert!(text.contains("● > hi") || text.contains("> hi"));
    /// ```
    pub fn to_text(&self) -> String {
        let width = 4;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "lanes: {}",
            self.lanes
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{}={}", i + 1, l.label()))
                .collect::<Vec<_>>()
                .join("  ")
        );
        let mut header = String::from("     ");
        for i in 0..self.lanes.len() {
            let _ = write!(header, "{:<width$}", i + 1);
        }
        let _ = writeln!(out, "{}", header.trim_end());
        let mut iteration = None;
        for row in &self.rows {
            if iteration != Some(row.it) {
                iteration = Some(row.it);
                let _ = writeln!(
                    out,
                    "---- iteration {} {}",
                    row.it,
                    "-".repeat(width * self.lanes.len().saturating_sub(2))
                );
            }
            let mut line = String::from("     ");
            let (low, high) = row
                .arrows
                .iter()
                .fold((row.lane, row.lane), |(lo, hi), &t| (lo.min(t), hi.max(t)));
            for i in 0..self.lanes.len() {
                let mark = if i == row.lane {
                    '●'
                } else if row.arrows.contains(&i) {
                    '○'
                } else if i > low && i < high {
                    '─'
                } else {
                    '│'
                };
                let fill = if i >= low && i < high { '─' } else { ' ' };
                line.push(mark);
                for _ in 1..width {
                    line.push(fill);
                }
            }
            let _ = writeln!(out, "{} {}", line.trim_end(), row.label);
        }
        out
    }
}

/// `text` cut to `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Text for SVG or HTML: `&`, `<`, `>` and quotes escaped.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;

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

    #[test]
    fn lanes_in_order_of_appearance_and_arrows() {
        let r = recording(&[
            (0, EventKind::Runner, "runner[f1] waits on f2"),
            (0, EventKind::Callback, "callback c1 runs"),
            (1, EventKind::Future, "future f2 set_result"),
            (1, EventKind::Print, "done"),
        ]);
        let d = r.diagram();
        let labels: Vec<String> = d.lanes.iter().map(Lane::label).collect();
        assert_eq!(labels, ["program", "IOLoop", "Runner → f1", "Future f2"]);
        assert_eq!((d.rows[0].lane, d.rows[0].arrows.clone()), (2, vec![3]));
        assert_eq!(d.rows[2].lane, 3);
        assert_eq!(d.rows[3].label, "> done");
        let svg = d.to_svg("t <&>");
        assert!(
            svg.starts_with("<svg")
                && svg.contains("t &lt;&amp;&gt;")
                && svg.contains("iteration 1")
        );
        let text = d.to_text();
        assert!(text.contains("---- iteration 1"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.contains("●───○") && l.ends_with("waits on f2")),
            "{text}"
        );
    }
}
