"""Which files a run ingests, and the hashes that name their batches."""

from __future__ import annotations

import hashlib
from pathlib import Path

# Inside folders only files that can be sources are taken (a README beside an export is not);
# a file named explicitly is always tried, whatever its name.
SOURCE_SUFFIXES = {".html", ".htm", ".json", ".txt"}


def file_digests(path: Path, channel: str | None) -> tuple[str, str]:
    """(batch id, content SHA-256) in one read of the file.

    The batch id is the hash of the bytes and of the channel override (which changes the
    records); without an override the two are the same.
    """
    content, batch = hashlib.sha256(), hashlib.sha256() if channel else None
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            content.update(chunk)
            if batch is not None:
                batch.update(chunk)
    if batch is None:
        return content.hexdigest(), content.hexdigest()
    batch.update(b"\0channel=" + channel.encode())
    return batch.hexdigest(), content.hexdigest()


def expand_sources(paths: list[Path]) -> list[Path]:
    """Files named directly, and the source files below named folders (sorted, hidden skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SOURCE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files
