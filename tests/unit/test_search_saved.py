"""Saved searches: kept in the home, evaluated after each publish, reporting each new hit once."""

from datetime import date

import pytest
from support.search_warehouse import post_row, write_warehouse

from orchestration.config import Home
from orchestration.search.build import build_search_index
from orchestration.search.generations import SearchGenerations
from orchestration.search.saved import (
    SavedSearch,
    SavedSearchError,
    SavedSearches,
    evaluate_saved_searches,
    last_evaluation,
    markdown,
)

DAY = date(2025, 3, 1)
HISTORY = [
    post_row("mfa_russia/1", "Sanctions against Russia are illegal", id=1, date=DAY),
    post_row("mfa_russia/2", "Talks on grain exports", id=2, date=DAY),
    post_row("MID_Russia/1", "Новые санкции Запада", id=1, date=DAY, lang="ru"),
]


@pytest.fixture
def home(tmp_path) -> Home:
    return Home(tmp_path / "home")


def publish_and_evaluate(home: Home, posts, run_id="run", **warehouse):
    write_warehouse(home.warehouse.published, posts, **warehouse)
    build_search_index(home.search, home.warehouse.published)
    opened = SearchGenerations(home.search).open_current()
    evaluation = evaluate_saved_searches(home.search, opened, run_id=run_id)
    return {result.name: result for result in evaluation.results}, evaluation


def test_saved_searches_are_kept_listed_and_removed(home):
    saved = SavedSearches(home.search)
    saved.save(SavedSearch("sanctions", "sanctions", language="en"))
    saved.save(SavedSearch("grain", '"grain exports"', channel="mfa_russia", since="2025-01-01"))
    assert sorted(saved.all()) == ["grain", "sanctions"]
    assert (
        saved.all()["grain"].describe()
        == '"\\"grain exports\\"" --channel mfa_russia --since 2025-01-01'
    )
    saved.save(SavedSearch("grain", "grain"))  # saving a name again replaces it
    assert saved.all()["grain"].query == "grain"
    saved.remove("grain")
    assert sorted(saved.all()) == ["sanctions"]
    with pytest.raises(SavedSearchError, match="no saved search named 'grain'"):
        saved.remove("grain")


@pytest.mark.parametrize(
    "search, problem",
    [
        (SavedSearch("has space", "x"), "name"),
        (SavedSearch("", "x"), "name"),
        (SavedSearch("empty", "  "), "empty"),
        (SavedSearch("only-not", "-sanctions"), "only words to exclude"),
        (SavedSearch("lang", "x", language="de"), "unknown language"),
    ],
)
def test_a_search_that_cannot_run_is_not_saved(home, search, problem):
    with pytest.raises(SavedSearchError, match=problem):
        SavedSearches(home.search).save(search)
    assert SavedSearches(home.search).all() == {}


def test_new_hits_are_those_of_batches_no_evaluation_covered(home):
    saved = SavedSearches(home.search)
    saved.save(SavedSearch("sanctions", "sanction*"))
    saved.save(SavedSearch("ru_sanctions", "санкции", language="ru"))
    saved.save(SavedSearch("grain", "grain"))

    first, _ = publish_and_evaluate(home, HISTORY, run_id="first")
    assert {n: r.new_hits for n, r in first.items()} == {
        "sanctions": 1,  # the plain field: sanction* does not reach the Cyrillic word
        "ru_sanctions": 1,
        "grain": 1,
    }

    # An edited post and a new one, in a new batch: only they are news.
    posts = [
        HISTORY[0] | {"batch_id": "b2"},  # landed again, its text unchanged: no news
        post_row("mfa_russia/2", "Grain talks broke down over sanctions", id=2, batch="b2"),
        HISTORY[2],
        post_row("mfa_russia/3", "More sanctions", id=3, date=date(2025, 3, 2), batch="b2"),
    ]
    second, evaluation = publish_and_evaluate(home, posts, run_id="second")
    assert evaluation.new_batches == 1
    assert second["sanctions"].new_hits == 2
    assert [h.post_key for h in second["sanctions"].newest] == ["mfa_russia/3", "mfa_russia/2"]
    assert second["grain"].new_hits == 1 and second["ru_sanctions"].new_hits == 0
    assert last_evaluation(home.search)["run_id"] == "second"
    listed = markdown(evaluation)
    assert "**sanctions** `sanction*`: 2 new" in listed
    assert "[mfa_russia/3](https://t.me/mfa_russia/3) 2025-03-02" in listed

    # Nothing new, then a full rebuild of the index (new code): nothing is news again.
    third, _ = publish_and_evaluate(home, posts, run_id="third")
    assert {r.new_hits for r in third.values()} == {0}
    rebuilt, _ = publish_and_evaluate(home, posts, run_id="fourth", fingerprint="code-2")
    assert {r.new_hits for r in rebuilt.values()} == {0}


def test_a_saved_search_keeps_its_filters(home):
    SavedSearches(home.search).save(
        SavedSearch("ru_only", "санкции OR sanctions", channel="MID_Russia")
    )
    results, _ = publish_and_evaluate(home, HISTORY)
    assert [h.post_key for h in results["ru_only"].newest] == ["MID_Russia/1"]


def test_no_saved_searches_still_records_what_was_covered(home):
    _, evaluation = publish_and_evaluate(home, HISTORY)
    assert evaluation.results == [] and "no saved searches" in markdown(evaluation)
    SavedSearches(home.search).save(SavedSearch("grain", "grain"))
    # Saved after that evaluation: the posts published before are not news.
    results, _ = publish_and_evaluate(home, HISTORY)
    assert results["grain"].new_hits == 0
