"""Countries, cities and time zones, for resolving the places named in readouts.

Country names and the IANA zones of each country come from the ``iso3166.tab``
and ``zone.tab`` files shipped with the ``tzdata`` package; the aliases below
add the formal names ("Italian Republic", "Republic of Korea") and the Japanese
names that readouts use.  Everything here is pure standard library.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

# Formal and common names that are not the short names in iso3166.tab.
COUNTRY_ALIASES: dict[str, str] = {
    "United States of America": "US",
    "the United States": "US",
    "U.S.": "US",
    "U.S.A.": "US",
    "USA": "US",
    "America": "US",
    "Republic of Korea": "KR",
    "South Korea": "KR",
    "ROK": "KR",
    "Korea": "KR",
    "Democratic People's Republic of Korea": "KP",
    "North Korea": "KP",
    "DPRK": "KP",
    "People's Republic of China": "CN",
    "Lao People's Democratic Republic": "LA",
    "Laos People's Democratic Republic": "LA",
    "Lao PDR": "LA",
    "Kingdom of Cambodia": "KH",
    "Republic of the Philippines": "PH",
    "the Philippines": "PH",
    "Republic of India": "IN",
    "Republic of Indonesia": "ID",
    "Kingdom of Thailand": "TH",
    "Socialist Republic of Viet Nam": "VN",
    "Viet Nam": "VN",
    "Republic of Singapore": "SG",
    "Union of Myanmar": "MM",
    "Myanmar": "MM",
    "Burma": "MM",
    "Brunei Darussalam": "BN",
    "Commonwealth of Australia": "AU",
    "Italian Republic": "IT",
    "French Republic": "FR",
    "Federal Republic of Germany": "DE",
    "Hellenic Republic": "GR",
    "Argentine Republic": "AR",
    "Portuguese Republic": "PT",
    "Kingdom of Spain": "ES",
    "Kingdom of Belgium": "BE",
    "Kingdom of the Netherlands": "NL",
    "the Netherlands": "NL",
    "United Kingdom": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "UK": "GB",
    "Russian Federation": "RU",
    "Republic of Türkiye": "TR",
    "Türkiye": "TR",
    "Czechia": "CZ",
    "Kingdom of Saudi Arabia": "SA",
    "UAE": "AE",
    "Islamic Republic of Iran": "IR",
    "State of Israel": "IL",
    "Palestinian Authority": "PS",
    "State of Palestine": "PS",
    "Palestinian National Authority": "PS",
    "Republic of Kazakhstan": "KZ",
    "Federative Republic of Brazil": "BR",
    "United Mexican States": "MX",
    "Republic of South Africa": "ZA",
    "New Zealand": "NZ",
    "Vatican": "VA",
    "Holy See": "VA",
    "Timor-Leste": "TL",
    "Papua New Guinea": "PG",
    "Mongolia": "MN",
    "Ukraine": "UA",
    "Canada": "CA",
    "Japan": "JP",
}

# Japanese names of countries, as Japanese-language readouts print them.
JAPANESE_COUNTRY_NAMES: dict[str, str] = {
    "日本": "JP",
    "米国": "US",
    "アメリカ合衆国": "US",
    "アメリカ": "US",
    "韓国": "KR",
    "大韓民国": "KR",
    "北朝鮮": "KP",
    "中国": "CN",
    "中華人民共和国": "CN",
    "インド": "IN",
    "豪州": "AU",
    "オーストラリア": "AU",
    "カンボジア": "KH",
    "ラオス": "LA",
    "ベトナム": "VN",
    "タイ": "TH",
    "インドネシア": "ID",
    "フィリピン": "PH",
    "マレーシア": "MY",
    "シンガポール": "SG",
    "英国": "GB",
    "フランス": "FR",
    "ドイツ": "DE",
    "イタリア": "IT",
    "カナダ": "CA",
    "ロシア": "RU",
    "ウクライナ": "UA",
    "パレスチナ": "PS",
    "スペイン": "ES",
    "ニュージーランド": "NZ",
    "ブラジル": "BR",
}


@dataclass(frozen=True)
class City:
    name: str
    country: str
    zone: str


# Cities that readouts name but zone.tab does not list under their own name.
EXTRA_CITIES: tuple[City, ...] = (
    City("Tokyo", "JP", "Asia/Tokyo"),
    City("Hiroshima", "JP", "Asia/Tokyo"),
    City("Osaka", "JP", "Asia/Tokyo"),
    City("Kyoto", "JP", "Asia/Tokyo"),
    City("Yokohama", "JP", "Asia/Tokyo"),
    City("Nagoya", "JP", "Asia/Tokyo"),
    City("Ise-Shima", "JP", "Asia/Tokyo"),
    City("Washington, D.C.", "US", "America/New_York"),
    City("Washington", "US", "America/New_York"),
    City("Camp David", "US", "America/New_York"),
    City("San Francisco", "US", "America/Los_Angeles"),
    City("Madrid", "ES", "Europe/Madrid"),
    City("Beijing", "CN", "Asia/Shanghai"),
    City("New Delhi", "IN", "Asia/Kolkata"),
    City("Delhi", "IN", "Asia/Kolkata"),
    City("Canberra", "AU", "Australia/Sydney"),
    City("Hanoi", "VN", "Asia/Bangkok"),
    City("Ottawa", "CA", "America/Toronto"),
    City("Munich", "DE", "Europe/Berlin"),
    City("Geneva", "CH", "Europe/Zurich"),
    City("Bali", "ID", "Asia/Makassar"),
    City("Hamburg", "DE", "Europe/Berlin"),
    City("Elmau", "DE", "Europe/Berlin"),
    City("Biarritz", "FR", "Europe/Paris"),
    City("Vilnius", "LT", "Europe/Vilnius"),
)

# Japanese names of cities, mapped to the English names used above or in zone.tab.
JAPANESE_CITY_NAMES: dict[str, str] = {
    "東京": "Tokyo",
    "広島": "Hiroshima",
    "大阪": "Osaka",
    "京都": "Kyoto",
    "横浜": "Yokohama",
    "プノンペン": "Phnom Penh",
    "ビエンチャン": "Vientiane",
    "ワシントン": "Washington",
    "ニューヨーク": "New York",
    "ソウル": "Seoul",
    "北京": "Beijing",
    "ニューデリー": "New Delhi",
    "ジャカルタ": "Jakarta",
    "マニラ": "Manila",
    "ハノイ": "Hanoi",
    "バンコク": "Bangkok",
    "シンガポール": "Singapore",
    "ロンドン": "London",
    "パリ": "Paris",
    "ローマ": "Rome",
    "ベルリン": "Berlin",
    "ブリュッセル": "Brussels",
    "マドリード": "Madrid",
    "キャンベラ": "Canberra",
    "シドニー": "Sydney",
}

# Places in Japan named without a city ("at the Prime Minister's Office").
JAPANESE_VENUES: tuple[str, ...] = (
    "Prime Minister's Office",
    "Prime Minister's Official Residence",
    "Prime Minister's Residence",
    "Iikura Guest House",
    "Akasaka Palace",
    "State Guest House",
    "Imperial Palace",
    "Kantei",
)

# Formal prefixes that wrap a short country name ("Republic of Chile").
FORMAL_PREFIX_RE = re.compile(
    r"^(?:the\s+)?(?:Republic|Kingdom|State|Federal Republic|Democratic Republic|"
    r"Islamic Republic|Commonwealth|Sultanate|Principality|Grand Duchy)\s+of\s+(?:the\s+)?"
)

# An ISO short name with a parenthesised qualifier: "Myanmar (Burma)".
PARENTHESISED_QUALIFIER_RE = re.compile(r"\s*\(.*\)$")


def _read_tzdata_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated tzdata table, comments skipped."""
    text = importlib.resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _normalise_name(name: str) -> str:
    """Case-folded name with typographic apostrophes and spacing made plain."""
    name = name.replace("\u2019", "'").replace("\u00a0", " ").replace("&", "and")
    return " ".join(name.split()).casefold()


