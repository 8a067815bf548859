"""Start times and durations: "2:55 p.m. (local time. 4:55 p.m., Japan time.)", "約40分間"."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

JAPAN_ZONE = "Asia/Tokyo"

# English clock time with a.m./p.m.: "2:55 p.m.", "6.15p.m.", "8 a.m."
EN_TIME_RE = re.compile(
    r"(?<![\d.:])(?P<hour>\d{1,2})(?:[:.](?P<minute>[0-5]\d))?\s*(?P<half>[apAP])\.?\s?[mM](?![A-Za-z])\.?"
)
# 24-hour clock time not followed by a.m./p.m.: "14:55"
H24_TIME_RE = re.compile(
    r"(?<![\d.:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\d:])(?!\s*[apAP]\.?\s?[mM](?![A-Za-z]))"
)
# "noon" as a time
NOON_RE = re.compile(r"\bnoon\b", re.IGNORECASE)
# Japanese clock time: "午後2時55分", "午前10時半", "14時"
JA_TIME_RE = re.compile(
    r"(?P<half>午前|午後)?(?P<hour>\d{1,2})時(?!間)(?:(?P<minute>\d{1,2})分|(?P<thirty>半))?"
)

# A marker saying a time is Japan time: "Japan time", "JST", "Tokyo time", "日本時間"
JAPAN_TIME_MARKER_RE = re.compile(
    r"Japan(?:ese)?\s+(?:standard\s+)?time|\bJST\b|Tokyo\s+time|日本時間", re.IGNORECASE
)
# A marker saying a time is local time: "local time", "現地時間"
LOCAL_TIME_MARKER_RE = re.compile(r"local\s+time|現地時間", re.IGNORECASE)

# How far after the first time a second (alternative) time may stand.
SECOND_TIME_WINDOW = 120
# How far after a time its "Japan time" / "local time" marker may stand.
MARKER_WINDOW_AFTER = 45
# How far before a time a Japanese "日本時間" marker may stand ("日本時間同日午後4時55分").
MARKER_WINDOW_BEFORE = 8

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
_NUMBER = r"\d{1,3}|" + "|".join(
    sorted((re.escape(word) for word in _NUMBER_WORDS), key=len, reverse=True)
)
# Words that make a duration approximate.
_APPROX = (
    r"approximately|approx\.|about|around|roughly|some|nearly|almost|over|more than|less than"
    r"|just over|just under|close to"
)

# English duration: "for approximately 40 minutes", "for about an hour",
# "for 1 hour and 10 minutes", "for half an hour", "for an hour and a half"
EN_DURATION_RE = re.compile(
    rf"\b(?:for|lasted|lasting)\s+(?:(?P<approx>{_APPROX})\s+)?"
    rf"(?:(?P<half_hour>half\s+an\s+hour)"
    rf"|(?P<hours>{_NUMBER})\s+hours?(?:\s+and\s+(?:(?P<and_half>a\s+half)|(?P<hour_minutes>{_NUMBER})\s+minutes?))?"
    rf"|(?P<minutes>{_NUMBER})\s+minutes?)\b",
    re.IGNORECASE,
)
# Japanese duration in hours: "約1時間", "1時間10分"
JA_HOURS_DURATION_RE = re.compile(
    r"(?P<approx>約)?(?P<hours>\d{1,2})時間(?:(?P<minutes>\d{1,2})分)?(?:間)?(?P<approx_after>ほど|程度|余り)?"
)
# Japanese duration in minutes: "約40分間"
JA_MINUTES_DURATION_RE = re.compile(
    r"(?P<approx>約)?(?P<minutes>\d{1,3})分間(?P<approx_after>ほど|程度|余り)?"
)


@dataclass
class TimeMention:
    position: int
    value: datetime.time
    marker: str | None  # "japan", "local" or None


@dataclass
class StartTimes:
    local: datetime.time | None = None
    japan: datetime.time | None = None
    japan_labelled: bool = False
    local_labelled: bool = False


@dataclass
class Duration:
    minutes: int
    approximate: bool


def _clock(hour: int, minute: int, half: str | None) -> datetime.time | None:
    """A time of day from 12- or 24-hour parts, or None when out of range."""
    if half:
        if not 1 <= hour <= 12:
            return None
        if half.lower() in ("a", "午前"):
            hour = 0 if hour == 12 else hour
        else:
            hour = hour if hour == 12 else hour + 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return datetime.time(hour, minute)


def _marker_for(text: str, start: int, end: int, next_start: int, japanese: bool) -> str | None:
    """Whether the words around a time say it is Japan or local time.

    English puts the marker after the time ("4:55 p.m., Japan time"),
    Japanese before it ("日本時間午後4時55分").
    """
    if not japanese:
        after = text[end : min(next_start, end + MARKER_WINDOW_AFTER)]
        if JAPAN_TIME_MARKER_RE.search(after):
            return "japan"
        if LOCAL_TIME_MARKER_RE.search(after):
            return "local"
    before = text[max(0, start - MARKER_WINDOW_BEFORE) : start]
    if JAPAN_TIME_MARKER_RE.search(before):
        return "japan"
    if LOCAL_TIME_MARKER_RE.search(before):
        return "local"
    return None


def find_time_mentions(sentence: str) -> list[TimeMention]:
    """Every clock time in a sentence, in order, each with its Japan/local marker if any."""
    text = unicodedata.normalize("NFKC", sentence)
    found: list[tuple[int, int, datetime.time, bool]] = []
    for match in EN_TIME_RE.finditer(text):
        value = _clock(int(match["hour"]), int(match["minute"] or 0), match["half"])
        if value:
            found.append((match.start(), match.end(), value, False))
    for match in H24_TIME_RE.finditer(text):
        found.append(
            (
                match.start(),
                match.end(),
                datetime.time(int(match["hour"]), int(match["minute"])),
                False,
            )
        )
    for match in NOON_RE.finditer(text):
        found.append((match.start(), match.end(), datetime.time(12, 0), False))
    for match in JA_TIME_RE.finditer(text):
        minute = 30 if match["thirty"] else int(match["minute"] or 0)
        value = _clock(int(match["hour"]), minute, match["half"])
        if value:
            found.append((match.start(), match.end(), value, True))
    found.sort(key=lambda item: item[0])
    mentions = []
    for index, (start, end, value, japanese) in enumerate(found):
        next_start = found[index + 1][0] if index + 1 < len(found) else len(text)
        mentions.append(
            TimeMention(start, value, _marker_for(text, start, end, next_start, japanese))
        )
    return mentions


def find_start_times(sentence: str) -> StartTimes:
    """The start time(s) in the sentence that opens a readout.

    The first time and at most one alternative within SECOND_TIME_WINDOW
    characters are used. Marked times go where their marker says; an unmarked
    time is local, and an unmarked second time is the Japan time.
    """
    mentions = find_time_mentions(sentence)
    if not mentions:
        return StartTimes()
    first = mentions[0]
    candidates = [first] + [
        m for m in mentions[1:2] if m.position - first.position <= SECOND_TIME_WINDOW
    ]
    times = StartTimes()
    for mention in candidates:
        if mention.marker == "japan" and times.japan is None:
            times.japan, times.japan_labelled = mention.value, True
        elif mention.marker == "local" and times.local is None:
            times.local, times.local_labelled = mention.value, True
    for mention in candidates:
        if mention.marker is not None:
            continue
        if times.local is None:
            times.local = mention.value
        elif times.japan is None:
            times.japan = mention.value
    return times


def _number_value(text: str | None) -> int:
    if not text:
        return 0
    text = text.lower()
    if text.isdigit():
        return int(text)
    return _NUMBER_WORDS.get(text, 0)


def find_duration(sentence: str) -> Duration | None:
    """The meeting's length in minutes, from the sentence that opens the readout."""
    text = unicodedata.normalize("NFKC", sentence)
    found = EN_DURATION_RE.search(text)
    if found:
        return _english_duration(found)
    found = JA_HOURS_DURATION_RE.search(text)
    if found:
        minutes = int(found["hours"]) * 60 + int(found["minutes"] or 0)
        return Duration(minutes, bool(found["approx"] or found["approx_after"]))
    found = JA_MINUTES_DURATION_RE.search(text)
    if found:
        return Duration(int(found["minutes"]), bool(found["approx"] or found["approx_after"]))
    return None


def _english_duration(found: re.Match[str]) -> Duration:
    approximate = bool(found["approx"])
    if found["half_hour"]:
        return Duration(30, approximate)
    if found["hours"]:
        minutes = _number_value(found["hours"]) * 60
        if found["and_half"]:
            minutes += 30
        minutes += _number_value(found["hour_minutes"])
        return Duration(minutes, approximate)
    return Duration(_number_value(found["minutes"]), approximate)


def convert_time(
    value: datetime.time, on: datetime.date, from_zone: str, to_zone: str
) -> datetime.time | None:
    """The same instant's wall-clock time in another zone (None at the ends of the calendar)."""
    moment = datetime.datetime.combine(on, value, tzinfo=ZoneInfo(from_zone))
    try:
        return moment.astimezone(ZoneInfo(to_zone)).time().replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def format_clock(value: datetime.time) -> str:
    return value.strftime("%H:%M")
