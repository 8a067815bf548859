"""Parse the text of a meeting readout into a ParsedReadout.

A readout is laid out as: optional translation marker, title (one or two
lines), date line, optional marker and site furniture, then the body: an
opening paragraph and numbered points, or unnumbered paragraphs only.
"""

from __future__ import annotations

import codecs
import datetime
import re
import unicodedata
from dataclasses import dataclass

from . import event, people, times
from .dates import find_date_in_text, parse_date_line
from .html import html_to_text, looks_like_html
from .models import ParsedReadout, ReadoutParseError
from .structure import Paragraph, build_points

DEFAULT_MAX_BYTES = 1_000_000

# Line breaks: CRLF, CR or LF (other Unicode separators stay inside lines).
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# Characters that do not occur in text: C0 controls other than tab, LF, CR and form feed, and DEL.
CONTROL_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A bullet in front of a footnote line: "• (*The foregoing is ...)"
BULLET_PREFIX_RE = re.compile(r"^[•・*\-–]\s*")
# A translation marker line: "[Provisional translation]",
# "(*The foregoing is a provisional translation. ...)"
STATUS_LINE_RE = re.compile(
    r"^[\[(（【]?\s*\*?\s*(?:the\s+foregoing\s+is\s+(?:an?\s+)?)?"
    r"(?P<word>provisional|tentative|unofficial|official)\s+(?:english\s+)?translation\b.*?[\])）】]?$",
    re.IGNORECASE,
)
# A Japanese translation marker line: "（仮訳）"
JA_STATUS_LINE_RE = re.compile(r"^[(（【\[]?\s*(?P<word>仮訳|正式訳)\s*[)）】\]]?$")
# Lines of site furniture: photo captions, language links, navigation, end marks, archive notes.
FURNITURE_RES = (
    re.compile(
        r"^\(Photos?\)", re.IGNORECASE
    ),  # "(Photo)Japan-Australia Foreign Ministers' Meeting-1"
    re.compile(r"^\[Photos?\]", re.IGNORECASE),  # "[Photo] ..."
    re.compile(
        r"^Photo(?:graph)?s?\s+(?:of\b|:)", re.IGNORECASE
    ),  # "Photograph of the leaders shaking hands"
    re.compile(
        r"^(?:Japanese|English|日本語|Japanese version|English version)$", re.IGNORECASE
    ),  # language link
    re.compile(r"^Back\s+to\s+(?:Index|Top)\b.*$", re.IGNORECASE),  # "Back to Index"
    re.compile(r"^Related\s+Links?$", re.IGNORECASE),  # "Related Link"
    re.compile(r"^\(\s*END\s*\)$", re.IGNORECASE),  # "(END)"
    re.compile(r"^[(（]了[)）]$"),  # Japanese end mark "（了）"
    re.compile(r"^#{3,}$"),  # White House end mark "###"
    # The Kantei archive footer: one parenthesis, holding none, as a title joined
    # from a truncated footer and the lines after it never does.
    re.compile(r"^Archives\s*\(Archived entries[^()]*\)$", re.IGNORECASE),
    re.compile(
        r"^(?:Page\s+Top|Top\s+of\s+(?:the\s+)?Page|Print|Share|Tweet|Top)$", re.IGNORECASE
    ),  # navigation
)
# A title issued by another government: "Readout of President Biden's Meeting with ..."
OTHER_GOVERNMENT_TITLE_RE = re.compile(
    r"^(?:Readout\s+of\b|Statement\s+(?:from|by)\s+(?:the\s+)?(?:President|White\s+House))"
)
# A date given relative to the date of issue.
RELATIVE_DATE_RE = re.compile(r"\btoday\b|\byesterday\b|本日|昨日", re.IGNORECASE)
# Japanese script: hiragana, katakana, CJK ideographs.
JAPANESE_CHARACTER_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# A possible sentence end: full stop (and closing quote), then space and a capital or bracket.
SENTENCE_END_RE = re.compile(r"[.!?][\"\u201d\u2019]?\s+(?=[A-Z\"\u201c(])|。")
# Words with a full stop that do not end a sentence.
ABBREVIATIONS = frozenset(
    # titles and honorifics
    ("mr", "mrs", "ms", "dr", "jr", "sr", "st", "h.e", "h.m", "hon", "gen", "lt", "col", "sen")
    + ("rep", "prof", "amb")
    # places, companies, Latin
    + ("u.s", "u.k", "d.c", "mt", "co", "corp", "inc", "ltd", "vs", "e.g", "i.e", "no")
    # times and months
    + ("a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov")
    + ("dec",)
)
# Longest opening sentence examined for metadata (keeps pathological input fast).
MAX_SENTENCE_CHARS = 3000
# How many text lines from the top may hold the title and the date line.
HEADER_SEARCH_LINES = 12