@functools.cache
def iso_country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> short English name (from tzdata's iso3166.tab)."""
    return {row[0]: row[1] for row in _read_tzdata_table("iso3166.tab") if len(row) >= 2}


@functools.cache
def _country_lookup() -> dict[str, str]:
    """Normalised name or alias -> ISO code."""
    lookup: dict[str, str] = {}
    for code, name in iso_country_names().items():
        lookup[_normalise_name(name)] = code
        short = PARENTHESISED_QUALIFIER_RE.sub("", name)
        lookup.setdefault(_normalise_name(short), code)
    for alias, code in COUNTRY_ALIASES.items():
        lookup[_normalise_name(alias)] = code
    return lookup


@functools.cache
def country_name_pattern() -> str:
    """Regex alternation of every English country name and alias, longest first."""
    names = set(COUNTRY_ALIASES)
    for name in iso_country_names().values():
        names.add(PARENTHESISED_QUALIFIER_RE.sub("", name))
        names.add(name)
    names.discard("")
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(name).replace("'", "['\u2019]") for name in ordered)


def country_code(name: str | None) -> str | None:
    """ISO code for a country name as printed ("the Republic of Korea" -> "KR"), or None."""
    if not name:
        return None
    name = name.strip()
    if name in JAPANESE_COUNTRY_NAMES:
        return JAPANESE_COUNTRY_NAMES[name]
    for candidate in (name, name.rstrip(".,;:")):
        code = _lookup_country_name(candidate)
        if code:
            return code
    return None


