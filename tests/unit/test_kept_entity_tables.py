"""The tables the entity matcher derives from the reference data, kept on disk between runs,
are the tables it derives."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from orchestration.common.durable import kept_frame
from orchestration.entities import resolve


def test_a_kept_frame_is_built_once_then_read_and_rebuilt_when_unreadable(tmp_path):
    builds = []

    def build() -> pl.DataFrame:
        builds.append(1)
        return pl.DataFrame({"pattern": [" Lavrov ", " Moscow "], "n": [1, 2]})

    path = tmp_path / "cache" / "entity_patterns-new.parquet"
    older = tmp_path / "cache" / "entity_patterns-old.parquet"
    older.parent.mkdir()
    older.write_bytes(b"the table of older code")
    first = kept_frame(path, build)
    assert_frame_equal(kept_frame(path, build), first)
    assert len(builds) == 1 and not older.exists()  # read back; the older digest's file gone
    path.write_bytes(b"PAR1 cut short")
    assert_frame_equal(kept_frame(path, build), first)
    assert len(builds) == 2


def test_a_kept_frame_that_cannot_be_written_is_still_returned(tmp_path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    frame = kept_frame(blocked / "entity_patterns-x.parquet", lambda: pl.DataFrame({"a": [1]}))
    assert frame["a"].to_list() == [1]


def test_the_matcher_reads_back_exactly_the_tables_it_derives(tmp_path):
    """Same rows, order and types: a match from the kept tables is the match from the code."""
    cached = {
        "patterns": (resolve.cased_patterns, resolve.derive_cased_patterns),
        "surname_forms": (resolve._surname_forms, resolve.derive_surname_forms),
        "name_words": (resolve._name_words, resolve.derive_name_words),
    }
    assert set(cached) == set(resolve.KEPT_TABLES)
    files = {name: tmp_path / f"entity_{name}-abc.parquet" for name in resolve.KEPT_TABLES}
    try:
        resolve.keep_derived_tables(files)
        written = {name: table() for name, (table, _) in cached.items()}
        for table, _ in cached.values():
            table.cache_clear()
        read = {name: table() for name, (table, _) in cached.items()}
    finally:
        resolve.keep_derived_tables(None)
    for name, (_, derive) in cached.items():
        assert files[name].exists(), name
        derived = derive()
        assert_frame_equal(written[name], derived)
        assert_frame_equal(read[name], derived)
