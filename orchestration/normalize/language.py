"""The language of a post (ISO 639-1), from stopwords and scripts in its first characters."""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from orchestration.normalize.columns import alternation

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
    rf"(?:{alternation(w for words in _STOPWORDS.values() for w in words.split())})(?-u:\b)"
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
