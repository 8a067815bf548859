"""Editors' work in the admin, driven through the real add and change forms."""

import datetime
import re

import pytest
from reversion.models import Version

from readouts.models import Annotation, Meeting, Occasion, Person, Point, Readout
from tests.builders import make_annotation, make_readout

pytestmark = pytest.mark.django_db


def inline(prefix, rows, initial=0):
    """POST data for an admin inline formset: its management form and rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def empty_inlines(*prefixes):
    data = {}
    for prefix in prefixes:
        data.update(inline(prefix, []))
    return data


def assert_saved(response):
    errors = response.context and [form.errors for form in response.context.get("errors", [])]
    assert response.status_code == 302, f"not saved: {errors or response.content[:2000]}"


def seed_paragraphs(seed_text):
    """The seed's lead and its points, cut at the printed labels."""
    body = seed_text.split("[Provisional translation]", 1)[1]
    body = body.split("Archives (", 1)[0].strip()
    lead, rest = body.split("\n\n", 1)
    chunks = re.split(r"\n\s*(?=\d\.\s|\(\d\)\s)", "\n" + rest)
    points = []
    for chunk in filter(str.strip, chunks):
        label, text = chunk.strip().split(" ", 1)
        points.append((label, " ".join(text.split())))
    return lead.strip(), points


def test_seed_entered_through_admin_forms_round_trips(reviewer_client, seed_text):
    client = reviewer_client
    biden = {
        "family_name": "Biden",
        "given_name": "Joseph R.",
        "name_form": "Joseph R. Biden, Jr.",
        "honorific": "the Honorable",
        "country": "US",
        "slug": "joseph-r-biden-jr",
        **inline(
            "tenures",
            [
                {
                    "title": "President of the United States of America",
                    "country": "US",
                    "started_on": "2021-01-20",
                }
            ],
        ),
    }
    assert_saved(client.post("/admin/readouts/person/add/", biden))
    biden = Person.objects.get(slug="joseph-r-biden-jr")
    kishida = Person.objects.get(name_form="KISHIDA Fumio")

    occasion = {
        "name": "ASEAN-related Summit Meetings",
        "slug": "asean-related-summit-meetings-2022",
        "started_on": "2022-11-11",
        "ended_on": "2022-11-13",
        "city": "Phnom Penh",
        "country": "KH",
    }
    assert_saved(client.post("/admin/readouts/occasion/add/", occasion))
    occasion = Occasion.objects.get(slug="asean-related-summit-meetings-2022")

    meeting = {
        "kind": "summit_meeting",
        "occasion": occasion.pk,
        "date": "2022-11-13",
        "start_time": "14:55",
        "time_zone": "Asia/Phnom_Penh",
        "duration_minutes": "40",
        "duration_approximate": "on",
        "city": "Phnom Penh",
        "country": "KH",
        "location_text": "visiting Phnom Penh, Cambodia",
        **inline(
            "participations",
            [
                {
                    "position": "1",
                    "person": kishida.pk,
                    "title": "Prime Minister of Japan",
                    "country": "JP",
                    "side": "japan",
                },
                {
                    "position": "2",
                    "person": biden.pk,
                    "title": "President of the United States of America",
                    "country": "US",
                    "side": "counterpart",
                },
            ],
        ),
    }
    assert_saved(client.post("/admin/readouts/meeting/add/", meeting))
    meeting = Meeting.objects.get()

    lead, paragraphs = seed_paragraphs(seed_text)
    top_level = [(label, text) for label, text in paragraphs if label.endswith(".")]
    sub_points = [(label, text) for label, text in paragraphs if label.startswith("(")]
    readout = {
        "title": "Japan-U.S. Summit Meeting",
        "slug": "2022-11-13-japan-us-summit-meeting",
        "meeting": meeting.pk,
        "issuer": 1,
        "published_on": "2022-11-13",
        "language": "en",
        "translation_status": "provisional",
        "lead": lead,
        "source_url": "https://japan.kantei.go.jp/101_kishida/diplomatic/202211/13usa.html",
        "source_text": seed_text,
        "withdrawal_note": "",
        **inline(
            "points",
            [
                {"position": str(10 * n), "label": label, "text": text}
                for n, (label, text) in enumerate(top_level, start=1)
            ],
        ),
        **empty_inlines("annotations", "workflow_steps"),
    }
    assert_saved(client.post("/admin/readouts/readout/add/", readout))
    saved = Readout.objects.get()
    point_2 = saved.points.get(label="2.")
    point_1 = saved.points.get(label="1.")

    existing = list(saved.points.order_by("position"))
    readout.update(
        loaded_version=str(saved.version),
        **inline(
            "points",
            [
                {
                    "id": p.pk,
                    "readout": saved.pk,
                    "position": p.position,
                    "label": p.label,
                    "text": p.text,
                }
                for p in existing
            ]
            + [
                {"position": str(20 + n), "label": label, "parent": point_2.pk, "text": text}
                for n, (label, text) in enumerate(sub_points, start=1)
            ],
            initial=len(existing),
        ),
        **inline(
            "annotations",
            [
                {
                    "point": point_1.pk,
                    "kind": "correction",
                    "visibility": "public",
                    "exact": "attemtps",
                    "prefix": "continuing unilateral ",
                    "suffix": " to change",
                    "body": "Sic: *attempts*.",
                }
            ],
        ),
    )
    assert_saved(client.post(f"/admin/readouts/readout/{saved.pk}/change/", readout))

    saved = Readout.objects.get()
    meeting = saved.meeting
    assert meeting.date == datetime.date(2022, 11, 13)
    assert meeting.start_time == datetime.time(14, 55)
    assert meeting.starts_at_japan_time.time() == datetime.time(16, 55)
    assert (meeting.duration_minutes, meeting.duration_approximate) == (40, True)
    assert (meeting.city, meeting.country_id) == ("Phnom Penh", "KH")
    assert meeting.occasion.name == "ASEAN-related Summit Meetings"
    assert meeting.administration.ordinal == 101
    leaders = [
        (p.person.name_form, p.title, p.country_id, p.side)
        for p in meeting.participations.order_by("position")
    ]
    assert leaders == [
        ("KISHIDA Fumio", "Prime Minister of Japan", "JP", "japan"),
        ("Joseph R. Biden, Jr.", "President of the United States of America", "US", "counterpart"),
    ]
    assert saved.translation_status == Readout.TranslationStatus.PROVISIONAL
    assert [p.label for p in saved.points.filter(parent=None)] == ["1.", "2.", "3.", "4.", "5."]
    assert [p.label for p in saved.points.get(label="2.").children.all()] == ["(1)", "(2)", "(3)"]
    assert saved.points.filter(parent__isnull=False).exclude(parent__label="2.").count() == 0
    assert "attemtps" in saved.points.get(label="1.").text
    annotation = saved.annotations.get()
    assert (annotation.kind, annotation.exact, annotation.author.username) == (
        "correction",
        "attemtps",
        "rita",
    )
    assert saved.source_text == seed_text
    assert saved.created_by.username == "rita"


