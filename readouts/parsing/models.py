"""The parsed form of a readout, and the error raised for input that is not one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import gazetteer


class ReadoutParseError(ValueError):
    """Input that is not a readout.

    ``line`` is the 1-based line number the problem was found on, or None;
    ``str(error)`` is one sentence that names the line when it is known.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class ParsedParticipant:
    name: str
    title: str
    country: str | None
    side: str  # "japan" | "counterpart"
    honorific: str = ""
    family_name: str = ""
    given_name: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "country": self.country,
            "side": self.side,
            "honorific": self.honorific,
            "family_name": self.family_name,
            "given_name": self.given_name,
        }


@dataclass
class ParsedPoint:
    label: str
    text: str
    children: list[ParsedPoint] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "text": self.text,
            "children": [child.to_dict() for child in self.children],
        }


def _time_to_string(value: datetime.time | None) -> str | None:
    """ "HH:MM" in 24-hour form, or None."""
    if value is None:
        return None
    return value.strftime("%H:%M")


@dataclass
class ParsedReadout:
    title: str
    date: datetime.date
    language: str
    translation_status: str | None
    kind: str | None
    start_time_local: datetime.time | None
    start_time_japan: datetime.time | None
    time_zone: str | None
    duration_minutes: int | None
    duration_approximate: bool
    city: str | None
    country: str | None
    location_text: str | None
    occasion: str | None
    lead: str
    participants: list[ParsedParticipant]
    points: list[ParsedPoint]
    other_government: bool
    warnings: list[str]
    source_text: str

    def to_dict(self) -> dict:
        """JSON-ready form: ISO date, "HH:MM" times, ISO country codes; no source text."""
        return {
            "title": self.title,
            "date": self.date.isoformat(),
            "language": self.language,
            "translation_status": self.translation_status,
            "kind": self.kind,
            "start_time_local": _time_to_string(self.start_time_local),
            "start_time_japan": _time_to_string(self.start_time_japan),
            "time_zone": self.time_zone,
            "duration_minutes": self.duration_minutes,
            "duration_approximate": self.duration_approximate,
            "city": self.city,
            "country": self.country,
            "country_name": gazetteer.country_name(self.country),
            "location_text": self.location_text,
            "occasion": self.occasion,
            "other_government": self.other_government,
            "lead": self.lead,
            "participants": [participant.to_dict() for participant in self.participants],
            "points": [point.to_dict() for point in self.points],
            "warnings": list(self.warnings),
        }
