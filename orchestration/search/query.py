"""A search: the query text compiled against the index's fields, filters, BM25-ranked hits.

The syntax is tantivy's query grammar, parsed by tantivy (``tantivy.parse_query``): words,
"phrases" (``"..."~N`` allows N words between), ``AND``, ``OR``, ``NOT`` / ``-word``, ``+word``
and parentheses; words side by side must all match. Tantivy's own query parser turns that tree
into a query too, but it has no prefix search for a single word (``negoti*``) and it would
read ``Lavrov: talks`` as a field name: so the tree is compiled here, each word analyzed with
the analyzer of every field it is looked up in (stemmed per language, and plain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import tantivy

from orchestration.search.generations import OpenIndex
from orchestration.search.schema import (
    CHANNEL,
    LANGUAGE,
    LANGUAGES,
    MESSAGE_ID,
    PLAIN_FIELD,
    POST_DAY,
    POST_KEY,
    SCHEMA,
    SORT_TIME,
    STEMMED_FIELDS,
    analyzer_of,
    day_number,
    from_day_number,
)
from orchestration.search.snippets import Snippet, SnippetMaker

DEFAULT_LIMIT = 20
_OCCUR = {
    None: tantivy.Occur.Must,  # words side by side: all of them
    "must": tantivy.Occur.Must,
    "should": tantivy.Occur.Should,
    "must_not": tantivy.Occur.MustNot,
}


class QueryError(ValueError):
    """The query cannot be searched: bad syntax, or nothing to look for."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    channel: str | None = None
    since: date | None = None  # post_date from (inclusive)
    until: date | None = None  # post_date up to (inclusive)
    language: str | None = None  # one of LANGUAGES: search that language's posts only
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.language is not None and self.language not in LANGUAGES:
            raise QueryError(f"unknown language {self.language!r}: one of {', '.join(LANGUAGES)}")
        if self.limit < 1:
            raise QueryError(f"the limit must be a positive number, got {self.limit}")
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"--since {self.since} is after --until {self.until}")


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    post_key: str
    channel: str
    message_id: int | None
    post_date: date | None
    language: str | None
    snippet: Snippet

    @property
    def link(self) -> str:
        """The post on t.me; a text copy has no message id, so its channel."""
        if self.message_id is None:
            return f"https://t.me/{self.channel}"
        return f"https://t.me/{self.channel}/{self.message_id}"

    def to_dict(self) -> dict:
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "post_key": self.post_key,
            "channel": self.channel,
            "message_id": self.message_id,
            "date": self.post_date.isoformat() if self.post_date else None,
            "language": self.language,
            "link": self.link,
            "snippet": self.snippet.text,
            "highlights": [list(span) for span in self.snippet.highlights],
        }


@dataclass
class SearchResults:
    request: SearchRequest
    total: int  # every post that matches, not only those returned
    hits: list[Hit]
    generation: str
    prefixes: list[str] = field(default_factory=list)


@dataclass
class CompiledQuery:
    query: tantivy.Query
    prefixes: list[str]  # prefix words (plain analyzer), which tantivy's snippets do not mark


def _should(queries: list[tantivy.Query]) -> tantivy.Query | None:
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _literal(text: str, quoted: bool, prefix: bool, slop: int, fields: list[str], prefixes):
    """One word or phrase, looked up in every field (a post matches in one of them)."""
    if not quoted and text.endswith("*"):
        text, prefix = text.rstrip("*"), True
    queries = []
    # A prefix is matched against unstemmed words only (see schema.py).
    for name in [PLAIN_FIELD] if prefix else fields:
        tokens = analyzer_of(name).analyze(text)
        if not tokens:
            continue
        if prefix:
            if name == PLAIN_FIELD:
                prefixes.append(tokens[-1])
            if len(tokens) == 1:
                # A regex, not phrase_prefix_query: that stops at the first 50 matching words.
                queries.append(tantivy.Query.regex_query(SCHEMA, name, re.escape(tokens[0]) + ".*"))
            else:
                queries.append(tantivy.Query.phrase_prefix_query(SCHEMA, name, tokens))
        elif len(tokens) == 1:
            queries.append(tantivy.Query.term_query(SCHEMA, name, tokens[0]))
        else:  # a phrase, or one "word" the analyzer splits (COVID-19, t.me)
            queries.append(tantivy.Query.phrase_query(SCHEMA, name, tokens, slop=slop))
    return _should(queries)


