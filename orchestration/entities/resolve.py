"""Leaders as a careful reader resolves them, with the position of every mention.

One pass of two Aho-Corasick automata over each post's haystack (people.haystack): a cased one
for person names, countries, organisations and sentence breaks, a lower-cased one for titles
and event verbs. Everything after is joins and filters on the (much smaller) hit tables:

- a full name or alias of a known person is a mention (how: name, alias);
- a title with its country ("President of Türkiye", "министр иностранных дел Египта", "el
  canciller de Panamá", "le ministre sénégalais des Affaires étrangères") followed by a name
  is that person (title_name), or a person on no list (discovered); without a name, it is the
  person holding that office on the post's date (title_date, offices.holders_on);
- a surname alone is the person of that surname named in full in the same post, else earlier in
  the same channel (the batch's earlier posts and the layer table of persons named), else the
  only listed leader or past leader of that surname; a given name before a surname that is not
  the person's own says it is someone else ("Karamoko Traoré" is not Ibrahim Traoré);
- a person discovered once is known to every later post of the channel, by full name and by
  surname.

Positions are byte offsets in the haystack, used to order mentions and verbs within a sentence
(events.py) and to find what follows a title; the evidence texts come from the haystack too.

The posts may be several batches' (a `batch` column: their place in ingestion order), resolved
in one pass as each would be alone: a batch knows the rows of `known` named before it (its
`batch` column: the batch that named them; without one, or null, known to every batch), and
what its own posts name, never what a later batch names.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import polars as pl

from orchestration.common.durable import kept_frame
from orchestration.entities import country_words, lexicon, people, reference
from orchestration.entities.offices import holders_on
from orchestration.entities.patterns import expand_aliases

HOW_ORDER = ("title_name", "discovered", "name", "alias", "surname", "title_date")
MAX_TITLE_GAP = 40  # bytes between a title and its country
MAX_MINISTRY_GAP = 110  # a foreign minister's long ministry name before the country
DISCOVERY_WINDOW = 90  # bytes after a title where a name may start
# Words of an election just before a title: the office is the person-elect's.
ELECTED_RE = (
    r"(?:^|\s)(?:election|elected|избрани\S*|\S*избран\S*|elu|elue|eleccion|electo|electa|elegido|"
    r"elegida)(?:\s+(?:as|to|на|пост|como|a|al|la|el|de|du|comme))*\s*$"
)
# Words of a past holder just before a title ("the former US President", "экс-премьер
# Великобритании", "бывшего главы МИД", "покойный президент", "l'ancien président", "el
# antiguo canciller"), with a country word between ("the former US President"): the office
# was someone's before, not its holder's on the post's date.
FORMER_RE = (
    r"(?:^|\s)(?:former|ex|late|erstwhile|previous|бывш\S*|экс|покоин\S*|прежн\S*|"
    r"тогдашн\S*|antiguo|antigua|anterior|fallecido|fallecida|difunto|difunta|ancien|"
    r"ancienne|feu|defunt|defunte)(?:\s+(?:the|el|la|le|l))*(?:\s+\S+)?\s*$"
)
DEPENDENT_GAP = 16  # bytes between an aide's office and the title it complements ("to the")

MENTION_SCHEMA = {
    "row": pl.UInt32,
    "sentence": pl.UInt32,
    "start": pl.Int64,
    "end": pl.Int64,
    "person_key": pl.String,
    "how": pl.String,
    "country_iso2": pl.String,
    "name": pl.String,
}
# The layer table of persons named, per channel (schemas.CHANNEL_PERSON_SCHEMA); resolve()
# also reads an optional `batch` column (Int64: the batch that named them).
KNOWN_SCHEMA = {
    "channel": pl.String,
    "person_key": pl.String,
    "name": pl.String,
    "role": pl.String,
    "country_iso2": pl.String,
    "first_named_at": pl.Datetime("us", "UTC"),
}


def _spaced(hay: pl.Expr) -> pl.Expr:
    """Double every space so that adjacent words can both match (" Russia " " Vietnam ")."""
    return hay.str.replace_all(" ", "  ")


def _pattern(form: pl.Expr, stem: pl.Expr) -> pl.Expr:
    core = _spaced(people.haystack(form)).str.strip_chars(" ")
    return pl.when(core == "").then(None).when(stem).then(" " + core).otherwise(" " + core + " ")


# Tables derived from the reference data alone, kept between processes (keep_derived_tables).
KEPT_TABLES = ("patterns", "surname_forms", "name_words")
_kept_files: dict[str, Path] = {}


def keep_derived_tables(files: dict[str, Path] | None) -> None:
    """Keep the tables of KEPT_TABLES between processes, each in its file (None: derive them
    in each process).

    Deriving them from the reference's ~20,000 name forms takes about 3 s (the cased pattern
    table ~1 s, the surname forms and name words ~1.7 s), paid by every run's process; read
    back from their Parquet files, milliseconds. The caller names the files by the
    fingerprint of the code and reference data they derive from."""
    files = dict(files or {})
    if files != _kept_files:
        _kept_files.clear()
        _kept_files.update(files)
        for derived in (cased_patterns, _surname_forms, _name_words):
            derived.cache_clear()


def _kept_or_derived(name: str, derive) -> pl.DataFrame:
    path = _kept_files.get(name)
    return kept_frame(path, derive) if path else derive()


@lru_cache(maxsize=1)
def cased_patterns() -> pl.DataFrame:
    """pattern -> entity (person, country, org, mark), target, kind; several rows per pattern
    where one form names several people."""
    return _kept_or_derived("patterns", derive_cased_patterns)


def derive_cased_patterns() -> pl.DataFrame:
    """cased_patterns(), derived from the reference data."""
    forms = people.name_forms().with_columns(
        stem=pl.col("form").str.ends_with("*"), form=pl.col("form").str.strip_chars_end("*")
    )
    persons = forms.select(
        _pattern(pl.col("form"), pl.col("stem")).alias("pattern"),
        pl.lit("person").alias("entity"),
        pl.col("person_key").alias("target"),
        "kind",
    )
    countries = expand_aliases(
        reference.country_aliases().select("alias", "iso2", "kind").rename({"iso2": "target"})
    )
    blocked = expand_aliases(reference.country_blockers().select(pl.col("phrase").alias("alias")))
    countries = pl.concat(
        [
            countries.select(
                _pattern(pl.col("variant"), pl.col("is_stem")).alias("pattern"),
                pl.lit("country").alias("entity"),
                "target",
                "kind",
            ),
            blocked.select(
                _pattern(pl.col("variant"), pl.col("is_stem")).alias("pattern"),
                pl.lit("blocker").alias("entity"),
                pl.lit(None, pl.String).alias("target"),
                pl.lit("blocker").alias("kind"),
            ),
        ]
    )
    orgs = ORGANISATION_WORDS
    organisations = pl.DataFrame(
        [(word, code) for code, words in orgs.items() for word in words],
        schema=["form", "target"],
        orient="row",
    ).select(
        _pattern(pl.col("form"), pl.lit(False)).alias("pattern"),
        pl.lit("org").alias("entity"),
        "target",
        pl.lit("org").alias("kind"),
    )
    mark = pl.DataFrame(
        {
            "pattern": [f" {people.SENTENCE_MARK} ", f" {people.COLON_MARK} "],
            "entity": ["mark", "colon"],
            "target": [None, None],
            "kind": ["mark", "colon"],
        },
        schema={"pattern": pl.String, "entity": pl.String, "target": pl.String, "kind": pl.String},
    )
    table = pl.concat([persons, countries, organisations, mark]).drop_nulls("pattern")
    # a pattern that is a person's name and a country's (Jordan, Georgia) is decided by the
    # longer match around it; when alone it stays a country
    person_and_country = table.filter(pl.col("entity") == "country").select("pattern")
    table = table.filter(
        (pl.col("entity") != "person")
        | (pl.col("kind") != "surname")
        | ~pl.col("pattern").is_in(person_and_country["pattern"].implode())
    )
    # a person's stem (" Асад", Bashar's "Асад*") and someone's exact form of the same word
    # (" Асад ", the last word of "Хафез Асад") start together, and leftmost-longest matching
    # keeps the exact one only: it names the stem's persons too
    people_rows = table.filter(pl.col("entity") == "person")
    stems_as_words = (
        people_rows.filter(~pl.col("pattern").str.ends_with(" "))
        .with_columns(pattern=pl.col("pattern") + " ")
        .join(people_rows.select("pattern").unique(), on="pattern", how="semi")
    )
    return pl.concat([table, stems_as_words]).unique(maintain_order=True)


ORGANISATION_WORDS = {
    "UN": ["UN", "United Nations", "ООН", "ONU", "Naciones Unidas", "Nations unies"],
    "NATO": ["NATO", "НАТО", "OTAN", "North Atlantic Alliance", "Североатлантического альянса"],
    "EU-COMMISSION": [
        "European Commission",
        "Еврокомиссии",
        "Европейской комиссии",
        "Comisión Europea",
        "Commission européenne",
    ],
    "EU-COUNCIL": ["European Council", "Евросовета", "Consejo Europeo", "Conseil européen"],
    "OSCE": ["OSCE", "ОБСЕ", "OSCE"],
    "IAEA": ["IAEA", "МАГАТЭ", "OIEA", "AIEA"],
    "CSTO": ["CSTO", "ОДКБ", "OTSC"],
    "SCO": ["SCO", "ШОС", "OCS"],
    "CIS": ["CIS", "СНГ", "CEI"],
    "ASEAN": ["ASEAN", "АСЕАН"],
    "AU-COMMISSION": [
        "African Union Commission",
        "Комиссии Африканского союза",
        "Comisión de la Unión Africana",
        "Commission de l'Union africaine",
    ],
    "ARAB-LEAGUE": [
        "Arab League",
        "League of Arab States",
        "Лиги арабских государств",
        "Liga Árabe",
        "Ligue arabe",
    ],
    "GCC": [
        "GCC",
        "Gulf Cooperation Council",
        "Cooperation Council for the Arab States of the Gulf",
        "ССАГПЗ",
        "Совета сотрудничества арабских государств Персидского залива",
        "Consejo de Cooperación del Golfo",
        "CCG",
        "Conseil de coopération du Golfe",
    ],
    "WHO": ["WHO", "ВОЗ", "OMS"],
    "OPCW": ["OPCW", "ОЗХО", "OPAQ", "OIAC"],
    "COE": ["Council of Europe", "Совета Европы", "Consejo de Europa", "Conseil de l'Europe"],
}


@lru_cache(maxsize=1)
def lowered_patterns() -> pl.DataFrame:
    """pattern -> entity (title, fixed_title, trigger, minister, honorific, sidelines), target,
    kind (the office or the event type; the country of a fixed title in target)."""
    rows = [
        ("title", None, office, p) for office, phrases in lexicon.TITLES.items() for p in phrases
    ]
    rows += [("fixed_title", iso2, office, p) for office, iso2, p in lexicon.FIXED_TITLES]
    rows += [("trigger", None, code, p) for code, p in lexicon.TRIGGERS]
    rows += [("minister", None, "minister", p) for p in lexicon.MINISTER_WORDS]
    rows += [("sidelines", None, "sidelines", p) for p in lexicon.SIDELINES]
    rows += [("negation", None, "negation", p) for p in lexicon.NEGATIONS]
    rows += [("negation", None, "negation", p) for p in lexicon.NOT_HELD]
    rows += [("ambassador", None, "ambassador", p) for p in lexicon.AMBASSADOR_WORDS]
    rows += [("intent", None, "intent", p) for p in lexicon.INTENT_BEFORE]
    rows += [("dependent", None, "dependent", p) for p in lexicon.DEPENDENT_OFFICES]
    rows += [("deputy", None, "deputy", p) for p in lexicon.DEPUTY_WORDS]
    rows += [("invitation", None, "invitation", p) for p in lexicon.INVITATIONS]
    rows += [("airport", None, "airport", p) for p in lexicon.AIRPORTS]
    rows += [("intent_clause", None, "intent", p) for p in lexicon.INTENT_CLAUSES]
    rows += [("plan", None, "plan", p) for p in lexicon.PLAN_WORDS]
    rows += [("possible", None, "possible", p) for p in lexicon.POSSIBILITY_WORDS]
    rows += [("held_off", None, "held_off", p) for p in lexicon.HELD_OFF]
    rows += [
        ("title_tail", None, office, p)
        for office, phrases in lexicon.SPLIT_TITLE_TAILS.items()
        for p in phrases
    ]
    frame = pl.DataFrame(
        rows, schema={c: pl.String for c in ("entity", "target", "kind", "form")}, orient="row"
    )
    frame = frame.with_columns(
        stem=pl.col("form").str.ends_with("*"), form=pl.col("form").str.strip_chars_end("*")
    ).select(
        _pattern(pl.col("form"), pl.col("stem")).str.to_lowercase().alias("pattern"),
        "entity",
        "target",
        "kind",
    )
    # the first reading of a phrase wins (a trigger listed earlier, a title before a verb)
    return frame.drop_nulls("pattern").unique("pattern", keep="first", maintain_order=True)


def longest_first(patterns: pl.Series) -> list[str]:
    """Distinct patterns, longest first (then in byte order): Polars' leftmost matching takes
    the first listed of the patterns starting at one position, so this makes it leftmost-longest
    and independent of the order the pattern table was built in."""
    frame = patterns.unique().to_frame("pattern").drop_nulls()
    ordered = frame.sort([pl.col("pattern").str.len_bytes(), "pattern"], descending=[True, False])
    return ordered["pattern"].to_list()


def _hits(frame: pl.DataFrame, column: str, table: pl.DataFrame) -> pl.DataFrame:
    """(row, start, end, pattern) of leftmost-longest matches of the table's patterns."""
    patterns = longest_first(table["pattern"])
    found = frame.select(
        "row",
        pl.col(column).str.extract_many(patterns, leftmost=True).alias("pattern"),
        pl.col(column).str.find_many(patterns, leftmost=True).alias("start"),
    ).explode("pattern", "start")
    return found.drop_nulls("pattern").with_columns(
        pl.col("start").cast(pl.Int64),
        end=pl.col("start").cast(pl.Int64) + pl.col("pattern").str.len_bytes(),
    )


