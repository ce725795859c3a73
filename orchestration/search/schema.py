"""The index's fields and analyzers: a stemmed field per language, one plain field for all.

A post's text goes into the stemmed field of its ``language`` (English, Russian, Spanish,
French: Snowball stemmers, so "negotiation" finds "negotiations" and "переговоры" finds
"переговорах") and, for every post, into the plain field (lower-cased and accent-folded, not
stemmed). Queries search the stemmed fields and the plain one together, so a word in the exact
form the post uses scores above a stem-only match, posts of other languages are still found,
and prefixes (``negoti*``) run against unstemmed words: a stem is often shorter than the prefix
a person types ("negotiati" is no prefix of the stem "negoti").
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import tantivy

# ISO 639-1 code of the `language` column -> the Snowball stemmer tantivy names.
STEMMED_LANGUAGES = {"en": "english", "ru": "russian", "es": "spanish", "fr": "french"}
LANGUAGES = tuple(STEMMED_LANGUAGES)

PLAIN_FIELD = "text"  # every post; the only copy of the text that is stored
POST_KEY = "post_key"
CHANNEL = "channel"  # stored as the warehouse spells it, indexed lower-cased
MESSAGE_ID = "message_id"
POST_DAY = "post_day"  # post_date as days since 1970-01-01: filters by date range
SORT_TIME = "sort_ts"  # seconds since 1970 of published_at, else of post_date: newest first
LANGUAGE = "language"
# The warehouse batch in which the post's text took its current form: the batch of its kept
# version, unless an earlier document of the post had the same text (a re-landed export).
CHANGED_IN = "changed_in"

PLAIN_ANALYZER = "tgwh_plain"
KEYWORD_ANALYZER = "tgwh_keyword"
MAX_TOKEN_CHARS = 40  # longer "words" are URLs or base64: not worth a term each


EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - EPOCH).days


def from_day_number(number: int) -> date:
    return EPOCH + timedelta(days=number)


def stemmed_field(language: str) -> str:
    return f"text_{language}"


STEMMED_FIELDS = {language: stemmed_field(language) for language in LANGUAGES}
# The field -> analyzer map, the fields' flags and the analyzers' definitions make up the
# format: an index written with other ones is rebuilt (see INDEX_FORMAT).
_FIELDS = [
    ("text", POST_KEY, {"stored": True, "tokenizer_name": "raw"}),
    ("text", CHANNEL, {"stored": True, "tokenizer_name": KEYWORD_ANALYZER}),
    ("integer", MESSAGE_ID, {"stored": True}),
    ("integer", POST_DAY, {"stored": True, "indexed": True, "fast": True}),
    ("integer", SORT_TIME, {"stored": True, "fast": True}),
    ("text", LANGUAGE, {"stored": True, "tokenizer_name": "raw"}),
    ("text", CHANGED_IN, {"stored": True, "tokenizer_name": "raw"}),
    ("text", PLAIN_FIELD, {"stored": True, "tokenizer_name": PLAIN_ANALYZER}),
    *(
        ("text", field, {"stored": False, "tokenizer_name": f"tgwh_{language}"})
        for language, field in STEMMED_FIELDS.items()
    ),
]
_ANALYZERS = {
    PLAIN_ANALYZER: ["simple", f"remove_long:{MAX_TOKEN_CHARS}", "lowercase", "ascii_fold"],
    KEYWORD_ANALYZER: ["raw", "lowercase"],
    # Folding after stemming: the stemmers know the accents ("négociations" -> "négoci"), and
    # folding their stems lets "negociation" typed without accents meet them.
    **{
        f"tgwh_{language}": [
            "simple",
            f"remove_long:{MAX_TOKEN_CHARS}",
            "lowercase",
            f"stemmer:{stemmer}",
            "ascii_fold",
        ]
        for language, stemmer in STEMMED_LANGUAGES.items()
    },
}
INDEX_FORMAT = hashlib.sha256(
    json.dumps([_FIELDS, _ANALYZERS, tantivy.__version__], sort_keys=True).encode()
).hexdigest()[:16]


def _analyzer(steps: list[str]) -> tantivy.TextAnalyzer:
    tokenizer, *filters = steps
    builder = tantivy.TextAnalyzerBuilder(getattr(tantivy.Tokenizer, tokenizer)())
    for step in filters:
        name, _, argument = step.partition(":")
        if name == "remove_long":
            builder = builder.filter(tantivy.Filter.remove_long(int(argument)))
        elif name == "stemmer":
            builder = builder.filter(tantivy.Filter.stemmer(argument))
        else:
            builder = builder.filter(getattr(tantivy.Filter, name)())
    return builder.build()


_BUILT_ANALYZERS = {name: _analyzer(steps) for name, steps in _ANALYZERS.items()}


def analyzer_of(field: str) -> tantivy.TextAnalyzer:
    """The analyzer a text field is indexed with, to analyze query words the same way."""
    if field == PLAIN_FIELD:
        return _BUILT_ANALYZERS[PLAIN_ANALYZER]
    language = field.removeprefix("text_")
    return _BUILT_ANALYZERS[f"tgwh_{language}"]


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    adders = {"text": builder.add_text_field, "integer": builder.add_integer_field}
    for kind, name, options in _FIELDS:
        adders[kind](name, **options)
    return builder.build()


SCHEMA = build_schema()


def register_analyzers(index: tantivy.Index) -> tantivy.Index:
    """Tantivy keeps analyzers' names in the index, not the analyzers: every process that
    opens an index (to write or to search) registers them again."""
    for name, analyzer in _BUILT_ANALYZERS.items():
        index.register_tokenizer(name, analyzer)
    return index
