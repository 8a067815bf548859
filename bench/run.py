"""Load-test the archive as production runs it, on a throwaway PostgreSQL database.

    make bench                          # 50,000 meetings, 30 s per endpoint
    make bench MEETINGS=5000 DURATION=5 # a quick run

Creates a database, migrates, generates the synthetic archive, serves it with
gunicorn under production settings on loopback and drives each endpoint with
wrk (one thread: the machine's cores belong to gunicorn and PostgreSQL).
`/healthz` runs behind the same server and middleware and does no work: it
is the ceiling each endpoint is compared with. Then the SQL of each page is
timed on its own (bench/profile_sql.py) and import throughput is measured
(bench/import_throughput.py). Results go to bench/results.json; logs and
query plans to bench/out/. The database is dropped at the end unless --keep-db.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

SEARCH_RARE = "Vellmoria"  # readouts/synthetic.py: in about one point in 2,000
SEARCH_COMMON = "cooperation"
SEARCH_PHRASE = '"rule of law"'
SEARCH_JAPANESE = "首脳会談"  # in about one point in 80, found by its character pairs
POINTS_TOPIC = "synthetic-north-korea"
SEARCHES = (
    *("search_rare", "search_common", "search_phrase", "search_japanese"),
    *("api_search_rare", "api_search_common", "api_search_phrase", "api_search_japanese"),
)
LATENCIES = ("p50_ms", "p95_ms", "p99_ms")


def q(**params):
    return "?" + urllib.parse.urlencode(params)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=int(os.environ.get("MEETINGS", 50_000)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 30)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 4)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="readouts_bench")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="A database to connect to for CREATE/DROP DATABASE.",
    )
    parser.add_argument("--keep-db", action="store_true", help="Do not drop the database after.")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="Measure the archive already in --database (from an earlier --keep-db run).",
    )
    parser.add_argument("--skip-import", action="store_true", help="Skip the import benchmark.")
    parser.add_argument("--output", type=Path, default=BENCH / "results.json")
    return parser.parse_args()


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(admin_url, name):
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def recreate_database(admin_url, name, drop_only=False):
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def configure_database(admin_url, name):
    """As docs/deployment.md asks of a production database on SSD storage."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def server_environment(url, port):
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        # Production settings with one more URL, the API list's baseline (bench/baseline.py).
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECURE_SSL_REDIRECT="false",
        CONN_MAX_AGE="600",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        LOG_LEVEL="ERROR",
        # The API throttles anonymous clients per address; wrk is one address.
        # DRF keeps each address's request times in the cache, as one list over
        # the rate's window: a minute's window at this rate would make that list
        # tens of thousands long, rewritten per request. A second's keeps it as
        # short as a real client's at the real rate.
        API_ANON_RATE="1000000/second",
        API_ANON_EXPORT_RATE="1000000/second",
    )
    env.pop("DATABASE_REPLICA_URL", None)
    return env


