"""Write a parsed readout back out as plain text that parses to the same structure."""

from __future__ import annotations

from .dates import format_date_line
from .models import ParsedPoint, ParsedReadout

# The marker line written for each translation status.
STATUS_MARKERS = {
    "provisional": "[Provisional translation]",
    "official": "[Official translation]",
}


def _point_lines(point: ParsedPoint) -> list[str]:
    """A point as paragraphs: the label on its first paragraph, then its children."""
    paragraphs = point.text.split("\n\n") if point.text else [""]
    first = f"{point.label} {paragraphs[0]}".strip() if point.label else paragraphs[0]
    lines = [first, ""]
    for paragraph in paragraphs[1:]:
        lines += [paragraph, ""]
    for child in point.children:
        lines += _point_lines(child)
    return lines


def format_readout(parsed: ParsedReadout) -> str:
    """Plain text: marker, title, date line, lead, then labelled points, one paragraph a line."""
    lines: list[str] = []
    marker = STATUS_MARKERS.get(parsed.translation_status or "")
    if marker:
        lines += [marker, ""]
    lines += [parsed.title, "", format_date_line(parsed.date, parsed.language), ""]
    if parsed.lead:
        for paragraph in parsed.lead.split("\n\n"):
            lines += [paragraph, ""]
    for point in parsed.points:
        lines += _point_lines(point)
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"
