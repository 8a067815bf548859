"""The SQL each benchmarked page runs: how many queries, and how long PostgreSQL takes.

Run by bench/run.py, with the same environment as the server. For each path
it makes the request in-process (Django's test client), captures the exact
SQL, runs EXPLAIN ANALYZE on every SELECT and sums planning and execution
time; repeated, the median is reported. The slowest query's plan of each
page is written to bench/out/plans/<name>.txt.

    python bench/profile_sql.py '{"search_rare": "/readouts/?q=Vellmoria", ...}'
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PLANS = ROOT / "bench" / "out" / "plans"


def explain(sql, as_text=False):
    """Planning plus execution time in ms; with as_text, the analysed plan as text."""
    options = "ANALYZE, BUFFERS" + ("" if as_text else ", FORMAT JSON")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        rows = [row[0] for row in cursor.fetchall()]
    if as_text:
        return "\n".join(rows)
    plan = rows[0][0] if isinstance(rows[0], list) else json.loads(rows[0])[0]
    return plan["Planning Time"] + plan["Execution Time"]


def select_of(sql):
    """The SELECT of a query, also when it ran through a server-side cursor (.iterator())."""
    declared = re.match(r"\s*DECLARE .*? CURSOR (?:WITH|WITHOUT) HOLD FOR (.*)", sql, re.S)
    if declared:
        sql = declared.group(1)
    return sql if sql.lstrip().upper().startswith(("SELECT", "WITH")) else None


def profile(path, repeat):
    client = Client(HTTP_HOST="127.0.0.1")
    request_ms, sql_ms, slowest = [], [], (0.0, "")
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            request_ms.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
        total = 0.0
        for sql in filter(None, (select_of(q["sql"]) for q in captured.captured_queries)):
            ms = explain(sql)
            total += ms
            if ms > slowest[0]:
                slowest = (ms, sql)
        sql_ms.append(total)
    return {
        "status": response.status_code,
        "queries": queries,
        "sql_ms": round(statistics.median(sql_ms), 3),
        "in_process_ms": round(statistics.median(request_ms), 3),
        "slowest_query_ms": round(slowest[0], 3),
        "slowest_query": slowest[1],
        "slowest_plan": explain(slowest[1], as_text=True) if slowest[1] else "",
    }


def main():
    paths = json.loads(sys.argv[1])
    repeat = int(os.environ.get("SQL_REPEAT", "5"))
    PLANS.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, path in paths.items():
        result = profile(path, repeat)
        (PLANS / f"{name}.txt").write_text(
            f"{path}\n{result['queries']} queries, {result['sql_ms']} ms of SQL\n\n"
            f"Slowest query ({result['slowest_query_ms']} ms):\n{result.pop('slowest_query')}\n\n"
            f"{result.pop('slowest_plan')}\n",
            "utf-8",
        )
        results[name] = result
    print(json.dumps(results))


if __name__ == "__main__":
    main()
