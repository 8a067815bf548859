"""Numbered points: recognise point labels and nest sub-points under their parents."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .models import ParsedPoint

# Space that may follow a label: ASCII, tab, no-break space, ideographic space.
_LABEL_SPACE = r"[ \t\u00a0\u3000]"

# Label styles, tried in this order. Each pattern matches a label at the start of a paragraph.
LABEL_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "1." or full-width "１．", then space or end of line
    ("dot", re.compile(rf"^(?P<label>(?P<num>[0-9０-９]{{1,2}})[.．])(?:{_LABEL_SPACE}+|$)")),
    # "(1)" or full-width "（1）", space optional
    ("paren", re.compile(rf"^(?P<label>[(（](?P<num>[0-9０-９]{{1,2}})[)）]){_LABEL_SPACE}*")),
    # "(a)"
    ("letter", re.compile(rf"^(?P<label>[(（](?P<num>[a-z])[)）]){_LABEL_SPACE}+")),
    # "1)" then space
    ("half-paren", re.compile(rf"^(?P<label>(?P<num>[0-9０-９]{{1,2}})[)）]){_LABEL_SPACE}+")),
)

# Japanese-style bare number label: "1　text" (only for Japanese-language readouts).
BARE_NUMBER_LABEL_RE = re.compile(rf"^(?P<label>(?P<num>[0-9０-９]{{1,2}})){_LABEL_SPACE}+(?=\S)")

# Brackets, full stops and spaces around the number of a label.
LABEL_PUNCTUATION_RE = re.compile(r"[().\s]")
# Deepest nesting accepted: point, sub-point, sub-sub-point.
MAX_DEPTH = 3


@dataclass
class Paragraph:
    """One paragraph of body text (one source line), stripped of surrounding spaces."""

    line: int
    text: str


@dataclass
class LabelMatch:
    style: str
    number: int
    label: str
    rest: str


def label_number(label: str) -> int:
    """The number a label counts: "(3)" -> 3, "（２）" -> 2, "(b)" -> 2."""
    core = LABEL_PUNCTUATION_RE.sub("", unicodedata.normalize("NFKC", label))
    if core.isdigit():
        return int(core)
    if len(core) == 1 and core.isalpha():
        return ord(core.lower()) - ord("a") + 1
    return 0


def match_label(text: str, allow_bare_numbers: bool) -> LabelMatch | None:
    """The point label at the start of a paragraph, if it has one."""
    styles = list(LABEL_STYLES)
    if allow_bare_numbers:
        styles.append(("bare", BARE_NUMBER_LABEL_RE))
    for style, pattern in styles:
        found = pattern.match(text)
        if found:
            label = found.group("label")
            return LabelMatch(style, label_number(label), label, text[found.end() :])
    return None


class PointTreeBuilder:
    """Builds the point tree; paragraphs before the first point are kept as the lead.

    The first label style seen is the top level, the next new style is one level
    down, and so on. A label is only taken as a point when it continues the
    numbering of its siblings (1 first, then one more than the previous); any
    other paragraph continues the deepest open point, or the lead before any point.
    """

    def __init__(self, allow_bare_numbers: bool) -> None:
        self.allow_bare_numbers = allow_bare_numbers
        self.lead_paragraphs: list[str] = []
        self.points: list[ParsedPoint] = []
        self._styles: list[str] = []
        self._open: list[ParsedPoint] = []

    def add(self, paragraph: Paragraph) -> None:
        found = match_label(paragraph.text, self.allow_bare_numbers)
        if found and self._accept_point(found):
            return
        self._continue_text(paragraph.text)

    def _accept_point(self, found: LabelMatch) -> bool:
        """Open a new point for a label that fits the numbering; False if it does not."""
        if found.style in self._styles:
            depth = self._styles.index(found.style)
        else:
            depth = len(self._styles)
            if depth >= MAX_DEPTH:
                return False
        if depth > len(self._open):
            return False
        siblings = self.points if depth == 0 else self._open[depth - 1].children
        expected = label_number(siblings[-1].label) + 1 if siblings else 1
        if found.number != expected:
            return False
        if found.style not in self._styles:
            self._styles.append(found.style)
        point = ParsedPoint(label=found.label, text=found.rest.strip(), children=[])
        siblings.append(point)
        self._open = self._open[:depth] + [point]
        return True

    def _continue_text(self, text: str) -> None:
        if not self._open:
            self.lead_paragraphs.append(text)
            return
        deepest = self._open[-1]
        deepest.text = f"{deepest.text}\n\n{text}" if deepest.text else text

    @property
    def lead(self) -> str:
        return "\n\n".join(self.lead_paragraphs)


def build_points(
    paragraphs: list[Paragraph], allow_bare_numbers: bool
) -> tuple[str, list[ParsedPoint]]:
    """(lead, points) for the body paragraphs of a readout."""
    builder = PointTreeBuilder(allow_bare_numbers)
    for paragraph in paragraphs:
        builder.add(paragraph)
    return builder.lead, builder.points


def count_points(points: list[ParsedPoint]) -> tuple[int, int]:
    """(top-level points, points nested at any depth below them)."""
    nested = 0
    pending = [child for point in points for child in point.children]
    while pending:
        child = pending.pop()
        nested += 1
        pending.extend(child.children)
    return len(points), nested
