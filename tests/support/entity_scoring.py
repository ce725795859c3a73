"""Precision and recall of entity matching against the labelled posts of tests/data/entity_eval.

Pure functions over plain dicts shaped like the labelled items (see the guide at the top of
tests/data/entity_eval/dev.yaml): labels and predictions have the same shape, predictions need
only `id` and whichever of `countries`, `leaders`, `events` they predict. Nothing here knows the
matcher, so the scorer can be tested on hand-made predictions and used on any matcher's output.

- countries: a set of iso2 codes per item.
- leaders: found when the leader key matches; how the label says the person is named (`how`) is
  reported as recall per `how`, never required of a prediction.
- events: found when the type and both actors match (in either order for the symmetric types);
  whether the date and the place also match is reported separately.

Counts are micro-averaged: every label and every prediction counts once, per language and per
error class of the item that carries it.

    items = load_items(LABELLED_DATA / "entity_eval" / "dev.yaml", "dev")
    predictions = [{"id": "en-001", "countries": ["RU", "PS"], "leaders": [{"key": ...}]}, ...]
    print(format_report(score(items, predictions)))

Tune on dev.yaml only; score holdout.yaml once a change is final, and do not read its texts or
its errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

LANGUAGES = ("en", "ru", "es", "fr")
SPLITS = ("dev", "holdout")
HOW = ("title_name", "discovered", "name", "alias", "surname", "title_date")
EVENT_TYPES = {
    "010": "make a public statement",
    "036": "express intent to meet or negotiate",
    "040": "consult",
    "041": "discuss by telephone",
    "042": "make a visit",
    "043": "host a visit",
    "044": "meet at a third location",
    "046": "engage in negotiation",
    "057": "sign a formal agreement",
    "111": "criticize or denounce",
    "112": "accuse",
    "condolences": "express condolences",
    "congratulations": "congratulate",
}
SYMMETRIC_TYPES = frozenset({"040", "041", "044", "046", "057"})
CLASSES = (
    "emoji_glued",
    "title_phrase",
    "surname_later",
    "transliteration",
    "shared_surname",
    "past_leader",
    "unlisted_person",
    "title_only",
    "us_state_georgia",
    "name_in_person",
    "congo",
    "guinea",
    "region_not_country",
    "demonym",
    "lao",
    "seat_of_power",
    "event_country_only",
    "event_date_in_text",
    "cross_language",
    "multi_sentence",
    "control",
)
# The Soviet Union has no iso2 code in use; its leaders carry SU and add no country.
HISTORICAL_STATES = frozenset({"SU"})
REQUIRED = ("id", "lang", "channel", "published_at", "split", "text", "countries", "leaders")
REQUIRED += ("events", "classes")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_PATTERN = re.compile(r"^(en|ru|es|fr)-\d{3}$")
# libyaml's safe loader reads the labelled files ten times faster than the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LabelError(ValueError):
    """A labelled file breaks the guide; the message names the file, the item and the rule."""


def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


# --- loading and checking the labels -------------------------------------------------------------


def _iso(value) -> str | None:
    """YAML reads unquoted dates and times as objects; the labels compare them as ISO text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _actor(value) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        return {"leader": None, "country": None, "invalid": value}
    return {"leader": value.get("leader"), "country": value.get("country")}


def normalise_item(item: Mapping) -> dict:
    """Dates as ISO strings, actors with both keys, optional fields present."""
    out = dict(item)
    out["published_at"] = _iso(item.get("published_at"))
    out.setdefault("context", [])
    out["events"] = [
        {
            **event,
            "type": event.get("type"),
            "actor1": _actor(event.get("actor1")),
            "actor2": _actor(event.get("actor2")),
            "place": event.get("place"),
            "date": _iso(event.get("date")),
            "event_id": event.get("event_id"),
        }
        for event in (item.get("events") or [])
    ]
    return out


