"""Saved searches: queries kept in the home, evaluated after each publish for their new hits.

"New" is defined by the data, not by the index: a hit is new when its post's text took its
current form (``schema.CHANGED_IN``) in a warehouse batch no earlier evaluation covered
(``IndexState.batch_ids`` against the batches recorded in the last evaluation). So a post that
arrives, or is edited, in a new batch and matches is reported once; a post landed again with
the same text (an overlapping export) is not, and neither is anything after a full rebuild of
the index for new code (its batches were covered before).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

import tantivy

from orchestration.common.durable import write_text_atomic
from orchestration.config import SearchLayout
from orchestration.search.generations import OpenIndex
from orchestration.search.query import Hit, QueryError, SearchRequest, compile_query, search
from orchestration.search.schema import CHANGED_IN, SCHEMA

NEWEST_HITS = 5
_NAME = re.compile(r"^[\w.-]{1,64}$")


class SavedSearchError(ValueError):
    pass


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    channel: str | None = None
    since: str | None = None  # ISO dates, as saved
    until: str | None = None
    language: str | None = None
    saved_at: str = ""

    def request(self, limit: int = NEWEST_HITS) -> SearchRequest:
        return SearchRequest(
            query=self.query,
            channel=self.channel,
            since=date.fromisoformat(self.since) if self.since else None,
            until=date.fromisoformat(self.until) if self.until else None,
            language=self.language,
            limit=limit,
        )

    def describe(self) -> str:
        filters = [
            f"{flag} {value}"
            for flag, value in (
                ("--channel", self.channel),
                ("--since", self.since),
                ("--until", self.until),
                ("--lang", self.language),
            )
            if value
        ]
        return " ".join([json.dumps(self.query, ensure_ascii=False), *filters])


class SavedSearches:
    """The saved searches of a home, in one small JSON file replaced atomically."""

    def __init__(self, layout: SearchLayout):
        self.path = layout.saved_searches

    def all(self) -> dict[str, SavedSearch]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {name: SavedSearch(**entry) for name, entry in data.items()}
        except (ValueError, TypeError) as error:
            raise SavedSearchError(f"{self.path} is not a saved-searches file: {error}") from None

    def _write(self, searches: dict[str, SavedSearch]) -> None:
        data = {name: asdict(searches[name]) for name in sorted(searches)}
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def save(self, search: SavedSearch) -> SavedSearch:
        """Add or replace a saved search; its query and filters must be valid now."""
        if not _NAME.match(search.name):
            raise SavedSearchError(
                f"a saved search's name is 1-64 letters, digits, '_', '-' or '.': {search.name!r}"
            )
        try:
            request = search.request()
            compile_query(request.query, request.language)
        except QueryError as error:
            raise SavedSearchError(str(error)) from None
        searches = self.all()
        saved = SavedSearch(**{**asdict(search), "saved_at": datetime.now(UTC).isoformat()})
        searches[search.name] = saved
        self._write(searches)
        return saved

    def remove(self, name: str) -> None:
        searches = self.all()
        if name not in searches:
            known = ", ".join(sorted(searches)) or "none saved"
            raise SavedSearchError(f"no saved search named {name!r} ({known})")
        del searches[name]
        self._write(searches)


@dataclass
class SavedSearchHits:
    name: str
    query: str
    new_hits: int
    newest: list[Hit] = field(default_factory=list)  # newest first, at most NEWEST_HITS
    error: str | None = None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "query": self.query,
            "new_hits": self.new_hits,
            "newest": [hit.to_dict() for hit in self.newest],
            "error": self.error,
        }


@dataclass
class Evaluation:
    run_id: str
    evaluated_at: str
    new_batches: int
    results: list[SavedSearchHits]

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "evaluated_at": self.evaluated_at,
            "new_batches": self.new_batches,
            "results": [result.to_dict() for result in self.results],
        }


def _evaluated_batches(layout: SearchLayout) -> set[str] | None:
    try:
        return set(json.loads(layout.last_evaluation.read_text(encoding="utf-8"))["batch_ids"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def last_evaluation(layout: SearchLayout) -> dict | None:
    """The last evaluation as written (run id, results), or None."""
    try:
        return json.loads(layout.last_evaluation.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def evaluate_saved_searches(
    layout: SearchLayout, opened: OpenIndex, run_id: str = "", newest: int = NEWEST_HITS
) -> Evaluation:
    """Each saved search's hits among the posts of batches no evaluation has covered yet."""
    indexed = set(opened.state.batch_ids) if opened.state else set()
    covered = _evaluated_batches(layout) or set()
    new_batches = sorted(indexed - covered)
    results = []
    only_new = [tantivy.Query.term_set_query(SCHEMA, CHANGED_IN, new_batches)]
    for saved in SavedSearches(layout).all().values():
        if not new_batches:
            results.append(SavedSearchHits(saved.name, saved.query, 0))
            continue
        try:
            found = search(opened, saved.request(limit=newest), also=only_new, newest_first=True)
        except QueryError as error:  # saved by an older version with other rules
            results.append(SavedSearchHits(saved.name, saved.query, 0, error=str(error)))
            continue
        results.append(SavedSearchHits(saved.name, saved.query, found.total, found.hits))
    evaluation = Evaluation(
        run_id=run_id,
        evaluated_at=datetime.now(UTC).isoformat(),
        new_batches=len(new_batches),
        results=results,
    )
    # Covered batches accumulate: a batch rolled back and landed again is not news twice.
    record = evaluation.to_dict() | {"batch_ids": sorted(covered | indexed)}
    write_text_atomic(layout.last_evaluation, json.dumps(record, indent=1, ensure_ascii=False))
    return evaluation


def markdown(evaluation: Evaluation) -> str:
    """The new hits as a short Markdown list (the Dagster UI's metadata)."""
    if not evaluation.results:
        return "(no saved searches: `tgwh search --save NAME QUERY`)"
    lines = []
    for result in evaluation.results:
        lines.append(f"- **{result.name}** `{result.query}`: {result.new_hits} new")
        if result.error:
            lines.append(f"  - error: {result.error}")
        for hit in result.newest:
            day = hit.post_date.isoformat() if hit.post_date else "undated"
            text = hit.snippet.marked().replace("\n", " ")
            lines.append(f"  - [{hit.post_key}]({hit.link}) {day}: {text}")
    return "\n".join(lines)