def manage(env, *args, capture=False, root=ROOT):
    command = [PYTHON, "manage.py", *args]
    if capture:
        return subprocess.run(
            command, cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout
    subprocess.run(command, cwd=root, env=env, check=True)
    return None


def django_json(env, code):
    """Run a snippet in the project's shell and read the JSON it prints last."""
    out = manage(env, "shell", "--no-imports", "-c", code, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def archive_facts(env):
    return django_json(
        env,
        "import json\n"
        "from readouts.models import Administration, Readout, Point, Meeting\n"
        "r = (Readout.objects.listed().filter(language='en', translation_of__isnull=False,"
        " points__parent__isnull=False).order_by('-published_on').first())\n"
        "first = Administration.objects.order_by('ordinal').select_related('prime_minister')[0]\n"
        "print(json.dumps({'meetings': Meeting.objects.count(), 'readouts':"
        " Readout.objects.count(), 'points': Point.objects.count(),"
        " 'readout_path': r.get_absolute_url(),"
        " 'earliest_prime_minister': first.prime_minister.slug,"
        " 'third_year': Meeting.objects.order_by('date')[0].date.year + 2}))",
    )


def fetch(url, timeout=60):
    request = urllib.request.Request(url, headers={"Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def csv_export_path(base):
    """The CSV export, as the API's schema names it; None when there is none."""
    status, body = fetch(base + "/api/schema/?format=json")
    if status != 200:
        return None
    try:
        paths = json.loads(body)["paths"]
    except (ValueError, KeyError):
        return None
    for path, operations in paths.items():
        produces = json.dumps(operations)
        if "{" not in path and ("text/csv" in produces or path.rstrip("/").endswith("csv")):
            return path
    return None


def endpoints(base, facts):
    listed = {
        "healthz": "/healthz",
        "home": "/",
        "list": "/readouts/",
        "list_filtered": "/readouts/" + q(country="US", year=2020),
        # The archive's first prime minister: his meetings are its oldest.
        "list_person": "/readouts/" + q(person=facts["earliest_prime_minister"]),
        "list_dates": "/readouts/" + q(date_after=f"{facts['third_year']}-01-01"),
        "search_rare": "/readouts/" + q(q=SEARCH_RARE),
        "search_common": "/readouts/" + q(q=SEARCH_COMMON),
        "search_phrase": "/readouts/" + q(q=SEARCH_PHRASE),
        "search_japanese": "/readouts/" + q(q=SEARCH_JAPANESE),
        "readout_page": facts["readout_path"],
        "api_list": "/api/v1/readouts/",
        "api_baseline": "/bench/api-baseline",
        # The same searches as a program asks them: the search without the page.
        "api_search_rare": "/api/v1/readouts/" + q(q=SEARCH_RARE),
        "api_search_common": "/api/v1/readouts/" + q(q=SEARCH_COMMON),
        "api_search_phrase": "/api/v1/readouts/" + q(q=SEARCH_PHRASE),
        "api_search_japanese": "/api/v1/readouts/" + q(q=SEARCH_JAPANESE),
    }
    status, body = fetch(base + "/api/v1/readouts/")
    notes = []
    try:
        first = json.loads(body)["results"][0]
        listed["api_detail"] = urllib.parse.urlsplit(first["url"]).path
    except (ValueError, KeyError, IndexError, TypeError):
        notes.append(f"api_detail skipped: the API list answered {status} without a readout url")
    listed["api_points_filter"] = "/api/v1/points/" + q(topic=POINTS_TOPIC, q="peace")
    export = csv_export_path(base)
    if export:
        listed["csv_export"] = export
    else:
        notes.append("csv_export skipped: the API schema names no CSV endpoint")
    return listed, notes


def start_server(env, port, workers, root=ROOT, log_name="gunicorn.log"):
    """gunicorn serving the checkout at `root` (this one unless said), with this environment."""
    OUT.mkdir(parents=True, exist_ok=True)
    command = [
        GUNICORN,
        "archive.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        f"--error-logfile={OUT / log_name}",
    ]
    server = subprocess.Popen(command, cwd=root, env=env, start_new_session=True)
    for _ in range(100):
        time.sleep(0.2)
        try:
            if fetch(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
    stop_server(server)
    raise SystemExit(f"gunicorn did not come up: see {OUT / log_name}")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def wrk(url, duration, connections):
    result = subprocess.run(
        [
            "wrk",
            "--threads=1",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=30s",
            f"--script={BENCH / 'latency.lua'}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk printed no result for {url}:\n{result.stdout}\n{result.stderr}")


def git_commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    return git("rev-parse", "HEAD"), bool(git("status", "--porcelain", "--untracked-files=no"))


def ms(value):
    return f"{value:>8.1f}" if value is not None else f"{'-':>8}"


def print_searches_alone(results):
    alone = {
        name: results[name]["one_per_worker"]
        for name in SEARCHES
        if "one_per_worker" in results.get(name, {})
    }
    if not alone:
        return
    connections = next(iter(alone.values()))["connections"]
    print(f"searches with {connections} connections, one per worker (no waiting behind another):")
    for name, row in alone.items():
        sql_ms = results[name].get("sql", {}).get("sql_ms")
        # What a search's p95 should stay within: 1.3 times its own SQL, plus 10 ms.
        target = f"  target p95 {ms(1.3 * sql_ms + 10)}" if sql_ms else ""
        print(
            f"{name:<18} {row['requests_per_second']:>8.1f} req/s  p50 {ms(row['p50_ms'])}"
            f"  p95 {ms(row['p95_ms'])}  p99 {ms(row['p99_ms'])} ms{target}"
        )
    print()


def print_table(results):
    print()
    print(f"{'endpoint':<18} {'status':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'ceiling':>8} {'queries':>7} {'1 req ms':>8} {'SQL ms':>8} "
          f"{'app/SQL':>7}")  # fmt: skip
    for name, row in results.items():
        if "requests_per_second" not in row:
            print(f"{name:<18} {row.get('status', '-'):>6}  {row.get('note', '')}")
            continue
        sql = row.get("sql", {})
        ratio = row.get("app_to_sql")
        print(
            f"{name:<18} {row['status']:>6} {row['requests_per_second']:>8.1f} "
            f"{ms(row['p50_ms'])} {ms(row['p95_ms'])} {ms(row['p99_ms'])} "
            f"{row['ratio_to_ceiling']:>8.3f} {sql.get('queries', '-'):>7} "
            f"{sql.get('in_process_ms', '-'):>8} {sql.get('sql_ms', '-'):>8} "
            f"{(f'{ratio:.1f}' if ratio else '-'):>7}"
        )
    print()


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install -y wrk (Debian's package)")
    started = time.monotonic()
    load_before = os.getloadavg()
    url = database_url(args.admin_url, args.database)
    env = server_environment(url, args.port)
    base = f"http://127.0.0.1:{args.port}"

    if not args.reuse_db:
        log(f"creating database {args.database}")
        recreate_database(args.admin_url, args.database)
    configure_database(args.admin_url, args.database)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        if not args.reuse_db:
            log(f"generating {args.meetings:,} meetings")
            manage(env, "generate_archive", f"--meetings={args.meetings}", f"--seed={args.seed}")
        manage(env, "collectstatic", "--noinput", "-v0")
        facts = archive_facts(env)

        log(f"starting gunicorn with {args.workers} workers")
        server = start_server(env, args.port, args.workers)
        paths, notes = endpoints(base, facts)
        results = {}
        for name, path in paths.items():
            status, _ = fetch(base + path, timeout=120)
            if status != 200:
                results[name] = {"path": path, "status": status, "note": f"answered {status}"}
                notes.append(f"{name} skipped: {path} answered {status}")
                log(f"{name}: {path} answered {status}, skipped")
                continue
            # The fetch above warmed up this endpoint; a wrk warm-up would leave slow
            # requests running on the server into the measurement.
            log(f"{name}: {path}")
            results[name] = {
                "path": path,
                "status": status,
                **wrk(base + path, args.duration, args.connections),
            }
            if not results[name]["requests"]:
                # wrk counts only requests that finished within the duration.
                results[name].update(p50_ms=None, p95_ms=None, p99_ms=None, mean_ms=None)
                notes.append(f"{name}: no request finished within {args.duration} s")
            if results[name]["non_2xx_3xx"] or results[name]["socket_errors"]:
                notes.append(f"{name}: {results[name]['non_2xx_3xx']} error answers under load")
        # The searches again with one connection per worker: above, each request
        # also waited its turn behind another, and a search's latency target is
        # what a reader waits for the search itself.
        for name in SEARCHES:
            if args.connections > args.workers and results.get(name, {}).get("requests"):
                log(f"{name} again, one connection per worker")
                alone = wrk(base + results[name]["path"], args.duration, args.workers)
                results[name]["one_per_worker"] = {
                    "connections": args.workers,
                    **{key: alone[key] for key in ("requests_per_second", *LATENCIES)},
                }
        # The ceiling again, last: on a shared machine it drifts while the
        # endpoints run, and each ratio is taken against the mean of both.
        log("healthz again: the ceiling at the end")
        ceiling_at_end = wrk(base + paths["healthz"], args.duration, args.connections)
        stop_server(server)
        server = None

        ceilings = [
            results["healthz"]["requests_per_second"],
            ceiling_at_end["requests_per_second"],
        ]
        ceiling = sum(ceilings) / 2
        results["healthz"]["ceiling"] = {
            "start": ceilings[0],
            "end": ceilings[1],
            "used": round(ceiling, 1),
        }
        for row in results.values():
            if "requests_per_second" in row:
                row["ratio_to_ceiling"] = round(row["requests_per_second"] / ceiling, 4)
        api, baseline = results["api_list"], results["api_baseline"]
        if api.get("requests_per_second") and baseline.get("requests_per_second"):
            # How many times the baseline's time per request the API list takes.
            api["ratio_to_baseline"] = round(
                baseline["requests_per_second"] / api["requests_per_second"], 2
            )

        log("timing each page's SQL (EXPLAIN ANALYZE)")
        measured = {name: row["path"] for name, row in results.items() if "p50_ms" in row}
        profile = subprocess.run(
            [PYTHON, str(BENCH / "profile_sql.py"), json.dumps(measured)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        for name, sql in json.loads(profile.stdout.strip().splitlines()[-1]).items():
            results[name]["sql"] = sql
            # A request's own time (in-process, no queueing) over its SQL's time.
            if sql["sql_ms"] > 0:
                results[name]["app_to_sql"] = round(sql["in_process_ms"] / sql["sql_ms"], 2)

        imports = None
        if not args.skip_import:
            # Into a copy of the archive (the server has stopped): the archive
            # itself stays as generated, for runs that reuse it.
            log("import throughput")
            imported = subprocess.run(
                [PYTHON, str(BENCH / "import_throughput.py"), "--copy-of", args.database,
                 "--admin-url", args.admin_url, "--json"],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            imports = json.loads(imported.stdout.strip().splitlines()[-1])
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep_db:
            recreate_database(args.admin_url, args.database, drop_only=True)

    commit, dirty = git_commit()
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "git_dirty": dirty,
        "meetings": facts["meetings"],
        "readouts": facts["readouts"],
        "points": facts["points"],
        "seed": args.seed,
        "duration_s": args.duration,
        "wrk": {"threads": 1, "connections": args.connections},
        "gunicorn_workers": args.workers,
        "cpus": os.cpu_count(),
        # Others may be using the machine: the load average says how much.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "endpoints": results,
        "import": imports,
        "notes": notes,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print_table(results)
    print_searches_alone(results)
    drift = results["healthz"]["ceiling"]
    print(
        f"ceiling: {drift['start']} req/s at the start, {drift['end']} at the end; "
        f"ratios use {drift['used']}"
    )
    if imports:
        print(
            f"import: {imports['readouts']} readouts in {imports['seconds']} s = "
            f"{imports['readouts_per_second']} readouts/s ({imports['into']}); "
            f"{imports['readouts_per_second_importing']} readouts/s in the command's own "
            f"{imports['importing_seconds']} s, without starting Python and Django"
        )
    if "ratio_to_baseline" in results["api_list"]:
        cache = (
            "off" if env.get("ARCHIVE_CACHE_SECONDS") == "0" else "on: the baseline is never cached"
        )
        print(
            f"api list: {results['api_list']['ratio_to_baseline']} times the baseline's time"
            f" (archive cache {cache})"
        )
    for note in notes:
        print("note:", note)
    log(f"wrote {args.output} in {report['elapsed_s']} s")


if __name__ == "__main__":
    main()
