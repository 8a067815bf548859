"""Import throughput: readouts per second through `manage.py import_readouts`.

    python bench/import_throughput.py [--count 1000] [--copy-of NAME | --database-url URL]

Makes the text files by exporting a small synthetic archive from a scratch
database (`export_readouts --format text --status all`), then imports
--count of them with `import_readouts DIR --issuer mofa` into a throwaway
copy of the database NAME (make bench copies its full archive, search
indexes live, so that the archive it keeps is left as generated), into
--database-url, or into a fresh, empty database. The throwaway databases
are dropped after.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
READOUTS_PER_MEETING = 1.7  # a Japanese original and its translation, some English only


def database_url(admin_url, name):
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(admin_url)._replace(path="/" + name))


def recreate(admin_url, name, drop_only=False, template=None):
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        elif not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(url, *args):
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-key-not-for-production-use",
        ALLOWED_HOSTS=env.get("ALLOWED_HOSTS") or "127.0.0.1",
    )
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def make_files(admin_url, count, directory):
    """`count` readout text files exported from a scratch synthetic archive."""
    name = "readouts_import_source"
    url = database_url(admin_url, name)
    recreate(admin_url, name)
    try:
        manage(url, "migrate", "--noinput", "-v0")
        meetings = math.ceil(count / READOUTS_PER_MEETING) + 20
        # Another seed than make bench's archive: mostly new meetings, as a real import.
        manage(url, "generate_archive", f"--meetings={meetings}", "--seed=2")
        manage(url, "export_readouts", "--format=text", "--status=all", f"--output={directory}")
    finally:
        recreate(admin_url, name, drop_only=True)
    files = sorted(directory.glob("*.txt"))
    for extra in files[count:]:
        extra.unlink()
    return len(files[:count])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    into = parser.add_mutually_exclusive_group()
    into.add_argument("--copy-of", help="Import into a throwaway copy of this database.")
    into.add_argument("--database-url", help="Import into this database itself.")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
    args = parser.parse_args()

    throwaway = None
    with tempfile.TemporaryDirectory(prefix="readouts-import-") as directory:
        directory = Path(directory)
        files = make_files(args.admin_url, args.count, directory)
        target = args.database_url
        if target is None:
            throwaway = "readouts_import_bench"
            target = database_url(args.admin_url, throwaway)
            recreate(args.admin_url, throwaway, template=args.copy_of)
            if not args.copy_of:
                manage(target, "migrate", "--noinput", "-v0")
        try:
            with psycopg.connect(target) as connection:
                before = connection.execute("SELECT count(*) FROM readouts_point").fetchone()[0]
            started = time.perf_counter()
            result = manage(target, "import_readouts", str(directory), "--issuer=mofa")
            seconds = time.perf_counter() - started
        finally:
            if throwaway:
                recreate(args.admin_url, throwaway, drop_only=True)
    summary = result.stderr.strip().splitlines()[-1]
    imported = int(re.search(r"Imported (\d+)", summary).group(1))
    # The command's own time: its import, without starting Python and Django.
    importing = float(re.search(r"in ([\d.]+) s\.$", summary).group(1))
    report = {
        "files": files,
        "readouts": imported,
        "seconds": round(seconds, 2),
        "readouts_per_second": round(imported / seconds, 1),
        "importing_seconds": importing,
        "readouts_per_second_importing": round(imported / importing, 1),
        "into": (
            f"a database already holding {before:,} points"
            if before
            else "an empty, migrated database"
        ),
        "command": f"manage.py import_readouts DIR --issuer mofa ({files} text files)",
        "summary": summary,
    }
    print(json.dumps(report) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))


if __name__ == "__main__":
    main()
