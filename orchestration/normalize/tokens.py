"""What posts point at: #hashtags, @mentions and links, in order of first appearance."""

from __future__ import annotations

import polars as pl

from orchestration.normalize.columns import STRINGS, compute_where

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
    return compute_where(
        text,
        text.str.contains("@", literal=True),
        lambda part: _marked_tokens(part, _MENTION_RE, "@", _USERNAME_MAX),
        STRINGS,
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
    frame = pl.DataFrame({"text": text, "raw": raw_links.cast(STRINGS)}).with_columns(
        pl.col("raw").fill_null(pl.lit([], dtype=STRINGS))
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
