"""The archive's domain: meetings (events) and the readouts (documents) about them.

A Meeting is what happened: when, where, on what occasion, who took part.
A Readout is one government's account of it, in one language, made of
numbered Points that editors annotate. Readouts move through an editorial
workflow; only published ones are public, and `Readout.objects.public()`
is the single place that rule is written.
"""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .markdown import render_markdown
from .search import search_points, search_readouts

JAPAN_TIME = ZoneInfo("Asia/Tokyo")


def validate_time_zone(value):
    if value and value not in available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as Asia/Tokyo.")


def new_point_key():
    return secrets.token_hex(4)


class Country(models.Model):
    code = models.CharField(
        "ISO 3166 code", max_length=2, primary_key=True, help_text="Two letters, e.g. JP, US."
    )
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_two_capitals"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("readouts:country", args=[self.code.lower()])


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People the public may look up: in a meeting with a public readout, or prime
        ministers. Someone named only in a draft stays unknown."""
        # As semi-joins: joined, a prime minister's tens of thousands of
        # participations were each read and then made distinct again.
        in_a_public_meeting = Participation.objects.filter(
            person=OuterRef("pk"), meeting__readouts__in=Readout.objects.public()
        )
        prime_minister = Administration.objects.filter(prime_minister=OuterRef("pk"))
        return self.filter(Exists(in_a_public_meeting) | Exists(prime_minister))

    def visible_to(self, user):
        return self.all() if user.has_perm("readouts.view_person") else self.public()


@reversion.register()
class Person(models.Model):
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100, blank=True)
    name_form = models.CharField(
        max_length=200,
        help_text="The name as the source prints it: “KISHIDA Fumio”, “Joseph R. Biden, Jr.”",
    )
    honorific = models.CharField(
        max_length=50, blank=True, help_text="As printed: “Mr.”, “H.E. Dr.”, “the Honorable”."
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people")
    slug = models.SlugField(max_length=120, unique=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name_form

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person, self.name_form)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("readouts:person", args=[self.slug])


class Tenure(models.Model):
    """An office a person held between two dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tenures")
    title = models.CharField(max_length=200, help_text="e.g. “Prime Minister of Japan”.")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while in office.")

    class Meta:
        ordering = ["person", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="tenure_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.person}, {self.title}"


class AdministrationQuerySet(models.QuerySet):
    def in_office_on(self, day):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)


@reversion.register()
class Administration(models.Model):
    """A Japanese prime minister's term, by its ordinal (the 101st, say)."""

    ordinal = models.PositiveSmallIntegerField(unique=True)
    prime_minister = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="administrations"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while in office.")

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-ordinal"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="administration_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{ordinal(self.ordinal)} prime minister ({self.prime_minister})"

    def get_absolute_url(self):
        return reverse("readouts:administration", args=[self.ordinal])

    @property
    def meetings(self):
        return Meeting.objects.during(self)


class OccasionQuerySet(models.QuerySet):
    def public(self):
        """Occasions of meetings with a public readout."""
        held = Meeting.objects.filter(
            occasion=OuterRef("pk"), readouts__in=Readout.objects.public()
        )
        return self.filter(Exists(held))

    def visible_to(self, user):
        return self.all() if user.has_perm("readouts.view_occasion") else self.public()


@reversion.register()
class Occasion(models.Model):
    """A parent event during which meetings take place: a summit, a conference."""

    name = models.CharField(max_length=200, help_text="e.g. “ASEAN-related Summit Meetings”.")
    slug = models.SlugField(max_length=220, unique=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="occasions"
    )

    objects = OccasionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "started_on"], name="occasion_unique_per_start")
        ]

    def __str__(self):
        return f"{self.name} ({self.started_on:%Y})" if self.started_on else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = f"{self.name} {self.started_on:%Y}" if self.started_on else self.name
            self.slug = unique_slug(Occasion, base)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("readouts:occasion", args=[self.slug])


class TopicQuerySet(models.QuerySet):
    def with_subtopics(self):
        """These topics and those beneath them: North Korea covers the abductions issue."""
        return Topic.objects.filter(Q(pk__in=self.values("pk")) | Q(parent__in=self.values("pk")))


def covered(topics):
    """`topics` and their subtopics."""
    return Topic.objects.filter(pk__in=[topic.pk for topic in topics]).with_subtopics()


