"""Peak memory and time of parsing one big Telegram Desktop export (not collected by pytest).

    .venv/bin/python -m orchestration.bench.big_export [--gigabytes 2] [--folder DIR]

Writes one channel's export of about the size asked (orchestration.bench.synthetic, the
benchmark's posts) and parses it with parse_file in a fresh process twice: streamed (the path
every export from STREAM_FROM_BYTES on takes) and read whole (the threshold raised past the
file). Prints seconds, posts, posts/s and the process's peak RSS for each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bytes of export per post, measured on the synthetic writer's output (490 MB for 300,000)
_BYTES_PER_POST = 1_630

_CHILD = """
import json, resource, sys, time
from orchestration.ingest.parsing import api
if sys.argv[2] == "whole":
    api.STREAM_FROM_BYTES = 1 << 62
started = time.perf_counter()
parsed = api.parse_file(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "posts": parsed.posts.height,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_export(folder: Path, gigabytes: float) -> Path:
    from orchestration.bench.synthetic import SyntheticSpec, write_desktop_exports

    posts = int(gigabytes * 1e9 / _BYTES_PER_POST)
    (path,) = write_desktop_exports(SyntheticSpec(posts=posts, channels=1), folder)
    return path


def measure(path: Path, how: str) -> dict:
    env_python = sys.executable
    done = subprocess.run(
        [env_python, "-c", _CHILD, str(path), how], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--folder", type=Path, help="where to write the export (default: temp)")
    parser.add_argument("--streamed-only", action="store_true", help="skip the whole-file read")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
        started = time.perf_counter()
        path = write_export(Path(scratch), args.gigabytes)
        size = path.stat().st_size
        print(f"export: {size / 1e9:.2f} GB, written in {time.perf_counter() - started:.0f} s")
        for how in ("streamed",) if args.streamed_only else ("streamed", "whole"):
            figures = measure(path, how)
            print(
                f"{how:>9}: {figures['seconds']:6.1f} s, {figures['posts']:,} posts, "
                f"{figures['posts'] / figures['seconds']:,.0f} posts/s, "
                f"peak RSS {figures['peak_mb']:,.0f} MB ({figures['peak_mb'] * 1e6 / size:.2f}x "
                "the file)"
            )


if __name__ == "__main__":
    main()
