"""Country words that name no country where they stand.

- a country's name that is a person's given name, before a capitalised surname ("Jordan
  Bardella", "Georgia Whitfield"): the word after it is no title, no name of a known person,
  country or organisation, and none of the words that follow a country's name ("Jordan
  Valley", "Israel Defense Forces"); a country after "of"/"de" stays one ("Minister of Foreign
  Affairs of Jordan Ayman Safadi");
- Georgia the US state: after a US city ("Atlanta, Georgia"), after the state's offices and
  "state of" ("the governor of Georgia", "estado de Georgia", "l'État américain de Géorgie"),
  before words only the state has ("Georgia's Senate seats", "the Georgia state
  legislature"), or after a campaign's words in a sentence naming a US politician ("Trump's
  rally in Georgia").

Read on the resolver's haystack and hits (positions in bytes), so the rows it drops are dropped
from the resolver's hits and subtracted from the plain pass's country counts alike.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.entities import lexicon, patterns, people, scan

WINDOW = 40  # characters read before and after a country word


@lru_cache(maxsize=1)
def _patterns() -> dict[str, str]:
    return {
        "given": people.phrase_alternatives(lexicon.GIVEN_NAME_COUNTRIES),
        "after_country": people.phrase_alternatives(lexicon.AFTER_COUNTRY_NAME),
        "of": people.phrase_alternatives(lexicon.OF_WORDS),
        "state_before": people.phrase_alternatives(lexicon.US_STATE_BEFORE),
        "state_after": people.phrase_alternatives(lexicon.US_STATE_AFTER),
        "state_right_after": people.phrase_alternatives(lexicon.US_STATE_RIGHT_AFTER),
        "state_cities": people.phrase_alternatives(lexicon.GEORGIA_STATE_CITIES),
        "campaign": people.phrase_alternatives(lexicon.US_CAMPAIGN_BEFORE),
    }


def _window_after(end: pl.Expr) -> pl.Expr:
    return pl.col("hay").cast(pl.Binary).bin.slice(end, None).cast(pl.String).str.slice(0, WINDOW)


def _window_before(start: pl.Expr) -> pl.Expr:
    return pl.col("hay").cast(pl.Binary).bin.head(start).cast(pl.String).str.tail(WINDOW)


def not_countries(posts: pl.DataFrame, cased: pl.DataFrame, lowered: pl.DataFrame) -> pl.DataFrame:
    """The country hits of `cased` (row, start, end, entity, target, kind) that name no
    country: row, start, target, kind. posts: row, hay."""
    words = _patterns()
    word = pl.col("pattern").str.strip_chars(" ").str.to_lowercase()
    candidates = cased.filter(
        (pl.col("entity") == "country")
        & (word.str.contains(rf"^(?:{words['given']})$") | (pl.col("target") == "GE"))
    ).select("row", "sentence", "start", "end", "target", "kind", "pattern")
    if candidates.height == 0:
        return candidates.select("row", "start", "target", "kind")
    # a hit starting where the next word starts (its pattern opens with the space before it)
    taken = pl.concat([cased.select("row", "start"), lowered.select("row", "start")]).unique()
    followed = taken.select("row", pl.col("start").alias("end"), pl.lit(True).alias("hit_next"))
    us_people = people.persons().filter(pl.col("country_iso2") == "US")["person_key"]
    with_us_person = (
        cased.filter((pl.col("entity") == "person") & pl.col("target").is_in(us_people.implode()))
        .select("row", "sentence", pl.lit(True).alias("us_person"))
        .unique()
    )
    frame = (
        candidates.join(posts.select("row", "hay"), on="row")
        .join(with_us_person, on=["row", "sentence"], how="left")
        .with_columns(after=_window_after(pl.col("end")), before=_window_before(pl.col("start")))
        .join(followed, on=["row", "end"], how="left")
        .with_columns(
            next_word=pl.col("after").str.extract(r"^\s*(\S+)"),
            # the word after a possessive "s" ("Georgia's Senate")
            next_words=pl.col("after").str.to_lowercase().str.replace(r"^\s*s\s", " "),
            prev_low=pl.col("before").str.to_lowercase(),
        )
    )
    given_name = (
        word.str.contains(rf"^(?:{words['given']})$")
        & pl.col("hit_next").is_null()
        & pl.col("next_word").str.contains(r"^\p{Lu}\p{Ll}+$")
        & ~pl.col("next_word").str.to_lowercase().str.contains(rf"^(?:{words['after_country']})$")
        & ~pl.col("prev_low").str.contains(rf"(?:^|\s)(?:{words['of']})\s*$")
    )
    us_state = (pl.col("target") == "GE") & (
        pl.col("prev_low").str.contains(rf"(?:^|\s)(?:{words['state_before']})\s*$")
        | pl.col("prev_low").str.contains(rf"(?:^|\s)(?:{words['state_cities']})\s*$")
        | pl.col("next_words").str.contains(rf"^\s*(?:{words['state_after']})(?:\s|$)")
        | (
            pl.col("us_person").is_not_null()
            & pl.col("prev_low").str.contains(rf"(?:^|\s)(?:{words['campaign']})\s*$")
        )
        | pl.col("after")
        .str.to_lowercase()
        .str.contains(rf"^\s*(?:{words['state_right_after']})(?:\s|$)")
    )
    return frame.filter(given_name | us_state).select("row", "start", "target", "kind")


def without_not_countries(hits: pl.DataFrame, dropped: pl.DataFrame) -> pl.DataFrame:
    """The plain pass's country hits (scan.HIT_SCHEMA) less one occurrence per dropped word of
    the same country and evidence kind; hits left with none are removed."""
    if dropped.height == 0:
        return hits
    tids = patterns.target_table().filter(pl.col("entity") == "country")
    less = dropped.join(tids, on=["target", "kind"]).select(
        scan.pack("row", "tid"), pl.lit(-1, dtype=pl.Int64).alias("n")
    )
    keyed = pl.concat([hits.select(scan.pack("row", "tid"), "n"), less])
    summed = scan.sum_by_key(keyed).filter(pl.col("n") > 0)
    return summed.select(scan.row_of("key"), scan.id_of("key").alias("tid"), "n").cast(
        scan.HIT_SCHEMA
    )
