"""Where, why and what kind: venue, occasion and kind from the title and opening sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .models import ParsedParticipant
from .people import countries_named_in, is_foreign_minister, is_head_of_state_or_government

# A capitalised place name of one or more words: "Phnom Penh", "Laos People's Democratic Republic"
_PLACE = r"[A-Z][\w'\u2019.\-]*(?:\s+(?:[A-Z][\w'\u2019.\-]*|of|the|and))*"
# A name ending in initials, whose final full stop belongs to it: "D.C.", "U.S."
INITIALS_RE = re.compile(r"(?:^|\s|\.)[A-Z]\.$")
# Verbs that end the "who is visiting ..." clause: ", held a meeting", ", had a brief informal talk"
_MAIN_VERB = r",\s+(?:had|held|met|paid|made|took|spoke|hosted|received|attended|[a-z]+ed)\b"

# "who is visiting Phnom Penh, Cambodia" / "who is visiting Italian Republic"
VISITING_RE = re.compile(
    rf"\bwho\s+(?:is|was)\s+(?:currently\s+)?(?:visiting|on\s+an?\s+(?:\w+\s+)?visit\s+to|staying\s+in|in)\s+"
    rf"(?:the\s+)?(?P<place>{_PLACE})(?:,\s+(?:the\s+)?(?P<place2>{_PLACE}))?"
)
# The whole "who is visiting ..." clause up to the main verb, for location_text.
VISITING_CLAUSE_RE = re.compile(rf"\bwho\s+(?:is|was)\s+.*?(?={_MAIN_VERB}|$)")
# "in Hiroshima", "in Tokyo, Japan", "in the Philippines"
IN_PLACE_RE = re.compile(rf"\bin\s+(?:the\s+)?(?P<place>{_PLACE})(?:,\s+(?P<place2>{_PLACE}))?")
# "at the Prime Minister's Office", "at the White House"
AT_VENUE_RE = re.compile(
    rf"\bat\s+(?:the\s+)?(?P<venue>{gazetteer.japanese_venue_pattern()}|White\s+House)"
)
# "on the sidelines of the NATO Summit"
SIDELINES_RE = re.compile(
    r"\bon\s+the\s+(?:sidelines|margins)\s+of\s+(?:the\s+)?[A-Z0-9][^,;]*?(?=[,;]|\.\s|\.$|$)"
)

# Words that name an event, so a phrase is an occasion and not an ordinary noun.
_EVENT_WORD = (
    r"Summit|Summits|Conference|Meeting|Meetings|Forum|Assembly|Session|Dialogue|Games|Olympics|Expo|Congress|"
    r"Council|Week|Ceremony|Funeral|Inauguration|Celebration|Talks"
)
# A capitalised event name: "ASEAN-related Summit Meetings", "G7 Apulia Summit"
_EVENT_NAME = r"[A-Z0-9][\w'\u2019&.\-]*(?:\s+(?:[A-Z0-9][\w'\u2019&.\-]*|of|on|and|for|the|in))*"
# "to attend the ASEAN-related Summit Meetings", "on the sidelines of the NATO Summit"
OCCASION_RE = re.compile(
    r"\b(?:to\s+attend|to\s+participate\s+in|attending|on\s+the\s+(?:sidelines|margins)\s+of|in\s+the\s+margins\s+of|"
    rf"on\s+the\s+occasion\s+of|for)\s+(?:the\s+)?(?P<event>{_EVENT_NAME})"
)
# Japanese occasion: "ASEAN関連首脳会議に出席するため"
JA_OCCASION_RE = re.compile(
    r"(?P<event>[^、。\s]+?)(?:に出席するため|に出席の機会に|の機会に|の際に)"
)
# Lower-case words that may not end an event name.
TRAILING_CONNECTOR_RE = re.compile(r"(?:\s+(?:of|on|and|for|the|in))+$")
# A G7/G20 summit mentioned anywhere (for an occasion only implied by the text).
IMPLIED_SUMMIT_RE = re.compile(r"\b(?P<group>G7|G20|G-7|G-20)\s+Summit\b")
# Words hinting that the meeting was held at some occasion.
OCCASION_HINT_RE = re.compile(r"\bto\s+attend\b|\bsidelines\b|\bmargins\b|に出席")

# Japanese place: "カンボジア・プノンペンを訪問中"
JA_VISITING_RE = re.compile(r"(?P<place>[\u30a0-\u30ff\u4e00-\u9fff・]+?)を訪問中")
# Japanese place of meeting: "東京において", "広島で"
JA_IN_PLACE_RE = re.compile(rf"(?P<place>{gazetteer.japanese_city_pattern()})(?:において|で|にて)")
# Japanese venue without a city: "総理大臣官邸", "官邸"
JA_VENUE_RE = re.compile(r"(?:総理大臣)?官邸|飯倉公館|迎賓館")


@dataclass
class Venue:
    city: str | None = None
    country: str | None = None
    zone: str | None = None
    location_text: str | None = None


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def _trim_place(place: str | None) -> str | None:
    """A place name without trailing connectors or full stop ("Tokyo." -> "Tokyo"; "D.C." stays)."""
    if not place:
        return None
    place = TRAILING_CONNECTOR_RE.sub("", place).strip()
    if place.endswith(".") and not INITIALS_RE.search(place):
        place = place[:-1]
    return place or None


def _venue_from_places(places: list[str], location_text: str) -> Venue | None:
    """A venue from place names as printed ("Phnom Penh", "Cambodia"); None if none is known."""
    venue = Venue(location_text=location_text)
    named_city = None
    for place in places:
        code = gazetteer.country_code(place)
        if code:
            venue.country = code
            continue
        city = gazetteer.find_city(place)
        if city:
            named_city = city
            venue.city = gazetteer.JAPANESE_CITY_NAMES.get(place, place)
    if named_city and venue.country is None:
        venue.country = named_city.country
    if venue.city is None and venue.country is None:
        return None
    if named_city and named_city.country == venue.country:
        venue.zone = named_city.zone
    else:
        venue.zone = gazetteer.country_zone(venue.country)
    return venue


def find_venue(sentence: str, language: str) -> Venue | None:
    """Where the meeting took place, as far as the opening sentence states or clearly implies."""
    if language == "ja":
        return _find_japanese_venue(sentence)
    text = _clean(sentence)
    found = VISITING_RE.search(text)
    if found:
        clause = VISITING_CLAUSE_RE.search(text, found.start())
        location_text = clause.group(0).rstrip(" ,") if clause else found.group(0)
        places = [
            place for place in (_trim_place(found["place"]), _trim_place(found["place2"])) if place
        ]
        venue = _venue_from_places(places, location_text)
        if venue:
            return venue
    found = AT_VENUE_RE.search(text)
    if found:
        return _venue_from_building(found, text)
    return _venue_from_in_phrase(text)


def _venue_from_building(found: re.Match[str], text: str) -> Venue:
    """A venue from "at the Prime Minister's Office" (Japan) or "at the White House" (US).

    The city is added when the sentence also names it ("... in Tokyo").
    """
    is_white_house = found["venue"].startswith("White")
    country = "US" if is_white_house else "JP"
    venue = Venue(None, country, gazetteer.country_zone(country), found.group(0))
    city_venue = _venue_from_in_phrase(text)
    if city_venue and city_venue.city and city_venue.country == country:
        venue.city, venue.zone = city_venue.city, city_venue.zone
        following = text[found.end() :]
        if city_venue.location_text and following.startswith(" " + city_venue.location_text):
            venue.location_text = f"{found.group(0)} {city_venue.location_text}"
    return venue


def _venue_from_in_phrase(text: str) -> Venue | None:
    """A venue from "in Hiroshima" or "in Tokyo, Japan": the first place the gazetteer knows."""
    for found in IN_PLACE_RE.finditer(text):
        places = [
            place for place in (_trim_place(found["place"]), _trim_place(found["place2"])) if place
        ]
        known = [
            place for place in places if gazetteer.country_code(place) or gazetteer.find_city(place)
        ]
        if not known:
            continue
        phrase = found.group(0)
        location_text = (
            phrase[: phrase.rfind(known[-1]) + len(known[-1])]
            if known == places
            else f"in {known[0]}"
        )
        venue = _venue_from_places(known, location_text)
        if venue:
            return venue
    return None


def _find_japanese_venue(sentence: str) -> Venue | None:
    found = JA_VISITING_RE.search(sentence)
    if found:
        places = [place for place in found["place"].split("・") if place]
        venue = _venue_from_places(places, found.group(0))
        if venue:
            return venue
    found = JA_IN_PLACE_RE.search(sentence)
    if found:
        venue = _venue_from_places([found["place"]], found.group(0))
        if venue:
            return venue
    found = JA_VENUE_RE.search(sentence)
    if found:
        return Venue(None, "JP", gazetteer.country_zone("JP"), found.group(0))
    return None


def find_sidelines_text(sentence: str) -> str | None:
    """ "on the sidelines of the NATO Summit" as printed (location_text when no venue is named)."""
    found = SIDELINES_RE.search(_clean(sentence))
    return found.group(0) if found else None


def find_occasion(sentence: str, language: str) -> str | None:
    """The event the meeting was held at, as printed in the opening sentence."""
    if language == "ja":
        found = JA_OCCASION_RE.search(sentence)
        return found["event"] if found else None
    for found in OCCASION_RE.finditer(_clean(sentence)):
        event = TRAILING_CONNECTOR_RE.sub("", found["event"]).rstrip(".")
        if re.search(rf"\b(?:{_EVENT_WORD})\b", event):
            return event
    return None


def implied_summit_occasion(body: str, city: str | None) -> str | None:
    """ "G7 Hiroshima Summit" when the text mentions a G7/G20 Summit and the venue city is named."""
    if not city:
        return None
    found = IMPLIED_SUMMIT_RE.search(_clean(body))
    if not found:
        return None
    group = found["group"].replace("-", "")
    return f"{group} {city} Summit"


def suggests_occasion(sentence: str) -> bool:
    return bool(OCCASION_HINT_RE.search(sentence))


# Kind words, searched in the title and then in the opening sentence.
TELEPHONE_RE = re.compile(r"telephone|\bphone\b|\bcall\b|電話", re.IGNORECASE)
# A White House "spoke with" is a call.
SPOKE_WITH_RE = re.compile(
    r"\bspoke\s+(?:today\s+|by\s+phone\s+|yesterday\s+)?with\b", re.IGNORECASE
)
VIDEO_RE = re.compile(
    r"video\s*(?:tele)?conference|video\s+call|videoconference|teleconference|virtual\s+meeting|テレビ会議|ビデオ会議",
    re.IGNORECASE,
)
FOREIGN_MINISTERS_RE = re.compile(r"foreign\s+ministers['\u2019]?|外相|外務大臣会談", re.IGNORECASE)
COURTESY_CALL_RE = re.compile(r"courtesy\s+call|表敬", re.IGNORECASE)
INFORMAL_TALK_RE = re.compile(
    r"informal\s+(?:talks?|meeting|conversation)|pull-aside|立ち話|懇談", re.IGNORECASE
)
WORKING_LUNCH_RE = re.compile(r"working\s+lunch|昼食会|ワーキング・ランチ", re.IGNORECASE)
DINNER_RE = re.compile(r"\bdinner\b|夕食会|晩餐会", re.IGNORECASE)
SUMMIT_RE = re.compile(r"\bsummit\s+(?:meeting|talks?)\b|首脳会談", re.IGNORECASE)
MEETING_RE = re.compile(r"\bmeeting\b|\bmet\b|\btrilateral\b|会談", re.IGNORECASE)
TRILATERAL_RE = re.compile(r"\btrilateral\b|三か国|3か国|日米韓|日米比|日米豪", re.IGNORECASE)
MULTILATERAL_RE = re.compile(r"\bmultilateral\b|\bquad\b", re.IGNORECASE)


@dataclass
class KindResult:
    kind: str | None
    guessed: bool


def find_kind(title: str, sentence: str, participants: list[ParsedParticipant]) -> KindResult:
    """The kind of meeting, from the title first and the opening sentence second."""
    kind, explicit = _kind_from_text(title, participants)
    if kind is None:
        kind, explicit = _kind_from_text(sentence, participants)
        explicit = False
    if kind is None:
        return KindResult(None, True)
    if kind.startswith("summit "):
        kind = _with_participant_count_prefix(kind, title, participants)
    return KindResult(kind, not explicit)


def _kind_from_text(text: str, participants: list[ParsedParticipant]) -> tuple[str | None, bool]:
    """(kind, whether the text names it outright) from one text, or (None, False)."""
    heads = sum(1 for participant in participants if is_head_of_state_or_government(participant))
    ministers = sum(1 for participant in participants if is_foreign_minister(participant))
    telephone = bool(TELEPHONE_RE.search(text) or SPOKE_WITH_RE.search(text))
    if FOREIGN_MINISTERS_RE.search(text):
        return (
            "foreign ministers' telephone talk" if telephone else "foreign ministers' meeting"
        ), True
    for pattern, kind in (
        (COURTESY_CALL_RE, "courtesy call"),
        (INFORMAL_TALK_RE, "informal talk"),
        (WORKING_LUNCH_RE, "working lunch"),
    ):
        if pattern.search(text):
            return kind, True
    if VIDEO_RE.search(text):
        return "summit video conference", heads > 0
    if telephone:
        if ministers >= 2 and heads == 0:
            return "foreign ministers' telephone talk", False
        return "summit telephone talk", heads > 0
    if DINNER_RE.search(text):
        return "dinner", True
    if SUMMIT_RE.search(text):
        return "summit meeting", True
    if heads >= 2 and MEETING_RE.search(text):
        return "summit meeting", False
    if ministers >= 2 and MEETING_RE.search(text):
        return "foreign ministers' meeting", False
    return None, False


def _with_participant_count_prefix(
    kind: str, title: str, participants: list[ParsedParticipant]
) -> str:
    """Put "trilateral " or "multilateral " before a summit kind with more than two countries."""
    countries = {participant.country or participant.name for participant in participants}
    count = max(len(countries), len(countries_named_in(title)))
    if MULTILATERAL_RE.search(title) or count > 3:
        return f"multilateral {kind}"
    if TRILATERAL_RE.search(title) or count == 3:
        return f"trilateral {kind}"
    return kind
