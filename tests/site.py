"""The whole site as tests walk it: every URL pattern, and one archive to fill them with.

`url_routes()` lists every route in the URL conf; `make_site()` builds an
archive in which each kind of object exists once in public and once hidden
(a draft, a readout in review, a silently withdrawn one, an internal
annotation and workflow note), each hidden thing carrying a marker string the
public must never see. `site.url("/readouts/{draft}/")` fills a path template
with the slugs, keys and ids of those objects.
"""

import datetime
from dataclasses import dataclass, field

import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from rest_framework.authtoken.models import Token
from reversion.models import Version

from readouts.models import Annotation, Point, Readout, Tenure, WorkflowStep
from tests.builders import (
    country,
    make_annotation,
    make_meeting,
    make_occasion,
    make_participation,
    make_person,
    make_readout,
    make_topic,
    make_user,
)

# Words that exist only in hidden content. Plain words, so that search can find them.
MARKERS = {
    "draft": "Zqdraftmark",
    "review": "Zqreviewmark",
    "silent": "Zqsilentmark",
    "internal_annotation": "Zqinternalmark",
    "internal_note": "Zqnotemark",
    "draft_person": "Zqpersonmark",
    "draft_occasion": "Zqoccasionmark",
}

ROLES = ["anonymous", "no_role", "editor", "reviewer", "superuser"]


