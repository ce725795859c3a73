"""Raw records -> the normalized layer: clean text, extracted fields, one row per post.

Everything here is columnar Polars, with no per-row Python. On this kind of data a regex pass
costs about half a second per million posts whatever it finds, so the code keeps the number of
full passes small: expensive patterns run only on the rows a cheap test selects (a literal or a
pattern the regex engine can prefilter), and slices of the posts run in threads, since one
Polars string expression keeps one core busy. tests/bench_normalize.py measures the throughput.
"""

from __future__ import annotations

import csv
import html
import logging
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import polars as pl

from orchestration.schemas import (
    NORMALIZED_HEADER_SCHEMA,
    NORMALIZED_POST_SCHEMA,
    POST_VIEW_SCHEMA,
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    UTC_TIME,
    conform,
)

log = logging.getLogger(__name__)

COPY_ARTIFACTS_CSV = Path(__file__).resolve().parent / "reference" / "copy_artifacts.csv"

_STRINGS = pl.List(pl.String)


def _alternation(words: Iterable[str]) -> str:
    """Regex alternatives, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _update_where(
    values: pl.Series, mask: pl.Series, compute: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """Replace ``values`` where ``mask`` holds by ``compute`` run on those rows only.

    Polars evaluates both branches of when/then on every row; for a regex pass over long texts
    that most rows do not need, computing on the selected rows and scattering back is cheaper.
    """
    rows = mask.fill_null(False).arg_true()
    if rows.len() == 0:
        return values
    return values.clone().scatter(rows, compute(values.gather(rows)))


def _compute_where(
    source: pl.Series,
    mask: pl.Series,
    compute: Callable[[pl.Series], pl.Series],
    dtype: pl.DataType,
    default: object = None,
) -> pl.Series:
    """``compute`` on the masked rows of ``source``, ``default`` elsewhere.

    ``compute`` must itself give ``default`` on rows the mask leaves out, so that running it
    on every row is also correct. A join on the row number puts the results back (Polars
    cannot scatter lists, and gathering lists is several times slower than this join).
    """
    rows = mask.fill_null(False).arg_true()
    if rows.len() == source.len():
        return compute(source).cast(dtype).alias(source.name)
    everything = pl.DataFrame({"row": pl.int_range(0, source.len(), dtype=pl.UInt32, eager=True)})
    if rows.len():
        computed = pl.DataFrame({"row": rows, "value": compute(source.gather(rows)).cast(dtype)})
        everything = everything.join(computed, on="row", how="left", maintain_order="left")
    else:
        everything = everything.with_columns(value=pl.lit(None, dtype=dtype))
    value = pl.col("value")
    if default is not None:
        value = value.fill_null(pl.lit(default, dtype=dtype))
    return everything.select(value.alias(source.name)).to_series()


# --- text cleaning ---------------------------------------------------------------------------

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
    text = _update_where(
        text, text.str.contains(rare_test), lambda part: part.str.replace_many(fixes, leftmost=True)
    )
    text = _update_where(
        text,
        text.str.contains(_JOINERS_RE),
        lambda part: part.str.replace_all(_JOINER_IN_WORD_RE, "${1}${2}"),
    )
    return _update_where(text, text.str.contains(_LAYOUT_RE), _tidy_layout)


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
        text = _update_where(
            text,
            text.str.contains("&", literal=True),
            lambda part: part.str.replace_many(entities, leftmost=True),
        )
    text = _update_where(text, text.str.contains(_messy_test()), _tidy)
    # Only " " and "\n" are left to strip once the odd characters are gone.
    edges = (
        text.str.starts_with(" ")
        | text.str.starts_with("\n")
        | text.str.ends_with(" ")
        | text.str.ends_with("\n")
    )
    text = _update_where(text, edges, lambda part: part.str.strip_chars(" \n"))
    return pl.select(pl.when(text.str.len_bytes() > 0).then(text)).to_series().alias(text.name)


# --- hashtags, mentions, links -----------------------------------------------------------------

_WORD_CHARS = r"\p{L}\p{M}\p{N}_"
# The optional leading character lets us drop '#' glued to a word or URL ("page#top") without
# look-behind, which the Rust regex engine lacks; matches that start with it are discarded.
_HASHTAG_RE = rf"[{_WORD_CHARS}/&]?#[{_WORD_CHARS}]+"
# Telegram usernames: 5-32 of [A-Za-z0-9_]; "name@mail.ru" and "site/@name" are not mentions.
# (Greedy "+" and a length filter afterwards stand for a trailing \b, which would slow the pass.)
_MENTION_RE = r"[\p{L}\p{N}_./@]?@[A-Za-z0-9_]{5,}"
_USERNAME_MAX = 32
_URL_CHARS = r"[^\s<>\"«»“”]"
# Hosts worth recognising without a scheme, as channels write them ("x.com/mfa_russia").
_BARE_HOST_RE = (
    r"(?:www\.[\w-]+\.\w|(?:t|telegram)\.me/|(?:x|twitter|youtube|vk|facebook|instagram)\.com/"
    r"|youtu\.be/|(?:ok|rutube|dzen)\.ru/)"
)
# A bare host must start a word: "fax.com/x" is not "x.com/x". (An ASCII \b keeps the pass fast.)
_URL_RE = rf"(?i:https?)://{_URL_CHARS}+|(?-u:\b){_BARE_HOST_RE}{_URL_CHARS}*"
_LINK_TEST_RE = r"://|www\.|\.me/|\.com/|\.be/|\.ru/"  # literals: a fast prefiltered test


def _marked_tokens(text: pl.Series, pattern: str, marker: str, max_chars: int) -> pl.Series:
    """Distinct lower-cased tokens after ``marker``, dropping matches glued to a word."""
    token = pl.element()
    keep = (
        token.str.starts_with(marker)
        & (token.str.len_chars() <= max_chars + 1)
        & ~token.str.contains(r"^.[\p{N}_]+$")  # "#2025", "#1": numbers, not tags
    )
    return (
        text.str.extract_all(pattern)
        .list.eval(token.filter(keep).str.slice(1).str.to_lowercase())
        .list.unique(maintain_order=True)
    )


def hashtags(text: pl.Series) -> pl.Series:
    """#Tags in order of first appearance, lower-case, without '#'; all-digit tags are not tags.

    Tags are Unicode letters, marks, digits and '_' (#Victory80, #МИД, #报道).
    """
    # The pattern starts with a literal '#' the engine can find fast: no row selection needed.
    return _marked_tokens(text, _HASHTAG_RE, "#", 256).fill_null([]).alias("hashtags")


def mentions(text: pl.Series) -> pl.Series:
    """@usernames in order of first appearance, lower-case, without '@' (e-mails excluded)."""
    return _compute_where(
        text,
        text.str.contains("@", literal=True),
        lambda part: _marked_tokens(part, _MENTION_RE, "@", _USERNAME_MAX),
        _STRINGS,
        default=[],
    ).alias("mentions")


_URL_END_PUNCTUATION = ".,;:!?'\"’”»…)]}>*"


def _urls_in_text(text: pl.Series) -> pl.Series:
    url = pl.element()
    kept = url.filter(url.str.contains(rf"^(?:(?i:https?)://[^/?#\s]+\.\w|{_BARE_HOST_RE})"))
    # No bare host starts with "h", so that tells the two kinds apart.
    with_scheme = (
        pl.when(kept.str.starts_with("h") | kept.str.starts_with("H"))
        .then(kept)
        .otherwise(pl.concat_str(pl.lit("https://"), kept))
        .str.strip_chars_end(_URL_END_PUNCTUATION)
    )
    # Trimming took the ")" of "wiki/Foo_(bar)": give it back when the URL opened one.
    balanced = (
        pl.when(
            with_scheme.str.contains("(", literal=True)
            & ~with_scheme.str.contains(")", literal=True)
        )
        .then(pl.concat_str(with_scheme, pl.lit(")")))
        .otherwise(with_scheme)
    )
    return text.str.extract_all(_URL_RE).list.eval(balanced)


def _distinct_links(lists: pl.Expr) -> pl.Expr:
    return lists.list.eval(pl.element().filter(pl.element().str.len_bytes() > 0)).list.unique(
        maintain_order=True
    )


def links(text: pl.Series, raw_links: pl.Series) -> pl.Series:
    """The source's own links, then URLs written in the text; distinct, in that order.

    Bare hosts get "https://"; trailing punctuation is trimmed, keeping a closing parenthesis
    the URL itself opened (Wikipedia-style "Foo_(bar)").
    """
    frame = pl.DataFrame({"text": text, "raw": raw_links.cast(_STRINGS)}).with_columns(
        pl.col("raw").fill_null(pl.lit([], dtype=_STRINGS))
    )
    source_only = frame.select(_distinct_links(pl.col("raw")).alias("links")).to_series()
    rows = text.str.contains(_LINK_TEST_RE).fill_null(False).arg_true()
    if rows.len() == 0:
        return source_only
    with_text = frame[rows].with_columns(found=_urls_in_text(text.gather(rows)))
    both = with_text.select(
        pl.lit(rows).alias("row"),
        _distinct_links(pl.concat_list("raw", "found")).alias("both"),
    )
    return (
        pl.DataFrame({"row": pl.int_range(0, text.len(), dtype=pl.UInt32, eager=True)})
        .join(both, on="row", how="left", maintain_order="left")
        .select(pl.coalesce("both", source_only).alias("links"))
        .to_series()
    )


# --- event dates -------------------------------------------------------------------------------


def _numbered(months: str) -> dict[str, int]:
    return {name: number for number, name in enumerate(months.split(), start=1)}


_ENGLISH_MONTHS = {
    **_numbered(
        "january february march april may june july august september october november december"
    ),
    **_numbered("jan feb mar apr may jun jul aug sep oct nov dec"),
    "sept": 9,
}
_MONTHS = {
    **_ENGLISH_MONTHS,
    # Russian and Ukrainian genitive ("10 мая 2025", "10 травня 2025")
    **_numbered(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ),
    **_numbered(
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    ),
    # Spanish ("10 de mayo de 2025")
    **_numbered(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    "setiembre": 9,
    # French ("10 mai 2025", "1er mai 2025")
    **_numbered(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    # German ("10. Mai 2025")
    **_numbered(
        "januar februar märz april mai juni juli august september oktober november dezember"
    ),
    "jänner": 1,
    "maerz": 3,
    # Portuguese ("10 de maio de 2025")
    **_numbered(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"
    ),
    "marco": 3,
}
_YEAR = r"(?:19|20)\d{2}"
_DAY_RANGE = r"(?:\s*[-–—]\s*\d{1,2})?"  # "May 10-11, 2025" and "10–11 May 2025" take the 1st
_DATE_RE = (
    r"(?i)"
    # May 10, 2025 / Sept. 3rd 2025
    rf"(?-u:\b)(?P<m1>{_alternation(_ENGLISH_MONTHS)})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"{_DAY_RANGE},?\s+(?P<y1>{_YEAR})(?-u:\b)"
    # 10 May 2025 / 10 мая 2025 / 10 de mayo de 2025 / 1er mai 2025 / 10. Mai 2025
    rf"|(?-u:\b)(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|-?го|[º°.])?{_DAY_RANGE}\s+(?:de\s+)?"
    rf"(?P<m2>{_alternation(_MONTHS)})\.?,?\s+(?:del?\s+)?(?P<y2>{_YEAR})(?-u:\b)"
    # 2023年5月12日 (Chinese, Japanese) / 2025년 5월 10일 (Korean)
    rf"|(?P<y3>{_YEAR})\s*年\s*(?P<m3>\d{{1,2}})\s*月\s*(?P<d3>\d{{1,2}})\s*[日号]"
    rf"|(?P<y4>{_YEAR})\s*년\s*(?P<m4>\d{{1,2}})\s*월\s*(?P<d4>\d{{1,2}})\s*일"
    # 10.05.2025 (day first, as written in Russian, German, French...) / 2025-05-10
    rf"|(?-u:\b)(?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?P<y5>{_YEAR})(?-u:\b)"
    rf"|(?-u:\b)(?P<y6>{_YEAR})-(?P<m6>\d{{2}})-(?P<d6>\d{{2}})(?-u:\b)"
)


def _first_date(text: pl.Series) -> pl.Series:
    parts = text.str.extract_groups(_DATE_RE).struct.unnest()
    named_month = (
        pl.coalesce("m1", "m2")
        .str.to_lowercase()
        .replace_strict(_MONTHS, default=None, return_dtype=pl.Int32)
    )
    month = pl.coalesce(named_month, *(pl.col(f"m{i}").cast(pl.Int32) for i in range(3, 7)))
    day = pl.coalesce(*(pl.col(f"d{i}").cast(pl.Int32) for i in range(1, 7)))
    year = pl.coalesce(*(pl.col(f"y{i}") for i in range(1, 7)))
    iso = pl.concat_str(
        year,
        pl.lit("-"),
        month.cast(pl.String).str.zfill(2),
        pl.lit("-"),
        day.cast(pl.String).str.zfill(2),
    )
    # strict=False: an impossible date ("February 30, 2025") gives null rather than an error.
    return parts.select(iso.str.to_date("%Y-%m-%d", strict=False)).to_series()


def event_dates(text: pl.Series) -> pl.Series:
    """The first date the text names, else null.

    Forms: "May 10, 2025", "10 May 2025", "10 мая 2025", "10 травня 2025", "10 de mayo de
    2025", "1er mai 2025", "10. Mai 2025", "10 de maio de 2025", "2023年5月12日", "2025년 5월
    10일", "10.05.2025" (day first), "2025-05-10". Only texts holding a plausible year (a
    cheap prefiltered test) pay for the full pattern.
    """
    return _compute_where(text, text.str.contains(_YEAR), _first_date, pl.Date).alias("event_date")


# --- language ----------------------------------------------------------------------------------

# ASCII-only function words, each in one language only (shared ones such as "de", "la", "que",
# "en", "por", "para" are left out: they cannot tell the languages apart).
_STOPWORDS = {
    "en": "the and of to is that for with on was are by this it from have has will be were",
    "es": "el los las del y con una sus al lo su fue muy pero hay",
    "fr": "le les des et est une du dans pour pas sur au aux avec qui nous sont il ont cette",
    "de": "der die das und ist nicht ein eine zu den mit von sich auf im dem auch wird werden",
    "pt": "o os do da em um uma com na ao pelo pela seu sua foi tem",
}
_LATIN_LANGUAGES = tuple(_STOPWORDS)
# Letters one of the two languages has and the other lacks.
_UKRAINIAN_ONLY = "іїєґІЇЄҐ"
_RUSSIAN_ONLY = "ыэъёЫЭЪЁ"
_SCRIPT_BLOCKS = {
    "cyrillic": [(0x0400, 0x04FF)],
    "arabic": [(0x0600, 0x06FF)],
    "kana": [(0x3040, 0x30FF)],  # Hiragana and Katakana
    "han": [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)],
    "hangul": [(0xAC00, 0xD7A3)],
}
_NON_LATIN_LETTERS = "".join(
    f"\\u{low:04x}-\\u{high:04x}" for ranges in _SCRIPT_BLOCKS.values() for low, high in ranges
)
# Word separators a stopword may follow; the match keeps it (no look-behind in Rust regex).
# No \b in front either: that keeps the pass a plain, fast DFA scan.
_LEAD = " \t\n\"'’«“([—–-"
_LANGUAGE_TOKEN_RE = (
    rf"(?i)(?:^|[{re.escape(_LEAD)}])"
    rf"(?:{_alternation(w for words in _STOPWORDS.values() for w in words.split())})(?-u:\b)"
    rf"|[{_UKRAINIAN_ONLY}]|[{_RUSSIAN_ONLY}]"
    rf"|[[{_NON_LATIN_LETTERS}]--[{_UKRAINIAN_ONLY}{_RUSSIAN_ONLY}]]+"
)
# Evidence is counted in one packed integer per post: 8 bits per kind of evidence. A sample
# shorter than 256 characters cannot hold 256 tokens, so no count overflows into the next.
_EVIDENCE = (*_LATIN_LANGUAGES, *_SCRIPT_BLOCKS, "uk_letter", "ru_letter")
_LANGUAGE_SAMPLE_CHARS = 120
assert _LANGUAGE_SAMPLE_CHARS < 256 and len(_EVIDENCE) * 8 < 127


def _weight(evidence: str) -> int:
    return 1 << (8 * _EVIDENCE.index(evidence))


@cache
def _token_weights() -> tuple[pl.Series, pl.Series]:
    """Each stopword as the token regex returns it (with its lead character, three casings)."""
    weights: dict[str, int] = {}
    for language, words in _STOPWORDS.items():
        for word in words.split():
            for cased in (word, word.capitalize(), word.upper()):
                spellings = [cased, *(lead + cased for lead in _LEAD)]
                weights |= dict.fromkeys(spellings, _weight(language))
    weights |= dict.fromkeys(_UKRAINIAN_ONLY, _weight("uk_letter"))
    weights |= dict.fromkeys(_RUSSIAN_ONLY, _weight("ru_letter"))
    return pl.Series(list(weights), dtype=pl.String), pl.Series(weights.values(), dtype=pl.Int128)


@cache
def _script_weights() -> tuple[pl.Series, pl.Series]:
    """First letter of a non-Latin run -> its script (a lookup is cheaper than range tests)."""
    weights = {
        chr(code): _weight(script)
        for script, ranges in _SCRIPT_BLOCKS.items()
        for low, high in ranges
        for code in range(low, high + 1)
    }
    return pl.Series(list(weights), dtype=pl.String), pl.Series(weights.values(), dtype=pl.Int128)


def _evidence_counts(text: pl.Series) -> pl.DataFrame:
    """Per text: stopwords per Latin language, non-Latin runs per script, uk/ru letters."""
    tokens, token_weights = _token_weights()
    letters, letter_weights = _script_weights()
    token = pl.element()
    weight = pl.coalesce(
        token.replace_strict(tokens, token_weights, default=None, return_dtype=pl.Int128),
        token.str.slice(0, 1).replace_strict(
            letters, letter_weights, default=None, return_dtype=pl.Int128
        ),
    )
    packed = (
        text.str.slice(0, _LANGUAGE_SAMPLE_CHARS)
        .str.extract_all(_LANGUAGE_TOKEN_RE)
        .list.eval(weight)
        .list.sum()
        .fill_null(0)
        .alias("packed")
    )
    return packed.to_frame().select(
        (pl.col("packed") // pl.lit(_weight(name), dtype=pl.Int128) % 256)
        .cast(pl.Int32)
        .alias(name)
        for name in _EVIDENCE
    )


def languages(text: pl.Series) -> pl.Series:
    """ISO 639-1 code per text from its first 120 characters, or "und".

    One regex pass collects Latin stopwords, runs of non-Latin letters and the letters that
    tell Ukrainian from Russian; the code is then picked by counts. Script first (a run of
    non-Latin letters weighs about as much as two stopwords, since stopwords are about half the
    words of a sentence): Cyrillic -> ru, or uk when Ukrainian-only letters outnumber
    Russian-only ones; Han -> zh, or ja when kana appear; Hangul -> ko; Arabic -> ar. Latin
    script -> the language with most stopwords (ties: en, es, fr, de, pt). No evidence -> "und".
    """
    latin = {language: pl.col(language) for language in _LATIN_LANGUAGES}
    latin_best = pl.max_horizontal(*latin.values())
    latin_weight = 2 * pl.sum_horizontal(*latin.values())
    cyrillic = pl.sum_horizontal("cyrillic", "uk_letter", "ru_letter")
    cjk = pl.sum_horizontal("han", "kana")
    non_latin_best = pl.max_horizontal(cyrillic, cjk, "hangul", "arabic")

    latin_choice = pl.when(latin["en"] == latin_best).then(pl.lit("en"))
    for language in _LATIN_LANGUAGES[1:]:
        latin_choice = latin_choice.when(latin[language] == latin_best).then(pl.lit(language))

    decision = (
        pl.when((latin_weight == 0) & (non_latin_best == 0))
        .then(pl.lit("und"))
        .when(latin_weight >= non_latin_best)
        .then(latin_choice)
        .when(cyrillic == non_latin_best)
        .then(
            pl.when(pl.col("uk_letter") > pl.col("ru_letter"))
            .then(pl.lit("uk"))
            .otherwise(pl.lit("ru"))
        )
        .when(cjk == non_latin_best)
        .then(pl.when(pl.col("kana") > 0).then(pl.lit("ja")).otherwise(pl.lit("zh")))
        .when(pl.col("hangul") == non_latin_best)
        .then(pl.lit("ko"))
        .otherwise(pl.lit("ar"))
    )
    return _evidence_counts(text).select(decision.alias("language")).to_series()


# --- posts -------------------------------------------------------------------------------------

_RAW_POST_INPUT = {**RAW_POST_SCHEMA, "ingested_at": UTC_TIME}
_ORDER = "__row"


def _collect(frame: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def channel_expr(channel: pl.Expr) -> pl.Expr:
    """Lower-case username without a leading '@' (usernames are case-insensitive)."""
    return channel.str.strip_chars().str.strip_prefix("@").str.to_lowercase()


def post_key_expr() -> pl.Expr:
    """ "<channel>/<message_id>", or "<channel>/c<content_key>" for sources without ids."""
    channel = pl.col("channel")
    return (
        pl.when(pl.col("message_id").is_not_null())
        .then(pl.concat_str(channel, pl.lit("/"), pl.col("message_id").cast(pl.String)))
        .otherwise(pl.concat_str(channel, pl.lit("/c"), pl.col("content_key")))
    )


def _latest_observation(column: str) -> pl.Expr:
    """The newest non-null value by ingest time (ties: the larger, then the later row)."""
    return (
        pl.col(column)
        .sort_by(["ingested_at", column, _ORDER], nulls_last=False)
        .drop_nulls()
        .last()
    )


def deduplicate_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """One row per post_key, by the rule in normalize_posts. Needs post_key and __row."""
    duplicated = posts["post_key"].is_duplicated()
    if not duplicated.any():
        return posts
    copies = posts.filter(duplicated)
    winners = copies.sort(
        ["post_key", "edited_at", "ingested_at", "views", _ORDER], nulls_last=False
    ).unique("post_key", keep="last", maintain_order=True)
    counters = copies.group_by("post_key").agg(
        _latest_observation("views"), _latest_observation("reactions_total")
    )
    winners = winners.drop("views", "reactions_total").join(counters, on="post_key", how="left")
    return pl.concat([posts.filter(~duplicated), winners], how="diagonal").sort(_ORDER)


_ROWS_PER_THREAD_MIN = 50_000


def _by_chunks_in_threads(
    frame: pl.DataFrame, compute: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """``compute`` on consecutive slices of ``frame`` in threads, results concatenated.

    The work is row by row, and one Polars string expression runs on one core; Polars releases
    the GIL, so threads over slices use all the cores.
    """
    workers = min(pl.thread_pool_size(), frame.height // _ROWS_PER_THREAD_MIN)
    if workers < 2:
        return compute(frame)
    size = -(-frame.height // workers)
    chunks = [frame.slice(offset, size) for offset in range(0, frame.height, size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return pl.concat(list(pool.map(compute, chunks)))


def _derived_columns(posts: pl.DataFrame, entities: dict[str, str]) -> pl.DataFrame:
    """Clean texts and what is extracted from them, one row per row of ``posts``."""
    text = clean_text(posts["text"], entities)
    return pl.DataFrame(
        [
            text,
            clean_text(posts["reply_to_text"], entities),
            clean_text(posts["poll_question"], entities),
            event_dates(text),
            languages(text),
            hashtags(text),
            mentions(text),
            links(text, posts["links"]),
        ]
    )


def normalize_posts(raw_posts: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Raw post records (any number of batches) -> NORMALIZED_POST_SCHEMA, one row per post.

    Duplicates (the same post from several files or re-ingested batches) are resolved per
    post_key: the row with the newest edit wins (order by edited_at, nulls first, then
    ingested_at, then views, and keep the last). Counters change over time, so ``views`` and
    ``reactions_total`` come from the latest observation instead: the newest ingested_at among
    the copies that carry a value (a text copy without views never erases a known count).
    Rows without a usable key (no channel, or neither message_id nor content_key) are dropped
    with a warning naming their files: the parsers promise one of the two keys.
    Rows keep the order of their first appearance in the input.
    """
    raw = conform(_collect(raw_posts), _RAW_POST_INPUT)
    if raw.is_empty():
        return conform(raw, NORMALIZED_POST_SCHEMA)
    keyed = raw.with_columns(channel_expr(pl.col("channel"))).with_columns(post_key=post_key_expr())
    keyless = keyed.filter(pl.col("post_key").is_null())
    if not keyless.is_empty():
        files = sorted(keyless["source_file"].drop_nulls().unique().to_list())
        log.warning("dropped %d posts without channel or key, from %s", keyless.height, files)
        keyed = keyed.filter(pl.col("post_key").is_not_null())
    posts = deduplicate_posts(keyed.with_row_index(_ORDER))

    entities = entity_table(posts["text"], posts["reply_to_text"], posts["poll_question"])
    derived = _by_chunks_in_threads(posts, lambda chunk: _derived_columns(chunk, entities))
    media_kinds = pl.col("media_kinds").fill_null(pl.lit([], dtype=_STRINGS))
    media_total = media_kinds.list.len().cast(pl.Int64)
    posts = posts.with_columns(
        *derived.get_columns(),
        pl.col("author").str.strip_chars(),
        media_kinds=media_kinds,
        media_kind=media_kinds.list.first(),
        media_count=pl.when(media_total == 0)
        .then(pl.col("media_count").fill_null(0))
        .otherwise(pl.max_horizontal(pl.col("media_count"), media_total)),
        is_edited=pl.col("is_edited").fill_null(False) | pl.col("edited_at").is_not_null(),
    )
    return conform(posts, NORMALIZED_POST_SCHEMA)