def test_annotation_quote_missing_from_point_is_refused_in_the_form(reviewer_client, reviewer):
    readout = make_readout(created_by=reviewer, points=["The leaders met."])
    point = readout.points.get()
    data = change_form_data(readout)
    data.update(
        inline(
            "annotations",
            [
                {
                    "point": point.pk,
                    "kind": "context",
                    "visibility": "public",
                    "exact": "never said",
                    "body": "x",
                }
            ],
        )
    )
    response = reviewer_client.post(f"/admin/readouts/readout/{readout.pk}/change/", data)
    assert response.status_code == 200
    assert "does not occur in point 1" in response.content.decode()
    assert not Annotation.objects.exists()


def change_form_data(readout, **changes):
    fields = {
        "title": readout.title,
        "slug": readout.slug,
        "meeting": readout.meeting_id,
        "issuer": readout.issuer_id,
        "published_on": readout.published_on.isoformat(),
        "language": readout.language,
        "translation_status": readout.translation_status,
        "lead": readout.lead,
        "source_url": readout.source_url,
        "source_text": readout.source_text,
        "withdrawal_note": readout.withdrawal_note,
        "loaded_version": readout.version,
    }
    points = list(readout.points.all())
    fields.update(
        inline(
            "points",
            [
                {
                    "id": p.pk,
                    "readout": readout.pk,
                    "position": p.position,
                    "label": p.label,
                    "text": p.text,
                    "parent": p.parent_id or "",
                }
                for p in points
            ],
            initial=len(points),
        )
    )
    fields.update(empty_inlines("annotations", "workflow_steps"))
    fields.update(changes)
    return fields


def test_second_of_two_concurrent_saves_gets_a_conflict(client, editor, second_editor):
    readout = make_readout(created_by=editor, status=Readout.Status.DRAFT)
    url = f"/admin/readouts/readout/{readout.pk}/change/"
    client.force_login(editor)
    assert client.get(url).status_code == 200
    first = change_form_data(readout, title="Title by the first editor")
    second = change_form_data(readout, title="Title by the second editor")

    assert_saved(client.post(url, first))
    client.force_login(second_editor)
    response = client.post(url, second)

    assert response.status_code == 200
    assert "Someone else saved this readout" in response.content.decode()
    assert Readout.objects.get().title == "Title by the first editor"


def test_workflow_page_publishes_and_records_the_reason(reviewer_client, reviewer):
    readout = make_readout(created_by=reviewer, status=Readout.Status.DRAFT)
    url = f"/admin/readouts/readout/{readout.pk}/workflow/publish/"

    refused = reviewer_client.post(url, {"note": "", "public_note": ""})
    assert refused.status_code == 200
    assert "needs a recorded reason" in refused.content.decode()
    assert Readout.objects.get().status == Readout.Status.DRAFT

    done = reviewer_client.post(url, {"note": "Urgent correction.", "public_note": ""})
    assert done.status_code == 302
    assert Readout.objects.get().status == Readout.Status.PUBLISHED


