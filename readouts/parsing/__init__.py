"""Parser for diplomatic meeting readouts (pure Python, no Django).

Public API::

    parse_readout(text, *, max_bytes=1_000_000) -> ParsedReadout
    parse_readout_bytes(data, *, filename="", max_bytes=1_000_000) -> ParsedReadout
    format_readout(parsed) -> str
    ReadoutParseError, ParsedReadout, ParsedParticipant, ParsedPoint
"""

from .export import format_readout
from .html import html_to_text
from .models import ParsedParticipant, ParsedPoint, ParsedReadout, ReadoutParseError
from .parser import DEFAULT_MAX_BYTES, parse_readout, parse_readout_bytes

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ParsedParticipant",
    "ParsedPoint",
    "ParsedReadout",
    "ReadoutParseError",
    "format_readout",
    "html_to_text",
    "parse_readout",
    "parse_readout_bytes",
]
