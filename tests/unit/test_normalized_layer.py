"""The normalized layer is built batch by batch, only for new batches, and building piece by
piece equals building all at once (the pure core, no Dagster).

The normalized layer keeps a partition per ingested batch; dbt resolves posts seen in several
batches. These tests land the bundled sample file by file and all at once, and compare.
"""

import shutil
from pathlib import Path

import polars as pl
from support.samples import sample_files

from orchestration.config import Home
from orchestration.entities import build as entity_build
from orchestration.entities.build import build_entities
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.store import (
    BATCH_TABLES,
    ENTITY_BATCH_TABLES,
    NormalizedStore,
    build_normalized,
)

TIMES = ("ingested_at", "observed_at")


def build(home: Path, files: list[Path], one_by_one: bool) -> NormalizedStore:
    raw, store = RawStore(Home(home).raw), NormalizedStore(Home(home).normalized)
    groups = [[f] for f in files] if one_by_one else [files]
    for group in groups:
        raw.ingest(group)
        build_normalized(raw, store)
        build_entities(store)
    return store


def table(store: NormalizedStore, name: str) -> pl.DataFrame:
    frame = store.scan(name).collect()
    frame = frame.drop([c for c in frame.columns if c in TIMES])
    return frame.sort(pl.all(), nulls_last=True)


def test_batch_by_batch_equals_all_at_once(tmp_path):
    files = sample_files(tmp_path)
    stepwise = build(tmp_path / "stepwise", files, one_by_one=True)
    at_once = build(tmp_path / "at_once", files, one_by_one=False)
    assert stepwise.batches() == at_once.batches()
    assert len(stepwise.batches()) == len(files)
    for name in [*BATCH_TABLES, *ENTITY_BATCH_TABLES]:
        assert table(stepwise, name).equals(table(at_once, name)), name
    for name in ("countries", "leaders"):
        assert stepwise.read_reference(name).equals(at_once.read_reference(name)), name
    posts = table(stepwise, "posts")
    assert posts.height > 50
    # the edited export repeats the Spanish channel's posts: copies exist, resolved in dbt
    assert posts["post_key"].is_duplicated().any()


def test_big_batches_matched_in_slices_still_build_the_same_batch_by_batch(tmp_path, monkeypatch):
    """Slices are a function of the batch alone: the layer is the same however it is built."""
    monkeypatch.setattr(entity_build, "SLICE_POSTS", 6)
    sliced = []
    slices_of = entity_build.slices_of

    def recording(batch_id, published_at, size=None):
        parts = slices_of(batch_id, published_at, size)
        sliced.append((batch_id, len(parts)))
        return parts

    monkeypatch.setattr(entity_build, "slices_of", recording)
    files = sample_files(tmp_path)
    stepwise = build(tmp_path / "stepwise", files, one_by_one=True)
    at_once = build(tmp_path / "at_once", files, one_by_one=False)
    assert any(parts >= 3 for _, parts in sliced)
    assert stepwise.entity_batches() == at_once.entity_batches() == at_once.batches()
    for name in ENTITY_BATCH_TABLES:
        assert table(stepwise, name).equals(table(at_once, name)), name
    mentions = table(at_once, "leader_mentions")
    assert mentions.height > 20
    assert mentions.select("batch_id", "post_key", "leader_key").is_unique().all()
    named = table(at_once, "persons_named")
    assert named.select("batch_id", "channel", "person_key").is_unique().all()


def test_a_run_normalizes_only_new_batches(tmp_path):
    files = sample_files(tmp_path)
    raw, store = RawStore(Home(tmp_path).raw), NormalizedStore(Home(tmp_path).normalized)
    raw.ingest(files[:-1])
    first = build_normalized(raw, store)
    build_entities(store)
    stamps = {p: p.stat().st_mtime_ns for p in store.batches_dir.rglob("*.parquet")}

    nothing = build_normalized(raw, store)
    assert (nothing.new_batches, build_entities(store).new_batches) == ([], [])

    raw.ingest(files[-1:])
    second = build_normalized(raw, store)
    entities = build_entities(store)
    assert len(first.new_batches) == len(files) - 1
    assert len(second.new_batches) == 1 and entities.new_batches == second.new_batches
    assert all(path.stat().st_mtime_ns == stamp for path, stamp in stamps.items())
    assert second.rows["posts"] == store.scan("posts", second.new_batches).collect().height > 0


def test_a_code_change_rebuilds_every_partition_the_same(tmp_path):
    files = sample_files(tmp_path)
    store = build(tmp_path, files, one_by_one=False)
    before = {name: table(store, name) for name in [*BATCH_TABLES, *ENTITY_BATCH_TABLES]}
    store.layout.format_file.write_text("written-by-older-code\n")

    report = build_normalized(RawStore(Home(tmp_path).raw), store)
    build_entities(store)
    assert report.rebuilt_all
    assert sorted(report.new_batches) == sorted(store.batches())
    for name, frame in before.items():
        assert table(store, name).equals(frame), name


def test_leftovers_of_a_killed_build_are_cleared(tmp_path):
    files = sample_files(tmp_path)
    store = build(tmp_path, files[:1], one_by_one=False)
    half_written = store.layout.staging_dir / "deadbeef"
    half_written.mkdir(parents=True)
    (half_written / "posts.parquet").write_bytes(b"PAR1 cut short")
    build_normalized(RawStore(Home(tmp_path).raw), store)
    assert not half_written.exists()
    assert "deadbeef" not in store.batches()


def test_two_copies_of_a_file_in_one_ingest_land_once(tmp_path):
    original = sample_files(tmp_path)[0]
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(original, folder / f"{name}{original.suffix}")
    report = RawStore(Home(tmp_path).raw).ingest([folder])
    assert [Path(row["source_file"]).name for row in report.landed] == [f"a{original.suffix}"]
    assert report.unchanged == [str(folder / f"b{original.suffix}")]
