"""Turn a parsed readout into a draft: its meeting, people, occasion and points.

The parser (readouts.parsing) knows nothing of the database; this module is
the one place that maps what it found onto models. The management command and
the admin's import page are thin shells around `import_readout`.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from . import caching, facets
from .models import (
    Country,
    Issuer,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    WorkflowStep,
)
from .parsing import ParsedParticipant, ParsedPoint, ParsedReadout

KINDS = {
    "summit meeting": Meeting.Kind.SUMMIT_MEETING,
    "summit telephone talk": Meeting.Kind.SUMMIT_TELEPHONE_TALK,
    "summit video conference": Meeting.Kind.SUMMIT_VIDEO_CONFERENCE,
    "foreign ministers' meeting": Meeting.Kind.FOREIGN_MINISTERS_MEETING,
    "foreign ministers' telephone talk": Meeting.Kind.FOREIGN_MINISTERS_TELEPHONE_TALK,
    "informal talk": Meeting.Kind.INFORMAL_TALK,
    "courtesy call": Meeting.Kind.COURTESY_CALL,
    "working lunch": Meeting.Kind.WORKING_MEAL,
    "working dinner": Meeting.Kind.WORKING_MEAL,
    "dinner": Meeting.Kind.WORKING_MEAL,
}

ISSUER_HOSTS = {
    "kantei.go.jp": "kantei",
    "mofa.go.jp": "mofa",
    "whitehouse.gov": "white-house",
    "archives.gov": "white-house",
}

# Occasions recur (an ASEAN summit every year): a meeting joins an occasion
# of the same name only when it falls within this many days of it.
OCCASION_WINDOW = datetime.timedelta(days=10)

IMPORTER_USERNAME = "importer"


@dataclass
class ImportResult:
    readout: Readout
    created: bool
    warnings: list[str] = field(default_factory=list)


def meeting_kind(label):
    """The Meeting.Kind for a parser label such as "trilateral summit telephone talk"."""
    if not label:
        return Meeting.Kind.OTHER
    for prefix in ("trilateral ", "multilateral "):
        label = label.removeprefix(prefix)
    return KINDS.get(label, Meeting.Kind.OTHER)


def issuer_for(source_url="", slug=""):
    if slug:
        return Issuer.objects.get(slug=slug)
    host = urlsplit(source_url).hostname or ""
    for suffix, issuer_slug in ISSUER_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return Issuer.objects.get(slug=issuer_slug)
    return None


def importing_user(username=None):
    """The account an import is recorded under: the named one, or a system account."""
    User = get_user_model()
    if username:
        return User.objects.get(username=username)
    user, created = User.objects.get_or_create(username=IMPORTER_USERNAME)
    if created:
        user.set_unusable_password()
        user.save()
    return user


def import_readout(parsed, *, user, issuer=None, source_url="", publish=False):
    """Import one readout on its own; see Importer for many."""
    return Importer(user=user, publish=publish).import_readout(
        parsed, issuer=issuer, source_url=source_url
    )


class Importer:
    """Creates or updates draft readouts from parsed ones, one transaction each.

    The same source (its URL, or else issuer, date and title) imported again
    updates the readout it made before, keeping its points' link keys. One
    Importer serves a whole batch of files: countries and people it has looked
    up once are not looked up again.
    """

    def __init__(self, *, user, publish=False):
        self.user = user
        self.publish = publish
        self.countries = {}
        self.people = {}

    @transaction.atomic
    def import_readout(self, parsed: ParsedReadout, *, issuer=None, source_url="") -> ImportResult:
        warnings = list(parsed.warnings)
        issuer = issuer or issuer_for(source_url)
        if issuer is None:
            raise ValueError("Say who issued this readout: no issuer is known for its source.")

        readout = find_previous_import(parsed, issuer, source_url)
        created = readout is None
        meeting = readout.meeting if readout else self.find_meeting(parsed)
        # A meeting other readouts describe too keeps their facts: this readout
        # only fills what is still empty (a White House readout gives no time).
        shared = meeting is not None and (
            meeting.readouts.exclude(pk=readout and readout.pk).exists()
        )
        meeting = self.save_meeting(parsed, meeting, warnings, fill_only=shared)
        self.save_participants(parsed, meeting, warnings, keep_existing=shared or created)

        if readout is None:
            readout = Readout(created_by=self.user)
        readout.meeting = meeting
        readout.issuer = issuer
        readout.language = parsed.language
        readout.title = parsed.title
        readout.published_on = parsed.date
        readout.lead = parsed.lead
        readout.source_url = source_url
        readout.source_text = parsed.source_text
        readout.translation_status = parsed.translation_status or Readout.TranslationStatus.ORIGINAL
        if self.publish and readout.status != Readout.Status.PUBLISHED:
            readout.status = Readout.Status.PUBLISHED
            readout.published_by = self.user
            readout.published_at = timezone.now()
            publishing = True
        else:
            publishing = False
        if not created:
            readout.version += 1
        readout.save()
        if created:
            add_points_in_bulk([(readout, parsed.points)])
        else:
            replace_points(readout, parsed.points)
        if shared:
            link_translations(readout)
        if publishing:
            WorkflowStep.objects.create(
                readout=readout,
                actor=self.user,
                action=WorkflowStep.Action.PUBLISH,
                note="Imported as already published by its issuer.",
            )
        # Bulk writes raise no signals: say so that cached pages are not kept.
        transaction.on_commit(caching.next_generation)
        return ImportResult(readout, created, warnings)

    def import_batch(self, items):
        """Import many readouts: new ones in bulk, the others one by one.

        `items` are (key, parsed, issuer, source_url). Returns {key: ImportResult
        or the exception that refused it}. A readout that is new, of a meeting
        the archive does not yet hold, is written with the batch in a handful of
        statements; if the batch fails, each of its readouts is tried on its own.
        """
        results, one_by_one = {}, []
        fresh = []
        for key, parsed, issuer, source_url in items:
            issuer = issuer or issuer_for(source_url)
            if issuer is None:
                results[key] = ValueError(
                    "Say who issued this readout: no issuer is known for its source."
                )
            else:
                fresh.append((key, parsed, issuer, source_url))
        fresh, one_by_one = self.split_fresh(fresh)
        if fresh:
            try:
                with transaction.atomic():
                    results.update(self.create_in_bulk(fresh))
            except (DatabaseError, ValueError, ValidationError):
                one_by_one = fresh + one_by_one
        for key, parsed, issuer, source_url in one_by_one:
            try:
                results[key] = self.import_readout(parsed, issuer=issuer, source_url=source_url)
            except (DatabaseError, ValueError, ValidationError) as refusal:
                results[key] = refusal
        transaction.on_commit(caching.next_generation)
        return results

    def split_fresh(self, items):
        """Separate readouts new to the archive, of meetings it does not hold, from the rest."""
        urls = [url for _, _, _, url in items if url]
        by_url = set(
            Readout.objects.filter(source_url__in=urls).values_list("issuer_id", "source_url")
        )
        untitled = [(p.date, p.title) for _, p, _, url in items if not url]
        by_title = set()
        if untitled:
            # Dates and titles apart, paired here: a hundred ORed pairs took the
            # planner longer than the rows took to read.
            days, titles = zip(*untitled, strict=True)
            by_title = set(
                Readout.objects.filter(published_on__in=days, title__in=titles)
                .order_by()
                .values_list("issuer_id", "published_on", "title")
            )
        people_of = {
            key: frozenset(p.pk for p in map(self.find_person, parsed.participants) if p)
            for key, parsed, _, _ in items
        }
        held = self.meetings_held({parsed.date for _, parsed, _, _ in items})
        fresh, rest, signatures, identities = [], [], set(), set()
        for item in items:
            key, parsed, issuer, url = item
            identity = (issuer.pk, url) if url else (issuer.pk, parsed.date, parsed.title)
            seen = identity in (by_url if url else by_title) or identity in identities
            names = frozenset(p.name.casefold() for p in parsed.participants)
            # Two readouts name the same meeting only by two people or more on one
            # day (find_meeting): the second of such a pair joins the first's
            # meeting one by one; a readout naming fewer is a meeting of its own.
            signature = (parsed.date, names) if len(names) >= 2 else None
            known_meeting = len(people_of[key]) >= 2 and any(
                people_of[key] <= people for people in held.get(parsed.date, [])
            )
            identities.add(identity)
            if seen or known_meeting or (signature and signature in signatures):
                rest.append(item)
            else:
                signatures.add(signature)
                fresh.append(item)
        return fresh, rest

    def meetings_held(self, dates):
        """{date: [the set of people of each meeting held that day]}, in one query."""
        # Everyone of those days' meetings, not only the people named: found
        # from the meetings, a few rows each, rather than from the people, whose
        # heads of government took part in thousands.
        rows = (
            Participation.objects.filter(meeting__date__in=dates)
            .order_by()
            .values_list("meeting_id", "meeting__date", "person_id")
        )
        people_by_meeting, dates_by_meeting = {}, {}
        for meeting, day, person in rows:
            people_by_meeting.setdefault(meeting, set()).add(person)
            dates_by_meeting[meeting] = day
        held = {}
        for meeting, people in people_by_meeting.items():
            held.setdefault(dates_by_meeting[meeting], []).append(people)
        return held

    def create_in_bulk(self, items):
        warnings = {key: list(parsed.warnings) for key, parsed, _, _ in items}
        meetings, participations = [], []
        for key, parsed, _, _ in items:
            meetings.append(Meeting(date=parsed.date, **self.meeting_facts(parsed, warnings[key])))
        occasions = occasions_for([parsed for _, parsed, _, _ in items], meetings)
        for meeting, occasion in zip(meetings, occasions, strict=True):
            meeting.occasion = occasion
        Meeting.objects.bulk_create(meetings)
        for (key, parsed, _, _), meeting in zip(items, meetings, strict=True):
            participations += self.participations(parsed, meeting, warnings[key])
        Participation.objects.bulk_create(participations)

        now = timezone.now()
        readouts = [
            Readout(
                meeting=meeting,
                issuer=issuer,
                language=parsed.language,
                title=parsed.title,
                published_on=parsed.date,
                lead=parsed.lead,
                source_url=source_url,
                source_text=parsed.source_text,
                translation_status=parsed.translation_status or Readout.TranslationStatus.ORIGINAL,
                created_by=self.user,
                **(
                    {
                        "status": Readout.Status.PUBLISHED,
                        "published_by": self.user,
                        "published_at": now,
                    }
                    if self.publish
                    else {}
                ),
            )
            for (key, parsed, issuer, source_url), meeting in zip(items, meetings, strict=True)
        ]
        slugs = unique_slugs(Readout, [f"{r.published_on:%Y-%m-%d} {r.title}" for r in readouts])
        for readout, slug in zip(readouts, slugs, strict=True):
            readout.slug = slug
        Readout.objects.bulk_create(readouts)
        add_points_in_bulk(
            [
                (readout, parsed.points)
                for readout, (_, parsed, _, _) in zip(readouts, items, strict=True)
            ]
        )
        if self.publish:
            WorkflowStep.objects.bulk_create(
                WorkflowStep(
                    readout=readout,
                    actor=self.user,
                    action=WorkflowStep.Action.PUBLISH,
                    note="Imported as already published by its issuer.",
                )
                for readout in readouts
            )
            facets.mark(readout.pk for readout in readouts)  # bulk inserts raise no signals
        return {
            key: ImportResult(readout, True, warnings[key])
            for (key, _, _, _), readout in zip(items, readouts, strict=True)
        }

    def participations(self, parsed, meeting, warnings, known=()):
        """The Participation rows of a meeting, people created or completed as needed."""
        known, rows = set(known), []
        for position, participant in enumerate(parsed.participants, start=1):
            country = self.country(participant.country, warnings)
            if country is None:
                warnings.append(f"{participant.name} was left out: their country is not known.")
                continue
            person = self.find_person(participant)
            if person is None:
                person = create_person(participant, country)
                self.people.setdefault(country.code, []).append(person)
            else:
                complete_person(person, participant)
            if person.pk in known:
                continue
            known.add(person.pk)
            rows.append(
                Participation(
                    meeting=meeting,
                    person=person,
                    title=participant.title,
                    country=country,
                    side=participant.side,
                    position=position,
                )
            )
        return rows

    def country(self, code, warnings):
        if not code:
            return None
        code = code.upper()
        if code not in self.countries:
            self.countries[code] = Country.objects.filter(code=code).first()
        if self.countries[code] is None:
            warnings.append(f"“{code}” is not an ISO 3166 country code in the archive.")
        return self.countries[code]

    def find_meeting(self, parsed):
        """The meeting another readout already describes: same day, same people."""
        people = {person.pk for person in map(self.find_person, parsed.participants) if person}
        if len(people) < 2:
            return None
        with_all_of_them = (
            Participation.objects.filter(meeting__date=parsed.date, person__in=people)
            .values("meeting")
            .annotate(found=Count("person", distinct=True))
            .filter(found=len(people))
            .values("meeting")
        )
        return Meeting.objects.filter(pk__in=with_all_of_them).first()

    def meeting_facts(self, parsed, warnings):
        """The Meeting fields a parsed readout gives, but for its date and occasion."""
        return {
            "kind": meeting_kind(parsed.kind),
            "start_time": parsed.start_time_local,
            "time_zone": parsed.time_zone or "",
            "duration_minutes": parsed.duration_minutes,
            "duration_approximate": parsed.duration_approximate,
            "city": parsed.city or "",
            "country": self.country(parsed.country, warnings),
            "location_text": (parsed.location_text or "")[:300],
        }

    def save_meeting(self, parsed, meeting, warnings, fill_only=False):
        facts = self.meeting_facts(parsed, warnings)
        meeting = meeting or Meeting(date=parsed.date)
        if parsed.occasion:
            facts["occasion"] = find_or_create_occasion(parsed, facts["city"], facts["country"])
        for name, value in facts.items():
            if fill_only and getattr(meeting, name) not in (None, "", Meeting.Kind.OTHER):
                continue
            setattr(meeting, name, value)
        meeting.save()
        return meeting

    def save_participants(self, parsed, meeting, warnings, keep_existing=False):
        if keep_existing:
            known = {p.person_id for p in meeting.participations.all()}
        else:
            meeting.participations.all().delete()
            known = set()
        Participation.objects.bulk_create(self.participations(parsed, meeting, warnings, known))

    def find_person(self, participant):
        """An existing person with this name: "KISHIDA Fumio" is "Fumio Kishida"."""
        code = (participant.country or "").upper()
        if not code:
            return None
        if code not in self.people:
            self.people[code] = list(Person.objects.filter(country_id=code))
        family = (participant.family_name or participant.name.split()[-1]).casefold()
        given = participant.given_name.casefold()
        same_family = [p for p in self.people[code] if p.family_name.casefold() == family]
        if given:
            for person in same_family:
                if person.given_name.casefold() == given:
                    return person
        named = [
            p
            for p in self.people[code]
            if p in same_family or p.name_form.casefold() == participant.name.casefold()
        ]
        return named[0] if len(named) == 1 else None


def find_previous_import(parsed, issuer, source_url):
    readouts = Readout.objects.filter(issuer=issuer).select_related("meeting")
    if source_url:
        return readouts.filter(source_url=source_url).first()
    return readouts.filter(published_on=parsed.date, title=parsed.title).first()


def link_translations(readout):
    """Link a translation to its original when both describe the meeting."""
    others = readout.meeting.readouts.exclude(pk=readout.pk).exclude(language=readout.language)
    if readout.translation_status != Readout.TranslationStatus.ORIGINAL:
        original = others.filter(
            translation_status=Readout.TranslationStatus.ORIGINAL, issuer=readout.issuer
        ).first()
        if original and readout.translation_of_id != original.pk:
            readout.translation_of = original
            readout.save(update_fields=["translation_of"])
    else:
        others.exclude(translation_status=Readout.TranslationStatus.ORIGINAL).filter(
            translation_of__isnull=True, issuer=readout.issuer
        ).update(translation_of=readout)


def complete_person(person, participant):
    """Fill in the name a readout gives more fully: "Biden" becomes "Joseph R. Biden, Jr."."""
    if person.given_name or not participant.given_name:
        return
    person.given_name = participant.given_name
    person.name_form = participant.name
    person.honorific = person.honorific or participant.honorific
    person.save()


def create_person(participant, country):
    family = participant.family_name or participant.name.split()[-1]
    return Person.objects.create(
        family_name=family,
        given_name=participant.given_name,
        name_form=participant.name,
        honorific=participant.honorific,
        country=country,
    )


def find_or_create_occasion(parsed, city, country):
    nearby = Occasion.objects.filter(
        name__iexact=parsed.occasion,
        started_on__gte=parsed.date - OCCASION_WINDOW,
        started_on__lte=parsed.date + OCCASION_WINDOW,
    ).first()
    if nearby is None:
        return Occasion.objects.create(
            name=parsed.occasion,
            started_on=parsed.date,
            ended_on=parsed.date,
            city=city,
            country=country,
        )
    if not (nearby.started_on <= parsed.date <= (nearby.ended_on or nearby.started_on)):
        nearby.started_on = min(nearby.started_on, parsed.date)
        nearby.ended_on = max(nearby.ended_on or parsed.date, parsed.date)
        nearby.save()
    return nearby


def occasions_for(parsed_readouts, meetings):
    """The occasion of each readout (or None): found among those held within a few
    days of its meeting, else created. One query to look, one to create."""
    wanted = [parsed for parsed in parsed_readouts if parsed.occasion]
    if not wanted:
        return [None] * len(parsed_readouts)
    dates = [parsed.date for parsed in wanted]
    known = list(
        Occasion.objects.annotate(lowered=Lower("name")).filter(
            lowered__in={parsed.occasion.casefold() for parsed in wanted},
            started_on__gte=min(dates) - OCCASION_WINDOW,
            started_on__lte=max(dates) + OCCASION_WINDOW,
        )
    )
    found, created = [], []
    for parsed, meeting in zip(parsed_readouts, meetings, strict=True):
        if not parsed.occasion:
            found.append(None)
            continue
        occasion = next(
            (
                o
                for o in known
                if o.name.casefold() == parsed.occasion.casefold()
                and abs(o.started_on - parsed.date) <= OCCASION_WINDOW
            ),
            None,
        )
        if occasion is None:
            occasion = Occasion(
                name=parsed.occasion,
                started_on=parsed.date,
                ended_on=parsed.date,
                city=meeting.city,
                country=meeting.country,
            )
            known.append(occasion)
            created.append(occasion)
        elif occasion.pk and not occasion.started_on <= parsed.date <= occasion.ended_on:
            occasion.started_on = min(occasion.started_on, parsed.date)
            occasion.ended_on = max(occasion.ended_on, parsed.date)
            occasion.save(update_fields=["started_on", "ended_on"])
        else:
            occasion.started_on = min(occasion.started_on, parsed.date)
            occasion.ended_on = max(occasion.ended_on, parsed.date)
        found.append(occasion)
    slugs = unique_slugs(Occasion, [f"{o.name} {o.started_on:%Y}" for o in created])
    for occasion, slug in zip(created, slugs, strict=True):
        occasion.slug = slug
    Occasion.objects.bulk_create(created)
    return found


def add_points_in_bulk(readouts_and_points):
    """New readouts' points, written level by level: two statements for any number."""
    top, children = [], []
    for readout, parsed_points in readouts_and_points:
        position = 0
        for parsed in parsed_points:
            position += 10
            point = Point(readout=readout, label=parsed.label, text=parsed.text, position=position)
            top.append(point)
            for child in parsed.children:
                position += 10
                children.append((point, child, position))
    Point.objects.bulk_create(top)
    Point.objects.bulk_create(
        Point(readout=parent.readout, parent=parent, label=c.label, text=c.text, position=at)
        for parent, c, at in children
    )


