"""The import_readouts and export_readouts commands, as an operator runs them."""

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readouts.models import Meeting, Person, Readout, WorkflowStep
from tests.builders import make_annotation
from tests.conftest import READOUTS_DIR, SEED_PATH

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_readouts", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    return out.getvalue(), err.getvalue(), 0


def test_seed_imports_as_a_draft_with_every_fact(tmp_path):
    shutil.copy(SEED_PATH, tmp_path)
    shutil.copy(READOUTS_DIR / "sources.json", tmp_path)
    _, err, code = run(tmp_path / SEED_PATH.name)

    assert code == 0, err
    readout = Readout.objects.get()
    meeting = readout.meeting
    assert readout.status == Readout.Status.DRAFT
    assert readout.issuer.slug == "kantei"
    assert readout.source_url.startswith("https://japan.kantei.go.jp/")
    assert readout.translation_status == "provisional"
    assert readout.source_text == SEED_PATH.read_text(encoding="utf-8")
    assert (str(meeting.date), str(meeting.start_time), meeting.time_zone) == (
        "2022-11-13",
        "14:55:00",
        "Asia/Phnom_Penh",
    )
    assert meeting.starts_at_japan_time.strftime("%H:%M") == "16:55"
    assert (meeting.duration_minutes, meeting.duration_approximate) == (40, True)
    assert (meeting.city, meeting.country_id) == ("Phnom Penh", "KH")
    assert meeting.occasion.name == "ASEAN-related Summit Meetings"
    assert meeting.kind == Meeting.Kind.SUMMIT_MEETING
    assert [(p.person.name_form, p.title, p.side) for p in meeting.participations.all()] == [
        ("KISHIDA Fumio", "Prime Minister of Japan", "japan"),
        ("Joseph R. Biden, Jr.", "President of the United States of America", "counterpart"),
    ]
    # The prime minister is the one the archive already knows, not a new person.
    assert Person.objects.filter(family_name__iexact="kishida").count() == 1
    top = readout.points.filter(parent=None)
    assert [p.label for p in top] == ["1.", "2.", "3.", "4.", "5."]
    assert [p.label for p in top.get(label="2.").children.all()] == ["(1)", "(2)", "(3)"]
    assert "attemtps" in top.get(label="1.").text
    assert "Archives" not in "".join(p.text for p in readout.points.all()) + readout.lead


def test_reimport_updates_and_keeps_point_keys(tmp_path):
    shutil.copy(SEED_PATH, tmp_path)
    shutil.copy(READOUTS_DIR / "sources.json", tmp_path)
    run(tmp_path)
    keys = dict(Readout.objects.get().points.values_list("label", "key"))

    edited = SEED_PATH.read_text(encoding="utf-8").replace(
        "Prime Minister Kishida urged", "He urged"
    )
    (tmp_path / SEED_PATH.name).write_text(edited, encoding="utf-8")
    _, err, code = run(tmp_path)

    assert code == 0, err
    assert "0 new, 1 updated" in err
    readout = Readout.objects.get()
    assert dict(readout.points.values_list("label", "key")) == keys
    assert "He urged" in readout.points.get(label="4.").text

    with CaptureQueriesContext(connection) as queries:
        run(tmp_path)  # once more as it is: no point has anything new to write
    assert not [query for query in queries if '"readouts_point" SET' in query["sql"]]