def _lookup_country_name(name: str) -> str | None:
    """ISO code of an exact name, alias, or formal name ("Republic of Chile")."""
    lookup = _country_lookup()
    key = _normalise_name(name)
    if key in lookup:
        return lookup[key]
    if key.startswith("the ") and key[4:] in lookup:
        return lookup[key[4:]]
    stripped = FORMAL_PREFIX_RE.sub("", name)
    if stripped != name:
        return lookup.get(_normalise_name(stripped))
    return None


def country_name(code: str | None) -> str | None:
    """Short English name of an ISO code ("KR" -> "Korea (South)"), or None."""
    if not code:
        return None
    return iso_country_names().get(code)


@functools.cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO code -> IANA zones listed for it in zone.tab."""
    zones: dict[str, list[str]] = {}
    for row in _read_tzdata_table("zone.tab"):
        if len(row) >= 3:
            zones.setdefault(row[0], []).append(row[2])
    return {code: tuple(found) for code, found in zones.items()}


def country_zone(code: str | None) -> str | None:
    """The IANA zone of a country that has exactly one zone ("KH" -> "Asia/Phnom_Penh")."""
    if not code:
        return None
    zones = zones_by_country().get(code, ())
    if len(zones) == 1:
        return zones[0]
    return None


@functools.cache
def _city_lookup() -> dict[str, City]:
    """Normalised city name -> City, from zone.tab zone names and EXTRA_CITIES."""
    lookup: dict[str, City] = {}
    for row in _read_tzdata_table("zone.tab"):
        if len(row) < 3:
            continue
        code, zone = row[0], row[2]
        city_name = zone.rsplit("/", 1)[-1].replace("_", " ")
        lookup.setdefault(_normalise_name(city_name), City(city_name, code, zone))
    for city in EXTRA_CITIES:
        lookup[_normalise_name(city.name)] = city
    return lookup


def find_city(name: str | None) -> City | None:
    """The gazetteer entry of a city name as printed (English or Japanese), or None."""
    if not name:
        return None
    name = name.strip()
    if name in JAPANESE_CITY_NAMES:
        name = JAPANESE_CITY_NAMES[name]
    return _city_lookup().get(_normalise_name(name))


def is_japanese_venue(phrase: str) -> bool:
    """True for a building in Japan named without its city ("the Prime Minister's Office")."""
    key = _normalise_name(phrase)
    if key.startswith("the "):
        key = key[4:]
    return any(key == _normalise_name(venue) for venue in JAPANESE_VENUES)


def japanese_venue_pattern() -> str:
    """Regex alternation of the JAPANESE_VENUES names."""
    ordered = sorted(JAPANESE_VENUES, key=len, reverse=True)
    return "|".join(re.escape(name).replace("'", "['\u2019]") for name in ordered)


def japanese_country_pattern() -> str:
    """Regex alternation of Japanese country names, longest first."""
    ordered = sorted(JAPANESE_COUNTRY_NAMES, key=len, reverse=True)
    return "|".join(re.escape(name) for name in ordered)


def japanese_city_pattern() -> str:
    """Regex alternation of Japanese city names, longest first."""
    ordered = sorted(JAPANESE_CITY_NAMES, key=len, reverse=True)
    return "|".join(re.escape(name) for name in ordered)


# How a country reads inside a generated title: "President of the United States".
TITLE_COUNTRY_NAMES: dict[str, str] = {
    "US": "the United States",
    "KR": "the Republic of Korea",
    "KP": "the Democratic People's Republic of Korea",
    "PH": "the Philippines",
    "GB": "the United Kingdom",
    "NL": "the Netherlands",
    "CN": "the People's Republic of China",
    "LA": "the Lao People's Democratic Republic",
    "PS": "Palestine",
    "RU": "the Russian Federation",
}


def country_for_title(code: str) -> str:
    """Country name as it reads after "of" in an office title."""
    return TITLE_COUNTRY_NAMES.get(code) or country_name(code) or code
