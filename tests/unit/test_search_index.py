"""The search index follows the published warehouse: incremental builds that cost the new
posts, edited posts replaced, full rebuilds when they are due, generations readers can hold."""

import ast
import json
from datetime import date

import pytest
import tantivy
from support.search_warehouse import post_row, write_warehouse

from orchestration.config import PACKAGE_DIR, Home
from orchestration.search import build as build_module
from orchestration.search.build import build_search_index
from orchestration.search.generations import (
    KEEP_OLD_GENERATIONS,
    SearchGenerations,
    SearchIndexMissing,
    open_generation,
)
from orchestration.search.query import SearchRequest, search
from orchestration.search.schema import CHANGED_IN, POST_DAY, POST_KEY, SCHEMA, day_number

DAY = date(2025, 3, 1)


def first_batch() -> list[dict]:
    return [
        post_row("mfa_russia/1", "Talks on grain exports in Istanbul", id=1, date=DAY),
        post_row("mfa_russia/2", "Statement on sanctions", id=2, date=DAY),
        post_row("mfa_russia/3", None, id=3, date=DAY),  # a photo without caption
        post_row("MID_Russia/1", "Переговоры в Стамбуле", id=1, date=DAY, lang="ru"),
    ]


def keys(home: Home, query: str) -> list[str]:
    opened = SearchGenerations(home.search).open_current()
    return sorted(hit.post_key for hit in search(opened, SearchRequest(query, limit=100)).hits)


@pytest.fixture
def home(tmp_path) -> Home:
    home = Home(tmp_path / "home")
    write_warehouse(home.warehouse.published, first_batch())
    return home


def build(home: Home, **kwargs):
    return build_search_index(home.search, home.warehouse.published, **kwargs)


def test_the_first_build_indexes_every_post_with_text(home):
    done = build(home)
    assert (done.mode, done.posts_read, done.documents) == ("full", 4, 3)
    assert keys(home, "istanbul") == ["mfa_russia/1"]
    assert keys(home, "стамбул") == ["MID_Russia/1"]


def test_nothing_new_builds_nothing(home):
    first = build(home)
    again = build(home)
    assert again.mode == "up_to_date" and again.generation == first.generation
    assert again.posts_read == 0


def test_new_and_edited_posts_are_indexed_incrementally(home):
    first = build(home)
    posts = first_batch()
    posts[1] = post_row("mfa_russia/2", "Statement on the embargo", id=2, date=DAY, batch="b2")
    posts.append(post_row("mfa_russia/4", "Grain deal extended", id=4, date=DAY, batch="b2"))
    write_warehouse(home.warehouse.published, posts)
    done = build(home)
    assert done.mode == "incremental" and done.new_batches == ["b2"]
    assert done.posts_read == 2  # only the posts of the new batch
    assert (done.documents_written, done.documents) == (2, 4)
    assert keys(home, "sanctions") == []  # the edited post's old text is gone
    assert keys(home, "embargo") == ["mfa_russia/2"]
    assert keys(home, "grain") == ["mfa_russia/1", "mfa_russia/4"]
    # The generation readers had open is untouched by the build that followed it.
    old = open_generation(home.search.generation(first.generation))
    assert old.searcher.num_docs == 3
    assert [h.post_key for h in search(old, SearchRequest("sanctions")).hits] == ["mfa_russia/2"]


def test_a_post_landed_again_unchanged_keeps_its_document(home):
    build(home)
    posts = first_batch()
    posts[0] = posts[0] | {"batch_id": "b2"}  # the same post, in an overlapping export
    write_warehouse(home.warehouse.published, posts, batches=["b1", "b2"])
    done = build(home)
    assert (done.mode, done.posts_read, done.documents_written) == ("incremental", 1, 0)
    assert keys(home, "istanbul") == ["mfa_russia/1"]


def test_a_post_redated_with_its_text_kept_keeps_the_batch_its_text_changed_in(home):
    """Saved searches alert on posts whose text a new batch changed, not on a new date."""
    build(home)
    posts = first_batch()
    later = date(2025, 3, 2)
    posts[0] = post_row("mfa_russia/1", posts[0]["text"], id=1, date=later, batch="b2")
    posts.append(post_row("mfa_russia/4", "Grain deal extended", id=4, date=DAY, batch="b2"))
    write_warehouse(home.warehouse.published, posts)
    assert build(home).documents_written == 2
    searcher = SearchGenerations(home.search).open_current().searcher
    changed_in = {}
    for key in ("mfa_russia/1", "mfa_russia/4"):
        query = tantivy.Query.term_query(SCHEMA, POST_KEY, key)
        document = searcher.doc(searcher.search(query, 1).hits[0][1])
        changed_in[key] = (document.get_first(CHANGED_IN), document.get_first(POST_DAY))
    assert changed_in["mfa_russia/1"] == ("b1", day_number(later))  # redated, text as before
    assert changed_in["mfa_russia/4"] == ("b2", day_number(DAY))


