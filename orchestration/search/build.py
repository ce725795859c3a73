"""The published warehouse -> the search index: incremental, costing what the new posts cost.

The index records the warehouse batches it was built from (``IndexState.batch_ids``). A
post's row in ``marts.fct_posts`` carries the batch of the version the warehouse kept, and that
only changes when a new batch brings a newer version (an edit, a later landing): so the posts
to (re)index after a publish are those whose ``batch_id`` the index has not seen, read with one
query and streamed in Arrow batches. Each is looked up by ``post_key`` in the generation built
on: a post landed again as it was (an overlapping export) keeps its document, any other change
replaces it.

Everything is indexed again, into an empty generation, when the index is missing or was written
with another schema, when the warehouse was rebuilt by other code (its pipeline fingerprint
changed: every row may differ), or when the warehouse lacks batches the index holds (a
rollback). After an incremental build the index must hold as many documents as the warehouse
has posts with text; if not, it is rebuilt whole rather than trusted.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import tantivy

from orchestration.config import SearchGenerationLayout, SearchLayout
from orchestration.search.generations import IndexState, SearchGenerations, file_signature
from orchestration.search.schema import (
    CHANGED_IN,
    CHANNEL,
    INDEX_FORMAT,
    LANGUAGE,
    MESSAGE_ID,
    PLAIN_FIELD,
    POST_DAY,
    POST_KEY,
    SCHEMA,
    SORT_TIME,
    STEMMED_FIELDS,
)
from orchestration.warehouse.stamp import BUILD_TABLE

WRITER_HEAP_BYTES = 256_000_000  # tantivy's indexing buffer, shared by its threads
READ_BATCH_ROWS = 50_000  # posts held in memory at a time while indexing

# The searchable text: the post's text and its poll's question. One query for every column the
# index needs; `where` restricts it to the posts of batches the index has not seen.
POSTS_SQL = """
    with posts as (
        select
            post_key,
            channel,
            message_id,
            datediff('day', date '1970-01-01', post_date) as post_day,
            cast(epoch(coalesce(published_at, cast(post_date as timestamptz))) as bigint)
                as sort_ts,
            nullif(language, '') as language,
            concat_ws(chr(10), nullif(text, ''), nullif(poll_question, '')) as search_text,
            batch_id
        from marts.fct_posts
        {where}
    )
    select *, {document} as document from posts
"""
POST_COLUMNS = (
    "post_key",
    "channel",
    "message_id",
    "post_day",
    "sort_ts",
    "language",
    "search_text",
    "batch_id",
)


def _document_sql() -> str:
    """Each post's tantivy document as JSON, written by DuckDB for all rows at once: handing
    tantivy one string per post (IndexWriter.add_json, parsed in Rust) costs half of building
    a Document field by field from Python, the indexing loop's main cost. A merge patch drops
    the fields without a value (tantivy refuses a null); the text goes to the stemmed field of
    the post's language as well."""
    fields = {
        POST_KEY: "post_key",
        CHANNEL: "channel",
        MESSAGE_ID: "message_id",
        POST_DAY: "post_day",
        SORT_TIME: "sort_ts",
        LANGUAGE: "language",
        CHANGED_IN: "batch_id",
        PLAIN_FIELD: "search_text",
    }
    pairs = ", ".join(f"'{field}', {column}" for field, column in fields.items())
    stemmed = " ".join(
        f"when '{language}' then '{field}'" for language, field in STEMMED_FIELDS.items()
    )
    # a key of no field (an empty one, dropped with its null value) where no stemmer applies
    return (
        f"json_merge_patch('{{}}', json_object({pairs}), json_object("
        f"case language {stemmed} else '' end, "
        f"case when language in {tuple(STEMMED_FIELDS)} then search_text end))"
    )


INDEXABLE = "nullif(concat_ws('', nullif(text, ''), nullif(poll_question, '')), '') is not null"


