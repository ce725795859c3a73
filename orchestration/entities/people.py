"""Everyone the matcher can name: reference leaders, office holders and past leaders, with the
name forms a reader recognises (another script, a transliteration, a Russian case form).

The person index joins three reviewed sources: leaders.yaml (current leaders, their aliases),
the office-holders table (offices/: persons, names in four languages, terms) and
past_leaders.yaml (leaders before the office table's period: Stalin, Churchill, Gromyko...).

Name forms come from rules, not lists:
- the texts and the names pass through one transform, `haystack`: diacritics folded, the
  variation selector of an emoji no longer glued to the next word, Russian case endings cut
  ("Эрдоганом", "Эрдогана" -> "Эрдоган"), punctuation made spaces; so a name matches every case
  form and accent variant of itself;
- Latin transliterations of Russian and other names by language: "ya"/"yu"/"ye" as "ia"/"iu"/
  "ie" (Pashinian, Riabkov), Spanish "kh" as "j" (Kobajidze, Jameneí), French "ch" as "tch" and
  "sh" as "ch", "u" as "ou", "-in" as "-ine" (Viatcheslav Volodine).
"""

from __future__ import annotations

import array
import datetime as dt
from functools import lru_cache

import polars as pl
import yaml

from orchestration.config import REFERENCE_DIR
from orchestration.entities import lexicon, offices
from orchestration.entities.reference import (
    ReferenceDataError,
    known_iso2,
    read_yaml,
    reference_leaders,
)

PAST_LEADERS_FILE = "past_leaders.yaml"
# Soviet leaders carry SU: a state no longer in ISO 3166-1, which adds no country mention.
HISTORICAL_STATES = ("SU",)

# An emoji's variation selector (U+FE0F) and joiners are combining marks: "⚡️Песков" would be
# one word. They are removed with the other marks when the text is folded. Between words: any
# run of what is neither letter, digit nor $ (spaces and punctuation alike).
WORD_GAP_RE = r"[^\p{L}\p{N}$]+"
# Russian case endings cut from Cyrillic words of four letters and more (nominative stays
# whole: "Лавров" keeps its "ов", so "Лаврова"/"Лавровым" become "Лавров"). The shortest stem
# that leaves exactly one ending is taken, the same way for texts and names.
RU_ENDINGS = "|".join(
    "ого его ому ему ами ями ом ем ой ей ым им ых их ую юю ая яя ое ее ые ие ам ям ах ях "
    # (the folding takes the breve off "й" before the stemming: "-ой" and "-ый" arrive as
    # "-ои" and "-ыи", "Захаровой" as "Захаровои"; "-ей" and "-ий" stay whole, as in the
    # nominative of Сергей and Дмитрий, whose other cases keep the "е" and "и")
    "ои ыи "
    "а я у ю е и ы ь".split()
)
# Matched in the haystack with every space doubled: a word is bounded by spaces
# (one on each side, so adjacent words both match), which the regex engine's fast automaton
# handles; a Unicode \b would send it to its slow engine on any non-ASCII text.
RU_STEM_RE = rf" (\p{{Cyrillic}}{{3,}}?)(?:{RU_ENDINGS}) "
# A sentence break, kept in the haystack as a word of its own (a letter no text here uses).
SENTENCE_MARK = "ǂ"
# The colon of a line that opens with its speaker ("Maria Zakharova: ...", "💬 President Putin:
# ..."), kept as a word of its own before a sentence break: what follows is what was said.
COLON_MARK = "ǁ"
HEADING_COLON_RE = r"(?m)^([^:\n]{1,120}):(\s)"
# A question's end, where SENTENCE_END_RE or ACRONYM_STOP_RE would put the mark.
QUESTION_END_RE = r"(\p{Ll}{2}|\p{Lu}{2}|\p{N}|[)»\"”])[.!…]*\?[.!?…]*(\s+|$)"
SENTENCE_END_RE = r"(\p{Ll}{2}|\p{N}|[)»\"”])[.!?…]+(\s+|$)|\n+"
# An acronym ends a sentence when a capital opens the next ("в КНДР. В Вонсане", "en RPDC. À
# Wonsan"); "EE.UU. sigue" and "U.S. President" go on.
ACRONYM_END_RE = r"(\p{Lu}{2})\.\s+(\p{Lu})"
# A question or exclamation mark ends a sentence after an acronym too ("на саммите БРИКС? Нет").
ACRONYM_STOP_RE = r"(\p{Lu}{2})[?!][.!?…]*(\s+|$)"
# A two-letter name word ends a sentence too when a capital opens the next ("with Wang Yi.
# Lavrov noted", "President Xi. The talks"); the honorifics' and abbreviations' periods ("Mr.
# Lavrov", "St. Petersburg") are dropped first.
ABBREVIATION_RE = r"(^|\s)(Mr|Dr|St|Ms|Jr|Sr|Mt|Av|Sa|Gr)\."
NAME_END_RE = r"(\s\p{Lu}\p{Ll})\.\s+(\p{Lu})"