def url_routes():
    """Every route of the URL conf, as `resolve(path).route` spells it."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            # As ResolverMatch.route joins them: a nested regex loses its "^".
            route = prefix + (
                str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
            )
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return set(walk(get_resolver().url_patterns))


def route_of(path):
    return resolve(path.split("?")[0]).route


@dataclass
class Site:
    users: dict
    values: dict = field(default_factory=dict)

    def url(self, template):
        return template.format(**self.values)

    def client(self, role):
        """A test client signed in as `role`; a 500 comes back as a response."""
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def make_site():
    users = {
        "no_role": make_user("nora", is_staff=False),
        "editor": make_user("edith", Group.objects.get(name="Editors")),
        "reviewer": make_user("rex", Group.objects.get(name="Reviewers")),
        "superuser": make_user("sue", is_superuser=True),
    }
    author = users["editor"]
    kishida = make_person("KISHIDA Fumio", "KISHIDA", country="JP", slug="kishida-fumio")
    biden = make_person(slug="joseph-biden")
    Tenure.objects.create(person=biden, title="President", country=country("US"))
    north_korea = make_topic("North Korea")
    asean = make_occasion("ASEAN-related Summit Meetings", datetime.date(2022, 11, 11))

    meeting = make_meeting(occasion=asean)
    make_participation(meeting, kishida, "Prime Minister of Japan", "japan")
    make_participation(meeting, biden, "President of the United States", "counterpart", 1)
    published = make_readout(
        meeting,
        title="Japan-U.S. Summit Meeting",
        lead="On November 13 the two leaders met.",
        points=["The leaders discussed North Korea.", "They discussed semiconductors."],
    )
    first, second = published.points.all()
    first.topics.add(north_korea)
    translation = make_readout(
        meeting,
        title="日米首脳会談",
        language=Readout.Language.JAPANESE,
        points=["両首脳は北朝鮮について議論した。", "半導体について議論した。"],
    )
    for original, translated in zip(published.points.all(), translation.points.all(), strict=True):
        translated.translates = original
        translated.save()
    public_annotation = make_annotation(published, first, "North Korea", author, body="*Sic*.")
    internal = make_annotation(
        published,
        second,
        "semiconductors",
        author,
        body=f"{MARKERS['internal_annotation']}: check with the desk.",
        visibility=Annotation.Visibility.INTERNAL,
    )
    WorkflowStep.objects.create(
        readout=published,
        actor=author,
        action=WorkflowStep.Action.PUBLISH,
        note=f"{MARKERS['internal_note']} about the desk officer",
        public_note="First published.",
    )
    withdrawn = make_readout(
        make_meeting(date=datetime.date(2021, 5, 1)),
        title="Withdrawn With Notice Readout",
        status=Readout.Status.WITHDRAWN,
        withdrawal_note="Replaced by a corrected text.",
    )

    # Hidden: a draft of a meeting with its own person and occasion, one in review, one
    # withdrawn without notice.
    draft_person = make_person(
        f"{MARKERS['draft_person']} Lastname", MARKERS["draft_person"], country="FR"
    )
    draft_occasion = make_occasion(
        f"{MARKERS['draft_occasion']} Summit", datetime.date(2024, 6, 1), country_id="FR"
    )
    draft_meeting = make_meeting(
        date=datetime.date(2024, 6, 2), occasion=draft_occasion, city="Paris", country_id="FR"
    )
    make_participation(draft_meeting, draft_person, "President of France", "counterpart")
    make_participation(draft_meeting, kishida, "Prime Minister of Japan", "japan", 1)
    draft = make_readout(
        draft_meeting,
        title=f"{MARKERS['draft']} Summit Readout",
        lead=f"The {MARKERS['draft']} lead.",
        status=Readout.Status.DRAFT,
        created_by=author,
        points=[f"The leaders discussed {MARKERS['draft']} matters."],
    )
    make_annotation(draft, draft.points.get(), MARKERS["draft"], author, body="A note.")
    review = make_readout(
        make_meeting(date=datetime.date(2024, 7, 1), occasion=asean),
        title=f"{MARKERS['review']} Readout",
        status=Readout.Status.IN_REVIEW,
        created_by=author,
        points=[f"In review: {MARKERS['review']}."],
    )
    silent = make_readout(
        make_meeting(date=datetime.date(2022, 12, 1)),
        title=f"{MARKERS['silent']} Readout",
        status=Readout.Status.WITHDRAWN_SILENTLY,
        points=[f"Silently withdrawn: {MARKERS['silent']}."],
    )
    make_participation(review.meeting, biden, "President of the United States", "counterpart")

    # What the admin's history and recovery pages need: revisions, and a deleted readout.
    with reversion.create_revision():
        reversion.set_user(author)
        for readout in (published, draft):
            readout.save()
    with reversion.create_revision():
        gone = make_readout(make_meeting(), title="Deleted Readout", status=Readout.Status.DRAFT)
    gone_version = Version.objects.get_for_object(gone).get()
    gone.delete()

    Token.objects.create(user=users["editor"])
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="test", failures_since_start=1
    )
    AccessLog.objects.create(username="edith", ip_address="192.0.2.1", user_agent="test")
    AccessFailureLog.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="test", locked_out=False
    )

    values = {
        "published": published.slug,
        "year": published.meeting.date.year,
        "other": translation.slug,
        "draft": draft.slug,
        "review": review.slug,
        "silent": silent.slug,
        "withdrawn": withdrawn.slug,
        "point": first.key,
        "draft_point": draft.points.get().key,
        "country": "jp",
        "person": kishida.slug,
        "draft_person": draft_person.slug,
        "ordinal": 101,
        "occasion": asean.slug,
        "draft_occasion": draft_occasion.slug,
        "topic": north_korea.slug,
        "published_pk": published.pk,
        "draft_pk": draft.pk,
        "review_pk": review.pk,
        "meeting_pk": meeting.pk,
        "draft_meeting_pk": draft_meeting.pk,
        "point_pk": first.pk,
        "draft_point_pk": draft.points.get().pk,
        "annotation_pk": public_annotation.pk,
        "internal_annotation_pk": internal.pk,
        "readout_ct": ContentType.objects.get_for_model(Readout).pk,
        "point_ct": ContentType.objects.get_for_model(Point).pk,
        "gone_version": gone_version.pk,
    }
    # One object, and one of its versions where it has them, of every model in the admin.
    for model in admin.site._registry:
        opts = model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        instance = model.objects.order_by("pk").first()
        values[f"{name}_pk"] = instance.pk
        if reversion.is_registered(model):
            if not Version.objects.get_for_object(instance).exists():
                with reversion.create_revision():
                    instance.save()
            values[f"{name}_version"] = Version.objects.get_for_object(instance).first().pk
    return Site(users=users, values=values)
