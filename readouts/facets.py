"""Facet counts kept as data: what each listed readout takes, and the totals.

Counting facets from the archive's own tables means grouping hundreds of
thousands of joined rows per page view. Instead each listed readout has a
row per facet value it takes (`ReadoutFacet`), and `FacetTotal` holds their
sums. The whole archive's counts are then a read of a few hundred rows, and
a filtered list's counts one grouping of its own readouts' rows.

Keeping them true: a change to anything a facet is made of (a readout, its
meeting, the people taking part, a point's topics, an administration's dates)
writes the readouts it concerns to `FacetBacklog`, in the same transaction as
the change. Before facets are read, the backlog is worked off: each readout's
rows are recomputed, and the totals moved by the difference between the rows
stored and the rows now true. Bulk writers (the importer, the generator)
call `mark` or `rebuild` themselves, as they raise no signals.

Values are primary keys (a country's code, a person's id), so renaming a
person or changing a slug changes no counts; `describe` turns them into the
slugs and names a page shows.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache, partial, reduce
from operator import or_

from django.db import connections, router, transaction
from django.db.models import BooleanField, Count, Exists, Min, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import (
    Administration,
    FacetBacklog,
    FacetPairTotal,
    FacetTotal,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    ReadoutFacet,
    Topic,
)

# Every readout has one row under ALL: the number of listed readouts.
ALL = "all"
# The facets, in the order a reader narrows by them (the list shows them so).
FACETS = (
    "year",
    "administration",
    "country",
    "person",
    "occasion",
    "kind",
    "topic",
    "issuer",
    "language",
    "translation_status",
)
# Not filters: each meeting's month, and each topic a point of any of its
# listed readouts is tagged with (not their parents), on one listed readout of
# the meeting (the first), so that their totals count meetings rather than
# readouts (the charts).
MEETING_MONTH = "meeting_month"
MEETING_TOPIC = "meeting_topic"
CHUNK = 500
# A read works off at most this many readouts, so that one reader never pays
# for a large change (a topic moved under another): the next reads go on.
# 1,000 new readouts take about 2 s with their pair totals, as 2,000 took
# without them.
BACKLOG_PER_READ = 1000


def facet_rows(readout_ids, using="default"):
    """(readout id, facet, value, year) for each value each listed readout among
    `readout_ids` takes, with the year of its meeting.

    The definitions the filters use: a readout's country is a counterpart's
    country; its people are everyone taking part; its topics are those of its
    points and their parents (choosing a topic takes its subtopics); its
    administrations are those in office on the meeting day (two on a handover).
    """
    readouts = list(
        Readout.objects.using(using)
        .listed()
        .filter(pk__in=readout_ids)
        .values_list(
            "pk",
            "meeting_id",
            "meeting__date",
            "meeting__kind",
            "meeting__occasion_id",
            "issuer_id",
            "language",
            "translation_status",
        )
    )
    if not readouts:
        return []
    meetings = {row[1] for row in readouts}
    firsts = set(
        Readout.objects.using(using)
        .listed()
        .filter(meeting__in=meetings)
        .values("meeting_id")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    taking_part = defaultdict(list)
    for meeting_id, person_id, country_id, side in (
        Participation.objects.using(using)
        .filter(meeting__in=meetings)
        .values_list("meeting_id", "person_id", "country_id", "side")
    ):
        taking_part[meeting_id].append((person_id, country_id, side))
    # The topics of every listed readout of these meetings: a readout's own
    # with their parents, and its meeting's (for the meeting's first).
    topics, meeting_topics = defaultdict(set), defaultdict(set)
    for readout_id, meeting_id, topic_id, parent_id in (
        Point.topics.through.objects.using(using)
        .filter(
            point__readout__in=Readout.objects.using(using).listed().filter(meeting__in=meetings)
        )
        .values_list(
            "point__readout_id", "point__readout__meeting_id", "topic_id", "topic__parent_id"
        )
    ):
        topics[readout_id] |= {topic_id, parent_id} - {None}
        meeting_topics[meeting_id].add(topic_id)
    terms = list(
        Administration.objects.using(using).values_list("ordinal", "started_on", "ended_on")
    )

    rows = set()
    for pk, meeting_id, day, kind, occasion_id, issuer_id, language, status in readouts:
        values = {
            (ALL, ""),
            ("year", day.year),
            ("kind", kind),
            ("issuer", issuer_id),
            ("language", language),
            ("translation_status", status),
        }
        if occasion_id:
            values.add(("occasion", occasion_id))
        if pk in firsts:
            values.add((MEETING_MONTH, f"{day:%Y-%m}"))
            values |= {(MEETING_TOPIC, topic_id) for topic_id in meeting_topics[meeting_id]}
        for person_id, country_id, side in taking_part[meeting_id]:
            values.add(("person", person_id))
            if side == Participation.Side.COUNTERPART:
                values.add(("country", country_id))
        values |= {("topic", topic_id) for topic_id in topics[pk]}
        values |= {
            ("administration", number)
            for number, started, ended in terms
            if started <= day and (ended is None or day <= ended)
        }
        rows |= {(pk, facet, str(value), day.year) for facet, value in values}
    return sorted(rows)


def refresh(readout_ids, using="default"):
    """Make the facet rows of these readouts true again, and move the totals to match."""
    readout_ids = sorted(set(readout_ids))
    for start in range(0, len(readout_ids), CHUNK):
        chunk = readout_ids[start : start + CHUNK]
        with transaction.atomic(using=using):
            # Refreshes of one readout take turns: each moves the totals by
            # what it finds stored, so two at once would count twice.
            list(
                Readout.objects.using(using)
                .select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            stored = ReadoutFacet.objects.using(using).filter(readout__in=chunk)
            stored_rows = list(stored.values_list("readout_id", "facet", "value"))
            rows = facet_rows(chunk, using)
            stored.delete()
            ReadoutFacet.objects.using(using).bulk_create(
                ReadoutFacet(readout_id=pk, facet=facet, value=value, year=year)
                for pk, facet, value, year in rows
            )
            totals = Counter((facet, value) for _, facet, value, _ in rows)
            totals.subtract((facet, value) for _, facet, value in stored_rows)
            move_totals(totals, using)
            pairs = pair_counts(rows)
            pairs.subtract(pair_counts(stored_rows))
            move_pair_totals(pairs, using)


def move_totals(changes, using="default"):
    """Add each change to its total: {(facet, value): +2 or -1}, in a fixed number of queries."""
    changes = {key: change for key, change in changes.items() if change}
    if not changes:
        return
    stored = FacetTotal.objects.using(using)
    # A value seen for the first time gets its row; two at once are one row.
    stored.bulk_create(
        [FacetTotal(facet=facet, value=value, count=0) for facet, value in changes],
        ignore_conflicts=True,
    )
    keys = list(changes)
    for start in range(0, len(keys), CHUNK):
        wanted = reduce(or_, (Q(facet=f, value=v) for f, v in keys[start : start + CHUNK]))
        # Locked, so that a concurrent change waits and then adds to these counts.
        rows = list(stored.select_for_update().filter(wanted).order_by("pk"))
        for row in rows:
            row.count += changes[row.facet, row.value]
        stored.bulk_update(rows, ["count"])


def pair_counts(rows):
    """{((facet, value), (other facet, other value)): readouts} over facet rows
    (readout id, facet, value, ...): each pair of one readout's values of two
    different facets, both ways round."""
    taken = defaultdict(list)
    for readout_id, facet, value, *_ in rows:
        if facet in FACETS:
            taken[readout_id].append((facet, value))
    counted = Counter()
    for values in taken.values():
        counted.update((one, other) for one in values for other in values if one[0] != other[0])
    return counted


# Added to in place: two refreshes at once each add their own change. Rows
# are written in the order of their keys, so that two never wait on each other.
ADD_TO_PAIRS = """
    INSERT INTO readouts_facetpairtotal (facet, value, other_facet, other_value, count)
    {rows}
    ON CONFLICT (facet, value, other_facet, other_value)
    DO UPDATE SET count = readouts_facetpairtotal.count + excluded.count