def marked_sentences(text: pl.Expr, question_flag: str | None = None) -> pl.Expr:
    """The text with SENTENCE_MARK after each sentence's end (and a heading colon's
    COLON_MARK), as haystack(sentences=True) cuts it. With ``question_flag``, the mark of a
    question's end is followed by the flag: the next piece opens with it."""
    text = text.str.replace_all(HEADING_COLON_RE, f"$1 {COLON_MARK} {SENTENCE_MARK}$2")
    text = text.str.replace_all(ACRONYM_END_RE, f"$1 {SENTENCE_MARK} $2")
    if question_flag is not None:
        text = text.str.replace_all(QUESTION_END_RE, f"$1 {SENTENCE_MARK}{question_flag} ")
    return (
        text.str.replace_all(ACRONYM_STOP_RE, f"$1 {SENTENCE_MARK}$2")
        .str.replace_all(ABBREVIATION_RE, "$1$2")
        .str.replace_all(NAME_END_RE, f"$1 {SENTENCE_MARK} $2")
        .str.replace_all(SENTENCE_END_RE, f"$1 {SENTENCE_MARK} ")
    )


def haystack(
    text: pl.Expr,
    sentences: bool = False,
    doubled: bool = False,
    stemmed: bool = True,
    many_rows: bool = False,
) -> pl.Expr:
    """The form texts and names are matched in: folded, stemmed, padded single-spaced words.

    With ``sentences``, each sentence end becomes the word SENTENCE_MARK (texts only). With
    ``doubled``, every space is doubled (the form the resolver's patterns match in), which the
    stemming works in anyway. ``many_rows`` (a batch's texts, FOLD_TABLE_MIN_ROWS and more)
    gives the same result by _fold_table's steps: about 30 ms to set up, then half the
    cost per row."""
    if sentences:
        text = marked_sentences(text)
    # every run of separators and spaces becomes two spaces: the stemming needs each word
    # bounded by a space of its own (an empty text is four spaces)
    if many_rows:
        # the same in steps that match rarely, rather than one regex match per space: the
        # folding (which also makes the ASCII separators single spaces), any other separator
        # run a space, space runs one space, and each space doubled
        src, dst = _fold_table()
        words = (
            text.str.replace_many(src, dst)
            .str.replace_all(NON_ASCII_GAP_RE, " ")
            .str.replace_all(" {2,}", " ")
            .str.replace_all(" ", "  ", literal=True)
        )
    else:
        folded = text.str.normalize("NFKD").str.replace_all(r"\p{M}", "")
        words = folded.str.replace_all(WORD_GAP_RE, "  ")
    words = words.str.strip_chars(" ")
    padded = pl.lit("  ") + words + pl.lit("  ")
    # (unstemmed, the same words in the same order: events.py reads a word's case ending there)
    out = padded.str.replace_all(RU_STEM_RE, " $1 ") if stemmed else padded
    return out if doubled else out.str.replace_all("  ", " ", literal=True)


# From how many rows haystack(many_rows=True) pays for building its automaton.
FOLD_TABLE_MIN_ROWS = 5_000
# What is left of the separators once _fold_table made the ASCII ones spaces.
NON_ASCII_GAP_RE = r"[^\p{L}\p{N}$ ]+"
_ASCII_GAP_RE = r"[\x00-\x7F&&[^A-Za-z0-9$]]"


