"""The labelled queries (tests/data/search_queries.yaml) ranked over the corpus of posts in four
languages: stemming per language, phrases, boolean operators, prefixes, filters."""

from datetime import date

import pytest
import yaml
from support.search_warehouse import QUERIES, corpus_posts, write_warehouse

from orchestration.config import Home
from orchestration.search.build import build_search_index
from orchestration.search.generations import SearchGenerations
from orchestration.search.query import SearchRequest, search

LABELLED = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    home = Home(tmp_path_factory.mktemp("search-corpus"))
    write_warehouse(home.warehouse.published, corpus_posts())
    build = build_search_index(home.search, home.warehouse.published)
    assert build.mode == "full" and build.documents == len(corpus_posts())
    return SearchGenerations(home.search).open_current()


def _as_date(value) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


@pytest.mark.parametrize(
    "labelled", LABELLED, ids=[f"{q['query']}|{q.get('note', '')}" for q in LABELLED]
)
def test_expected_posts_rank_in_the_top_k(corpus_index, labelled):
    request = SearchRequest(
        query=labelled["query"],
        channel=labelled.get("channel"),
        since=_as_date(labelled.get("since")),
        until=_as_date(labelled.get("until")),
        language=labelled.get("lang"),
        limit=50,
    )
    found = [hit.post_key for hit in search(corpus_index, request).hits]
    k = labelled.get("k", 3)
    for expected in labelled["expect"]:
        assert expected in found[:k], f"{expected} not in the top {k}: {found}"
    for absent in labelled.get("absent", []):
        assert absent not in found, f"{absent} should not match: {found}"
    if not labelled["expect"]:
        assert not set(found) & set(labelled.get("absent", []))


def test_the_labelled_set_covers_every_kind_of_query():
    """The set keeps testing what it says it tests: each language's stemming, phrases,
    operators, prefixes and each filter."""
    queries = [q["query"] for q in LABELLED]
    assert any('"' in q for q in queries)
    assert any("*" in q for q in queries)
    assert all(any(op in q for q in queries) for op in (" AND ", " OR ", " NOT ", " -"))
    assert {q.get("lang") for q in LABELLED} >= {"fr", "es"}
    assert all(any(name in q for q in LABELLED) for name in ("channel", "since", "until"))
    assert {"negotiation", "переговоры", "negociación", "négociation"} <= set(queries)
