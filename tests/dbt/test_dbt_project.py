"""The dbt project builds the marts from normalized Parquet, and its tests catch broken data.

Runs the venv's real dbt against small synthetic Parquet files written with the layer contracts,
then reads the DuckDB warehouse it built.
"""

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
from support.cli import warehouse_snapshot
from support.dbt_build import (
    SOURCES,
    at,
    build,
    dbt_environment,
    post,
    project_files,
    rows,
    run_dbt,
    statuses,
)
from support.homes import copy_home

from orchestration.config import DBT_IN_HOME, DBT_PROJECT_DIR, Home, child_environment
from orchestration.config import dbt_environment as dbt_environment_of_runs
from orchestration.normalize.store import NormalizedStore
from orchestration.warehouse.stamp import stamp_build

TEXT_COPY_KEY = "mfa_russia/c5f2a9e1"


def synthetic_sources() -> dict[str, list[dict]]:
    """Two channels (one without any header), replies by id and by quoted text, mentions."""
    abbas_text = (
        "🇷🇺🇵🇸 President of Russia Vladimir Putin met with President of the State of Palestine "
        "Mahmoud Abbas (May 10, 2025)\n\n#Victory80"
    )
    posts = [
        post(
            channel="mfa_russia",
            message_id=100,
            published_at=at(10, 9),
            event_date=date(2025, 5, 10),
            text=abbas_text,
            hashtags=["victory80"],
            views=5400,
            media_kind="photo",
            media_kinds=["photo", "video"],
            media_count=3,
            links=["https://kremlin.ru/events/president/news/76905"],
        ),
        post(
            channel="mfa_russia",
            message_id=101,
            published_at=at(10, 10),
            text="Full statement below.",
            reply_to_message_id=100,
            reply_to_text="President of Russia Vladimir Putin met with",
            views=3100,
        ),
        post(
            channel="mfa_russia",
            message_id=102,
            published_at=at(11),
            text="As we said earlier.",
            reply_to_message_id=50,  # not in the warehouse
            is_edited=True,
            edited_at=at(11, 13),
        ),
        post(  # a later batch brings the post it replies to
            channel="mfa_russia",
            message_id=105,
            published_at=at(12, 14),
            text="Waiting for message 106.",
            reply_to_message_id=106,
        ),
        post(
            channel="mid_russia",
            message_id=7,
            published_at=at(9, 8),
            text="Брифинг официального представителя МИД России.",
            forwarded_from="Russian MFA",
            forwarded_from_link="https://t.me/mfa_russia/99",
            language="ru",
            source_format="desktop_export",
            source_file="/inbox/result.json",
        ),
        post(
            channel="mid_russia",
            message_id=8,
            published_at=at(12, 8),
            text="Заявление по США.",
            language="ru",
            source_format="desktop_export",
            source_file="/inbox/result.json",
        ),
        post(  # text copies carry neither message id nor time
            post_key=TEXT_COPY_KEY,
            channel="mfa_russia",
            message_id=None,
            published_at=None,
            event_date=date(2025, 5, 10),
            text="John Doe commented on the meeting.",
            reply_to_text="🇷🇺🇵🇸 President of Russia Vladimir Putin met with President of the…",
            source_format="text_copy",
            source_file="/inbox/copy.txt",
        ),
    ]
    header = {
        "channel": "mfa_russia",
        "photos": 16_300,
        "videos": 1370,
        "files": 3,
        "links": 16_900,
    }
    headers = [
        header
        | {
            "title": "Russian MFA",
            "description": "Official channel of the Russian MFA",
            "subscribers": 50_000,
            "observed_at": at(1),
            "source_format": "web_preview",
            "source_file": "/inbox/old.html",
        },
        header
        | {  # latest snapshot, but a text copy shows no description
            "title": "Russian MFA 🇷🇺",
            "description": None,
            "subscribers": 52_900,
            "observed_at": at(11),
            "source_format": "text_copy",
            "source_file": "/inbox/copy.txt",
        },
    ]
    countries = [
        {
            "iso2": "RU",
            "iso3": "RUS",
            "name": "Russia",
            "flag_emoji": "🇷🇺",
            "official_name": "Russian Federation",
        },
        {
            "iso2": "PS",
            "iso3": "PSE",
            "name": "Palestine",
            "flag_emoji": "🇵🇸",
            "official_name": "State of Palestine",
        },
        {
            "iso2": "US",
            "iso3": "USA",
            "name": "United States",
            "flag_emoji": "🇺🇸",
            "official_name": "United States of America",
        },
        {
            "iso2": "FR",
            "iso3": "FRA",
            "name": "France",
            "flag_emoji": "🇫🇷",
            "official_name": "French Republic",
        },
    ]
    leaders = [
        {
            "leader_key": "vladimir-putin",
            "name": "Vladimir Putin",
            "role": "President",
            "country_iso2": "RU",
            "source": "reference",
            "aliases": ["Putin"],
        },
        {
            "leader_key": "mahmoud-abbas",
            "name": "Mahmoud Abbas",
            "role": "President",
            "country_iso2": "PS",
            "source": "reference",
            "aliases": ["Abbas"],
        },
        {
            "leader_key": "john-doe",
            "name": "John Doe",
            "role": None,
            "country_iso2": None,
            "source": "discovered",
            "aliases": [],
        },
    ]
    country_mentions = [
        {
            "post_key": "mfa_russia/100",
            "iso2": "RU",
            "mention_count": 3,
            "evidence": ["flag", "leader", "name"],
        },
        {
            "post_key": "mfa_russia/100",
            "iso2": "PS",
            "mention_count": 3,
            "evidence": ["flag", "leader", "name"],
        },
        {
            "post_key": "mid_russia/8",
            "iso2": "US",
            "mention_count": 1,
            "evidence": ["name"],
        },
    ]
    leader_mentions = [
        {
            "post_key": "mfa_russia/100",
            "leader_key": "vladimir-putin",
            "mention_count": 1,
        },
        {
            "post_key": "mfa_russia/100",
            "leader_key": "mahmoud-abbas",
            "mention_count": 1,
        },
        {"post_key": TEXT_COPY_KEY, "leader_key": "john-doe", "mention_count": 1},
    ]
    diplomatic_events = [
        {  # reported by the English and the Russian channel: one event key
            "post_key": "mfa_russia/100",
            "event_type": "040",
            "actor1_leader_key": "vladimir-putin",
            "actor1_iso2": "RU",
            "actor2_leader_key": "mahmoud-abbas",
            "actor2_iso2": "PS",
            "place": "Moscow",
            "event_date": date(2025, 5, 10),
            "evidence": "met with",
            "position": 30,
        },
        {
            "post_key": "mid_russia/8",
            "event_type": "111",
            "actor1_leader_key": None,
            "actor1_iso2": "RU",
            "actor2_leader_key": None,
            "actor2_iso2": "US",
            "place": None,
            "event_date": date(2025, 5, 12),
            "evidence": "заявление по сша",
            "position": 0,
        },
    ]
    office_terms = [
        {
            "person_key": "vladimir-putin",
            "office": "head_of_state",
            "country_iso2": "RU",
            "title_en": "President of Russia",
            "start_date": date(2012, 5, 7),
            "end_date": None,
            "source": "offices",
        },
        {
            "person_key": "mahmoud-abbas",
            "office": "head_of_state",
            "country_iso2": "PS",
            "title_en": "President of the State of Palestine",
            "start_date": date(2005, 1, 15),
            "end_date": None,
            "source": "offices",
        },
    ]
    service_messages = [
        {
            "source_format": "desktop_export",
            "source_file": "/inbox/result.json",
            "source_position": 2,
            "channel": "mid_russia",
            "message_id": 6,
            "published_at": at(8),
            "action": "pin_message",
            "actor": "MID Russia",
            "text": None,
        },
    ]
    ingested_files = [
        {
            "batch_id": f"{n:064x}",
            "source_file": path,
            "source_format": fmt,
            "content_sha256": f"{n:064x}",
            "size_bytes": 1000 * n,
            "records_read": 4,
            "records_rejected": rejected,
            "service_messages": 0,
            "ingested_at": at(12),
        }
        for n, path, fmt, rejected in [
            (1, "/inbox/mfa_russia.html", "web_preview", 1),
            (2, "/inbox/result.json", "desktop_export", 0),
            (3, "/inbox/copy.txt", "text_copy", 0),
        ]
    ]
    rejects = [
        {
            "source_file": "/inbox/mfa_russia.html",
            "source_format": "web_preview",
            "source_position": 3,
            "reason": "message without data-post attribute",
            "rule": "unparseable_record",
            "excerpt": '<div class="tgme_widget_message">',
        },
    ]
    post_views = [
        {
            "post_key": post["post_key"],
            "channel": post["channel"],
            "message_id": post["message_id"],
            "observed_at": at(20 + seen),
            "views": post["views"] - 100 * (1 - seen),
            "source_format": post["source_format"],
        }
        for post in posts
        if post.get("views") is not None and post.get("message_id") is not None
        for seen in (0, 1)
    ]
    return {
        "posts": posts,
        "post_views": post_views,
        "channel_headers": headers,
        "service_messages": service_messages,
        "countries": countries,
        "leaders": leaders,
        "country_mentions": country_mentions,
        "leader_mentions": leader_mentions,
        "diplomatic_events": diplomatic_events,
        "office_terms": office_terms,
        "ingested_files": ingested_files,
        "rejects": rejects,
        "removed_batches": [],
    }