"""
# On PostgreSQL as five arrays: written as a row of parameters each, the
# quoting of a large change's quarter of a million parameters cost more
# than the upsert itself.
AS_ARRAYS = "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[])"


def move_pair_totals(changes, using="default"):
    """Add each change to its pair total: {((facet, value), (other facet, other value)): change}."""
    rows = sorted((*one, *other, change) for (one, other), change in changes.items() if change)
    if not rows:
        return
    with connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            cursor.execute(
                ADD_TO_PAIRS.format(rows=AS_ARRAYS),
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        # SQLite takes at most 999 parameters a statement: five a row.
        per_statement = connections[using].features.max_query_params // 5
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                ADD_TO_PAIRS.format(
                    rows="VALUES " + ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
                ),
                [column for row in batch for column in row],
            )


# Every pair total at once, from the rows: one grouping of their self-join.
COUNT_PAIRS = """
    INSERT INTO readouts_facetpairtotal (facet, value, other_facet, other_value, count)
    SELECT own.facet, own.value, other.facet, other.value, COUNT(*)
    FROM readouts_readoutfacet own
    JOIN readouts_readoutfacet other
        ON other.readout_id = own.readout_id AND other.facet <> own.facet
    WHERE own.facet IN ({facets}) AND other.facet IN ({facets})
    GROUP BY own.facet, own.value, other.facet, other.value