def item_problems(item: Mapping, countries: frozenset[str] | None = None) -> list[str]:
    """What in one normalised item breaks the guide (empty when nothing)."""
    valid = countries or country_codes()
    problems = [f"missing field {name!r}" for name in REQUIRED if name not in item]
    if problems:
        return problems
    text = item["text"]
    if not ID_PATTERN.match(str(item["id"])) or not str(item["id"]).startswith(item["lang"]):
        problems.append(f"id {item['id']!r} is not <lang>-<nnn> of its language")
    if item["lang"] not in LANGUAGES:
        problems.append(f"lang {item['lang']!r} not in {LANGUAGES}")
    if item["split"] not in SPLITS:
        problems.append(f"split {item['split']!r} not in {SPLITS}")
    try:
        dt.datetime.fromisoformat(item["published_at"])
    except (TypeError, ValueError):
        problems.append(f"published_at {item['published_at']!r} is not an ISO date and time")
    codes = item["countries"]
    if len(set(codes)) != len(codes):
        problems.append(f"countries repeat a code: {codes}")
    problems += [f"country {c!r} is not an iso2 code" for c in codes if c not in valid]
    classes = item["classes"]
    if not classes:
        problems.append("no error class")
    problems += [f"unknown class {c!r}" for c in classes if c not in CLASSES]

    leaders = {}
    for leader in item["leaders"]:
        key = leader.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(f"leader key {key!r} is not a slug")
        if key in leaders:
            problems.append(f"leader {key!r} listed twice")
        leaders[key] = leader
        if leader.get("how") not in HOW:
            problems.append(f"leader {key!r}: how {leader.get('how')!r} not in {HOW}")
        if not leader.get("name") or leader["name"] not in text:
            problems.append(f"leader {key!r}: name {leader.get('name')!r} is not in the text")
        country = leader.get("country")
        if country is not None and country not in valid | HISTORICAL_STATES:
            problems.append(f"leader {key!r}: country {country!r} is not an iso2 code")
        if country is not None and country not in HISTORICAL_STATES and country not in codes:
            problems.append(f"leader {key!r}: country {country} missing from countries")

    for n, event in enumerate(item["events"], start=1):
        where = f"event {n}"
        if event["type"] not in EVENT_TYPES:
            problems.append(f"{where}: type {event['type']!r} not in {sorted(EVENT_TYPES)}")
        if not event.get("evidence") or event["evidence"] not in text:
            problems.append(f"{where}: evidence {event.get('evidence')!r} is not in the text")
        try:
            dt.date.fromisoformat(event["date"] or "")
        except ValueError:
            problems.append(f"{where}: date {event['date']!r} is not YYYY-MM-DD")
        if event["place"] is not None and not isinstance(event["place"], str):
            problems.append(f"{where}: place {event['place']!r} is not a name")
        if event["actor1"] is None:
            problems.append(f"{where}: no actor1")
        if (event["actor2"] is None) != (event["type"] == "010"):
            problems.append(f"{where}: actor2 must be null exactly for statements (010)")
        for role in ("actor1", "actor2"):
            actor = event[role]
            if actor is None:
                continue
            if "invalid" in actor or (actor["leader"] is None and actor["country"] is None):
                problems.append(f"{where}: {role} names neither a leader nor a country")
                continue
            if actor["leader"] is not None:
                labelled = leaders.get(actor["leader"])
                if labelled is None:
                    problems.append(f"{where}: {role} {actor['leader']!r} is not in leaders")
                elif labelled.get("country") != actor["country"]:
                    problems.append(f"{where}: {role} country differs from its leader's")
            elif actor["country"] not in codes:
                problems.append(f"{where}: {role} country {actor['country']!r} not in countries")
    return problems


def set_problems(items: list[dict]) -> list[str]:
    """What breaks the guide across items: ids, contexts, and reports of one event."""
    problems = []
    by_id: dict[str, dict] = {}
    for item in items:
        if item["id"] in by_id:
            problems.append(f"{item['id']}: id used twice")
        by_id[item["id"]] = item
    for item in items:
        for ref in item.get("context", []):
            earlier = by_id.get(ref)
            if earlier is None:
                problems.append(f"{item['id']}: context {ref!r} does not exist")
                continue
            if (earlier["channel"], earlier["split"]) != (item["channel"], item["split"]):
                problems.append(f"{item['id']}: context {ref} is another channel or split")
            if earlier["published_at"] >= item["published_at"]:
                problems.append(f"{item['id']}: context {ref} is not earlier")
    reports: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for item in items:
        for event in item["events"]:
            if event["event_id"]:
                reports[event["event_id"]].append((item, event))
    for event_id, group in reports.items():
        if len(group) < 2:
            problems.append(f"{event_id}: an event id with a single report")
        if len({item["split"] for item, _ in group}) > 1:
            problems.append(f"{event_id}: reports in both splits")
        if len({(e["type"], actors_key(e), e["date"]) for _, e in group}) > 1:
            problems.append(f"{event_id}: reports disagree on type, actors or date")
    return problems


