"""Full-text search: PostgreSQL's when the archive runs on it, a plain fallback otherwise.

On PostgreSQL, migration 0003 adds stored, generated `search_vector` columns
(readout title weighted A, lead B; point text B) with GIN indexes. Japanese
text has no word boundaries for to_tsvector: migration 0017 adds
`bigram_vector` columns beside them, the pairs of neighbouring Japanese
characters as words, weighted the same way. A Japanese term is looked up by
its pairs, and each text found is checked for the term itself. The columns
are not model fields, so that the same models run on SQLite; the SQL that
reads them is all here.

Queries use websearch syntax: "a quoted phrase", -exclusion, or.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IContains

# Hiragana, katakana and CJK ideographs: text to_tsvector cannot split into words.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")

# Kana and kanji letters, without the marks among them (・, ー, ゝ...), which a
# text search parser may take for punctuation rather than part of a word.
JAPANESE_LETTER = r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff]"

TSQUERY = "websearch_to_tsquery('english', %s)"
# Every pair of Japanese characters of the terms (the same function made the vectors).
BIGRAM_TSQUERY = "plainto_tsquery('simple', readouts_bigrams(%s))"

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


def bigram_words(query):
    """The query's terms, for readouts_bigrams() to take their pairs from; None
    when no term has two Japanese characters in a row, and so no pair."""
    words = " ".join(terms(query))
    return words if re.search(f"{JAPANESE.pattern}{{2}}", words) else None


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


def is_one_pair(term):
    """Whether the term is two Japanese letters: then a text's pairs
    (bigram_vector) hold the term's one pair exactly when its text holds it."""
    return re.fullmatch(f"{JAPANESE_LETTER}{{2}}", term) is not None