"""


def placeholders(values):
    """ "%s, %s, ..." for the parameters of an IN list of `values`."""
    return ", ".join(["%s"] * len(values))


def count_pairs(using="default"):
    """Recount every pair total from the facet rows."""
    FacetPairTotal.objects.using(using).all().delete()
    with connections[using].cursor() as cursor:
        cursor.execute(COUNT_PAIRS.format(facets=placeholders(FACETS)), [*FACETS, *FACETS])


def rebuild(using="default", log=None):
    """Recompute every row and total from the archive: after bulk loads, or to repair."""
    log = log or (lambda message: None)
    with transaction.atomic(using=using):
        FacetBacklog.objects.using(using).all().delete()
        ReadoutFacet.objects.using(using).all().delete()
        FacetTotal.objects.using(using).all().delete()
        ids = list(
            Readout.objects.using(using).listed().order_by("pk").values_list("pk", flat=True)
        )
        counted = Counter()
        for start in range(0, len(ids), CHUNK * 4):
            rows = facet_rows(ids[start : start + CHUNK * 4], using)
            ReadoutFacet.objects.using(using).bulk_create(
                (
                    ReadoutFacet(readout_id=pk, facet=facet, value=value, year=year)
                    for pk, facet, value, year in rows
                ),
                batch_size=5000,
            )
            counted.update((facet, value) for _, facet, value, _ in rows)
            log(f"Facets: {min(start + CHUNK * 4, len(ids))} of {len(ids)} readouts.")
        FacetTotal.objects.using(using).bulk_create(
            (
                FacetTotal(facet=facet, value=value, count=n)
                for (facet, value), n in counted.items()
            ),
            batch_size=5000,
        )
        log("Facets: counting pairs of values.")
        count_pairs(using)
    if connections[using].vendor == "postgresql":
        # Fresh statistics, or the planner guesses a filtered list's facets from an empty table.
        with connections[using].cursor() as cursor:
            for model in (ReadoutFacet, FacetTotal, FacetPairTotal):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def mark(readout_ids, using="default"):
    """Note that these readouts' facet rows may be out of date, to refresh before the next read."""
    readout_ids = set(readout_ids)
    if readout_ids:
        FacetBacklog.objects.using(using).bulk_create(
            [FacetBacklog(readout_id=pk) for pk in readout_ids]
        )


def bring_up_to_date():
    """Work off the backlog, on the primary: done before facet counts are read."""
    using = router.db_for_write(FacetBacklog)
    # Asked before every count, and nearly always no: written out, the question
    # costs half what building it through the ORM did.
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM readouts_facetbacklog)")
        if not cursor.fetchone()[0]:
            return
    backlog = FacetBacklog.objects.using(using)
    with transaction.atomic(using=using):
        # Rows another process is working off are skipped: it refreshes them.
        pending = list(
            backlog.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "readout_id")[:BACKLOG_PER_READ]
        )
        if pending:
            refresh({readout_id for _, readout_id in pending}, using)
            backlog.filter(pk__in=[pk for pk, _ in pending]).delete()


# Reading.


