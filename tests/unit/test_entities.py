"""Unit tests of country and leader matching: each evidence kind and the known pitfalls."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from orchestration.entities import patterns, reference
from orchestration.entities.match import (
    PLAIN_LEADER_MENTION_SCHEMA,
    countries_table,
    find_country_mentions,
    find_leader_mentions,
    leaders_table,
    match_entities,
)
from orchestration.schemas import (
    COUNTRY_MENTION_SCHEMA,
    COUNTRY_SCHEMA,
    EVIDENCE_KINDS,
    LEADER_SCHEMA,
)


def posts(*texts: str, **columns) -> pl.DataFrame:
    return pl.DataFrame(
        {"post_key": [f"p{i}" for i in range(len(texts))], "text": list(texts), **columns}
    )


def countries_of(text: str, **columns) -> dict[str, tuple[int, list[str]]]:
    """iso2 -> (mention_count, evidence) for one text."""
    found = find_country_mentions(posts(text, **columns))
    return {r["iso2"]: (r["mention_count"], r["evidence"]) for r in found.iter_rows(named=True)}


def leaders_of(text: str) -> dict[str, int]:
    mentions, _ = find_leader_mentions(posts(text))
    return dict(zip(mentions["leader_key"], mentions["mention_count"], strict=True))


# --- reference data ---------------------------------------------------------------------------


def test_countries_table_has_every_iso_country_plus_kosovo():
    table = countries_table()
    assert table.schema == pl.Schema(COUNTRY_SCHEMA)
    assert table.height == 250  # 249 ISO 3166-1 + XK
    assert table["iso2"].n_unique() == table.height
    row = table.filter(pl.col("iso2") == "RU").row(0, named=True)
    assert row["iso3"] == "RUS" and row["flag_emoji"] == "🇷🇺"
    assert table.filter(pl.col("iso2") == "XK")["flag_emoji"].item() == "🇽🇰"
    assert table.filter(pl.col("iso2") == "IR")["name"].item() == "Iran"


def test_reference_leaders_are_valid_and_many():
    leaders = leaders_table()
    assert leaders.schema == pl.Schema(LEADER_SCHEMA)
    assert leaders.height >= 150
    assert leaders["leader_key"].n_unique() == leaders.height
    assert set(leaders["source"]) == {"reference"}
    known = set(countries_table()["iso2"])
    assert set(leaders["country_iso2"].drop_nulls()) <= known
    # heads of international organisations carry no country
    guterres = leaders.filter(pl.col("leader_key") == "antonio-guterres").row(0, named=True)
    assert guterres["country_iso2"] is None
    for key in [
        "vladimir-putin",
        "sergey-lavrov",
        "maria-zakharova",
        "xi-jinping",
        "donald-trump",
        "narendra-modi",
        "recep-tayyip-erdogan",
        "to-lam",
        "emmerson-mnangagwa",
        "ibrahim-traore",
        "khalifa-haftar",
        "viktor-orban",
        "robert-fico",
    ]:
        assert key in set(leaders["leader_key"]), key


def test_every_alias_pattern_maps_to_one_target_per_entity():
    table = patterns.pattern_table()
    clashes = (
        table.filter(pl.col("entity") != "blocker")
        .group_by("entity", "pattern")
        .agg(pl.col("target").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
    )
    assert clashes.height == 0, clashes


@pytest.mark.parametrize(
    "file_name", ["country_aliases.csv", "demonyms.csv", "capitals.csv", "country_blockers.csv"]
)
def test_reference_csv_files_are_sorted_with_a_header(file_name):
    with open(reference.REFERENCE_DIR / file_name, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header[0] in {"iso2", "phrase"} and len(body) > 50
    if header[0] == "iso2":
        keys = [(r[0], r[1].casefold(), r[1]) for r in body]
    else:
        keys = [(r[0].casefold(), r[0]) for r in body]
    assert keys == sorted(keys)
    assert len(set(map(tuple, body))) == len(body)


def test_major_countries_have_names_in_four_languages():
    aliases = reference.country_aliases().filter(pl.col("kind") == "name")
    by_lang = {
        lang: set(aliases.filter(pl.col("lang").str.contains(rf"\b{lang}\b"))["iso2"])
        for lang in ["en", "ru", "es", "fr"]
    }
    covered = by_lang["en"] & by_lang["ru"] & by_lang["es"] & by_lang["fr"]
    assert len(covered) >= 80
    for iso2 in ["RU", "CN", "US", "FR", "DE", "IN", "BR", "ZA", "TR", "IR", "VN", "BF"]:
        assert iso2 in covered, iso2


def test_bad_reference_row_names_the_file(monkeypatch, tmp_path):
    bad = tmp_path / "capitals.csv"
    bad.write_text("iso2,capital\nZZ,Nowhere\n", encoding="utf-8")
    for name in ["country_aliases.csv", "demonyms.csv"]:
        (tmp_path / name).write_text(
            (reference.REFERENCE_DIR / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    monkeypatch.setattr(reference, "REFERENCE_DIR", tmp_path)
    reference.country_aliases.cache_clear()
    try:
        with pytest.raises(reference.ReferenceDataError, match="capitals.csv.*ZZ"):
            reference.country_aliases()
    finally:
        monkeypatch.undo()
        reference.country_aliases.cache_clear()


# --- evidence kinds ---------------------------------------------------------------------------


def test_flags_side_by_side_are_two_countries():
    found = countries_of("🇷🇺🇵🇸 Talks")
    assert found == {"RU": (1, ["flag"]), "PS": (1, ["flag"])}


def test_regional_indicator_pairs_that_are_not_countries_are_ignored():
    assert countries_of("🇿🇿 nothing here") == {}


def test_names_aliases_and_spelling_variants():
    for text in ["Turkey", "Turkiye", "Türkiye", "Турция", "Turquía", "Turquie"]:
        assert set(countries_of(f"Talks with {text} went well.")) == {"TR"}, text
    assert set(countries_of("The United States of America and the United Kingdom")) == {"US", "GB"}
    assert set(countries_of("Republic of Korea, DPRK")) == {"KR", "KP"}


def test_capitals_are_capital_evidence():
    assert countries_of("The embassy in Islamabad") == {"PK": (1, ["capital"])}
    assert countries_of("the Kiev regime and Kyiv") == {"UA": (2, ["capital"])}


def test_demonyms_including_hyphenated_pairs():
    found = countries_of("Russian-Vietnamese talks on the Palestinian-Israeli conflict")
    assert {k: v[1] for k, v in found.items()} == {
        "RU": ["demonym"],
        "VN": ["demonym"],
        "PS": ["demonym"],
        "IL": ["demonym"],
    }
    assert set(countries_of("a high-ranking Burkinabe delegation")) == {"BF"}


def test_camelcase_hashtags_are_hashtag_evidence_only():
    found = countries_of("Good talks #RussiaBurkinaFaso #RussiaAfrica")
    assert found == {"RU": (2, ["hashtag"]), "BF": (1, ["hashtag"])}


def test_hashtags_column_adds_tags_missing_from_text():
    found = countries_of("Talks", hashtags=[["russiachina", "woman", "incubator"]])
    assert found == {"RU": (1, ["hashtag"]), "CN": (1, ["hashtag"])}


def test_lowercase_hashtag_chain_uses_byte_offsets_correctly():
    # Cyrillic letters are two bytes: the chain check must compare byte offsets consistently
    assert set(countries_of("#китайроссия")) == {"CN", "RU"}
    assert countries_of("#womanpower") == {}


def test_leader_mention_adds_the_leaders_country():
    assert countries_of("Lukashenko said so.") == {"BY": (1, ["leader"])}


def test_mention_count_sums_all_kinds_and_evidence_is_sorted():
    found = countries_of("🇷🇺 Russia and Russia again: Moscow, Lavrov. #Russia")
    assert found["RU"] == (6, ["capital", "flag", "hashtag", "leader", "name"])
    assert set(found["RU"][1]) <= set(EVIDENCE_KINDS)


# --- pitfalls -----------------------------------------------------------------------------------


def test_word_boundaries():
    assert set(countries_of("Nigeria and Nigerian oil")) == {"NG"}
    assert set(countries_of("Niger and Nigeria")) == {"NE", "NG"}
    assert set(countries_of("Somali pirates")) == {"SO"}
    assert set(countries_of("Romania")) == {"RO"}
    assert set(countries_of("Iranian oil")) == {"IR"}


def test_us_pronoun_and_currency_are_not_the_united_states():
    assert countries_of("Tell us what you think; none of us agrees.") == {}
    assert countries_of("Trade reached US$6 billion.") == {}
    assert set(countries_of("The US and the U.S.A.")) == {"US"}


def test_regions_and_longer_names_win():
    assert countries_of("Volunteers from Latin America and Latin American countries") == {}
    assert set(countries_of("South Africa, not Africa")) == {"ZA"}
    assert countries_of("Guinea and Papua New Guinea") == {"GN": (1, ["name"]), "PG": (1, ["name"])}
    assert set(countries_of("Guinea-Bissau")) == {"GW"}
    assert set(countries_of("The Minsk agreements")) == set()
    assert set(countries_of("Democratic Republic of the Congo and Congo")) == {"CD", "CG"}


def test_russian_declension_stems():
    assert set(countries_of("Визит в Россию и переговоры в Пекине")) == {"RU", "CN"}
    assert leaders_of("Встреча Путина и Лаврова") == {"vladimir-putin": 1, "sergey-lavrov": 1}
    assert set(countries_of("страны Латинской Америки")) == set()


# --- leaders ----------------------------------------------------------------------------------


def test_aliases_resolve_to_one_leader():
    found = leaders_of("President Putin said. Vladimir Putin added. Putin concluded. Путин.")
    assert found == {"vladimir-putin": 4}


def test_title_pattern_discovers_unknown_leaders():
    mentions, discovered = find_leader_mentions(
        posts("Prime Minister of Mongolia Gombojav Zandanshatar met Gombojav Zandanshatar's team.")
    )
    assert mentions.to_dicts() == [
        {"post_key": "p0", "leader_key": "gombojav-zandanshatar", "mention_count": 2}
    ]
    row = discovered.row(0, named=True)
    assert row["source"] == "discovered" and row["country_iso2"] == "MN"
    assert row["role"] == "Prime Minister of Mongolia" and row["name"] == "Gombojav Zandanshatar"
    assert discovered.schema == pl.Schema(LEADER_SCHEMA)


def test_title_pattern_with_a_reference_person_is_not_discovered():
    mentions, discovered = find_leader_mentions(
        posts(
            "President of Russia Vladimir Putin met President of the Republic of Zimbabwe "
            "Emmerson Dambudzo Mnangagwa and the President of Turkiye, Mr Erdogan."
        )
    )
    assert discovered.height == 0
    assert set(mentions["leader_key"]) == {
        "vladimir-putin",
        "emmerson-mnangagwa",
        "recep-tayyip-erdogan",
    }


def test_reference_surname_inside_a_discovered_name_is_taken_back():
    found = leaders_of("Foreign Minister of Burkina Faso Karamoko Jean-Marie Traoré arrived.")
    assert found == {"karamoko-jean-marie-traore": 1}


def test_leaders_table_adds_discovered_once():
    _, discovered = find_leader_mentions(
        posts("Prime Minister of Mongolia Gombojav Zandanshatar", "Gombojav Zandanshatar")
    )
    table = leaders_table(discovered)
    assert table["leader_key"].n_unique() == table.height
    assert table.filter(pl.col("source") == "discovered")["leader_key"].to_list() == [
        "gombojav-zandanshatar"
    ]
    assert table.height == leaders_table().height + 1


# --- API contracts ----------------------------------------------------------------------------


def test_match_entities_outputs_follow_the_contracts():
    frame = posts("🇷🇺 Lavrov in Islamabad #RussiaPakistan", "nothing here", None)
    result = match_entities(frame)
    assert result.country_mentions.schema == pl.Schema(COUNTRY_MENTION_SCHEMA)
    assert result.leader_mentions.schema == pl.Schema(PLAIN_LEADER_MENTION_SCHEMA)
    assert result.leaders.schema == pl.Schema(LEADER_SCHEMA)
    assert result.country_mentions.filter(pl.col("post_key") != "p0").height == 0
    assert result.country_mentions.select("post_key", "iso2").is_duplicated().sum() == 0
    ru = result.country_mentions.filter(pl.col("iso2") == "RU").row(0, named=True)
    assert ru["evidence"] == ["flag", "hashtag", "leader"] and ru["mention_count"] == 3


def test_find_country_mentions_reuses_given_leader_mentions():
    frame = posts("Lukashenko met Lavrov.")
    leader_mentions, _ = find_leader_mentions(frame)
    only_lavrov = leader_mentions.filter(pl.col("leader_key") == "sergey-lavrov")
    found = find_country_mentions(frame, leader_mentions=only_lavrov)
    assert found["iso2"].to_list() == ["RU"]


def test_empty_frame_and_missing_columns():
    empty = pl.DataFrame(schema={"post_key": pl.String, "text": pl.String})
    result = match_entities(empty)
    assert result.country_mentions.height == 0 and result.leader_mentions.height == 0
    assert result.country_mentions.schema == pl.Schema(COUNTRY_MENTION_SCHEMA)
    with pytest.raises(ValueError, match="text"):
        match_entities(pl.DataFrame({"post_key": ["a"]}))
    with pytest.raises(ValueError, match="'a' occurs more than once"):
        match_entities(pl.DataFrame({"post_key": ["a", "a"], "text": ["Russia", "China"]}))


# --- integer hit pipeline (scan.py): the corrections it relies on ------------------------------


def test_longer_pattern_repeated_takes_back_each_contained_occurrence():
    found = countries_of("Papua New Guinea, Papua New Guinea and Guinea-Bissau, Guinea.")
    assert found == {"PG": (2, ["name"]), "GW": (1, ["name"]), "GN": (1, ["name"])}


def test_leader_in_text_and_hashtags_counts_every_occurrence():
    assert leaders_of("Vladimir Putin spoke. #Putin #VladimirPutin") == {"vladimir-putin": 3}


def test_title_with_no_break_space_is_discovered():
    # the title regex accepts a no-break space inside "Prime Minister"; so must its prefilter
    mentions, discovered = find_leader_mentions(
        posts("Prime\u00a0Minister Anutin Charnvirakul arrived. Anutin Charnvirakul said.")
    )
    assert dict(zip(mentions["leader_key"], mentions["mention_count"], strict=True)) == {
        "anutin-charnvirakul": 2
    }
    assert discovered["source"].to_list() == ["discovered"]


def test_sum_by_key_sums_unsorted_and_sorted_keys_alike():
    from orchestration.entities import scan

    frame = pl.DataFrame({"key": [5, 1, 5, 3, 1], "n": [1, 2, 3, 4, 5]}).cast({"key": pl.UInt64})
    expected = {1: 7, 3: 4, 5: 4}
    for variant in (frame, frame.sort("key")):
        summed = scan.sum_by_key(variant)
        assert dict(zip(summed["key"], summed["n"], strict=True)) == expected
        assert summed["key"].is_sorted()


def test_pattern_codes_follow_target_ids_so_sums_need_no_second_sort():
    codes = patterns.code_table()
    assert codes["code"].is_unique().all()
    assert codes["tid"].is_sorted()
    blockers = patterns.pattern_table().filter(pl.col("entity") == "blocker")["pattern"]
    assert set(patterns.pattern_codes().tail(blockers.len())) == set(blockers)
