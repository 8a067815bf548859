"""Two checkouts of the archive under the same load, in turns: what a change is worth.

    git worktree add ../before <commit>
    python bench/compare.py ../before [--rounds 3] [--duration 5]

On a shared machine, throughput drifts by a fifth or more from one minute to
the next, so two runs of bench/run.py minutes apart cannot tell a change of
10% from that drift. Here both checkouts are served at once (gunicorn, the
settings and cache of bench/run.py, the archive cache off) from one database,
the one `make bench` keeps, and wrk drives each endpoint on one and then the
other, round after round, in alternating order: the drift falls on both.

Both run this checkout's virtualenv and the database as migrated for this
checkout: a change of indexes alone is not measured here (EXPLAIN ANALYZE
is the tool for that). Prints a table and writes bench/out/compare.json.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    OUT,
    ROOT,
    archive_facts,
    database_url,
    endpoints,
    fetch,
    log,
    manage,
    server_environment,
    start_server,
    stop_server,
    wrk,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="The other checkout: a git worktree, say.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="Seconds of each wrk run.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="readouts_bench")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--output", type=Path, default=OUT / "compare.json")
    return parser.parse_args()


def main():
    args = parse_args()
    checkouts = {"before": args.before.resolve(), "after": ROOT}
    ports = {"before": 8766, "after": 8767}
    url = database_url(args.admin_url, args.database)
    servers = {}
    try:
        for side, root in checkouts.items():
            env = {**server_environment(url, ports[side]), "ARCHIVE_CACHE_SECONDS": "0"}
            manage(env, "collectstatic", "--noinput", "-v0", root=root)
            servers[side] = start_server(
                env, ports[side], args.workers, root=root, log_name=f"gunicorn-{side}.log"
            )
        facts = archive_facts(server_environment(url, ports["after"]))
        paths, notes = endpoints(f"http://127.0.0.1:{ports['after']}", facts)
        paths.pop("csv_export", None)  # seconds a request: a few would be all the rounds
        results = {}
        for name, path in paths.items():
            for side in checkouts:
                fetch(f"http://127.0.0.1:{ports[side]}{path}", timeout=120)
            log(f"{name}: {path}")
            runs = {side: [] for side in checkouts}
            for number in range(args.rounds):
                order = list(checkouts) if number % 2 == 0 else list(reversed(checkouts))
                for side in order:
                    base = f"http://127.0.0.1:{ports[side]}"
                    runs[side].append(wrk(base + path, args.duration, args.connections))
            results[name] = {"path": path, **summarize(runs)}
    finally:
        for server in servers.values():
            stop_server(server)
    print_table(results)
    report = {
        "before": str(checkouts["before"]),
        "rounds": args.rounds,
        "duration_s": args.duration,
        "notes": notes,
        "endpoints": results,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {args.output}")


def summarize(runs):
    """Each side's median requests/s and p95 over its rounds, and after's over before's."""
    sides = {
        side: {
            "requests_per_second": statistics.median(r["requests_per_second"] for r in rounds),
            "p95_ms": statistics.median(r["p95_ms"] for r in rounds),
            "each_round": [round(r["requests_per_second"], 1) for r in rounds],
        }
        for side, rounds in runs.items()
    }
    before, after = (sides[s]["requests_per_second"] for s in ("before", "after"))
    return {**sides, "after_over_before": round(after / before, 3) if before else None}


def print_table(results):
    print()
    print(f"{'endpoint':<18} {'before/s':>9} {'after/s':>9} {'after÷before':>12}  rounds")
    for name, row in results.items():
        before, after = row["before"], row["after"]
        print(
            f"{name:<18} {before['requests_per_second']:>9.1f} {after['requests_per_second']:>9.1f}"
            f" {row['after_over_before']:>12.2f}  {before['each_round']} {after['each_round']}"
        )
    print()


if __name__ == "__main__":
    main()