@reversion.register()
class Topic(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # topic_unique_name_per_parent begins with it
        related_name="children",
    )
    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name_per_parent")
        ]

    def __str__(self):
        return f"{self.parent} > {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("readouts:topic", args=[self.slug])


class Issuer(models.Model):
    """Who published a readout: an office or ministry of a government."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True, help_text="e.g. “MOFA”, “Kantei”.")
    slug = models.SlugField(max_length=60, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="issuers")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    def during(self, administration):
        meetings = self.filter(date__gte=administration.started_on)
        if administration.ended_on:
            meetings = meetings.filter(date__lte=administration.ended_on)
        return meetings

    def with_public_readouts(self):
        return self.filter(Exists(Readout.objects.public().filter(meeting=OuterRef("pk"))))


@reversion.register(follow=["participations"])
class Meeting(models.Model):
    """A diplomatic meeting: the event that readouts describe."""

    class Kind(models.TextChoices):
        SUMMIT_MEETING = "summit_meeting", "Summit meeting"
        SUMMIT_TELEPHONE_TALK = "summit_telephone_talk", "Summit telephone talk"
        SUMMIT_VIDEO_CONFERENCE = "summit_video_conference", "Summit video conference"
        FOREIGN_MINISTERS_MEETING = "foreign_ministers_meeting", "Foreign ministers' meeting"
        FOREIGN_MINISTERS_TELEPHONE_TALK = (
            "foreign_ministers_telephone_talk",
            "Foreign ministers' telephone talk",
        )
        INFORMAL_TALK = "informal_talk", "Informal talk"
        COURTESY_CALL = "courtesy_call", "Courtesy call"
        WORKING_MEAL = "working_meal", "Working lunch or dinner"
        OTHER = "other", "Other meeting"

    date = models.DateField(help_text="The local date at the venue.")
    start_time = models.TimeField(
        null=True, blank=True, help_text="Local time at the venue, as the readout gives it."
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The venue's IANA time zone (Asia/Phnom_Penh). Japan time is derived from "
        "it; leave empty when the readout does not say where the meeting was.",
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_approximate = models.BooleanField(
        default=False, help_text="The readout says “approximately” or “about”."
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    location_text = models.CharField(
        max_length=300, blank=True, help_text="Where, as printed: “at the Prime Minister's Office”."
    )
    occasion = models.ForeignKey(
        Occasion, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.SUMMIT_MEETING)
    participants = models.ManyToManyField(
        Person, through="Participation", related_name="meetings", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="meeting_duration_positive",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date:%Y-%m-%d}" + (
            f", {self.place}" if self.place else ""
        )

    @property
    def place(self):
        return ", ".join(part for part in (self.city, self.country and self.country.name) if part)

    @property
    def starts_at(self):
        """The start as an instant, when both the local time and the zone are known."""
        if self.start_time is None or not self.time_zone:
            return None
        return datetime.combine(self.date, self.start_time, tzinfo=ZoneInfo(self.time_zone))

    @property
    def starts_at_japan_time(self):
        return self.starts_at and self.starts_at.astimezone(JAPAN_TIME)

    @property
    def administration(self):
        return (
            Administration.objects.in_office_on(self.date)
            .select_related("prime_minister")
            .order_by("-ordinal")
            .first()
        )

    @property
    def bilateral(self):
        return len({p.country_id for p in self.participations.all()}) <= 2


class ParticipationQuerySet(models.QuerySet):
    def counterparts_from(self, countries):
        """The meetings (ids) with a counterpart from one of `countries`: for semi-joins."""
        return self.filter(country__in=countries, side=Participation.Side.COUNTERPART).values(
            "meeting_id"
        )

    def meetings_of(self, people):
        """The meetings (ids) `people` took part in, for semi-joins, and the
        first and last of their dates: None when there are none.

        A person's meetings fall in their years in office, which PostgreSQL
        cannot know. To list a prime minister of 2001-2006 newest first, it
        walked the meetings by date from the archive's newest, and read 39,116
        before his first; bounded by these dates, a walk starts at his.
        """
        taking_part = self.filter(person__in=people)
        span = taking_part.aggregate(first=Min("meeting__date"), last=Max("meeting__date"))
        dates = None if span["first"] is None else (span["first"], span["last"])
        return taking_part.values("meeting_id"), dates


@reversion.register()
class Participation(models.Model):
    """A person's part in a meeting, with the title they held that day."""

    class Side(models.TextChoices):
        JAPAN = "japan", "Japan"
        COUNTERPART = "counterpart", "Counterpart"

    # participation_once_per_meeting below begins with the meeting: it is the index.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, db_index=False, related_name="participations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    title = models.CharField(
        max_length=200,
        help_text="The title held on the day, as printed: “Prime Minister of Japan”.",
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=12, choices=Side.choices)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="participation_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.person}, {self.title}"