def load_items(path: Path, split: str | None = None) -> list[dict]:
    """The labelled items of one file, normalised and checked; LabelError names what is wrong."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise LabelError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, list) or not all(isinstance(i, Mapping) for i in raw):
        raise LabelError(f"{path}: expected a list of items")
    items = [normalise_item(i) for i in raw]
    valid = country_codes()
    problems = [
        f"{item.get('id', f'item {n}')}: {problem}"
        for n, item in enumerate(items, start=1)
        for problem in item_problems(item, valid)
    ]
    if split is not None:
        problems += [
            f"{i['id']}: split {i['split']!r} in the {split} file"
            for i in items
            if i["split"] != split
        ]
    if problems:
        raise LabelError(f"{path}: " + "; ".join(problems))
    return items


# --- scoring -------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None


FIELDS = ("countries", "leaders", "events")


@dataclass
class Report:
    """Every figure of one scoring run; `format_report` prints it."""

    items: int = 0
    overall: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    by_language: dict[str, dict[str, Counts]] = field(default_factory=dict)
    by_class: dict[str, dict[str, Counts]] = field(default_factory=dict)
    items_by_language: dict[str, int] = field(default_factory=dict)
    items_by_class: dict[str, int] = field(default_factory=dict)
    leader_recall_by_how: dict[str, Ratio] = field(default_factory=dict)
    leader_how_agrees: Ratio = field(default_factory=Ratio)
    events_by_type: dict[str, Counts] = field(default_factory=dict)
    event_dates: Ratio = field(default_factory=Ratio)
    event_places: Ratio = field(default_factory=Ratio)
    # event_id -> (reports found, reports labelled)
    event_reports: dict[str, Ratio] = field(default_factory=dict)


def actor_key(actor: Mapping | None) -> tuple[str, str] | None:
    """A person is known by the leader key; a country alone by its code."""
    if actor is None:
        return None
    if actor.get("leader"):
        return ("leader", actor["leader"])
    return ("country", actor.get("country"))


def actors_key(event: Mapping) -> tuple | frozenset:
    pair = (actor_key(event.get("actor1")), actor_key(event.get("actor2")))
    return frozenset(pair) if event.get("type") in SYMMETRIC_TYPES else pair


def event_key(event: Mapping) -> tuple:
    return (event.get("type"), actors_key(event))


def _folded(name: str | None) -> str | None:
    if name is None:
        return None
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def match_events(gold: list[Mapping], predicted: list[Mapping]) -> list[tuple[Mapping, Mapping]]:
    """Pairs (label, prediction) with the same type and actors, each used once; among equals the
    prediction with the label's date is taken first, so that date agreement is not understated."""
    free = list(predicted)
    pairs = []
    for label in gold:
        same = [p for p in free if event_key(p) == event_key(label)]
        if not same:
            continue
        best = next((p for p in same if _iso(p.get("date")) == label.get("date")), same[0])
        free.remove(best)
        pairs.append((label, best))
    return pairs


def _bucket(table: dict[str, dict[str, Counts]], name: str) -> dict[str, Counts]:
    return table.setdefault(name, {f: Counts() for f in FIELDS})


