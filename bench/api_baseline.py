"""The API list against a hand-written baseline for the same rows (bench/baseline.py).

Three times, each the median of many runs taken in turns, with the archive cache off:
the API list through the whole stack in-process (middleware, DRF, filters,
pagination with its total, ETag); the baseline served as a view behind the
same stack (bench/urls.py); and the baseline's own work, called directly.
Before timing, the baseline must give the API's own rows.

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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from bench.baseline import page  # noqa: E402

BASE = "http://testserver"


def medians_ms(works, repeat):
    """Each work's median time, the works taking turns: a machine that slows
    down for a while slows them all alike, and their ratios hold."""
    for work in works.values():
        for _ in range(10):
            work()
    times = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(taken) for name, taken in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    client = Client()
    api = json.loads(client.get("/api/v1/readouts/").content)["results"]
    assert api == json.loads(page(BASE))["results"], "the baseline must give the API's own rows"
    served = json.loads(client.get("/bench/api-baseline").content)["results"]
    assert served == api, "the baseline view must give the API's own rows"

    def get(path):
        return lambda: client.get(path).status_code == 200 or sys.exit(f"{path} failed")

    figures = medians_ms(
        {
            "api_list_ms": get("/api/v1/readouts/"),
            "baseline_view_ms": get("/bench/api-baseline"),
            "baseline_ms": lambda: page(BASE),
            "healthz_ms": get("/healthz"),
        },
        args.repeat,
    )
    # Request for request: both answers go through the same middleware.
    figures["ratio_to_baseline_view"] = figures["api_list_ms"] / figures["baseline_view_ms"]
    # The API's whole request against the baseline's work alone.
    figures["ratio_to_baseline_work"] = figures["api_list_ms"] / figures["baseline_ms"]
    print(json.dumps({key: round(value, 3) for key, value in figures.items()}))


if __name__ == "__main__":
    main()
