"""Who held which office when: the reviewed office-holders table under reference/offices/.

The table answers "the President of Russia" or "the Chinese Foreign Minister" on a post's date
and knows past holders. It is three CSV files built by reference/offices/build_offices.py from
a Wikidata extract and reviewed manual inputs (see reference/README.md), plus three small
vocabularies kept by hand. Everything is validated on load: a bad row fails with the file and
its line named, since a silently wrong holder is worse than none.

Terms are half-open: a term covers start_date <= day < end_date, so on a handover day the
successor holds the office; a null end_date means still in office.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import polars as pl

from orchestration.config import REFERENCE_DIR
from orchestration.entities.reference import ReferenceDataError, known_iso2

OFFICES_DIR = REFERENCE_DIR / "offices"
PERSONS_FILE = "persons.csv"
NAMES_FILE = "names.csv"
TERMS_FILE = "terms.csv"
ORGANISATIONS_FILE = "organisations.csv"
SHARED_OFFICES_FILE = "shared_offices.csv"
SCOPE_FILE = "scope.csv"

# The controlled vocabulary of offices. A country's office has a country_iso2; an
# organisation's has an org_code from organisations.csv instead.
OFFICES = (
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "foreign_ministry_spokesperson",
    "head_of_state_spokesperson",
    "deputy_foreign_minister",
    "head_of_organisation",
    "head_of_parliament",
)
LANGUAGES = ("en", "ru", "es", "fr")
# The period the coverage report measures; "today" is the table's horizon.
COVERAGE_START = dt.date(2000, 1, 1)
COVERAGE_END = dt.date(2026, 12, 1)
# Offices measured for every country in scope.
COVERAGE_OFFICES = ("head_of_state", "head_of_government", "foreign_minister")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ORG_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
FAR_FUTURE = dt.date(9999, 12, 31)

PERSON_COLUMNS = ["person_key", "name", "wikidata_qid", "source"]
NAME_COLUMNS = ["person_key", "lang", "alias", "kind", "ambiguous", "source"]
TERM_COLUMNS = [
    "person_key",
    "office",
    "country_iso2",
    "org_code",
    "title_en",
    "title_ru",
    "title_es",
    "title_fr",
    "start_date",
    "end_date",
    "source",
    "note",
]


def _read(path: Path, columns: list[str]) -> pl.DataFrame:
    """A CSV as strings, with `line` (its line in the file, header = 1) for error messages."""
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except Exception as exc:  # re-raised with the file named
        raise ReferenceDataError(f"{path}: cannot read CSV: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing columns {missing}")
    return frame.select(
        pl.int_range(2, pl.len() + 2).alias("line"),
        *[pl.col(c).str.strip_chars().replace("", None).alias(c) for c in columns],
    )


def _fail_on(frame: pl.DataFrame, bad: pl.Expr, path: Path, problem: str) -> None:
    offenders = frame.filter(bad)
    if offenders.height:
        row = offenders.row(0, named=True)
        line = row.pop("line")
        more = f" (and {offenders.height - 1} more rows)" if offenders.height > 1 else ""
        raise ReferenceDataError(f"{path}: line {line}: {problem}: {row}{more}")


def _dates(frame: pl.DataFrame, path: Path, columns: list[str]) -> pl.DataFrame:
    parsed = frame.with_columns(
        pl.col(c).str.to_date("%Y-%m-%d", strict=False).alias(f"{c}__parsed") for c in columns
    )
    for c in columns:
        _fail_on(
            parsed,
            pl.col(c).is_not_null() & pl.col(f"{c}__parsed").is_null(),
            path,
            f"{c} is not a YYYY-MM-DD date",
        )
    return parsed.with_columns(pl.col(f"{c}__parsed").alias(c) for c in columns).drop(
        f"{c}__parsed" for c in columns
    )


@lru_cache(maxsize=4)
def organisations(directory: Path = OFFICES_DIR) -> pl.DataFrame:
    """organisations.csv: org_code and the organisation's name in the four languages."""
    path = directory / ORGANISATIONS_FILE
    columns = ["org_code", "name_en", "name_ru", "name_es", "name_fr", "source"]
    frame = _read(path, columns)
    _fail_on(frame, pl.any_horizontal(pl.col(columns).is_null()), path, "empty value")
    _fail_on(frame, ~pl.col("org_code").str.contains(ORG_CODE.pattern), path, "bad org_code")
    _fail_on(frame, pl.col("org_code").is_duplicated(), path, "duplicate org_code")
    return frame