def test_reimport_of_a_new_structure_keeps_the_points_that_stay(tmp_path, editor):
    shutil.copy(SEED_PATH, tmp_path)
    shutil.copy(READOUTS_DIR / "sources.json", tmp_path)
    run(tmp_path)
    readout = Readout.objects.get()

    def tree():
        return {
            point.full_label: (point.key, point.pk)
            for point in readout.points.select_related("parent")
        }

    before = tree()
    fourth = readout.points.get(label="4.")
    make_annotation(readout, fourth, "TPP", editor)
    text = SEED_PATH.read_text(encoding="utf-8")
    (point_2_3,) = [part for part in text.split("\n\n") if part.startswith("(3)")]
    (point_5,) = [part for part in text.split("\n\n") if part.startswith("5.")]
    edited = text.replace("\n\n" + point_2_3, "").replace(
        point_5,
        point_5 + "\n\n6. The two leaders agreed to meet again.\n(1) In Tokyo.\n\n(2) Soon.",
    )
    (tmp_path / SEED_PATH.name).write_text(edited, encoding="utf-8")
    with CaptureQueriesContext(connection) as queries:
        _, err, code = run(tmp_path)

    assert code == 0, err
    # Written level by level, however many points: labels given up, then an
    # update and an insert a level, and the point dropped let go by its translations.
    point_writes = [
        query["sql"]
        for query in queries
        if query["sql"].startswith(('UPDATE "readouts_point"', 'INSERT INTO "readouts_point"'))
    ]
    assert len(point_writes) <= 6, point_writes
    after = tree()
    assert list(after) == ["1", "2", "2(1)", "2(2)", "3", "4", "5", "6", "6(1)", "6(2)"]
    for label in ["1", "2", "2(1)", "2(2)", "3", "4", "5"]:
        assert after[label] == before[label], label
    assert {after[label][0] for label in ["6", "6(1)", "6(2)"]}.isdisjoint(
        key for key, _ in before.values()
    )
    six = readout.points.get(label="6.")
    assert [(c.label, c.text) for c in six.children.all()] == [
        ("(1)", "In Tokyo."),
        ("(2)", "Soon."),
    ]
    positions = list(readout.points.values_list("position", flat=True))
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert fourth.annotations.get().exact == "TPP"


def test_reimport_replaces_the_points_an_editor_added_without_labels(tmp_path):
    path = tmp_path / "talk.txt"
    path.write_text(
        "Japan-Freedonia Foreign Ministers' Talk\n\nJuly 1, 2023\n\n"
        "1. The two sides discussed cooperation.\n\n2. They will meet again.\n"
    )
    run(tmp_path, "--issuer", "kantei")
    readout = Readout.objects.get()
    for position in (15, 25):
        readout.points.create(label="", text="A paragraph an editor added.", position=position)
    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 0, err
    assert [(p.label, p.text) for p in readout.points.all()] == [
        ("1.", "The two sides discussed cooperation."),
        ("2.", "They will meet again."),
    ]


def test_publish_records_the_importing_user(tmp_path, reviewer):
    shutil.copy(SEED_PATH, tmp_path)
    _, err, code = run(tmp_path, "--publish", "--user", "rita", "--issuer", "kantei")

    assert code == 0, err
    readout = Readout.objects.get()
    assert readout.status == Readout.Status.PUBLISHED
    assert readout.published_by == reviewer
    step = readout.workflow_steps.get()
    assert (step.action, step.actor) == (WorkflowStep.Action.PUBLISH, reviewer)


def test_bad_files_fail_one_by_one_and_the_good_one_lands(tmp_path):
    shutil.copy(SEED_PATH, tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "utf16.txt").write_bytes(SEED_PATH.read_text().encode("utf-16-le"))
    (tmp_path / "huge.txt").write_bytes(
        b"Japan-U.S. Summit\n\nNovember 13, 2022\n" + b"x" * 1_100_000
    )
    (tmp_path / "undated.txt").write_text("Japan-U.S. Summit Meeting\n\nThe leaders met.\n")

    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 1
    failures = [line for line in err.splitlines() if line.startswith(str(tmp_path))]
    assert sorted(Path(line.split(":", 1)[0]).name for line in failures) == [
        "binary.txt",
        "empty.txt",
        "huge.txt",
        "undated.txt",
        "utf16.txt",
    ]
    assert all(len(line.split(": ", 1)[1]) > 10 for line in failures)
    assert "Traceback" not in err
    assert "5 of 6 files failed" in err
    assert Readout.objects.get().title == "Japan-U.S. Summit Meeting"
    # The summary says how long the import took: what a rate is measured by.
    assert re.search(
        r"^Imported 1 of 6 files: 1 new, 0 updated, 0 published; \d+ warnings; 5 failed; "
        r"in \d+\.\d\d s\.$",
        err,
        re.MULTILINE,
    )


def test_dry_run_prints_json_and_saves_nothing(tmp_path):
    shutil.copy(SEED_PATH, tmp_path)
    (tmp_path / "empty.txt").write_text("")
    out, _, code = run(tmp_path, "--dry-run", "--json")

    assert code == 1
    results = {Path(item["file"]).name: item for item in json.loads(out)}
    seed = results[SEED_PATH.name]
    assert seed["date"] == "2022-11-13"
    assert (seed["start_time_local"], seed["start_time_japan"]) == ("14:55", "16:55")
    assert seed["translation_status"] == "provisional"
    assert [p["label"] for p in seed["points"][1]["children"]] == ["(1)", "(2)", "(3)"]
    assert set(results["empty.txt"]) == {"file", "error"}
    assert not Readout.objects.exists() and not Meeting.objects.exists()


