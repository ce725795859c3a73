"""Throughput of normalization and entity matching together, as the pipeline runs them.

Not collected by pytest. normalize_posts on raw posts, then match_posts (countries, leaders as
resolved, diplomatic events: what the entity partitions hold) on the normalized posts, on one
core (POLARS_MAX_THREADS=1, in a child process: Polars reads the variable once, at import) and
with the default thread count. The target is >= 200,000 posts/s for both together on one core.

    .venv/bin/python -m orchestration.bench.normalize_entities [rows] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

from orchestration.config import child_environment


def measure(rows: int, repeat: int) -> None:
    import polars as pl

    from orchestration.bench.normalize import synthetic_raw_posts
    from orchestration.entities import patterns
    from orchestration.entities.build import POST_COLUMNS
    from orchestration.entities.match import match_posts

    patterns.pattern_table()  # reference load: once per process, not per batch
    raw = synthetic_raw_posts(rows)
    best: dict[str, float] = {}
    for _ in range(repeat):
        began = time.perf_counter()
        from orchestration.normalize.records import normalize_posts

        normalized = normalize_posts(raw)
        middle = time.perf_counter()
        matches = match_posts(normalized.select(POST_COLUMNS))
        ended = time.perf_counter()
        for label, seconds in [
            ("normalize", middle - began),
            ("entities", ended - middle),
            ("both", ended - began),
        ]:
            best[label] = min(best.get(label, float("inf")), seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"threads={pl.thread_pool_size()}  raw posts={raw.height:,}  best of {repeat}")
    for label, seconds in best.items():
        print(f"  {label:<10} {seconds:6.2f} s  {raw.height / seconds:>10,.0f} posts/s")
    print(
        f"  country mentions {matches.country_mentions.height:,}, leader mentions "
        f"{matches.leader_mentions.height:,}, events {matches.diplomatic_events.height:,}; "
        f"peak RSS {peak_mb:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.rows, args.repeat)
        return
    for threads in ["1", None]:
        env = child_environment(POLARS_MAX_THREADS=threads)
        command = [sys.executable, __file__, str(args.rows), f"--repeat={args.repeat}", "--child"]
        subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