# --- headers and service messages --------------------------------------------------------------


def normalize_headers(raw_headers: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Channel header snapshots: lower-case channel, clean title/description, exact dups out.

    Snapshots are history (subscribers over time), so only identical rows collapse.
    """
    headers = conform(_collect(raw_headers), RAW_HEADER_SCHEMA)
    if headers.is_empty():
        return conform(headers, NORMALIZED_HEADER_SCHEMA)
    entities = entity_table(headers["title"], headers["description"])
    headers = headers.with_columns(
        channel_expr(pl.col("channel")),
        clean_text(headers["title"], entities),
        clean_text(headers["description"], entities),
    )
    return conform(headers, NORMALIZED_HEADER_SCHEMA).unique(maintain_order=True)


def normalize_service(raw_service: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Service messages (RAW_SERVICE_SCHEMA): lower-case channel, one row per (channel, id).

    Of several copies of one message the latest ingested wins; messages without an id are only
    collapsed when identical.
    """
    service = conform(_collect(raw_service), {**RAW_SERVICE_SCHEMA, "ingested_at": UTC_TIME})
    if service.is_empty():
        return conform(service, RAW_SERVICE_SCHEMA)
    service = service.with_columns(
        channel_expr(pl.col("channel")), clean_text(service["text"])
    ).with_row_index(_ORDER)
    with_id = (
        service.filter(pl.col("message_id").is_not_null())
        .sort(["ingested_at", _ORDER], nulls_last=False)
        .unique(["channel", "message_id"], keep="last")
    )
    without_id = service.filter(pl.col("message_id").is_null()).unique(
        list(RAW_SERVICE_SCHEMA), keep="first"
    )
    return conform(
        pl.concat([with_id, without_id], how="diagonal").sort(_ORDER), RAW_SERVICE_SCHEMA
    )


def post_view_observations(raw_posts: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """One row per (post, landing) that showed a view count (POST_VIEW_SCHEMA).

    Deduplication keeps only the latest count in the posts table; the history stays here.
    """
    frame = raw_posts.lazy() if isinstance(raw_posts, pl.DataFrame) else raw_posts
    if "ingested_at" not in frame.collect_schema():
        frame = frame.with_columns(pl.lit(None, dtype=UTC_TIME).alias("ingested_at"))
    observations = (
        frame.filter(pl.col("views").is_not_null() & pl.col("message_id").is_not_null())
        .with_columns(channel_expr(pl.col("channel")))
        .select(
            post_key_expr().alias("post_key"),
            "channel",
            "message_id",
            pl.col("ingested_at").alias("observed_at"),
            "views",
            "source_format",
        )
        .unique(["post_key", "observed_at"], keep="last", maintain_order=True)
        .sort("post_key", "observed_at")
    )
    return conform(observations.collect(), POST_VIEW_SCHEMA)