class Counts(dict):
    """{value: count} for one facet; `every` says how many values it has in all,
    when only some of them were read."""

    def __init__(self, *args, every=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.every = len(self) if every is None else every


def totals(names, top=None, keep=None):
    """{facet: Counts} over every listed readout.

    With `top`, each facet's `top` busiest values and those in `keep`
    ({facet: stored values}) are all the caller shows (`describe`): on
    PostgreSQL only they are read, from an index in their order, rather than
    thousands of people's counts sent to be sorted and dropped.
    """
    using = router.db_for_read(FacetTotal)
    if top is not None and connections[using].vendor == "postgresql":
        rows = read_up_to_date(partial(busiest, using, names, top, keep or {}))
    else:
        rows = read_up_to_date(FacetTotal.objects.filter(facet__in=names, count__gt=0))
    counts, every = defaultdict(dict), {}
    for facet, value, count, *more in rows:
        counts[facet][value] = count
        if more and more[0] is not None:
            every[facet] = more[0]
    return {name: Counts(counts[name], every=every.get(name)) for name in names}


# Every list reads one total (the archive's, or a browsed person's): written
# out, its read costs a third of what building it through the ORM did.
ONE_TOTAL = "SELECT count{behind} FROM readouts_facettotal WHERE facet = %s AND value = %s"


def total(facet, value):
    """How many listed readouts take `value` of `facet`."""

    def read(behind):
        backlog = ", EXISTS (SELECT 1 FROM readouts_facetbacklog)" if behind else ""
        with connections[router.db_for_read(FacetTotal)].cursor() as cursor:
            cursor.execute(ONE_TOTAL.format(behind=backlog), [facet, value])
            return cursor.fetchall()

    rows = read_up_to_date(read)
    return rows[0][0] if rows else 0


def read_up_to_date(stored):
    """The rows of the totals `stored` (a queryset, or a function reading them)
    once the backlog is worked off: (facet, value, count[, every])."""

    def read(behind):
        if callable(stored):
            return stored(behind)
        fields = ("facet", "value", "count")
        if behind:
            return list(
                stored.annotate(behind=Exists(FacetBacklog.objects.all())).values_list(
                    *fields, "behind"
                )
            )
        return list(stored.values_list(*fields))

    # Whether there is a backlog is asked in the same query, in each row's last
    # column: there nearly never is, and the totals then take one round trip.
    rows = read(behind=True)
    if not rows or rows[0][-1]:
        bring_up_to_date()
        return read(behind=False)
    return [row[:-1] for row in rows]


# Each facet's busiest values (from index facet_total_rank_idx, migration 0011)
# and how many it has; then the kept values, whatever their rank. Values tie as
# Python's sort has them, by code point.
BUSIEST = """
    SELECT facets.facet, busiest.value, busiest.count, facets.every{behind}
    FROM (
        SELECT facet, COUNT(*) AS every FROM readouts_facettotal
        WHERE facet = ANY(%(names)s) AND count > 0 GROUP BY facet
    ) facets
    CROSS JOIN LATERAL (
        SELECT value, count FROM readouts_facettotal
        WHERE facet = facets.facet AND count > 0
        ORDER BY count DESC, value COLLATE "C" LIMIT %(top)s
    ) busiest
    UNION ALL
    SELECT facet, value, count, NULL{behind} FROM readouts_facettotal
    WHERE (facet, value) IN (SELECT * FROM unnest(%(facets)s::text[], %(values)s::text[]))
    AND count > 0
"""


def busiest(using, names, top, keep, behind):
    """For `totals` on PostgreSQL: the busiest and kept rows, with `every`."""
    kept = [(name, value) for name, values in keep.items() for value in values]
    backlog = ", EXISTS (SELECT 1 FROM readouts_facetbacklog)" if behind else ""
    with connections[using].cursor() as cursor:
        cursor.execute(
            BUSIEST.format(behind=backlog),
            {
                "names": list(names),
                "top": top,
                "facets": [name for name, _ in kept],
                "values": [value for _, value in kept],
            },
        )
        return cursor.fetchall()


def counts_among(names, readouts):
    """{facet: {value: count}} over the listed readouts among the queryset `readouts`."""
    bring_up_to_date()
    return count_rows(
        names, ReadoutFacet.objects.filter(readout__in=readouts.order_by().values("pk"))
    )


def counts_among_keys(names, keys):
    """{facet: {value: count}} over the listed readouts whose ids are `keys`."""
    bring_up_to_date()
    rows = ReadoutFacet.objects.all()
    if connections[rows.db].vendor == "postgresql":
        # As one array: thousands of IN parameters cost more to build and to
        # plan than the counting itself.
        among = RawSQL(
            "readouts_readoutfacet.readout_id = ANY(%s)", [list(keys)], output_field=BooleanField()
        )
        return count_rows(names, rows.filter(among))
    return count_rows(names, rows.filter(readout__in=keys))


def count_rows(names, rows):
    counts = {name: {} for name in names}
    grouped = (
        rows.filter(facet__in=names)
        .values_list("facet", "value")
        .annotate(total=Count("*"))
        .order_by()
    )
    for facet, value, count in grouped:
        counts[facet][value] = count
    return counts


def taking(chosen):
    """The ids of the listed readouts that take, for each facet in `chosen`
    ({facet: stored values}), one of its values: the rows do the filtering."""
    rows, _ = rows_taking(chosen)
    return rows.values("readout_id")


def rows_taking(chosen):
    """(rows, values): the rows, of the last facet in `chosen` other than the
    year, whose readouts take a value of each facet in `chosen`, and the
    values of that facet. A chosen year narrows each facet's rows, as each
    row has its readout's year."""
    others = {facet: values for facet, values in chosen.items() if facet != "year"}
    years = chosen.get("year")
    rows = None
    for facet, values in (others or {"year": years}).items():
        narrowed = ReadoutFacet.objects.filter(facet=facet, value__in=values)
        if years is not None:
            # A year that is no whole number ("2023.5") is taken by no readout.
            narrowed = narrowed.filter(year__in=[int(year) for year in years if year.isdigit()])
        if rows is not None:
            narrowed = narrowed.filter(readout__in=rows.values("readout_id"))
        rows = narrowed
    return rows, values


def counts_taking(names, chosen):
    """{facet: {value: count}} over the listed readouts `taking(chosen)` gives."""
    bring_up_to_date()
    (facet, values), *more = chosen.items()
    if not more and facet not in names:
        return counts_with_any(names, facet, values)
    counted = [name for name in names if name != "year"]
    counts = count_rows(counted, ReadoutFacet.objects.filter(readout__in=taking(chosen)))
    if "year" in names:
        counts["year"] = years_taking(chosen)
    return counts


def counts_between(names, first, last, chosen=None):
    """{facet: {value: count}} over the listed readouts of the meetings from
    `first` to `last` (dates; None leaves that end open) that take, for each
    facet in `chosen` but the year, one of its values.

    The years wholly within are as many chosen years: summed from the pair
    totals with each year, as a year's own list counts them (a readout has one
    year, so none is counted twice), or with facets chosen, counted from the
    rows of those years (`counts_taking`). Only the readouts of a year cut
    short are counted from their rows. Grouped, the rows of every readout
    since 2003 took 380 ms; of every readout on North Korea since 2020, 460.
    """
    bring_up_to_date()
    stored = FacetTotal.objects.filter(facet="year", count__gt=0).values_list("value", "count")
    years = {int(year): count for year, count in stored}
    starts, ends = first or datetime.date.min, last or datetime.date.max
    whole = [
        year
        for year in years
        if starts <= datetime.date(year, 1, 1) and datetime.date(year, 12, 31) <= ends
    ]
    cut_short = [year for year in years if year not in whole and starts.year <= year <= ends.year]
    counts = {name: Counter() for name in names}
    if whole and chosen:
        in_whole_years = {**chosen, "year": [str(year) for year in whole]}
        for facet, counted in counts_taking(names, in_whole_years).items():
            counts[facet].update(counted)
    elif whole:
        paired = [name for name in names if name != "year"]  # a year has no pairs with years
        if paired:
            pairs = (
                FacetPairTotal.objects.filter(
                    facet="year", value__in=[str(year) for year in whole], other_facet__in=paired
                )
                .values_list("other_facet", "other_value")
                .annotate(total=Sum("count"))
                .order_by()
            )
            for facet, value, total in pairs:
                counts[facet][value] += total
        if "year" in counts:
            counts["year"].update({str(year): years[year] for year in whole})
    if cut_short:
        within = reduce(
            or_,
            (
                Q(
                    meeting__date__range=(
                        max(starts, datetime.date(year, 1, 1)),
                        min(ends, datetime.date(year, 12, 31)),
                    )
                )
                for year in cut_short
            ),
        )
        readouts = Readout.objects.filter(within).values("pk")
        rows = ReadoutFacet.objects.filter(year__in=cut_short, readout__in=readouts)
        if chosen:
            in_years_cut_short = {**chosen, "year": [str(year) for year in cut_short]}
            rows = rows.filter(readout__in=taking(in_years_cut_short))
        for facet, counted in count_rows(names, rows).items():
            counts[facet].update(counted)
    return {
        name: {value: n for value, n in counted.items() if n} for name, counted in counts.items()
    }


def count_between(first, last, chosen=None):
    """How many listed readouts `counts_between` counts: each has one year, so
    their years' counts add up to it."""
    return sum(counts_between(["year"], first, last, chosen)["year"].values())


def counts_with_any(names, facet, values):
    """{facet: {value: count}} over the listed readouts that take any of
    `values` of `facet`, read from the pair totals.

    A readout that takes two of the values (a meeting with counterparts from
    both chosen countries) is in the pair totals of each: it is taken back
    once for each value past its first (`overcounted_values`).
    """
    counts = {name: defaultdict(int) for name in names}
    pairs = FacetPairTotal.objects.filter(
        facet=facet, value__in=values, other_facet__in=names, count__gt=0
    ).values_list("other_facet", "other_value", "count")
    for other_facet, other_value, count in pairs:
        counts[other_facet][other_value] += count
    if len(values) > 1:
        for other_facet, other_value, extra in overcounted_values(names, facet, values):
            counts[other_facet][other_value] -= extra
    return {
        name: {value: n for value, n in counted.items() if n} for name, counted in counts.items()
    }


# The readouts that take more than one of the chosen values, each with how
# many more. Two countries share few readouts; two topics may share many, and
# these are still fewer than the readouts taking either, all of whose rows
# were grouped before.
OVERCOUNTED = """
    SELECT readout_id, COUNT(*) - 1 AS extra FROM readouts_readoutfacet
    WHERE facet = %s AND value IN ({values})
    GROUP BY readout_id HAVING COUNT(*) > 1
"""
OVERCOUNTED_VALUES = f"""
    SELECT taken.facet, taken.value, SUM(overcounted.extra)
    FROM readouts_readoutfacet taken
    JOIN ({OVERCOUNTED}) overcounted ON overcounted.readout_id = taken.readout_id
    WHERE taken.facet IN ({{names}})
    GROUP BY taken.facet, taken.value
"""


def overcounted_values(names, facet, values):
    """(facet, value, extra) for the values of `names` that the readouts taking
    more than one of `values` take: how often the pair totals overcount them."""
    with connections[router.db_for_read(ReadoutFacet)].cursor() as cursor:
        cursor.execute(
            OVERCOUNTED_VALUES.format(values=placeholders(values), names=placeholders(names)),
            [facet, *values, *names],
        )
        return cursor.fetchall()


def overcount(facet, values):
    """How often the totals of `values` of `facet` overcount the readouts taking any."""
    with connections[router.db_for_read(ReadoutFacet)].cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(extra), 0) FROM ({OVERCOUNTED}) overcounted".format(
                values=placeholders(values)
            ),
            [facet, *values],
        )
        return cursor.fetchone()[0]


