"""Benchmark tooling: a generator of realistic channel data and the stage-by-stage benchmark.

- benchmark.py: `tgwh bench` (full, empty and incremental builds, timed per stage)
- synthetic/: deterministic exports, pages and text copies (post i depends on seed and i only)
- normalize.py, entities.py, normalize_entities.py, parsing.py: throughput of one stage;
  backfill.py: a backfill's pages landed one batch each or together, normalized and matched;
  run as `python -m orchestration.bench.<name>`

Nothing outside this package imports it.
"""

from orchestration.config import PROJECT_DIR

# Real Telegram files beside the checkout, when present (../shared/data/real).
SHARED_REAL_DATA = PROJECT_DIR.parent / "shared" / "data" / "real"
