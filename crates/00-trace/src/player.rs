//! A recording as a page of its own: the book's player, for any recording.
//!
//! The book has a player beside every recording it shows. [`Recording::player_page`]
//! puts a learner's own recording (a new scenario, an exercise's program, a test's) in
//! the same player, on one self-contained HTML page: the player's script and style and
//! the recording's data are inside it, so it opens from disk, offline.
//!
//! ```
//! let ((), recording) = ch00_trace::record(|| ch00_trace::say!("hello"));
//! let page = recording.player_page("hello", "my first recording");
//! assert!(page.contains("course-player") && page.contains("hello"));
//! // std::fs::write("target/hello.html", page) and open it in a browser.
//! ```

use crate::diagram::escape;
use crate::event::Recording;

/// The player's script and style: the same files the book uses.
const PLAYER_JS: &str = include_str!("../../../chapters/theme/player.js");
const PLAYER_CSS: &str = include_str!("../../../chapters/theme/player.css");

impl Recording {
    /// A standalone HTML page with this recording in the book's player, named `name`
    /// and titled `title`.
    pub fn player_page(&self, name: &str, title: &str) -> String {
        let json = self.to_json(name, title, 0, None);
        // `</` inside a script would end it early: the data's `<` are escaped.
        let data = json.replace('<', "\\u003c");
        let diagram = self.diagram().to_svg(title);
        let title = escape(title);
        let name_attr = escape(name);
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{title}</title>\n<style>\n:root {{ --links: #2b79a2; --quote-border: #ccc; }}\n\
             body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}\n\
             .diagram-scroll {{ overflow-x: auto; border: 1px solid #ccc; }}\n\
             .diagram-scroll svg {{ display: block; }}\n{PLAYER_CSS}</style>\n</head>\n<body>\n\
             <h1>{title}</h1>\n<p>The recording <code>{name_attr}</code> in the course's player: \
             \u{2192} and \u{2190} step (click the player first), Home and End jump, \
             a click on a line goes there.</p>\n\
             <div class=\"course-player\" data-recording=\"{name_attr}\"></div>\n\
             <h2>The sequence diagram</h2>\n<div class=\"diagram-scroll\">\n{diagram}</div>\n\
             <script>\n(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {{}})[{name:?}] = {data};\n\
             </script>\n<script>\n{PLAYER_JS}</script>\n</body>\n</html>\n"
        )
    }
}