def years_taking(chosen):
    """{year: count} over the listed readouts `taking(chosen)` gives, from the
    years on the rows that find them."""
    rows, values = rows_taking(chosen)
    # A readout that takes two of the values (two countries) has two of the rows.
    once = len(values) > 1
    grouped = rows.values_list("year").annotate(total=Count("readout", distinct=once)).order_by()
    return {str(year): count for year, count in grouped}


def count_taking(chosen, up_to):
    """How many listed readouts `taking(chosen)` gives, if no more than `up_to`
    or known from the totals; else None."""
    bring_up_to_date()
    (facet, values), *more = chosen.items()
    if not more:
        # Any of a facet's values: their totals, less the readouts taking two.
        summed = FacetTotal.objects.filter(facet=facet, value__in=values).aggregate(
            count=Sum("count")
        )["count"]
        return (summed or 0) - (overcount(facet, values) if len(values) > 1 else 0)
    # A listed readout has one row under ALL: counted, they count each readout once.
    rows = ReadoutFacet.objects.filter(facet=ALL, readout__in=taking(chosen))
    counted = rows[: up_to + 1].count()
    return counted if counted <= up_to else None


def meetings_per_month():
    """{first day of a month: meetings} over the meetings of listed readouts."""
    return {
        datetime.date.fromisoformat(f"{value}-01"): count
        for value, count in totals([MEETING_MONTH])[MEETING_MONTH].items()
    }