class ILike(IContains):
    """`icontains` on PostgreSQL as LIKE for a term with no letter that has a
    case, as Japanese ones are: the same rows, without folding the case of
    every text read, as Django's UPPER(column) LIKE UPPER(term) does. ILIKE
    for any other term."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        uncased = isinstance(self.rhs, str) and self.rhs.lower() == self.rhs.upper()
        return f"{lhs} {'LIKE' if uncased else 'ILIKE'} {rhs}", (*lhs_params, *rhs_params)


def text_contains_all(query, text_field, by_pairs=False):
    """Every term appears (case-insensitively), no excluded word does: the
    search on SQLite, and the check of each text a Japanese search finds.

    `by_pairs`: the texts were found by the pairs of the terms, in their own
    vector. A term that is one pair is in them already, and is not looked for
    again: reading every text for a common two-character word (経済, in one
    point in seven) made PostgreSQL expect few, and sort them all to keep
    the latest, where it reads back from the latest until it has enough.
    """
    condition = Q()
    for term in terms(query):
        if not (by_pairs and is_one_pair(term)):
            condition &= Q(ILike(F(text_field), term))
    for term in excluded_terms(query):
        condition &= ~Q(ILike(F(text_field), term))
    return condition


def best_points(ranked_points):
    """SQL for the candidate points' best rank in each readout, as one JSON
    object {readout id: rank}: `ranked_points` is SQL selecting the readout_id
    and rank of the latest CANDIDATES matching points.

    Uncorrelated, the subquery is worked out once per query (an InitPlan), and
    each readout looks its own rank up. A subquery per readout, finding its
    matching points again, took a quarter longer for a quoted phrase in 9,000
    points, half again as long for a common word, three times for a rare one.
    Each point is ranked as it is found, so that the latest are kept by sorting
    their ranks, not their search vectors: sorted, those spilled to disk.
    """
    return (
        "(SELECT jsonb_object_agg(readout_id, best) FROM ("
        f"SELECT readout_id, max(rank) AS best FROM ({ranked_points}) capped"
        " GROUP BY readout_id) ranked)"
    )


def readout_rank(vector, tsquery, words, ranked_points):
    """Each readout's rank: its title and lead, plus its best candidate point
    (`best_points` of `ranked_points`: SQL, and its parameters)."""
    points, params = ranked_points
    return RawSQL(
        f"ts_rank(readouts_readout.{vector}, {tsquery})"
        f" + coalesce(({best_points(points)} ->> readouts_readout.id::text)::real, 0)",
        [words, *params],
        output_field=FloatField(),
    )


def has_bigrams_of(words, vector="bigram_vector"):
    """A condition on readouts or points: their vector holds every pair of the words.

    The vector unqualified is for a subquery of one table, whose alias is Django's.
    """
    return RawSQL(f"{vector} @@ {BIGRAM_TSQUERY}", [words], output_field=BooleanField())


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
        # Capped as words are, and each candidate checked for the terms
        # themselves: the pairs of 東京都 (東京, 京都) are in 東京と京都 too.
        words = bigram_words(query)
        in_title_or_lead = text_contains_all(query, "title") | text_contains_all(query, "lead")
        readouts_found = Readout.objects.filter(in_title_or_lead)
        points_found = Point.objects.filter(text_contains_all(query, "text", by_pairs=bool(words)))
        if words:
            readouts_found = readouts_found.filter(has_bigrams_of(words))
            points_found = points_found.filter(has_bigrams_of(words))
        candidates = (readouts_found.order_by("-pk").values("pk")[:CANDIDATES]).union(
            points_found.order_by("-pk").values("readout_id")[:CANDIDATES]
        )
        if not words:  # A term of one character has no pair to look up, nor a rank.
            return readouts.filter(pk__in=candidates).annotate(rank=unranked)
        # Ranked by the points found, which hold the terms, not by every point
        # that holds their pairs.
        ranked_points = (
            points_found.annotate(
                rank=RawSQL(f"ts_rank(bigram_vector, {BIGRAM_TSQUERY})", [words], FloatField())
            )
            .order_by("-pk")
            .values("readout_id", "rank")[:CANDIDATES]
        )
        rank = readout_rank(
            "bigram_vector", BIGRAM_TSQUERY, words, ranked_points.query.sql_with_params()
        )
        return readouts.filter(pk__in=candidates).annotate(rank=rank)
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
    ranked_points = (
        f"SELECT readout_id, ts_rank(search_vector, {TSQUERY}) AS rank FROM readouts_point"
        f" WHERE search_vector @@ {TSQUERY} ORDER BY id DESC LIMIT {CANDIDATES}",
        [query, query],
    )
    return readouts.filter(pk__in=candidates).annotate(
        rank=readout_rank("search_vector", TSQUERY, query, ranked_points)
    )


def search_points(points, query, capped=True):
    """Points matching a websearch-style query, annotated with `rank`.

    A search of all points takes no more than CANDIDATES of them. `capped=False`
    is for a set already small, the points of a page of readouts, say: every
    match among them is found, and none is looked for elsewhere.
    """
    if not terms(query):
        return points.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgresql() and bigram_words(query):  # Japanese, with a pair to look up
        return search_japanese_points(points, query, capped)
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
    # SQLite; or a Japanese term of one character, which has no pair to look up.
    return points.filter(text_contains_all(query, "text")).annotate(
        rank=Value(0.0, output_field=FloatField())
    )


def search_japanese_points(points, query, capped):
    """`search_points` for Japanese: found by the terms' pairs, checked for the terms."""
    from .models import Point

    words = bigram_words(query)
    if capped:
        candidates = Point.objects.filter(
            has_bigrams_of(words), text_contains_all(query, "text", by_pairs=True)
        )
        points = points.filter(pk__in=candidates.order_by("-pk").values("pk")[:CANDIDATES])
    else:
        points = points.filter(
            has_bigrams_of(words, vector="readouts_point.bigram_vector"),
            text_contains_all(query, "text", by_pairs=True),
        )
    return points.annotate(
        rank=RawSQL(
            f"ts_rank(readouts_point.bigram_vector, {BIGRAM_TSQUERY})",
            [words],
            output_field=FloatField(),
        )
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