def score(labels: Iterable[Mapping], predictions: Iterable[Mapping]) -> Report:
    """Compare predictions with labels item by item (by id); an item without a prediction
    predicted nothing. A prediction for an id that has no label is an error, not a free pass."""
    labels = [normalise_item(i) for i in labels]
    by_id = {p["id"]: p for p in predictions}
    unknown = sorted(set(by_id) - {i["id"] for i in labels})
    if unknown:
        raise ValueError(f"predictions for items that have no label: {unknown}")
    report = Report(items=len(labels))
    for item in labels:
        got = by_id.get(item["id"], {})
        buckets = [report.overall, _bucket(report.by_language, item["lang"])]
        buckets += [_bucket(report.by_class, c) for c in item["classes"]]
        report.items_by_language[item["lang"]] = report.items_by_language.get(item["lang"], 0) + 1
        for c in item["classes"]:
            report.items_by_class[c] = report.items_by_class.get(c, 0) + 1

        gold_countries, got_countries = set(item["countries"]), set(got.get("countries", []))
        gold_leaders = {entry["key"]: entry for entry in item["leaders"]}
        got_leaders = {entry["key"]: entry for entry in got.get("leaders", [])}
        gold_events = item["events"]
        got_events = [
            {**e, "actor1": _actor(e.get("actor1")), "actor2": _actor(e.get("actor2"))}
            for e in got.get("events", [])
        ]
        pairs = match_events(gold_events, got_events)
        for bucket in buckets:
            bucket["countries"].add(
                tp=len(gold_countries & got_countries),
                fp=len(got_countries - gold_countries),
                fn=len(gold_countries - got_countries),
            )
            bucket["leaders"].add(
                tp=len(gold_leaders.keys() & got_leaders.keys()),
                fp=len(got_leaders.keys() - gold_leaders.keys()),
                fn=len(gold_leaders.keys() - got_leaders.keys()),
            )
            bucket["events"].add(
                tp=len(pairs), fp=len(got_events) - len(pairs), fn=len(gold_events) - len(pairs)
            )

        for key, entry in gold_leaders.items():
            ratio = report.leader_recall_by_how.setdefault(entry["how"], Ratio())
            ratio.total += 1
            ratio.hit += key in got_leaders
            if key in got_leaders and got_leaders[key].get("how"):
                report.leader_how_agrees.total += 1
                report.leader_how_agrees.hit += got_leaders[key]["how"] == entry["how"]

        matched_gold = [id(label) for label, _ in pairs]
        matched_got = [id(prediction) for _, prediction in pairs]
        for event in gold_events:
            counts = report.events_by_type.setdefault(event["type"], Counts())
            counts.add(tp=id(event) in matched_gold, fn=id(event) not in matched_gold)
            if event["event_id"]:
                reports = report.event_reports.setdefault(event["event_id"], Ratio())
                reports.total += 1
                reports.hit += id(event) in matched_gold
        for event in got_events:
            if id(event) not in matched_got:
                report.events_by_type.setdefault(event.get("type"), Counts()).add(fp=1)
        for label, prediction in pairs:
            report.event_dates.total += 1
            report.event_dates.hit += _iso(prediction.get("date")) == label["date"]
            if label["place"] is not None:
                report.event_places.total += 1
                report.event_places.hit += _folded(prediction.get("place")) == _folded(
                    label["place"]
                )
    return report


# --- printing ------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   —" if value is None else f"{value:4.2f}"


def _pr(counts: Counts) -> str:
    return f"{_pct(counts.precision)} {_pct(counts.recall)}"


def format_report(report: Report) -> str:
    """A small table: precision and recall per field, overall, per language, per error class;
    then leaders' recall per `how`, events per type, dates and places, reports of one event."""
    head = f"{'':22} {'items':>5}  {'countries P R':>13}  {'leaders P R':>11}  {'events P R':>10}"
    lines = [head, "-" * len(head)]

    def row(name: str, n: int, counts: dict[str, Counts]) -> str:
        cells = "  ".join(_pr(counts[f]) for f in FIELDS)
        return f"{name:22} {n:5}  {cells}"

    lines.append(row("all", report.items, report.overall))
    for lang in LANGUAGES:
        if lang in report.by_language:
            lines.append(
                row(f"lang {lang}", report.items_by_language[lang], report.by_language[lang])
            )
    for name in CLASSES:
        if name in report.by_class:
            lines.append(row(name, report.items_by_class[name], report.by_class[name]))

    hows = ", ".join(
        f"{how} {_pct(r.value).strip()} ({r.hit}/{r.total})"
        for how, r in sorted(report.leader_recall_by_how.items())
    )
    lines.append(f"leaders' recall by how: {hows}")
    agrees = report.leader_how_agrees
    lines.append(f"how agrees on found leaders: {agrees.hit}/{agrees.total}")
    types = ", ".join(
        f"{t} {_pr(c).replace('  ', ' ').strip()}"
        for t, c in sorted(report.events_by_type.items(), key=lambda kv: str(kv[0]))
    )
    lines.append(f"events P R by type: {types}")
    dates, places = report.event_dates, report.event_places
    lines.append(
        f"matched events with the right date: {dates.hit}/{dates.total}; "
        f"with the right place (where labelled): {places.hit}/{places.total}"
    )
    groups = report.event_reports.values()
    complete = sum(r.hit == r.total for r in groups)
    partial = sum(0 < r.hit < r.total for r in groups)
    found = sum(r.hit for r in groups)
    total = sum(r.total for r in groups)
    lines.append(
        f"events reported several times: {len(groups)}; all reports found {complete}, "
        f"some {partial}, none {len(groups) - complete - partial}; reports found {found}/{total}"
    )
    return "\n".join(lines)
