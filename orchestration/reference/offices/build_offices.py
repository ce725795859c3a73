"""Build the office-holders table (persons.csv, names.csv, terms.csv) from its raw inputs.

    .venv/bin/python orchestration/reference/offices/build_offices.py \
        --wikidata-extract /path/to/cfmessias+geografia/repo    # or its data/leaders_history.csv

Inputs:
- a Wikidata extract of heads of state and government (P35/P6 and the country's office items,
  with P580/P582 qualifiers), as the public repository cfmessias/geografia keeps it in
  data/leaders_history.csv (Wikidata is CC0; its labels are Portuguese where one exists). It is
  read from the path given, never copied here. Without --wikidata-extract the rows drawn from
  it last time are kept from terms.csv, so manual edits can be rebuilt without the snapshot.
- inputs/people.yaml: reviewed persons, names and aliases in en/ru/es/fr;
- inputs/terms.csv: reviewed terms, added to the extract's; for a (country, office) listed in
  inputs/reviewed_series.csv (with its reason) they replace the extract's series entirely;
- inputs/names.csv: Russian names (and other spellings) of people the other inputs name in
  English only;
- inputs/foreign_ministers.csv: reviewed series of ministers for foreign affairs, one row per
  term in order of succession, with each person's names in Russian (and Spanish or French
  spellings where they differ); a term without an end lasts until the next row's start; a
  row without a source is the reviewer's (MANUAL_SOURCE);
- optionally, snapshots of Wikidata's and Wikipedia's current foreign ministers (2022) kept by
  the public repository every-politician-scrapers/world (sources/foreign/), given with
  --everypolitician: every version of them is checked against the series above, persons get
  their Wikidata ids, and disagreements are listed in CONFLICTS.md;
- inputs/extract_fixes.csv: rows of the extract dropped or corrected, each with its reason;
- inputs/titles.csv: titles in the four languages by country (or organisation) and office;
- ../leaders.yaml (read only): aliases of the reference leaders, joined by name.

The extract is noisy (acting holders, fictional presidents, year-precision dates, terms with
no end). What this script resolves by rule it says in the row's note; what it cannot (two
holders at once that are not declared shared) it leaves out and lists in CONFLICTS.md, so the
table never carries a silent guess. It ends by loading the result through the validator and
writing COVERAGE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import polars as pl
import pycountry
import yaml
from slugify import slugify

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from orchestration.entities import offices  # noqa: E402

INPUTS = HERE / "inputs"
LEADERS_YAML = HERE.parent / "leaders.yaml"
EXTRACT_SOURCE = "wikidata via cfmessias/geografia data/leaders_history.csv"
# The snapshot the committed table was built from (its data/leaders_history.csv of 2025-10-03).
EXTRACT_COMMIT = "2e1e3b9cf6bff86186ae26376a2deafdbd9c67e3"
EXTRACT_PATH = "data/leaders_history.csv"
EXTRACT_ROLES = {"head_of_state": "head_of_state", "head_of_government": "head_of_government"}
# Overlaps of up to this many days between consecutive holders are how sources write a
# handover (the outgoing holder's last day); longer ones are conflicts for review.
HANDOVER_SLACK_DAYS = 7
LEADERS_ALIAS_SOURCE = (
    "leaders.yaml (languages not recorded there: Latin-script aliases listed under en, es and fr)"
)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
FOREIGN_MINISTERS_FILE = "foreign_ministers.csv"
# The source of a row of inputs/foreign_ministers.csv whose source column is empty.
MANUAL_SOURCE = (
    "manual: public record as recalled by the reviewer; not checked against a document here"
)
FM_NAMES_SOURCE = "manual: inputs/foreign_ministers.csv"
FM_SHORT_SOURCE = "manual: surname alias by rule from inputs/foreign_ministers.csv or names.csv"
EP_REPO = "every-politician-scrapers/world"
EP_FILES = {
    "sources/foreign/wikidata.csv": "Wikidata (CC0)",
    "sources/foreign/scraped.csv": "Wikipedia, List of current foreign ministers (CC BY-SA)",
}
CONFLICTS_FM_HEADING = "# Foreign ministers: the reviewed series against the 2022 snapshots"


def iso3_to_iso2(iso3: str) -> str | None:
    if iso3 == "XKX":
        return "XK"
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


def person_key(name: str) -> str:
    """Slug of the canonical English name: ASCII, lower case, hyphens (vladimir-putin)."""
    return slugify(unicodedata.normalize("NFC", name), separator="-")


def read_extract(path: Path) -> pl.DataFrame:
    """The extract's rows that touch 2000 onwards, in the table's terms."""
    if path.is_dir() and (path / "data" / "leaders_history.csv").exists():
        path = path / "data" / "leaders_history.csv"
    if path.is_dir():  # a mirrored snapshot is a git directory without a work tree
        data = subprocess.run(
            ["git", "--git-dir", str(path), "show", f"{EXTRACT_COMMIT}:{EXTRACT_PATH}"],
            check=True,
            capture_output=True,
        ).stdout
        raw = pl.read_csv(io.BytesIO(data), infer_schema=False)
    else:
        raw = pl.read_csv(path, infer_schema=False)
    scope = offices.scope()["iso2"]
    return (
        raw.with_columns(
            country_iso2=pl.col("iso3").map_elements(iso3_to_iso2, return_dtype=pl.String),
            office=pl.col("role").replace_strict(EXTRACT_ROLES, default=None),
            start_date=pl.col("start").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            end_date=pl.col("end").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            end_raw=pl.col("end"),
        )
        # rows without a start are fictional or undated (the extract's class fallback brings in
        # fictional presidents); an end that is no date (a URL) is an error of the source
        .filter(pl.col("start_date").is_not_null() & pl.col("office").is_not_null())
        .filter(pl.col("end_raw").is_null() | pl.col("end_date").is_not_null())
        .filter(pl.col("end_date").is_null() | (pl.col("end_date") >= dt.date(2000, 1, 1)))
        .filter(pl.col("start_date") <= offices.COVERAGE_END)
        .filter(pl.col("country_iso2").is_in(scope.implode()))
        .select(
            "country_iso2",
            "office",
            "iso3",
            label="person",
            person_qid="person_qid",
            start_date="start_date",
            end_date="end_date",
        )
        .unique()
    )


def apply_fixes(extract: pl.DataFrame) -> pl.DataFrame:
    """inputs/extract_fixes.csv: drop a row, or set its start or end, with the reason noted."""
    fixes = pl.read_csv(INPUTS / "extract_fixes.csv", infer_schema=False)
    extract = extract.with_columns(note=pl.lit(None, pl.String))
    for fix in fixes.iter_rows(named=True):
        match = (
            (pl.col("person_qid") == fix["person_qid"])
            & (pl.col("iso3") == fix["iso3"])
            & (pl.col("office") == fix["office"])
        )
        if fix["start"]:
            match &= pl.col("start_date") == dt.date.fromisoformat(fix["start"])
        if extract.filter(match).height == 0:
            raise SystemExit(f"extract_fixes.csv: no extract row matches {fix}")
        if fix["action"] == "drop":
            extract = extract.filter(~match)
            continue
        column = {"set_end": "end_date", "set_start": "start_date"}[fix["action"]]
        value = dt.date.fromisoformat(fix["value"]) if fix["value"] else None
        extract = extract.with_columns(
            pl.when(match).then(pl.lit(value, pl.Date)).otherwise(pl.col(column)).alias(column),
            pl.when(match)
            .then(pl.lit(f"{column} corrected by review: {fix['reason']}"))
            .otherwise(pl.col("note"))
            .alias("note"),
        )
    return extract


def resolve_series(extract: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """Merge repeated terms of one person, close open terms at the successor's start, and set
    aside what still overlaps. Offline, a few thousand rows: plain Python is clearest here."""
    shared = {
        (r["scope"], r["office"]): r["max_holders"]
        for r in offices.shared_offices().iter_rows(named=True)
    }
    kept, conflicts = [], []
    for (iso2, office), group in extract.group_by("country_iso2", "office"):
        # the person's id breaks ties, so that a rebuild keeps the same rows
        rows = sorted(
            group.to_dicts(),
            key=lambda r: (r["start_date"], r["end_date"] or dt.date.max, r["person_qid"]),
        )
        if (iso2, office) in shared:
            continue  # several holders at once: only reviewed terms (inputs/terms.csv) say who
        # the same person twice with overlapping or touching dates: one term
        merged: list[dict] = []
        for row in rows:
            same = next(
                (
                    m
                    for m in merged
                    if m["person_qid"] == row["person_qid"]
                    and (m["end_date"] is None or m["end_date"] >= row["start_date"])
                ),
                None,
            )
            if same is None:
                merged.append(dict(row))
                continue
            if same["end_date"] is not None and (
                row["end_date"] is None or row["end_date"] > same["end_date"]
            ):
                same["end_date"] = row["end_date"]
        merged.sort(key=lambda r: r["start_date"])
        series: list[dict] = []
        for row in merged:
            if series:
                prev = series[-1]
                prev_end = prev["end_date"] or dt.date.max
                if prev_end > row["start_date"]:
                    overlap = (
                        min(prev_end, row["end_date"] or dt.date.max) - row["start_date"]
                    ).days
                    if prev["end_date"] is None:
                        prev["end_date"] = row["start_date"]
                        prev["note"] = _add(
                            prev.get("note"),
                            "end date inferred from the successor's start (the source has none)",
                        )
                    elif overlap <= HANDOVER_SLACK_DAYS:
                        prev["end_date"] = row["start_date"]
                        prev["note"] = _add(
                            prev.get("note"),
                            f"the source overlaps the successor by {overlap} days; "
                            "end set to the successor's start",
                        )
                    elif (
                        (row["start_date"].month, row["start_date"].day) == (1, 1)
                        and prev["end_date"] - row["start_date"] <= dt.timedelta(days=366)
                        and (row["end_date"] is None or row["end_date"] > prev["end_date"])
                    ):
                        # Wikidata writes a start known only to the year as 1 January
                        row["start_date"] = prev["end_date"]
                        row["note"] = _add(
                            row.get("note"),
                            "the source gives 1 January (a year-precision date); start set to "
                            "the predecessor's end",
                        )
                    else:
                        conflicts.append(
                            {"kept": dict(prev), "left_out": dict(row), "overlap_days": overlap}
                        )
                        continue
            series.append(row)
        kept.extend(series)
    return pl.DataFrame(kept, schema=extract.schema), conflicts


def _add(note: str | None, text: str) -> str:
    return f"{note}; {text}" if note else text


FM_COLUMNS = [
    "country_iso2",
    "person_key",
    "name",
    "name_ru",
    "start_date",
    "end_date",
    "note",
    "short",
    "short_ru",
    "other_names",
    "source",
]


def read_foreign_ministers() -> pl.DataFrame:
    """inputs/foreign_ministers.csv in the shape of inputs/terms.csv, plus the name columns.

    Rows of a country are in order of succession; a term without an end lasts until the next
    row's start (the handover day), and the last one without an end is in office. A row out of
    order or a date that is no date stops the build with the line named."""
    path = INPUTS / FOREIGN_MINISTERS_FILE
    raw = pl.read_csv(path, infer_schema=False)
    missing = [c for c in FM_COLUMNS if c not in raw.columns]
    if missing:
        raise SystemExit(f"{path}: missing columns {missing}")
    rows = raw.select(
        pl.int_range(2, pl.len() + 2).alias("line"),
        *[pl.col(c).str.strip_chars().replace("", None).alias(c) for c in FM_COLUMNS],
    )
    for column in ("country_iso2", "name", "name_ru", "start_date"):
        bad = rows.filter(pl.col(column).is_null())
        if bad.height:
            raise SystemExit(f"{path}: line {bad['line'][0]}: {column} is required")
    parsed = rows.with_columns(
        pl.col("start_date").str.to_date("%Y-%m-%d", strict=False).alias("start"),
        pl.col("end_date").str.to_date("%Y-%m-%d", strict=False).alias("end"),
    )
    bad = parsed.filter(
        pl.col("start").is_null() | (pl.col("end_date").is_not_null() & pl.col("end").is_null())
    )
    if bad.height:
        raise SystemExit(f"{path}: line {bad['line'][0]}: a date is not YYYY-MM-DD")
    parsed = parsed.with_columns(
        pl.coalesce(
            "person_key",
            pl.col("name").map_elements(person_key, return_dtype=pl.String),
        ).alias("person_key"),
        next_start=pl.col("start").shift(-1).over("country_iso2"),
        previous_start=pl.col("start").shift(1).over("country_iso2"),
    )
    bad = parsed.filter(pl.col("start") < pl.col("previous_start"))
    if bad.height:
        raise SystemExit(
            f"{path}: line {bad['line'][0]}: rows of {bad['country_iso2'][0]} are not in order of "
            "succession (a start before the previous row's)"
        )
    return parsed.select(
        "line",
        "person_key",
        "name",
        "name_ru",
        "short",
        "short_ru",
        "other_names",
        office=pl.lit("foreign_minister"),
        country_iso2="country_iso2",
        org_code=pl.lit(None, pl.String),
        start_date="start",
        end_date=pl.coalesce("end", "next_start"),
        source=pl.coalesce("source", pl.lit(MANUAL_SOURCE)),
        note="note",
    )


RU_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


def long_stem(stem: str) -> bool:
    """Four letters or more, a soft or hard sign not counted ("Бань" is three)."""
    return len(stem.rstrip("ьЬъЪ")) >= 4


def russian_stem(word: str) -> str | None:
    """The alias that matches a Russian surname in every case: a stem with `*` where the word
    declines (Лавров*, Бурит* for Бурита, Сикорск* for Сикорский), the word itself where it
    does not (Шукри, Чавушоглу); none where the stem would be too short to be safe (Ли, Ван)."""
    last = word[-1].lower()
    if word[-2:].lower() in ("ий", "ый", "ой", "ая"):  # adjectival: Сикорский, Сикорского
        stem = word[:-2]
        return stem + "*" if long_stem(stem) else None
    if last in RU_CONSONANTS:
        return word + "*" if long_stem(word) else None
    if last in "айяь":
        stem = word[:-1]
        return stem + "*" if long_stem(stem) else None
    return word if len(word) >= 4 else None


def short_forms(row: dict) -> dict[str, list[str]]:
    """Surname aliases of a foreign minister by language: the `short` and `short_ru` columns
    (several separated by `;`, `-` for none), else the last word of the name by rule."""
    out: dict[str, list[str]] = {}
    latin = row["short"]
    if latin is None:
        words = row["name"].split()
        latin = words[-1] if len(words) > 1 and len(words[-1]) >= 4 else "-"
    if latin != "-":
        for lang in latin_langs():
            out[lang] = [a.strip() for a in latin.split(";") if a.strip()]
    russian = row["short_ru"]
    if russian is None:
        words = row["name_ru"].split()
        russian = (russian_stem(words[-1]) if len(words) > 1 else None) or "-"
    if russian != "-":
        out["ru"] = [a.strip() for a in russian.split(";") if a.strip()]
    return out


def foreign_minister_people(
    fm: pl.DataFrame, people: list[dict], qids: dict[str, str], leaders: dict
) -> tuple[list[dict], list[dict]]:
    """People of inputs/foreign_ministers.csv as people.yaml entries (names in the four
    languages; people.yaml's own entries are extended, not repeated), and their short forms."""
    by_key = {p["person_key"]: p for p in people}
    leader_by_key = {r["leader_key"]: r for r in leaders.values()}
    new, shorts = [], []
    for row in fm.unique("person_key", keep="first", maintain_order=True).iter_rows(named=True):
        key = row["person_key"]
        names: dict[str, list[str]] = {"en": [], "ru": [row["name_ru"]], "latin": []}
        for item in (row["other_names"] or "").split(";"):
            if not item.strip():
                continue
            lang, _, alias = item.partition(":")
            if lang.strip() not in (*offices.LANGUAGES, "latin") or not alias.strip():
                raise SystemExit(f"{FOREIGN_MINISTERS_FILE}: bad other_names item {item!r}")
            names.setdefault(lang.strip(), []).append(alias.strip())
        names["latin"].insert(0, row["name"])
        for lang, aliases in short_forms(row).items():
            shorts.extend({"person_key": key, "lang": lang, "alias": a} for a in aliases)
        person = by_key.get(key)
        if person is not None:  # described in people.yaml (or leaders.yaml): add the names
            merged = dict(person.get("names") or {})
            for lang, aliases in names.items():
                merged[lang] = [*(merged.get(lang) or []), *aliases]
            person["names"] = merged
            continue
        person = {
            "person_key": key,
            "name": row["name"],
            "wikidata": qids.get(key),
            "names": names,
            "source": FM_NAMES_SOURCE,
            "names_source": FM_NAMES_SOURCE,
        }
        record = leader_by_key.get(key)
        if record is not None:
            person["leader_aliases"] = [record["name"], *(record.get("aliases") or [])]
            person["source"] = f"{FM_NAMES_SOURCE}; names also from leaders.yaml"
        new.append(person)
        by_key[key] = person
    return new, shorts


NAMES_FILE = "names.csv"
NAMES_SOURCE = "manual: inputs/names.csv"


def english_keys(taken: set[str]) -> dict[str, tuple[str, str]]:
    """{old key: (new key, English name)} for Wikidata persons keyed by a label in another
    language ("oljas-bektenov", "alexandre-tourchine") whose English name inputs/names.csv gives
    (`en:` in other_names): their key is the English name's slug, as the matcher's users and
    the texts in English write it. Not where the English name is a nickname or another form
    (its first word starts otherwise: "Prachanda", "KP Sharma Oli"), nor where either key is
    taken: a reviewed person's key (people.yaml, leaders.yaml) stays as reviewed."""
    extra = pl.read_csv(INPUTS / NAMES_FILE, infer_schema=False)
    renames = {}
    for key, other in extra.select("person_key", "other_names").iter_rows():
        english = [
            item.partition(":")[2].strip()
            for item in (other or "").split(";")
            if item.strip().startswith("en:")
        ]
        if not english:
            continue
        new = person_key(english[0])
        if new != key and new[:3] == key[:3] and new not in taken and key not in taken:
            renames[key] = (new, english[0])
    return renames


def with_extra_names(
    names: pl.DataFrame, persons: pl.DataFrame, new_key: dict[str, str] | None = None
) -> tuple[pl.DataFrame, list]:
    """inputs/names.csv: Russian names (and other spellings) of people the other inputs name in
    English only (columns person_key, name_ru, short_ru, other_names as in
    inputs/foreign_ministers.csv), with their surname aliases by the same rule."""
    path = INPUTS / NAMES_FILE
    extra = pl.read_csv(path, infer_schema=False).with_columns(
        pl.col("person_key").replace(new_key or {})
    )
    unknown = set(extra["person_key"]) - set(persons["person_key"])
    if unknown:
        raise SystemExit(f"{path}: person_key not in the table: {sorted(unknown)}")
    rows, shorts = [], []
    has_ru = set(names.filter(pl.col("lang") == "ru")["person_key"])
    for r in extra.iter_rows(named=True):
        key = r["person_key"]
        kind = "alias" if key in has_ru else "name"
        rows.append((key, "ru", r["name_ru"], kind, "false", NAMES_SOURCE))
        for item in (r.get("other_names") or "").split(";"):
            lang, _, alias = item.partition(":")
            if not alias.strip():
                continue
            for one in latin_langs() if lang.strip() == "latin" else [lang.strip()]:
                if one not in offices.LANGUAGES:
                    raise SystemExit(f"{path}: bad other_names item {item!r}")
                rows.append((key, one, alias.strip(), "alias", "false", NAMES_SOURCE))
        words = r["name_ru"].split()
        short = r.get("short_ru") or ((russian_stem(words[-1]) if len(words) > 1 else None) or "-")
        if short != "-":
            shorts.extend(
                {"person_key": key, "lang": "ru", "alias": a.strip()}
                for a in short.split(";")
                if a.strip()
            )
    frame = pl.DataFrame(rows, schema=names.columns, orient="row")
    merged = pl.concat([names, frame]).unique(
        ["person_key", "lang", "alias"], keep="first", maintain_order=True
    )
    return merged, shorts


def with_short_forms(names: pl.DataFrame, shorts: list[dict]) -> tuple[pl.DataFrame, list[str]]:
    """Add the generated surname aliases: one that another person already has in that language
    is left out (returned, for the report); one shared only by generated aliases of several
    people is kept and declared ambiguous, since a surname alone cannot tell them apart."""
    if not shorts:
        return names, []
    gen = pl.DataFrame(shorts).unique()
    # a stem of fewer than four letters opens too many words ("Бань*": Бандар, Банк)
    short_stem = pl.col("alias").str.ends_with("*") & ~pl.col("alias").str.strip_chars_end(
        "*"
    ).map_elements(long_stem, return_dtype=pl.Boolean)
    too_short = sorted(
        f"{r['lang']}:{r['alias']}" for r in gen.filter(short_stem).iter_rows(named=True)
    )
    gen = gen.filter(~short_stem)
    gen = gen.join(names, on=["person_key", "lang", "alias"], how="anti")
    others = names.select("lang", "alias", other="person_key")
    clash = gen.join(others, on=["lang", "alias"], how="inner").filter(
        pl.col("person_key") != pl.col("other")
    )
    left_out = sorted({f"{r['lang']}:{r['alias']}" for r in clash.iter_rows(named=True)})
    gen = gen.join(clash.select("lang", "alias").unique(), on=["lang", "alias"], how="anti")
    gen = gen.with_columns(
        kind=pl.lit("alias"),
        ambiguous=pl.when(pl.col("person_key").n_unique().over("lang", "alias") > 1)
        .then(pl.lit("true"))
        .otherwise(pl.lit("false")),
        source=pl.lit(FM_SHORT_SOURCE),
    ).select(names.columns)
    return pl.concat([names, gen]), [*left_out, *too_short]


def leaders_aliases() -> dict[str, dict]:
    """leaders.yaml by every name and alias it lists: {label: {leader_key, name, aliases}}."""
    records = yaml.safe_load(LEADERS_YAML.read_text(encoding="utf-8"))
    by_label = {}
    for record in records:
        for label in [record["name"], *(record.get("aliases") or [])]:
            by_label.setdefault(label, record)
    return by_label


def latin_langs() -> list[str]:
    return ["en", "es", "fr"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikidata-extract", type=Path, help="cfmessias/geografia repo or CSV")
    parser.add_argument(
        "--everypolitician", type=Path, help=f"git directory of a snapshot of {EP_REPO}"
    )
    args = parser.parse_args(argv)

    people = yaml.safe_load((INPUTS / "people.yaml").read_text(encoding="utf-8"))
    manual_terms = pl.read_csv(INPUTS / "terms.csv", infer_schema=False).with_columns(
        pl.col("start_date").str.to_date("%Y-%m-%d"),
        pl.col("end_date").str.to_date("%Y-%m-%d", strict=False),
    )
    foreign_ministers = read_foreign_ministers()
    manual_terms = pl.concat(
        [manual_terms, foreign_ministers.select(manual_terms.columns)], how="vertical_relaxed"
    )
    leaders = leaders_aliases()
    people = [with_leader_names(p, leaders) for p in people]
    # a link of people.yaml to a Wikidata item names no one: the reviewed terms of its key do
    term_names = dict(manual_terms.select("person_key", "name").iter_rows())
    people = [p if p.get("name") else {**p, "name": term_names[p["person_key"]]} for p in people]
    taken = {p["person_key"] for p in people} | {r["leader_key"] for r in leaders.values()}
    renamed = english_keys(taken)
    new_key = {old: new for old, (new, _) in renamed.items()}
    manual_terms = manual_terms.with_columns(pl.col("person_key").replace(new_key))
    foreign_ministers = foreign_ministers.with_columns(pl.col("person_key").replace(new_key))
    by_qid = {p["wikidata"]: p for p in people if p.get("wikidata")}

    if args.wikidata_extract:
        extract = apply_fixes(read_extract(args.wikidata_extract))
        # a (country, office) reviewed by hand replaces the extract's series
        reviewed = pl.read_csv(INPUTS / "reviewed_series.csv", infer_schema=False)
        unreviewed = reviewed.join(manual_terms, on=["country_iso2", "office"], how="anti")
        if unreviewed.height:
            raise SystemExit(f"reviewed_series.csv lists series without manual terms: {unreviewed}")
        reviewed = reviewed.select("country_iso2", "office")
        extract = extract.join(reviewed, on=["country_iso2", "office"], how="anti")
        extract, conflicts = resolve_series(extract)
        labels = {}
        for row in extract.select("person_qid", "label").unique("person_qid").iter_rows(named=True):
            person = by_qid.get(row["person_qid"])
            if person is not None:
                labels[row["person_qid"]] = (person["person_key"], person["name"], "people.yaml")
                continue
            if re.fullmatch(r"Q\d+", row["label"]):
                labels[row["person_qid"]] = None  # no label at all: left out
                continue
            leader = leaders.get(row["label"])
            if leader is not None:
                labels[row["person_qid"]] = (leader["leader_key"], leader["name"], "leaders.yaml")
            else:
                key = person_key(row["label"])
                if key in renamed:
                    labels[row["person_qid"]] = (*renamed[key], f"inputs/{NAMES_FILE}")
                else:
                    labels[row["person_qid"]] = (key, row["label"], "wikidata label")
        unlabelled = [q for q, v in labels.items() if v is None]
        extract = extract.filter(~pl.col("person_qid").is_in(unlabelled))
        extract = extract.with_columns(
            person_key=pl.col("person_qid").replace_strict(
                {q: v[0] for q, v in labels.items() if v}
            ),
            source=pl.lit(EXTRACT_SOURCE),
        )
        extract_persons = [
            {"person_key": v[0], "name": v[1], "wikidata_qid": q, "origin": v[2]}
            for q, v in labels.items()
            if v and q not in unlabelled
        ]
    else:
        previous = offices.load(HERE)
        extract = (
            previous["terms"]
            .filter(pl.col("source") == EXTRACT_SOURCE)
            .drop("scope")
            .with_columns(pl.col("person_key").replace(new_key))
        )
        conflicts = None
        kept = previous["persons"].filter(pl.col("source").str.starts_with("wikidata"))
        # an item people.yaml links to a key of its own since the last build with the extract
        linked = {
            key: by_qid[qid]
            for key, qid in kept.select("person_key", "wikidata_qid").iter_rows()
            if qid in by_qid and by_qid[qid]["person_key"] != key
        }
        extract = extract.with_columns(
            pl.col("person_key").replace({k: p["person_key"] for k, p in linked.items()})
        )
        extract_persons = [
            {
                "person_key": person["person_key"],
                "name": person["name"],
                "wikidata_qid": person["wikidata"],
                "origin": "people.yaml",
            }
            for person in linked.values()
        ]
        kept = kept.filter(~pl.col("person_key").is_in(list(linked)))
        extract_persons += [
            {
                "person_key": renamed.get(r["person_key"], (r["person_key"],))[0],
                "name": renamed.get(r["person_key"], (None, r["name"]))[1],
                "wikidata_qid": r["wikidata_qid"],
                "origin": f"inputs/{NAMES_FILE}"
                if r["person_key"] in renamed or r["person_key"] in new_key.values()
                else r["source"].removeprefix("wikidata; name from ")
                if r["source"].startswith("wikidata; name from ")
                else "wikidata label",
            }
            for r in kept.iter_rows(named=True)
        ]

    qids = {p["person_key"]: p["wikidata_qid"] for p in extract_persons}
    # ids found earlier (the snapshots of --everypolitician) stay when it is not given
    qids = {**previous_qids(), **qids}
    fm_check = None
    if args.everypolitician:
        fm_check = check_foreign_ministers(
            manual_terms.filter(pl.col("office") == "foreign_minister"),
            read_everypolitician(args.everypolitician),
        )
        qids = {**fm_check["qids"], **qids}
    if not args.wikidata_extract:
        qids |= dict(
            previous["persons"]
            .drop_nulls("wikidata_qid")
            .select("person_key", "wikidata_qid")
            .rows()
        )
    fm_people, fm_shorts = foreign_minister_people(foreign_ministers, people, qids, leaders)
    people = [*people, *fm_people]
    people = [*people, *term_people(people, manual_terms, qids, leaders)]
    persons, names = build_people(people, extract_persons, leaders)
    names, extra_shorts = with_extra_names(names, persons, new_key)
    names, left_out = with_short_forms(names, [*fm_shorts, *extra_shorts])
    if left_out:
        print(
            "short forms left out (another person has them, or a stem too short): "
            + ", ".join(left_out)
        )
    terms = build_terms(extract, manual_terms)
    missing = sorted(set(terms["person_key"]) - set(persons["person_key"]))
    if missing:
        raise SystemExit(f"inputs/terms.csv names persons not in people.yaml: {missing}")
    persons = persons.filter(
        pl.col("person_key").is_in(terms["person_key"].implode()) | pl.col("keep")
    )
    names = names.join(persons.select("person_key"), on="person_key", how="semi")
    persons.drop("keep").sort("person_key").write_csv(HERE / offices.PERSONS_FILE)
    names.sort("person_key", "lang", "kind", "alias").write_csv(HERE / offices.NAMES_FILE)
    terms.sort(
        "office", pl.coalesce("country_iso2", "org_code"), "start_date", "person_key"
    ).write_csv(HERE / offices.TERMS_FILE)
    if conflicts is not None:
        write_conflicts(conflicts)
    if fm_check is not None:
        write_fm_conflicts(fm_check["rows"])
    table = offices.load(HERE)  # validates what was written
    write_coverage(table["terms"])
    print(
        f"persons {table['persons'].height}, names {table['names'].height}, "
        f"terms {table['terms'].height}"
    )
    return 0


def with_leader_names(person: dict, leaders: dict) -> dict:
    """A people.yaml entry whose key is a leaders.yaml leader_key also takes that leader's
    aliases (and its name, where the entry gives none): people.yaml may then only link a
    Wikidata item to the key, or add spellings leaders.yaml lacks."""
    record = next((r for r in leaders.values() if r["leader_key"] == person["person_key"]), None)
    if record is None:
        return person
    return {
        **person,
        "name": person.get("name") or record["name"],
        "leader_aliases": [record["name"], *(record.get("aliases") or [])],
        "source": person.get("source", "manual: people.yaml; names also from leaders.yaml"),
    }


def term_people(
    people: list[dict], manual_terms: pl.DataFrame, qids: dict[str, str], leaders: dict
) -> list[dict]:
    """People of inputs/terms.csv that people.yaml does not describe: named from leaders.yaml
    where its leader_key is theirs, else from the terms file's name column."""
    described = {p["person_key"] for p in people}
    by_key = {record["leader_key"]: record for record in leaders.values()}
    out = []
    for key, name in manual_terms.select("person_key", "name").unique("person_key").rows():
        if key in described:
            continue
        person = {"person_key": key, "name": name, "wikidata": qids.get(key)}
        record = by_key.get(key)
        if record is not None:
            person["name"] = record["name"]
            person["leader_aliases"] = [record["name"], *(record.get("aliases") or [])]
            person["source"] = "manual: inputs/terms.csv; names from leaders.yaml"
            person["names_source"] = "manual: inputs/terms.csv"
        else:
            person["source"] = "manual: inputs/terms.csv"
            person["names_source"] = "manual: inputs/terms.csv"
        out.append(person)
    return out


def build_people(
    people: list[dict], extract_persons: list[dict], leaders: dict
) -> tuple[pl.DataFrame, pl.DataFrame]:
    persons, names = [], []
    seen_keys: dict[str, str] = {}

    def add_name(
        key: str, lang: str, alias: str, kind: str, source: str, ambiguous: bool = False
    ) -> None:
        names.append(
            {
                "person_key": key,
                "lang": lang,
                "alias": alias,
                "kind": kind,
                "ambiguous": "true" if ambiguous else "false",
                "source": source,
            }
        )

    for person in people:
        key = person["person_key"]
        if key in seen_keys:
            raise SystemExit(f"people.yaml: duplicate person_key {key}")
        seen_keys[key] = person.get("wikidata") or ""
        persons.append(
            {
                "person_key": key,
                "name": person["name"],
                "wikidata_qid": person.get("wikidata"),
                "source": person.get("source", "manual: people.yaml"),
                "keep": True,
            }
        )
        ambiguous = set(person.get("ambiguous") or [])
        langs = dict(person.get("names") or {})
        latin = langs.pop("latin", [])
        listed = {
            lang: list(dict.fromkeys([*(langs.get(lang) or []), *(latin if lang != "ru" else [])]))
            for lang in offices.LANGUAGES
        }
        if person["name"] not in listed["en"]:
            listed["en"].insert(0, person["name"])
        for lang, aliases in listed.items():
            for alias in aliases:
                kind = (
                    "name"
                    if alias == person["name"] or (lang == "ru" and alias == aliases[0])
                    else "alias"
                )
                source = person.get("names_source", "manual: people.yaml")
                add_name(key, lang, alias, kind, source, alias in ambiguous)
        for alias in person.get("leader_aliases") or []:
            for lang in ["ru"] if CYRILLIC.search(alias) else latin_langs():
                add_name(key, lang, alias, "alias", LEADERS_ALIAS_SOURCE, alias in ambiguous)
    manual_keys = set(seen_keys)
    collisions: list[str] = []
    for person in extract_persons:
        key = person["person_key"]
        if key in manual_keys:
            continue
        if key in seen_keys and seen_keys[key] != person["wikidata_qid"]:
            collisions.append(
                f"{key} ({seen_keys[key]}, {person['wikidata_qid']} {person['name']})"
            )
            continue
        if key in seen_keys:
            continue
        seen_keys[key] = person["wikidata_qid"]
        origin = person["origin"]
        persons.append(
            {
                "person_key": key,
                "name": person["name"],
                "wikidata_qid": person["wikidata_qid"],
                "source": "wikidata (label in Portuguese where Wikidata has one)"
                if origin == "wikidata label"
                else f"wikidata; name from {origin}",
                "keep": False,
            }
        )
        add_name(key, "en", person["name"], "name", "wikidata label")
        record = leaders.get(person["name"]) if origin == "leaders.yaml" else None
        if record is not None:
            for alias in [record["name"], *(record.get("aliases") or [])]:
                langs = ["ru"] if CYRILLIC.search(alias) else latin_langs()
                for lang in langs:
                    if lang == "en" and alias == person["name"]:
                        continue
                    add_name(
                        key,
                        lang,
                        alias,
                        "alias",
                        LEADERS_ALIAS_SOURCE,
                    )
    if collisions:
        raise SystemExit(
            "Wikidata persons sharing a key; give each a person_key in inputs/people.yaml: "
            + "; ".join(collisions)
        )
    frame = pl.DataFrame(
        persons,
        schema={
            "person_key": pl.String,
            "name": pl.String,
            "wikidata_qid": pl.String,
            "source": pl.String,
            "keep": pl.Boolean,
        },
    )
    return frame, pl.DataFrame(names).unique(
        ["person_key", "lang", "alias"], keep="first", maintain_order=True
    )


def build_terms(extract: pl.DataFrame, manual: pl.DataFrame) -> pl.DataFrame:
    titles = pl.read_csv(INPUTS / "titles.csv", infer_schema=False)
    rows = pl.concat(
        [
            extract.select(
                "person_key",
                "office",
                "country_iso2",
                org_code=pl.lit(None, pl.String),
                start_date="start_date",
                end_date="end_date",
                source="source",
                note="note",
            ),
            manual.select(
                "person_key",
                "office",
                "country_iso2",
                "org_code",
                "start_date",
                "end_date",
                "source",
                "note",
            ),
        ],
        how="vertical_relaxed",
    ).with_columns(scope=pl.coalesce("country_iso2", "org_code"))
    title_cols = ["title_en", "title_ru", "title_es", "title_fr"]
    by_scope_person = titles.filter(pl.col("person_key").is_not_null() & (pl.col("scope") != "*"))
    by_any_person = titles.filter(pl.col("person_key").is_not_null() & (pl.col("scope") == "*"))
    by_scope = titles.filter(pl.col("person_key").is_null() & (pl.col("scope") != "*"))
    default = titles.filter(pl.col("person_key").is_null() & (pl.col("scope") == "*"))

    def suffixed(frame: pl.DataFrame, keys: list[str], tag: str) -> pl.DataFrame:
        return frame.select(*keys, *[pl.col(c).alias(f"{c}_{tag}") for c in title_cols])

    rows = (
        rows.join(
            suffixed(by_scope_person, ["scope", "office", "person_key"], "a"),
            on=["scope", "office", "person_key"],
            how="left",
        )
        .join(
            suffixed(by_any_person, ["office", "person_key"], "b"),
            on=["office", "person_key"],
            how="left",
        )
        .join(suffixed(by_scope, ["scope", "office"], "c"), on=["scope", "office"], how="left")
        .join(suffixed(default, ["office"], "d"), on=["office"], how="left")
        .with_columns(
            pl.coalesce(f"{c}_a", f"{c}_b", f"{c}_c", f"{c}_d").alias(c) for c in title_cols
        )
    )
    return rows.select(offices.TERM_COLUMNS)


def previous_qids() -> dict[str, str]:
    path = HERE / offices.PERSONS_FILE
    if not path.exists():
        return {}
    frame = pl.read_csv(path, infer_schema=False).drop_nulls("wikidata_qid")
    return dict(frame.select("person_key", "wikidata_qid").rows())


# Country labels of the snapshots that pycountry does not resolve by name.
EP_COUNTRY_LABELS = {
    "Bolivia": "BO",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Congo": "CG",
    "Czech Republic": "CZ",
    "Democratic Republic of the Congo": "CD",
    "Federated States of Micronesia": "FM",
    "Gambia": "GM",
    "Holy See": "VA",
    "Iran": "IR",
    "Ivory Coast": "CI",
    "Kosovo": "XK",
    "Laos": "LA",
    "Moldova": "MD",
    "North Korea": "KP",
    "Palestine": "PS",
    "Republic of China": "TW",
    "Republic of Ireland": "IE",
    "Republic of the Congo": "CG",
    "Russia": "RU",
    "Russian Federation": "RU",
    "South Korea": "KR",
    "State of Palestine": "PS",
    "Syria": "SY",
    "Taiwan": "TW",
    "Tanzania": "TZ",
    "The Gambia": "GM",
    "Turkey": "TR",
    "Vatican City": "VA",
    "Venezuela": "VE",
    "Vietnam": "VN",
}


def ep_iso2(label: str) -> str | None:
    if label in EP_COUNTRY_LABELS:
        return EP_COUNTRY_LABELS[label]
    try:
        return pycountry.countries.lookup(label).alpha_2
    except LookupError:
        return None


def read_everypolitician(git_dir: Path) -> pl.DataFrame:
    """Every committed version of the snapshots of current foreign ministers: one row per
    (version, country, holder), with the version's commit date as the day it describes."""
    frames = []
    for path, label in EP_FILES.items():
        log = subprocess.run(
            ["git", "--git-dir", str(git_dir), "log", "--format=%H %cs", "--", path],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for commit, day in zip(log[::2], log[1::2], strict=True):
            data = subprocess.run(
                ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                check=True,
                capture_output=True,
            ).stdout
            frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
            if not {"countryLabel", "name", "start", "person"} <= set(frame.columns):
                continue
            frames.append(
                frame.select(
                    "countryLabel",
                    "name",
                    "start",
                    person_qid="person",
                    snapshot=pl.lit(dt.date.fromisoformat(day)),
                    source=pl.lit(f"{label} via {EP_REPO} {path} @ {commit[:7]}"),
                    kind=pl.lit(label),
                )
            )
    scope = offices.scope()["iso2"].implode()
    return (
        pl.concat(frames)
        .with_columns(
            country_iso2=pl.col("countryLabel").map_elements(ep_iso2, return_dtype=pl.String)
        )
        .filter(pl.col("country_iso2").is_in(scope) & pl.col("name").is_not_null())
        .filter(pl.col("name") != "Vacant")
    )


TITLE_WORDS = {"sheikh", "prince", "dr", "archbishop", "sr", "jr", "hrh", "h", "e"}


def name_tokens(name: str) -> frozenset[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.split(r"[^a-z]+", ascii_name.lower())
    return frozenset(w for w in words if w and w not in TITLE_WORDS)


def last_word(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z]+", ascii_name.lower()) if w]
    return words[-1] if words else ""


def same_person(theirs: str, ours: str) -> bool:
    """Names of one person in two sources: every word of the shorter in the longer, or the same
    last word (Abulkalam Abdul Momen, AK Abdul Momen)."""
    a, b = name_tokens(theirs), name_tokens(ours)
    if not a or not b:
        return False
    return a <= b or b <= a or last_word(theirs) == last_word(ours)


def check_foreign_ministers(fm_terms: pl.DataFrame, snapshots: pl.DataFrame) -> dict:
    """Each snapshot holder against the reviewed holder on the last day the snapshot shows
    them: the same person gets the snapshot's Wikidata id, and a start more than 7 days from the
    reviewed one is listed; another person, or none, is listed too."""
    groups = (
        snapshots.with_columns(pl.coalesce("person_qid", "name").alias("who"))
        .group_by("country_iso2", "who")
        .agg(
            names=pl.col("name").unique().sort(),
            starts=pl.col("start").drop_nulls().unique().sort(),
            kinds=pl.col("kind").unique().sort(),
            first=pl.col("snapshot").min(),
            last=pl.col("snapshot").max(),
            qid=pl.col("person_qid").drop_nulls().first(),
        )
        .sort("country_iso2", "first", "who")
    )
    qids: dict[str, str] = {}
    rows = []
    for snap in groups.iter_rows(named=True):
        # a snapshot can go on showing a holder after the handover: the first day counts too
        for day in (snap["last"], snap["first"]):
            holders = fm_terms.filter(
                (pl.col("country_iso2") == snap["country_iso2"])
                & (pl.col("start_date") <= day)
                & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
            ).to_dicts()
            same = [h for h in holders if any(same_person(n, h["name"]) for n in snap["names"])]
            if same:
                break
        problem = None
        if not holders:
            covered = fm_terms.filter(pl.col("country_iso2") == snap["country_iso2"]).height
            problem = "no reviewed holder on that day" if covered else "no reviewed series"
        elif not same:
            problem = "the reviewed holder is " + ", ".join(h["name"] for h in holders)
        else:
            held = same[0]
            if snap["qid"] and re.fullmatch(r"Q\d+", snap["qid"]):
                qids.setdefault(held["person_key"], snap["qid"])
            days = [
                abs((dt.date.fromisoformat(s) - held["start_date"]).days)
                for s in snap["starts"]
                if len(s) == 10
            ]
            if days and min(days) > HANDOVER_SLACK_DAYS:
                problem = f"the reviewed start is {held['start_date']} ({min(days)} days apart)"
        if problem:
            rows.append({**snap, "problem": problem})
    return {"qids": qids, "rows": rows}


def write_fm_conflicts(rows: list[dict]) -> None:
    """The foreign-minister section of CONFLICTS.md (the extract's section is kept)."""
    path = HERE / "CONFLICTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    text = text.split(CONFLICTS_FM_HEADING)[0].rstrip("\n")
    lines = [
        CONFLICTS_FM_HEADING,
        "",
        f"Snapshots of the current foreign ministers kept by {EP_REPO} (sources/foreign/, every "
        "version from August to December 2022: Wikidata's P39 statements, CC0, and Wikipedia's "
        "List of current foreign ministers, CC BY-SA; facts only) against inputs/"
        "foreign_ministers.csv on the snapshot's day. The reviewed series is kept as it is; "
        "these rows are for review. Written by build_offices.py --everypolitician.",
        "",
        "| country | snapshots (first–last day) | holder there, from | reviewed series |",
        "|---|---|---|---|",
    ]
    for r in rows:
        kinds = " and ".join(k.split(",")[0] for k in r["kinds"])
        names = " / ".join(r["names"])
        starts = ", ".join(r["starts"]) or "no start"
        lines.append(
            f"| {r['country_iso2']} | {kinds}, {r['first']}–{r['last']} | {names} "
            f"({r['qid'] or 'no id'}), from {starts} | {r['problem']} |"
        )
    path.write_text((text + "\n\n" if text else "") + "\n".join(lines) + "\n", encoding="utf-8")


def write_conflicts(conflicts: list[dict]) -> None:
    lines = [
        "# Extract rows left out for review",
        "",
        "Rows of the Wikidata extract that overlap another holder of the same office by more "
        f"than {HANDOVER_SLACK_DAYS} days (acting holders, rival claimants, wrong dates). They are "
        "not in terms.csv; review them into inputs/terms.csv or inputs/extract_fixes.csv. "
        "Written by build_offices.py.",
        "",
        "| country | office | kept | left out | overlap (days) |",
        "|---|---|---|---|---|",
    ]
    for c in sorted(
        conflicts,
        key=lambda c: (c["kept"]["country_iso2"], c["kept"]["office"], c["kept"]["start_date"]),
    ):
        k, o = c["kept"], c["left_out"]
        kept = f"{k['label']} {k['start_date']}–{k['end_date'] or ''}"
        left_out = f"{o['label']} ({o['person_qid']}) {o['start_date']}–{o['end_date'] or ''}"
        lines.append(
            f"| {k['country_iso2']} | {k['office']} | {kept} | {left_out} | {c['overlap_days']} |"
        )
    path = HERE / "CONFLICTS.md"
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = previous.partition(CONFLICTS_FM_HEADING)  # the foreign-minister section stays
    tail = f"\n{kept[1]}{kept[2]}" if kept[1] else ""
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")


def write_coverage(terms: pl.DataFrame) -> None:
    summary, gaps = offices.coverage(terms)
    lines = [
        "# Coverage of the office-holders table",
        "",
        f"States in scope (scope.csv) whose office is held by someone in terms.csv on every day "
        f"from {offices.COVERAGE_START} to {offices.COVERAGE_END}, allowing handover gaps of up to "
        "7 days. Written by build_offices.py.",
        "",
        "| office | complete | states |",
        "|---|---|---|",
        *[
            f"| {r['office']} | {r['complete']} | {r['states']} |"
            for r in summary.iter_rows(named=True)
        ],
        "",
        "## Gaps",
        "",
        "| office | country | from | to | days |",
        "|---|---|---|---|---|",
        *[
            f"| {r['office']} | {r['scope']} | {r['gap_from']} | {r['gap_to']} | {r['days']} |"
            for r in gaps.iter_rows(named=True)
        ],
    ]
    (HERE / "COVERAGE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
