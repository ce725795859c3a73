"""The whole warehouse through Dagster, as a user runs it: `tgwh run`, then `tgwh query`.

Expectations come from tests/data/sample_facts.yaml, counted by hand from the sample files.
"""

import json
import os
import re
import unicodedata
from pathlib import Path

import yaml
from support.cli import query, tgwh, warehouse_snapshot
from support.homes import copy_home
from support.paths import LABELLED_DATA

from orchestration.config import SAMPLE_DATA_DIR

FACTS = yaml.safe_load((LABELLED_DATA / "sample_facts.yaml").read_text())
# Exports and text copies name a channel by title; known titles map to usernames.
CHANNEL_OF = {
    "MAE Rusia": "maerusia",
    "МИД России": "mid_russia",
    "text_copy_channel": "mfa_russia",
}


def leader_key(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def snapshot(home: Path) -> dict:
    """Everything a user could see: raw files and every table's rows."""
    raw = sorted(str(p.relative_to(home)) for p in (home / "raw").rglob("*.parquet"))
    return {"raw": raw, "tables": warehouse_snapshot(home)}


def test_posts_per_channel_match_the_sample(sample_home):
    expected = {}
    for name, count in FACTS["dedup"]["distinct_posts_by_channel"].items():
        channel = CHANNEL_OF.get(name, name)
        expected[channel] = expected.get(channel, 0) + count
    rows = query(sample_home, "select channel, count(*) n from marts.fct_posts group by 1")
    assert {r["channel"]: r["n"] for r in rows} == expected
    total = query(sample_home, "select count(*) n from marts.fct_posts")[0]["n"]
    assert total == FACTS["dedup"]["distinct_posts_total"]


def test_service_messages_are_kept_apart(sample_home):
    rows = query(sample_home, "select count(*) n from marts.fct_service_messages")
    assert rows[0]["n"] == FACTS["totals"]["service_messages"]


def test_duplicates_keep_the_latest_observation(sample_home):
    rows = query(
        sample_home,
        "select message_id, views, is_edited, text from marts.fct_posts "
        "where channel = 'mfa_russia' and message_id in (31856, 31857, 31858) order by 1",
    )
    assert [(r["message_id"], r["views"]) for r in rows] == [
        (31856, 9600),
        (31857, 8200),
        (31858, 5500),
    ]
    assert rows[1]["is_edited"] is True
    assert rows[1]["text"].endswith("available on the Ministry's website.")
    edited = query(
        sample_home,
        "select text, reactions_total from marts.fct_posts where channel = 'maerusia' "
        "and message_id in (14220, 14221) order by message_id",
    )
    assert "Se abordaron la situación en Libia" in edited[0]["text"]
    assert edited[1]["reactions_total"] == 73


def test_post_fields_match_the_facts(sample_home):
    """Forwards, replies, views, media, edits and hashtags as a careful reader sees them."""
    rows = query(sample_home, "select * from marts.fct_posts where message_id is not null")
    by_key = {(r["channel"], r["message_id"]): r for r in rows}
    checked = 0
    for fact in FACTS["posts"]:
        if "message_id" not in fact:
            continue
        post = by_key[(CHANNEL_OF.get(fact["channel"], fact["channel"]), fact["message_id"])]
        for field in (
            "views",
            "forwarded_from",
            "forwarded_from_link",
            "reply_to_message_id",
            "is_edited",
            "author",
            "media_count",
            "reactions_total",
            "language",
        ):
            if field in fact:
                assert post[field] == fact[field], (fact, field, post[field])
                checked += 1
        if "media_kinds" in fact:
            assert (
                post["media_kinds"] == list(dict.fromkeys(fact["media_kinds"]))
                or post["media_kinds"] == fact["media_kinds"]
            ), (fact, post["media_kinds"])
        for tag in fact.get("hashtags", []):
            assert tag in post["hashtags"], (fact, post["hashtags"])
        if "event_date" in fact:
            assert post["event_date"] == fact["event_date"], (fact, post["event_date"])
    assert checked > 30


def test_countries_and_leaders_found_as_a_careful_reader_would(sample_home):
    """Micro precision and recall over the hand-labelled sample posts, both at least 0.9."""
    countries = query(
        sample_home,
        "select p.channel, p.message_id, m.iso2 from "
        "marts.fct_country_mentions m join marts.fct_posts p using (post_key)",
    )
    leaders = query(
        sample_home,
        "select p.channel, p.message_id, m.leader_key from "
        "marts.fct_leader_mentions m join marts.fct_posts p using (post_key)",
    )
    found_countries, found_leaders = {}, {}
    for r in countries:
        found_countries.setdefault((r["channel"], r["message_id"]), set()).add(r["iso2"])
    for r in leaders:
        found_leaders.setdefault((r["channel"], r["message_id"]), set()).add(r["leader_key"])
    scores = {"countries": [0, 0, 0], "leaders": [0, 0, 0]}  # true pos, found, expected
    for fact in FACTS["posts"]:
        if "message_id" not in fact:
            continue
        key = (CHANNEL_OF.get(fact["channel"], fact["channel"]), fact["message_id"])
        expected_countries = set(fact.get("countries_incl_leaders", fact.get("countries", [])))
        expected_leaders = {leader_key(n) for n in fact.get("leaders", [])}
        for kind, expected, found in (
            ("countries", expected_countries, found_countries.get(key, set())),
            ("leaders", expected_leaders, found_leaders.get(key, set())),
        ):
            scores[kind][0] += len(expected & found)
            scores[kind][1] += len(found)
            scores[kind][2] += len(expected)
    for kind, (true_positive, found, expected) in scores.items():
        precision, recall = true_positive / found, true_positive / expected
        print(f"sample {kind}: precision {precision:.3f} recall {recall:.3f}")
        assert precision >= 0.9 and recall >= 0.9, (kind, precision, recall)


def test_dimensions_and_headers(sample_home):
    channels = {r["channel"]: r for r in query(sample_home, "select * from marts.dim_channels")}
    header = FACTS["files"]["web_preview/mfa_russia_later.html"]["header"]
    assert channels["mfa_russia"]["subscribers"] == header["subscribers"]
    countries = query(
        sample_home, "select count(*) n, count(distinct iso2) d from marts.dim_countries"
    )[0]
    assert countries["n"] == countries["d"] >= 249
    sources = {r["source"] for r in query(sample_home, "select source from marts.dim_leaders")}
    assert "reference" in sources


def test_runs_show_in_the_dagster_instance_of_the_home(sample_home):
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(sample_home / "dagster")
    try:
        with dg.DagsterInstance.get() as instance:
            runs = instance.get_runs()
            assert runs and runs[0].job_name == "build_warehouse"
            assert runs[0].status == dg.DagsterRunStatus.SUCCESS
            published = latest_metadata(instance, ["warehouse", "published"])
            report = latest_metadata(instance, ["report", "page"])
            posts = latest_metadata(instance, ["marts", "fct_posts"])
            view = latest_metadata(instance, ["intermediate", "int_posts_resolved"])
    finally:
        del os.environ["DAGSTER_HOME"]
    assert (sample_home / "docs" / "index.html").exists()
    # numbers the UI plots over runs, and the report's charts drawn from the real marts
    assert published["posts"] == FACTS["dedup"]["distinct_posts_total"]
    assert published["checks_passed_share"] == 1.0 and published["checks_evaluated"] > 50
    assert report["charts_drawn"] == 6
    # tables carry their row count; a view does not (counting it runs it over the history)
    assert posts["dagster/row_count"] == FACTS["dedup"]["distinct_posts_total"]
    assert view["dagster/table_name"] == "intermediate.int_posts_resolved"
    assert "dagster/row_count" not in view
    page = (sample_home / "docs" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "mfa_russia" in page


def latest_metadata(instance, key: list[str]) -> dict:
    import dagster as dg

    event = instance.get_latest_materialization_event(dg.AssetKey(key))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def test_running_the_same_input_again_changes_nothing(sample_home, tmp_path):
    home = copy_home(sample_home, tmp_path / "home")
    before = snapshot(home)
    result = tgwh(home, "run", str(SAMPLE_DATA_DIR))
    assert "0 landed" in result.stdout and "6 unchanged" in result.stdout
    assert snapshot(home) == before


def test_real_files_of_each_format(real_data, tmp_path):
    """The conformance files land with their posts, and the text copy's 12 posts get their
    countries and leaders."""
    home = tmp_path / "home"
    tgwh(
        home,
        "run",
        str(real_data / "text_copy" / "000_6dbfd9b700bf4de4.txt"),
        str(real_data / "web_preview" / "full.html"),
        str(real_data / "desktop_export" / "trantor_library_TG101.result.json"),
    )
    formats = {
        r["source_format"]: r["n"]
        for r in query(home, "select source_format, count(*) n from marts.fct_posts group by 1")
    }
    export = json.loads(
        (real_data / "desktop_export" / "trantor_library_TG101.result.json").read_text()
    )
    messages = [m for m in export["messages"] if m.get("type") == "message"]
    assert formats["text_copy"] == 12
    assert formats["web_preview"] == len(
        set(
            re.findall(
                r'data-post="([^"]+)"', (real_data / "web_preview" / "full.html").read_text()
            )
        )
    )
    assert formats["desktop_export"] == len(messages)
    per_post = query(
        home,
        "select p.post_key, list(distinct m.iso2) countries from marts.fct_posts p "
        "left join marts.fct_country_mentions m using (post_key) "
        "where p.source_format = 'text_copy' group by 1",
    )
    assert len(per_post) == 12 and all(r["countries"] for r in per_post)
    putin = query(
        home,
        "select count(*) n from marts.fct_leader_mentions m join marts.fct_posts p "
        "using (post_key) where p.source_format = 'text_copy' and leader_key = 'vladimir-putin'",
    )
    assert putin[0]["n"] >= 7