def _compile(node: dict, fields: list[str], prefixes: list[str]) -> tantivy.Query | None:
    if node["type"] == "literal":
        quoted = node["delimiter"] != "none"
        query = _literal(node["phrase"], quoted, node["prefix"], node["slop"], fields, prefixes)
        if node["field_name"]:  # "Lavrov: talks" is two words here, not a field
            head = _literal(node["field_name"], False, False, 0, fields, prefixes)
            parts = [q for q in (head, query) if q is not None]
            if len(parts) == 2:
                return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in parts])
            return parts[0] if parts else None
        return query
    if node["type"] == "bool":
        clauses = []
        for occur, child in node["clauses"]:
            compiled = _compile(child, fields, prefixes)
            if compiled is not None:
                clauses.append((_OCCUR[occur], compiled))
        if not clauses:
            return None
        if all(occur == tantivy.Occur.MustNot for occur, _ in clauses):
            raise QueryError("a query needs a word to look for, not only words to exclude")
        return tantivy.Query.boolean_query(clauses)
    raise QueryError(f"this kind of query is not supported here: {node['type']}")


def compile_query(text: str, language: str | None = None) -> CompiledQuery:
    """The query text as a tantivy query over the stemmed fields (all, or ``language``'s) and
    the plain field."""
    if not text.strip():
        raise QueryError("the query is empty")
    try:
        tree = tantivy.parse_query(text)
    except ValueError as error:
        raise QueryError(f"the query does not parse: {error}") from None
    languages = [language] if language else list(LANGUAGES)
    fields = [STEMMED_FIELDS[name] for name in languages] + [PLAIN_FIELD]
    prefixes: list[str] = []
    query = _compile(tree, fields, prefixes)
    if query is None:
        raise QueryError(f"nothing to search for in {text!r}: it has no words")
    return CompiledQuery(query, prefixes)


def filters(request: SearchRequest) -> list[tantivy.Query]:
    """The channel, date and language filters as queries every hit must match."""
    found = []
    if request.channel:
        channel = request.channel.strip().lstrip("@").lower()
        found.append(tantivy.Query.term_query(SCHEMA, CHANNEL, channel))
    if request.language:
        found.append(tantivy.Query.term_query(SCHEMA, LANGUAGE, request.language))
    if request.since or request.until:
        found.append(
            tantivy.Query.range_query(
                SCHEMA,
                POST_DAY,
                tantivy.FieldType.Integer,
                day_number(request.since) if request.since else -(2**62),
                day_number(request.until) if request.until else 2**62,
            )
        )
    return found


def _first(document: tantivy.Document, name: str):
    values = document.get_all(name)
    return values[0] if values else None


def search(
    opened: OpenIndex,
    request: SearchRequest,
    also: list[tantivy.Query] | None = None,
    newest_first: bool = False,
) -> SearchResults:
    """The best ``request.limit`` posts (BM25, or newest first), with snippets and the total.

    ``also``: more queries every hit must match (saved searches: the new batches only).
    """
    compiled = compile_query(request.query, request.language)
    query = compiled.query
    restrictions = filters(request) + list(also or [])
    if restrictions:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, q) for q in [query, *restrictions]]
        )
    searcher = opened.searcher
    if newest_first:
        found = searcher.search(query, request.limit, order_by_field=SORT_TIME)
    else:
        found = searcher.search(query, request.limit)
    snippets = SnippetMaker(searcher, compiled.query, compiled.prefixes)
    hits = []
    for rank, (score, address) in enumerate(found.hits, start=1):
        document = searcher.doc(address)
        day = _first(document, POST_DAY)
        language = _first(document, LANGUAGE)
        hits.append(
            Hit(
                rank=rank,
                score=float(score) if not newest_first else 0.0,
                post_key=_first(document, POST_KEY),
                channel=_first(document, CHANNEL),
                message_id=_first(document, MESSAGE_ID),
                post_date=from_day_number(day) if day is not None else None,
                language=language,
                snippet=snippets.make(_first(document, PLAIN_FIELD) or "", language),
            )
        )
    return SearchResults(
        request=request,
        total=found.count if found.count is not None else len(hits),
        hits=hits,
        generation=opened.generation.name,
        prefixes=compiled.prefixes,
    )
