"""Fails when the built book links to a file it does not contain.

Usage: python3 .ci/book_links.py target/book

Every relative `href` and `src` of every HTML page of the built book must name a
file inside the book (a link such as `../../docs/benchmarks.md` leaves it: in the
built book it points nowhere). Links to other sites, `mailto:` and in-page anchors
are not checked; a path from the site's root (`/`, as in 404.html) is taken from the
book's root, where `mdbook serve` serves it.
"""
import html.parser
import pathlib
import sys
import urllib.parse


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def broken(book: pathlib.Path):
    root = book.resolve()
    for page in sorted(root.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, or an anchor in this page
            path = urllib.parse.unquote(parts.path)
            # "/..." is the site's root, where the book is served (404.html uses it).
            base = root if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if root not in target.parents and target != root:
                yield page.relative_to(root), link, "leaves the book"
            elif not target.exists():
                yield page.relative_to(root), link, "no such file"


def main():
    book = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/book")
    if not (book / "index.html").exists():
        sys.exit(f"{book}/index.html: the book is not built (mdbook build chapters)")
    problems = list(broken(book))
    for page, link, why in problems:
        print(f"{page}: {link}: {why}")
    if problems:
        sys.exit(f"{len(problems)} broken link(s) in the book")
    print(f"every link of {book} stays inside it")


if __name__ == "__main__":
    main()