@lru_cache(maxsize=4)
def shared_offices(directory: Path = OFFICES_DIR) -> pl.DataFrame:
    """Offices that several people hold at once by design (Andorra's co-princes, San Marino's
    Captains Regent, Bosnia's Presidency, a ministry's several spokespeople): scope (iso2 or
    org code), office, max_holders (a number, or 0 for no limit), reason."""
    path = directory / SHARED_OFFICES_FILE
    columns = ["scope", "office", "max_holders", "reason"]
    frame = _read(path, columns)
    _fail_on(frame, pl.any_horizontal(pl.col(columns).is_null()), path, "empty value")
    _fail_on(frame, ~pl.col("office").is_in(OFFICES), path, "unknown office")
    _fail_on(frame, ~pl.col("max_holders").str.contains(r"^\d+$"), path, "max_holders not a number")
    _fail_on(frame, pl.struct("scope", "office").is_duplicated(), path, "declared twice")
    return frame.with_columns(pl.col("max_holders").cast(pl.Int64))


@lru_cache(maxsize=4)
def scope(directory: Path = OFFICES_DIR) -> pl.DataFrame:
    """scope.csv: the states whose heads and foreign ministers the table aims to cover (UN
    members, the observer states, Kosovo, Taiwan), with their status."""
    path = directory / SCOPE_FILE
    frame = _read(path, ["iso2", "status"])
    _fail_on(frame, ~pl.col("iso2").is_in(list(known_iso2())), path, "unknown iso2")
    _fail_on(frame, pl.col("iso2").is_duplicated(), path, "duplicate iso2")
    return frame


def load(directory: Path = OFFICES_DIR) -> dict[str, pl.DataFrame]:
    """persons, names and terms, validated; raises ReferenceDataError naming file and line."""
    directory = Path(directory)
    persons_path, names_path, terms_path = (
        directory / PERSONS_FILE,
        directory / NAMES_FILE,
        directory / TERMS_FILE,
    )
    persons = _read(persons_path, PERSON_COLUMNS)
    _fail_on(
        persons,
        pl.any_horizontal(pl.col("person_key", "name", "source").is_null()),
        persons_path,
        "person_key, name and source are required",
    )
    _fail_on(
        persons,
        ~pl.col("person_key").str.contains(SLUG.pattern),
        persons_path,
        "person_key is not a slug (ASCII lower case, digits, single hyphens)",
    )
    _fail_on(persons, pl.col("person_key").is_duplicated(), persons_path, "duplicate person_key")
    keys = persons["person_key"]

    names = _read(names_path, NAME_COLUMNS)
    _fail_on(
        names,
        pl.any_horizontal(pl.col("person_key", "lang", "alias", "kind", "source").is_null()),
        names_path,
        "empty value",
    )
    _fail_on(names, ~pl.col("person_key").is_in(keys.implode()), names_path, "unknown person_key")
    _fail_on(names, ~pl.col("lang").is_in(LANGUAGES), names_path, f"lang not in {LANGUAGES}")
    _fail_on(names, ~pl.col("kind").is_in(["name", "alias"]), names_path, "kind not name/alias")
    _fail_on(
        names,
        ~pl.col("ambiguous").fill_null("false").is_in(["true", "false"]),
        names_path,
        "ambiguous must be true or false",
    )
    names = names.with_columns(pl.col("ambiguous").fill_null("false") == "true")
    _fail_on(
        names,
        pl.struct("person_key", "lang", "alias").is_duplicated(),
        names_path,
        "alias listed twice for one person and language",
    )
    # One alias in one language naming two people is a wrong match waiting to happen, unless
    # every row of it says it is ambiguous (then the matcher must not resolve it alone).
    clashes = names.with_columns(
        people=pl.col("person_key").n_unique().over("lang", "alias"),
        all_ambiguous=pl.col("ambiguous").all().over("lang", "alias"),
    )
    _fail_on(
        clashes.drop("people", "all_ambiguous"),
        (clashes["people"] > 1) & ~clashes["all_ambiguous"],
        names_path,
        "alias names two different people in one language and is not declared ambiguous",
    )

    terms = _read(terms_path, TERM_COLUMNS)
    _fail_on(
        terms,
        pl.any_horizontal(pl.col("person_key", "office", "title_en", "start_date").is_null()),
        terms_path,
        "person_key, office, title_en and start_date are required",
    )
    _fail_on(terms, pl.col("source").is_null(), terms_path, "missing source")
    _fail_on(terms, ~pl.col("person_key").is_in(keys.implode()), terms_path, "unknown person_key")
    _fail_on(terms, ~pl.col("office").is_in(OFFICES), terms_path, f"office not in {OFFICES}")
    _fail_on(
        terms,
        pl.col("country_iso2").is_null() == pl.col("org_code").is_null(),
        terms_path,
        "exactly one of country_iso2 and org_code is required",
    )
    _fail_on(
        terms,
        pl.col("country_iso2").is_not_null() & ~pl.col("country_iso2").is_in(list(known_iso2())),
        terms_path,
        "unknown country_iso2 (pycountry's ISO 3166-1 codes plus XK)",
    )
    orgs = organisations(directory)["org_code"]
    _fail_on(
        terms,
        pl.col("org_code").is_not_null() & ~pl.col("org_code").is_in(orgs.implode()),
        terms_path,
        f"unknown org_code (not in {ORGANISATIONS_FILE})",
    )
    _fail_on(
        terms,
        (pl.col("office") == "head_of_organisation") != pl.col("org_code").is_not_null(),
        terms_path,
        "head_of_organisation goes with an org_code, and only it",
    )
    terms = _dates(terms, terms_path, ["start_date", "end_date"])
    _fail_on(
        terms,
        pl.col("end_date") < pl.col("start_date"),
        terms_path,
        "end_date before start_date",
    )
    terms = terms.with_columns(scope=pl.coalesce("country_iso2", "org_code"))
    _check_overlaps(terms, shared_offices(directory), terms_path)
    return {
        "persons": persons.drop("line"),
        "names": names.drop("line"),
        "terms": terms.drop("line"),
    }


