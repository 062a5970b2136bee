//! A recording as a page of its own: the book's player, for any recording.
//!
//! The book has a player beside every recording it shows. [`Recording::player_page`]
//! puts a learner's own recording (a new scenario, an exercise's program, a test's) in
//! the same player, on one self-contained HTML page: the player's script and style and
//! the recording's data are inside it, so it opens from disk, offline.
//! [`Recording::player_pair_page`] does the same for two recordings of one program
//! under two eras' rules, side by side, as the book's pairs show them.
//!
//! ```
//! let ((), recording) = ch00_trace::record(|| ch00_trace::say!("hello"));
//! let page = recording.player_page("hello", "my first recording");
//! assert!(page.contains("course-player") && page.contains("hello"));
//! // std::fs::write("target/hello.html", page) and open it in a browser.
//! ```

use crate::data::Counterpart;
use crate::diagram::escape;
use crate::era::Era;
use crate::event::Recording;

/// The player's script and style: the same files the book uses.
const PLAYER_JS: &str = include_str!("../../../chapters/theme/player.js");
const PLAYER_CSS: &str = include_str!("../../../chapters/theme/player.css");

/// A script that loads one recording's data under `key`. `</` inside a script would end
/// it early: the data's `<` are escaped.
fn data_script(key: &str, json: &str) -> String {
    format!(
        "<script>\n(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {{}})[{key:?}] = {};\n</script>\n",
        json.replace('<', "\\u003c")
    )
}

/// A page: `title`, then `body`, then the player's script.
fn page(title: &str, body: &str) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n:root {{ --links: #2b79a2; --quote-border: #ccc; }}\n\
         body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}\n\
         .diagram-scroll {{ overflow-x: auto; border: 1px solid #ccc; }}\n\
         .diagram-scroll svg {{ display: block; }}\n{PLAYER_CSS}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n{body}<script>\n{PLAYER_JS}</script>\n</body>\n</html>\n"
    )
}

impl Recording {
    /// A standalone HTML page with this recording in the book's player, named `name`
    /// and titled `title`.
    pub fn player_page(&self, name: &str, title: &str) -> String {
        let json = self.to_json(name, title, 0, None);
        let diagram = self.diagram().to_svg(title);
        let name_attr = escape(name);
        let body = format!(
            "<p>The recording <code>{name_attr}</code> in the course's player: \
             \u{2192} and \u{2190} step (click the player first), Home and End jump, \
             a click on a line goes there.</p>\n\
             <div class=\"course-player\" data-recording=\"{name_attr}\"></div>\n\
             <h2>The sequence diagram</h2>\n<div class=\"diagram-scroll\">\n{diagram}</div>\n{}",
            data_script(name, &json)
        );
        page(title, &body)
    }

    /// A standalone HTML page with two recordings of one program side by side, in the
    /// book's pair of players: this one, recorded under `era`'s rules, on the left, and
    /// `other`, recorded under `other_era`'s, on the right. The printed lines that moved
    /// between them ([`Recording::moved_prints`]) are marked on both sides; the two step
    /// together by iteration. The data's keys are `<name>.<era slug>`
    /// (`ch03_iteration_order.tornado4`).
    ///
    /// ```
    /// use ch00_trace::{Era, record, say, with_era};
    /// let ((), old) = record(|| say!("hello"));
    /// let ((), new) = with_era(Era::Tornado6, || record(|| say!("hello")));
    /// let page = old.player_pair_page(Era::Tornado4, &new, Era::Tornado6, "hello", "hello twice");
    /// assert!(page.contains(r#"data-right="hello.tornado6""#));
    /// ```
    pub fn player_pair_page(
        &self,
        era: Era,
        other: &Recording,
        other_era: Era,
        name: &str,
        title: &str,
    ) -> String {
        let keys = [era, other_era].map(|e| format!("{name}.{}", e.slug()));
        let moved = self.moved_prints(other);
        let left = self.to_json_in(
            name,
            title,
            0,
            None,
            era,
            Some(Counterpart {
                recording: &keys[1],
                moved_here: &moved.left,
                moved_there: &moved.right,
            }),
        );
        let right = other.to_json_in(
            name,
            title,
            0,
            None,
            other_era,
            Some(Counterpart {
                recording: &keys[0],
                moved_here: &moved.right,
                moved_there: &moved.left,
            }),
        );
        let body = format!(
            "<p>The program <code>{}</code> recorded under {era}'s rules and under \
             {other_era}'s, side by side. <em>iteration \u{25b6}</em> and \
             <em>\u{25c0} iteration</em> (or \u{2192} and \u{2190}, once a button of the \
             pair has the focus) move both to the end of the same iteration; inside a \
             player, \u{2192} and \u{2190} step that side alone. A printed line marked \
             <em>moved</em> was printed by the other side in another iteration, or in \
             another order.</p>\n\
             <div class=\"course-player-pair\" data-left=\"{}\" data-right=\"{}\" \
             data-left-title=\"{era}\" data-right-title=\"{other_era}\"></div>\n{}{}",
            escape(name),
            escape(&keys[0]),
            escape(&keys[1]),
            data_script(&keys[0], &left),
            data_script(&keys[1], &right),
        );
        page(title, &body)
    }
}
