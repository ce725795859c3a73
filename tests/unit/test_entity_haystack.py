"""The haystack's folding and word gaps, done in cheap steps, against their definition: NFKD,
combining marks removed, every run of what is neither letter, digit nor $ made two spaces."""

from __future__ import annotations

import polars as pl

from orchestration.entities import people


def _by_definition(text: pl.Expr, sentences: bool, doubled: bool, stemmed: bool) -> pl.Expr:
    if sentences:
        text = (
            text.str.replace_all(
                people.HEADING_COLON_RE, f"$1 {people.COLON_MARK} {people.SENTENCE_MARK}$2"
            )
            .str.replace_all(people.ACRONYM_END_RE, f"$1 {people.SENTENCE_MARK} $2")
            .str.replace_all(people.SENTENCE_END_RE, f"$1 {people.SENTENCE_MARK} ")
        )
    folded = text.str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    words = folded.str.replace_all(people.WORD_GAP_RE, "  ").str.strip_chars(" ")
    padded = pl.lit("  ") + words + pl.lit("  ")
    out = padded.str.replace_all(people.RU_STEM_RE, " $1 ") if stemmed else padded
    return out if doubled else out.str.replace_all("  ", " ", literal=True)


def _texts() -> list[str | None]:
    changed = people._fold_table()[0].explode().to_list()
    every = "".join(changed)
    # every character the folding changes, in runs and alone between letters and spaces; a
    # spread of the other code points; marks out of canonical order; separators of all kinds
    texts = [every[i : i + 40] for i in range(0, len(every), 40)]
    texts += [f"a{c}b {c}Лаврова, {c}" for c in changed]
    texts += ["x" + chr(cp) + " y" for cp in range(0, 0x110000, 31) if not 0xD800 <= cp <= 0xDFFF]
    texts += [
        "e\u0323\u0301 e\u0301\u0323 ḍ̇ Ḍ̇ Thanh Hoá ﬁnal ½ ℅ ＡＢ！ ⑴ ㈱ 한국",
        "Сергей Лавров —  «Захаровой»…\tМилеем\n\nЙемен ёлка ⚡️Песков 🇷🇺🇵🇸",
        "Maria Zakharova: The U.S. President.  EE.UU. sigue; в КНДР. В Вонсане $6bn",
        "\u00a0x\u2002y\u200bz\u2060w  ,,, ..a",
        "",
        " ",
        None,
    ]
    return texts


def test_the_haystack_is_its_definition_on_every_character_the_folding_changes():
    frame = pl.DataFrame({"text": _texts()}, schema={"text": pl.String})
    for sentences, doubled, stemmed, many_rows in [
        (False, False, True, True),
        (True, True, True, True),
        (True, True, False, True),
        (False, True, True, True),
        (True, True, True, False),
    ]:
        got = frame.select(
            people.haystack(pl.col("text"), sentences, doubled, stemmed, many_rows=many_rows)
        )
        want = frame.select(_by_definition(pl.col("text"), sentences, doubled, stemmed))
        differ = frame.with_columns(got=got.to_series(), want=want.to_series()).filter(
            pl.col("got").ne_missing(pl.col("want"))
        )
        assert differ.height == 0, (sentences, doubled, many_rows, differ.head(3).rows())