def test_editor_cannot_publish_through_the_workflow_page(editor_client, editor):
    readout = make_readout(created_by=editor, status=Readout.Status.DRAFT)
    editor_client.post(
        f"/admin/readouts/readout/{readout.pk}/workflow/publish/",
        {"note": "Please.", "public_note": ""},
    )
    assert Readout.objects.get().status == Readout.Status.DRAFT


def test_edit_delete_restore_gives_back_points_and_annotations(reviewer_client, reviewer):
    readout = make_readout(created_by=reviewer, points=["First point.", "Second point."])
    make_annotation(readout, readout.points.get(label="1."), "First", reviewer)
    url = f"/admin/readouts/readout/{readout.pk}/change/"
    edited = change_form_data(readout, title="Edited title", change_note="Title corrected.")
    assert_saved(reviewer_client.post(url, edited))

    assert_saved(
        reviewer_client.post(f"/admin/readouts/readout/{readout.pk}/delete/", {"post": "yes"})
    )
    assert not Readout.objects.exists() and not Point.objects.exists()

    deleted = Version.objects.get_deleted(Readout).get()
    recover = f"/admin/readouts/readout/recover/{deleted.pk}/"
    assert reviewer_client.get(recover).status_code == 200
    assert_saved(
        reviewer_client.post(
            recover,
            change_form_data(
                Readout(
                    **{
                        f.attname: getattr(deleted._object_version.object, f.attname)
                        for f in Readout._meta.concrete_fields
                    }
                )
            ),
        )
    )

    restored = Readout.objects.get()
    assert restored.title == "Edited title"
    assert [p.text for p in restored.points.all()] == ["First point.", "Second point."]
    assert restored.annotations.get().exact == "First"


def test_changing_a_published_readout_needs_a_public_change_note(reviewer_client, reviewer):
    readout = make_readout(created_by=reviewer, title="Original title")
    url = f"/admin/readouts/readout/{readout.pk}/change/"

    refused = reviewer_client.post(url, change_form_data(readout, title="New title"))
    assert refused.status_code == 200
    assert "say what you changed" in refused.content.decode()
    assert Readout.objects.get().title == "Original title"

    data = change_form_data(readout, title="New title", change_note="Title corrected.")
    assert_saved(reviewer_client.post(url, data))
    step = Readout.objects.get().workflow_steps.get()
    assert (step.action, step.public_note) == ("revise", "Title corrected.")


def test_bulk_publish_is_offered_to_reviewers_only_and_skips_own_unreviewed(
    client, editor, reviewer
):
    theirs = make_readout(created_by=editor, status=Readout.Status.IN_REVIEW, title="Theirs")
    own = make_readout(created_by=reviewer, status=Readout.Status.DRAFT, title="Own")
    action = {"action": "publish_selected", "_selected_action": [theirs.pk, own.pk]}

    client.force_login(editor)
    assert "publish_selected" not in client.get("/admin/readouts/readout/").content.decode()
    client.post("/admin/readouts/readout/", action)
    assert Readout.objects.filter(status=Readout.Status.PUBLISHED).count() == 0

    client.force_login(reviewer)
    response = client.post("/admin/readouts/readout/", action, follow=True)
    assert set(Readout.objects.filter(status="published").values_list("title", flat=True)) == {
        "Theirs"
    }
    assert "needs a recorded reason" in response.content.decode()


ADMIN_PAGES = [
    "country",
    "person",
    "tenure",
    "administration",
    "occasion",
    "topic",
    "issuer",
    "meeting",
    "participation",
    "readout",
    "point",
    "annotation",
]


@pytest.mark.parametrize("model", ["readout", "point"])
def test_the_admin_searches_readouts_and_points_as_the_public_search_does(admin_client, model):
    make_readout(title="Quokkas", points=["The leaders spoke of quokkas."])
    make_readout(title="Talks", points=["Quokkas, and trade."])
    make_readout(title="Trade", points=["The leaders spoke of trade."])
    response = admin_client.get(f"/admin/readouts/{model}/", {"q": "quokkas -trade"})
    found = [getattr(row, "title", None) or row.text for row in response.context["cl"].result_list]
    assert found == (["Quokkas"] if model == "readout" else ["The leaders spoke of quokkas."])


def test_an_autocomplete_finds_readouts_by_a_half_typed_word(admin_client):
    make_readout(title="Japan-U.S. Summit Meeting")
    make_readout(title="日米首脳会談", language="ja")
    make_readout(title="Japan-China Foreign Ministers' Meeting")

    def offered(term):
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "term": term,
                "app_label": "readouts",
                "model_name": "annotation",
                "field_name": "readout",
            },
        )
        return {result["text"] for result in response.json()["results"]}

    assert offered("summ") == {"Japan-U.S. Summit Meeting"}
    assert offered("Japan-U") == {"Japan-U.S. Summit Meeting"}
    assert offered("首脳") == {"日米首脳会談"}
    assert offered("meet -chin") == {"Japan-U.S. Summit Meeting"}


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_every_model_has_a_working_admin_list_and_search(admin_client, model):
    make_readout(points=["The leaders met."])
    response = admin_client.get(f"/admin/readouts/{model}/", {"q": "leaders"})
    assert response.status_code == 200
