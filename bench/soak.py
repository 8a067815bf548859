"""Soak test: 64 concurrent clients on the public site for a minute, and not one error.

    make soak                       # 2,000 meetings, 64 connections, 60 s
    make soak SOAK_MEETINGS=5000 SOAK_DURATION=120

Sets up as bench/run.py does (a throwaway PostgreSQL database, the synthetic
archive, gunicorn under production settings, the API's anonymous throttle
lifted) and runs wrk with one thread and 64 connections through a list of
public URLs (pages, searches, filters, feeds, the API and its exports; bench/soak.lua
rotates through them). Any answer that is not 2xx/3xx, any socket error or
timeout fails the run. The numbers go to bench/out/soak.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402
    BENCH,
    OUT,
    archive_facts,
    database_url,
    fetch,
    log,
    manage,
    q,
    recreate_database,
    server_environment,
    start_server,
    stop_server,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=int(os.environ.get("MEETINGS", 2000)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 60)))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 4)))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database", default="readouts_soak")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    return parser.parse_args()


def public_paths(env, base):
    """Public URLs of every kind, with real slugs from the generated archive."""
    facts = archive_facts(env)
    sample = json.loads(
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "import json\n"
            "from readouts.models import Readout, Person, Occasion, Topic, Point\n"
            "r = list(Readout.objects.listed().values_list('slug', flat=True)[:20])\n"
            "p = list(Person.objects.values_list('slug', flat=True)[:5])\n"
            "o = list(Occasion.objects.values_list('slug', flat=True)[:5])\n"
            "t = list(Topic.objects.values_list('slug', flat=True)[:5])\n"
            "k = list(Point.objects.public().values_list('readout__slug', 'key')[:5])\n"
            "print(json.dumps({'readouts': r, 'people': p, 'occasions': o, 'topics': t,"
            " 'points': k}))",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )
    paths = [
        "/",
        "/readouts/",
        "/readouts/?page=2",
        "/readouts/" + q(country="US", year=2020),
        "/readouts/" + q(q="cooperation"),
        "/readouts/" + q(q='"rule of law"'),
        "/readouts/" + q(q="Vellmoria"),
        "/readouts/" + q(kind="summit_telephone_talk", sort="date"),
        "/readouts/feed/",
        "/administrations/",
        "/administrations/101/",
        "/countries/",
        "/countries/us/",
        "/people/",
        "/occasions/",
        "/topics/",
        "/charts/",
        "/sitemap.xml",
        "/sitemap-readouts-2020.xml",
        "/robots.txt",
        "/healthz",
        facts["readout_path"],
        "/api/v1/readouts/",
        "/api/v1/readouts/" + q(facets="country,kind,year"),
        "/api/v1/readouts/" + q(q="cooperation"),
        "/api/v1/readouts/harvest/",
        "/api/v1/meetings/",
        "/api/v1/points/" + q(topic="synthetic-north-korea", q="peace"),
        "/api/v1/people/",
        "/api/v1/annotations/",
        "/api/schema/",
    ]
    for slug in sample["readouts"]:
        paths += [f"/readouts/{slug}/", f"/readouts/{slug}/cite/", f"/api/v1/readouts/{slug}/"]
    for slug, key in sample["points"]:
        paths += [f"/readouts/{slug}/points/{key}/cite/"]
    paths += [f"/people/{slug}/" for slug in sample["people"]]
    paths += [f"/occasions/{slug}/" for slug in sample["occasions"]]
    paths += [f"/topics/{slug}/" for slug in sample["topics"]]
    broken = {}
    for path in paths:
        status, _ = fetch(base + path, timeout=120)
        if not 200 <= status < 400:
            broken[path] = status
    return paths, broken


def soak(base, paths, duration, connections):
    OUT.mkdir(parents=True, exist_ok=True)
    listing = OUT / "soak-paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    result = subprocess.run(
        [
            "wrk",
            "--threads=1",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=10s",
            f"--script={BENCH / 'soak.lua'}",
            base + "/",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOAK_PATHS": str(listing)},
    )
    for line in result.stdout.splitlines():
        if line.startswith("SOAK_JSON "):
            return json.loads(line.removeprefix("SOAK_JSON "))
    raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install -y wrk (Debian's package)")
    url = database_url(args.admin_url, args.database)
    env = server_environment(url, args.port)
    base = f"http://127.0.0.1:{args.port}"
    log(f"creating database {args.database}")
    recreate_database(args.admin_url, args.database)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        log(f"generating {args.meetings:,} meetings")
        manage(env, "generate_archive", f"--meetings={args.meetings}", "--seed=1")
        manage(env, "collectstatic", "--noinput", "-v0")
        log(f"starting gunicorn with {args.workers} workers")
        server = start_server(env, args.port, args.workers)
        paths, broken = public_paths(env, base)
        log(f"{args.connections} clients for {args.duration} s over {len(paths)} public URLs")
        result = soak(base, paths, args.duration, args.connections)
    finally:
        if server is not None:
            stop_server(server)
        recreate_database(args.admin_url, args.database, drop_only=True)
    result.update(
        meetings=args.meetings,
        connections=args.connections,
        workers=args.workers,
        urls=len(paths),
        broken_before_the_run=broken,
    )
    (OUT / "soak.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    errors = (
        result["non_2xx_3xx"]
        + result["connect_errors"]
        + result["read_errors"]
        + result["write_errors"]
        + result["timeouts"]
    )
    if errors or broken:
        raise SystemExit(f"soak failed: {errors} errors under load, broken URLs: {broken}")
    log(f"no errors in {result['requests']:,} requests ({result['requests_per_second']:.0f}/s)")


if __name__ == "__main__":
    main()
