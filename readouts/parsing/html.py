"""Turn a readout page saved from an issuing site into the plain text the parser reads.

Paragraphs and headings become lines separated by blank lines, list items
become lines (an item of an ordered list is numbered "N. ", an item of an
ordered list inside another list "(N) "), and page furniture (scripts, styles,
navigation, header, footer) is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose whole content is page furniture, not readout text.
SKIPPED_ELEMENTS = frozenset(
    {"script", "style", "nav", "header", "footer", "head", "noscript", "template", "svg", "title"}
)

# Elements that end a paragraph: their content is written as its own line.
BLOCK_ELEMENTS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "pre",
        "address",
        "body",
        "html",
    }
)

# Elements that are empty and never closed.
VOID_ELEMENTS = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "col", "base"}
)

# Runs of spaces and tabs (not line breaks) inside text.
INLINE_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")


class _ReadoutTextExtractor(HTMLParser):
    """Collects the visible text of a page as lines, keeping paragraph and list structure."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip_stack: list[str] = []
        self._lists: list[dict] = []

    # Element handling -------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_stack:
            if tag in SKIPPED_ELEMENTS:
                self._skip_stack.append(tag)
            return
        if tag in SKIPPED_ELEMENTS:
            self._skip_stack.append(tag)
            return
        if tag == "br":
            self._end_line()
            return
        if tag in BLOCK_ELEMENTS:
            self._end_paragraph()
        if tag in ("ol", "ul"):
            self._lists.append({"ordered": tag == "ol", "count": _list_start(attrs) - 1})
        elif tag == "li":
            self._current.append(self._list_item_marker())

    def handle_endtag(self, tag: str) -> None:
        if self._skip_stack:
            if tag == self._skip_stack[-1]:
                self._skip_stack.pop()
            elif tag in self._skip_stack:
                while self._skip_stack and self._skip_stack.pop() != tag:
                    pass
            return
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag in BLOCK_ELEMENTS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS or tag in BLOCK_ELEMENTS:
            self.handle_starttag(tag, attrs)
        # A self-closing non-void element has no content: nothing else to do.

    def handle_data(self, data: str) -> None:
        if self._skip_stack:
            return
        self._current.append(INLINE_SPACE_RE.sub(" ", data))

    # Helpers ------------------------------------------------------------

    def _list_item_marker(self) -> str:
        """The number written before a list item: "N. " at the top level, "(N) " nested."""
        if not self._lists:
            return ""
        innermost = self._lists[-1]
        innermost["count"] += 1
        if not innermost["ordered"]:
            return ""
        ordered_depth = sum(1 for found in self._lists if found["ordered"])
        if ordered_depth <= 1:
            return f"{innermost['count']}. "
        return f"({innermost['count']}) "

    def _end_line(self) -> None:
        text = "".join(self._current).strip()
        self._current = []
        if text:
            self.lines.append(text)

    def _end_paragraph(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        self._end_paragraph()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _list_start(attrs: list[tuple[str, str | None]]) -> int:
    """The first number of an ordered list (its start attribute), 1 by default."""
    for name, value in attrs:
        if name == "start" and value and value.strip().isdigit():
            return int(value.strip())
    return 1


# The start of an HTML document: a doctype or an <html> tag.
HTML_START_RE = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)


def looks_like_html(text: str, filename: str = "") -> bool:
    """True for an .html/.htm name, or text starting with <!DOCTYPE html or <html."""
    if filename.lower().endswith((".html", ".htm")):
        return True
    return bool(HTML_START_RE.match(text.lstrip("\ufeff")[:2000]))


def html_to_text(html: str) -> str:
    """Visible text of a page: one paragraph or list item a line, blank lines between blocks."""
    extractor = _ReadoutTextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()
