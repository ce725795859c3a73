"""The index's generations under the home: searches read one while a build writes the next.

Layout under ``<home>/search`` (see ``config.SearchLayout``)::

    CURRENT                        the name of the generation searches open
    generations/<name>/            a complete tantivy index and tgwh-index.json (what it holds)

A build never writes the generation readers use: it writes a new one (empty for a full
rebuild; for an incremental one, hard links to the files of the current one, which tantivy
never changes once written: new segments and delete files are new files, and meta.json is
replaced by a rename, copied here rather than linked anyway), commits it, and then replaces
CURRENT by an atomic rename. A reader that read CURRENT just before the switch keeps the old
generation: its files stay until two more builds have been published (and a searcher that
already opened them keeps them, unlinked or not, on POSIX).

Tantivy's own commit and reload would let a writer and readers share one directory, but its
garbage collection protects only files that readers in the writer's process use: a search in
another process (`tgwh search` while a run builds) could find a segment deleted under it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tantivy

from orchestration.common.durable import fsync_dir, write_text_atomic
from orchestration.config import SearchGenerationLayout, SearchLayout
from orchestration.search.schema import SCHEMA, register_analyzers

KEEP_OLD_GENERATIONS = 2  # besides the current one: what a slow reader may still be opening
COPIED_NOT_LINKED = ("meta.json", ".managed.json")  # tantivy replaces these; copy to be sure
OPEN_ATTEMPTS = 3


class SearchIndexMissing(FileNotFoundError):
    """No index has been published in this home yet."""


@dataclass(frozen=True)
class IndexState:
    """What a generation holds, written into it before it is published."""

    index_format: str  # schema.INDEX_FORMAT of the code that wrote it
    pipeline_fingerprint: str | None  # of the warehouse it was built from
    batch_ids: tuple[str, ...]  # the warehouse's batches its posts come from
    documents: int
    built_at: str
    mode: str  # "full" or "incremental"
    warehouse_file: str = ""  # file_signature() of the warehouse file it was built from

    def to_json(self) -> str:
        return json.dumps(
            {
                "index_format": self.index_format,
                "pipeline_fingerprint": self.pipeline_fingerprint,
                "batch_ids": list(self.batch_ids),
                "documents": self.documents,
                "built_at": self.built_at,
                "mode": self.mode,
                "warehouse_file": self.warehouse_file,
            },
            indent=1,
        )

    @classmethod
    def read(cls, generation: SearchGenerationLayout) -> IndexState | None:
        try:
            data = json.loads(generation.state_file.read_text(encoding="utf-8"))
            return cls(
                index_format=data["index_format"],
                pipeline_fingerprint=data["pipeline_fingerprint"],
                batch_ids=tuple(data["batch_ids"]),
                documents=int(data["documents"]),
                built_at=data["built_at"],
                mode=data["mode"],
                warehouse_file=data.get("warehouse_file", ""),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class OpenIndex:
    """A published generation opened for searching: one searcher, one consistent view."""

    generation: SearchGenerationLayout
    index: tantivy.Index
    searcher: tantivy.Searcher
    state: IndexState | None


def file_signature(path: Path) -> str:
    """Which file ``path`` is (a publish renames a new one in): inode, size, modification time.
    Lets a search tell without opening the warehouse that the index was built from it."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return ""
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _new_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


class SearchGenerations:
    """Creates, publishes, opens and prunes generations; nothing else moves the index's files."""

    def __init__(self, layout: SearchLayout):
        self.layout = layout

    # --- reading --------------------------------------------------------------------------

    def current(self) -> SearchGenerationLayout | None:
        try:
            name = self.layout.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.layout.generation(name) if name else None

    def open_current(self) -> OpenIndex:
        """The published generation, read-only. Never waits for a build: when CURRENT moves on
        and the generation it named is pruned between reading the name and opening the files
        (two builds in that instant), the new name is read and opened instead."""
        for attempt in range(OPEN_ATTEMPTS):
            generation = self.current()
            if generation is None:
                raise SearchIndexMissing(
                    f"no search index in {self.layout.root} yet: it is built by `tgwh run` "
                    "after each publish, or now with `tgwh search --reindex`"
                )
            try:
                return open_generation(generation)
            except (OSError, ValueError):
                if attempt == OPEN_ATTEMPTS - 1 or self.current() == generation:
                    raise
        raise AssertionError("unreachable")

    def generations(self) -> list[SearchGenerationLayout]:
        """Every generation on disk, oldest first (names sort by creation time)."""
        if not self.layout.generations_dir.exists():
            return []
        return [
            self.layout.generation(path.name)
            for path in sorted(self.layout.generations_dir.iterdir())
            if path.is_dir()
        ]

    # --- writing (one build at a time: the home's writer lock) ----------------------------

    def create(
        self, based_on: SearchGenerationLayout | None
    ) -> tuple[SearchGenerationLayout, tantivy.Index]:
        """A new, unpublished generation: empty, or sharing the files of ``based_on``."""
        generation = self.layout.generation(_new_name())
        generation.root.mkdir(parents=True)
        if based_on is not None:
            for path in based_on.root.iterdir():
                if not path.is_file() or path.name.startswith(".tantivy-"):
                    continue  # lock files belong to their own generation's writer
                if path == based_on.state_file:
                    continue
                target = generation.root / path.name
                if path.name in COPIED_NOT_LINKED:
                    shutil.copyfile(path, target)
                else:
                    os.link(path, target)
            index = tantivy.Index.open(str(generation.root))
        else:
            index = tantivy.Index(SCHEMA, str(generation.root), reuse=False)
        return generation, register_analyzers(index)

    def publish(self, generation: SearchGenerationLayout, state: IndexState) -> None:
        """Record what the generation holds, then point CURRENT at it in one rename."""
        write_text_atomic(generation.state_file, state.to_json())
        fsync_dir(generation.root)
        write_text_atomic(self.layout.current_file, generation.name + "\n")
        fsync_dir(self.layout.root)
        self.prune()

    def discard(self, generation: SearchGenerationLayout) -> None:
        shutil.rmtree(generation.root, ignore_errors=True)

    def prune(self) -> None:
        """Keep the current generation and the few before it; drop the rest, and generations
        newer than the current one (left by a build that crashed before publishing)."""
        current = self.current()
        generations = self.generations()
        if current is None or current not in generations:
            kept: list[SearchGenerationLayout] = []
        else:
            position = generations.index(current)
            kept = generations[max(0, position - KEEP_OLD_GENERATIONS) : position + 1]
        for generation in generations:
            if generation not in kept:
                self.discard(generation)


def open_generation(generation: SearchGenerationLayout) -> OpenIndex:
    index = register_analyzers(tantivy.Index.open(str(generation.root)))
    index.config_reader(reload_policy="manual")  # a generation never changes once published
    return OpenIndex(generation, index, index.searcher(), IndexState.read(generation))