class ReadoutQuerySet(models.QuerySet):
    def public(self):
        """What the public may see. The one visibility rule: every page, feed,
        count, search and API response starts here. Readouts withdrawn with a
        public explanation stay readable, with that explanation."""
        return self.filter(status__in=Readout.PUBLIC_STATUSES)

    def listed(self):
        """Public readouts that lists, feeds and counts show: withdrawn ones are only linked."""
        return self.filter(status=Readout.Status.PUBLISHED)

    def visible_to(self, user):
        """Editors preview everything; everyone else sees what is public."""
        if user.is_authenticated and user.has_perm("readouts.view_readout"):
            return self.all()
        return self.public()

    def with_meeting_facts(self):
        return self.select_related("meeting__country", "meeting__occasion", "issuer")

    def list_items(self):
        """What a list shows of each readout (the tag readout_items),
        with its meeting's counterparts, and no more: not the source text, which
        is most of a readout's bytes, nor the columns no list shows."""
        counterparts = (
            Participation.objects.filter(side=Participation.Side.COUNTERPART)
            .select_related("person")
            .only("meeting_id", "person__name_form")
        )
        return (
            self.select_related("meeting__country", "issuer")
            .only(
                *("slug", "title", "translation_status", "lead", "issuer__name"),
                *("meeting__date", "meeting__kind", "meeting__city", "meeting__country__name"),
            )
            .prefetch_related(
                models.Prefetch(
                    "meeting__participations", queryset=counterparts, to_attr="counterparts"
                )
            )
        )

    def summaries(self):
        """What the API's list shows of each readout (ReadoutListSerializer), as
        rows: made into model instances, with their meeting, issuer and
        occasion, a page of them cost more than its query."""
        return self.values(
            *("pk", "slug", "title", "language", "translation_status", "status"),
            *("published_on", "withdrawal_note", "issuer__slug", "issuer__name"),
            *("issuer__short_name", "issuer__country_id", "meeting_id", "meeting__date"),
            *("meeting__kind", "meeting__city", "meeting__country_id"),
            *("meeting__occasion__slug", "meeting__occasion__name"),
        )

    def years(self):
        """(year, readouts, latest change) for each year of these readouts' meetings, in order."""
        return (
            self.values_list(ExtractYear("meeting__date"))
            .annotate(readouts=Count("pk"), latest_change=Max("updated_at"))
            .order_by(ExtractYear("meeting__date"))
        )

    def search(self, query):
        """Readouts matching a websearch-style query, annotated with `rank`."""
        return search_readouts(self, query)


