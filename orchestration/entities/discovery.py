"""Leaders not in leaders.yaml, found from title patterns.

"President of the Republic of Zimbabwe Emmerson Dambudzo Mnangagwa", "Supreme Commander of the
Libyan National Army Khalifa Haftar", "Hungarian Foreign Minister Péter Szijjártó": an optional
country word, a title, an optional "of [the] <organisation or country>", then a name of 2-5
capitalised words (particles such as bin/al/da/von allowed). The organisation phrase must end on
a known English country name or an organisation head word (Army, Party, Republic, NATO...), so
the split between organisation and name is not a guess.

A candidate whose name is, or contains, a reference leader's alias resolves to that leader (the
word pass has already counted it). Otherwise it becomes a "discovered" leader; any reference
surname matched inside its name by the word pass ("Traoré" in "Karamoko Jean-Marie Traoré") is
taken back, since it named someone else.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.entities import lexicon, patterns, reference

TITLES = (
    "First Deputy Prime Minister",
    "Deputy Prime Minister",
    "Vice Premier",
    "Vice-Premier",
    "First Deputy Minister of Foreign Affairs",
    "Deputy Minister of Foreign Affairs",
    "First Deputy Foreign Minister",
    "Deputy Foreign Minister",
    "Secretary of the Supreme National Security Council",
    "Secretary of the National Security Council",
    "Secretary of the Security Council",
    "National Security Adviser",
    "National Security Advisor",
    "Prime Minister",
    "Vice-President",
    "Vice President",
    "President",
    "Minister of Foreign Affairs",
    "Minister for Foreign Affairs",
    "Minister of External Affairs",
    "Foreign Minister",
    "Foreign Secretary",
    "Secretary of State",
    "Minister of Defence",
    "Minister of Defense",
    "Defence Minister",
    "Defense Minister",
    "Secretary-General",
    "Secretary General",
    "General Secretary",
    "Chairwoman",
    "Chairperson",
    "Chairman",
    "Speaker",
    "Chancellor",
    "Premier",
    "Crown Prince",
    "King",
    "Queen",
    "Emir",
    "Amir",
    "Sultan",
    "Supreme Commander",
    "Commander-in-Chief",
    "Supreme Leader",
    "Head of State",
    "Head of Government",
)

# Words an organisation phrase may end on ("... of the Libyan National Army").
ORG_HEADS = (
    "Army",
    "Forces",
    "Council",
    "Party",
    "Assembly",
    "Federation",
    "Republic",
    "Kingdom",
    "Union",
    "Organization",
    "Organisation",
    "Commission",
    "Committee",
    "Government",
    "Nations",
    "States",
    "Emirates",
    "Authority",
    "Movement",
    "Front",
    "Bank",
    "Court",
    "League",
    "Community",
    "Alliance",
    "Congress",
    "Parliament",
    "Duma",
    "Senate",
    "Agency",
    "Ministry",
    "Administration",
    "Cabinet",
    "Secretariat",
    "Corps",
    "Guard",
    "Confederation",
    "Sahel",
    "NATO",
    "UN",
    "EU",
    "CSTO",
    "SCO",
    "BRICS",
    "ASEAN",
    "OSCE",
    "CIS",
    "AU",
    "OPEC",
    "IAEA",
    "WHO",
    "ECOWAS",
    "EAEU",
    "GCC",
    "OIC",
    "PACE",
    "UNESCO",
    "UNGA",
    "UNSC",
    "Hamas",
    "Hezbollah",
)
HONORIFICS = (
    "His Excellency",
    "Her Excellency",
    "H.E.",
    "Mr.",
    "Mr",
    "Mrs.",
    "Mrs",
    "Ms.",
    "Ms",
    "Dr.",
    "Dr",
    "Sheikh",
    "Comrade",
    "Field Marshal",
    "Marshal",
    "General",
    "Prince",
    "Sir",
)
PARTICLES = (
    "bin",
    "ibn",
    "bint",
    "al",
    "el",
    "da",
    "de",
    "del",
    "do",
    "dos",
    "du",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "ben",
    "ould",
    "Al",
    "El",
)
# A capitalised "name word" that ends a name: the name stops before it.
STOP_WORDS = (
    "The",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Our",
    "Their",
    "On",
    "In",
    "At",
    "To",
    "During",
    "Today",
    "Yesterday",
    "And",
    "With",
    "Held",
    "Met",
    "Meets",
    "Visits",
    "Says",
    *lexicon.ENGLISH_MONTHS,
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

_CAP = r"\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)*"
_PART = rf"(?:{_CAP}|\p{{Lu}}\.|[A-Z]{{2,4}})"
_SPACE = r"[ \x{a0}]"


def _escape(text: str) -> str:
    """Escape for the Rust regex syntax Polars uses."""
    return "".join("\\" + ch if ch in r"\.+*?()|[]{}^$#&-~" else ch for ch in text)


def _alternation(words) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_escape(w).replace(" ", _SPACE) for w in ordered) + ")"


@lru_cache(maxsize=1)
def english_country_words() -> tuple[str, ...]:
    """English country names and demonyms usable inside a title phrase."""
    aliases = reference.country_aliases().filter(
        pl.col("lang").str.contains(r"\ben\b")
        & pl.col("kind").is_in(["name", "demonym"])
        & ~pl.col("alias").str.ends_with("*")
    )
    return tuple(aliases["alias"].to_list())


@lru_cache(maxsize=1)
def title_regex() -> str:
    country = _alternation(english_country_words())
    org_token = rf"(?:{_PART}|of|and|for|the|on)"
    org = rf"(?:{org_token}{_SPACE})*?(?:{country}|{_alternation(ORG_HEADS)})"
    name = rf"{_PART}(?:{_SPACE}(?:{_alternation(PARTICLES)}[ \x{{a0}}-])?{_PART}){{1,4}}"
    return (
        r"(?-u:\b)"
        rf"(?P<role>(?:(?P<pre>{country}){_SPACE})?(?P<title>{_alternation(TITLES)})"
        rf"(?:{_SPACE}of{_SPACE}(?:the{_SPACE})?(?P<org>{org}))?)"
        rf",?{_SPACE}+(?:{_alternation(HONORIFICS)}{_SPACE})?(?P<name>{name})"
    )


def _slug(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", "-")
        .str.strip_chars("-")
    )


def _first_country(phrase: pl.Expr) -> pl.Expr:
    """iso2 of the leftmost country alias in a short phrase, else null."""
    table = patterns.pattern_table().filter(pl.col("entity") == "country")
    mapping = dict(zip(table["pattern"], table["target"], strict=True))
    return (
        patterns.word_haystack(phrase.fill_null(""))
        .str.extract_many(table["pattern"].to_list(), leftmost=True)
        .list.first()
        .replace_strict(mapping, default=None, return_dtype=pl.String)
    )


CANDIDATE_SCHEMA = {
    "row": pl.UInt32,
    "leader_key": pl.String,
    "name": pl.String,
    "role": pl.String,
    "country_iso2": pl.String,
    "n": pl.Int64,
}
TAKE_BACK_SCHEMA = {"row": pl.UInt32, "target": pl.String, "n": pl.Int64}


def _parse_hits(hits: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Distinct title-pattern matches -> (parsed candidates, reference hits inside their names).

    Runs on distinct strings only: the same "President of Russia Vladimir Putin" recurs in
    thousands of posts, and parsing capture groups is the slow part.
    """
    regex = title_regex()
    parsed = (
        hits.unique()
        .to_frame("hit")
        .with_columns(pl.col("hit").str.extract_groups(regex).alias("g"))
        .unnest("g")
        .with_columns(
            name=pl.col("name")
            .str.replace(rf"^(?:{_alternation(HONORIFICS)}{_SPACE})+", "")
            .str.replace(rf"{_SPACE}{_alternation(STOP_WORDS)}(?:{_SPACE}.*)?$", "")
            .str.strip_chars()
        )
        .filter(pl.col("name").str.contains(_SPACE))
    )
    table = patterns.pattern_table()
    name_hay = patterns.word_haystack(pl.col("name"))
    inner = (
        parsed.select(
            "hit",
            "name",
            name_hay.alias("name_hay"),
            name_hay.str.extract_many(patterns.pattern_list(), leftmost=True).alias("match"),
        )
        .explode("match")
        .drop_nulls("match")
    )
    leaders = reference.reference_leaders().select(
        pl.col("leader_key").alias("target"), pl.col("name").alias("ref_name")
    )
    leader_inner = (
        inner.join(table.filter(pl.col("entity") == "leader"), left_on="match", right_on="pattern")
        .join(leaders, on="target")
        .with_columns(
            resolves=pl.col("match").str.strip_chars().str.contains(" ")
            | (
                pl.col("name_hay").str.ends_with(pl.col("match"))
                & (pl.col("name").str.slice(0, 1) == pl.col("ref_name").str.slice(0, 1))
            )
        )
    )
    resolved = leader_inner.filter("resolves").select("hit").unique()
    # a name that contains a country word was split wrongly: drop it rather than invent someone
    wrong_split = (
        inner.join(table.filter(pl.col("entity") == "country"), left_on="match", right_on="pattern")
        .select("hit")
        .unique()
    )
    unresolved = (
        parsed.join(resolved, on="hit", how="anti")
        .join(wrong_split, on="hit", how="anti")
        .with_columns(
            leader_key=_slug(pl.col("name")),
            country_iso2=pl.coalesce(_first_country(pl.col("org")), _first_country(pl.col("pre"))),
        )
        .filter(~pl.col("leader_key").is_in(reference.reference_leaders()["leader_key"].implode()))
        .select("hit", "leader_key", "name", "role", "country_iso2")
    )
    take_back = leader_inner.join(unresolved.select("hit"), on="hit").select("hit", "target")
    return unresolved, take_back


