"""Source files hashed before are not read again, unless they changed in any way."""

import os

import polars as pl

from orchestration.ingest import sources
from orchestration.ingest.sources import KnownDigests, file_digests


def counting(monkeypatch) -> list:
    """The files sources.file_digests reads from now on."""
    read = []
    real = sources.file_digests

    def spy(path, channel, max_bytes=None):
        read.append(path.name)
        return real(path, channel, max_bytes)

    monkeypatch.setattr(sources, "file_digests", spy)
    return read


def test_a_file_hashed_by_one_run_is_not_read_by_the_next(tmp_path, monkeypatch):
    export = tmp_path / "inbox" / "result.json"
    export.parent.mkdir()
    export.write_text('{"messages": []}')
    memo = tmp_path / "cache" / "file_digests.parquet"
    expected = file_digests(export, None)
    read = counting(monkeypatch)

    first = KnownDigests(memo)
    assert first.digests(export, None) == expected
    first.save()
    second = KnownDigests(memo)
    assert second.digests(export, None) == expected
    assert read == ["result.json"]
    # another channel override names another batch: hashed for it
    assert second.digests(export, "mfa_russia") == file_digests(export, "mfa_russia")
    assert read == ["result.json", "result.json"]


def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(tmp_path, monkeypatch):
    export = tmp_path / "result.json"
    export.write_text('{"messages": [1]}')
    memo = tmp_path / "file_digests.parquet"
    known = KnownDigests(memo)
    before = known.digests(export, None)
    known.save()
    status = os.stat(export)
    export.write_text('{"messages": [2]}')  # the same size
    os.utime(export, ns=(status.st_atime_ns, status.st_mtime_ns))  # and modification time
    read = counting(monkeypatch)

    after = KnownDigests(memo).digests(export, None)
    assert read == ["result.json"] and after != before
    assert after == file_digests(export, None)


def test_an_unreadable_memo_only_costs_a_read(tmp_path):
    export = tmp_path / "result.json"
    export.write_text("{}")
    memo = tmp_path / "file_digests.parquet"
    memo.write_bytes(b"PAR1 cut short")
    known = KnownDigests(memo)
    assert known.digests(export, None) == file_digests(export, None)
    known.save()
    assert KnownDigests(memo).digests(export, None) == file_digests(export, None)


def test_files_that_no_longer_exist_are_forgotten(tmp_path):
    kept, gone = tmp_path / "kept.json", tmp_path / "gone.json"
    kept.write_text("{}")
    gone.write_text("[]")
    memo = tmp_path / "file_digests.parquet"
    known = KnownDigests(memo)
    known.digests(kept, None)
    known.digests(gone, None)
    gone.unlink()
    known.save()
    assert pl.read_parquet(memo)["path"].to_list() == [str(kept)]


def test_a_changed_file_keeps_one_entry(tmp_path):
    export = tmp_path / "result.json"
    export.write_text("{}")
    memo = tmp_path / "file_digests.parquet"
    known = KnownDigests(memo)
    known.digests(export, None)
    export.write_text('{"messages": []}')
    known.digests(export, None)
    known.save()
    kept = pl.read_parquet(memo)
    assert kept.height == 1 and kept["content_sha256"][0] == file_digests(export, None)[1]
