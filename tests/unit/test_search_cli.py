"""`tgwh search` as a user runs it: results as a table or JSON, clear errors, saved searches, and
the run summary's lines for saved searches' new hits."""

import json
from datetime import date

import pytest
from support.cli import tgwh
from support.search_warehouse import corpus_posts, post_row, write_warehouse

from orchestration.app.summary import print_saved_search_hits
from orchestration.config import Home
from orchestration.search.generations import SearchGenerations
from orchestration.search.saved import SavedSearch, SavedSearches, evaluate_saved_searches


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("search-cli"))
    write_warehouse(home.warehouse.published, corpus_posts())
    assert "indexed 34 posts" in tgwh(home.root, "search", "--reindex").stdout
    return home


def search_json(home: Home, *args: str) -> dict:
    return json.loads(tgwh(home.root, "search", "--format", "json", *args).stdout)


def test_a_table_of_ranked_hits_with_links(home):
    shown = tgwh(home.root, "search", "negotiation", "--lang", "en").stdout
    assert "mfa_russia/101" in shown and "https://t.me/mfa_russia/101" in shown
    assert "2 posts match" in shown
    assert "MAERusia/301" not in shown


def test_json_hits_carry_key_channel_date_link_and_snippet(home):
    found = search_json(home, "Zakharova", "--since", "2025-06-01")
    assert found["total"] == 1
    (hit,) = found["hits"]
    assert {k: hit[k] for k in ("post_key", "channel", "message_id", "date", "language")} == {
        "post_key": "mfa_russia/111",
        "channel": "mfa_russia",
        "message_id": 111,
        "date": "2025-06-09",
        "language": "en",
    }
    assert hit["link"] == "https://t.me/mfa_russia/111"
    ((start, end),) = hit["highlights"]
    assert hit["snippet"][start:end] == "Zakharova"


def test_a_text_copy_links_to_its_channel(home):
    (hit,) = search_json(home, "consulate")["hits"]
    assert hit["message_id"] is None and hit["link"] == "https://t.me/mfa_russia"


def test_limit_cuts_the_list_not_the_count(home):
    found = search_json(home, "Lavrov", "--limit", "2")
    assert len(found["hits"]) == 2 and found["total"] > 2
    assert [h["rank"] for h in found["hits"]] == [1, 2]
    assert found["hits"][0]["score"] >= found["hits"][1]["score"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--", "-sanctions"], "only words to exclude"),
        (['"unclosed phrase'], "does not parse"),
        ([], "give a QUERY"),
        (["x", "--since", "2025-02-01", "--until", "2025-01-01"], "after --until"),
        (["x", "--since", "yesterday"], "yesterday"),
        (["x", "--lang", "de"], "de"),
        (["--list", "--remove", "x"], "one of"),
    ],
)
def test_what_cannot_be_searched_is_said_plainly(home, args, message):
    result = tgwh(home.root, "search", *args, check=False)
    assert result.returncode != 0 and message in result.stderr + result.stdout


def test_no_index_yet_says_how_to_build_one(tmp_path):
    result = tgwh(tmp_path, "search", "anything", check=False)
    assert result.returncode == 1 and "tgwh run" in result.stderr


def test_save_list_and_remove(tmp_path):
    saved = tgwh(tmp_path, "search", "--save", "zakharova", "Zakharova", "--lang", "fr").stdout
    assert "saved zakharova" in saved
    assert '"Zakharova" --lang fr' in tgwh(tmp_path, "search", "--list").stdout
    listed = json.loads(tgwh(tmp_path, "search", "--list", "--format", "json").stdout)
    assert [entry["name"] for entry in listed] == ["zakharova"]
    assert "removed" in tgwh(tmp_path, "search", "--remove", "zakharova").stdout
    assert "no saved searches" in tgwh(tmp_path, "search", "--list").stdout
    bad = tgwh(tmp_path, "search", "--save", "a b", "x", check=False)
    assert bad.returncode == 1 and "name" in bad.stderr


def test_an_index_behind_a_rolled_back_warehouse_is_pointed_out(tmp_path):
    home = Home(tmp_path)
    posts = [
        post_row("mfa_russia/1", "Sanctions", id=1, date=date(2025, 1, 1), batch=b) for b in "ab"
    ]
    write_warehouse(home.warehouse.published, posts[:1])
    tgwh(home.root, "search", "--reindex")
    assert "another version" not in tgwh(home.root, "search", "sanctions").stderr
    write_warehouse(home.warehouse.published, posts[:1], batches=["a", "b"])
    assert "another version" in tgwh(home.root, "search", "sanctions").stderr


def test_the_run_summary_lists_this_runs_new_hits(tmp_path, capsys):
    home = Home(tmp_path)
    write_warehouse(home.warehouse.published, corpus_posts())
    tgwh(home.root, "search", "--reindex")
    SavedSearches(home.search).save(SavedSearch("unesco", "UNESCO"))
    opened = SearchGenerations(home.search).open_current()
    evaluate_saved_searches(home.search, opened, run_id="run-1")
    print_saved_search_hits(home, ["run-1"])
    shown = capsys.readouterr().out
    assert "unesco: 2 new" in shown
    assert "2025-05-30  https://t.me/MAERusia/305  La UNESCO celebró" in shown
    print_saved_search_hits(home, ["another-run"])  # not this run's evaluation: nothing
    assert capsys.readouterr().out == ""


def test_a_search_step_that_fails_after_the_publish_is_not_called_an_unpublished_run(
    tmp_path, capsys
):
    from orchestration.app.runner import RunOutcome
    from orchestration.app.summary import summarize

    outcome = RunOutcome(
        run_ids=["run-2"],
        success=False,
        failed_steps=["search__index"],
        errors=["search__index: disk full"],
        materialized={"warehouse/published", "normalized/posts"},
        published_key="warehouse/published",
        built_key="normalized/posts",
    )
    assert summarize(Home(tmp_path), outcome, tmp_path / "log") == 1
    shown = capsys.readouterr().err
    assert "The warehouse was published, but a step after the publish failed" in shown
    assert "disk full" in shown and "did not publish" not in shown