def discover(posts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """prepared posts(row, text) -> (discovered mentions, reference hits to take back).

    Discovered mentions: one row per (row, leader_key) with name, role, country_iso2 and
    n = occurrences of the full name in the post. Take-back rows: (row, leader target, n)
    to subtract from the word pass.
    """
    empty = pl.DataFrame(schema=CANDIDATE_SCHEMA), pl.DataFrame(schema=TAKE_BACK_SCHEMA)
    # The title alternation as a regex (spaces may be no-break ones, as in the title regex)
    # is a prefilter the regex engine runs several times faster than a contains_any.
    titled = posts.filter(pl.col("text").str.contains(_alternation(TITLES)))
    if titled.height == 0:
        return empty
    # (row, hit) only: carrying the text through the explode would copy it once per hit
    hits = (
        titled.select("row", pl.col("text").str.extract_all(title_regex()).alias("hit"))
        .explode("hit")
        .drop_nulls("hit")
    )
    if hits.height == 0:
        return empty
    parsed, inner_hits = _parse_hits(hits["hit"])
    if parsed.height == 0:
        return empty
    # one row per distinct (post, person): several title phrases may introduce the same person
    per_name = hits.join(parsed, on="hit").unique(
        ["row", "leader_key", "name"], keep="first", maintain_order=True
    )
    per_name = per_name.join(posts.select("row", "text"), on="row", maintain_order="left")
    per_name = per_name.with_columns(
        occurrences=pl.col("text")
        .str.count_matches(pl.col("name"), literal=True)
        .cast(pl.Int64)
        .clip(lower_bound=1)
    )
    mentions = per_name.group_by("row", "leader_key", maintain_order=True).agg(
        pl.col("name").first(),
        pl.col("role").first(),
        pl.col("country_iso2").drop_nulls().first(),
        pl.col("occurrences").sum().alias("n"),
    )
    take_back = (
        per_name.select("row", "hit", "occurrences")
        .join(inner_hits, on="hit")
        .group_by("row", "target")
        .agg(pl.col("occurrences").sum().alias("n"))
    )
    return (
        mentions.select(list(CANDIDATE_SCHEMA)).cast(CANDIDATE_SCHEMA),
        take_back.select(list(TAKE_BACK_SCHEMA)).cast(TAKE_BACK_SCHEMA),
    )