def _check_overlaps(terms: pl.DataFrame, shared: pl.DataFrame, path: Path) -> None:
    """More concurrent holders of one office of one country than declared (1 by default).

    A sweep over start (+1) and end (-1) events per office and scope: where the running count
    passes the limit, the term that starts there overlaps another. Ends sort before starts on
    the same day, so a handover (end = successor's start) is no overlap."""
    events = pl.concat(
        [
            terms.select("line", "office", "scope", day=pl.col("start_date"), step=pl.lit(1)),
            terms.filter(pl.col("end_date").is_not_null()).select(
                "line", "office", "scope", day=pl.col("end_date"), step=pl.lit(-1)
            ),
        ]
    )
    sweep = (
        events.sort("office", "scope", "day", "step")
        .with_columns(holders=pl.col("step").cum_sum().over("office", "scope"))
        .join(shared.select("scope", "office", "max_holders"), on=["scope", "office"], how="left")
        .with_columns(limit=pl.col("max_holders").fill_null(1))
    )
    over = sweep.filter((pl.col("step") == 1) & (pl.col("limit") > 0))
    over = over.filter(pl.col("holders") > pl.col("limit"))
    if over.height:
        first = over.row(0, named=True)
        clash = terms.filter(
            (pl.col("office") == first["office"])
            & (pl.col("scope") == first["scope"])
            & (pl.col("start_date") <= first["day"])
            & (pl.col("end_date").fill_null(FAR_FUTURE) > first["day"])
        )
        lines = ", ".join(str(n) for n in clash["line"].to_list())
        who = ", ".join(clash["person_key"].to_list())
        raise ReferenceDataError(
            f"{path}: line {first['line']}: overlapping terms of {first['office']} of "
            f"{first['scope']} on {first['day']} (lines {lines}: {who}); declare the office in "
            f"{SHARED_OFFICES_FILE} if several people hold it at once by design"
        )


@lru_cache(maxsize=1)
def office_holders() -> dict[str, pl.DataFrame]:
    """The committed table, loaded once per process."""
    return load(OFFICES_DIR)


