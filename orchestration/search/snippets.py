"""Snippets: a window of a hit's text around the words that matched, with their positions.

Tantivy's snippet generator marks the terms of a query in one field, analyzed as that field
is: so a hit is marked both as the plain field sees it and as its language's stemmed field
does ("negotiations" for the query "negotiation"), and the window with more marks wins. It
does not mark prefix matches (``negoti*``): those are found here, word by word, in the hits
only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import tantivy

from orchestration.search.schema import PLAIN_FIELD, SCHEMA, STEMMED_FIELDS

SNIPPET_CHARS = 200
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # character offsets

    def marked(self, before: str = "**", after: str = "**") -> str:
        """The snippet with each matched word between ``before`` and ``after``."""
        parts, position = [], 0
        for start, end in self.highlights:
            parts += [self.text[position:start], before, self.text[start:end], after]
            position = end
        parts.append(self.text[position:])
        return "".join(parts)


def _fold(word: str) -> str:
    """As the plain analyzer sees a word: lower case, accents off."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _from_tantivy(snippet: tantivy.Snippet) -> Snippet:
    fragment = snippet.fragment()
    encoded = fragment.encode("utf-8")

    def char_offset(byte_offset: int) -> int:  # tantivy's ranges count UTF-8 bytes
        return len(encoded[:byte_offset].decode("utf-8", errors="ignore"))

    spans = [(char_offset(r.start), char_offset(r.end)) for r in snippet.highlighted()]
    return Snippet(fragment, spans)


def _window(text: str, start: int) -> tuple[int, int]:
    """About SNIPPET_CHARS of ``text`` from a little before ``start``, cut at spaces."""
    begin = max(0, start - SNIPPET_CHARS // 4)
    if begin:
        space = text.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > start else end
    return begin, end


def _prefix_spans(text: str, prefixes: list[str]) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in _WORD.finditer(text)
        if any(_fold(m.group()).startswith(prefix) for prefix in prefixes)
    ]


def prefix_snippet(text: str, prefixes: list[str]) -> Snippet | None:
    matches = _prefix_spans(text, prefixes)
    if not matches:
        return None
    begin, end = _window(text, matches[0][0])
    spans = [(s - begin, e - begin) for s, e in matches if s >= begin and e <= end]
    return Snippet(text[begin:end], spans)


def head_snippet(text: str) -> Snippet:
    begin, end = _window(text, 0)
    return Snippet(text[begin:end])


class SnippetMaker:
    """Snippets for the hits of one query on one searcher."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query, prefixes: list[str]):
        self.searcher, self.query, self.prefixes = searcher, query, prefixes
        self._generators: dict[str, tantivy.SnippetGenerator] = {}

    def _generator(self, name: str) -> tantivy.SnippetGenerator:
        if name not in self._generators:
            generator = tantivy.SnippetGenerator.create(self.searcher, self.query, SCHEMA, name)
            generator.set_max_num_chars(SNIPPET_CHARS)
            self._generators[name] = generator
        return self._generators[name]

    def make(self, text: str, language: str | None) -> Snippet:
        candidates = []
        for name in filter(None, [PLAIN_FIELD, STEMMED_FIELDS.get(language or "")]):
            document = tantivy.Document(**{name: text})
            candidates.append(_from_tantivy(self._generator(name).snippet_from_doc(document)))
        best = max(candidates, key=lambda snippet: len(snippet.highlights))
        if best.highlights:
            return self._mark_prefixes(best)
        if self.prefixes:
            found = prefix_snippet(text, self.prefixes)
            if found is not None:
                return found
        return head_snippet(text)

    def _mark_prefixes(self, snippet: Snippet) -> Snippet:
        if not self.prefixes:
            return snippet
        spans = set(snippet.highlights) | set(_prefix_spans(snippet.text, self.prefixes))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return Snippet(snippet.text, merged)