def unique_slugs(model, texts):
    """Slugs for new rows of `model`, unique among themselves and in the archive."""
    bases = [slugify(text)[:100].strip("-") or "item" for text in texts]
    taken = set(model.objects.filter(slug__in=bases).values_list("slug", flat=True))
    numbered = set()  # bases whose numbered slugs (base-2, base-3...) are in `taken`
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            if base not in numbered:
                taken |= set(
                    model.objects.filter(slug__startswith=base).values_list("slug", flat=True)
                )
                numbered.add(base)
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def replace_points(readout, parsed_points):
    """Replace the readout's points, keeping the key of each point whose label stays.

    Only what changed is written, in bulk, level by level: a text imported
    again as it was writes no point at all.
    """
    points = list(readout.points.select_related("parent"))
    existing = {
        (point.parent.label if point.parent_id else None, point.label): point for point in points
    }
    placed, levels = set(), []
    position = 0

    def place(parsed_point, parent, depth):
        nonlocal position
        position += 10
        point = existing.get((parent.label if parent else None, parsed_point.label))
        if point is None or point.pk in placed or not parsed_point.label:
            point = Point(readout=readout)
        placed.add(point.pk)
        if depth == len(levels):
            levels.append([])
        levels[depth].append((point, parent, parsed_point.label, parsed_point.text, position))
        for child in parsed_point.children:
            place(child, point, depth + 1)

    for parsed_point in parsed_points:
        place(parsed_point, None, 0)
    changed = {
        point.pk
        for level in levels
        for point, parent, label, text, at in level
        if point.pk
        and (point.parent_id, point.label, point.text, point.position)
        != (parent and parent.pk, label, text, at)
    }
    dropped = {point.pk for point in points} - placed
    # Labels are unique per readout: the points that change or go give theirs
    # up first (their keys live on in `existing`), and with their parent, so
    # that a dropped point takes none of the kept ones with it.
    Point.objects.filter(pk__in=changed | dropped).update(parent=None, label="")
    Point.objects.filter(pk__in=dropped).delete()
    for level in levels:
        for point, parent, label, text, at in level:
            point.parent, point.label, point.text, point.position = parent, label, text, at
        Point.objects.bulk_update(
            [point for point, *_ in level if point.pk in changed],
            ["parent", "label", "text", "position"],
        )
        # Each level after the one above it: a new point's parent has its key by then.
        Point.objects.bulk_create([point for point, *_ in level if not point.pk])


