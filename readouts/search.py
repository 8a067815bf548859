"""Full-text search: PostgreSQL's when the archive runs on it, a plain fallback otherwise.

On PostgreSQL, migration 0003 adds stored, generated `search_vector` columns
(readout title weighted A, lead B; point text B) with GIN indexes, and trigram
indexes for Japanese text, which has no word boundaries for to_tsvector (a
term of one or two characters has no trigram, and is found by reading). The
columns are not model fields, so that the same models run on SQLite; the SQL
that reads them is all here.

Queries use websearch syntax: "a quoted phrase", -exclusion, or.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IContains

# Hiragana, katakana and CJK ideographs: text to_tsvector cannot split into words.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")

TSQUERY = "websearch_to_tsquery('english', %s)"

# How many matching readouts and how many matching points a search takes as
# candidates. A common word matches a large share of all points; ranking them
# all on every request would make search slower as the archive grows, so a
# search ranks at most this many, found through the GIN indexes: the latest
# entered (ORDER BY id DESC). Without an order, the cap kept whichever rows a
# plan read first, which could differ between a page and its count, or a page
# and the next (a scan of a large table may start where another one is).
CANDIDATES = 5000


def is_postgresql():
    return connection.vendor == "postgresql"


def has_japanese(query):
    return bool(JAPANESE.search(query))


def terms(query):
    """The words and phrases of a websearch query, without operators or excluded words."""
    found = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', query):
        if phrase:
            found.append(phrase)
        elif not word.startswith("-") and word.lower() != "or":
            found.append(word)
    return [term for term in found if term.strip()]


def excluded_terms(query):
    return [word[1:] for word in query.split() if word.startswith("-") and len(word) > 1]


class ILike(IContains):
    """`icontains` written as ILIKE on PostgreSQL, which the trigram indexes
    serve: Django writes UPPER(column) LIKE UPPER(%s), which no index serves,
    and each Japanese search read every point.

    A term with no letter that has a case, as Japanese ones, is matched with
    LIKE: the same rows, without folding the case of every text read.
    """

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        uncased = isinstance(self.rhs, str) and self.rhs.lower() == self.rhs.upper()
        return f"{lhs} {'LIKE' if uncased else 'ILIKE'} {rhs}", (*lhs_params, *rhs_params)


def text_contains_all(query, text_field):
    """The fallback: every term appears (case-insensitively), no excluded word does."""
    condition = Q()
    for term in terms(query):
        condition &= Q(ILike(F(text_field), term))
    for term in excluded_terms(query):
        condition &= ~Q(ILike(F(text_field), term))
    return condition


def best_points():
    """SQL for the candidate points' best rank in each readout, as one JSON
    object {readout id: rank}, taking the query twice.

    Uncorrelated, the subquery is worked out once per query (an InitPlan), and
    each readout looks its own rank up. A subquery per readout, finding its
    matching points again, took a quarter longer for a quoted phrase in 9,000
    points, half again as long for a common word, three times for a rare one.
    Each point is ranked as it is found, so that the latest are kept by sorting
    their ranks, not their search vectors: sorted, those spilled to disk.
    """
    return (
        "(SELECT jsonb_object_agg(readout_id, best) FROM ("
        "SELECT readout_id, max(rank) AS best FROM ("
        f"SELECT readout_id, ts_rank(search_vector, {TSQUERY}) AS rank FROM readouts_point"
        f" WHERE search_vector @@ {TSQUERY} ORDER BY id DESC LIMIT {CANDIDATES}) capped"
        " GROUP BY readout_id) ranked)"
    )


def search_readouts(readouts, query):
    """Readouts whose title, lead or points match; ranked on PostgreSQL."""
    from .models import Point, Readout

    unranked = Value(0.0, output_field=FloatField())
    if not terms(query):
        # Nothing to look for (only -exclusions, say): no readout, ranked like any search.
        return readouts.none().annotate(rank=unranked)
    if not is_postgresql():
        matching_points = Point.objects.filter(text_contains_all(query, "text"))
        return readouts.filter(
            Q(text_contains_all(query, "title"))
            | Q(text_contains_all(query, "lead"))
            | Q(pk__in=matching_points.values("readout_id"))
        ).annotate(rank=unranked)
    if has_japanese(query):
        # Found through the trigram indexes, capped as words are. Or'ed with an
        # IN subquery, the titles and leads were read one by one instead: half a
        # second for a word in no readout of 90,000.
        in_title_or_lead = text_contains_all(query, "title") | text_contains_all(query, "lead")
        candidates = (
            Readout.objects.filter(in_title_or_lead).order_by("-pk").values("pk")[:CANDIDATES]
        ).union(
            Point.objects.filter(text_contains_all(query, "text"))
            .order_by("-pk")
            .values("readout_id")[:CANDIDATES]
        )
        return readouts.filter(pk__in=candidates).annotate(rank=unranked)
    # One semi-join on a capped UNION of the two index scans: an OR of two
    # IN subqueries keeps the planner from using the GIN indexes well.
    candidates = RawSQL(
        f"(SELECT id FROM readouts_readout WHERE search_vector @@ {TSQUERY}"
        f" ORDER BY id DESC LIMIT {CANDIDATES})"
        " UNION "
        f"(SELECT readout_id FROM readouts_point WHERE search_vector @@ {TSQUERY}"
        f" ORDER BY id DESC LIMIT {CANDIDATES})",
        [query, query],
    )
    # Ranked per readout: its title and lead, plus its best candidate point.
    rank = RawSQL(
        f"ts_rank(readouts_readout.search_vector, {TSQUERY})"
        f" + coalesce(({best_points()} ->> readouts_readout.id::text)::real, 0)",
        [query, query, query],
        output_field=FloatField(),
    )
    return readouts.filter(pk__in=candidates).annotate(rank=rank)


def search_points(points, query, capped=True):
    """Points matching a websearch-style query, annotated with `rank`.

    A search of all points takes no more than CANDIDATES of them. `capped=False`
    is for a set already small, the points of a page of readouts, say: every
    match among them is found, and none is looked for elsewhere.
    """
    if not terms(query):
        return points.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgresql() and not has_japanese(query):
        if capped:
            # Capped as readouts are: a common word would otherwise rank a large
            # share of all points on every request.
            candidates = RawSQL(
                f"SELECT id FROM readouts_point WHERE search_vector @@ {TSQUERY}"
                f" ORDER BY id DESC LIMIT {CANDIDATES}",
                [query],
            )
            points = points.filter(pk__in=candidates)
        else:
            points = points.filter(
                RawSQL(
                    f"readouts_point.search_vector @@ {TSQUERY}",
                    [query],
                    output_field=BooleanField(),
                )
            )
        return points.annotate(
            rank=RawSQL(
                f"ts_rank(readouts_point.search_vector, {TSQUERY})",
                [query],
                output_field=FloatField(),
            )
        )
    return points.filter(text_contains_all(query, "text")).annotate(
        rank=Value(0.0, output_field=FloatField())
    )


def highlight(text, query, width=240):
    """A snippet of `text` around the first term of `query`, terms wrapped in <mark>.

    Returns (before, marked, after) pieces as plain strings, for the template to
    escape: no HTML is built from the archive's text here.
    """
    lowered = text.lower()
    positions = [
        (lowered.find(term.lower()), term) for term in terms(query) if term.lower() in lowered
    ]
    if not positions:
        return [(text[:width], False)]
    start, _ = min(positions)
    begin = max(0, start - width // 3)
    snippet = text[begin : begin + width]
    pattern = re.compile("|".join(re.escape(term) for _, term in positions), re.IGNORECASE)
    pieces, cursor = [], 0
    for found in pattern.finditer(snippet):
        pieces.append((snippet[cursor : found.start()], False))
        pieces.append((found.group(), True))
        cursor = found.end()
    pieces.append((snippet[cursor:], False))
    if begin > 0:
        pieces.insert(0, ("…", False))
    if begin + width < len(text):
        pieces.append(("…", False))
    return pieces
