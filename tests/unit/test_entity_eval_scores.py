"""Precision and recall of match_posts on the labelled posts of tests/data/entity_eval/.

Prints the scorer's report (per language and per error class) and checks the targets:
countries P and R >= 0.95; leaders P >= 0.95 and R >= 0.9 in English, >= 0.85 in Russian,
Spanish and French; events (type and both actors right) P >= 0.85, R >= 0.8. Tuning looks at
dev.yaml only; holdout.yaml is scored, never read for tuning.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from support.entity_scoring import format_report, load_items, score
from support.paths import LABELLED_DATA

from orchestration.entities.match import match_posts

LEADER_RECALL = {"en": 0.9, "ru": 0.85, "es": 0.85, "fr": 0.85}
TARGETS = ("countries", "leaders", "events")
# The targets either file does not meet yet, with the figures measured. The holdout here was
# written from the guide alone, without the matcher's output, and scored once (2026-12-02):
# countries P R 0.99 0.99; leaders 0.95 0.95 (ru P 0.89); events 0.79 0.81. Scored again after
# rules tuned on 66 newer dev posts (their events 0.83 0.85 -> 0.89 0.89): the same figures.
# Dev (736 posts): events 0.97 0.96, leaders 0.99 0.98.
# 80 dev posts written after that, before any rule was tuned on them, scored events 0.78 0.68
# (ru 0.73 0.63). Rules tuned on dev for them (delegation heads, lists of counterparts, group
# subjects, passive reception, statements after quotes, denials and questions, announced visits,
# initials, Kremlin titles, place names holding a surname): those 80 posts 0.78 0.68 -> 1.00
# 0.96, dev (816 posts) events 0.96 0.94 -> 0.99 0.98; the holdout, scored after (2026-12-03):
# events 0.79 0.81 -> 0.86 0.87 (ru 0.79 0.81), leaders 0.97 0.95 (ru 0.92 0.92), countries
# 0.99 0.99.
# 26 dev posts written after that (sun-letter Arabic articles, words and given names that share
# a surname's stem, former offices, titles joined by "and") scored leaders 0.61 0.83 before the
# rules tuned on them (case forms as written, former offices, one key across scripts by looser
# skeletons); dev (842 posts) leaders 1.00 0.99, events 0.99 0.98. The holdout, scored after
# (2026-12-03): leaders 0.97 0.96 (ru 0.93 0.93), events 0.86 0.87, countries 0.99 0.99.
# 60 dev posts written after that by a labeller who never saw the matcher (ru-700..739,
# es-700..709, fr-700..709) scored blind leaders 0.89 0.84 (ru 0.84 0.79), events 0.71 0.72:
# most misses were people on no list named in Cyrillic only, keyed by a transliteration. The
# office table then grew (foreign ministers of 74 more states, Russian names of 1,400 past
# heads of state and government, speakers, spokespeople, heads of the GCC, OIC, NDB and
# ECOWAS): those 60 posts leaders 0.95 0.93, events 0.85 0.88; dev (902 posts) leaders 0.99
# 0.99. The holdout, scored after (2026-12-04): leaders 0.98 0.97 (ru 0.96 0.96), events 0.88
# 0.89, countries 0.99 0.99: every target met.
NOT_MET: dict[str, str] = {}


def predictions(items: list[dict]) -> list[dict]:
    """Run match_posts over the items as one batch, in publication order."""
    posts = pl.DataFrame(
        {
            "post_key": [i["id"] for i in items],
            "text": [i["text"] for i in items],
            "channel": [i["channel"] for i in items],
            "published_at": [dt.datetime.fromisoformat(i["published_at"]) for i in items],
        }
    ).with_columns(pl.col("published_at").dt.convert_time_zone("UTC"))
    found = match_posts(posts)
    countries = dict(found.country_mentions.group_by("post_key").agg("iso2").rows())
    leaders = dict(
        found.leader_mentions.group_by("post_key")
        .agg(pl.struct(key="leader_key", how="resolved_by"))
        .rows()
    )
    events: dict[str, list] = {}
    for e in found.diplomatic_events.iter_rows(named=True):
        events.setdefault(e["post_key"], []).append(
            {
                "type": e["event_type"],
                "actor1": {"leader": e["actor1_leader_key"], "country": e["actor1_iso2"]},
                "actor2": None
                if e["event_type"] == "010"
                else {"leader": e["actor2_leader_key"], "country": e["actor2_iso2"]},
                "date": e["event_date"].isoformat() if e["event_date"] else None,
                "place": e["place"],
            }
        )
    return [
        {
            "id": i["id"],
            "countries": [c for c in countries.get(i["id"], []) if c != "SU"],
            "leaders": leaders.get(i["id"], []),
            "events": events.get(i["id"], []),
        }
        for i in items
    ]


def check_targets(report) -> dict[str, list[str]]:
    """The targets each field misses, by field."""
    misses: dict[str, list[str]] = {target: [] for target in TARGETS}
    countries = report.overall["countries"]
    for name, value in (("P", countries.precision), ("R", countries.recall)):
        if value < 0.95:
            misses["countries"].append(f"countries {name} {value:.2f} < 0.95")
    for lang, minimum in LEADER_RECALL.items():
        leaders = report.by_language[lang]["leaders"]
        if leaders.precision < 0.95:
            misses["leaders"].append(f"leaders {lang} P {leaders.precision:.2f} < 0.95")
        if leaders.recall < minimum:
            misses["leaders"].append(f"leaders {lang} R {leaders.recall:.2f} < {minimum}")
    events = report.overall["events"]
    if events.precision < 0.85:
        misses["events"].append(f"events P {events.precision:.2f} < 0.85")
    if events.recall < 0.8:
        misses["events"].append(f"events R {events.recall:.2f} < 0.8")
    return misses


@pytest.fixture(scope="module")
def dev_report():
    items = load_items(LABELLED_DATA / "entity_eval" / "dev.yaml", "dev")
    report = score(items, predictions(items))
    print("\n" + format_report(report))
    return report


@pytest.fixture(scope="module")
def holdout_report():
    """Scored, never read for tuning: only its aggregate figures are looked at."""
    items = load_items(LABELLED_DATA / "entity_eval" / "holdout.yaml", "holdout")
    report = score(items, predictions(items))
    print("\n" + format_report(report))
    return report


def test_dev_scores_are_printed_and_sane(dev_report):
    """Floors well below the targets: a regression in the matcher fails here at once."""
    assert dev_report.overall["countries"].precision >= 0.9
    assert dev_report.overall["countries"].recall >= 0.9
    assert dev_report.overall["leaders"].precision >= 0.9
    assert dev_report.overall["leaders"].recall >= 0.85
    assert dev_report.overall["events"].precision >= 0.7
    assert dev_report.overall["events"].recall >= 0.6


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(t, marks=pytest.mark.xfail(reason=NOT_MET[t], strict=True))
        if t in NOT_MET
        else t
        for t in TARGETS
    ],
)
def test_the_target_is_met_on_dev_and_holdout(dev_report, holdout_report, target):
    misses = check_targets(dev_report)[target] + check_targets(holdout_report)[target]
    assert misses == []
