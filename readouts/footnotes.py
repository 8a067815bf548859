"""Public annotations shown as numbered footnotes, tied to the words they annotate.

Plain data in, plain data out: the template escapes every piece of text, so no
HTML is built from the archive's text here.
"""

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe


@dataclass
class Footnote:
    number: int
    annotation: object
    start: int | None  # where the quote starts in its text; None when it is no longer there

    @property
    def end(self):
        return None if self.start is None else self.start + len(self.annotation.exact)

    @property
    def body_html(self):
        # Markdown rendered by markdown-it with raw HTML off, then cleaned by nh3.
        return mark_safe(self.annotation.body_html)  # noqa: S308


@dataclass
class Segment:
    """A piece of a text; `footnote` is set on an annotated quote or a bare reference."""

    text: str
    footnote: Footnote | None = None
    references: list = field(default_factory=list)


def number_footnotes(annotations, lead, points):
    """Number annotations in reading order: the lead first, then the points as printed."""
    order = {None: -1} | {point.pk: index for index, point in enumerate(points)}
    texts = {None: lead} | {point.pk: point.text for point in points}
    located = []
    for annotation in annotations:
        if annotation.point_id not in order:
            continue
        text = texts[annotation.point_id]
        start = annotation.locate(text)
        where = len(text) if start is None else start
        located.append((order[annotation.point_id], where, annotation.pk, annotation, start))
    located.sort(key=lambda row: row[:3])
    return [
        Footnote(number, annotation, start)
        for number, (*_, annotation, start) in enumerate(located, start=1)
    ]


def segments(text, footnotes):
    """Cut `text` at the quotes its footnotes annotate.

    A quote that overlaps an earlier one, or that is no longer in the text,
    keeps its numbered reference, after the earlier quote or at the end.
    """
    pieces, cursor = [], 0
    trailing = []
    for footnote in sorted(footnotes, key=lambda note: (note.start is None, note.start or 0)):
        if footnote.start is None:
            trailing.append(footnote)
        elif footnote.start < cursor:
            pieces[-1].references.append(footnote)
        else:
            if footnote.start > cursor:
                pieces.append(Segment(text[cursor : footnote.start]))
            pieces.append(Segment(text[footnote.start : footnote.end], footnote, [footnote]))
            cursor = footnote.end
    if cursor < len(text) or not pieces:
        pieces.append(Segment(text[cursor:]))
    pieces[-1].references.extend(trailing)
    return pieces
