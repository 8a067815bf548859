"""The API list against a hand-written baseline for the same rows.

The baseline is what the fastest honest code would do for the same answer:
one values() query for the page's 20 readouts with their issuer, meeting and
occasion, dicts built by hand with formatted URLs, and orjson. The API list
is timed through the whole stack in-process (middleware, DRF, pagination
with its total, ETag), with the archive cache off. Both are repeated and
the medians compared.

    DATABASE_URL=... ARCHIVE_CACHE_SECONDS=0 python bench/api_baseline.py [--repeat 200]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.test import Client  # noqa: E402

from readouts.models import Meeting, Readout  # noqa: E402

BASE = "http://testserver"
KINDS = dict(Meeting.Kind.choices)


def baseline():
    rows = (
        Readout.objects.listed()
        .order_by("-meeting__date", "-pk")
        .values(
            "slug",
            "title",
            "language",
            "translation_status",
            "status",
            "published_on",
            "withdrawal_note",
            "issuer__slug",
            "issuer__name",
            "issuer__short_name",
            "issuer__country_id",
            "meeting_id",
            "meeting__date",
            "meeting__kind",
            "meeting__city",
            "meeting__country_id",
            "meeting__occasion__slug",
            "meeting__occasion__name",
        )[:20]
    )
    results = [
        {
            "slug": row["slug"],
            "url": f"{BASE}/api/v1/readouts/{row['slug']}/",
            "html_url": f"{BASE}/readouts/{row['slug']}/",
            "title": row["title"],
            "language": row["language"],
            "translation_status": row["translation_status"],
            "status": row["status"],
            "published_on": row["published_on"].isoformat(),
            "issuer": {
                "slug": row["issuer__slug"],
                "name": row["issuer__name"],
                "short_name": row["issuer__short_name"],
                "country": row["issuer__country_id"],
            },
            "meeting": {
                "id": row["meeting_id"],
                "url": f"{BASE}/api/v1/meetings/{row['meeting_id']}/",
                "date": row["meeting__date"].isoformat(),
                "kind": row["meeting__kind"],
                "kind_display": str(KINDS[row["meeting__kind"]]),
                "city": row["meeting__city"],
                "country": row["meeting__country_id"],
                "occasion": {
                    "slug": row["meeting__occasion__slug"],
                    "url": f"{BASE}/api/v1/occasions/{row['meeting__occasion__slug']}/",
                    "name": row["meeting__occasion__name"],
                }
                if row["meeting__occasion__slug"]
                else None,
            },
            "withdrawal_note": row["withdrawal_note"],
        }
        for row in rows
    ]
    return orjson.dumps({"results": results})


def median_ms(work, repeat):
    for _ in range(10):
        work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    client = Client()
    api = json.loads(client.get("/api/v1/readouts/").content)["results"]
    mine = json.loads(baseline())["results"]
    assert api == mine, "the baseline must give the API's own rows"

    def api_list():
        response = client.get("/api/v1/readouts/")
        assert response.status_code == 200

    def ceiling():
        assert client.get("/healthz").status_code == 200

    figures = {
        "api_list_ms": median_ms(api_list, args.repeat),
        "baseline_ms": median_ms(baseline, args.repeat),
        "healthz_ms": median_ms(ceiling, args.repeat),
    }
    figures["ratio"] = figures["api_list_ms"] / figures["baseline_ms"]
    figures["ratio_after_framework"] = (figures["api_list_ms"] - figures["healthz_ms"]) / figures[
        "baseline_ms"
    ]
    print(json.dumps({key: round(value, 3) for key, value in figures.items()}))


if __name__ == "__main__":
    main()