@dataclass(frozen=True)
class IndexBuild:
    """What one build did; ``mode`` is full, incremental, up_to_date or no_warehouse."""

    mode: str
    reason: str
    posts_read: int = 0
    documents_written: int = 0  # new or replaced (a post landed again unchanged is left be)
    documents: int = 0  # in the published generation
    seconds: float = 0.0
    generation: str | None = None
    new_batches: list[str] = field(default_factory=list)

    @property
    def posts_per_second(self) -> float:
        return self.posts_read / self.seconds if self.seconds else 0.0


def _warehouse_stamp(connection: duckdb.DuckDBPyConnection) -> tuple[str | None, list[str]]:
    """The published warehouse's fingerprint and batches, read over the connection that then
    reads the posts (a publish renames a new file in; this connection keeps the one it opened)."""
    try:
        rows = connection.execute(
            f"select pipeline_fingerprint, batch_ids from {BUILD_TABLE}"
        ).fetchall()
    except duckdb.CatalogException:
        rows = []
    row = rows[0] if rows else None
    if row is None:  # built before stamps: its batches are whatever its posts name
        batches = connection.execute(
            "select distinct batch_id from marts.fct_posts where batch_id is not null"
        ).fetchall()
        return None, sorted(b for (b,) in batches)
    return row[0], sorted(row[1])


def _plan(state: IndexState | None, fingerprint: str | None, batches: list[str]) -> tuple[str, str]:
    if state is None:
        return "full", "no index yet"
    if state.index_format != INDEX_FORMAT:
        return "full", "the index's schema or analyzers changed"
    if fingerprint is None or state.pipeline_fingerprint != fingerprint:
        return "full", "the warehouse was rebuilt by other code"
    missing = set(state.batch_ids) - set(batches)
    if missing:
        return "full", f"the warehouse no longer holds {len(missing)} indexed batches (rollback)"
    if set(state.batch_ids) == set(batches):
        return "up_to_date", "the index holds every batch of the warehouse"
    return "incremental", f"{len(set(batches) - set(state.batch_ids))} new batches"


def _previous(searcher: tantivy.Searcher, key: str) -> tantivy.Document | None:
    """The post's document in the generation built on."""
    hits = searcher.search(tantivy.Query.term_query(SCHEMA, POST_KEY, key), 1, count=False).hits
    return searcher.doc(hits[0][1]) if hits else None


# What a document says of its post, beside CHANGED_IN: when all of it is as before (the same
# post landed again, e.g. in an overlapping export), the document stays as it is.
_COMPARED = (PLAIN_FIELD, CHANNEL, MESSAGE_ID, POST_DAY, SORT_TIME, LANGUAGE)


def _add_posts(
    writer: tantivy.IndexWriter,
    reader: duckdb.DuckDBPyRelation,
    previous: tantivy.Searcher | None,
) -> tuple[int, int]:
    """Index the posts a query returns, Arrow batch by Arrow batch; (posts read, documents
    written). With the ``previous`` generation's searcher, a post's old document is kept when
    nothing in it changed, else replaced; a changed post that kept its text (a new date, say)
    keeps its CHANGED_IN."""
    posts = written = 0
    for batch in reader.to_arrow_reader(READ_BATCH_ROWS):
        documents = batch.column("document").to_pylist()
        texts = batch.column("search_text").to_pylist()
        posts += len(documents)
        if previous is None:  # a new generation: every post with text is a new document
            for document, text in zip(documents, texts, strict=True):
                if text:  # media without a caption: nothing to find (filters alone do not search)
                    writer.add_json(document)
                    written += 1
            continue
        columns = [batch.column(name).to_pylist() for name in POST_COLUMNS]
        for key, channel, message_id, day, sort_ts, language, text, _, document in zip(
            *columns, documents, strict=True
        ):
            before = _previous(previous, key)
            if before is not None:
                old = tuple(before.get_first(name) for name in _COMPARED)
                if old == (text, channel, message_id, day, sort_ts, language):
                    continue
                writer.delete_documents_by_term(POST_KEY, key)
                if old[0] == text and before.get_first(CHANGED_IN):
                    # the text is as before: the post keeps the batch its text changed in
                    fields = json.loads(document)
                    fields[CHANGED_IN] = before.get_first(CHANGED_IN)
                    document = json.dumps(fields, ensure_ascii=False)
            if text:
                writer.add_json(document)
                written += 1
    return posts, written