@lru_cache(maxsize=1)
def _fold_table() -> tuple[pl.Series, pl.Series]:
    """(characters, what each becomes): every character that NFKD with the combining marks
    stripped changes, with ASCII separators (the folded forms' too) made single spaces.

    One Aho-Corasick replacement with this table gives what ``str.normalize("NFKD")`` then
    removing ``\\p{M}`` gives, at a fifth of the cost per row (building its automaton of
    ~20,000 patterns takes ~30 ms a call): NFKD decomposes each character on its
    own, and the canonical reordering it then does only moves characters of non-zero combining
    class, all of them marks, which the stripping removes. Derived with Polars' own NFKD and
    regex tables over every code point (about 0.2 s, once per process), so the two agree on
    every Unicode version."""
    typecode = next(t for t in "IL" if array.array(t).itemsize == 4)
    code_points = array.array(typecode, range(0xD800))
    code_points.extend(range(0xE000, 0x110000))  # (no surrogates)
    chars = pl.Series([code_points.tobytes().decode("utf-32-le")]).str.split("").explode()
    folded = (
        chars.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.replace_all(_ASCII_GAP_RE, " ")
    )
    changed = (chars != folded) & (chars != " ")
    return chars.filter(changed).implode(), folded.filter(changed).implode()


def hay_of(values: list[str]) -> list[str]:
    """haystack() of plain strings (for patterns built in Python)."""
    return list(_hay_of(tuple(values)))


@lru_cache(maxsize=64)
def _hay_of(values: tuple[str, ...]) -> tuple[str, ...]:
    # (the lexicon's word lists are folded again by every batch otherwise: ~30 ms a call)
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return tuple(frame.select(haystack(pl.col("v")).alias("v"))["v"].to_list())


@lru_cache(maxsize=64)
def phrase_alternatives(phrases: tuple[str, ...], lower: bool = True) -> str:
    """The phrases folded as the haystack is (hay_of), as regex alternatives for a
    `(?:...)` group: spaces match any run of whitespace, longest first, each once."""
    folded = {p.strip().lower() if lower else p.strip() for p in hay_of(list(phrases))}
    return "|".join(p.replace(" ", r"\s+") for p in sorted(folded, key=len, reverse=True))


# Countries whose names put the family name first.
FAMILY_NAME_FIRST = ("CN", "TW", "KP", "KR", "VN")
# Countries whose two-word names are written in either order (Japanese, Mongolian).
EITHER_ORDER = ("JP", "MN")


# Latin transliteration variants by rule: (language, from, to), applied to the lower-cased
# folded name one rule at a time and all together.
TRANSLITERATIONS = (
    ("en", "ya", "ia"),
    ("en", "yu", "iu"),
    ("en", "ye", "ie"),
    ("en", "iy", "i"),
    ("en", "yo", "io"),
    ("en", "ey", "ei"),
    ("es", "kh", "j"),
    ("es", "zh", "y"),
    ("es", "shch", "sch"),
    ("es", "ya", "ia"),
    ("es", "yo", "io"),
    ("es", "ey", "ei"),
    ("es", "y ", "i "),
    ("fr", "sh", "ch"),
    ("fr", "ch", "tch"),
    ("fr", "zh", "j"),
    ("fr", "ya", "ia"),
    ("fr", "yo", "io"),
    ("fr", "ye", "ie"),
    ("fr", "ey", "ei"),
    ("fr", "u", "ou"),
    ("fr", "in ", "ine "),
)


def _variants(name: str) -> set[str]:
    """Transliteration variants of a Latin name (as written: case kept on the first letters)."""
    if not name.isascii() or len(name) < 4:
        return set()
    out = set()
    padded = name + " "
    for lang in ("en", "es", "fr"):
        rules = [(a, b) for rule_lang, a, b in TRANSLITERATIONS if rule_lang == lang]
        # French "ch" stands for English "sh": "ch" -> "tch" must run before "sh" -> "ch"
        rules.sort(key=lambda rule: rule[0] != "ch")
        every = padded
        for a, b in rules:
            lowered = padded.lower()
            if a in lowered:
                out.add(_recase(name, lowered.replace(a, b).strip()))
            every = every.lower().replace(a, b)
        out.add(_recase(name, every.strip()))
    out |= {v.replace("ii", "i") for v in out}
    out.discard(name)
    return {v for v in out if v}


def _recase(original: str, lowered: str) -> str:
    """Capitalise each word of ``lowered`` where the original's words are capitalised."""
    words = lowered.split(" ")
    capitalised = [w[:1].isupper() for w in original.split(" ")]
    if len(capitalised) != len(words):
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return " ".join(
        w[:1].upper() + w[1:] if cap else w for w, cap in zip(words, capitalised, strict=True)
    )


