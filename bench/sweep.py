"""Every kind of public page and API answer, timed in-process: what the load test does not serve.

bench/run.py loads a dozen endpoints. A person's page, the charts, the
indexes, a harvest page or the API's other lists each run their own queries
and templates, and one of them can be slow for months before anyone asks for
it (the charts took half a second, a harvest page more). This asks for each,
on an archive kept from `make bench`, and prints the slowest first: the
median of --repeat requests taken in turns, the queries made and the time
spent waiting on them. The paths name the archive's busiest person, country,
topic and occasion, found in it.

    DATABASE_URL=... ARCHIVE_CACHE_SECONDS=0 python bench/sweep.py [--repeat 5]

Writes bench/out/sweep.json.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.api_baseline import medians_ms  # noqa: E402 (it sets Django up: bench/settings.py)
from bench.run import OUT  # noqa: E402
from readouts.models import FacetTotal, Meeting, Occasion, Person, Readout, Topic  # noqa: E402


def busiest(facet):
    """The stored value of `facet` that most listed readouts take."""
    return FacetTotal.objects.filter(facet=facet).order_by("-count", "value").first().value


def paths():
    readout = Readout.objects.listed().order_by("pk").first()
    person = Person.objects.get(pk=busiest("person"))
    country = busiest("country")
    second_country = FacetTotal.objects.filter(facet="country").order_by("-count", "value")[1].value
    topic = Topic.objects.get(pk=busiest("topic"))
    occasion = Occasion.objects.get(pk=busiest("occasion"))
    administration = busiest("administration")
    year = busiest("year")
    meeting = Meeting.objects.with_public_readouts().order_by("pk").first()
    return [
        "/",
        "/readouts/",
        f"/readouts/?country={country}&country={second_country}",
        "/readouts/?date_after=2020-01-01&date_before=2020-06-30",
        "/readouts/?q=peace&country=" + country,
        readout.get_absolute_url(),
        f"{readout.get_absolute_url()}cite/",
        "/readouts/feed/",
        person.get_absolute_url(),
        f"/countries/{country.lower()}/",
        topic.get_absolute_url(),
        occasion.get_absolute_url(),
        f"/administrations/{administration}/",
        "/people/",
        "/countries/",
        "/topics/",
        "/occasions/",
        "/administrations/",
        "/charts/",
        "/charts/?by=topic",
        "/sitemap.xml",
        f"/sitemap-readouts-{year}.xml",
        f"/api/v1/readouts/{readout.slug}/",
        "/api/v1/readouts/harvest/",
        "/api/v1/meetings/",
        f"/api/v1/meetings/{meeting.pk}/",
        "/api/v1/points/",
        "/api/v1/people/",
        f"/api/v1/people/{person.slug}/",
        "/api/v1/topics/",
        "/api/v1/countries/",
        "/api/v1/administrations/",
        "/api/v1/occasions/",
        "/api/v1/annotations/",
    ]


def queries_of(client, path):
    """(queries, ms spent waiting on them) for one request."""
    waited = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timed):
        client.get(path)
    return len(waited), sum(waited)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    client = Client()
    every = paths()
    for path in every:
        status = client.get(path).status_code
        if status != 200:
            sys.exit(f"{path} answered {status}")

    def get(path):
        return lambda: client.get(path)

    medians = medians_ms({path: get(path) for path in every}, args.repeat)
    rows = []
    for path in sorted(every, key=medians.get, reverse=True):
        queries, sql_ms = queries_of(client, path)
        rows.append({"path": path, "ms": medians[path], "queries": queries, "sql_ms": sql_ms})
    print(f"{'path':60} {'ms':>8} {'queries':>8} {'SQL ms':>8}")
    for row in rows:
        print(f"{row['path'][:60]:60} {row['ms']:8.1f} {row['queries']:8} {row['sql_ms']:8.1f}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sweep.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