# Each meeting's month is on one of its listed readouts, which also takes the
# country of each of the meeting's counterparts and each of its topics: paired
# with either, they count meetings.
MONTHS_BY = """
    SELECT other.value, month.value, COUNT(*)
    FROM readouts_readoutfacet month
    JOIN readouts_readoutfacet other
        ON other.readout_id = month.readout_id AND other.facet = %s
    WHERE month.facet = %s
    GROUP BY other.value, month.value
"""


def meetings_per_month_by(facet):
    """{value: {first day of a month: meetings}} over the meetings of listed
    readouts, by counterpart country ("country") or topic (MEETING_TOPIC)."""
    bring_up_to_date()
    with connections[router.db_for_read(ReadoutFacet)].cursor() as cursor:
        cursor.execute(MONTHS_BY, [facet, MEETING_MONTH])
        rows = cursor.fetchall()
    months, series = {}, defaultdict(dict)
    for value, month, count in rows:
        if month not in months:
            months[month] = datetime.date.fromisoformat(f"{month}-01")
        series[value][months[month]] = count
    return dict(series)


def listed_count():
    """How many readouts are listed, without counting them."""
    return total(ALL, "")


class FacetValues(list):
    """A facet's rows, with `values`: how many values it has, shown or not."""

    values = 0