@pytest.fixture(scope="module")
def built_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    result, run_results = build(home, synthetic_sources())
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    not_passed = {k: v for k, v in statuses(run_results).items() if v not in ("success", "pass")}
    assert not not_passed
    return home


@pytest.fixture(scope="module")
def warehouse(built_home):
    connection = duckdb.connect(str(built_home / "warehouse" / "tgwh.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_build_runs_models_and_tests(built_home):
    run_results = json.loads((built_home / "dbt" / "target" / "run_results.json").read_text())
    kinds = {uid.split(".")[0] for uid in statuses(run_results)}
    assert kinds == {"model", "test"}
    assert sum(uid.startswith("test.") for uid in statuses(run_results)) >= 40
    assert (built_home / "dbt" / "logs" / "dbt.log").exists()


def test_schemas_are_exactly_staging_intermediate_marts_audit(warehouse):
    schemas = {
        row["table_schema"]
        for row in rows(warehouse, "select distinct table_schema from information_schema.tables")
    }
    assert schemas == {"staging", "intermediate", "marts", "audit"}
    marts = {
        row["table_name"]
        for row in rows(
            warehouse,
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE'",
        )
    }
    assert {
        "fct_posts",
        "dim_channels",
        "dim_countries",
        "dim_leaders",
        "fct_country_mentions",
        "fct_leader_mentions",
    } <= marts
    audit = {
        row["table_name"]
        for row in rows(
            warehouse,
            "select table_name from information_schema.tables where table_schema = 'audit'",
        )
    }
    assert audit == {"ingested_files", "rejects", "removed_batches", "coverage"}


def test_fct_posts_one_row_per_post_with_replies_resolved(warehouse):
    posts = {row["post_key"]: row for row in rows(warehouse, "select * from marts.fct_posts")}
    assert len(posts) == len(synthetic_sources()["posts"])
    reply = posts["mfa_russia/101"]
    assert (reply["reply_to_post_key"], reply["reply_resolved_by"]) == (
        "mfa_russia/100",
        "message_id",
    )
    assert posts["mfa_russia/102"]["reply_to_post_key"] is None
    assert posts["mfa_russia/102"]["is_reply"] is True
    text_copy = posts[TEXT_COPY_KEY]
    assert (text_copy["reply_to_post_key"], text_copy["reply_resolved_by"]) == (
        "mfa_russia/100",
        "quoted_text",
    )
    assert text_copy["published_date"] is None
    assert text_copy["post_date"] == date(2025, 5, 10)
    first = posts["mfa_russia/100"]
    assert first["media_kinds"] == ["photo", "video"]  # lists stay lists
    assert first["hashtags"] == ["victory80"]
    assert (first["country_count"], first["leader_count"]) == (2, 1 + 1)
    assert posts["mid_russia/7"]["is_forward"] is True
    assert posts["mid_russia/8"]["is_forward"] is False
    assert first["published_date"] == date(2025, 5, 10)


def test_dim_channels_takes_latest_header_and_keeps_headerless_channels(warehouse):
    channels = {row["channel"]: row for row in rows(warehouse, "select * from marts.dim_channels")}
    assert set(channels) == {"mfa_russia", "mid_russia"}
    mfa = channels["mfa_russia"]
    assert (mfa["subscribers"], mfa["title"]) == (52_900, "Russian MFA 🇷🇺")
    assert mfa["header_observed_at"] == at(11)
    assert mfa["description"] == "Official channel of the Russian MFA"  # older, not blanked
    assert (mfa["header_snapshot_count"], mfa["post_count"]) == (2, 5)
    mid = channels["mid_russia"]
    assert mid["title"] is None and mid["header_snapshot_count"] == 0
    assert (mid["post_count"], mid["first_post_at"], mid["last_post_at"]) == (
        2,
        at(9, 8),
        at(12, 8),
    )


def test_fct_country_mentions_flags_and_dim_countries_stats(warehouse):
    mentions = {
        (row["post_key"], row["iso2"]): row
        for row in rows(warehouse, "select * from marts.fct_country_mentions")
    }
    assert len(mentions) == 3
    palestine = mentions[("mfa_russia/100", "PS")]
    assert (palestine["has_flag"], palestine["has_name"], palestine["has_leader"]) == (
        True,
        True,
        True,
    )
    assert (
        palestine["has_capital"],
        palestine["has_demonym"],
        palestine["has_hashtag"],
    ) == (False, False, False)
    assert palestine["channel"] == "mfa_russia" and palestine["published_at"] == at(10, 9)
    us = mentions[("mid_russia/8", "US")]
    assert (us["has_name"], us["has_flag"]) == (True, False)
    counts = {
        row["iso2"]: row["post_count"]
        for row in rows(warehouse, "select iso2, post_count from marts.dim_countries")
    }
    assert counts == {"RU": 1, "PS": 1, "US": 1, "FR": 0}


def test_dim_leaders_sources_and_leader_mentions(warehouse):
    leaders = {row["leader_key"]: row for row in rows(warehouse, "select * from marts.dim_leaders")}
    assert {key: row["source"] for key, row in leaders.items()} == {
        "vladimir-putin": "reference",
        "mahmoud-abbas": "reference",
        "john-doe": "discovered",
    }
    assert leaders["john-doe"]["country_iso2"] is None
    assert leaders["john-doe"]["post_count"] == 1
    mentions = rows(warehouse, "select * from marts.fct_leader_mentions order by leader_key")
    assert [(m["leader_key"], m["leader_country_iso2"]) for m in mentions] == [
        ("john-doe", None),
        ("mahmoud-abbas", "PS"),
        ("vladimir-putin", "RU"),
    ]


def test_audit_tables_report_ingests_and_rejects(warehouse):
    ingested = rows(warehouse, "select * from audit.ingested_files order by batch_id")
    assert [row["reject_rate"] for row in ingested] == [0.25, 0.0, 0.0]
    rejects = rows(warehouse, "select * from audit.rejects")
    assert [row["reason"] for row in rejects] == ["message without data-post attribute"]


def test_the_sql_unit_tests_pass(built_home, tmp_path):
    """dbt's unit tests (reply resolution, newest edit wins, latest counters and header
    figures...) on fixed rows; they need the built relations for their column types."""
    home = copy_home(built_home, tmp_path / "home")  # the module's reader holds the original
    result = run_dbt(["test", "--select", "test_type:unit"], dbt_environment(home), home)
    assert result.returncode == 0, result.stdout[-4000:]
    run_results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    units = statuses(run_results)
    assert len(units) >= 6 and all(uid.startswith("unit_test.") for uid in units)
    assert set(units.values()) == {"pass"}


def test_orphan_mention_fails_the_relationships_test(tmp_path):
    sources = synthetic_sources()
    sources["country_mentions"].append(
        {
            "post_key": "mfa_russia/999",
            "iso2": "RU",
            "mention_count": 1,
            "evidence": ["name"],
        }
    )
    result, run_results = build(tmp_path, sources)
    assert result.returncode != 0
    failed = sorted(uid for uid, status in statuses(run_results).items() if status == "fail")
    assert len(failed) == 1, failed
    assert failed[0].startswith("test.tgwh.fct_country_mentions_post_key_in_fct_posts")


def test_every_data_test_has_a_name_the_ui_shows_whole(built_home):
    """The Dagster UI lists dbt's tests as checks by name and cuts long names in the middle:
    dbt's generated ones (argument values included) reach 150 characters."""
    manifest = json.loads((built_home / "dbt" / "target" / "manifest.json").read_text())
    names = [n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    assert len(names) >= 90
    assert [name for name in names if len(name) > 56] == []


def test_one_not_null_test_per_model_names_each_null_and_keeps_its_conditions(built_home, tmp_path):
    """A model's not-null rules run as one test; each null it finds is a failure that names
    its column, and a column allowed to be null somewhere (a text copy's message id) is not."""
    home = copy_home(built_home, tmp_path / "home")
    with duckdb.connect(str(home / "warehouse" / "tgwh.duckdb")) as connection:
        connection.execute(
            "update marts.fct_posts set message_id = null where post_key = 'mfa_russia/101'"
        )
        connection.execute(
            "update marts.fct_posts set channel = null where post_key = ?", [TEXT_COPY_KEY]
        )
    selected = "test_name:not_null_columns,fct_posts"
    env = dbt_environment(home)
    result = run_dbt(["test", "--select", selected, "--store-failures"], env, cwd=home)
    assert result.returncode != 0, result.stdout[-4000:]
    run_results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    [outcome] = run_results["results"]
    assert outcome["failures"] == 2, outcome
    with duckdb.connect(str(home / "warehouse" / "tgwh.duckdb"), read_only=True) as connection:
        stored = outcome["relation_name"]
        named = connection.execute(f"select null_column from {stored} order by 1").fetchall()
    # the text copy's message id was null already: allowed, so not among the failures
    assert named == [("channel",), ("message_id",)]


def test_parse_works_without_environment(tmp_path):
    before = project_files()
    env = dbt_environment(None) | {
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    result = run_dbt("parse", env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert project_files() == before
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    source = manifest["sources"]["source.tgwh.normalized.posts"]
    assert source["relation_name"] == "'.tgwh/normalized/batches/*/posts.parquet'"


def parse_in_home(home: Home, cwd: Path) -> str:
    """`dbt parse` as a run starts it: through tgwh-dbt, with the run's environment."""
    env = child_environment(
        **dbt_environment_of_runs(home),
        DBT_PROJECT_DIR=str(DBT_PROJECT_DIR),
        DBT_PROFILES_DIR=str(DBT_PROJECT_DIR),
    )
    result = subprocess.run(
        [str(DBT_IN_HOME), "parse"], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return result.stdout


def test_a_moved_home_keeps_dbts_parse(tmp_path):
    """A home copied or moved elsewhere (a backup restored) does not make dbt parse the whole
    project again: the profile names the warehouse relative to the home, where dbt runs."""
    first = Home(tmp_path / "first").ensure()
    assert "Starting full parse" in parse_in_home(first, cwd=tmp_path)
    moved = Home(copy_home(first.root, tmp_path / "elsewhere" / "moved"))
    shutil.rmtree(first.root)
    printed = parse_in_home(moved, cwd=tmp_path)
    assert "full parse" not in printed and "Unable to do partial parsing" not in printed, printed
    # the sources still name the moved home's Parquet (their schema file parsed again)
    manifest = json.loads(moved.dbt_manifest.read_text())
    location = manifest["sources"]["source.tgwh.normalized.posts"]["relation_name"]
    assert location == f"'{moved.root}/normalized/batches/*/posts.parquet'"


def test_build_succeeds_on_empty_sources(tmp_path):
    result, run_results = build(tmp_path, {name: [] for name in SOURCES})
    assert result.returncode == 0, result.stdout[-4000:]
    assert set(statuses(run_results).values()) <= {"success", "pass"}
    with duckdb.connect(str(tmp_path / "warehouse" / "tgwh.duckdb"), read_only=True) as connection:
        assert rows(connection, "select count(*) as n from marts.fct_posts") == [{"n": 0}]
        column_types = dict(
            connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'fct_posts'"
            ).fetchall()
        )
    assert column_types["media_kinds"] == "VARCHAR[]"
    assert column_types["published_at"] == "TIMESTAMP WITH TIME ZONE"


def test_every_model_and_column_is_documented(built_home, warehouse):
    manifest = json.loads((built_home / "dbt" / "target" / "manifest.json").read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert len(models) >= 18
    for model in models:
        built_columns = [
            name
            for (name,) in warehouse.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [model["schema"], model["alias"]],
            ).fetchall()
        ]
        assert list(model["columns"]) == built_columns, model["name"]
        assert model["description"], model["name"]
        assert all(column["description"] for column in model["columns"].values()), model["name"]


def test_view_and_subscriber_growth_are_queryable(warehouse):
    views = rows(
        warehouse,
        "select post_key, views, views_gained from marts.fct_post_views "
        "order by post_key, observed_at",
    )
    assert views and len(views) % 2 == 0
    firsts, seconds = views[0::2], views[1::2]
    assert all(first["views_gained"] is None for first in firsts)
    assert all(second["views_gained"] == 100 for second in seconds)
    snapshots = rows(
        warehouse,
        "select channel, subscribers, subscribers_gained from marts.fct_channel_snapshots "
        "order by channel, observed_at",
    )
    assert len(snapshots) >= 2
    assert any(s["subscribers_gained"] is not None for s in snapshots)


def test_a_post_seen_in_several_batches_keeps_its_newest_edit(tmp_path):
    """Copies of one post from three batches: the edited copy wins, the views come from the
    latest landing that showed them, and mentions of the superseded copies drop out."""
    sources = synthetic_sources()
    kept = next(p for p in sources["posts"] if p["post_key"] == "mfa_russia/102")
    kept |= {"batch_id": "b-edited", "ingested_at": at(12), "edited_at": at(11, 12), "views": 10}
    sources["posts"] += [
        kept
        | {
            "batch_id": "b-older",
            "ingested_at": at(11, 13),
            "edited_at": None,
            "text": "First wording, about Italy.",
            "views": 7,
        },
        kept | {"batch_id": "b-later", "ingested_at": at(13), "edited_at": None, "views": 99},
    ]
    sources["country_mentions"].append(
        {
            "post_key": "mfa_russia/102",
            "iso2": "IT",
            "mention_count": 1,
            "evidence": ["name"],
            "batch_id": "b-older",
        }
    )
    result, _ = build(tmp_path, sources)
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(str(tmp_path / "warehouse" / "tgwh.duckdb"), read_only=True) as db:
        posts = rows(db, "select * from marts.fct_posts where post_key = 'mfa_russia/102'")
        italy = rows(
            db, "select * from marts.fct_country_mentions where post_key = 'mfa_russia/102'"
        )
        total = rows(db, "select count(*) as n from marts.fct_posts")[0]["n"]
    assert len(posts) == 1
    assert posts[0]["text"] == kept["text"]
    assert posts[0]["edited_at"] == at(11, 12)
    assert posts[0]["views"] == 99  # the latest landing, though its copy lost on the edit
    assert italy == []
    assert total == len(synthetic_sources()["posts"])


def second_batch() -> dict[str, list[dict]]:
    """A later batch: a new edit of a post (its mention gone), new posts, a reply that an older
    post was waiting for, new view counts of an old post."""
    new = {"batch_id": "batch-2", "ingested_at": at(20)}
    sources = {name: [] for name in SOURCES}
    first = {p["post_key"]: p for p in synthetic_sources()["posts"]}
    sources["posts"] = [
        first["mfa_russia/100"] | new | {"edited_at": at(19), "text": "Edited: no names now."},
        post(channel="mfa_russia", message_id=106, published_at=at(19), text="Finally here.") | new,
        post(
            channel="mfa_russia",
            message_id=107,
            published_at=at(19, 13),
            text="President Vladimir Putin spoke about Italy.",
            reply_to_message_id=106,
        )
        | new,
        first["mid_russia/7"] | new | {"views": 90_000},
        post(
            channel="maerusia",
            message_id=20,
            published_at=at(12, 9),
            text="Declaración sobre EE.UU.",
            language="es",
        )
        | new,
    ]
    # the Spanish channel reports the Russian channel's event of batch 1; the edit of
    # mfa_russia/100 drops its meeting
    sources["diplomatic_events"] = [
        {
            "post_key": "mfa_russia/107",
            "event_type": "010",
            "actor1_leader_key": "vladimir-putin",
            "actor1_iso2": "RU",
            "event_date": date(2025, 5, 19),
            "evidence": "spoke about",
            "position": 40,
        }
        | new,
        {
            "post_key": "maerusia/20",
            "event_type": "111",
            "actor1_iso2": "RU",
            "actor2_iso2": "US",
            "event_date": date(2025, 5, 12),
            "evidence": "declaracion sobre ee uu",
            "position": 0,
        }
        | new,
    ]
    sources["country_mentions"] = [
        {"post_key": "mfa_russia/107", "iso2": "RU", "mention_count": 1, "evidence": ["name"]} | new
    ]
    sources["leader_mentions"] = [
        {"post_key": "mfa_russia/107", "leader_key": "vladimir-putin", "mention_count": 1} | new
    ]
    sources["post_views"] = [
        {
            "post_key": "mfa_russia/101",
            "channel": "mfa_russia",
            "message_id": 101,
            "observed_at": at(25),
            "views": 9_999,
            "source_format": "web_preview",
        }
        | new
    ]
    sources["ingested_files"] = [
        {
            "batch_id": "batch-2",
            "source_file": "/inbox/later.html",
            "source_format": "web_preview",
            "content_sha256": "2" * 64,
            "size_bytes": 10,
            "records_read": 4,
            "records_rejected": 0,
            "service_messages": 0,
            "ingested_at": at(20),
        }
    ]
    return sources


def test_an_incremental_build_equals_a_full_refresh(built_home, tmp_path):
    """Build (the module's warehouse), stamp as the publish step does, add a batch and build
    again (incremental): the warehouse equals one built from both batches at once."""
    first = synthetic_sources()
    both = {name: rows + second_batch()[name] for name, rows in first.items()}
    # the later batch tells where a discovered leader comes from: older mentions follow
    both["leaders"] = [
        leader | {"country_iso2": "RU"} if leader["leader_key"] == "john-doe" else leader
        for leader in first["leaders"]
    ]
    incremental, full = copy_home(built_home, tmp_path / "incremental"), tmp_path / "full"

    with duckdb.connect(str(incremental / "warehouse" / "tgwh.duckdb")) as db:
        stamp_build(db, NormalizedStore(Home(incremental).normalized).batches(), run_id="first")
        # a row the second batch does not touch, broken after its build: tests of the
        # incremental build read the touched posts only, so it goes unseen until a full refresh
        db.execute(
            "insert into marts.fct_country_mentions by name select * replace ('XX' as iso2) "
            "from marts.fct_country_mentions where post_key = 'mid_russia/8'"
        )
    result, run_results = build(incremental, both)
    assert result.returncode == 0, result.stdout[-4000:]
    assert set(statuses(run_results).values()) <= {"success", "pass"}
    compiled = incremental / "dbt" / "target" / "compiled" / "tgwh" / "models"
    assert "warehouse_build" in (compiled / "marts" / "fct_posts.sql").read_text()  # incremental
    tests = compiled / "marts" / "fct_country_mentions.yml"
    scoped = (tests / "fct_country_mentions_iso2_in_dim_countries.sql").read_text()
    assert "batch_id in ('batch-2')" in scoped
    assert (
        "batch_id in"
        not in (
            compiled / "marts" / "dim_countries.yml" / "unique_dim_countries_iso2.sql"
        ).read_text()
    )  # a table rebuilt whole is tested whole
    view_test = (
        compiled / "intermediate" / "int_posts_resolved.yml" / "not_null_int_posts_resolved.sql"
    )
    assert "post_key in ('" in view_test.read_text()  # a view: the touched posts' keys listed
    with duckdb.connect(str(incremental / "warehouse" / "tgwh.duckdb")) as db:
        planted = "from marts.fct_country_mentions where iso2 = 'XX'"
        assert db.execute(f"select count(*) {planted}").fetchone() == (1,)
        db.execute(f"delete {planted}")

    result, _ = build(full, both)
    assert result.returncode == 0, result.stdout[-4000:]
    full_tests = full / "dbt" / "target" / "compiled" / "tgwh" / "models" / "marts"
    assert (
        "batch_id in"
        not in (
            full_tests / "fct_country_mentions.yml" / "not_null_fct_country_mentions.sql"
        ).read_text()
    )
    assert warehouse_snapshot(incremental) == warehouse_snapshot(full)
    with duckdb.connect(str(incremental / "warehouse" / "tgwh.duckdb"), read_only=True) as db:
        edited = rows(db, "select * from marts.fct_posts where post_key = 'mfa_russia/100'")
        waiting = rows(db, "select * from marts.fct_posts where post_key = 'mfa_russia/105'")
        gone = rows(
            db, "select * from marts.fct_country_mentions where post_key = 'mfa_russia/100'"
        )
    assert edited[0]["text"] == "Edited: no names now." and edited[0]["country_count"] == 0
    assert gone == []
    assert waiting[0]["reply_to_post_key"] == "mfa_russia/106"
    with duckdb.connect(str(incremental / "warehouse" / "tgwh.duckdb"), read_only=True) as db:
        doe = rows(db, "select * from marts.fct_leader_mentions where leader_key = 'john-doe'")
        events = rows(
            db, "select post_key, event_type from marts.fct_diplomatic_events order by post_key"
        )
        reports = rows(
            db,
            "select post_key, report_count, channels, is_first_report from marts.fct_event_reports "
            "where event_type = '111' order by post_key",
        )
    assert doe and {m["leader_country_iso2"] for m in doe} == {"RU"}
    # the edit dropped the meeting of mfa_russia/100; the new posts' events came in
    assert events == [
        {"post_key": "maerusia/20", "event_type": "111"},
        {"post_key": "mfa_russia/107", "event_type": "010"},
        {"post_key": "mid_russia/8", "event_type": "111"},
    ]
    assert reports == [
        {
            "post_key": "maerusia/20",
            "report_count": 2,
            "channels": ["maerusia", "mid_russia"],
            "is_first_report": False,
        },
        {
            "post_key": "mid_russia/8",
            "report_count": 2,
            "channels": ["maerusia", "mid_russia"],
            "is_first_report": True,
        },
    ]
