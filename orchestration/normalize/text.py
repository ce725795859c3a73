"""Clean text: HTML entities decoded, copy artifacts fixed, invisible characters out, tidy
whitespace. Columnar; each step runs only on the rows a fast test says it would change."""

from __future__ import annotations

import csv
import html
import re
from functools import cache

import polars as pl

from orchestration.config import REFERENCE_DIR
from orchestration.normalize.columns import update_where

COPY_ARTIFACTS_CSV = REFERENCE_DIR / "copy_artifacts.csv"

# Entities with the closing ';' only: "&amp" without it is ordinary text far more often.
_ENTITY_RE = r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"

# Literal fixes, applied in one Aho-Corasick pass: odd spaces to " ", line breaks to "\n",
# invisible characters out. ZWJ/ZWNJ (U+200D/U+200C) are not here: they build emoji sequences
# and Persian words, so they are removed only between two Latin/Cyrillic letters.
_CHARACTER_FIXES = {
    "\r\n": "\n",
    "\r": "\n",
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
    "\x85": "\n",  # next line
    "\t": " ",
    "\x0b": " ",
    "\x0c": " ",
    "\xa0": " ",  # no-break space: Telegram glues short words with it, a third of posts have one
    # ogham, en/em/thin/hair... spaces, narrow no-break, medium mathematical, ideographic
    **dict.fromkeys(["\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f"], " "),
    "\u3000": " ",
    "\u200b": "",  # zero-width space
    "\u2060": "",  # word joiner
    "\ufeff": "",  # byte order mark / zero-width no-break space
    "\u00ad": "",  # soft hyphen
    "\u180e": "",  # Mongolian vowel separator (an old zero-width space)
}
# Every character above or a joiner: one class, so a clean row costs one scan.
_ODD_CHARACTERS_RE = (
    r"[\r\t\x0b\x0c\x85\xa0\xad\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060"
    r"\u3000\ufeff]"
)
_JOINERS_RE = r"[\u200c\u200d]"
_JOINER_IN_WORD_RE = r"([\p{Latin}\p{Cyrillic}])[\u200c\u200d]+([\p{Latin}\p{Cyrillic}])"
_LAYOUT_RE = r"  | \n|\n |\n\n\n"
_MANY_NEWLINES_RE = r"(?: ?\n){3,} ?"  # 3+ line breaks, blank lines of spaces included
_LINE_EDGE_SPACE_RE = r" \n ?|\n "


@cache
def copy_artifacts() -> dict[str, str]:
    """Reviewed fixes for words that copying a web page mangled, in three casings each.

    Kept in reference/copy_artifacts.csv so a reviewer can read and extend the list without
    reading code. "trannoscript" is the known one: a sanitizer turned "script" into "noscript".
    """
    fixes: dict[str, str] = {}
    with COPY_ARTIFACTS_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            wrong, right = row["wrong"].strip(), row["right"].strip()
            if wrong and right:
                for case in (str.lower, str.capitalize, str.upper):
                    fixes[case(wrong)] = case(right)
    return fixes


@cache
def _messy_test() -> str:
    """Matches rows that any fix or layout tidying would change."""
    return "|".join([_ODD_CHARACTERS_RE, _LAYOUT_RE, *map(re.escape, copy_artifacts())])


@cache
def _rare_fixes() -> tuple[str, dict[str, str]]:
    """A test for the characters and copy artifacts other than no-break spaces, and the fixes."""
    odd_but_no_break_space = _ODD_CHARACTERS_RE.replace(r"\xa0", "")
    test = "|".join([odd_but_no_break_space, *map(re.escape, copy_artifacts())])
    return test, {**_CHARACTER_FIXES, **copy_artifacts()}


def entity_table(*texts: pl.Series) -> dict[str, str]:
    """Decoded value of every distinct HTML entity spelled in ``texts``.

    Why not html.unescape on each post: that is a Python call per row (a million posts, seconds
    of interpreter time). The entities a batch actually uses are few (tens: &amp; &quot; &nbsp;
    &#39; ...), so html.unescape runs once per distinct spelling, which decodes every named and
    numeric entity exactly, and one Aho-Corasick replace applies the table to the column.
    """
    spellings: set[str] = set()
    for text in texts:
        with_ampersand = text.filter(text.str.contains("&", literal=True).fill_null(False))
        found = with_ampersand.str.extract_all(_ENTITY_RE).explode().drop_nulls().unique()
        spellings.update(found.to_list())
    decoded = {spelling: html.unescape(spelling) for spelling in sorted(spellings)}
    return {spelling: value for spelling, value in decoded.items() if value != spelling}


def _tidy_layout(text: pl.Series) -> pl.Series:
    return (
        text.str.replace_all(" {2,}", " ")
        .str.replace_all(_MANY_NEWLINES_RE, "\n\n")
        .str.replace_all(_LINE_EDGE_SPACE_RE, "\n")
    )


def _tidy(text: pl.Series) -> pl.Series:
    # No-break spaces are most of the work: one literal is far cheaper than the whole table.
    text = text.str.replace_many({"\xa0": " "})
    rare_test, fixes = _rare_fixes()
    text = update_where(
        text, text.str.contains(rare_test), lambda part: part.str.replace_many(fixes, leftmost=True)
    )
    text = update_where(
        text,
        text.str.contains(_JOINERS_RE),
        lambda part: part.str.replace_all(_JOINER_IN_WORD_RE, "${1}${2}"),
    )
    return update_where(text, text.str.contains(_LAYOUT_RE), _tidy_layout)


def clean_text(text: pl.Series, entities: dict[str, str] | None = None) -> pl.Series:
    """Decode HTML entities, fix copy artifacts, remove invisible characters, tidy whitespace.

    Whitespace: odd spaces become plain ones, runs of spaces one, each line is trimmed, 3+ line
    breaks become one blank line, the whole is stripped; empty text becomes null. ``entities``
    is an ``entity_table`` (computed here when not given). Each step runs only on the rows a
    fast test says it would change.
    """
    text = text.cast(pl.String)
    if entities is None:
        entities = entity_table(text)
    if entities:
        text = update_where(
            text,
            text.str.contains("&", literal=True),
            lambda part: part.str.replace_many(entities, leftmost=True),
        )
    text = update_where(text, text.str.contains(_messy_test()), _tidy)
    # Only " " and "\n" are left to strip once the odd characters are gone.
    edges = (
        text.str.starts_with(" ")
        | text.str.starts_with("\n")
        | text.str.ends_with(" ")
        | text.str.ends_with("\n")
    )
    text = update_where(text, edges, lambda part: part.str.strip_chars(" \n"))
    return pl.select(pl.when(text.str.len_bytes() > 0).then(text)).to_series().alias(text.name)