def describe(counts, top=None, keep=None):
    """Facets' counts as the lists show them, {facet: FacetValues}: busiest first,
    each value as its URL has it, labelled (all the facets in one query).

    [{"value": "US", "label": "United States", "count": 12}, ...]; with `top`,
    only each facet's busiest `top` values and those in `keep` ({facet: stored values}).
    """
    keep = keep or {}
    shown = {}
    for name, values in counts.items():
        ranked = busiest_first(values)
        if top is not None:
            kept = set(keep.get(name) or ())
            ranked = [value for rank, value in enumerate(ranked) if rank < top or value in kept]
        shown[name] = ranked
    words = vocabularies(shown)
    described = {}
    for name, ranked in shown.items():
        labelled, values = words[name], counts[name]
        rows = FacetValues(
            {"value": labelled[value][0], "label": labelled[value][1], "count": values[value]}
            for value in ranked
            if value in labelled
        )
        rows.values = getattr(values, "every", len(values))
        described[name] = rows
    return described


def busiest_first(counts):
    return sorted(counts, key=lambda value: (-counts[value], value))


def stored_values(chosen):
    """The stored values of what a filter chose: objects, choices or a year."""
    if chosen is None or chosen == "":
        return ()
    if not isinstance(chosen, list | tuple) and not hasattr(chosen, "model"):
        chosen = [chosen]
    return tuple(sorted(stored_value(value) for value in chosen))


def stored_value(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)  # a year, as ?year= gives it
    return str(getattr(value, "ordinal", None) or getattr(value, "pk", value))


CHOICES = {
    "kind": Meeting.Kind.choices,
    "language": Readout.Language.choices,
    "translation_status": Readout.TranslationStatus.choices,
}

# The facets whose values are objects, and how a query reads them, all as text:
# (facet, stored value, the value a URL carries, name, parent id, parent's name,
# start date).
# One statement for all: six small queries cost a list page more than its facets.
OBJECT_LABELS = {
    "administration": (
        "SELECT 'administration', CAST(a.ordinal AS TEXT), NULL, p.name_form, NULL, NULL, NULL"
        " FROM readouts_administration a JOIN readouts_person p ON p.id = a.prime_minister_id"
        " WHERE a.ordinal IN ({})",
        int,
    ),
    "country": (
        "SELECT 'country', code, code, name, NULL, NULL, NULL FROM readouts_country"
        " WHERE code IN ({})",
        str,
    ),
    "person": (
        "SELECT 'person', CAST(id AS TEXT), slug, name_form, NULL, NULL, NULL"
        " FROM readouts_person WHERE id IN ({})",
        int,
    ),
    "issuer": (
        "SELECT 'issuer', CAST(id AS TEXT), slug, name, NULL, NULL, NULL"
        " FROM readouts_issuer WHERE id IN ({})",
        int,
    ),
    "topic": (
        "SELECT 'topic', CAST(t.id AS TEXT), t.slug, t.name, CAST(t.parent_id AS TEXT),"
        " p.name, NULL FROM readouts_topic t LEFT JOIN readouts_topic p ON p.id = t.parent_id"
        " WHERE t.id IN ({})",
        int,
    ),
    "occasion": (
        "SELECT 'occasion', CAST(id AS TEXT), slug, name, NULL, NULL, CAST(started_on AS TEXT)"
        " FROM readouts_occasion WHERE id IN ({})",
        int,
    ),
}


def vocabularies(shown):
    """{facet: {stored value: (the value a URL carries, the label a reader sees)}}
    for {facet: stored values}, in one query at most."""
    words, statements, parameters = {}, [], []
    for name, values in shown.items():
        words[name] = {}
        if name in CHOICES:
            words[name] = {
                value: (value, label) for value, label in CHOICES[name] if value in values
            }
        elif name == "year":
            words[name] = {value: (int(value), value) for value in values}
        elif name in OBJECT_LABELS:
            statement, kind = OBJECT_LABELS[name]
            keys = [kind(value) for value in values if kind is str or value.isdigit()]
            if keys:
                statements.append(statement.format(placeholders(keys)))
                parameters += keys
    if statements:
        with connections[router.db_for_read(Person)].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(statements), parameters)
            for name, value, *described in cursor.fetchall():
                words[name][value] = label(name, value, *described)
    return words