# One revision holds a readout with its points, annotations and workflow
# steps, so restoring it (even after deletion) gives all of them back.
@reversion.register(follow=["points", "annotations", "workflow_steps"])
class Readout(models.Model):
    class TranslationStatus(models.TextChoices):
        ORIGINAL = "original", "Original"
        PROVISIONAL = "provisional", "Provisional translation"
        OFFICIAL = "official", "Official translation"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"
        WITHDRAWN_SILENTLY = "withdrawn_silently", "Withdrawn without notice"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        JAPANESE = "ja", "Japanese"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="readouts")
    # readout_source_idx and readout_issuer_date_idx begin with the issuer: they are its index.
    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, db_index=False, related_name="readouts"
    )
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    title = models.CharField(max_length=400)
    slug = models.SlugField(max_length=120, unique=True)
    published_on = models.DateField(help_text="The date the issuer gave the readout.")
    lead = models.TextField(blank=True, help_text="The opening paragraph before the points.")
    source_url = models.URLField(max_length=500, blank=True)
    source_text = models.TextField(
        blank=True, help_text="The text exactly as the issuer published it. Never corrected."
    )
    translation_status = models.CharField(
        max_length=12, choices=TranslationStatus.choices, default=TranslationStatus.ORIGINAL
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        help_text="The original this readout translates: same meeting, another language.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    withdrawal_note = models.TextField(
        blank=True, help_text="Shown to the public when a readout is withdrawn."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save, so that concurrent edits are detected."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReadoutQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        permissions = [
            ("publish_readout", "Can publish and withdraw readouts"),
            ("submit_readout", "Can submit readouts for review"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="readout_status_date_idx"),
            # How a re-import finds the readout it made before.
            models.Index(fields=["issuer", "source_url"], name="readout_source_idx"),
            models.Index(fields=["issuer", "published_on"], name="readout_issuer_date_idx"),
            # In the readouts' own order, which orders points across readouts (the
            # API's points list): its first page is read from the index's start.
            models.Index(fields=["-published_on", "-id"], name="readout_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(translation_status="original") | Q(translation_of__isnull=True),
                name="readout_original_translates_nothing",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")), name="readout_not_its_own_translation"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Readout, f"{self.published_on:%Y-%m-%d} {self.title}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("readouts:detail", args=[self.slug])

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    def clean(self):
        original = self.translation_of
        if original is None:
            return
        if self.translation_status == self.TranslationStatus.ORIGINAL:
            raise ValidationError(
                {"translation_status": "A readout that translates another is not the original."}
            )
        if original.meeting_id != self.meeting_id:
            raise ValidationError(
                {"translation_of": "A translation must be of a readout of the same meeting."}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": "A translation must be of a readout in another language."}
            )

    # The editorial workflow. Each step checks who may take it, moves the
    # status and leaves a WorkflowStep saying who did it, when and why.

    def submit_for_review(self, user, note=""):
        self._require(user, "readouts.change_readout")
        self._move(
            user, {self.Status.DRAFT}, self.Status.IN_REVIEW, WorkflowStep.Action.SUBMIT, note
        )

    def return_to_draft(self, user, note=""):
        self._require(user, "readouts.publish_readout")
        self._move(
            user, {self.Status.IN_REVIEW}, self.Status.DRAFT, WorkflowStep.Action.RETURN, note
        )

    def publish(self, user, reason="", change_note=""):
        """Publish, by someone other than the author unless a reason is recorded."""
        self._require(user, "readouts.publish_readout")
        reviewed = self.status == self.Status.IN_REVIEW
        own = self.created_by_id == user.pk
        if own and not reason.strip():
            raise ValidationError(
                "You wrote this readout: someone else should publish it, "
                "or give the reason for publishing it yourself."
                if reviewed
                else "Publishing your own readout without review needs a recorded reason."
            )
        self.published_by = user
        self.published_at = timezone.now()
        self._move(
            user,
            {self.Status.DRAFT, self.Status.IN_REVIEW, self.Status.WITHDRAWN},
            self.Status.PUBLISHED,
            WorkflowStep.Action.PUBLISH,
            reason,
            public_note=change_note,
        )

    def withdraw(self, user, public_explanation="", silently=False):
        self._require(user, "readouts.publish_readout")
        if not silently and not public_explanation.strip():
            raise ValidationError("Say publicly why the readout is withdrawn.")
        self.withdrawal_note = public_explanation
        self._move(
            user,
            {self.Status.PUBLISHED},
            self.Status.WITHDRAWN_SILENTLY if silently else self.Status.WITHDRAWN,
            WorkflowStep.Action.WITHDRAW,
            public_note=public_explanation,
        )

    def record_change(self, user, change_note):
        """A public note that a published readout was corrected."""
        WorkflowStep.objects.create(
            readout=self, actor=user, action=WorkflowStep.Action.REVISE, public_note=change_note
        )

    def _require(self, user, permission):
        if not user.has_perm(permission):
            raise PermissionDenied(f"You lack the permission “{permission}”.")

    def _move(self, user, allowed_from, target, action, note="", public_note=""):
        if self.status not in allowed_from:
            raise ValidationError(
                f"A readout that is {self.get_status_display().lower()} cannot be "
                f"moved to {self.Status(target).label.lower()}."
            )
        with transaction.atomic():
            self.status = target
            self.version = F("version") + 1
            self.save()
            self.refresh_from_db(fields=["version"])
            WorkflowStep.objects.create(
                readout=self, actor=user, action=action, note=note, public_note=public_note
            )


@reversion.register()
class WorkflowStep(models.Model):
    """One step of a readout's editorial life: who, what, when, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        RETURN = "return", "Returned to draft"
        PUBLISH = "publish", "Published"
        REVISE = "revise", "Revised after publication"
        WITHDRAW = "withdraw", "Withdrawn"

    readout = models.ForeignKey(Readout, on_delete=models.CASCADE, related_name="workflow_steps")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="Internal: for editors only.")
    public_note = models.TextField(blank=True, help_text="Shown in the public change history.")

    class Meta:
        ordering = ["readout", "at", "pk"]
        get_latest_by = "at"

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class PointQuerySet(models.QuerySet):
    def public(self):
        return self.filter(readout__in=Readout.objects.public())

    def search(self, query, capped=True):
        return search_points(self, query, capped)

    def with_readouts(self):
        """Each point with its readout, meeting and parent, as a list of points
        shows them: without the readout's source text and lead, or the parent's
        text, which the join would otherwise repeat for every point."""
        return self.select_related("readout__meeting", "parent").defer(
            "readout__source_text", "readout__lead", "parent__text"
        )

    def tagged(self, topics):
        """Points tagged with any of `topics` or their subtopics (rows repeat: for
        semi-joins, such as the readouts that have such a point)."""
        return self.filter(topics__in=covered(topics))

    def about(self, topics):
        """Points tagged with any of `topics` or their subtopics, each once."""
        # The topics' ids first, then the tags alone: given the ids, the planner
        # sees how many points a topic tags, and hash-joins them with a search's
        # candidates rather than looking up each candidate's tags.
        ids = list(covered(topics).values_list("pk", flat=True))
        return self.filter(
            pk__in=Point.topics.through.objects.filter(topic__in=ids).values("point_id")
        )


@reversion.register()
class Point(models.Model):
    """A numbered point of a readout ("2.") or a sub-point ("(1)")."""

    # point_key_unique_in_readout begins with the readout: it is the index, and
    # the one a point's key is found by (always within its readout).
    readout = models.ForeignKey(
        Readout, on_delete=models.CASCADE, db_index=False, related_name="points"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text="The point this one is a sub-point of.",
    )
    label = models.CharField(
        max_length=20, blank=True, help_text="As printed: “1.”, “(2)”. Empty for a plain paragraph."
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the readout.")
    text = models.TextField()
    key = models.SlugField(
        max_length=16,
        db_index=False,
        default=new_point_key,
        editable=False,
        help_text="Stable identity for links: it survives edits and renumbering.",
    )
    translates = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text="The point of the original readout that this point translates.",
    )
    topics = models.ManyToManyField(Topic, related_name="points", blank=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["readout", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["readout", "label"],
                condition=Q(parent__isnull=True) & ~Q(label=""),
                name="point_label_unique_in_readout",
                violation_error_message="Another point of this readout has this label.",
            ),
            models.UniqueConstraint(
                fields=["parent", "label"],
                condition=Q(parent__isnull=False) & ~Q(label=""),
                name="sub_point_label_unique_in_point",
                violation_error_message="Another sub-point of this point has this label.",
            ),
            models.UniqueConstraint(fields=["readout", "key"], name="point_key_unique_in_readout"),
        ]

    def __str__(self):
        return f"{self.full_label or '¶'} {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("readouts:point", args=[self.readout.slug, self.key])

    @property
    def full_label(self):
        """How a citation names the point: “2(1)”."""
        own = self.label.strip().rstrip(".")
        if self.parent_id:
            return f"{self.parent.label.strip().rstrip('.')}{own}"
        return own

    @property
    def anchor(self):
        return f"p-{self.key}"

    def clean(self):
        if self.parent_id:
            if self.parent.readout_id != self.readout_id:
                raise ValidationError({"parent": "A sub-point belongs to a point of its readout."})
            if self.parent.parent_id:
                raise ValidationError({"parent": "Sub-points nest one level deep."})


class AnnotationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(
            visibility=Annotation.Visibility.PUBLIC, readout__in=Readout.objects.public()
        )


@reversion.register()
class Annotation(models.Model):
    """An editor's note on an exact quote in a point or the lead.

    The quote is anchored as a W3C Web Annotation TextQuoteSelector (exact
    text with a little prefix and suffix), so it survives edits elsewhere.
    """

    class Kind(models.TextChoices):
        TRANSLATION = "translation", "Translation note"
        CORRECTION = "correction", "Correction [sic]"
        CONTEXT = "context", "Context"
        CROSS_REFERENCE = "cross_reference", "Cross-reference"
        GLOSSARY = "glossary", "Glossary"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal (editors only)"

    readout = models.ForeignKey(Readout, on_delete=models.CASCADE, related_name="annotations")
    point = models.ForeignKey(
        Point,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annotations",
        help_text="Leave empty to annotate the lead paragraph.",
    )
    exact = models.CharField(max_length=500, help_text="The exact words annotated.")
    prefix = models.CharField(max_length=64, blank=True, help_text="A few words just before.")
    suffix = models.CharField(max_length=64, blank=True, help_text="A few words just after.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.TextField(help_text="Markdown. Links and emphasis are kept; HTML is not.")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["readout", "point__position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(exact=""), name="annotation_quote_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: “{self.exact}”"

    @property
    def target_text(self):
        return self.point.text if self.point_id else self.readout.lead

    @property
    def body_html(self):
        return render_markdown(self.body)

    def locate(self, text=None):
        """Where the quote starts in its target text, or None when it is not there."""
        text = self.target_text if text is None else text
        quoted = f"{self.prefix}{self.exact}{self.suffix}"
        at = text.find(quoted)
        if at >= 0:
            return at + len(self.prefix)
        at = text.find(self.exact)
        return at if at >= 0 else None

    def clean(self):
        if self.point_id and self.point.readout_id != self.readout_id:
            raise ValidationError({"point": "Annotate a point of this readout."})
        if self.exact and self.locate() is None:
            where = f"point {self.point.full_label}" if self.point_id else "the lead"
            raise ValidationError({"exact": f"“{self.exact}” does not occur in {where}."})


# Facet counts, kept up to date on every change rather than counted per page
# view: see readouts/facets.py, which is the only code that writes these.


class ReadoutFacet(models.Model):
    """One value one listed readout takes in one facet: year 2022, country US."""

    # Not a database constraint: rows outlive a deleted readout until the
    # facets are next brought up to date, which subtracts them from the totals.
    # Indexed below, with the facet and value: the readout's index of its own
    # would be one more to write for every row.
    readout = models.ForeignKey(
        Readout, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    facet = models.CharField(max_length=24)
    value = models.CharField(max_length=64)
    # The readout's meeting year, on each of its rows. A list filtered by a
    # country counts its years from the country's own rows, not by joining
    # them to every readout's year row; and a chosen year narrows another
    # facet's rows directly.
    year = models.SmallIntegerField()

    class Meta:
        indexes = [
            # The readouts that take a value, and their years: counts_taking.
            models.Index(
                fields=["facet", "value", "readout"],
                include=["year"],
                name="readout_facet_value_idx",
            ),
            # The values some readouts take: counts_among, from the index alone.
            models.Index(fields=["readout", "facet", "value"], name="readout_facet_rows_idx"),
        ]

    def __str__(self):
        return f"{self.facet} {self.value}"


class FacetTotal(models.Model):
    """How many listed readouts take one facet value: the sum of the ReadoutFacet rows."""

    facet = models.CharField(max_length=24)
    value = models.CharField(max_length=64)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="facet_total_once_per_value")
        ]

    def __str__(self):
        return f"{self.facet} {self.value}: {self.count}"


class FacetPairTotal(models.Model):
    """How many listed readouts take both of two values of different facets.

    A list narrowed to one value (a person's page, a country's) counts its
    other facets from these rows, rather than grouping the facet rows of all
    its readouts: 23,000 readouts for the longest-serving prime minister of
    the benchmark archive. Each pair is kept both ways round.
    """

    facet = models.CharField(max_length=24)
    value = models.CharField(max_length=64)
    other_facet = models.CharField(max_length=24)
    other_value = models.CharField(max_length=64)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index a value's pairs are read by.
            models.UniqueConstraint(
                fields=["facet", "value", "other_facet", "other_value"],
                name="facet_pair_total_once_per_pair",
            )
        ]

    def __str__(self):
        return f"{self.facet} {self.value} with {self.other_facet} {self.other_value}: {self.count}"


class FacetBacklog(models.Model):
    """A readout whose facet rows may be out of date: noted in the transaction that changed it."""

    readout_id = models.IntegerField()

    def __str__(self):
        return f"Readout {self.readout_id}"


def ordinal(number):
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def unique_slug(model, text, max_length=100):
    """A slug for `text` that no other row of `model` has, found in one query."""
    base = slugify(text)[:max_length].strip("-") or "item"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug
