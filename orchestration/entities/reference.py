"""Reviewed reference data: countries (pycountry + curated aliases) and leaders (leaders.yaml).

Everything here is loaded once per process and validated on load, so a bad row in a reference
file fails loudly with the file and the row rather than silently matching nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import polars as pl
import pycountry
import yaml

from orchestration.config import REFERENCE_DIR
from orchestration.schemas import COUNTRY_SCHEMA, LEADER_SCHEMA, conform

# Kosovo is not in ISO 3166-1 (so not in pycountry) but these channels name it often; XK is the
# user-assigned code the EU, IMF and the flag emoji use.
EXTRA_COUNTRIES = (
    {"iso2": "XK", "iso3": "XKX", "name": "Kosovo", "official_name": "Republic of Kosovo"},
)

# Kinds of alias, as evidence kinds of schemas.EVIDENCE_KINDS.
ALIAS_FILES = {
    "name": ("country_aliases.csv", "alias"),
    "demonym": ("demonyms.csv", "demonym"),
    "capital": ("capitals.csv", "capital"),
}
BLOCKER_FILE = "country_blockers.csv"
LEADER_FILE = "leaders.yaml"

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message names the file and the offending row."""


def flag_emoji(iso2: str) -> str:
    """Two regional-indicator symbols: 'RU' -> 🇷🇺."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in iso2.upper())


@lru_cache(maxsize=1)
def countries_table() -> pl.DataFrame:
    """All ISO 3166-1 countries from pycountry, plus Kosovo (XK), in COUNTRY_SCHEMA.

    `name` is pycountry's common name where it has one ("Iran", "Bolivia"), else its ISO name;
    `official_name` falls back to the ISO name.
    """
    rows = [
        {
            "iso2": c.alpha_2,
            "iso3": c.alpha_3,
            "name": getattr(c, "common_name", None) or c.name,
            "official_name": getattr(c, "official_name", None) or c.name,
        }
        for c in pycountry.countries
    ]
    rows.extend(dict(extra) for extra in EXTRA_COUNTRIES)
    for row in rows:
        row["flag_emoji"] = flag_emoji(row["iso2"])
    return conform(pl.DataFrame(rows), COUNTRY_SCHEMA).sort("iso2")


def known_iso2() -> frozenset[str]:
    return frozenset(countries_table()["iso2"].to_list())


def _pycountry_english_names() -> list[tuple[str, str]]:
    """English names pycountry knows, rewritten into the word order texts use.

    'Korea, Republic of' -> 'Republic of Korea'; 'Virgin Islands, British' -> 'British Virgin
    Islands'; parenthesised parts are dropped ('Holy See (Vatican City State)' -> 'Holy See').
    """
    out: list[tuple[str, str]] = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}
        for name in filter(None, names):
            name = re.sub(r"\s*\([^)]*\)", "", name).strip()
            if name.lower().startswith("the "):
                name = name[4:]
            if "," in name:
                head, tail = (part.strip() for part in name.split(",", 1))
                if tail.endswith((" of", " of the")) or " " not in tail:
                    name = f"{tail} {head}"
                    if name.lower().startswith("the "):
                        name = name[4:]
                else:
                    continue
            out.append((c.alpha_2, name))
    return out


def _read_csv(file_name: str, required: list[str]) -> pl.DataFrame:
    path = REFERENCE_DIR / file_name
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except Exception as exc:  # re-raised with the file named
        raise ReferenceDataError(f"{path}: cannot read CSV: {exc}") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing columns {missing}")
    empty = frame.filter(pl.any_horizontal(pl.col(required).is_null()))
    if empty.height:
        raise ReferenceDataError(f"{path}: empty value in row {empty.row(0, named=True)}")
    return frame


@lru_cache(maxsize=1)
def country_aliases() -> pl.DataFrame:
    """Every country alias with its evidence kind: columns iso2, alias, kind, lang, source.

    source is the file it came from, or "pycountry" for the English names derived at runtime.
    """
    known = known_iso2()
    frames = []
    for kind, (file_name, column) in ALIAS_FILES.items():
        frame = _read_csv(file_name, ["iso2", column])
        unknown = frame.filter(~pl.col("iso2").is_in(list(known)))
        if unknown.height:
            raise ReferenceDataError(
                f"{REFERENCE_DIR / file_name}: unknown iso2 in row {unknown.row(0, named=True)}"
            )
        frames.append(
            frame.select(
                "iso2",
                pl.col(column).str.strip_chars().alias("alias"),
                pl.lit(kind).alias("kind"),
                pl.col("lang") if "lang" in frame.columns else pl.lit("en").alias("lang"),
                pl.lit(file_name).alias("source"),
            )
        )
    derived = pl.DataFrame(
        _pycountry_english_names(), schema=["iso2", "alias"], orient="row"
    ).with_columns(kind=pl.lit("name"), lang=pl.lit("en"), source=pl.lit("pycountry"))
    frames.append(derived)
    frames.append(
        pl.DataFrame(
            {
                "iso2": [c["iso2"] for c in EXTRA_COUNTRIES],
                "alias": [c["name"] for c in EXTRA_COUNTRIES],
            }
        ).with_columns(kind=pl.lit("name"), lang=pl.lit("en"), source=pl.lit("extra"))
    )
    return pl.concat(frames).unique(["iso2", "alias", "kind"], keep="first", maintain_order=True)


SEAT_OF_POWER_NOTE = "seat of power"


@lru_cache(maxsize=1)
def seats_of_power() -> frozenset[str]:
    """Aliases of capitals.csv whose note starts with "seat of power": buildings that stand for
    their country (the Kremlin, the White House), which name no place of their own."""
    frame = _read_csv(ALIAS_FILES["capital"][0], ["iso2", "capital"])
    if "note" not in frame.columns:
        return frozenset()
    seats = frame.filter(pl.col("note").str.starts_with(SEAT_OF_POWER_NOTE))
    return frozenset(seats["capital"].str.strip_chars().to_list())


@lru_cache(maxsize=1)
def country_blockers() -> pl.DataFrame:
    """Phrases that contain a country alias but do not mention that country ('Latin America')."""
    return _read_csv(BLOCKER_FILE, ["phrase", "reason"]).select(
        pl.col("phrase").str.strip_chars(), "reason"
    )


# libyaml's parser (PyYAML's C extension, part of its wheels) reads the same documents as the
# pure-Python SafeLoader ten times faster; every run's process reads leaders.yaml.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """The YAML document of a reference file (safe: plain data only)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


@lru_cache(maxsize=1)
def reference_leaders() -> pl.DataFrame:
    """leaders.yaml in LEADER_SCHEMA with source "reference"; validated."""
    path = REFERENCE_DIR / LEADER_FILE
    try:
        records = read_yaml(path)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(records, list):
        raise ReferenceDataError(f"{path}: expected a list of leaders")
    known = known_iso2()
    rows, seen = [], set()
    for position, record in enumerate(records):
        label = record.get("leader_key") if isinstance(record, dict) else repr(record)
        where = f"{path}: leader #{position} ({label})"
        if not isinstance(record, dict):
            raise ReferenceDataError(f"{where}: not a mapping")
        key, name = record.get("leader_key"), record.get("name")
        if not key or not _SLUG_OK.match(str(key)):
            raise ReferenceDataError(f"{where}: leader_key must be a lower-case slug")
        if key in seen:
            raise ReferenceDataError(f"{where}: duplicate leader_key")
        seen.add(key)
        if not name or not record.get("role"):
            raise ReferenceDataError(f"{where}: name and role are required")
        iso2 = record.get("country_iso2")
        if iso2 is not None and iso2 not in known:
            raise ReferenceDataError(f"{where}: unknown country_iso2 {iso2!r}")
        aliases = record.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise ReferenceDataError(f"{where}: aliases must be a list of non-empty strings")
        rows.append(
            {
                "leader_key": key,
                "name": name,
                "role": record["role"],
                "country_iso2": iso2,
                "source": "reference",
                "aliases": [name, *[a for a in aliases if a != name]],
            }
        )
    return conform(pl.DataFrame(rows, schema=LEADER_SCHEMA), LEADER_SCHEMA)