# Remembered by the process: a list labels a hundred values or more, each
# through a model's __str__, and the same text always gives the same label.
@lru_cache(maxsize=16384)
def label(name, value, url_value, text, parent_id, parent_name, started_on):
    """(the value a URL carries, the label a reader sees), as the objects name themselves."""
    if name == "administration":
        term = Administration(ordinal=int(value), prime_minister=Person(name_form=text))
        return term.ordinal, str(term)
    if name == "topic":
        parent = Topic(pk=parent_id, name=parent_name) if parent_id else None
        return url_value, str(Topic(name=text, parent=parent))
    if name == "occasion":
        started_on = datetime.date.fromisoformat(started_on) if started_on else None
        return url_value, str(Occasion(name=text, started_on=started_on))
    return url_value, text


# Noticing changes. Each receiver writes down the readouts a change concerns;
# the work of recounting is left for `bring_up_to_date`.


def readouts_of_meetings(meeting_ids):
    return Readout.objects.filter(meeting__in=meeting_ids).values_list("pk", flat=True)


def readouts_tagged(topic_ids):
    return Point.objects.filter(topics__in=topic_ids).values_list("readout_id", flat=True)


def alongside(readout_ids):
    """These readouts and the others of their meetings: a meeting's topics are on its first."""
    return readouts_of_meetings(Readout.objects.filter(pk__in=readout_ids).values("meeting_id"))


# Rows loaded as they are (loaddata: raw) bring their own facet rows.


def readout_changed(sender, instance, raw=False, **kwargs):
    """A readout's rows, and its meeting's other readouts': which is first may change."""
    if not raw:
        mark([instance.pk, *readouts_of_meetings([instance.meeting_id])])


def readout_moving(sender, instance, raw=False, **kwargs):
    """A readout given another meeting: the readouts it leaves behind."""
    if raw or instance._state.adding:
        return
    was = Readout.objects.filter(pk=instance.pk).values_list("meeting_id", flat=True).first()
    if was is not None and was != instance.meeting_id:
        mark(readouts_of_meetings([was]))


def meeting_changed(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        mark(readouts_of_meetings([instance.pk]))


def participation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        mark(readouts_of_meetings([instance.meeting_id]))


def point_deleted(sender, instance, **kwargs):
    mark([instance.readout_id, *alongside([instance.readout_id])])


def point_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        mark(alongside([instance.readout_id]))
    elif action == "pre_clear":
        mark(alongside(readouts_tagged([instance.pk])))
    else:
        mark(alongside(Point.objects.filter(pk__in=pk_set).values("readout_id")))


def topic_moving(sender, instance, raw=False, **kwargs):
    """A topic given another parent: its readouts now count under the new parent."""
    if raw or instance._state.adding:
        return
    was = Topic.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    if was != instance.parent_id:
        mark(readouts_tagged([instance.pk]))


def topic_deleted(sender, instance, **kwargs):
    mark(alongside(readouts_tagged([instance.pk])))


def term_changing(sender, instance, raw=False, **kwargs):
    """An administration's dates changed: the readouts of the days it gained or lost."""
    if raw:
        return
    spans = [(instance.started_on, instance.ended_on)]
    if not instance._state.adding:
        spans += Administration.objects.filter(pk=instance.pk).values_list("started_on", "ended_on")
        if spans[0] == spans[-1]:
            return
    mark(readouts_during(spans))


def term_deleted(sender, instance, **kwargs):
    mark(readouts_during([(instance.started_on, instance.ended_on)]))


def readouts_during(spans):
    within = Q()
    for started, ended in spans:
        day = Q(meeting__date__gte=started)
        if ended:
            day &= Q(meeting__date__lte=ended)
        within |= day
    return Readout.objects.listed().filter(within).values_list("pk", flat=True)


def connect():
    receivers = [
        (post_save, readout_changed, Readout),
        (post_delete, readout_changed, Readout),
        (pre_save, readout_moving, Readout),
        (post_save, meeting_changed, Meeting),
        (post_save, participation_changed, Participation),
        (post_delete, participation_changed, Participation),
        (post_delete, point_deleted, Point),
        (m2m_changed, point_topics_changed, Point.topics.through),
        (pre_save, topic_moving, Topic),
        (pre_delete, topic_deleted, Topic),
        (pre_save, term_changing, Administration),
        (pre_delete, term_deleted, Administration),
    ]
    for signal, receiver, sender in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=f"facets-{receiver.__name__}")