def test_demo_corpus_imports_and_readouts_of_one_meeting_share_it(tmp_path):
    _, err, code = run(READOUTS_DIR, "--publish")
    assert code == 0, err
    assert Readout.objects.public().count() == 9
    assert Readout.objects.filter(issuer__slug="white-house").count() == 3


def test_export_as_text_reimports_to_the_same_structure(tmp_path):
    run(READOUTS_DIR, "--publish")
    before = structure()
    call_command(
        "export_readouts", "--format", "text", "--output", str(tmp_path), stderr=StringIO()
    )
    _, err, code = run(tmp_path)

    assert code == 0, err
    assert "0 new, 9 updated" in err
    assert structure() == before


def structure():
    return sorted(
        (
            r.title,
            str(r.published_on),
            r.translation_status,
            r.meeting.kind,
            str(r.meeting.start_time),
            r.meeting.duration_minutes,
            r.meeting.country_id,
            [(p.label, p.text, p.parent and p.parent.label) for p in r.points.all()],
        )
        for r in Readout.objects.all()
    )


def test_export_json_lists_published_readouts():
    run(READOUTS_DIR, "--publish")
    out = StringIO()
    call_command("export_readouts", stdout=out)
    documents = json.loads(out.getvalue())
    assert len(documents) == 9
    assert {d["status"] for d in documents} == {"published"}


def test_a_person_named_briefly_first_gets_the_fuller_name_later():
    run(READOUTS_DIR, "--publish")
    biden = Person.objects.get(family_name="Biden")
    assert biden.name_form == "Joseph R. Biden, Jr."
    assert biden.participations.count() == 5


def test_saved_html_page_and_japanese_original_import(tmp_path):
    written = Path(__file__).parent / "data" / "readouts"
    shutil.copy(written / "saved-page.html", tmp_path)
    shutil.copy(written / "japanese-original.txt", tmp_path)
    _, err, code = run(tmp_path, "--issuer", "mofa")

    assert code == 0, err
    japanese = Readout.objects.get(language="ja")
    assert japanese.points.filter(parent=None).exists()
    page = Readout.objects.get(source_text__startswith="<")
    assert "<script" not in " ".join(p.text for p in page.points.all()) + page.lead
    assert page.points.exists()


def test_batch_falls_back_to_one_by_one_when_the_bulk_write_fails(tmp_path, monkeypatch):
    from django.db import DatabaseError

    from readouts.importing import Importer

    def refuse(self, items):
        raise DatabaseError("simulated failure of the bulk write")

    monkeypatch.setattr(Importer, "create_in_bulk", refuse)
    _, err, code = run(READOUTS_DIR, "--publish")

    assert code == 0, err
    assert Readout.objects.public().count() == 9


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite does not enforce lengths")
def test_a_file_the_database_refuses_fails_alone(tmp_path):
    shutil.copy(SEED_PATH, tmp_path / "good.txt")
    text = SEED_PATH.read_text(encoding="utf-8")
    (tmp_path / "long-title.txt").write_text(text.replace("Japan-U.S. Summit Meeting", "X" * 500))
    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 1
    assert "long-title.txt: the database refused it" in err
    assert Readout.objects.get().title == "Japan-U.S. Summit Meeting"


def test_original_and_translation_in_one_batch_share_their_meeting(tmp_path):
    text = SEED_PATH.read_text(encoding="utf-8")
    (tmp_path / "a-translation.txt").write_text(text)
    original = text.replace("[Provisional translation]\n", "").replace(
        "Japan-U.S. Summit Meeting", "Japan-U.S. Summit Meeting (original)"
    )
    (tmp_path / "b-original.txt").write_text(original)
    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 0, err
    assert Meeting.objects.count() == 1
    assert Readout.objects.count() == 2


