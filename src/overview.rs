//! Each chapter's overview: what its layer adds, drawn as the cycle it runs.
//!
//! A chapter's mechanism is a cycle (a generator's life between `yield`s, the loop's
//! iteration, the Runner's run loop, a yield point's round trip), so an overview is the
//! list of its steps in order, each with what leads to the next. [`Overview::to_svg`]
//! draws it, in a hand-drawn style (every line gently wobbles, deterministically), for
//! the book: `chapters/src/overviews/NN.svg`, written and kept current by
//! `tests/recordings.rs`, never drawn by hand.

use std::fmt::Write as _;

/// A chapter's overview: a title, then the steps of its cycle.
#[derive(Clone, Copy, Debug)]
pub struct Overview {
    /// The chapter's number.
    pub chapter: u8,
    /// What the picture shows.
    pub title: &'static str,
    /// The steps, in order: what happens, and what leads to the next step (the last
    /// step's leads back to the first).
    pub steps: &'static [(&'static str, &'static str)],
}

/// One overview per chapter, 0 to 6.
pub const OVERVIEWS: &[Overview] = &[
    Overview {
        chapter: 0,
        title: "A recording: every line in the order it happened",
        steps: &[
            ("the program says!", "a line, at [it=N]"),
            ("the machinery emits", "an event, named f1, c1, t1"),
            ("the loop polls", "[it=N+1]"),
        ],
    },
    Overview {
        chapter: 1,
        title: "A generator's life: run to a yield, wait to be resumed",
        steps: &[
            ("created: not started", "next() or send(None)"),
            ("running its body", "yield value"),
            ("suspended at a yield", "send(v) or throw(e)"),
            ("running again", "return: StopIteration"),
        ],
    },
    Overview {
        chapter: 2,
        title: "A Future: pending, then done once, then its callbacks",
        steps: &[
            ("pending: callbacks wait", "set_result / set_exception"),
            ("done: result or exception", "inside set_result"),
            ("done-callbacks run, in order", "add_done_callback now"),
            ("runs at once", "result() reads it"),
        ],
    },
    Overview {
        chapter: 3,
        title: "One iteration of the IOLoop",
        steps: &[
            ("count the callbacks queued", "then"),
            ("collect the due timeouts", "then"),
            ("run the counted callbacks", "then"),
            ("run the due timeouts", "then"),
            ("poll: wait for a descriptor or the next deadline", "events"),
            ("run the ready handlers", "[it=N+1]"),
        ],
    },
    Overview {
        chapter: 4,
        title: "The Runner's run loop",
        steps: &[
            ("the generator yields a future", "handle_yield"),
            ("not done: add_future on the loop", "the future resolves"),
            ("the loop calls the Runner back", "run()"),
            (
                "send the result (or throw the error)",
                "the generator runs on",
            ),
        ],
    },
    Overview {
        chapter: 5,
        title: "A call of a coroutine",
        steps: &[
            ("call: make the result future", "first step, inline"),
            ("the body runs to its first yield", "a Runner takes over"),
            (
                "the Runner resumes it, iteration by iteration",
                "return value",
            ),
            (
                "set_result on the result future",
                "the caller's yield resumes",
            ),
        ],
    },
    Overview {
        chapter: 6,
        title: "A yield point's round trip: gen.Task",
        steps: &[
            ("yield gen.Task(f, args)", "Runner: start(runner)"),
            ("f(args, callback=...) runs", "later, it calls back"),
            ("the callback: runner.set_result(key, value)", "is_ready()"),
            (
                "the Runner resumes the generator",
                "get_result(): the value",
            ),
        ],
    },
];

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 430.0;

