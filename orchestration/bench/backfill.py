"""What a backfill's pages cost the stages after landing: each page its own raw batch (as a
scrape landed them before) against the pages landed together (a batch per
ScrapeSettings.land_pages pages, as a scrape lands them now).

Not collected by pytest. Generated web-preview pages of one channel land both ways in two
fresh homes; then the normalized layer and the entity partitions are built in each, timed.
The other stages (GX, dbt, publish) pay per batch too; `tgwh run` after a scrape shows them.

    .venv/bin/python -m orchestration.bench.backfill [pages]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def measure(pages: int) -> dict[str, dict[str, float]]:
    from orchestration.bench.synthetic import SyntheticSpec, write_web_preview_pages
    from orchestration.config import Home
    from orchestration.entities import patterns
    from orchestration.entities.build import build_entities
    from orchestration.ingest.raw_store import RawStore
    from orchestration.ingest.scraping import ScrapeSettings
    from orchestration.normalize.store import NormalizedStore, build_normalized

    patterns.pattern_table()  # reference load: once per process, not per batch
    spec = SyntheticSpec(posts=pages * SyntheticSpec.posts_per_page, channels=1)
    together = ScrapeSettings().land_pages
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="tgwh-bench-backfill-") as scratch:
        files = write_web_preview_pages(spec, Path(scratch) / "pages")
        for name, per_batch in (("page by page", 1), (f"{together} pages a batch", together)):
            home = Home(Path(scratch) / f"home-{per_batch}").ensure()
            raw = RawStore(home.raw)
            began = time.perf_counter()
            for start in range(0, len(files), per_batch):
                prepared = [raw.prepare_page(path) for path in files[start : start + per_batch]]
                raw.land_pages([page for page in prepared if page is not None])
            landed = time.perf_counter()
            store = NormalizedStore(home.normalized)
            build_normalized(raw, store)
            normalized = time.perf_counter()
            build_entities(store)
            ended = time.perf_counter()
            figures[name] = {
                "pages": len(files),
                "batches": len(raw.landed_batches()),
                "land_seconds": landed - began,
                "normalize_seconds": normalized - landed,
                "entities_seconds": ended - normalized,
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="?", type=int, default=500)
    args = parser.parse_args()
    for name, row in measure(args.pages).items():
        print(
            f"{name:<20} {row['pages']:>6,} pages  {row['batches']:>6,} batches  "
            f"land {row['land_seconds']:6.1f} s  normalize {row['normalize_seconds']:6.1f} s  "
            f"entities {row['entities_seconds']:6.1f} s"
        )


if __name__ == "__main__":
    main()