@lru_cache(maxsize=1)
def past_leaders() -> list[dict]:
    path = REFERENCE_DIR / PAST_LEADERS_FILE
    try:
        records = read_yaml(path)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}: invalid YAML: {exc}") from exc
    known = known_iso2() | set(HISTORICAL_STATES)
    for position, record in enumerate(records):
        where = f"{path}: person #{position} ({record.get('person_key')})"
        for field in ("person_key", "name", "country_iso2", "terms"):
            if not record.get(field):
                raise ReferenceDataError(f"{where}: {field} is required")
        if record["country_iso2"] not in known:
            raise ReferenceDataError(f"{where}: unknown country_iso2 {record['country_iso2']!r}")
        for term in record["terms"]:
            if term.get("office") not in offices.OFFICES:
                raise ReferenceDataError(f"{where}: office not in {offices.OFFICES}")
            for key in ("start_date", "end_date"):
                if not isinstance(term.get(key), dt.date):
                    raise ReferenceDataError(f"{where}: {key} must be a YYYY-MM-DD date")
    return records


@lru_cache(maxsize=1)
def office_terms() -> pl.DataFrame:
    """Every term: the office table's and the past leaders', with a `source` saying which.

    person_key, office, country_iso2, org_code, title_en, start_date, end_date, source."""
    table = offices.office_holders()["terms"].select(
        "person_key",
        "office",
        "country_iso2",
        "org_code",
        "title_en",
        "start_date",
        "end_date",
        pl.lit("offices").alias("source"),
    )
    past = pl.DataFrame(
        [
            {
                "person_key": person["person_key"],
                "office": term["office"],
                "country_iso2": person["country_iso2"],
                "org_code": None,
                "title_en": term.get("title_en") or person.get("role") or term["office"],
                "start_date": term["start_date"],
                "end_date": term["end_date"],
                "source": "past_leaders",
            }
            for person in past_leaders()
            for term in person["terms"]
        ],
        schema=table.schema,
    )
    return pl.concat([table, past])


@lru_cache(maxsize=1)
def persons() -> pl.DataFrame:
    """One row per person: person_key, name, role, country_iso2 (SU for Soviet leaders),
    listed (on leaders.yaml: the leaders these channels name most)."""
    listed = reference_leaders().select(
        pl.col("leader_key").alias("person_key"), "name", "role", "country_iso2", listed=True
    )
    # a person's country is that of their latest term; of terms begun together, not a shared
    # office's (the President of France is also a co-prince of Andorra)
    shared = offices.shared_offices().select(
        pl.col("scope").alias("country_iso2"), "office", shared=pl.lit(True)
    )
    terms = (
        office_terms()
        .join(shared, on=["country_iso2", "office"], how="left")
        .with_columns(pl.col("shared").fill_null(False))
    )
    latest = (
        terms.sort(["start_date", "shared"], descending=[True, False])
        .group_by("person_key", maintain_order=True)
        .agg(
            pl.col("title_en").first().alias("role"),
            pl.col("country_iso2").drop_nulls().first(),
        )
    )
    held = offices.office_holders()["persons"].select("person_key", "name")
    past = pl.DataFrame(
        [{"person_key": p["person_key"], "name": p["name"]} for p in past_leaders()]
    )
    others = (
        pl.concat([held, past])
        .unique("person_key", keep="first", maintain_order=True)
        .join(listed.select("person_key"), on="person_key", how="anti")
        .join(latest, on="person_key", how="left")
        .with_columns(listed=False)
    )
    return pl.concat([listed, others.select(listed.columns)])


