"""Precision and recall of entity matching on a labelled set, and a run over real posts."""

from __future__ import annotations

import polars as pl
import pytest
import yaml
from support.paths import LABELLED_DATA

from orchestration.entities.match import match_entities

EVAL_FILE = LABELLED_DATA / "entity_eval.yaml"
MIN_SCORE = 0.9


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    items = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    assert len(items) >= 80
    return items


@pytest.fixture(scope="module")
def predicted(labelled) -> tuple[dict[str, set], dict[str, set]]:
    frame = pl.DataFrame(
        {"post_key": [f"e{i}" for i in range(len(labelled))], "text": [i["text"] for i in labelled]}
    )
    result = match_entities(frame)
    countries = result.country_mentions.group_by("post_key").agg("iso2").rows()
    leaders = result.leader_mentions.group_by("post_key").agg("leader_key").rows()
    return {k: set(v) for k, v in countries}, {k: set(v) for k, v in leaders}


def micro_scores(labelled, predictions: dict[str, set], field: str) -> tuple[float, float, list]:
    tp = fp = fn = 0
    errors = []
    for i, item in enumerate(labelled):
        gold, got = set(item[field]), predictions.get(f"e{i}", set())
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        if got != gold:
            errors.append((item["text"][:80], sorted(got - gold), sorted(gold - got)))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), errors


@pytest.mark.parametrize("field", ["countries", "leaders"])
def test_precision_and_recall(labelled, predicted, field):
    predictions = predicted[0] if field == "countries" else predicted[1]
    precision, recall, errors = micro_scores(labelled, predictions, field)
    print(
        f"\n{field}: micro precision {precision:.3f}, recall {recall:.3f} "
        f"over {len(labelled)} sentences"
    )
    for text, extra, missing in errors:
        print(f"  extra {extra} missing {missing}: {text}")
    assert precision >= MIN_SCORE and recall >= MIN_SCORE


def test_real_text_copy_posts(real_data):
    """The MFA text copy: paragraphs as posts; facts a reader can check in the file."""
    path = real_data / "text_copy" / "000_6dbfd9b700bf4de4.txt"
    paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    keys = [f"r{i}" for i in range(len(paragraphs))]
    frame = pl.DataFrame({"post_key": keys, "text": paragraphs})
    result = match_entities(frame)
    by_text = result.country_mentions.join(frame, on="post_key")

    def countries_where(fragment: str) -> set[str]:
        return set(by_text.filter(pl.col("text").str.contains(fragment, literal=True))["iso2"])

    assert countries_where("#RussiaBurkinaFaso") == {"RU", "BF"}
    assert countries_where("reaching US$6 billion") == {"RU", "VN"}
    assert countries_where("volunteers from Latin American countries") == {"CN"}
    assert {"RU", "ZW"} <= countries_where("Emmerson Dambudzo Mnangagwa (May 10")
    assert result.leaders.filter(pl.col("source") == "discovered").height == 0
    keys = set(result.leader_mentions["leader_key"])
    assert {
        "vladimir-putin",
        "mahmoud-abbas",
        "to-lam",
        "ibrahim-traore",
        "khalifa-haftar",
        "emmerson-mnangagwa",
        "recep-tayyip-erdogan",
        "donald-trump",
    } <= keys
