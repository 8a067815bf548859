"""Participants: who met whom, with titles and countries, in the forms the issuing sites use.

English forms handled (in the sentence that opens the readout):

* name first:  "Mr. KISHIDA Fumio, Prime Minister of Japan", "the Honorable Joseph R. Biden,
  Jr., President of the United States of America", "Senator the Hon Bob Carr, Minister for
  Foreign Affairs of Australia"
* office first: "Prime Minister Taro Aso", "President Yoon Suk Yeol of the Republic of Korea",
  "President Ferdinand Marcos, Jr. of the Philippines", "President Biden"

Japanese form: "岸田文雄内閣総理大臣", "ジョセフ・R・バイデン・ジュニア米国大統領".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .models import ParsedParticipant

# Offices held by the people readouts are about, longest first inside each alternative.
OFFICE = (
    r"(?:Deputy\s+|Vice\s+|Acting\s+|Federal\s+|Interim\s+)?"
    r"(?:Prime\s+Minister|President|Chancellor|Premier|Foreign\s+Minister|Minister|Secretary\s+of\s+State"
    r"|Secretary-General|Secretary|King|Queen|Emperor|Crown\s+Prince|Sultan|Emir|Amir|State\s+Counsellor"
    r"|Chairman|Chairperson|Chair|General\s+Secretary|Supreme\s+Leader|Governor|Ambassador|Taoiseach|Commissioner)"
)
# Offices whose holders are heads of state or government (for "summit" kinds).
HEAD_OFFICE_RE = re.compile(
    r"\b(?:Prime Minister|President|Chancellor|Premier|King|Queen|Emperor|Crown Prince|Sultan"
    r"|Emir|Amir|State Counsellor|Taoiseach|Supreme Leader)\b|総理大臣|首相|大統領|国王"
)
# Offices of foreign ministers.
FOREIGN_MINISTER_OFFICE_RE = re.compile(
    r"Minister\s+(?:for|of)\s+Foreign\s+Affairs|Foreign\s+(?:Minister|Secretary)|Secretary\s+of\s+State|外務大臣|外相"
)

# One courtesy word or phrase printed before a name: "Mr.", "H.E.", "the Honorable", "Senator".
_HONORIFIC_WORD = (
    r"(?:[Tt]he\s+)?(?:Right\s+)?(?:Honorable|Honourable|Hon\.?)|H\.\s?E\.|H\.\s?M\.|H\.\s?R\.\s?H\.|"
    r"His\s+Excellency|Her\s+Excellency|His\s+Majesty|Her\s+Majesty|His\s+Royal\s+Highness|Her\s+Royal\s+Highness|"
    r"Senator|Dr\.|Mr\.|Ms\.|Mrs\.|Madam|Sir|Dame|Prof\.|Professor"
)
_HONORIFICS = rf"(?:(?:{_HONORIFIC_WORD})\s+)+"
# One word of a personal name: "KISHIDA", "Yeol", "R.", "O'Neill", "Jean-Marc"
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][A-Za-z'\u2019\-]+(?<!['\u2019]s)(?![A-Za-z'\u2019]))"
# Lower-case particles inside names: "Anwar bin Ibrahim", "Ursula von der Leyen"
_NAME_PARTICLE = r"(?:bin|binti|de|da|van|von|der|al|del|dos|la|le)"
# A personal name with an optional generational suffix: "Joseph R. Biden, Jr."
_NAME = (
    rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_NAME_PARTICLE}(?=\s+[A-Z])))*"
    r"(?:,?\s+(?:Jr|Sr)\.|\s+(?:II|III|IV))?"
)
_COUNTRY = rf"(?:the\s+)?(?:{gazetteer.country_name_pattern()})(?![A-Za-z])"

# Name first, then ", office ... of country": "Mr. KISHIDA Fumio, Prime Minister of Japan"
NAME_THEN_OFFICE_RE = re.compile(
    rf"(?P<honorific>{_HONORIFICS})?(?P<name>{_NAME}),\s+"
    rf"(?P<title>(?:the\s+)?{OFFICE}(?:\s+[^,;()]*?)?\s+of\s+(?P<country>{_COUNTRY}))"
)
# Office, name, optional "of country": "President Yoon Suk Yeol of the Republic of Korea"
OFFICE_THEN_NAME_RE = re.compile(
    rf"(?P<office>{OFFICE})\s+(?P<honorific>{_HONORIFICS})?(?P<name>{_NAME})(?:\s+of\s+(?P<country>{_COUNTRY}))?"
)
# An office word at the start of a name that swallowed it: "President Joseph R. Biden, Jr."
LEADING_OFFICE_RE = re.compile(rf"^{OFFICE}\s+")

# Japanese side in Japanese text: "岸田文雄内閣総理大臣", "上川陽子外務大臣"
JA_JAPAN_SIDE_RE = re.compile(
    r"(?P<name>[\u4e00-\u9fff々]{2,6}?)(?P<title>内閣総理大臣|総理大臣|外務大臣)"
)
# Counterpart in Japanese text: "ジョセフ・R・バイデン・ジュニア米国大統領"
JA_COUNTERPART_RE = re.compile(
    rf"(?P<name>[\u30a0-\u30ffA-Za-z・＝.．]+?)(?P<title>(?P<country>{gazetteer.japanese_country_pattern()})"
    r"(?:大統領|首相|外務大臣|外相|国王|副大統領|国務長官))"
)

# An office then one name word only, a surname: "Prime Minister Kishida", "President Biden's"
OFFICE_THEN_SURNAME_RE = re.compile(
    rf"{OFFICE}\s+(?P<surname>[A-Z][A-Za-z\-]+)(?![A-Za-z])(?!\s+[A-Z])"
)
# Post-nominal letters after a name: "Anthony Albanese MP"
POST_NOMINAL_RE = re.compile(r"\s+(?:MP|M\.P\.|QC|KC|AC|AO|GCMG|KCMG|OBE|CBE)$")
# Japanese honorific suffix on a katakana name: "バイデン・ジュニア"
JA_NAME_SUFFIX_RE = re.compile(r"・?(?:ジュニア|シニア)$")
# Japanese script in a name (kanji names cannot be split without a dictionary).
JAPANESE_SCRIPT_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Name words that are surnames written first in English (East Asian order).
FAMILY_NAME_FIRST_COUNTRIES = frozenset({"KR", "KP", "CN", "TW", "HK", "MO", "VN", "MN"})
# Generational suffix at the end of a name.
NAME_SUFFIX_RE = re.compile(r",?\s+(?:Jr|Sr)\.$|\s+(?:II|III|IV)$")
# A word written in capitals that marks the family name: "KISHIDA"
CAPITALISED_FAMILY_NAME_RE = re.compile(r"^[A-Z][A-Z'\-]+$")


@dataclass
class _Mention:
    position: int
    end: int
    name: str
    honorific: str
    title: str
    office: str
    country: str | None


def _clean(text: str | None) -> str:
    """Spaces made plain and single (no-break spaces included)."""
    return " ".join((text or "").replace("\u00a0", " ").split())


def _title_from_office(office: str, country_phrase: str | None) -> str:
    """ "President" + "the Philippines" -> "President of the Philippines"."""
    office = _clean(office)
    if country_phrase:
        return f"{office} of {_clean(country_phrase)}"
    return office


def _english_mentions(sentence: str) -> list[_Mention]:
    """People named in an English sentence, name-first forms preferred where both forms overlap."""
    mentions: list[_Mention] = []
    for found in NAME_THEN_OFFICE_RE.finditer(sentence):
        name = POST_NOMINAL_RE.sub("", LEADING_OFFICE_RE.sub("", _clean(found["name"])))
        title = _clean(found["title"])
        office_match = re.match(OFFICE, title.removeprefix("the ").removeprefix("The "))
        office = office_match.group(0) if office_match else ""
        mentions.append(
            _Mention(
                found.start(),
                found.end(),
                name,
                _clean(found["honorific"]),
                title,
                office,
                gazetteer.country_code(found["country"]),
            )
        )
    taken = [(mention.position, mention.end) for mention in mentions]
    for found in OFFICE_THEN_NAME_RE.finditer(sentence):
        if any(start < found.end() and found.start() < end for start, end in taken):
            continue
        country_phrase = found["country"]
        mentions.append(
            _Mention(
                found.start(),
                found.end(),
                POST_NOMINAL_RE.sub("", _clean(found["name"])),
                _clean(found["honorific"]),
                _title_from_office(found["office"], country_phrase),
                _clean(found["office"]),
                gazetteer.country_code(country_phrase),
            )
        )
    mentions.sort(key=lambda mention: mention.position)
    return mentions


def _japanese_mentions(sentence: str) -> list[_Mention]:
    mentions = []
    for found in JA_JAPAN_SIDE_RE.finditer(sentence):
        mentions.append(
            _Mention(
                found.start(), found.end(), found["name"], "", found["title"], found["title"], "JP"
            )
        )
    for found in JA_COUNTERPART_RE.finditer(sentence):
        code = gazetteer.JAPANESE_COUNTRY_NAMES.get(found["country"])
        mentions.append(
            _Mention(
                found.start(), found.end(), found["name"], "", found["title"], found["title"], code
            )
        )
    mentions.sort(key=lambda mention: mention.position)
    return mentions


def countries_named_in(title: str) -> list[str]:
    """Countries named in a text ("Japan-U.S.-ROK Summit" -> JP, US, KR), in order."""
    codes = []
    for found in re.finditer(rf"(?:{gazetteer.country_name_pattern()})(?![A-Za-z])", title):
        code = gazetteer.country_code(found.group(0))
        if code and code not in codes:
            codes.append(code)
    return codes


def _resolve_missing_country(
    mention: _Mention, known: list[_Mention], other_government: bool, title: str
) -> None:
    """Give an office-only mention ("President Biden") the country the context implies."""
    if mention.country:
        return
    has_japan_side = any(other.country == "JP" for other in known)
    if other_government and mention.office == "President":
        mention.country = "US"
    elif not other_government and not has_japan_side:
        mention.country = "JP"
    else:
        taken = {other.country for other in known}
        remaining = [code for code in countries_named_in(title) if code not in taken]
        if len(remaining) == 1:
            mention.country = remaining[0]
    if mention.country and " of " not in mention.title:
        mention.title = _title_from_office(
            mention.office, gazetteer.country_for_title(mention.country)
        )


def surnames_used_alone(text: str) -> frozenset[str]:
    """Words used as a surname after an office elsewhere in the text ("Prime Minister Ishiba")."""
    return frozenset(
        found["surname"] for found in OFFICE_THEN_SURNAME_RE.finditer(text[:MAX_CONTEXT_CHARS])
    )


# Longest text searched for surnames used alone.
MAX_CONTEXT_CHARS = 20000


def split_name(
    name: str, country: str | None, known_surnames: frozenset[str] = frozenset()
) -> tuple[str, str]:
    """(family name, given names) as printed: "KISHIDA Fumio" -> ("KISHIDA", "Fumio").

    A word in capitals is the family name; otherwise a word the text also uses
    alone after an office ("Prime Minister Kishida"); otherwise the first word
    for East Asian countries and the last word for the rest.
    """
    if "・" in name or "＝" in name:
        words = [word for word in re.split(r"[・＝]", JA_NAME_SUFFIX_RE.sub("", name)) if word]
        return (words[-1], "・".join(words[:-1])) if words else ("", "")
    if JAPANESE_SCRIPT_RE.search(name):
        return "", ""
    core = NAME_SUFFIX_RE.sub("", name).strip()
    words = core.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    for index, word in enumerate(words):
        if CAPITALISED_FAMILY_NAME_RE.match(word) and len(word) > 1:
            return word, " ".join(words[:index] + words[index + 1 :])
    for index, word in enumerate(words):
        if word in known_surnames:
            return word, " ".join(words[:index] + words[index + 1 :])
    if country in FAMILY_NAME_FIRST_COUNTRIES:
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def _same_person(first: _Mention, second: _Mention) -> bool:
    first_family, _ = split_name(first.name, first.country)
    second_family, _ = split_name(second.name, second.country)
    first_words = {word.casefold() for word in first.name.split()}
    return first.name == second.name or (
        first.country == second.country
        and (second_family.casefold() in first_words or first_family == second_family)
    )


def find_participants(
    sentence: str, title: str, other_government: bool, language: str, context: str = ""
) -> list[ParsedParticipant]:
    """Participants in the opening sentence: the Japanese side first, then the others in order.

    ``context`` (title and body) is only used to tell family names from given names.
    """
    mentions = (
        _japanese_mentions(sentence) if language == "ja" else _english_mentions(_clean(sentence))
    )
    unique: list[_Mention] = []
    for mention in mentions:
        _resolve_missing_country(mention, unique, other_government, title)
        if not any(_same_person(existing, mention) for existing in unique):
            unique.append(mention)
    japan_side = [mention for mention in unique if mention.country == "JP"]
    counterparts = [mention for mention in unique if mention.country != "JP"]
    known_surnames = surnames_used_alone(context) if language == "en" else frozenset()
    return [_participant(mention, known_surnames) for mention in japan_side + counterparts]


def _participant(mention: _Mention, known_surnames: frozenset[str]) -> ParsedParticipant:
    family, given = split_name(mention.name, mention.country, known_surnames)
    return ParsedParticipant(
        name=mention.name,
        title=mention.title,
        country=mention.country,
        side="japan" if mention.country == "JP" else "counterpart",
        honorific=mention.honorific,
        family_name=family,
        given_name=given,
    )


def is_head_of_state_or_government(participant: ParsedParticipant) -> bool:
    return bool(HEAD_OFFICE_RE.search(participant.title))


def is_foreign_minister(participant: ParsedParticipant) -> bool:
    return bool(FOREIGN_MINISTER_OFFICE_RE.search(participant.title))