@lru_cache(maxsize=1)
def name_forms() -> pl.DataFrame:
    """Every name form of every person: person_key, form (as written, '*' stems kept), kind.

    kind: "name" (the full name in the reference spelling), "alias" (another full form),
    "surname" (one word: a surname or a name used alone). Forms of several people are kept:
    resolution decides between them.
    """
    rows: list[tuple[str, str, str]] = []
    for leader in reference_leaders().iter_rows(named=True):
        rows.append((leader["leader_key"], leader["name"], "name"))
        rows += [(leader["leader_key"], alias, "alias") for alias in leader["aliases"][1:]]
    names = offices.office_holders()["names"].filter(~pl.col("ambiguous"))
    held = offices.office_holders()["persons"]
    rows += [(k, n, "name") for k, n in held.select("person_key", "name").iter_rows()]
    rows += [(k, a, "alias") for k, a in names.select("person_key", "alias").iter_rows()]
    for person in past_leaders():
        rows.append((person["person_key"], person["name"], "name"))
        rows += [(person["person_key"], alias, "alias") for alias in person.get("aliases", [])]
    forms = pl.DataFrame(rows, schema=["person_key", "form", "kind"], orient="row")
    forms = forms.with_columns(pl.col("form").str.replace(r"^(President|Mr\.?|Mrs\.?) ", ""))
    full = forms.filter(pl.col("form").str.contains(" "))
    # the last word of a full name is its surname; given names stay out (Abbas Araghchi is not
    # Mahmoud Abbas)
    # ... except a last word a shorter full form of the person leaves out: in "Roberto Álvarez
    # Gil" beside "Roberto Álvarez", "Gil" is the second (mother's) surname of the Spanish
    # custom, by which no one names him alone
    extended = (
        full.select("person_key", short="form")
        .join(full.select("person_key", "form"), on="person_key")
        .filter(pl.col("form").str.starts_with(pl.col("short") + pl.lit(" ")))
        .select("person_key", "form")
        .unique()
    )
    surnames = (
        full.filter(~pl.col("form").str.contains(r"\.$"))
        .join(extended, on=["person_key", "form"], how="anti")
        .select(
            "person_key",
            pl.col("form").str.extract(r"(\S+)$").alias("form"),
            pl.lit("surname").alias("kind"),
        )
    )
    # family name first (China, the Koreas, Vietnam): the first word is the surname too
    # ("President Xi", "Chairman Kim", "Premier Li"); a two-letter one only for a listed
    # leader, whom a surname alone may name
    countries = persons().select("person_key", "country_iso2", "listed")
    family_first = (
        full.join(countries, on="person_key")
        .filter(pl.col("country_iso2").is_in(list(FAMILY_NAME_FIRST)))
        .select(
            "person_key",
            pl.col("form").str.extract(r"^(\S+)").alias("form"),
            pl.lit("surname").alias("kind"),
            "listed",
        )
    )
    short_family = family_first.filter(
        pl.col("listed") & (pl.col("form").str.len_chars() == 2)
    ).drop("listed")
    surnames = pl.concat([surnames, family_first.drop("listed")])
    # the order in which a name is also written ("Ishiba Shigeru", "Khurelsukh Ukhnaa")
    reversed_order = (
        full.join(countries, on="person_key")
        .filter(
            pl.col("country_iso2").is_in(list(EITHER_ORDER))
            & (pl.col("form").str.count_matches(" ") == 1)
        )
        .select(
            "person_key",
            pl.col("form").str.replace(r"^(\S+) (\S+)$", "$2 $1"),
            pl.lit("alias").alias("kind"),
        )
    )
    full = pl.concat([full, reversed_order])
    single = forms.filter(~pl.col("form").str.contains(" ")).with_columns(kind=pl.lit("surname"))
    latin_full = full.filter(pl.col("form").str.contains(r"^[\x00-\x7F]+$"))
    variants = [
        (key, variant, "alias")
        for key, form in latin_full.select("person_key", "form").iter_rows()
        for variant in _variants(form)
    ]
    latin_single = pl.concat([single, surnames]).filter(
        pl.col("form").str.contains(r"^[\x00-\x7F]+$")
    )
    variants += [
        (key, variant, "surname")
        for key, form in latin_single.select("person_key", "form").iter_rows()
        for variant in _variants(form)
    ]
    generated = pl.DataFrame(variants, schema=["person_key", "form", "kind"], orient="row")
    every = pl.concat(
        [
            pl.concat([full, single, surnames, generated]).filter(
                pl.col("form").str.strip_chars("*").str.len_chars() >= 3
            ),
            short_family,
        ]
    ).unique(["person_key", "form", "kind"], maintain_order=True)
    # a function word names no one alone ("Son homologue", "To this end")
    folded = pl.col("form").str.strip_chars("*").str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    function_words = list(lexicon.FUNCTION_WORDS)
    return every.filter(~((pl.col("kind") == "surname") & folded.is_in(function_words)))