@dataclass
class SourceLine:
    number: int  # 1-based
    text: str  # stripped, otherwise as printed
    kind: str  # "blank", "text", "status", "furniture"


# Decoding ---------------------------------------------------------------------------------

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_readout_bytes(data: bytes) -> str:
    """Text of UTF-8 (with or without BOM) or UTF-16/32 with a BOM; ReadoutParseError otherwise."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ReadoutParseError(
                    f"The input starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {error.start + len(mark)})."
                ) from None
    if b"\x00" in data:
        raise ReadoutParseError(
            "The input contains NUL bytes: it is binary data or UTF-16/32 text "
            "without a byte-order mark."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadoutParseError(
            f"The input is not valid UTF-8 text "
            f"(undecodable byte at offset {error.start}, line {line}).",
            line,
        ) from None


def _check_text(text: str, max_bytes: int) -> None:
    """Refuse text that is too long, empty, or has control characters."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise ReadoutParseError(
            f"The input is {size} bytes long, over the limit of {max_bytes} bytes."
        )
    if not text.strip():
        raise ReadoutParseError("The input is empty or contains only whitespace.")
    control = CONTROL_CHARACTER_RE.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise ReadoutParseError(
            f"The input contains the control character U+{ord(control.group(0)):04X} "
            f"on line {line}, so it is binary data, not a readout.",
            line,
        )


# Public entry points ----------------------------------------------------------------------