def test_a_post_that_loses_its_text_leaves_the_index(home):
    build(home)
    posts = first_batch()
    posts[0] = post_row("mfa_russia/1", "", id=1, date=DAY, batch="b2")
    write_warehouse(home.warehouse.published, posts)
    assert build(home).documents == 2
    assert keys(home, "istanbul") == []


def test_a_warehouse_rebuilt_by_new_code_is_indexed_whole(home):
    build(home)
    write_warehouse(home.warehouse.published, first_batch(), fingerprint="code-2")
    done = build(home)
    assert done.mode == "full" and "other code" in done.reason
    assert done.posts_read == 4


def test_a_rollback_is_indexed_whole(home):
    build(home)
    posts = [*first_batch(), post_row("mfa_russia/9", "Bad data", id=9, date=DAY, batch="b2")]
    write_warehouse(home.warehouse.published, posts)
    assert build(home).mode == "incremental"
    write_warehouse(home.warehouse.published, first_batch())  # the build before, restored
    done = build(home)
    assert done.mode == "full" and "rollback" in done.reason
    assert keys(home, "bad") == []


def test_an_index_of_another_schema_is_rebuilt(home):
    first = build(home)
    state_file = home.search.generation(first.generation).state_file
    state = json.loads(state_file.read_text())
    state_file.write_text(json.dumps(state | {"index_format": "older"}))
    assert build(home).mode == "full"


def test_a_missing_index_is_rebuilt_and_searching_it_says_how(home):
    with pytest.raises(SearchIndexMissing, match="tgwh run"):
        SearchGenerations(home.search).open_current()
    build(home)
    home.search.current_file.unlink()
    assert build(home).mode == "full"


def test_an_incremental_build_that_disagrees_with_the_warehouse_is_redone_whole(home):
    build(home)
    # A post vanished without a new batch saying so, and a new batch arrived: the incremental
    # build would keep the vanished post; its document count gives it away.
    posts = [p for p in first_batch() if p["post_key"] != "mfa_russia/2"]
    posts.append(post_row("mfa_russia/4", "Grain deal extended", id=4, date=DAY, batch="b2"))
    write_warehouse(home.warehouse.published, posts)
    messages = []
    done = build(home, log=messages.append)
    assert done.mode == "full" and "documents" in done.reason and messages
    assert keys(home, "sanctions") == []


def test_old_generations_are_pruned_and_unfinished_ones_dropped(home, monkeypatch):
    generations = SearchGenerations(home.search)
    for batch in ["b2", "b3", "b4", "b5"]:
        posts = [*first_batch(), post_row(f"mfa_russia/{batch}", "More", id=9, batch=batch)]
        write_warehouse(home.warehouse.published, posts)
        build(home)
    kept = generations.generations()
    assert len(kept) == KEEP_OLD_GENERATIONS + 1 and kept[-1] == generations.current()

    def crash(*args, **kwargs):
        raise RuntimeError("killed while indexing")

    write_warehouse(home.warehouse.published, [*first_batch(), post_row("x/1", "y", id=1)])
    monkeypatch.setattr(build_module, "_add_posts", crash)
    with pytest.raises(RuntimeError, match="killed"):
        build(home)
    assert generations.generations() == kept  # the half-built generation is gone
    assert keys(home, "more") != []  # and searches still see the last published one


def test_no_warehouse_no_index(tmp_path):
    home = Home(tmp_path)
    assert build_search_index(home.search, home.warehouse.published).mode == "no_warehouse"


def test_the_search_package_is_pure_core():
    """No Dagster, no command line, no benchmark: the defs and the app call it, not back."""
    for path in (PACKAGE_DIR / "search").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in getattr(node, "names", [])]
                for name in filter(None, names):
                    assert not name.startswith(
                        (
                            "dagster",
                            "orchestration.defs",
                            "orchestration.app",
                            "orchestration.bench",
                        )
                    ), (path.name, name)


def test_an_unreadable_index_is_rebuilt_whole(home):
    first = build(home)
    (home.search.generation(first.generation).root / "meta.json").unlink()
    posts = [*first_batch(), post_row("mfa_russia/4", "Grain deal", id=4, date=DAY, batch="b2")]
    write_warehouse(home.warehouse.published, posts)
    messages = []
    done = build(home, log=messages.append)
    assert done.mode == "full" and "cannot be read" in done.reason and messages
    assert keys(home, "grain") == ["mfa_russia/1", "mfa_russia/4"]