def _apart(frame: pl.DataFrame, prep: Prepared, end: str, start: str) -> pl.DataFrame:
    """The rows of ``frame`` with more than spaces in the haystack between bytes ``end`` and
    ``start`` (not two titles side by side, one person's: "Премьер-министра, Министра ...")."""
    return (
        frame.join(prep.posts.select("row", "hay"), on="row")
        .filter(~_between("hay", pl.col(end), pl.col(start)).str.contains(r"^\s*$"))
        .drop("hay")
    )


def _between(column: str, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Bytes [start, end) of a haystack column as text; both ends are match boundaries."""
    length = (end - start).clip(lower_bound=0)
    return (
        pl.col(column).cast(pl.Binary).bin.slice(start.clip(lower_bound=0), length).cast(pl.String)
    )


def _after(column: str, start: pl.Expr, chars: int) -> pl.Expr:
    """The first ``chars`` characters from byte ``start`` (a match boundary) on."""
    return pl.col(column).cast(pl.Binary).bin.slice(start, None).cast(pl.String).str.slice(0, chars)


def raw_haystacks(prep: Prepared, rows: pl.DataFrame) -> pl.DataFrame:
    """row, hay, raw for the posts of ``rows``: the haystack and the same words unstemmed
    (people.haystack keeps their order), where a word's ending must be read as written."""
    return prep.posts.join(rows.select("row").unique(), on="row").select(
        "row",
        "hay",
        raw=people.haystack(pl.col("text"), sentences=True, doubled=True, stemmed=False),
    )


def words_before(end: pl.Expr) -> pl.Expr:
    """How many words of ``hay`` stand before byte ``end``: the index, in ``raw``'s words, of
    the word that starts after it."""
    return _before("hay", end, 10**6).str.count_matches(r"\S+")


def back_over_space(column: str, end: pl.Expr) -> pl.Expr:
    """``end - 1`` where the byte before ``end`` is a space, else ``end``: a mention's pattern
    may end with one of the doubled spaces or not, and a slice from inside a letter is no
    text."""
    last = pl.col(column).cast(pl.Binary).bin.slice((end - 1).clip(lower_bound=0), 1)
    return pl.when(last == pl.lit(b" ")).then(end - 1).otherwise(end)


def _before(column: str, end: pl.Expr, chars: int) -> pl.Expr:
    """The last ``chars`` characters before byte ``end`` (a match boundary)."""
    return (
        pl.col(column)
        .cast(pl.Binary)
        .bin.head(end.clip(lower_bound=0))
        .cast(pl.String)
        .str.tail(chars)
    )


def _position_key(row: str, start: str) -> pl.Expr:
    """(row, byte offset) as one sortable integer."""
    return (pl.col(row).cast(pl.UInt64) * (1 << 32) + pl.col(start).cast(pl.UInt64)).alias("key")


def sentence_of(marks: pl.Series) -> pl.Expr:
    """How many of the sorted mark keys lie in the hit's row at or before the hit."""
    at_or_before = pl.lit(marks).search_sorted(_position_key("row", "start"), side="right")
    row_begins = pl.lit(marks).search_sorted(pl.col("row").cast(pl.UInt64) * (1 << 32), side="left")
    return (at_or_before.cast(pl.Int64) - row_begins.cast(pl.Int64)).cast(pl.UInt32)


class Prepared(NamedTuple):
    posts: pl.DataFrame  # row, post_key, batch, channel, published_at, date, hay, low
    cased: pl.DataFrame  # hits: row, start, end, pattern, entity, target, kind, sentence
    lowered: pl.DataFrame
    marks: pl.Series  # sorted (row, start) keys of the sentence marks, for sentence_of
    # country words that name no country (country_words): row, start, target, kind
    not_countries: pl.DataFrame | None = None


def prepare(posts: pl.DataFrame) -> Prepared:
    """Haystacks and hits of prepared posts (row, post_key, text; optional channel,
    published_at and batch, 0 without)."""
    columns = ["row", "post_key", "text"]
    frame = posts.select(
        *columns,
        (pl.col("batch") if "batch" in posts.columns else pl.lit(0)).cast(pl.UInt32).alias("batch"),
        (pl.col("channel") if "channel" in posts.columns else pl.lit(None, pl.String)).alias(
            "channel"
        ),
        (
            pl.col("published_at")
            if "published_at" in posts.columns
            else pl.lit(None, pl.Datetime("us", "UTC"))
        ).alias("published_at"),
    ).with_columns(
        # the channels' dates are Moscow dates
        date=pl.col("published_at").dt.convert_time_zone("Europe/Moscow").dt.date(),
        hay=people.haystack(
            pl.col("text"),
            sentences=True,
            doubled=True,
            many_rows=posts.height >= people.FOLD_TABLE_MIN_ROWS,
        ),
    )
    frame = frame.with_columns(low=pl.col("hay").str.to_lowercase())
    cased = _hits(frame, "hay", cased_patterns().select("pattern").unique())
    lowered = _hits(frame, "low", lowered_patterns().select("pattern"))
    # sentence of every hit: the number of sentence marks at or before it in its post, found
    # by binary search over the marks' (row, start) keys instead of sorting all hits
    mark = f" {people.SENTENCE_MARK} "
    marks = (
        cased.filter(pl.col("pattern") == mark)
        .select(_position_key("row", "start"))
        .sort("key")["key"]
    )
    cased = cased.with_columns(sentence=sentence_of(marks))
    lowered = lowered.with_columns(sentence=sentence_of(marks))
    cased = cased.join(cased_patterns(), on="pattern")
    lowered = lowered.join(lowered_patterns(), on="pattern")
    cased = cased.filter(pl.col("entity") != "mark")
    dropped = country_words.not_countries(frame, cased, lowered)
    if dropped.height:
        flagged = dropped.select("row", "start", pl.lit(True).alias("not_country"))
        cased = cased.join(flagged, on=["row", "start"], how="left", maintain_order="left")
        cased = cased.filter(
            (pl.col("entity") != "country") | pl.col("not_country").is_null()
        ).drop("not_country")
    return Prepared(frame, cased, lowered, marks, dropped)


# --- titles -----------------------------------------------------------------------------


ARTICLE_RE = r"(?:^|\s)(?:the|le|la|l|les|el|los|las)(?:\s|$)"


def _gap_ok(gap: pl.Expr) -> pl.Expr:
    return gap.str.to_lowercase().str.contains(rf"^\s*(?:(?:{_gap_words_re()})\s+)*$")


@lru_cache(maxsize=1)
def _gap_words_re() -> str:
    """The gap words as written and as the haystack folds them: it cuts Russian endings, so
    "Президенту Республики Бурунди" has "республик" between the title and the country."""
    gap_words = list(lexicon.GAP_WORDS)
    folded = {w.strip().lower().replace(" ", r"\s+") for w in people.hay_of(gap_words)}
    words = {w.replace(" ", r"\s+") for w in gap_words} | folded
    return "|".join(sorted(words, key=len, reverse=True))


def titles(prep: Prepared) -> pl.DataFrame:
    """Title phrases with their country or organisation: row, sentence, t_start, end (of the
    whole phrase), office, scope, how_scope (after/before/fixed)."""
    low = prep.lowered
    title_hits = low.filter(pl.col("entity") == "title").select(
        "row",
        "sentence",
        pl.col("start").alias("t_start"),
        pl.col("end").alias("t_end"),
        pl.col("kind").alias("office"),
        pl.col("pattern").alias("title"),
    )
    # a ministry's core words are a title only after a minister word
    ministers = low.filter(
        (pl.col("entity") == "minister")
        | ((pl.col("entity") == "title") & (pl.col("kind") == "minister"))
    ).select("row", pl.col("start").alias("m_start"))
    cores = lexicon.MINISTRY_CORES + ("foreign affairs", "иностранных дел")
    core_patterns = [p.lower() for p in people.hay_of(list(cores))]
    core_patterns = [" " + p.strip().replace(" ", "  ") + " " for p in core_patterns]
    is_core = pl.col("title").is_in(core_patterns)
    cores_ok = (
        title_hits.filter(is_core)
        .join(ministers, on="row")
        .filter(
            (pl.col("m_start") < pl.col("t_start"))
            & (pl.col("t_start") - pl.col("m_start") <= MAX_MINISTRY_GAP)
        )
        .select("row", "t_start")
        .unique()
    )
    title_hits = pl.concat(
        [
            title_hits.filter(~is_core),
            title_hits.filter(is_core).join(cores_ok, on=["row", "t_start"]),
        ]
    )
    scopes = prep.cased.filter(pl.col("entity").is_in(["country", "org"])).select(
        "row",
        pl.col("start").alias("c_start"),
        pl.col("end").alias("c_end"),
        pl.col("target").alias("scope"),
        pl.col("entity").alias("scope_kind"),
    )
    pairs = title_hits.join(scopes, on="row").join(prep.posts.select("row", "low"), on="row")
    after_gap = _between("low", pl.col("t_end"), pl.col("c_start"))
    before_gap = _between("low", pl.col("c_end"), pl.col("t_start"))
    # (a minister's portfolio may stand between the title and its country)
    is_fm = pl.col("office").is_in(["foreign_minister", "minister"])
    # (a country's long form may begin inside the title: "President of the Republic of Côte
    # d'Ivoire" is the title "president of the republic" and the country "Republic of Côte
    # d'Ivoire")
    after = pairs.filter(
        (
            (pl.col("c_start") >= pl.col("t_end") - 1)
            | ((pl.col("c_start") > pl.col("t_start")) & (pl.col("c_end") > pl.col("t_end")))
        )
        & (
            (pl.col("c_start") - pl.col("t_end") <= MAX_TITLE_GAP)
            | (is_fm & (pl.col("c_start") - pl.col("t_end") <= MAX_MINISTRY_GAP))
        )
    ).with_columns(gap=after_gap)
    after = after.filter(
        _gap_ok(pl.col("gap"))
        | (is_fm & ~pl.col("gap").str.contains(people.SENTENCE_MARK, literal=True))
    ).with_columns(
        end=pl.col("c_end"), side=pl.lit("after"), distance=pl.col("c_start") - pl.col("t_end")
    )
    # a name between a title and a country closes the title: in "Deputy Foreign Minister
    # Sergey Ryabkov met with the Ambassador of Brazil" Brazil is not the minister's
    named_between = (
        after.select("row", "t_end", "c_start")
        .join(
            prep.cased.filter(pl.col("entity") == "person").select("row", p_start="start"),
            on="row",
        )
        .filter(
            (pl.col("p_start") >= pl.col("t_end") - 1) & (pl.col("p_start") < pl.col("c_start"))
        )
        .select("row", "t_end", "c_start")
        .unique()
    )
    after = after.join(named_between, on=["row", "t_end", "c_start"], how="anti")
    # nor is a country after another title ("El ministro de Asuntos Exteriores de Rusia y su
    # homólogo de Irán, Abbas Araghchi": Iran is the counterpart's)
    # (but two titles side by side are one person's: "Премьер-министра, Министра иностранных
    # дел Государства Катар")
    titled_between = (
        after.select("row", "t_start", "t_end", "c_start")
        .join(title_hits.select("row", o_start="t_start"), on="row")
        .filter(
            (pl.col("o_start") >= pl.col("t_end") - 1) & (pl.col("o_start") < pl.col("c_start"))
        )
        .pipe(_apart, prep, "t_end", "o_start")
        .select("row", "t_start", "c_start")
        .unique()
    )
    after = after.join(titled_between, on=["row", "t_start", "c_start"], how="anti")
    before = pairs.filter(
        (pl.col("c_end") <= pl.col("t_start") + 1) & (pl.col("t_start") - pl.col("c_end") <= 12)
    ).with_columns(
        # from the end of the country's word: a stem ("китайск*") ends inside it
        gap=before_gap.str.replace(r"^\S+", "")
    )
    # a country before its title stands right there or as a possessive ("Türkiye's
    # President", "российского лидера", "le ministre équato-guinéen des Affaires étrangères");
    # "à Moscou le président de ..." is a place before an article
    article = pl.col("gap").str.to_lowercase().str.contains(ARTICLE_RE)
    # "принял в Кремле Премьер-министра ...": a country after a preposition of place is where
    # it happened, not the title's
    placed = (
        before.join(prep.posts.select("row", "hay"), on="row")
        .filter(
            _before("hay", pl.col("c_start") + 1, 16)
            .str.extract(r"(\S+)\s*$")
            .str.to_lowercase()
            .is_in(list(lexicon.WHERE_PREPOSITIONS))
        )
        .select("row", "c_start", "t_start")
        .unique()
    )
    before = before.join(placed, on=["row", "c_start", "t_start"], how="anti")
    before = before.filter(_gap_ok(pl.col("gap")) & ~article).with_columns(
        end=pl.col("t_end"), side=pl.lit("before"), distance=pl.col("t_start") - pl.col("c_end")
    )
    # a country right after a title is not the next title's across "and" ("Президент Франции
    # и канцлер Германии": France is the President's)
    joined = pl.col("gap").str.contains(r"(?:^|\s)(?:and|и|et|y)(?:\s|$)")
    claimed = (
        before.filter(joined)
        .select("row", "c_start", "t_start")
        .join(
            after.select("row", "c_start", o_start="t_start"),
            on=["row", "c_start"],
        )
        .filter(pl.col("o_start") < pl.col("c_start"))
        .select("row", "c_start", "t_start")
        .unique()
    )
    before = before.join(claimed, on=["row", "c_start", "t_start"], how="anti")
    # a country its own title follows is that title's, not an earlier title's ("the Russian
    # President and the US President": the first is Russia's)
    # ... unless the two titles stand side by side, two offices of one person ("Премьер-
    # министра, Министра иностранных дел Государства Катар": both Qatar's)
    owned = before.select("row", "c_start", o_start="t_start")
    taken = (
        after.select("row", "t_start", "t_end", "c_start")
        .join(owned, on=["row", "c_start"])
        .filter(pl.col("o_start") > pl.col("t_start"))
        .pipe(_apart, prep, "t_end", "o_start")
        .select("row", "t_start", "c_start")
        .unique()
    )
    after = after.join(taken, on=["row", "t_start", "c_start"], how="anti")
    keep = [
        "row",
        "sentence",
        "t_start",
        "t_end",
        "end",
        "office",
        "scope",
        "scope_kind",
        "side",
        "distance",
    ]
    candidates = pl.concat([after.select(keep), before.select(keep)])
    # of several countries after a long title, the one a name follows: two capitalised words
    # ("... and Togolese Abroad of the Togolese Republic Robert Dussey") before one
    following = _after("hay", pl.col("end"), 60)
    candidates = (
        candidates.join(prep.posts.select("row", "hay"), on="row")
        .with_columns(
            distance=pl.col("distance")
            + pl.when(following.str.contains(r"^\s+\p{Lu}\S*\s+\p{Lu}"))
            .then(0)
            .when(following.str.contains(r"^\s+\p{Lu}"))
            .then(500)
            .otherwise(1000)
        )
        .drop("hay")
    )
    # organisations go with the organisation office, countries with the others
    candidates = candidates.filter(
        ((pl.col("scope_kind") == "org") == (pl.col("office") == "head_of_organisation"))
        | (pl.col("office") == "counterpart")
    )
    # the nearest scope; for a foreign minister's long title, the one a name follows is
    # decided later, so keep the nearest after and the nearest before
    chosen = candidates.sort(
        ["row", "t_start", "distance", "end", "scope"],
        descending=[False, False, False, True, False],
    ).unique(["row", "t_start"], keep="first", maintain_order=True)
    fixed = low.filter(pl.col("entity") == "fixed_title").select(
        "row",
        "sentence",
        pl.col("start").alias("t_start"),
        pl.col("end").alias("t_end"),
        pl.col("end"),
        pl.col("kind").alias("office"),
        pl.col("target").alias("scope"),
        pl.lit("country").alias("scope_kind"),
        pl.lit("fixed").alias("side"),
        pl.lit(0, pl.Int64).alias("distance"),
    )
    counterparts = (
        title_hits.filter(pl.col("office") == "counterpart")
        .join(chosen.select("row", "t_start"), on=["row", "t_start"], how="anti")
        .select(
            "row",
            "sentence",
            "t_start",
            "t_end",
            pl.col("t_end").alias("end"),
            "office",
            pl.lit(None, pl.String).alias("scope"),
            pl.lit(None, pl.String).alias("scope_kind"),
            pl.lit("none").alias("side"),
            pl.lit(0, pl.Int64).alias("distance"),
        )
    )
    out = pl.concat(
        [chosen.select(keep), fixed.select(keep), counterparts.select(keep), _split_titles(prep)]
    )
    # Spanish "canciller" of Germany or Austria is its chancellor
    chancellor = pl.col("scope").is_in(lexicon.CHANCELLOR_COUNTRIES) & (
        pl.col("office") == "foreign_minister"
    )
    out = out.with_columns(
        office=pl.when(chancellor).then(pl.lit("head_of_government")).otherwise("office")
    )
    # "the Deputy Prime Minister of Serbia", "заместитель министра иностранных дел Ирана": a
    # deputy's title names a deputy, not the holder of the office it contains; only the name
    # after it (or the deputies' own table) says who
    deputies = (
        out.select("row", "t_start")
        .join(low.filter(pl.col("entity") == "deputy").select("row", d_end="end"), on="row")
        .filter(
            (pl.col("d_end") <= pl.col("t_start") + 1) & (pl.col("t_start") - pl.col("d_end") <= 2)
        )
        .select("row", "t_start", deputy=pl.lit(True))
        .unique()
    )
    is_deputy = pl.col("deputy").fill_null(False)
    out = (
        out.join(deputies, on=["row", "t_start"], how="left")
        .with_columns(
            office=pl.when(is_deputy & (pl.col("office") == "foreign_minister"))
            .then(pl.lit("deputy_foreign_minister"))
            .when(is_deputy)
            .then(pl.lit("minister"))
            .otherwise("office")
        )
        .drop("deputy")
    )
    # "Aide to the President of Russia Yury Ushakov", "Спецпосланник президента США Стив
    # Уиткофф": a title that complements an aide's or envoy's office (a hit of the lower-cased
    # pass just before it, "to the", "of the", "du" between) is no title of the name after
    # it; it designates its holder, whom the name serves
    dependent_hits = low.filter(pl.col("entity") == "dependent").select(
        "row", d_start="start", d_end="end"
    )
    dependent = (
        out.select("row", "t_start")
        .join(dependent_hits, on="row")
        .filter(
            (pl.col("d_end") <= pl.col("t_start") + 1)
            & (pl.col("t_start") - pl.col("d_end") <= DEPENDENT_GAP)
        )
        .select("row", "t_start", dependent=pl.lit(True))
    )
    # "the President's Special Envoy", "the Russian President's aide": the same office, as a
    # possessive before the aide's
    possessive = (
        out.select("row", "t_start", "end")
        .join(dependent_hits, on="row")
        .filter((pl.col("d_start") >= pl.col("end") - 1) & (pl.col("d_start") - pl.col("end") <= 4))
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(_between("hay", pl.col("end"), pl.col("d_start") + 1).str.strip_chars() == "s")
        .select("row", "t_start", dependent=pl.lit(True))
    )
    dependent = pl.concat([dependent, possessive]).unique()
    out = out.join(dependent, on=["row", "t_start"], how="left").with_columns(
        pl.col("dependent").fill_null(False)
    )
    # a title inside a longer title (the "president" of "vice president") is not one
    return out.sort("row", "t_start")


@lru_cache(maxsize=1)
def _split_head_re() -> str:
    heads = people.hay_of([h.rstrip("*") for h in lexicon.SPLIT_TITLE_HEADS])
    words = [
        h.strip().lower().replace(" ", r"\s+") + (r"\S*" if raw.endswith("*") else "")
        for h, raw in zip(heads, lexicon.SPLIT_TITLE_HEADS, strict=True)
    ]
    return rf"(?:^|\s)((?:{'|'.join(words)})\s+)$"


def _split_titles(prep: Prepared) -> pl.DataFrame:
    """Russian titles a country's adjective splits (lexicon.SPLIT_TITLE_HEADS and _TAILS):
    "глава российского государства", "главой российского МИД"."""
    tails = prep.lowered.filter(pl.col("entity") == "title_tail").select(
        "row", "sentence", tail_start="start", t_end="end", office="kind"
    )
    countries = prep.cased.filter(pl.col("entity") == "country").select(
        "row", c_start="start", c_end="end", scope="target"
    )
    head = _before("low", pl.col("c_start") + 1, 32).str.extract(_split_head_re(), 1)
    split = (
        tails.join(countries, on="row")
        .filter(
            (pl.col("c_end") <= pl.col("tail_start") + 1)
            & (pl.col("tail_start") - pl.col("c_start") <= 40)
        )
        .join(prep.posts.select("row", "low"), on="row")
        .filter(_between("low", pl.col("c_end"), pl.col("tail_start")).str.contains(r"^\S*\s*$"))
        .with_columns(head=head)
        .drop_nulls("head")
    )
    return split.select(
        "row",
        "sentence",
        # (at the space before the head's word, where a title's pattern starts)
        (pl.col("c_start") - pl.col("head").str.len_bytes()).alias("t_start"),
        "t_end",
        pl.col("t_end").alias("end"),
        "office",
        "scope",
        pl.lit("country").alias("scope_kind"),
        pl.lit("split").alias("side"),
        pl.lit(0, pl.Int64).alias("distance"),
    ).unique(["row", "t_start"], keep="first")


# --- persons ----------------------------------------------------------------------------


NAME_WORD = r"(?:\p{Lu}[\p{L}\p{N}]*)"
# The Arabic article as Russian writes it before a "sun" letter ("ас-Судани", "аш-Шейбани",
# "аз-Зиндани", "ад-Дбейба").
SUN_LETTER_ARTICLES = tuple("ас аш аз ад ат ар ан эс эш эз эд эт эр".split())
PARTICLE = "(?:{})".format(
    "|".join(
        "bin ibn bint al el da de del do dos du van von der den la le ben ould y "
        "аль ибн бен бин ".split()
        + list(SUN_LETTER_ARTICLES)
    )
)
RUN_RE = rf"^\s+({NAME_WORD}(?:\s+(?:{PARTICLE}\s+)?{NAME_WORD}){{1,4}})"
HONORIFIC_RE = None  # built lazily


def _honorific_prefix() -> str:
    words = "|".join(
        sorted((w.replace(" ", r"\s+") for w in lexicon.HONORIFICS), key=len, reverse=True)
    )
    return rf"^(?i:\s+(?:{words}))+"


# Capitalised last words of long ministry names, which a name follows.
MINISTRY_TAIL_WORDS = (
    "Abroad",
    "Affairs",
    "Cooperation",
    "Diaspora",
    "Integration",
    "Relations",
    "Trade",
    "Worship",
    "Development",
    "Exterior",
    "Exteriores",
    "Extérieur",
    "Etranger",
    "Étranger",
)
# Capitalised words of a state's long form, which the state's name or its leader's follows
# ("Министром иностранных дел Алжирской Народной Демократической Республики Ахмедом
# Аттафом", "of the People's Democratic Republic", "República Bolivariana"): no name opens
# with them (Cyrillic as the haystack stems it).
STATE_FORM_WORDS = (
    r"Народн\S*",
    r"Демократическ\S*",
    r"Республик\S*",
    r"Королевств\S*",
    r"Исламск\S*",
    r"Федеративн\S*",
    r"Социалистическ\S*",
    r"Объедин[её]нн\S*",
    r"Арабск\S*",
    r"Боливарианск\S*",
    r"Многонациональн\S*",
    r"Султанат\S*",
    r"Государств\S*",
    "People",
    "Peoples",
    "Democratic",
    "Republic",
    "Kingdom",
    "Islamic",
    "Federal",
    "Federative",
    "Socialist",
    "Bolivarian",
    "Plurinational",
    "Republica",
    "Reino",
    "Bolivariana",
    "Democratica",
    "Popular",
    "Islamica",
    "Republique",
    "Royaume",
    "Democratique",
    "Populaire",
    "Islamique",
)
# A state's or an organisation's acronym after a title ("Президента ЛНДР", "КНДР", "the DPRK"):
# no name opens with it.
ACRONYM = r"\p{Lu}{2,5}"
STOP_NAME_WORDS = {
    "The",
    "This",
    "On",
    "In",
    "At",
    "To",
    "During",
    "And",
    "With",
    "As",
    "For",
    "By",
    *lexicon.ENGLISH_MONTHS,
    "El",
    "La",
    "Le",
    "Les",
    "Los",
    "Las",
    "Et",
    "В",
    "На",
}


def slug(expr: pl.Expr) -> pl.Expr:
    return (
        transliterate_cyrillic(expr)
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", "-")
        .str.strip_chars("-")
    )


_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def transliterate_cyrillic(expr: pl.Expr) -> pl.Expr:
    """Cyrillic letters in Latin (BGN/PCGN-like), for the keys of persons discovered in Russian."""
    lower = list(_CYRILLIC)
    upper = [c.upper() for c in lower]
    return expr.str.replace_many(
        lower + upper, list(_CYRILLIC.values()) + [v.capitalize() for v in _CYRILLIC.values()]
    )


def _persons_after(prep: Prepared, frame: pl.DataFrame, at: str) -> pl.DataFrame:
    """For each row of frame (row, <at>), the first person hit starting right at <at> (after
    spaces and honorifics): adds p_start, person_key, kind."""
    persons = prep.cased.filter(pl.col("entity") == "person").select(
        "row",
        pl.col("start").alias("p_start"),
        pl.col("end").alias("p_end"),
        pl.col("target").alias("person_key"),
        "kind",
    )
    joined = frame.join(persons, on="row").filter(
        (pl.col("p_start") >= pl.col(at) - 1) & (pl.col("p_start") - pl.col(at) <= 40)
    )
    joined = joined.join(prep.posts.select("row", "hay"), on="row").with_columns(
        gap=_between("hay", pl.col(at), pl.col("p_start"))
    )
    joined = joined.filter(
        (pl.col("p_start") - pl.col(at) <= 2)
        | pl.col("gap").str.replace(_honorific_prefix(), "").str.strip_chars().eq("")
    )
    return joined.drop("hay", "gap")


@lru_cache(maxsize=1)
def _countries_served() -> pl.DataFrame:
    """(person_key, country_iso2): every country a known person held an office of."""
    terms = people.office_terms().select("person_key", "country_iso2")
    own = people.persons().select("person_key", "country_iso2")
    return pl.concat([terms, own]).drop_nulls().unique()


def _longer_name_of_another_country(prep: Prepared, named: pl.DataFrame) -> pl.DataFrame:
    """(row, t_start) of title + person hits where the title names a country the person never
    served and the name goes on past the hit: a namesake's longer name, not that person."""
    if named.height == 0:
        return named.select("row", "t_start")
    served = _countries_served()
    suspects = named.filter(
        (pl.col("scope_kind") == "country")
        & pl.col("person_key").is_in(served["person_key"].implode())
    ).join(
        served.rename({"country_iso2": "scope"}).with_columns(served=pl.lit(True)),
        on=["person_key", "scope"],
        how="left",
    )
    suspects = suspects.filter(pl.col("served").is_null())
    if suspects.height == 0:
        return named.clear().select("row", "t_start")
    goes_on = rf"^\s*(?:{NAME_WORD}|{PARTICLE}[-\s]+\p{{Lu}})"
    return (
        suspects.join(prep.posts.select("row", "hay"), on="row")
        .filter(_after("hay", pl.col("p_end"), 30).str.contains(goes_on).fill_null(False))
        .select("row", "t_start")
        .unique()
    )


def title_mentions(prep: Prepared, titled: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mentions from titles: title_name, discovered, title_date; counterpart titles left to
    resolve by the sentence's persons)."""
    posts = prep.posts.select("row", "date", "hay")
    # a title whose country is a stem ends inside that word ("Министр иностранных дел
    # Малайзи|и", "Вьетн|ама"): the name after it starts after the rest of the word
    titled = (
        titled.join(posts.select("row", "hay"), on="row")
        .with_columns(
            end=pl.col("end")
            + _after("hay", pl.col("end"), 40).str.extract(r"^(\S*)").str.len_bytes().fill_null(0)
        )
        .drop("hay")
    )
    named = _persons_after(prep, titled.filter(~pl.col("dependent")), "end")
    every_after = named
    # several persons may start right there (a surname form and a full form): the longest
    named = named.sort(
        ["row", "t_start", "p_end", "kind", "person_key"],
        descending=[False, False, True, False, False],
    ).unique(["row", "t_start"], keep="first", maintain_order=True)
    with_name = named.filter(pl.col("kind") != "surname")
    # "Министр иностранных дел Судана Али Юсуф аш-Шариф": a known person's shorter form that
    # opens a longer name after a title of a country they never served is someone new
    with_name = with_name.join(
        _longer_name_of_another_country(prep, with_name), on=["row", "t_start"], how="anti"
    )
    title_name = with_name.select(
        "row",
        "sentence",
        pl.col("p_start").alias("start"),
        pl.col("p_end").alias("end"),
        "person_key",
        pl.lit("title_name").alias("how"),
        pl.col("scope").alias("title_country"),
        pl.lit(None, pl.String).alias("name"),
    )
    rest = titled.join(with_name.select("row", "t_start"), on=["row", "t_start"], how="anti")
    # a capitalised run of two to five words after the title: someone on no list
    runs = (
        rest.filter(~pl.col("dependent"))
        .join(posts, on="row")
        .with_columns(
            after=_after("hay", pl.col("end"), DISCOVERY_WINDOW).str.replace(
                _honorific_prefix(), ""
            )
        )
        .with_columns(run=pl.col("after").str.extract(RUN_RE, 1))
        # the capitalised tail of a ministry's name opens no name ("... and Togolese Abroad
        # Robert Dussey")
        .with_columns(
            run=pl.col("run").str.replace(
                rf"^(?:(?:{'|'.join(MINISTRY_TAIL_WORDS + STATE_FORM_WORDS)}|{ACRONYM})"
                r"(?:\s+s)?\s+)+",
                "",
            )
        )
        .with_columns(run=pl.when(pl.col("run").str.contains(r"\s")).then("run").otherwise(None))
    )
    # where the run ends in the haystack: after the title, any honorific and the spaces before
    # it (found there, since a title's pattern may or may not end with one of the spaces)
    runs = runs.with_columns(
        run_bytes=_after("hay", pl.col("end"), DISCOVERY_WINDOW).str.find(
            pl.col("run"), literal=True
        )
        + pl.col("run").str.len_bytes()
    )
    runs = runs.with_columns(
        run=pl.col("run").str.replace_all(r"\s+", " "),
        run_start=pl.col("end"),
        run_end=pl.col("end") + pl.col("run_bytes"),
    ).filter(pl.col("run").is_not_null())
    appositions, named_before = _names_before(
        prep, rest.join(runs, on=["row", "t_start"], how="anti")
    )
    runs = pl.concat([runs, named_before], how="diagonal_relaxed")
    # "El Malick Ndiaye": an Arabic article opens a name of three words or more
    first_word = pl.col("run").str.extract(r"^(\S+)")
    arabic_article = (first_word == "El") & (pl.col("run").str.count_matches(" ") >= 2)
    # a run with a title's word in it is an office ("Turkmen People, Chairman of ..."), no name
    office_word = pl.col("run").str.to_lowercase().str.contains(_office_words_re())
    # "П.Сийярто", "Х.Фиданом": an initial and a surname are someone the title's holder or a
    # known surname names, no one new
    initialled = first_word.str.len_chars() == 1
    runs = runs.filter(
        ~initialled
        & (~first_word.is_in(list(STOP_NAME_WORDS)) | arabic_article)
        & ~office_word
        # (an organisation's head is someone new only where no table says who heads it)
        & (
            (pl.col("scope_kind") != "org")
            | ~pl.col("scope").is_in(list(_organisations_with_holders()))
        )
    )
    # a run that starts with a known surname resolved by the name table stays with it; one
    # that contains a country word was cut wrongly
    country_words = prep.cased.filter(pl.col("entity") == "country").select(
        "row", pl.col("start").alias("c_start")
    )
    bad = (
        runs.join(country_words, on="row")
        .filter(
            (pl.col("c_start") >= pl.col("run_start")) & (pl.col("c_start") < pl.col("run_end"))
        )
        .select("row", "t_start")
        .unique()
    )
    runs = runs.join(bad, on=["row", "t_start"], how="anti")
    discovered = runs.select(
        "row",
        "sentence",
        pl.col("run_start").alias("start"),
        pl.col("run_end").alias("end"),
        slug(pl.col("run")).alias("person_key"),
        pl.lit("discovered").alias("how"),
        # (the head of an organisation represents no country)
        pl.when(pl.col("scope_kind") != "org").then(pl.col("scope")).alias("title_country"),
        pl.col("run").alias("name"),
        pl.col("office"),
    )
    # "Президентом Турецкой Республики Реджепом Тайипом Эрдоганом", "Mahmud Abás": a known
    # person of the title's country, spelt another way, is that person, not someone new
    # (a person of the office table only, written in Latin letters, keeps the spelling of the
    # text: that table spells many names as Wikidata's Portuguese label does, "Oljas
    # Bektenov", where the post's own spelling is the usual English one)
    listed = people.persons().filter(pl.col("listed")).select(known_key="person_key")
    spelt = _known_by_spelling(discovered)
    latin = discovered.filter(~pl.col("name").str.contains(r"\p{Cyrillic}")).select("row", "start")
    spelt = pl.concat(
        [
            spelt.join(latin, on=["row", "start"], how="anti"),
            spelt.join(latin, on=["row", "start"]).join(listed, on="known_key"),
        ]
    )
    discovered = pl.concat(
        [
            discovered.join(spelt.select("row", "start"), on=["row", "start"], how="anti"),
            discovered.join(spelt, on=["row", "start"])
            .with_columns(person_key=pl.col("known_key"), how=pl.lit("title_name"))
            .drop("known_key"),
        ]
    )
    rest = rest.join(runs.select("row", "t_start"), on=["row", "t_start"], how="anti")
    rest = rest.join(appositions, on=["row", "t_start"], how="anti")
    # an office without a name: whoever held it on the post's date
    # "on his election as President of Poland", "в связи с избранием на пост Президента",
    # "élu président": the office someone was elected to is theirs, not its holder's that day
    before = _before("hay", pl.col("t_start") + 1, 40).str.to_lowercase()
    # "Министра иностранных дел России (1996–1998)": years of a term after the title (and
    # its country's words) date it in the past
    dated_term = _after("hay", pl.col("t_end"), 60).str.contains(
        r"^\s*(?:\S+\s+){0,3}?\d{4}\s+\d{4}(?:\s|$)"
    )
    not_the_holders = before.str.contains(ELECTED_RE) | before.str.contains(FORMER_RE) | dated_term
    queries = (
        rest.filter(pl.col("office") != "counterpart")
        .join(posts.select("row", "date", "hay"), on="row")
        .filter(~not_the_holders.fill_null(False))
        .drop("hay")
    )
    answered = holders_on(
        queries.select(
            "row", "sentence", "t_start", "t_end", "office", "scope", "date", "dependent"
        ),
        terms=_terms(),
    )
    # "Заместитель Министра иностранных дел России", "the President of Nicaragua": an office
    # several hold at once on that day pins down no one
    answered = answered.drop_nulls("person_key").filter(
        pl.col("person_key").n_unique().over("row", "t_start") == 1
    )
    # "Президент Польши Навроцкий" before he took office: a title with someone's surname after
    # it describes that person, not whoever held the office that day
    # (not one a name word follows: "Антониу Гутеррешем" opens with a given name)
    surnamed = (
        named.filter(pl.col("kind") == "surname")
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(~_after("hay", pl.col("p_end"), 30).str.contains(r"^\s*\p{Lu}").fill_null(False))
        .select("row", "t_start", "p_start")
    )
    bearers = (
        every_after.filter(pl.col("kind") == "surname")
        .join(surnamed, on=["row", "t_start", "p_start"])
        .select("row", "t_start", "person_key", bears=pl.lit(True))
        .unique()
    )
    answered = (
        answered.join(
            surnamed.select("row", "t_start", other=pl.lit(True)), on=["row", "t_start"], how="left"
        )
        .join(bearers, on=["row", "t_start", "person_key"], how="left")
        .filter(pl.col("other").is_null() | pl.col("bears").fill_null(False))
        .drop("other", "bears")
    )
    # "Aide to the President of Russia Yury Ushakov", "Спецпосланник президента США": an office
    # that only qualifies another's title describes that person; its holder is not mentioned
    title_date = answered.filter(~pl.col("dependent")).select(
        "row",
        "sentence",
        pl.col("t_start").alias("start"),
        pl.col("t_end").alias("end"),
        "person_key",
        pl.lit("title_date").alias("how"),
        pl.col("scope").alias("title_country"),
        pl.lit(None, pl.String).alias("name"),
    )
    counterparts = rest.filter(pl.col("office") == "counterpart")
    return pl.concat([title_name, discovered, title_date], how="diagonal_relaxed"), counterparts


def _names_before(prep: Prepared, titled: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """ "Olzhas Bektenov, Prime Minister of the Republic of Kazakhstan", "Alassane Ouattara on
    his re-election as President of ...", "Алассану Уаттаре в связи с переизбранием на пост
    Президента ...", "Yamandú Orsi con motivo de su investidura como presidente de ...": a
    title with no name after it whose name stands just before it, joined by a comma or by
    the words of an election (lexicon.OFFICE_TAKEN_RE), is that person's office.

    Returns (row, t_start of every such title, which names no holder on the post's date; the
    runs of the names no full-name hit covers, as title_mentions' runs: row, sentence,
    t_start, scope, scope_kind, office, dependent, run, run_start, run_end)."""
    run = rf"{NAME_WORD}(?:\s+(?:{PARTICLE}\s+)?{NAME_WORD}){{1,4}}"
    lead_re = rf"(?P<run>{run})(?P<link>\s+(?:{lexicon.OFFICE_TAKEN_RE}))?\s+$"
    lead = _before("hay", pl.col("t_start") + 1, 160)
    candidates = (
        titled.filter(~pl.col("dependent") & (pl.col("office") != "counterpart"))
        .join(prep.posts.select("row", "hay", "text"), on="row")
        .with_columns(lead=lead)
        .with_columns(found=pl.col("lead").str.extract_groups(lead_re))
        .unnest("found")
        .filter(pl.col("run").is_not_null())
    )
    # (joined by a comma in the text, which the haystack drops: the name's last word is
    # followed by one)
    last = pl.col("run").str.extract(r"(\S+)$").str.escape_regex()
    folded = pl.col("text").str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    comma = folded.str.contains(pl.lit(r"(?:^|[^\p{L}])") + last + pl.lit(r"\p{L}*,\s"))
    candidates = candidates.filter(pl.col("link").is_not_null() | comma).with_columns(
        run_start=pl.col("t_start")
        + 1
        - pl.col("lead").str.len_bytes()
        + pl.col("lead").str.find(lead_re)
        - 1,
    )
    candidates = candidates.with_columns(
        run_end=pl.col("run_start") + 1 + pl.col("run").str.len_bytes(),
        run=pl.col("run").str.replace_all(r"\s+", " "),
    )
    full_names = prep.cased.filter(
        (pl.col("entity") == "person") & (pl.col("kind") != "surname")
    ).select("row", run_start="start")
    keep = ["row", "sentence", "t_start", "scope", "scope_kind", "office", "dependent"]
    runs = candidates.join(full_names.unique(), on=["row", "run_start"], how="anti").select(
        *keep, "run", "run_start", "run_end"
    )
    return candidates.select("row", "t_start").unique(), runs


def spelling_skeleton(name: pl.Expr) -> pl.Expr:
    """The consonants of a slug, the way transliterations agree on them: vowels, "y" and "h"
    dropped ("kh" of Cyrillic х, the "h" of "sh"), "dzh"/"zh" as "j", "w" as "v", "ts" as "c",
    "q" and "ck" as "k", doubled letters single. "redzhep-taiip-erdogan" and
    "recep-tayyip-erdogan" share the surname "rdgn"; "mahmud-abas" and "mahmoud-abbas" are both
    "mhmd-bs" without h: "mmd-bs"."""
    # (Cyrillic х stands for a Latin "h" as often as for "kh": "Тхонгсаван" is Thongsavanh,
    # "Хакан" Hakan; "kh" goes with the other "h")
    # (a hard Latin "c" is the "k" of Cyrillic: "Клод" is Claude; a run of one consonant is
    # one: "al-Sissi" is "el-Sisi", "Гакосо" Gakosso)
    doubled = [c + c for c in _CONSONANTS]
    return (
        name.str.replace_all("kh", "")
        .str.replace_all(r"c([aoulr]|$)", "k$1")
        .str.replace_all("dzh|zh|dj", "j")
        .str.replace_all("ts", "c")
        .str.replace_all("ck|q", "k")
        .str.replace_all("w", "v")
        .str.replace_all("[aeiouyh]", "")
        .str.replace_many(doubled, list(_CONSONANTS))
        .str.replace_many(doubled, list(_CONSONANTS))
    )


_CONSONANTS = "bcdfgjklmnprstvxz"


def loose_skeleton(name: pl.Expr, variant: str = "") -> pl.Expr:
    """A looser skeleton than spelling_skeleton, for names a transliteration reshapes: every
    hissing or affricate sound one letter ("Korčok"/"Корчок", "Kurz"/"Курц", "Balázs"/"Балаж",
    "Machete"/"Машете"), "ph" as "f", "th" as "t". variant "latin": a Spanish "j" that Russian
    writes "х" (Jiménez, Хименес) and an Italian "g" before "e"/"i" ("Luigi", Луиджи);
    variant "cyrillic": a "г" that stands for a Latin "h" ("Гейдар", Heydar)."""
    out = name.str.replace_all("kh", "")
    if variant == "latin":
        # (and an English "w" after a vowel, which Russian writes as a vowel: Powell, Пауэлл)
        out = (
            out.str.replace_all("j", "")
            .str.replace_all("gn", "n")
            .str.replace_all(r"g([ei])", "j$1")
            .str.replace_all(r"([aeo])w", "$1")
        )
    if variant == "cyrillic":
        out = out.str.replace_all("g", "")
    return (
        out.str.replace_all("ph", "f")
        .str.replace_all("th", "t")
        .str.replace_all("w", "v")
        .str.replace_all("ck|q", "k")
        .str.replace_all("x", "ks")
        .str.replace_all(r"c([aoulr])", "k$1")
        .str.replace_all("dzh|tch|sch|sh|ch|zh|ts|tz|cz|sz|zs|dz|j|c|s|z", "S")
        .str.replace_all("[aeiouyh]", "")
        .str.replace_many(_LOOSE_DOUBLED, _LOOSE_SINGLE)
        .str.replace_many(_LOOSE_DOUBLED, _LOOSE_SINGLE)
    )


_LOOSE_SINGLE = list("bdfgklmnprtvS-")
_LOOSE_DOUBLED = [c + c for c in _LOOSE_SINGLE]


@lru_cache(maxsize=1)
def _loose_spelling_table() -> pl.DataFrame:
    """Known persons with a country by the loose skeletons of their key's first and last words
    (plain and "latin"): person_key, country_iso2, first, last."""
    known = people.persons().filter(
        pl.col("country_iso2").is_not_null() & (pl.col("country_iso2") != "SU")
    )
    first = pl.col("person_key").str.extract(r"^([a-z0-9]+)")
    last = pl.col("person_key").str.extract(r"([a-z0-9]+)$")
    return (
        pl.concat(
            [
                known.select(
                    "person_key",
                    "country_iso2",
                    first=loose_skeleton(first, variant),
                    last=loose_skeleton(last, variant),
                )
                for variant in ("", "latin")
            ]
        )
        .filter(pl.col("last").str.len_chars() >= 2)
        .unique()
    )


def _known_by_loose_spelling(discovered: pl.DataFrame) -> pl.DataFrame:
    """row, start, known_key of discovered names in Cyrillic that are a known person of the
    title's country by loose skeletons: the name's last word (stemmed, so its ending may be
    cut) opens the person's last word, and the first words open with the same consonant
    (or a vowel both); only where exactly one person fits."""
    cyrillic = discovered.filter(
        pl.col("title_country").is_not_null() & pl.col("name").str.contains(r"\p{Cyrillic}")
    )
    if cyrillic.height == 0:
        return pl.DataFrame(schema={"row": pl.UInt32, "start": pl.Int64, "known_key": pl.String})
    first = pl.col("person_key").str.extract(r"^([a-z0-9]+)")
    last = pl.col("person_key").str.extract(r"([a-z0-9]+)$")
    keyed = pl.concat(
        [
            cyrillic.select(
                "row",
                "start",
                "title_country",
                d_first=loose_skeleton(first, variant),
                d_last=loose_skeleton(last, variant),
            )
            for variant in ("", "cyrillic")
        ]
    ).filter(pl.col("d_last").str.len_chars() >= 2)
    found = (
        keyed.join(_loose_spelling_table(), left_on="title_country", right_on="country_iso2")
        .filter(
            pl.col("last").str.starts_with(pl.col("d_last"))
            & (pl.col("first").str.slice(0, 1) == pl.col("d_first").str.slice(0, 1))
        )
        .select("row", "start", "person_key")
        .unique()
    )
    return (
        found.filter(pl.col("person_key").n_unique().over("row", "start") == 1)
        .select("row", "start", pl.col("person_key").alias("known_key"))
        .unique(["row", "start"])
    )


@lru_cache(maxsize=1)
def _spelling_table() -> pl.DataFrame:
    """Known persons with a country by (country, skeleton of the whole key) and (country,
    initial, skeleton of the last word of the key): person_key, country_iso2, whole, initial,
    last."""
    known = people.persons().filter(
        pl.col("country_iso2").is_not_null() & (pl.col("country_iso2") != "SU")
    )
    return known.select(
        "person_key",
        "country_iso2",
        whole=spelling_skeleton(pl.col("person_key").str.replace_all("-", "")),
        initial=pl.col("person_key").str.slice(0, 1),
        last=spelling_skeleton(pl.col("person_key").str.extract(r"([a-z0-9]+)$")),
    )


def _known_by_spelling(discovered: pl.DataFrame) -> pl.DataFrame:
    """row, start, known_key of discovered names that are a known person of the title's country
    in another spelling: the same consonants throughout, or the same initial and surname
    consonants; only where exactly one person fits."""
    table = _spelling_table()
    keyed = discovered.filter(pl.col("title_country").is_not_null()).select(
        "row",
        "start",
        "title_country",
        whole=spelling_skeleton(pl.col("person_key").str.replace_all("-", "")),
        initial=pl.col("person_key").str.slice(0, 1),
        last=spelling_skeleton(pl.col("person_key").str.extract(r"([a-z0-9]+)$")),
    )
    by_whole = keyed.join(
        table.select("person_key", "country_iso2", "whole"),
        left_on=["title_country", "whole"],
        right_on=["country_iso2", "whole"],
    )
    by_last = keyed.filter(pl.col("last").str.len_chars() >= 2).join(
        table.select("person_key", "country_iso2", "initial", "last"),
        left_on=["title_country", "initial", "last"],
        right_on=["country_iso2", "initial", "last"],
    )
    # "Главу МИД Ирана Аббаса Аракчи": the last word is a surname form of a person of the
    # title's country and the first word one of that person's names, in whatever script
    run_words = discovered.filter(pl.col("title_country").is_not_null()).select(
        "row",
        "start",
        "title_country",
        surname=pl.col("name").str.extract(r"(\S+)$"),
        first=slug(pl.col("name").str.extract(r"^(\S+)")).str.slice(0, 3),
    )
    by_surname = (
        run_words.join(
            _surname_forms(),
            left_on=["title_country", "surname"],
            right_on=["country_iso2", "surname"],
        )
        .join(_name_words(), on="person_key")
        .filter(pl.col("prefixes").list.contains(pl.col("first")))
    )
    found = pl.concat(
        [
            by_whole.select("row", "start", "person_key"),
            by_last.select("row", "start", "person_key"),
            by_surname.select("row", "start", "person_key"),
        ]
    ).unique()
    strict = (
        found.filter(pl.col("person_key").n_unique().over("row", "start") == 1)
        .select("row", "start", pl.col("person_key").alias("known_key"))
        .unique(["row", "start"])
    )
    # names in Cyrillic that no strict skeleton links: by the loose ones (86% of the office
    # table's Russian names are linked so, against 66% by the strict ones alone)
    unlinked = discovered.join(
        found.select("row", "start").unique(), on=["row", "start"], how="anti"
    )
    return pl.concat([strict, _known_by_loose_spelling(unlinked)])


@lru_cache(maxsize=1)
def _organisations_with_holders() -> frozenset[str]:
    """The organisations whose heads the office table knows."""
    return frozenset(people.office_terms()["org_code"].drop_nulls().to_list())


@lru_cache(maxsize=1)
def _surname_forms() -> pl.DataFrame:
    """person_key, country_iso2, surname (as the haystack writes it) of every surname form."""
    return _kept_or_derived("surname_forms", derive_surname_forms)


def derive_surname_forms() -> pl.DataFrame:
    """_surname_forms(), derived from the reference data."""
    forms = people.name_forms().filter(pl.col("kind") == "surname")
    countries = people.persons().select("person_key", "country_iso2").drop_nulls()
    return (
        forms.join(countries, on="person_key")
        .select(
            "person_key",
            "country_iso2",
            surname=people.haystack(pl.col("form").str.strip_chars_end("*")).str.strip_chars(),
        )
        .filter(~pl.col("surname").str.contains(" "))
        .unique()
        .sort(pl.all())  # one order whatever the threads did: kept, it reads back the same
    )


@lru_cache(maxsize=1)
def _terms() -> pl.DataFrame:
    """The office table's terms and the past leaders', in the shape holders_on reads."""
    terms = people.office_terms()
    return terms.with_columns(
        scope=pl.coalesce("country_iso2", "org_code"),
        title_ru=pl.lit(None, pl.String),
        title_es=pl.lit(None, pl.String),
        title_fr=pl.lit(None, pl.String),
    )


def _name_mentions(prep: Prepared) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(full-name mentions: name, alias; surname hits with their candidate persons)."""
    persons = prep.cased.filter(pl.col("entity") == "person")
    full = persons.filter(pl.col("kind") != "surname")
    # a form of several people (two Traorés' "President Traoré") is a surname hit
    per_start = full.group_by("row", "start").agg(pl.col("target").n_unique().alias("people"))
    full = full.join(per_start, on=["row", "start"])
    single = (
        full.filter(pl.col("people") == 1)
        .select(
            "row",
            "sentence",
            "start",
            "end",
            pl.col("target").alias("person_key"),
            pl.col("kind").alias("how"),
            pl.lit(None, pl.String).alias("title_country"),
            pl.lit(None, pl.String).alias("name"),
        )
        .unique(["row", "start", "person_key"], keep="first")
    )
    surnames = pl.concat(
        [
            persons.filter(pl.col("kind") == "surname"),
            full.filter(pl.col("people") > 1).drop("people"),
        ],
        how="diagonal_relaxed",
    ).select("row", "sentence", "start", "end", pl.col("target").alias("person_key"))
    return single.with_columns(pl.col("how").replace({"name": "name", "alias": "alias"})), surnames


def _given_name_of_the_next(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits that are the given name of the person named right after them: "Ибрагиму
    Траоре" is Ibrahim Traoré, not Anwar Ibrahim, in whatever case form ("Ибрагим" matches
    Ibrahim Traoré's names by its first three Latin letters)."""
    hits = surnames.select("row", "start", "end", "person_key")
    following = prep.cased.filter(pl.col("entity") == "person").select(
        "row", n_start="start", next_key="target"
    )
    # (a stem's hit ends inside its word: the whole word, and the rest of it before the gap)
    word = _after("hay", pl.col("start"), 40).str.extract(r"^\s*(\S+)")
    given = (
        hits.join(following, on="row")
        .filter(
            (pl.col("n_start") >= pl.col("end") - 1)
            & (pl.col("n_start") - pl.col("end") <= 12)
            & (pl.col("next_key") != pl.col("person_key"))
        )
        .join(prep.posts.select("row", "hay"), on="row")
        # (nothing but spaces between them)
        .filter(
            _between("hay", pl.col("end"), pl.col("n_start"))
            .str.contains(r"^\S*\s*$")
            .fill_null(True)
        )
        .with_columns(prefix=slug(word).str.slice(0, 3))
        .join(_name_words(), left_on="next_key", right_on="person_key")
        .filter(pl.col("prefixes").list.contains(pl.col("prefix")))
        .select("row", "start", "person_key")
        .unique()
    )
    return surnames.join(given, on=["row", "start", "person_key"], how="anti")


def _given_name_contradicts(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits preceded by a capitalised word that is neither a title nor an honorific nor
    part of the person's names: someone else of that surname ("Karamoko Traoré")."""
    words_before = _before("hay", pl.col("start"), 48).str.extract_groups(
        r"(?:(?P<preceding>\S+)\s+)?(?P<previous>\S+)\s*$"
    )
    before = (
        surnames.select("row", "start", "person_key")
        .join(prep.posts.select("row", "hay"), on="row")
        .select(
            "row",
            "start",
            "person_key",
            words=words_before,
            hit=_after("hay", pl.col("start"), 40).str.extract(r"^\s*(\S+)"),
        )
        .unnest("words")
    )
    # initials ("М.Рубио", "А.Ю.Руденко", "F. Roosevelt"): the first stands for the given name
    # and is compared by its letter alone; a second, the patronymic's, the names rarely hold
    # (an initial may look like a preposition or an honorific's letter: "В.", "Г.")
    initial = pl.col("previous").str.contains(INITIAL_RE)
    initials = before.filter(initial).with_columns(
        given=pl.when(pl.col("preceding").str.contains(INITIAL_RE).fill_null(False))
        .then("preceding")
        .otherwise("previous")
    )
    # cheap tests first: a capitalised word that is no title word nor a word names follow
    words = _title_words()
    suspects = before.filter(
        ~initial
        & pl.col("previous").str.contains(r"^\p{Lu}")
        & ~pl.col("previous").str.to_lowercase().is_in(list(words))
        & ~pl.col("previous").is_in(list(STOP_NAME_WORDS))
    )
    # the word before is another person's name ("Stalin, Roosevelt and Churchill", a stem's
    # hit ending inside its word: "Лавров, Захарова"), a country's or an organisation's
    # ("Госсекретарь США Рубио", "заместитель Министра иностранных дел России Руденко")
    named_before = (
        suspects.select("row", "start")
        .join(
            prep.cased.filter(pl.col("entity").is_in(["person", "country", "org"])).select(
                "row", c_start="start", c_end="end"
            ),
            on="row",
        )
        .filter(
            (pl.col("c_end") <= pl.col("start") + 1) & (pl.col("start") - pl.col("c_start") <= 48)
        )
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(_between("hay", pl.col("c_end"), pl.col("start")).str.contains(r"^\S*\s*$"))
        .select("row", "start")
        .unique()
    )
    # compared by the first three letters in Latin script: "Серге" is Sergey's, "Ибрагим"
    # Ibrahim's, whatever script the name table holds; or by the first two consonants, as
    # transliterations agree on them ("Стив" is Steve's)
    latin = slug(pl.col("previous"))
    consonants = spelling_skeleton(latin).str.slice(0, 2)
    # a short given name in a case form ("Каю Каллас": kayu) agrees on its first two letters
    short = (latin.str.len_chars() <= 4) & pl.col("prefixes").list.eval(
        pl.element().str.slice(0, 2)
    ).list.contains(latin.str.slice(0, 2))
    # (not by the surname's own consonants: "Игорь Громыко" is not Andrei Gromyko)
    surname_consonants = spelling_skeleton(slug(pl.col("hit"))).str.slice(0, 2)
    own = (
        pl.col("prefixes").list.contains(latin.str.slice(0, 3))
        | (
            (consonants.str.len_chars() == 2)
            & pl.col("skeletons").list.contains(consonants)
            & (consonants != surname_consonants)
        )
        | short
    ).fill_null(False)
    # a word before that is the given name of one of the surname's persons is a given name
    # here, whatever else it names ("Президента Ибрагима Траоре" after Karamoko Traoré:
    # "Ибрагима" is also Anwar Ibrahim's surname)
    given_here = (
        suspects.join(_name_words(), on="person_key", how="left")
        .filter(own)
        .select("row", "start")
        .unique()
    )
    named_before = named_before.join(given_here, on=["row", "start"], how="anti")
    suspects = suspects.join(named_before, on=["row", "start"], how="anti")
    # a capitalised word after a preposition of place is a place ("в Ялте Сталин") ...
    preceding = pl.col("preceding").str.to_lowercase()
    at_place = preceding.is_in(list(lexicon.PLACE_PREPOSITIONS)).fill_null(False)
    # ... but one the surname's word follows as it stands, no case ending, comma or dash
    # between, is the first word of a place's name ("in Bandar Abbas", "в Бандар-Аббасе")
    suspects = pl.concat(
        [suspects.filter(~at_place), _place_names(prep, suspects.filter(at_place))]
    )
    contradicted = (
        suspects.join(_name_words(), on="person_key", how="left")
        .filter(~own)
        .select("row", "start", "person_key")
    )
    # a place's or a saint's name ("San Francisco", "Санкт-Петербург")
    openers = [w.strip() for w in people.hay_of(list(lexicon.PLACE_NAME_OPENERS))]
    opened = before.filter(pl.col("previous").is_in(openers)).select("row", "start", "person_key")
    contradicted = pl.concat([contradicted, _initials_contradict(initials), opened])
    return surnames.join(contradicted, on=["row", "start", "person_key"], how="anti")


def _place_names(prep: Prepared, suspects: pl.DataFrame) -> pl.DataFrame:
    """The suspects (after a preposition of place) whose word before is one with the surname's
    word in the text: the two words of a place's name."""
    if suspects.height == 0:
        return suspects
    escape = {"$": r"\$"}
    word = _after("hay", pl.col("start"), 40).str.extract(r"^\s*(\S+)")
    joined = (
        suspects.join(prep.posts.select("row", "hay", "text"), on="row")
        .with_columns(
            pattern=pl.lit(r"(?:^|[^\p{L}\p{N}])")
            + pl.col("previous").str.replace_many(escape)
            + pl.lit(r"[\s\-‐‑]+")
            + word.str.replace_many(escape)
        )
        .filter(
            pl.col("text")
            .str.normalize("NFKD")
            .str.replace_all(r"\p{M}", "")
            .str.contains(pl.col("pattern"))
        )
    )
    return joined.select(suspects.columns)


# An initial: one capital letter, or the Russian "Дж" of John and Joseph ("Дж.Байден").
INITIAL_RE = r"^(?:\p{Lu}|Дж)$"
# The first Latin letters a Cyrillic initial may stand for: "Х" is Hakan's as well as
# Khaled's, "У" Winston's, "Ф" Philippe's, "К" Carlos's (the Latin names are compared by
# their first letter).
INITIAL_LETTERS = {
    "Х": "kh",
    "Ж": "zj",
    "Дж": "dj",
    "Й": "yij",
    "Ю": "yiju",
    "Я": "yija",
    "Е": "eyi",
    "Э": "ea",
    "Ц": "tcz",
    "У": "uwo",
    "Г": "gh",
    "Ф": "fp",
    "В": "vw",
    "К": "kcq",
    "И": "iyj",
    "Ч": "ct",
    "Ш": "s",
}


def _initials_contradict(initials: pl.DataFrame) -> pl.DataFrame:
    """(row, start, person_key) of surname hits whose given-name initial is no first letter of
    the person's names: "А.Аббас" is not Mahmoud Abbas."""
    letters = (
        pl.col("given")
        .replace_strict(INITIAL_LETTERS, default=slug(pl.col("given")).str.slice(0, 1))
        .alias("letters")
    )
    # (the words of the names less the surnames: "А.Аббас" is not Abbas's own "A")
    surnames = _surname_forms().select("person_key", prefix=slug(pl.col("surname")).str.slice(0, 3))
    firsts = (
        _name_words()
        .select("person_key", prefix="prefixes")
        .explode("prefix")
        .join(surnames, on=["person_key", "prefix"], how="anti")
        .select("person_key", first=pl.col("prefix").str.slice(0, 1))
    )
    checked = (
        initials.select("row", "start", "person_key", letters)
        .join(firsts, on="person_key", how="left")
        .group_by("row", "start", "person_key")
        .agg(own=pl.col("letters").str.contains(pl.col("first").fill_null("?"), literal=True).any())
    )
    return checked.filter(~pl.col("own")).select("row", "start", "person_key")


def _first_of_another_name(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits that open someone else's name: a capitalised word follows with nothing but
    spaces between, no part of the person's names nor a person, country, title or
    organisation ("Карл Маркс" is not Charles III, "Ван Гог" not Wang Yi, "Hassan Rouhani" not
    Samia Suluhu Hassan); "Путин Владимир Владимирович" and "Лавров, Рябков" stay."""
    after = _after("hay", pl.col("end"), 48).str.extract_groups(
        r"^(?P<gap>\S*\s+)(?P<next>\p{Lu}[\p{L}\p{N}]*)"
    )
    words = _title_words()
    following = (
        surnames.select("row", "start", "end", "person_key")
        .join(prep.posts.select("row", "hay"), on="row")
        .with_columns(after=after)
        .unnest("after")
        .drop("hay")
        .drop_nulls("next")
        .filter(
            ~pl.col("next").str.to_lowercase().is_in(list(words))
            & ~pl.col("next").is_in(list(STOP_NAME_WORDS))
        )
        # (where the next word's pattern starts: at the space before it)
        .with_columns(n_start=pl.col("end") + pl.col("gap").str.len_bytes() - 1)
    )
    if following.height == 0:
        return surnames
    named = prep.cased.filter(
        pl.col("entity").is_in(["person", "country", "org", "blocker"])
    ).select("row", n_start="start")
    following = following.join(named.unique(), on=["row", "n_start"], how="anti")
    latin = slug(pl.col("next"))
    own = (
        following.join(_name_words(), on="person_key", how="left")
        .filter(pl.col("prefixes").list.contains(latin.str.slice(0, 3)).fill_null(False))
        .select("row", "start", "person_key")
    )
    following = following.join(own, on=["row", "start", "person_key"], how="anti")
    if following.height == 0:
        return surnames
    # nothing but spaces between the two words in the text (a comma or a quote opens another
    # mention or a quotation)
    escape = {"$": r"\$"}
    word = _between("hay", pl.col("start"), pl.col("end")).str.strip_chars()
    others = (
        following.join(prep.posts.select("row", "hay", "text"), on="row")
        .with_columns(
            pattern=pl.lit(r"(?:^|[^\p{L}\p{N}])")
            + word.str.replace_many(escape)
            + pl.lit(r"\p{L}*[ \u00a0]+")
            + pl.col("next").str.replace_many(escape)
        )
        .filter(
            pl.col("text")
            .str.normalize("NFKD")
            .str.replace_all(r"\p{M}", "")
            .str.contains(pl.col("pattern"))
        )
        .select("row", "start", "person_key")
    )
    return surnames.join(others, on=["row", "start", "person_key"], how="anti")


# The members of the Arab League: an Arabic article before a surname ("аль-Ахмеду") makes it
# an Arabic name, no surname of a person of another country (Abiy Ahmed).
ARAB_STATES = "AE BH DJ DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE".split()
ARTICLE_WORDS = ("al", "el", "аль", "эль", *SUN_LETTER_ARTICLES)


def _article_of_another_language(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits right after an Arabic article, of persons of no Arab state: an Arabic
    family's name ("шейху Мишаалю аль-Ахмеду" names no Abiy Ahmed)."""
    previous = _before("hay", pl.col("start"), 12).str.extract(r"(\S+)\s*$").str.to_lowercase()
    after_article = (
        surnames.select("row", "start", "person_key")
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(previous.is_in(list(ARTICLE_WORDS)))
        .join(people.persons().select("person_key", "country_iso2"), on="person_key")
        .filter(~pl.col("country_iso2").is_in(list(ARAB_STATES)))
        .select("row", "start", "person_key")
    )
    return surnames.join(after_article, on=["row", "start", "person_key"], how="anti")


# Arabic articles that open a dynasty's or a family's name after a full name ("Mohammed bin
# Salman Al Saud", "Мухаммед бен Сальман Аль Сауд").
DYNASTY_ARTICLES = ("al", "el", "аль", "ал", "эль")
# The words of "son of" in Arabic names, before the father's name ("bin Zayed", "бен Заид").
PATRONYMIC_WORDS = ("bin", "ibn", "ben", "бен", "бин", "ибн")


def _dynasty_of_the_previous(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits after an article that follows another person's full name: the end of that
    name ("Mohammed bin Salman Al Saud" names no other Al Saud)."""
    full = prep.cased.filter((pl.col("entity") == "person") & (pl.col("kind") != "surname"))
    articles = "|".join(DYNASTY_ARTICLES)
    ended = (
        surnames.select("row", "start", "person_key")
        .join(full.select("row", p_end="end", p_key="target"), on="row")
        .filter((pl.col("p_end") < pl.col("start")) & (pl.col("start") - pl.col("p_end") <= 12))
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _between("low", pl.col("p_end"), pl.col("start")).str.contains(
                rf"^\s*(?:{articles})\s*$"
            )
        )
    )
    own = ended.filter(pl.col("p_key") == pl.col("person_key")).select("row", "start").unique()
    others = (
        ended.filter(pl.col("p_key") != pl.col("person_key"))
        .join(own, on=["row", "start"], how="anti")
        .select("row", "start", "person_key")
    )
    # ... or that ends a name by its father's ("Мухаммед бен Зайед Аль Нахайян", however the
    # name is spelt): a family name many share, the surname of no one the post names in full
    patronymic = "|".join(PATRONYMIC_WORDS)
    family = (
        surnames.select("row", "start", "person_key")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _before("low", pl.col("start") + 1, 60).str.contains(
                rf"(?:^|\s)(?:{patronymic})\s+\S+\s+(?:{articles})\s*$"
            )
        )
        .join(full.select("row", person_key="target"), on=["row", "person_key"], how="anti")
        .select("row", "start", "person_key")
    )
    return surnames.join(
        pl.concat([others, family]).unique(), on=["row", "start", "person_key"], how="anti"
    )


def _named_after(prep: Prepared, surnames: pl.DataFrame) -> pl.DataFrame:
    """Surname hits right after a word that names a thing after someone (lexicon.NAMED_AFTER:
    "медалями Ушакова", "the Order of Ushakov"): the namesake's, no mention of the official."""
    words = "|".join(
        (w.strip().lower().replace(" ", r"\s+") + (r"\S*\s" if stem else r"\s"))
        for w, stem in zip(
            people.hay_of([w.rstrip("*") for w in lexicon.NAMED_AFTER]),
            [w.endswith("*") for w in lexicon.NAMED_AFTER],
            strict=True,
        )
    )
    named = (
        surnames.select("row", "start", "person_key")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _before("low", pl.col("start") + 1, 32)
            .str.contains(rf"(?:^|\s)(?:{words})\s*$")
            .fill_null(False)
        )
        .select("row", "start", "person_key")
    )
    return surnames.join(named, on=["row", "start", "person_key"], how="anti")


@lru_cache(maxsize=1)
def _office_words_re() -> str:
    """A regex for the words of titles that are no part of names: the title words less the
    words between a title and its country and the particles of names."""
    phrases = [p for ps in lexicon.TITLES.values() for p in ps] + list(lexicon.MINISTER_WORDS)
    title = {w.lower() for p in people.hay_of(phrases) for w in p.split()}
    gap = {w.lower() for p in people.hay_of(list(lexicon.GAP_WORDS)) for w in p.split()}
    words = sorted(title - gap - set(PARTICLE.strip("(?:)").split("|")))
    return r"(?:^|\s)(?:" + "|".join(words) + r")(?:\s|$)"


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    phrases = [p for ps in lexicon.TITLES.values() for p in ps]
    phrases += [p for _, _, p in lexicon.FIXED_TITLES] + list(lexicon.HONORIFICS)
    phrases += list(lexicon.MINISTER_WORDS) + ["vice", "deputy", "foreign", "state", "premier"]
    folded = people.hay_of(phrases)
    return frozenset(w.lower() for p in folded for w in p.split())


@lru_cache(maxsize=1)
def _name_words() -> pl.DataFrame:
    """person_key -> the first three Latin letters of every word of their name forms."""
    return _kept_or_derived("name_words", derive_name_words)


def derive_name_words() -> pl.DataFrame:
    """_name_words(), derived from the reference data."""
    forms = people.name_forms().select(
        "person_key", people.haystack(pl.col("form").str.strip_chars_end("*")).alias("hay")
    )
    words = forms.with_columns(word=pl.col("hay").str.strip_chars().str.split(" ")).explode("word")
    # one order whatever the threads did: kept, it reads back the same
    return (
        words.group_by("person_key")
        .agg(
            slug(pl.col("word")).str.slice(0, 3).unique().sort().alias("prefixes"),
            spelling_skeleton(slug(pl.col("word")))
            .str.slice(0, 2)
            .unique()
            .sort()
            .alias("skeletons"),
        )
        .sort("person_key")
    )


@lru_cache(maxsize=1)
def _resolvable_alone() -> pl.DataFrame:
    """person_key of the persons a surname alone may name without context: the listed leaders
    and the past leaders (the office table's thousands of others need the post or channel)."""
    listed = people.persons().filter(pl.col("listed")).select("person_key")
    past = pl.DataFrame({"person_key": [p["person_key"] for p in people.past_leaders()]})
    return pl.concat([listed, past]).unique()


# Russian case endings of a surname by how its nominative ends (folded: "й" is "и"), the way
# Russian declines foreign and Russian surnames: one in a vowel other than "а"/"я" does not
# decline ("Моди", "Тани", "Матвиенко"), one in a consonant takes the masculine endings.
_DECLENSIONS = (
    # (the nominative's ending, what replaces it)
    (r"(?:ски|цки|ии|ыи|ои)", "ии|ыи|ои|ого|его|ому|ему|им|ым|ом|ем"),
    (r"(?:[аеёиоуыэюя]и)", "и|я|ю|ем|е|еи"),  # -ай, -ей, -уй
    (r"[ая]", "а|я|ы|и|е|у|ю|ои|еи|ою|ею"),
    (r"ь", "ь|я|ю|ем|е|и|еи"),
    (r"[иыуюоеэ]", None),
    (r"", "|а|у|ом|ым|ем|е|ы|ов|ои"),
)
# A stem of this many letters or fewer declines in no text a reader trusts without a context:
# "Мода" is no form of Modi, "Коля" rather a boy than Kohl, "Нина" no Mao Ning.
SHORT_STEM_LETTERS = 3


@lru_cache(maxsize=1)
def _declined_forms() -> pl.DataFrame:
    """person_key, form, free: a regex of the Russian words that are a case form of a surname
    of the persons a surname alone may name (their Cyrillic surnames only); free: the form is a
    stem ("Путин*") that any ending fits."""
    forms = people.name_forms().filter(pl.col("kind") == "surname")
    forms = forms.join(_resolvable_alone(), on="person_key").filter(
        pl.col("form").str.contains(r"^\p{Cyrillic}")
    )
    nominative = people.haystack(
        pl.col("form").str.strip_chars_end("*"), stemmed=False
    ).str.strip_chars()
    stem = people.haystack(pl.col("form").str.strip_chars_end("*")).str.strip_chars()
    forms = forms.select(
        "person_key",
        free=pl.col("form").str.ends_with("*"),
        nominative=nominative,
        short=stem.str.len_chars() <= SHORT_STEM_LETTERS,
    ).filter(~pl.col("nominative").str.contains(" "))
    regex = pl.lit(None, pl.String)
    for ending, replacements in reversed(_DECLENSIONS):
        body = pl.col("nominative").str.replace(rf"{ending}$", "")
        declined = (
            pl.lit("^") + body + pl.lit(f"(?:{replacements})$")
            if replacements is not None
            else pl.lit("^") + pl.col("nominative") + pl.lit("$")
        )
        regex = (
            pl.when(pl.col("nominative").str.contains(rf"{ending}$"))
            .then(declined)
            .otherwise(regex)
        )
    exact = pl.lit("^") + pl.col("nominative") + pl.lit("$")
    return (
        forms.with_columns(
            form=pl.when(pl.col("free"))
            .then(pl.lit("^") + pl.col("nominative"))
            .when(pl.col("short"))
            .then(exact)
            .otherwise(regex)
        )
        .select("person_key", "form", "free")
        .unique()
        .sort(pl.all())
    )


def _declined_as_written(prep: Prepared, alone: pl.DataFrame) -> pl.DataFrame:
    """Surname hits whose word, as the text writes it (ending and all), is a Russian case form
    of the person's surname; a Latin word, or a person _declined_forms does not know, passes.
    For hits resolved by the channel or by the surname alone: "Мода" is no Modi, even in a
    channel that named him."""
    # (a person with a free stem, "Путин*", takes any ending: only the others' hits are read,
    # the raw words being costly to find)
    forms = _declined_forms()
    free = forms.filter("free").select("person_key")
    checked_persons = forms.join(free, on="person_key", how="anti").drop("free")
    suspects = alone.join(
        checked_persons.select("person_key").unique(), on="person_key", how="semi"
    )
    if suspects.height == 0:
        return alone
    texts = raw_haystacks(prep, suspects)
    words = (
        suspects.select("row", "start")
        .unique()
        .join(texts, on="row")
        .select(
            "row",
            "start",
            word=pl.col("raw")
            .str.extract_all(r"\S+")
            .list.get(words_before(pl.col("start") + 1), null_on_oob=True),
        )
    )
    checked = (
        suspects.select("row", "start", "person_key")
        .unique()
        .join(words, on=["row", "start"])
        .filter(pl.col("word").str.contains(r"^\p{Cyrillic}+$"))
        .join(checked_persons, on="person_key")
        .group_by("row", "start", "person_key")
        .agg(declined=pl.col("word").str.contains(pl.col("form")).any())
    )
    return alone.join(
        checked.filter(~pl.col("declined")).select("row", "start", "person_key"),
        on=["row", "start", "person_key"],
        how="anti",
    )


class Resolved(NamedTuple):
    mentions: pl.DataFrame  # MENTION_SCHEMA
    discovered: pl.DataFrame  # batch, person_key, name, office, country_iso2: on no list


def _dynamic_hits(prep: Prepared, known: pl.DataFrame) -> pl.DataFrame:
    """Full names and surnames of persons discovered (in a post's batch or earlier in the
    channel: `known`, per batch), found in every post: row, sentence, start, end, person_key,
    how."""
    if known.height == 0:
        return pl.DataFrame(
            schema={k: MENTION_SCHEMA[k] for k in ("row", "sentence", "start", "end", "person_key")}
            | {"how": pl.String}
        )
    forms = pl.concat(
        [
            known.select(
                "batch", "person_key", pl.col("name").alias("form"), pl.lit("name").alias("how")
            ),
            known.select(
                "batch",
                "person_key",
                pl.col("name").str.extract(r"(\S+)$").alias("form"),
                pl.lit("surname").alias("how"),
            ),
        ]
    ).unique()
    table = forms.select(
        "batch", _pattern(pl.col("form"), pl.lit(False)).alias("pattern"), "person_key", "how"
    )
    hits = _hits_of_own_patterns(prep, table)
    sentences = pl.concat(
        [
            prep.cased.select("row", "start", "sentence"),
            prep.lowered.select("row", "start", "sentence"),
        ]
    )
    # the sentence of a dynamic hit: that of the nearest hit before it
    hits = (
        hits.sort("row", "start")
        .join_asof(
            sentences.sort("row", "start"),
            on="start",
            by="row",
            strategy="backward",
            check_sortedness=False,
        )
        .with_columns(pl.col("sentence").fill_null(0))
    )
    return hits.join(table, on=["batch", "pattern"]).select(
        "row", "sentence", "start", "end", "person_key", "how"
    )


def _hits_of_own_patterns(prep: Prepared, table: pl.DataFrame) -> pl.DataFrame:
    """_hits of each post with the patterns of its batch (table: batch, pattern), in one pass
    with every batch's patterns where it gives the same: leftmost-longest matching picks the
    same in a post whose every hit is of a pattern its batch has. The other posts (a name a
    later batch discovers, written in an earlier one) are matched again with their batch's."""
    batches = prep.posts.select("row", "batch")
    hits = _hits(prep.posts, "hay", table.select("pattern").unique()).join(
        batches, on="row", maintain_order="left"
    )
    foreign = hits.join(
        table.select("batch", "pattern").unique(), on=["batch", "pattern"], how="anti"
    )
    if foreign.height == 0:
        return hits
    again = foreign.select("row", "batch").unique()
    rematched = []
    for (batch,), rows in again.partition_by("batch", as_dict=True).items():
        own = table.filter(pl.col("batch") == batch).drop_nulls("pattern")
        if own.height:  # (else a batch that knows no one: no hits)
            posts = prep.posts.join(rows.select("row"), on="row")
            rematched.append(_hits(posts, "hay", own.select("pattern")).join(batches, on="row"))
    kept = hits.join(again.select("row"), on="row", how="anti")
    return pl.concat([kept, *rematched], how="vertical_relaxed")


def _discovered_as_seen(known: pl.DataFrame, batches: pl.Series) -> pl.DataFrame:
    """The persons on no list of `known` as each of `batches` sees them: batch, then
    KNOWN_SCHEMA. A row with a batch is known to the batches after it, one without to all; of
    a person named in several batches, each batch knows the name, role and country of the
    first naming it sees (as build.channel_persons merges batches)."""
    unlisted = known.filter(~pl.col("person_key").is_in(people.persons()["person_key"].implode()))
    seen = batches.unique().sort().cast(pl.UInt32).to_frame("batch")
    if "batch" not in unlisted.columns:
        return seen.join(unlisted, how="cross")
    visible = seen.join(
        unlisted.select(*KNOWN_SCHEMA, named_in=pl.col("batch")), how="cross"
    ).filter(pl.col("named_in").is_null() | (pl.col("named_in") < pl.col("batch")))
    return (
        visible.sort("batch", "channel", "person_key", "first_named_at", "name", nulls_last=True)
        .group_by("batch", "channel", "person_key", maintain_order=True)
        .agg(
            pl.col("name").first(),
            pl.col("role").first(),
            pl.col("country_iso2").first(),
            pl.col("first_named_at").min(),
        )
    )


def _one_key_per_person(
    from_titles: pl.DataFrame, known: pl.DataFrame, posts: pl.DataFrame
) -> pl.DataFrame:
    """One key for a person discovered under several spellings: "Карамоко Жан-Мари Траоре"
    (karamoko-zhan-mar-traor) is Karamoko Jean-Marie Traoré of the English channel. Spellings
    of one country with the same consonants throughout are one person, keyed as earlier
    batches knew them, else by the Latin-script spelling, else by the first (per batch)."""
    whole = spelling_skeleton(pl.col("person_key").str.replace_all("-", ""))
    found = (
        from_titles.filter(pl.col("how") == "discovered")
        .join(posts.select("row", "batch"), on="row", maintain_order="left")
        .select(
            "batch",
            "row",
            "start",
            "person_key",
            country=pl.col("title_country"),
            whole=whole,
            rank=pl.when(pl.col("name").str.contains(r"\p{Cyrillic}")).then(2).otherwise(1),
        )
    )
    if found.height == 0:
        return from_titles
    earlier = _discovered_as_seen(known, found["batch"]).select(
        "batch",
        pl.lit(None, pl.UInt32).alias("row"),
        pl.lit(None, pl.Int64).alias("start"),
        "person_key",
        country=pl.col("country_iso2"),
        whole=whole,
        rank=pl.lit(0),
    )
    canonical = (
        pl.concat([found, earlier], how="vertical_relaxed")
        .drop_nulls("country")
        .sort("rank", "row", "start", nulls_last=False)
        .unique(["batch", "country", "whole"], keep="first", maintain_order=True)
        .select("batch", "country", "whole", canonical="person_key")
    )
    keys = found.join(canonical, on=["batch", "country", "whole"]).select(
        "row", "start", "canonical"
    )
    # a Cyrillic spelling still keyed by its own letters is the Latin-script one (or the
    # earlier batches') of the same loose skeleton throughout ("Чве Сон Хи" and "Choe Son
    # Hui" are one), where exactly one such person is
    keyed = found.join(keys, on=["row", "start"]).select(
        "batch", "row", "start", "country", "rank", person_key="canonical"
    )
    spelt = pl.concat([keyed, earlier.select(keyed.columns)], how="vertical_relaxed").drop_nulls(
        "country"
    )
    whole_word = pl.col("person_key").str.replace_all("-", "")
    latin = pl.concat(
        [
            spelt.filter(pl.col("rank") < 2).select(
                "batch", "country", canonical="person_key", loose=loose_skeleton(whole_word, v)
            )
            for v in ("", "latin")
        ]
    ).unique()
    own = keyed.filter(pl.col("rank") == 2).join(
        keyed.filter(pl.col("rank") < 2).select("batch", "country", "person_key").unique(),
        on=["batch", "country", "person_key"],
        how="anti",
    )
    loosely = (
        pl.concat(
            [
                own.select("row", "start", "batch", "country", loose=loose_skeleton(whole_word, v))
                for v in ("", "cyrillic")
            ]
        )
        .filter(pl.col("loose").str.len_chars() >= 3)
        .join(latin, on=["batch", "country", "loose"])
        .select("row", "start", "canonical")
        .unique()
        .filter(pl.col("canonical").n_unique().over("row", "start") == 1)
        .unique(["row", "start"])
    )
    keys = pl.concat(
        [keys.join(loosely.select("row", "start"), on=["row", "start"], how="anti"), loosely]
    )
    return (
        from_titles.join(keys, on=["row", "start"], how="left")
        .with_columns(person_key=pl.coalesce("canonical", "person_key"))
        .drop("canonical")
    )


class Read(NamedTuple):
    """What the posts say before anything is known of other batches (read_names)."""

    from_titles: pl.DataFrame  # title_mentions
    counterparts: pl.DataFrame
    full: pl.DataFrame  # _name_mentions
    surnames: pl.DataFrame


def read_names(prep: Prepared) -> Read:
    """Titles and names of the prepared posts: the half of resolve() that needs no `known`."""
    from_titles, counterparts = title_mentions(prep, titles(prep))
    return Read(from_titles, counterparts, *_name_mentions(prep))


def resolve(
    prep: Prepared, known: pl.DataFrame | None = None, read: Read | None = None
) -> Resolved:
    """Every person mention of the prepared posts, with how it was resolved.

    known: the layer table of persons named per channel (KNOWN_SCHEMA), from other batches; a
    surname or a discovered person's name counts only in posts after first_named_at. read:
    read_names(prep), when resolving the same posts again with another `known`."""
    known = pl.DataFrame(schema=KNOWN_SCHEMA) if known is None else known
    posts = prep.posts.select("row", "batch", "channel", "published_at")
    from_titles, counterparts, full, surnames = read or read_names(prep)
    from_titles = _one_key_per_person(from_titles, known, posts)
    # a name a title introduced is title_name, not name
    full = full.join(
        from_titles.filter(pl.col("how") == "title_name").select("row", "start"),
        on=["row", "start"],
        how="anti",
    )
    discovered_here = from_titles.filter(pl.col("how") == "discovered")
    # a known person found by another spelling of their name: that spelling names them in the
    # channel's later posts (by full name and by surname), as a discovered person's does
    spelt_here = from_titles.filter((pl.col("how") == "title_name") & pl.col("name").is_not_null())
    # hits inside a discovered person's name named someone else
    inside = (
        pl.concat([surnames.select("row", "start"), full.select("row", "start")])
        .join(discovered_here.select("row", d_start="start", d_end="end"), on="row")
        .filter((pl.col("start") >= pl.col("d_start")) & (pl.col("start") < pl.col("d_end")))
        .select("row", "start")
        .unique()
    )
    surnames = surnames.join(inside, on=["row", "start"], how="anti")
    full = full.join(inside, on=["row", "start"], how="anti")
    named = pl.concat([from_titles, full], how="diagonal_relaxed")

    # persons discovered in a batch are known to its later posts of the same channel
    batch_known = (
        pl.concat([discovered_here, spelt_here])
        .join(posts, on="row")
        .group_by("batch", "channel", "person_key")
        .agg(pl.col("name").first(), pl.col("published_at").min().alias("first_named_at"))
    )
    dynamic_known = pl.concat(
        [batch_known, _discovered_as_seen(known, posts["batch"]).select(batch_known.columns)],
        how="vertical_relaxed",
    ).unique(["batch", "channel", "person_key"], keep="first")
    dynamic = _dynamic_hits(prep, dynamic_known)
    dynamic = dynamic.join(posts, on="row").join(
        dynamic_known.select("batch", "channel", "person_key", "first_named_at"),
        on=["batch", "channel", "person_key"],
    )
    # in later posts only (a copy of the same post in another batch must not count)
    dynamic = dynamic.filter(pl.col("published_at") > pl.col("first_named_at"))
    dynamic = dynamic.join(named.select("row", "start"), on=["row", "start"], how="anti")
    dynamic_full = dynamic.filter(pl.col("how") == "name").select(
        "row", "sentence", "start", "end", "person_key", pl.lit("discovered").alias("how")
    )
    dynamic_surnames = dynamic.filter(pl.col("how") == "surname").select(
        "row", "sentence", "start", "end", "person_key"
    )
    surnames = pl.concat([surnames, dynamic_surnames])
    named = pl.concat([named, dynamic_full], how="diagonal_relaxed")
    # a surname hit where a longer mention already stands is no mention of its own
    surnames = (
        surnames.join(named.select("row", n_start="start", n_end="end"), on="row", how="left")
        .filter(
            pl.col("n_start").is_null()
            | ~((pl.col("start") >= pl.col("n_start")) & (pl.col("start") < pl.col("n_end")))
        )
        .group_by(surnames.columns)
        .agg(pl.len().alias("_n"))
        .drop("_n")
    )
    # ... except a full name covering it entirely was counted per start: drop hits any mention
    # covers
    covered = (
        surnames.join(named.select("row", n_start="start", n_end="end"), on="row")
        .filter((pl.col("start") >= pl.col("n_start")) & (pl.col("start") < pl.col("n_end")))
        .select("row", "start")
        .unique()
    )
    surnames = surnames.join(covered, on=["row", "start"], how="anti")
    surnames = _given_name_contradicts(prep, surnames)
    surnames = _named_after(prep, surnames)
    surnames = _first_of_another_name(prep, surnames)
    surnames = _dynasty_of_the_previous(prep, surnames)
    surnames = _article_of_another_language(prep, surnames)
    surnames = _given_name_of_the_next(prep, surnames)

    # surname -> the person named in full in the same post ...
    in_post = surnames.join(named.select("row", "person_key").unique(), on=["row", "person_key"])
    # ... else earlier in the channel (the batch's earlier posts, or the layer table: what
    # the batches before it named) ...
    earlier_batch = (
        named.join(posts, on="row")
        .group_by("batch", "channel", "person_key")
        .agg(pl.col("published_at").min().alias("first_named_at"))
    )
    named_before = known.select(
        "channel",
        "person_key",
        "first_named_at",
        named_in=pl.col("batch") if "batch" in known.columns else pl.lit(None, pl.Int64),
    )
    rest = surnames.join(in_post.select("row", "start"), on=["row", "start"], how="anti")
    candidates = rest.select("row", "start", "person_key").join(posts, on="row")
    earlier = pl.concat(
        [
            candidates.join(earlier_batch, on=["batch", "channel", "person_key"]),
            candidates.join(named_before, on=["channel", "person_key"])
            .filter(pl.col("named_in").is_null() | (pl.col("named_in") < pl.col("batch")))
            .drop("named_in"),
        ],
        how="vertical_relaxed",
    ).filter(pl.col("first_named_at") < pl.col("published_at"))
    in_channel = _declined_as_written(
        prep,
        rest.join(
            earlier.select("row", "start", "person_key").unique(),
            on=["row", "start", "person_key"],
            how="semi",
            maintain_order="left",
        ),
    )
    # ... else the only listed or past leader of that surname
    rest = rest.join(in_channel.select("row", "start"), on=["row", "start"], how="anti")
    alone = _declined_as_written(prep, rest.join(_resolvable_alone(), on="person_key"))
    alone = (
        alone.with_columns(n=pl.col("person_key").n_unique().over("row", "start"))
        .filter(pl.col("n") == 1)
        .drop("n")
    )
    surname_mentions = (
        pl.concat(
            [
                frame.with_columns(priority=pl.lit(n))
                for n, frame in enumerate([in_post, in_channel, alone])
            ]
        )
        .sort("row", "start", "priority", "person_key")
        .unique(["row", "start"], keep="first", maintain_order=True)
        .drop("priority")
    )
    surname_mentions = surname_mentions.with_columns(
        how=pl.lit("surname"), title_country=pl.lit(None, pl.String), name=pl.lit(None, pl.String)
    )
    mentions = pl.concat([named, surname_mentions], how="diagonal_relaxed")
    # counterpart: the office of the sentence's other person (foreign minister or head of
    # state), in the country the title names ("his Dominican counterpart")
    mentions = pl.concat(
        [mentions, _counterparts(prep, counterparts, mentions)], how="diagonal_relaxed"
    )

    countries = pl.concat(
        [
            people.persons().select("person_key", pl.col("country_iso2").alias("person_country")),
        ]
    )
    mentions = mentions.join(countries, on="person_key", how="left").with_columns(
        country_iso2=pl.coalesce("person_country", "title_country")
    )
    mentions = conform_mentions(mentions)
    discovered = (
        discovered_here.join(posts, on="row")
        .sort("published_at", "person_key", "row", "start")
        .group_by("batch", "person_key", maintain_order=True)
        .agg(
            pl.col("name").first(),
            pl.col("office").drop_nulls().first(),
            pl.col("title_country").drop_nulls().mode().sort().first().alias("country_iso2"),
        )
    )
    return Resolved(mentions, discovered)


def _counterparts(
    prep: Prepared, counterparts: pl.DataFrame, mentions: pl.DataFrame
) -> pl.DataFrame:
    """ "his Turkish counterpart" without a name: the holder of the same office as the
    sentence's other person, in the country the title names."""
    if counterparts.height == 0:
        return pl.DataFrame(
            schema={k: v for k, v in MENTION_SCHEMA.items() if k not in ("country_iso2",)}
        )
    scoped = counterparts.filter(pl.col("scope").is_not_null())
    other = mentions.select(
        "row", "sentence", pl.col("person_key").alias("other"), pl.col("start").alias("o_start")
    )
    first = scoped.join(other, on=["row", "sentence"]).filter(pl.col("o_start") < pl.col("t_start"))
    first = first.sort("row", "t_start", "o_start", "other").unique(
        ["row", "t_start"], keep="first", maintain_order=True
    )
    posts = prep.posts.select("row", "date")
    terms = _terms()
    their = (
        first.join(posts, on="row")
        .join(
            terms.select(
                pl.col("person_key").alias("other"),
                pl.col("office").alias("their_office"),
                "start_date",
                "end_date",
            ),
            on="other",
        )
        .filter(
            (pl.col("start_date") <= pl.col("date"))
            & (pl.col("end_date").is_null() | (pl.col("date") < pl.col("end_date")))
        )
    )
    their = (
        their.with_columns(
            rank=pl.col("their_office").replace_strict(
                {"foreign_minister": 0, "head_of_state": 1, "head_of_government": 2}, default=9
            )
        )
        .sort("row", "t_start", "rank", "their_office")
        .unique(["row", "t_start"], keep="first", maintain_order=True)
    )
    queries = their.select(
        "row",
        "sentence",
        "t_start",
        "t_end",
        pl.col("their_office").alias("office"),
        "scope",
        "date",
    )
    answered = holders_on(queries, terms=terms).drop_nulls("person_key")
    return answered.select(
        "row",
        "sentence",
        pl.col("t_start").alias("start"),
        pl.col("t_end").alias("end"),
        "person_key",
        pl.lit("title_date").alias("how"),
        pl.col("scope").alias("title_country"),
        pl.lit(None, pl.String).alias("name"),
    )


def conform_mentions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in MENTION_SCHEMA.items()
        ]
    )


def per_post(mentions: pl.DataFrame) -> pl.DataFrame:
    """(row, person_key) -> resolved_by (the most explicit how), mention_count, first start."""
    rank = pl.col("how").replace_strict(
        {h: i for i, h in enumerate(HOW_ORDER)}, return_dtype=pl.Int8
    )
    return (
        mentions.with_columns(rank=rank)
        .sort("row", "person_key", "rank", "start")
        .group_by("row", "person_key", maintain_order=True)
        .agg(
            pl.col("how").first().alias("resolved_by"),
            pl.len().cast(pl.Int64).alias("mention_count"),
            pl.col("start").min().alias("first_position"),
            pl.col("country_iso2").drop_nulls().first(),
            pl.col("name").drop_nulls().first(),
        )
    )