def test_bulk_slugs_skip_those_taken_in_the_archive_and_in_the_batch():
    from readouts.importing import unique_slugs
    from readouts.models import Occasion

    Occasion.objects.create(name="Summit", slug="summit-2003")
    Occasion.objects.create(name="Summit", slug="summit-2003-2")
    assert unique_slugs(Occasion, ["Summit 2003", "Summit 2003", "Other 2003"]) == [
        "summit-2003-3",
        "summit-2003-4",
        "other-2003",
    ]


@pytest.fixture
def one_by_one(monkeypatch):
    """The readouts the importer writes one at a time, rather than in bulk."""
    from readouts.importing import Importer

    written = []
    original = Importer.import_readout
    monkeypatch.setattr(
        Importer,
        "import_readout",
        lambda self, *a, **k: written.append(a) or original(self, *a, **k),
    )
    return written


def test_a_large_batch_is_written_in_bulk(tmp_path, one_by_one):
    texts = SEED_PATH.read_text(encoding="utf-8")
    for year in range(2001, 2031):
        (tmp_path / f"{year}.txt").write_text(
            texts.replace("November 13, 2022", f"November 13, {year}")
        )
    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 0, err
    assert Readout.objects.count() == 30
    assert one_by_one == []


def test_readouts_naming_no_meeting_go_in_bulk_and_a_repeated_file_updates(tmp_path, one_by_one):
    """Readouts naming fewer than two people cannot name a shared meeting (find_meeting):
    on one day they are written in bulk, each a meeting of its own. The same file twice in
    one batch is one readout, imported and then updated."""
    for number, country in enumerate(["Freedonia", "Sylvania", "Ruritania"]):
        (tmp_path / f"{number}.txt").write_text(
            f"Japan-{country} Foreign Ministers' Talk\n\nJuly 1, 2023\n\n"
            "1. The two sides discussed cooperation.\n"
        )
    shutil.copy(tmp_path / "0.txt", tmp_path / "0-again.txt")
    _, err, code = run(tmp_path, "--issuer", "kantei")

    assert code == 0, err
    assert Readout.objects.count() == 3
    assert Meeting.objects.count() == 3
    assert len(one_by_one) == 1  # the repeated file, as an update


def test_files_are_parsed_in_a_thread_beside_the_writes_and_reported_in_order(
    tmp_path, monkeypatch
):
    import threading

    from readouts.management.commands import import_readouts

    monkeypatch.setattr(import_readouts, "COMMIT_EVERY", 2)
    parsed_in = []
    parse = import_readouts.parse_readout_bytes
    monkeypatch.setattr(
        import_readouts,
        "parse_readout_bytes",
        lambda *args, **kwargs: (
            parsed_in.append(threading.current_thread()) or parse(*args, **kwargs)
        ),
    )
    texts = SEED_PATH.read_text(encoding="utf-8")
    for year in (2001, 2002, 2004, 2005):
        (tmp_path / f"{year}.txt").write_text(
            texts.replace("November 13, 2022", f"November 13, {year}")
        )
    (tmp_path / "2003.txt").write_text("")

    out, err, code = run(tmp_path, "--issuer", "kantei", "--json")

    assert code == 1
    outcomes = json.loads(out)
    assert [Path(o["file"]).stem for o in outcomes] == ["2001", "2002", "2003", "2004", "2005"]
    assert ["error" in o for o in outcomes] == [False, False, True, False, False]
    assert sorted(r.published_on.year for r in Readout.objects.all()) == [2001, 2002, 2004, 2005]
    assert len(parsed_in) == 5 and threading.current_thread() not in parsed_in


@pytest.mark.parametrize("tag, refused", [("models", True), ("urls", False), ("admin", False)])
def test_an_import_runs_the_checks_of_what_it_relies_on(tmp_path, tag, refused):
    # The others import the URLconf and the admin: a third of a second a run.
    def failing(app_configs, **kwargs):
        return [checks.Error(f"A failing {tag} check.", id="tests.E001")]

    shutil.copy(SEED_PATH, tmp_path)
    checks.register(failing, tag)
    try:
        if refused:
            with pytest.raises(SystemCheckError, match=f"A failing {tag} check"):
                call_command("import_readouts", tmp_path, issuer="kantei", skip_checks=False)
        else:
            call_command("import_readouts", tmp_path, issuer="kantei", skip_checks=False)
    finally:
        checks.registry.registry.registered_checks.discard(failing)
    assert Readout.objects.count() == (0 if refused else 1)