@dataclass(frozen=True)
class _Warehouse:
    """The published warehouse as one build reads it."""

    connection: duckdb.DuckDBPyConnection
    signature: str
    fingerprint: str | None
    batches: list[str]


def build_search_index(
    layout: SearchLayout, warehouse: Path, full: bool = False, log=lambda message: None
) -> IndexBuild:
    """Bring the index in ``layout`` up to date with the published ``warehouse``.

    Call it with the home's writer lock held (one build at a time); searches go on meanwhile.
    """
    started = time.perf_counter()
    if not warehouse.exists():
        return IndexBuild("no_warehouse", f"no published warehouse at {warehouse}")
    generations = SearchGenerations(layout)
    current = generations.current()
    state = IndexState.read(current) if current is not None else None
    signature = file_signature(warehouse)  # the writer lock is held: no publish in between
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        source = _Warehouse(connection, signature, *_warehouse_stamp(connection))
        if full:
            mode, reason = "full", "a full rebuild was asked for"
        else:
            mode, reason = _plan(state, source.fingerprint, source.batches)
        if mode == "up_to_date":
            return IndexBuild(
                mode,
                reason,
                documents=state.documents,
                generation=current.name,
                seconds=time.perf_counter() - started,
            )
        if mode == "incremental":
            try:
                return _write(generations, source, current, state, started, reason)
            except _Untrusted as problem:
                log(f"search index: {problem}; indexing every post again")
                reason = str(problem)
        return _write(generations, source, None, None, started, reason)


class _Untrusted(RuntimeError):
    """The current generation cannot be built on: unreadable, or it disagrees with the data."""


def _write(
    generations: SearchGenerations,
    source: _Warehouse,
    based_on: SearchGenerationLayout | None,
    state: IndexState | None,
    started: float,
    reason: str,
) -> IndexBuild:
    incremental = based_on is not None
    connection = source.connection
    new_batches = sorted(set(source.batches) - set(state.batch_ids)) if state else source.batches
    try:
        generation, index = generations.create(based_on)
    except (OSError, ValueError) as error:
        if incremental:
            raise _Untrusted(f"the index in {based_on.root} cannot be read ({error})") from None
        raise
    try:
        if incremental:
            reader = connection.sql(
                POSTS_SQL.format(
                    where="where batch_id not in (select unnest(?::varchar[]))",
                    document=_document_sql(),
                ),
                params=[list(state.batch_ids)],
            )
        else:
            reader = connection.sql(POSTS_SQL.format(where="", document=_document_sql()))
        previous = index.searcher() if incremental else None  # the files built on, as they are
        writer = index.writer(heap_size=WRITER_HEAP_BYTES)
        posts, written = _add_posts(writer, reader, previous)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        documents = index.searcher().num_docs
        (expected,) = connection.execute(
            f"select count(*) from marts.fct_posts where {INDEXABLE}"
        ).fetchall()[0]
        if documents != expected:
            message = f"the index holds {documents} documents for {expected} posts with text"
            if incremental:
                raise _Untrusted(message)
            raise RuntimeError(f"search index build: {message}")
        generations.publish(
            generation,
            IndexState(
                index_format=INDEX_FORMAT,
                pipeline_fingerprint=source.fingerprint,
                batch_ids=tuple(source.batches),
                documents=documents,
                built_at=datetime.now(UTC).isoformat(),
                mode="incremental" if incremental else "full",
                warehouse_file=source.signature,
            ),
        )
    except BaseException:
        generations.discard(generation)
        raise
    return IndexBuild(
        mode="incremental" if incremental else "full",
        reason=reason,
        posts_read=posts,
        documents_written=written,
        documents=documents,
        seconds=time.perf_counter() - started,
        generation=generation.name,
        new_batches=new_batches,
    )
