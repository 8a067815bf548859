"""Instructions per request, counted by valgrind: a measure that the machine's load does not move.

    python bench/instructions.py PATH [PATH ...] [--against CHECKOUT] [--requests 20]

Each path is asked in-process (Django's test client, the settings of
bench/api_baseline.py: DATABASE_URL names the archive, ARCHIVE_CACHE_SECONDS=0)
under `valgrind --tool=callgrind`, twice: with a few requests and with
--requests more. The difference, divided by --requests, is what one request
costs this process, without the start-up. With --against, another checkout
(a `git worktree` of an earlier commit) is counted the same way, beside it.

Only the Python process is counted, not PostgreSQL: a change to a query's
plan is timed with EXPLAIN ANALYZE instead. A run with the same code and
data gives the same count to within a few thousandths (hash seed fixed).
"""

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5  # requests before counting: caches filled, lazy imports done

ASK = """
import os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
import django
django.setup()
from django.test import Client
client = Client()
for _ in range(int(sys.argv[2])):
    client.get(sys.argv[1])
"""


def instructions(checkout, path, requests):
    """Instructions for `requests` requests of `path` in `checkout`, start-up included."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", ASK, path, str(requests)],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(re.search(r"Collected : (\d+)", run.stderr)[1])


def per_request(checkout, path, requests):
    # Asked once first: with the archive cache on, both counted runs then find
    # the page kept, where the first alone would have made it.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-c", ASK, path, "1"], cwd=checkout, env=env, check=True)
    return (
        instructions(checkout, path, WARM_UP + requests) - instructions(checkout, path, WARM_UP)
    ) / requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--against", type=Path, help="another checkout, counted beside this one")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.against.resolve()] if args.against else [])
    header = "instructions per request" + (
        f", {args.against} then this checkout" if args.against else ""
    )
    print(header)
    # The two checkouts are counted at once: valgrind runs one process on one core.
    with ThreadPoolExecutor(max_workers=len(checkouts)) as pool:
        for path in args.paths:
            asked = [pool.submit(per_request, root, path, args.requests) for root in checkouts]
            counts = [each.result() for each in asked]
            if len(counts) == 1:
                print(f"{path:<45} {counts[0] / 1e6:10.2f}M")
            else:
                after, before = counts
                print(
                    f"{path:<45} {before / 1e6:10.2f}M {after / 1e6:10.2f}M {after / before:8.3f}"
                )


if __name__ == "__main__":
    main()
