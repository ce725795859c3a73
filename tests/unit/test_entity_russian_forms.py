"""Russian case forms against the reference: a full name whose surname ends in -ей in every
case, and a country whose stem would take an unrelated word."""

from __future__ import annotations

import polars as pl

from orchestration.entities.match import match_posts


def _found(texts: list[str]):
    posts = pl.DataFrame({"post_key": [str(i) for i in range(len(texts))], "text": texts})
    return match_posts(posts)


def _by_post(frame: pl.DataFrame, column: str) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in frame.group_by("post_key").agg(column).rows()}


def test_a_full_name_ending_in_ei_is_the_listed_person_in_every_case():
    found = _found(
        [
            "Хавьер Милей прибыл в Москву.",
            "Сергей Лавров провёл переговоры с президентом Аргентины Хавьером Милеем.",
        ]
    )
    leaders = _by_post(found.leader_mentions, "leader_key")
    assert leaders["0"] == ["javier-milei"]
    assert leaders["1"] == ["javier-milei", "sergey-lavrov"]
    # (not a person on no list, named by the stem "Миле")
    assert found.discovered.height == 0


def test_qatar_in_its_cases_but_not_a_given_name_that_begins_like_it():
    found = _found(
        [
            "Катарина Бок выступила на концерте в Москве.",
            "Лавров заявил о сотрудничестве с Катаром.",
            "Лавров побывал в Катаре.",
        ]
    )
    countries = _by_post(found.country_mentions, "iso2")
    assert "QA" not in countries.get("0", [])
    assert "QA" in countries["1"]
    assert "QA" in countries["2"]