impl Overview {
    /// The overview drawn as a standalone SVG.
    pub fn to_svg(&self) -> String {
        let n = self.steps.len();
        let (cx, cy, rx, ry) = (WIDTH / 2.0, HEIGHT / 2.0 + 18.0, 250.0, 135.0);
        // The steps go round an ellipse, clockwise from the top.
        let at = |k: usize| {
            let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
            (cx + rx * angle.cos(), cy + ry * angle.sin())
        };
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="'Comic Neue', 'Comic Sans MS', 'Segoe Print', 'Bradley Hand', cursive, sans-serif" role="img" aria-label="{}">"#,
            escape(self.title)
        );
        let _ = writeln!(svg, "<title>{}</title>", escape(self.title));
        svg += r##"<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>"##;
        svg += "\n";
        svg += r##"<rect width="100%" height="100%" fill="#fffdf5"/>"##;
        svg += "\n";
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="30" text-anchor="middle" font-size="19" fill="#222">{}</text>"##,
            WIDTH / 2.0,
            escape(self.title)
        );
        let (bw, bh) = (200.0, 52.0);
        for k in 0..n {
            let (x0, y0) = at(k);
            let (x1, y1) = at((k + 1) % n);
            // An arrow from box k's edge to box k+1's, bowed outwards.
            let (sx, sy) = towards((x0, y0), (x1, y1), bw / 2.0, bh / 2.0);
            let (ex, ey) = towards((x1, y1), (x0, y0), bw / 2.0, bh / 2.0);
            let (mx, my) = ((sx + ex) / 2.0, (sy + ey) / 2.0);
            let (ox, oy) = (mx - cx, my - cy);
            let len = (ox * ox + oy * oy).sqrt().max(1.0);
            let (qx, qy) = (mx + ox / len * 40.0, my + oy / len * 40.0);
            let _ = writeln!(
                svg,
                r##"<path d="M {sx:.1} {sy:.1} Q {qx:.1} {qy:.1} {ex:.1} {ey:.1}" fill="none" stroke="#444" stroke-width="1.6" marker-end="url(#head)"/>"##
            );
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#7a3e00" stroke="#fffdf5" stroke-width="4" paint-order="stroke">{}</text>"##,
                qx,
                qy + 4.0,
                escape(self.steps[k].1)
            );
        }
        for (k, (label, _)) in self.steps.iter().enumerate() {
            let (x, y) = at(k);
            let _ = writeln!(
                svg,
                r##"<path d="{}" fill="#fff6d6" stroke="#333" stroke-width="1.8"/>"##,
                wobbly_box(
                    x - bw / 2.0,
                    y - bh / 2.0,
                    bw,
                    bh,
                    k as u64 + 7 * self.chapter as u64
                )
            );
            let lines = wrap(label, 26);
            let top = y - 8.0 * (lines.len() as f64 - 1.0) + 5.0;
            for (i, line) in lines.iter().enumerate() {
                let _ = writeln!(
                    svg,
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="14" fill="#111">{}</text>"##,
                    top + 16.0 * i as f64,
                    escape(line)
                );
            }
        }
        svg += "</svg>\n";
        svg
    }
}

/// The point where the line from `from` to `to` leaves a `w`×`h` box centred on `from`.
fn towards(from: (f64, f64), to: (f64, f64), w: f64, h: f64) -> (f64, f64) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let scale = (w / dx.abs().max(1e-9))
        .min(h / dy.abs().max(1e-9))
        .min(1.0);
    (from.0 + dx * scale * 1.05, from.1 + dy * scale * 1.05)
}

/// A rectangle whose sides wobble a little, the same way every time (`seed`).
fn wobbly_box(x: f64, y: f64, w: f64, h: f64, seed: u64) -> String {
    let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut jitter = || {
        // xorshift: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as f64 / 1000.0 * 3.0 - 1.5
    };
    let mut d = format!("M {:.1} {:.1}", x + jitter(), y + jitter());
    for pair in corners.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let (mx, my) = ((x0 + x1) / 2.0 + jitter(), (y0 + y1) / 2.0 + jitter());
        let _ = write!(
            d,
            " Q {mx:.1} {my:.1} {:.1} {:.1}",
            x1 + jitter(),
            y1 + jitter()
        );
    }
    d
}

/// `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