def parse_readout_bytes(
    data: bytes, *, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedReadout:
    """Decode, convert an HTML page to text, and parse; ReadoutParseError for non-readouts."""
    if len(data) > max_bytes:
        raise ReadoutParseError(
            f"The input is {len(data)} bytes long, over the limit of {max_bytes} bytes."
        )
    text = decode_readout_bytes(data)
    return _parse(text, filename=filename, max_bytes=max_bytes)


def parse_readout(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedReadout:
    """Parse readout text (HTML is converted to text first); ReadoutParseError for non-readouts."""
    return _parse(text, filename="", max_bytes=max_bytes)


def _parse(source_text: str, *, filename: str, max_bytes: int) -> ParsedReadout:
    _check_text(source_text, max_bytes)
    text = source_text
    if looks_like_html(source_text, filename):
        text = html_to_text(source_text)
        if not text.strip():
            raise ReadoutParseError("The HTML page has no visible text.")
    text = text.removeprefix("\ufeff")
    return ReadoutAssembler(text, source_text).parse()


# Lines --------------------------------------------------------------------------------------


def _status_of_line(text: str) -> str | None:
    """ "provisional" or "official" when a whole line is a translation marker, else None."""
    plain = BULLET_PREFIX_RE.sub("", unicodedata.normalize("NFKC", text)).strip()
    found = STATUS_LINE_RE.match(plain) or JA_STATUS_LINE_RE.match(plain)
    if not found:
        return None
    word = found["word"].lower()
    return "official" if word in ("official", "正式訳") else "provisional"


def _is_furniture(text: str) -> bool:
    plain = unicodedata.normalize("NFKC", text).strip()
    return any(pattern.match(plain) for pattern in FURNITURE_RES)


def split_lines(text: str) -> list[SourceLine]:
    """Every line of the text, numbered from 1, stripped and classified."""
    lines = []
    for index, raw in enumerate(LINE_BREAK_RE.split(text)):
        stripped = raw.strip()
        if not stripped:
            kind = "blank"
        elif _status_of_line(stripped):
            kind = "status"
        elif _is_furniture(stripped):
            kind = "furniture"
        else:
            kind = "text"
        lines.append(SourceLine(index + 1, stripped, kind))
    return lines


def _plain(text: str) -> str:
    """Text with no-break and other odd spaces made plain and runs of spaces collapsed."""
    return " ".join(text.replace("\u00a0", " ").split())


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph (not ending at "Mr.", "Jr.", "p.m.", "U.S.", initials)."""
    paragraph = paragraph[:MAX_SENTENCE_CHARS]
    for found in SENTENCE_END_RE.finditer(paragraph):
        if found.group(0) == "。":
            return paragraph[: found.end()]
        before = paragraph[: found.start()]
        word = before.rsplit(None, 1)[-1] if before.split() else ""
        word = word.lstrip('("\u201c').lower()
        if (
            word in ABBREVIATIONS
            or word.endswith(("a.m", "p.m"))
            or (len(word) == 1 and word.isalpha())
        ):
            continue
        return paragraph[: found.start() + 1]
    return paragraph


# Assembly -----------------------------------------------------------------------------------


@dataclass
class Header:
    title: str
    title_last_line: int
    date: datetime.date
    body_start_index: int  # index into the line list where the body begins


class ReadoutAssembler:
    """Works through one readout text: header, body structure, then the metadata."""

    def __init__(self, text: str, source_text: str) -> None:
        self.text = text
        self.source_text = source_text
        self.lines = split_lines(text)
        self.warnings: list[str] = []

    # Header ---------------------------------------------------------------------------------

    def _text_blocks_before(self, end_index: int) -> list[list[SourceLine]]:
        """Runs of consecutive text lines (not separated by blank lines) before a line index."""
        blocks: list[list[SourceLine]] = []
        current: list[SourceLine] = []
        for line in self.lines[:end_index]:
            if line.kind == "text":
                current.append(line)
            elif line.kind == "blank" and current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        return blocks

    def _find_header(self) -> Header:
        text_indexes = [index for index, line in enumerate(self.lines) if line.kind == "text"]
        if not text_indexes:
            raise ReadoutParseError(
                "The input has no title or text, only translation markers or site furniture."
            )
        for position, index in enumerate(text_indexes[:HEADER_SEARCH_LINES]):
            found_date = parse_date_line(self.lines[index].text)
            if found_date is None:
                continue
            if position == 0:
                return self._header_after_leading_date(found_date, index)
            blocks = self._text_blocks_before(index)
            if len(blocks) > 1:
                self.warnings.append("Text above the title was ignored.")
            title_lines = blocks[-1]
            return Header(
                self._join_title(title_lines), title_lines[-1].number, found_date, index + 1
            )
        return self._header_without_date_line(text_indexes)

    def _header_after_leading_date(self, found_date: datetime.date, date_index: int) -> Header:
        """A date line above the title: the title is the next block of text lines."""
        title_lines: list[SourceLine] = []
        end_index = date_index + 1
        for index in range(date_index + 1, len(self.lines)):
            line = self.lines[index]
            if line.kind == "text":
                title_lines.append(line)
                end_index = index + 1
            elif line.kind == "blank" and title_lines:
                break
        if not title_lines:
            raise ReadoutParseError(
                f"No title follows the date line (line {self.lines[date_index].number}).",
                self.lines[date_index].number,
            )
        return Header(self._join_title(title_lines), title_lines[-1].number, found_date, end_index)

    def _header_without_date_line(self, text_indexes: list[int]) -> Header:
        """No date line: take the first block as title and a full date from the body, or fail."""
        title_index = text_indexes[0]
        title_lines = [self.lines[title_index]]
        end_index = title_index + 1
        expected_line = self._next_nonblank_line_number(end_index) or title_lines[-1].number + 1
        body_text = "\n".join(line.text for line in self.lines[end_index:] if line.kind == "text")
        found_date = find_date_in_text(body_text)
        if found_date is None:
            raise ReadoutParseError(
                "No date found: expected a date line such as 'November 13, 2022' "
                f"at line {expected_line}, after the title.",
                expected_line,
            )
        self.warnings.append(
            f"No date line after the title; the date {found_date.isoformat()} "
            "was taken from the text."
        )
        return Header(self._join_title(title_lines), title_lines[-1].number, found_date, end_index)

    def _next_nonblank_line_number(self, start_index: int) -> int | None:
        for line in self.lines[start_index:]:
            if line.kind != "blank":
                return line.number
        return None

    @staticmethod
    def _join_title(title_lines: list[SourceLine]) -> str:
        return _plain(" ".join(line.text for line in title_lines))

    # Whole readout ----------------------------------------------------------------------------

    def parse(self) -> ParsedReadout:
        header = self._find_header()
        status = self._translation_status()
        language = "ja" if self._is_japanese(header.title) else "en"
        paragraphs = [
            Paragraph(line.number, line.text)
            for line in self.lines[header.body_start_index :]
            if line.kind == "text"
        ]
        if not paragraphs:
            line_number = header.title_last_line + 1
            raise ReadoutParseError(
                "The readout has a title and a date but no body text "
                f"(nothing readable after line {line_number - 1}).",
                line_number,
            )
        lead, points = build_points(paragraphs, allow_bare_numbers=language == "ja")
        opening_paragraph = (lead or points[0].text).split("\n\n")[0]
        opening = first_sentence(
            _plain(opening_paragraph) if language == "en" else opening_paragraph
        )
        other_government = bool(OTHER_GOVERNMENT_TITLE_RE.match(header.title))
        body_text = "\n\n".join(paragraph.text for paragraph in paragraphs)

        surname_context = _plain(f"{header.title}\n{body_text}")
        participants = people.find_participants(
            opening, header.title, other_government, language, surname_context
        )
        if not participants:
            participants = people.find_participants(
                _plain(f"{header.title}. {opening_paragraph}"),
                header.title,
                other_government,
                language,
                surname_context,
            )
        if not participants:
            self.warnings.append("No participants were recognised in the opening sentence.")

        kind_result = event.find_kind(header.title, opening, participants)
        if kind_result.kind is None:
            self.warnings.append("The kind of meeting could not be determined.")
        elif kind_result.guessed:
            self.warnings.append(
                f"The kind '{kind_result.kind}' was guessed from the wording and the participants."
            )

        venue = event.find_venue(opening, language) or event.Venue()
        if venue.location_text is None:
            venue.location_text = event.find_sidelines_text(opening) if language == "en" else None
        if venue.city is None and venue.country is None:
            self.warnings.append("The text does not say where the meeting took place.")
        elif venue.zone is None:
            self.warnings.append("The time zone of the venue could not be determined.")

        occasion = event.find_occasion(opening, language)
        if occasion is None:
            occasion = event.implied_summit_occasion(body_text, venue.city)
            if occasion:
                self.warnings.append(
                    f"The occasion '{occasion}' is implied by the text, not stated."
                )
            elif event.suggests_occasion(opening):
                self.warnings.append("The text suggests an occasion but none was recognised.")

        start = times.find_start_times(opening)
        duration = times.find_duration(opening)
        if duration is None:
            self.warnings.append("No duration was found.")
        start_local, start_japan, zone = self._resolve_times(
            start, venue, header.date, kind_result.kind, other_government
        )

        if RELATIVE_DATE_RE.search(opening_paragraph):
            self.warnings.append("The text says 'today'; the date was taken from the date line.")

        return ParsedReadout(
            title=header.title,
            date=header.date,
            language=language,
            translation_status=status,
            kind=kind_result.kind,
            start_time_local=start_local,
            start_time_japan=start_japan,
            time_zone=zone,
            duration_minutes=duration.minutes if duration else None,
            duration_approximate=duration.approximate if duration else False,
            city=venue.city,
            country=venue.country,
            location_text=venue.location_text,
            occasion=occasion,
            lead=lead,
            participants=participants,
            points=points,
            other_government=other_government,
            warnings=self.warnings,
            source_text=self.source_text,
        )

    def _translation_status(self) -> str | None:
        statuses = [_status_of_line(line.text) for line in self.lines if line.kind == "status"]
        if "official" in statuses:
            return "official"
        if statuses:
            return "provisional"
        return None

    @staticmethod
    def _is_japanese(title: str) -> bool:
        letters = [char for char in title if char.isalpha()]
        if not letters:
            return False
        japanese = len(JAPANESE_CHARACTER_RE.findall(title))
        return japanese * 3 >= len(letters)

    # Times ----------------------------------------------------------------------------------

    def _resolve_times(
        self,
        start: times.StartTimes,
        venue: event.Venue,
        on: datetime.date,
        kind: str | None,
        other_government: bool,
    ) -> tuple[datetime.time | None, datetime.time | None, str | None]:
        """(local, Japan, zone): derive a missing time from the zone, or check a printed pair."""
        local, japan, zone = start.local, start.japan, venue.zone
        has_venue = venue.city is not None or venue.country is not None
        if local is None and japan is None:
            self.warnings.append("No start time was found.")
            return None, None, zone
        is_call = kind is not None and ("telephone" in kind or "video" in kind)
        if (
            japan is None
            and not start.local_labelled
            and not has_venue
            and is_call
            and not other_government
        ):
            japan = local
            zone = times.JAPAN_ZONE
            self.warnings.append("The start time of the call was taken to be Japan time.")
            return local, japan, zone
        if local is None and not has_venue:
            self.warnings.append(
                "Only Japan time is given and no venue: the local time was taken to be Japan time."
            )
            return japan, japan, times.JAPAN_ZONE
        if zone is None:
            if japan is None:
                self.warnings.append(
                    "The Japan time could not be derived because the venue's time zone is unknown."
                )
            elif local is None:
                self.warnings.append(
                    "The local time could not be derived because the venue's time zone is unknown."
                )
            return local, japan, zone
        if japan is None:
            japan = times.convert_time(local, on, zone, times.JAPAN_ZONE)
            self.warnings.append(
                f"The Japan time was derived from the local time and the time zone {zone}."
            )
        elif local is None:
            local = times.convert_time(japan, on, times.JAPAN_ZONE, zone)
            self.warnings.append(
                f"The local time was derived from the Japan time and the time zone {zone}."
            )
        else:
            expected = times.convert_time(local, on, zone, times.JAPAN_ZONE)
            if expected is not None and expected != japan:
                self.warnings.append(
                    f"The printed local time {times.format_clock(local)} and Japan time "
                    f"{times.format_clock(japan)} do not match the offset of {zone} "
                    f"on {on.isoformat()} (expected Japan time {times.format_clock(expected)}); "
                    "both are kept as printed."
                )
        return local, japan, zone
