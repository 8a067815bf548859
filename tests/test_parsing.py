"""Tests for readouts.parsing: real samples against hand-checked labels, hand-written readouts,
bad input, and property tests (never crash; parse -> format -> parse is stable)."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readouts.parsing import (
    ParsedReadout,
    ReadoutParseError,
    format_readout,
    html_to_text,
    parse_readout,
    parse_readout_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "data" / "readouts"
FIXTURES_DIR = ROOT / "tests" / "data" / "readouts"
LABELS = json.loads((ROOT / "tests" / "data" / "labels.json").read_text(encoding="utf-8"))
LABELS_BY_FILE = {label["file"]: label for label in LABELS}
SEED_FILE = "japan-us-summit-2022-11-13.txt"
REAL_FILES = sorted(path.name for path in SAMPLES_DIR.glob("*.txt"))

# Country names as labels.json writes them -> ISO 3166-1 alpha-2
# (written out here so the test does not trust the gazetteer).
LABEL_COUNTRY_CODES = {
    "Japan": "JP",
    "United States": "US",
    "Australia": "AU",
    "Palestine": "PS",
    "Republic of Korea": "KR",
    "Italy": "IT",
    "Laos": "LA",
    "India": "IN",
    "Philippines": "PH",
}

# Fields that depend on the source text, not the structure: left out of round-trip comparisons.
SOURCE_DEPENDENT_FIELDS = ("warnings",)


def parse_file(path: Path) -> ParsedReadout:
    return parse_readout_bytes(path.read_bytes(), filename=path.name)


def comparable(parsed: ParsedReadout) -> dict:
    data = parsed.to_dict()
    for field in SOURCE_DEPENDENT_FIELDS:
        data.pop(field)
    return data


def all_point_texts(points) -> list[str]:
    texts = []
    for point in points:
        texts.append(point.text)
        texts.extend(all_point_texts(point.children))
    return texts


def nested_count(points) -> int:
    return sum(len(point.children) + nested_count(point.children) for point in points)


# The seed readout ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> ParsedReadout:
    return parse_file(SAMPLES_DIR / SEED_FILE)


def test_seed_header_and_status(seed):
    assert seed.title == "Japan-U.S. Summit Meeting"
    assert seed.date == datetime.date(2022, 11, 13)
    assert seed.translation_status == "provisional"
    assert seed.kind == "summit meeting"
    assert seed.language == "en"
    assert seed.other_government is False


def test_seed_times_and_duration(seed):
    assert seed.start_time_local == datetime.time(14, 55)
    assert seed.start_time_japan == datetime.time(16, 55)
    assert seed.time_zone == "Asia/Phnom_Penh"
    assert seed.duration_minutes == 40
    assert seed.duration_approximate is True
    assert not any("do not match" in warning for warning in seed.warnings)


def test_seed_venue_and_occasion(seed):
    assert seed.city == "Phnom Penh"
    assert seed.country == "KH"
    assert seed.occasion == "ASEAN-related Summit Meetings"
    assert seed.location_text.startswith("who is visiting Phnom Penh, Cambodia")


def test_seed_participants(seed):
    kishida, biden = seed.participants
    assert (kishida.name, kishida.title, kishida.country, kishida.side) == (
        "KISHIDA Fumio",
        "Prime Minister of Japan",
        "JP",
        "japan",
    )
    assert (kishida.honorific, kishida.family_name, kishida.given_name) == (
        "Mr.",
        "KISHIDA",
        "Fumio",
    )
    assert (biden.name, biden.title, biden.country, biden.side) == (
        "Joseph R. Biden, Jr.",
        "President of the United States of America",
        "US",
        "counterpart",
    )
    assert (biden.honorific, biden.family_name, biden.given_name) == (
        "the Honorable",
        "Biden",
        "Joseph R.",
    )


def test_seed_points(seed):
    assert [point.label for point in seed.points] == ["1.", "2.", "3.", "4.", "5."]
    assert [child.label for child in seed.points[1].children] == ["(1)", "(2)", "(3)"]
    for index in (0, 2, 3, 4):
        assert seed.points[index].children == []
    assert seed.points[1].text == "The two leaders exchanged their views on regional issues."
    assert (
        seed.points[1]
        .children[0]
        .text.startswith("The two leaders concurred to continue close coordination")
    )


def test_seed_text_is_not_corrected_and_furniture_is_dropped(seed):
    assert "attemtps" in seed.points[0].text
    assert seed.lead.startswith("On November 13, commencing at 2:55 p.m.")
    for text in [seed.lead, *all_point_texts(seed.points)]:
        assert "Archives" not in text
        assert "Provisional translation" not in text
    assert seed.source_text == (SAMPLES_DIR / SEED_FILE).read_text(encoding="utf-8")


def test_seed_to_dict_has_the_contract_keys(seed):
    data = seed.to_dict()
    required = {
        "title",
        "date",
        "translation_status",
        "kind",
        "start_time_local",
        "start_time_japan",
        "duration_minutes",
        "duration_approximate",
        "city",
        "country",
        "occasion",
        "participants",
        "points",
        "warnings",
    }
    assert required <= set(data)
    assert data["date"] == "2022-11-13"
    assert data["start_time_local"] == "14:55"
    assert set(data["participants"][0]) >= {"name", "title", "country", "side"}
    assert set(data["points"][1]["children"][0]) == {"label", "text", "children"}
    json.dumps(data)


# The real samples against labels.json -------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(name for name in LABELS_BY_FILE if name != SEED_FILE))
def test_sample_matches_labels(filename):
    label = LABELS_BY_FILE[filename]
    parsed = parse_file(SAMPLES_DIR / filename)

    assert parsed.title == label["title"].replace("\u00a0", " ")
    assert parsed.date.isoformat() == label["date"]
    assert parsed.translation_status == label["translation_status"]
    assert parsed.kind == label["kind"]
    assert parsed.other_government == label["other_government"]
    times = parsed.to_dict()
    assert times["start_time_local"] == label["start_time_local"]
    assert times["start_time_japan"] == label["start_time_japan"]
    assert parsed.duration_minutes == label["duration_minutes"]
    assert parsed.city == label["city"]
    assert parsed.country == LABEL_COUNTRY_CODES.get(label["country"])
    assert parsed.location_text == label["location_text"]
    assert parsed.occasion == label["occasion"]

    expected_people = [(label["japan_side"]["name"], label["japan_side"]["title"], "JP", "japan")]
    for counterpart in label["counterparts"]:
        expected_people.append(
            (
                counterpart["name"],
                counterpart["title"],
                LABEL_COUNTRY_CODES[counterpart["country"]],
                "counterpart",
            )
        )
    actual_people = [(p.name, p.title, p.country, p.side) for p in parsed.participants]
    assert actual_people == expected_people

    assert len(parsed.points) == label["top_level_points"]
    assert nested_count(parsed.points) == label["sub_points"]
    assert parsed.source_text == (SAMPLES_DIR / filename).read_text(encoding="utf-8")


def test_split_title_is_joined_and_numbered_opening_is_a_point():
    parsed = parse_file(SAMPLES_DIR / "002-aso-obama-telephone-2009-01-29.txt")
    assert parsed.lead == ""
    assert parsed.points[0].text.startswith("For about 10 minutes from 8:10 a.m.")
    assert "1) addressing" in parsed.points[2].text
    assert parsed.points[2].children == []
    assert parsed.time_zone == "Asia/Tokyo"


def test_footnote_bullet_is_status_not_text():
    parsed = parse_file(SAMPLES_DIR / "012-gemba-carr-fm-meeting-2012-07-09.txt")
    assert parsed.translation_status == "provisional"
    assert parsed.points[3].text.endswith("ASEAN Regional Forum (ARF).")
    assert all("(Photo)" not in text for text in [parsed.lead, *all_point_texts(parsed.points)])
    honorifics = [participant.honorific for participant in parsed.participants]
    assert honorifics == ["Mr.", "Senator the Hon"]


def test_unnumbered_body_goes_to_lead():
    parsed = parse_file(SAMPLES_DIR / "018-japan-palestine-summit-tokyo-2016-02-15.txt")
    assert parsed.points == []
    assert parsed.lead.count("\n\n") == 1
    assert "Photograph" not in parsed.lead
    assert parsed.participants[1].honorific == "H.E. Dr."


def test_white_house_readout_keeps_nbsp_in_source_but_not_in_fields():
    path = SAMPLES_DIR / "033-us-wh-biden-ishiba-marcos-trilateral-call-2025-01-12.txt"
    parsed = parse_file(path)
    assert "\u00a0" in parsed.source_text
    assert "\u00a0" not in parsed.title
    assert all("\u00a0" not in participant.name for participant in parsed.participants)
    assert parsed.participants[0].family_name == "Ishiba"
    assert any("today" in warning for warning in parsed.warnings)
    assert "###" not in parsed.lead


def test_inconsistent_printed_times_are_kept_with_a_warning():
    parsed = parse_file(SAMPLES_DIR / "031-ishiba-modi-summit-laos-2024-10-10.txt")
    assert parsed.time_zone == "Asia/Vientiane"
    assert (parsed.start_time_local, parsed.start_time_japan) == (
        datetime.time(18, 15),
        datetime.time(21, 45),
    )
    assert any("do not match" in warning for warning in parsed.warnings)
    assert parsed.lead.endswith("The overview of the meeting is as follows.")


# Hand-written readouts ----------------------------------------------------------------------


def test_fixture_readme_says_they_are_not_real():
    readme = (FIXTURES_DIR / "README.md").read_text(encoding="utf-8")
    assert "not real readouts" in readme


def test_telephone_talk_without_duration():
    parsed = parse_file(FIXTURES_DIR / "telephone-talk-no-duration.txt")
    assert parsed.kind == "summit telephone talk"
    assert parsed.duration_minutes is None
    assert parsed.duration_approximate is False
    assert any("duration" in warning for warning in parsed.warnings)
    assert (parsed.start_time_local, parsed.start_time_japan) == (
        datetime.time(21, 0),
        datetime.time(21, 0),
    )
    assert parsed.time_zone == "Asia/Tokyo"
    assert (parsed.city, parsed.country) == (None, None)
    assert [(p.name, p.country, p.side) for p in parsed.participants] == [
        ("KISHIDA Fumio", "JP", "japan"),
        ("Anthony Albanese", "AU", "counterpart"),
    ]


def test_meeting_in_tokyo_has_equal_times_and_subpoints_under_two_points():
    parsed = parse_file(FIXTURES_DIR / "tokyo-meeting-subpoints.txt")
    assert (parsed.city, parsed.country, parsed.time_zone) == ("Tokyo", "JP", "Asia/Tokyo")
    assert parsed.location_text == "at the Prime Minister's Office in Tokyo"
    assert parsed.start_time_local == parsed.start_time_japan == datetime.time(18, 30)
    assert (parsed.duration_minutes, parsed.duration_approximate) == (80, True)
    assert [point.label for point in parsed.points] == ["1.", "2.", "3."]
    assert [child.label for child in parsed.points[0].children] == ["(1)", "(2)"]
    assert parsed.points[1].children == []
    assert [child.label for child in parsed.points[2].children] == ["(1)", "(2)", "(3)"]
    last = parsed.points[2].children[2]
    assert last.text.endswith(
        "\n\nThis paragraph continues sub-point (3) of point 3 and is not a new point."
    )
    scholz = parsed.participants[1]
    assert (scholz.title, scholz.country) == ("Chancellor of the Federal Republic of Germany", "DE")


def test_several_counterparts():
    parsed = parse_file(FIXTURES_DIR / "several-counterparts.txt")
    assert parsed.kind == "trilateral summit meeting"
    assert [(p.name, p.country, p.side) for p in parsed.participants] == [
        ("KISHIDA Fumio", "JP", "japan"),
        ("Joseph R. Biden, Jr.", "US", "counterpart"),
        ("Ferdinand Romualdez Marcos Jr.", "PH", "counterpart"),
    ]
    assert parsed.participants[2].title == "President of the Republic of the Philippines"
    assert parsed.participants[2].family_name == "Marcos"
    assert (parsed.city, parsed.country, parsed.time_zone) == (
        "Washington",
        "US",
        "America/New_York",
    )
    # 3:05 p.m. in Washington on April 11 is 4:05 a.m. on April 12 in Tokyo: printed and consistent.
    assert (parsed.start_time_local, parsed.start_time_japan) == (
        datetime.time(15, 5),
        datetime.time(4, 5),
    )
    assert not any("do not match" in warning for warning in parsed.warnings)


def test_japanese_original():
    parsed = parse_file(FIXTURES_DIR / "japanese-original.txt")
    assert parsed.language == "ja"
    assert parsed.title == "日米首脳会談"
    assert parsed.date == datetime.date(2022, 11, 13)
    assert parsed.translation_status is None
    assert parsed.kind == "summit meeting"
    assert (parsed.start_time_local, parsed.start_time_japan) == (
        datetime.time(14, 55),
        datetime.time(16, 55),
    )
    assert (parsed.duration_minutes, parsed.duration_approximate) == (40, True)
    assert (parsed.city, parsed.country, parsed.time_zone) == (
        "Phnom Penh",
        "KH",
        "Asia/Phnom_Penh",
    )
    assert parsed.occasion == "ASEAN関連首脳会議"
    assert [point.label for point in parsed.points] == ["1", "2", "3"]
    assert [child.label for child in parsed.points[1].children] == ["（1）", "（2）"]
    assert [(p.name, p.title, p.country) for p in parsed.participants] == [
        ("岸田文雄", "内閣総理大臣", "JP"),
        ("ジョセフ・R・バイデン・ジュニア", "米国大統領", "US"),
    ]
    assert all("（了）" not in text for text in all_point_texts(parsed.points))


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("令和4年11月13日", datetime.date(2022, 11, 13)),
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("平成21年1月29日", datetime.date(2009, 1, 29)),
        ("2022年11月13日", datetime.date(2022, 11, 13)),
        ("２０２２年１１月１３日", datetime.date(2022, 11, 13)),
        ("Sunday, November 13, 2022", datetime.date(2022, 11, 13)),
        ("13 November 2022", datetime.date(2022, 11, 13)),
    ],
)
def test_date_line_forms(date_line, expected):
    text = f"Japan-U.S. Summit Meeting\n\n{date_line}\n\nThe two leaders held a meeting.\n"
    assert parse_readout(text).date == expected


def test_saved_html_page():
    path = FIXTURES_DIR / "saved-page.html"
    parsed = parse_file(path)
    assert parsed.title == "Japan-Canada Summit Meeting"
    assert parsed.date == datetime.date(2023, 9, 21)
    assert parsed.translation_status == "provisional"
    assert [point.label for point in parsed.points] == ["1.", "2.", "3."]
    assert [child.label for child in parsed.points[1].children] == ["(1)", "(2)"]
    assert (
        parsed.points[1].children[1].text
        == "The two leaders discussed the situation in Ukraine & the Middle East."
    )
    assert (parsed.city, parsed.country, parsed.time_zone) == ("New York", "US", "America/New_York")
    assert (parsed.start_time_local, parsed.start_time_japan) == (
        datetime.time(10, 15),
        datetime.time(23, 15),
    )
    assert parsed.occasion == "United Nations General Assembly"
    assert parsed.participants[1].honorific == "the Right Honourable"
    assert parsed.source_text.startswith("<!DOCTYPE html>")
    text = html_to_text(path.read_text(encoding="utf-8"))
    assert "not a point" not in text
    assert "News" not in text
    assert "Copyright" not in text


def test_html_detected_by_content_without_filename():
    html = (FIXTURES_DIR / "saved-page.html").read_bytes()
    assert parse_readout_bytes(html).title == "Japan-Canada Summit Meeting"


# Time and duration forms --------------------------------------------------------------------

OPENING_TEMPLATE = (
    "Japan-Australia Summit Meeting\n\nJuly 9, 2012\n\n"
    "{opening} Mr. KISHIDA Fumio, Prime Minister of Japan, held a meeting with "
    "the Hon. Anthony Albanese MP, Prime Minister of Australia.\n"
)


@pytest.mark.parametrize(
    ("opening", "local", "japan", "minutes", "approximate"),
    [
        ("On July 9, from 14:55 for 1 hour and 10 minutes,", "14:55", None, 70, False),
        ("On July 9, from 6:50 p.m. for about an hour,", "18:50", None, 60, True),
        (
            "On July 9, commencing at 6.15p.m. (local time, on July 9, 9.45p.m.) "
            "for some 20 minutes,",
            "18:15",
            "21:45",
            20,
            True,
        ),
        ("On July 9, from 8:10 a.m. (JST) for half an hour,", "08:10", "08:10", 30, False),
        ("On July 9, at noon for about 10 minutes,", "12:00", None, 10, True),
    ],
)
def test_time_and_duration_forms(opening, local, japan, minutes, approximate):
    parsed = parse_readout(OPENING_TEMPLATE.format(opening=opening))
    data = parsed.to_dict()
    assert (data["start_time_local"], data["start_time_japan"]) == (local, japan)
    assert (parsed.duration_minutes, parsed.duration_approximate) == (minutes, approximate)


def test_japan_time_is_derived_from_local_time_and_venue_zone():
    text = (
        "Japan-Cambodia Summit Meeting\n\nNovember 12, 2022\n\n"
        "On November 12, commencing at 10:00 a.m. for approximately 30 minutes, Mr. KISHIDA Fumio, "
        "Prime Minister of Japan, who is visiting Phnom Penh, Cambodia, held a meeting with "
        "Samdech Techo Hun Sen, Prime Minister of the Kingdom of Cambodia.\n"
    )
    parsed = parse_readout(text)
    assert parsed.start_time_japan == datetime.time(12, 0)
    assert any("derived" in warning for warning in parsed.warnings)


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        ("Japan-U.S. Summit Meeting\n\nNovember 13, 2022\n".encode("utf-16-le"), "byte-order mark"),
        (b"Japan-U.S. Summit Meeting\n\xff\xfe\xfa broken", "UTF-8"),
        (b"Title\n\x01\x02\x03 data", "control character"),
    ],
)
def test_bad_bytes_are_refused_with_a_readable_message(data, fragment):
    with pytest.raises(ReadoutParseError) as raised:
        parse_readout_bytes(data)
    assert fragment in str(raised.value)
    assert str(raised.value).endswith(".")


def test_utf16_and_utf8_bom_are_decoded():
    text = (SAMPLES_DIR / SEED_FILE).read_text(encoding="utf-8")
    for data in (
        "\ufeff".encode() + text.encode(),
        "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"),
        "\ufeff".encode("utf-16-be") + text.encode("utf-16-be"),
        "\ufeff".encode("utf-32-le") + text.encode("utf-32-le"),
    ):
        parsed = parse_readout_bytes(data)
        assert parsed.date == datetime.date(2022, 11, 13)
        assert parsed.start_time_japan == datetime.time(16, 55)


def test_over_the_size_limit():
    with pytest.raises(ReadoutParseError, match="over the limit of 100 bytes"):
        parse_readout_bytes((SAMPLES_DIR / SEED_FILE).read_bytes(), max_bytes=100)
    with pytest.raises(ReadoutParseError, match="over the limit of 100 bytes"):
        parse_readout((SAMPLES_DIR / SEED_FILE).read_text(encoding="utf-8"), max_bytes=100)


def test_no_date_names_the_line_after_the_title():
    text = "Japan-U.S. Summit Meeting\n\nThe two leaders met and discussed regional issues.\n"
    with pytest.raises(ReadoutParseError) as raised:
        parse_readout(text)
    assert raised.value.line == 3
    assert "line 3" in str(raised.value)
    assert "date" in str(raised.value)


def test_no_body_text():
    with pytest.raises(ReadoutParseError, match="no body text") as raised:
        parse_readout(
            "[Provisional translation]\nJapan-U.S. Summit Meeting\n"
            "November 13, 2022\nBack to Index\n"
        )
    assert raised.value.line is not None


def test_parse_error_is_a_value_error():
    assert issubclass(ReadoutParseError, ValueError)


# Round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", REAL_FILES)
def test_round_trip_of_real_readouts(filename):
    parsed = parse_file(SAMPLES_DIR / filename)
    formatted = format_readout(parsed)
    reparsed = parse_readout(formatted)
    assert comparable(reparsed) == comparable(parsed)
    assert format_readout(reparsed) == formatted


@pytest.mark.parametrize(
    "filename",
    sorted(path.name for path in FIXTURES_DIR.iterdir() if path.suffix in (".txt", ".html")),
)
def test_round_trip_of_hand_written_readouts(filename):
    parsed = parse_file(FIXTURES_DIR / filename)
    reparsed = parse_readout(format_readout(parsed))
    assert comparable(reparsed) == comparable(parsed)


def test_a_truncated_archive_footer_joined_to_the_title_round_trips():
    """Found by the property test below: a footer cut short before its closing
    parenthesis joins the title's block, and the title written back on one line
    must not then read as the footer."""
    text = (
        "[Provisional translation]\n\n"
        "Archives (Archived entries for the 98th through 100th prime ministers\n"
        "Japan-U.S. Informal Talks (Summary)\n\n"
        "June 14, 2024\n\n"
        "1. Prime Minister Kishida expressed his gratitude to President Biden.\n"
    )
    parsed = parse_readout(text)
    formatted = format_readout(parsed)
    reparsed = parse_readout(formatted)
    assert comparable(reparsed) == comparable(parsed)
    assert format_readout(reparsed) == formatted


def test_the_archive_footer_is_site_furniture():
    parsed = parse_readout(
        "Japan-U.S. Summit Meeting\n\nNovember 13, 2022\n\n1. The leaders met.\n\n"
        "Archives (Archived entries for the 98th through 100th prime ministers)\n"
    )
    assert "Archives" not in format_readout(parsed)


# Property tests -----------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def parses_or_refuses(call) -> None:
    """The parser returns a readout or raises ReadoutParseError; anything else fails."""
    try:
        result = call()
    except ReadoutParseError as error:
        assert str(error)
        return
    assert isinstance(result, ParsedReadout)
    json.dumps(result.to_dict())
    format_readout(result)


@PROPERTY_SETTINGS
@given(st.text())
def test_any_text_parses_or_is_refused(text):
    parses_or_refuses(lambda: parse_readout(text))


@PROPERTY_SETTINGS
@given(st.binary())
def test_any_bytes_parse_or_are_refused(data):
    parses_or_refuses(lambda: parse_readout_bytes(data))


@PROPERTY_SETTINGS
@given(st.binary(), st.sampled_from(["x.html", "x.htm", "x.txt", ""]))
def test_any_bytes_with_a_filename_parse_or_are_refused(data, filename):
    parses_or_refuses(lambda: parse_readout_bytes(b"<!DOCTYPE html>" + data, filename=filename))


@st.composite
def mutated_real_readouts(draw) -> str:
    """A real readout with lines shuffled, deleted, duplicated, or with random text spliced in."""
    filename = draw(st.sampled_from(REAL_FILES))
    lines = (SAMPLES_DIR / filename).read_text(encoding="utf-8").split("\n")
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["shuffle", "delete", "duplicate", "splice", "truncate"]))
        if operation == "shuffle":
            rng.shuffle(lines)
        elif operation == "delete" and lines:
            del lines[rng.randrange(len(lines))]
        elif operation == "duplicate" and lines:
            index = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[index])
        elif operation == "splice":
            lines.insert(rng.randrange(len(lines) + 1), draw(st.text(max_size=40)))
        elif operation == "truncate" and lines:
            index = rng.randrange(len(lines))
            lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
    return "\n".join(lines)


@PROPERTY_SETTINGS
@given(mutated_real_readouts())
def test_mutated_real_readouts_parse_or_are_refused(text):
    parses_or_refuses(lambda: parse_readout(text))
    parses_or_refuses(lambda: parse_readout_bytes(text.encode("utf-8", errors="surrogatepass")))


@PROPERTY_SETTINGS
@given(mutated_real_readouts())
def test_round_trip_of_mutated_readouts_that_parse(text):
    try:
        parsed = parse_readout(text)
    except ReadoutParseError:
        return
    formatted = format_readout(parsed)
    reparsed = parse_readout(formatted)
    assert comparable(reparsed) == comparable(parsed)
    assert format_readout(reparsed) == formatted


# Generated structured readouts: built from known parts, so the parse can be checked against them.

WORDS = [
    *("the", "two", "leaders", "ministers", "concurred", "confirmed", "cooperation", "region"),
    *("economic", "security", "peace", "stability", "welcomed", "progress", "exchange", "views"),
    *("bilateral", "relations", "alliance", "importance", "continue", "close", "coordination"),
    *("support", "development", "trade", "energy", "climate", "people", "exchanges"),
]
TITLES = [
    "Japan-U.S. Summit Meeting",
    "Japan-India Summit Telephone Talk",
    "Japan-Australia Foreign Ministers' Meeting",
    "Japan-Germany Summit Meeting (Summary)",
    "Japan-U.S.-Philippines Summit Meeting",
]
OPENINGS = [
    (
        "On {md}, commencing at {h12}:{mm} p.m. (local time. {h12j}:{mm} p.m., Japan time.), "
        "for approximately {minutes} minutes, Mr. KISHIDA Fumio, Prime Minister of Japan, "
        "who is visiting Phnom Penh, Cambodia, to attend the ASEAN-related Summit Meetings, "
        "held a meeting with the Honorable Joseph R. Biden, Jr., President of the United States "
        "of America."
    ),
    (
        "On {md}, from {h12}:{mm} p.m. for about {minutes} minutes, Mr. Koichiro Gemba, "
        "Minister for Foreign Affairs of Japan, held a meeting with Senator the Hon Bob Carr, "
        "Minister for Foreign Affairs of Australia."
    ),
    (
        "Prime Minister Shinzo Abe hosted a summit meeting with H.E. Dr. Mahmoud Abbas, "
        "President of the Palestinian Authority, at the Prime Minister's Office."
    ),
    (
        "President Biden met today with President Yoon Suk Yeol of the Republic of Korea and "
        "Prime Minister Fumio Kishida of Japan on the sidelines of the NATO Summit."
    ),
]

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(
    lambda words: " ".join(words).capitalize() + "."
)
paragraph_lists = st.lists(sentences, min_size=1, max_size=3)


@st.composite
def structured_readouts(draw) -> tuple[str, dict]:
    """Readout text built from a known structure, and that structure."""
    day = draw(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2035, 12, 31)))
    hour = draw(st.integers(1, 9))
    opening = draw(st.sampled_from(OPENINGS)).format(
        md=f"{day:%B} {day.day}",
        h12=hour,
        h12j=hour + 2,
        mm=f"{draw(st.integers(0, 59)):02d}",
        minutes=draw(st.integers(5, 90)),
    )
    lead = [opening] + draw(st.lists(sentences, max_size=2))
    points = []
    for number in range(1, draw(st.integers(0, 5)) + 1):
        children = [
            {"label": f"({child})", "text": "\n\n".join(draw(paragraph_lists)), "children": []}
            for child in range(1, draw(st.integers(0, 3)) + 1)
        ]
        points.append(
            {
                "label": f"{number}.",
                "text": "\n\n".join(draw(paragraph_lists)),
                "children": children,
            }
        )
    status = draw(st.sampled_from([None, "[Provisional translation]", "[Official translation]"]))
    blank = draw(st.sampled_from(["\n", "\n\n"]))
    lines = [status] if status else []
    lines += [draw(st.sampled_from(TITLES)), f"{day:%B} {day.day}, {day.year}"]
    lines += lead
    for point in points:
        first, *rest = point["text"].split("\n\n")
        lines += [f"{point['label']} {first}", *rest]
        for child in point["children"]:
            child_first, *child_rest = child["text"].split("\n\n")
            lines += [f"{child['label']} {child_first}", *child_rest]
    lines.append(draw(st.sampled_from(["", "Back to Index", "(END)", "###"])))
    expected = {"date": day.isoformat(), "lead": "\n\n".join(lead), "points": points}
    return blank.join(lines), expected


@PROPERTY_SETTINGS
@given(structured_readouts())
def test_generated_readouts_parse_to_their_structure_and_round_trip(case):
    text, expected = case
    parsed = parse_readout(text)
    data = parsed.to_dict()
    assert data["date"] == expected["date"]
    assert data["lead"] == expected["lead"]
    assert data["points"] == expected["points"]
    formatted = format_readout(parsed)
    reparsed = parse_readout(formatted)
    assert comparable(reparsed) == comparable(parsed)
    assert format_readout(reparsed) == formatted


# Translation markers and kinds --------------------------------------------------------------

BODY = "The two leaders held a meeting and discussed regional issues."


HEAD = "Japan-U.S. Summit Meeting\nMay 1, 2023\n"
FOOTNOTE = "• (*The foregoing is a provisional translation.)"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (f"[Tentative translation]\n{HEAD}{BODY}\n", "provisional"),
        (f"{HEAD}[Provisional Translation]\n{BODY}\n", "provisional"),
        (f"{HEAD}{BODY}\n{FOOTNOTE}\n", "provisional"),
        (f"{HEAD}[Official translation]\n{BODY}\n", "official"),
        (f"{HEAD}{BODY}\n", None),
    ],
)
def test_translation_markers_wherever_they_stand(text, status):
    parsed = parse_readout(text)
    assert parsed.translation_status == status
    assert parsed.lead == BODY


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Japan-Australia Foreign Ministers' Telephone Talk", "foreign ministers' telephone talk"),
        ("Japan-U.S. Summit Video Conference", "summit video conference"),
        ("Courtesy Call on Prime Minister Kishida by the Governor of Hawaii", "courtesy call"),
        ("Japan-U.S.-ROK Summit Telephone Talk", "trilateral summit telephone talk"),
        ("Japan-U.S. Summit Working Lunch", "working lunch"),
        ("Visit to the Museum", None),
    ],
)
def test_kind_from_title(title, kind):
    parsed = parse_readout(f"{title}\n\nMay 1, 2023\n\n{BODY}\n")
    assert parsed.kind == kind
    if kind is None:
        assert any("kind" in warning for warning in parsed.warnings)