def holders_on(queries: pl.DataFrame, terms: pl.DataFrame | None = None) -> pl.DataFrame:
    """Who held each queried office on each queried date, for a whole frame at once.

    queries: columns office, scope (a country's iso2 or an organisation's code) and date, plus
    any others (kept). Returns each query row joined to the term in force that day: person_key,
    title_en..title_fr, start_date, end_date, source; a query nobody answers keeps nulls. A
    shared office can answer one query with several rows."""
    terms = office_holders()["terms"] if terms is None else terms
    queries = queries.with_row_index("__query")
    candidates = (
        queries.join(
            terms.select(
                "office",
                "scope",
                "person_key",
                "title_en",
                "title_ru",
                "title_es",
                "title_fr",
                "start_date",
                "end_date",
                "source",
            ),
            on=["office", "scope"],
            how="inner",
        )
        .filter(
            (pl.col("start_date") <= pl.col("date"))
            & (pl.col("end_date").is_null() | (pl.col("date") < pl.col("end_date")))
        )
        .select(pl.exclude(queries.columns), "__query")
    )
    return (
        queries.join(candidates, on="__query", how="left")
        .sort("__query", "start_date")
        .drop("__query")
    )


def holder_on(office: str, scope: str, date: dt.date | str) -> list[str]:
    """person_keys holding `office` of `scope` (iso2 or org code) on `date`; usually one."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    query = pl.DataFrame({"office": [office], "scope": [scope], "date": [date]})
    return [key for key in holders_on(query)["person_key"].to_list() if key is not None]


def coverage(
    terms: pl.DataFrame | None = None,
    states: pl.DataFrame | None = None,
    tolerance_days: int = 7,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """How completely the table covers each state's head of state, head of government and
    foreign minister from COVERAGE_START to COVERAGE_END.

    Returns (summary, gaps): summary has one row per office with the number of states covered
    completely; gaps lists each uncovered stretch longer than `tolerance_days` (a day or two
    between an end and the next start is how sources write handovers, not a vacancy)."""
    terms = office_holders()["terms"] if terms is None else terms
    states = scope() if states is None else states
    grid = states.select(scope="iso2").join(
        pl.DataFrame({"office": list(COVERAGE_OFFICES)}), how="cross"
    )
    spans = (
        terms.filter(
            pl.col("office").is_in(COVERAGE_OFFICES) & pl.col("country_iso2").is_not_null()
        )
        .select(
            "office",
            "scope",
            start=pl.max_horizontal("start_date", pl.lit(COVERAGE_START)),
            end=pl.min_horizontal(pl.col("end_date").fill_null(COVERAGE_END), pl.lit(COVERAGE_END)),
        )
        .filter(pl.col("start") < pl.col("end"))
        .sort("office", "scope", "start")
        .with_columns(
            covered_until=pl.col("end").cum_max().shift(1).over("office", "scope"),
        )
    )
    # A gap opens where a span starts after everything before it has ended; the first span
    # of a series is measured from COVERAGE_START, and the last from its end to COVERAGE_END.
    inner = spans.select(
        "office",
        "scope",
        gap_from=pl.col("covered_until").fill_null(pl.lit(COVERAGE_START)),
        gap_to=pl.col("start"),
    )
    tails = (
        spans.group_by("office", "scope")
        .agg(gap_from=pl.col("end").max())
        .with_columns(gap_to=pl.lit(COVERAGE_END))
    )
    empty = grid.join(spans.select("office", "scope").unique(), on=["office", "scope"], how="anti")
    gaps = (
        pl.concat(
            [
                inner,
                tails.select("office", "scope", "gap_from", "gap_to"),
                empty.with_columns(
                    gap_from=pl.lit(COVERAGE_START), gap_to=pl.lit(COVERAGE_END)
                ).select("office", "scope", "gap_from", "gap_to"),
            ]
        )
        .join(grid, on=["office", "scope"], how="semi")
        .with_columns(days=(pl.col("gap_to") - pl.col("gap_from")).dt.total_days())
        .filter(pl.col("days") > tolerance_days)
        .sort("office", "scope", "gap_from")
    )
    summary = (
        grid.join(gaps.select("office", "scope").unique(), on=["office", "scope"], how="anti")
        .group_by("office")
        .agg(complete=pl.len())
        .join(grid.group_by("office").agg(states=pl.len()), on="office", how="right")
        .select("office", pl.col("complete").fill_null(0), "states")
        .sort("office")
    )
    return summary, gaps