def parsed_from_readout(readout) -> ParsedReadout:
    """The parser's view of a stored readout: what export writes out and re-import reads."""
    meeting = readout.meeting
    participations = list(meeting.participations.select_related("person"))
    kind_labels = {kind: label for label, kind in reversed(KINDS.items())}
    kind = kind_labels.get(meeting.kind)
    countries = {p.country_id for p in participations}
    if kind and kind.startswith("summit") and len(countries) >= 3:
        kind = ("trilateral " if len(countries) == 3 else "multilateral ") + kind
    japan_time = meeting.starts_at_japan_time
    points = list(readout.points.all())
    children = {}
    for point in points:
        children.setdefault(point.parent_id, []).append(point)

    def tree(parent_id):
        return [
            ParsedPoint(point.label, point.text, tree(point.pk))
            for point in children.get(parent_id, [])
        ]

    return ParsedReadout(
        title=readout.title,
        date=readout.published_on,
        language=readout.language,
        translation_status=(
            None
            if readout.translation_status == Readout.TranslationStatus.ORIGINAL
            else readout.translation_status
        ),
        kind=kind,
        start_time_local=meeting.start_time,
        start_time_japan=japan_time.time() if japan_time else None,
        time_zone=meeting.time_zone or None,
        duration_minutes=meeting.duration_minutes,
        duration_approximate=meeting.duration_approximate,
        city=meeting.city or None,
        country=meeting.country_id,
        location_text=meeting.location_text or None,
        occasion=meeting.occasion.name if meeting.occasion_id else None,
        lead=readout.lead,
        participants=[
            ParsedParticipant(
                name=p.person.name_form,
                title=p.title,
                country=p.country_id,
                side=p.side,
                honorific=p.person.honorific,
                family_name=p.person.family_name,
                given_name=p.person.given_name,
            )
            for p in participations
        ],
        points=tree(None),
        other_government=readout.issuer.country_id != "JP",
        warnings=[],
        source_text=readout.source_text,
    )
