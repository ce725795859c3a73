"""The office-holders table: it loads, it refuses bad rows with the file and line named, it
answers who held an office on a date (for a whole frame of queries at once), and it says how
much of 2000-today it covers."""

import datetime as dt
import importlib.util
import shutil

import polars as pl
import pytest

from orchestration.entities import offices
from orchestration.entities.reference import ReferenceDataError

SOURCE = "manual: test"


@pytest.fixture(scope="module")
def table():
    return offices.load(offices.OFFICES_DIR)


@pytest.mark.parametrize(
    ("office", "scope", "date", "expected"),
    [
        ("head_of_government", "GB", "2019-07-25", "boris-johnson"),
        ("foreign_minister", "RU", "2010-01-01", "sergey-lavrov"),
        ("head_of_state", "US", "2025-05-10", "donald-trump"),
        ("head_of_state", "FR", "2005-06-01", "jacques-chirac"),
        ("foreign_minister", "EG", "2025-06-01", "badr-abdelatty"),
        ("foreign_minister", "RU", "2003-06-01", "igor-ivanov"),
        ("head_of_state", "RU", "2010-01-01", "dmitry-medvedev"),
        ("head_of_government", "RU", "2010-01-01", "vladimir-putin"),
        ("foreign_minister", "CN", "2023-03-01", "qin-gang"),
        ("foreign_ministry_spokesperson", "RU", "2020-01-01", "maria-zakharova"),
        ("head_of_state_spokesperson", "RU", "2020-01-01", "dmitry-peskov"),
        ("head_of_organisation", "UN", "2010-06-01", "ban-ki-moon"),
        ("head_of_organisation", "NATO", "2025-01-01", "mark-rutte"),
        ("head_of_state", "AU", "2023-01-01", "king-charles-iii"),
        ("head_of_government", "JP", "2025-11-01", "sanae-takaichi"),
        ("foreign_minister", "AT", "2015-01-01", "sebastian-kurz"),
        ("foreign_minister", "AE", "2020-01-01", "abdullah-bin-zayed"),
        ("foreign_minister", "DZ", "2022-01-01", "ramtane-lamamra"),
        ("foreign_minister", "PK", "2023-01-01", "bilawal-bhutto-zardari"),
        ("foreign_minister", "KZ", "2005-01-01", "kassym-jomart-tokayev"),
        ("foreign_minister", "UA", "2001-06-01", "anatoliy-zlenko"),
        ("foreign_minister", "LA", "2024-11-17", "saleumxay-kommasith"),
        ("foreign_minister", "LA", "2024-11-18", "thongsavanh-phomvihane"),
        ("head_of_parliament", "VN", "2025-03-01", "tran-thanh-man"),
        ("head_of_parliament", "VN", "2024-05-19", None),
    ],
)
def test_holder_on_a_date(office, scope, date, expected):
    assert offices.holder_on(office, scope, date) == ([expected] if expected else [])


def test_on_a_handover_day_the_successor_holds_the_office():
    """Terms are half-open: Johnson's first day (2019-07-24) is May's last term end."""
    assert offices.holder_on("head_of_government", "GB", "2019-07-24") == ["boris-johnson"]
    assert offices.holder_on("head_of_government", "GB", "2019-07-23") == ["theresa-may"]


def test_holders_on_answers_a_frame_of_queries_in_one_join(table):
    days = pl.date_range(dt.date(2000, 1, 1), dt.date(2026, 11, 30), "1d", eager=True)
    queries = pl.DataFrame({"date": days}).with_columns(
        office=pl.lit("head_of_state"), scope=pl.lit("RU"), post=pl.int_range(pl.len())
    )
    answers = offices.holders_on(queries, table["terms"])
    assert answers.height == queries.height  # one holder a day, none missing, none doubled
    assert answers["post"].to_list() == queries["post"].to_list()
    assert set(answers["person_key"]) == {"vladimir-putin", "dmitry-medvedev"}
    assert answers.filter(pl.col("date") == dt.date(2009, 1, 1))["title_ru"].item() == "Президент"


def test_a_shared_office_answers_with_every_holder(table):
    queries = pl.DataFrame(
        {"office": ["head_of_state"], "scope": ["AD"], "date": [dt.date(2020, 1, 1)]}
    )
    holders = offices.holders_on(queries, table["terms"])["person_key"].to_list()
    assert sorted(holders) == ["emmanuel-macron", "joan-enric-vives-i-sicilia"]


def test_titles_follow_the_country(table):
    terms = table["terms"]

    def title(person, office, scope):
        row = terms.filter(
            (pl.col("person_key") == person)
            & (pl.col("office") == office)
            & (pl.col("scope") == scope)
        )
        return row.select("title_en", "title_ru", "title_es", "title_fr").row(0)

    assert title("angela-merkel", "head_of_government", "DE")[0] == "Chancellor"
    assert title("mikhail-mishustin", "head_of_government", "RU")[1] == (
        "Председатель Правительства"
    )
    assert title("king-charles-iii", "head_of_state", "CA")[2] == "Rey"
    assert title("marco-rubio", "foreign_minister", "US")[3] == "Secrétaire d'État"


def test_coverage_report(table):
    summary, gaps = offices.coverage(table["terms"])
    print("\nstates covered completely from 2000-01-01 to 2026-12-01:")
    print(summary)
    print(f"{gaps.height} gaps longer than 7 days; the first of them:")
    print(gaps.head(20))
    assert summary["states"].to_list() == [197, 197, 197]
    covered = set(offices.scope()["iso2"].to_list()) - set(
        gaps.filter(pl.col("office") == "foreign_minister")["scope"].to_list()
    )
    assert {"RU", "US", "GB", "FR", "DE", "CN", "IN", "TR", "IT", "ES"} <= covered
    complete = dict(summary.select("office", "complete").rows())
    assert complete["foreign_minister"] >= 79
    assert {"AT", "CA", "KZ", "AE", "DZ", "CL", "EE", "VN"} <= covered


def test_every_reviewed_foreign_minister_has_a_russian_name(table):
    """The channels are the Russian Foreign Ministry's: a minister the table cannot name in
    Russian cannot be found in half of them."""
    ministers = table["terms"].filter(pl.col("office") == "foreign_minister")["person_key"]
    named = table["names"].filter(pl.col("lang") == "ru")["person_key"]
    reviewed = pl.read_csv(
        offices.OFFICES_DIR / "inputs" / "foreign_ministers.csv", infer_schema=False
    )["person_key"].drop_nulls()
    assert set(reviewed) <= set(ministers)
    assert set(ministers) <= set(named), sorted(set(ministers) - set(named))[:20]


# --- the build's rules (reference/offices/build_offices.py) ----------------------------------


@pytest.fixture(scope="module")
def build():
    path = offices.OFFICES_DIR / "build_offices.py"
    spec = importlib.util.spec_from_file_location("build_offices", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("Лавров", "Лавров*"),
        ("Бурита", "Бурит*"),
        ("Сикорский", "Сикорск*"),
        ("Шукри", "Шукри"),
        ("Ли", None),
        ("Ван", None),
    ],
)
def test_russian_surnames_become_stems_that_match_every_case(build, word, stem):
    assert build.russian_stem(word) == stem


def test_a_surname_two_ministers_share_is_declared_ambiguous_and_one_taken_is_left_out(build):
    names = pl.DataFrame(
        [("alpha-one", "en", "Alpha", "name", "false", SOURCE)],
        schema=offices.NAME_COLUMNS,
        orient="row",
    )
    shorts = [
        {"person_key": "beta-two", "lang": "ru", "alias": "Ахмед*"},
        {"person_key": "gamma-three", "lang": "ru", "alias": "Ахмед*"},
        {"person_key": "beta-two", "lang": "en", "alias": "Alpha"},  # alpha-one's name
    ]
    merged, left_out = build.with_short_forms(names, shorts)
    assert left_out == ["en:Alpha"]
    ahmed = merged.filter(pl.col("alias") == "Ахмед*")
    assert ahmed["ambiguous"].to_list() == ["true", "true"]
    assert merged.filter(pl.col("alias") == "Alpha")["person_key"].to_list() == ["alpha-one"]


def test_reviewed_foreign_ministers_hand_over_on_the_successors_first_day(build, table):
    series = build.read_foreign_ministers().filter(pl.col("country_iso2") == "AT")
    ends, starts = series["end_date"].to_list(), series["start_date"].to_list()
    assert ends[:-1] == starts[1:] and ends[-1] is None
    assert series["source"][0] == build.MANUAL_SOURCE


# --- the validator refuses bad rows ---------------------------------------------------------

PERSONS = [
    ("alpha-one", "Alpha One", None, SOURCE),
    ("beta-two", "Beta Two", None, SOURCE),
    ("gamma-three", "Gamma Three", None, SOURCE),
]
NAMES = [
    ("alpha-one", "en", "Alpha One", "name", "false", SOURCE),
    ("beta-two", "en", "Beta Two", "name", "false", SOURCE),
    ("gamma-three", "en", "Gamma Three", "name", "false", SOURCE),
]


def term(person, office="head_of_state", country="RU", org=None, start="2000-01-01", end=None):
    return (person, office, country, org, "President", None, None, None, start, end, SOURCE, None)


def write_table(directory, persons=PERSONS, names=NAMES, terms=()):
    for name in (offices.ORGANISATIONS_FILE, offices.SHARED_OFFICES_FILE, offices.SCOPE_FILE):
        shutil.copy(offices.OFFICES_DIR / name, directory / name)
    for file_name, columns, rows in (
        (offices.PERSONS_FILE, offices.PERSON_COLUMNS, persons),
        (offices.NAMES_FILE, offices.NAME_COLUMNS, names),
        (offices.TERMS_FILE, offices.TERM_COLUMNS, terms),
    ):
        frame = pl.DataFrame(list(rows), schema=dict.fromkeys(columns, pl.String), orient="row")
        frame.write_csv(directory / file_name)
    return directory


def refused(directory, match):
    with pytest.raises(ReferenceDataError, match=match) as info:
        offices.load(directory)
    return str(info.value)


def test_a_valid_small_table_loads(tmp_path):
    table = offices.load(
        write_table(
            tmp_path,
            terms=[
                term("alpha-one", end="2008-05-07"),
                term("beta-two", start="2008-05-07"),  # handover: end = successor's start
            ],
        )
    )
    assert table["terms"].height == 2


def test_refuses_overlapping_terms_of_one_office(tmp_path):
    message = refused(
        write_table(
            tmp_path,
            terms=[term("alpha-one", end="2008-05-07"), term("beta-two", start="2008-05-01")],
        ),
        "overlapping terms of head_of_state of RU",
    )
    assert str(tmp_path / offices.TERMS_FILE) in message and "line 3" in message


def test_an_open_term_overlaps_any_later_one(tmp_path):
    refused(
        write_table(tmp_path, terms=[term("alpha-one"), term("beta-two", start="2020-01-01")]),
        "overlapping",
    )


def test_a_declared_co_principality_takes_two_holders_but_not_three(tmp_path):
    two = [term("alpha-one", country="AD"), term("beta-two", country="AD")]
    assert offices.load(write_table(tmp_path, terms=two))["terms"].height == 2
    refused(
        write_table(tmp_path, terms=[*two, term("gamma-three", country="AD")]),
        "overlapping terms of head_of_state of AD",
    )


def test_refuses_an_unknown_country(tmp_path):
    refused(write_table(tmp_path, terms=[term("alpha-one", country="QQ")]), "unknown country")


def test_kosovo_is_a_known_country(tmp_path):
    assert offices.load(write_table(tmp_path, terms=[term("alpha-one", country="XK")]))


def test_refuses_an_unknown_organisation(tmp_path):
    bad = term("alpha-one", office="head_of_organisation", country=None, org="NOPE")
    refused(write_table(tmp_path, terms=[bad]), "unknown org_code")


def test_refuses_a_term_with_both_a_country_and_an_organisation(tmp_path):
    bad = term("alpha-one", office="head_of_organisation", country="RU", org="UN")
    refused(write_table(tmp_path, terms=[bad]), "exactly one of country_iso2 and org_code")


def test_refuses_a_missing_source(tmp_path):
    bad = list(term("alpha-one"))
    bad[10] = None
    refused(write_table(tmp_path, terms=[tuple(bad)]), "missing source")


def test_refuses_an_end_before_the_start(tmp_path):
    bad = term("alpha-one", start="2010-01-01", end="2009-12-31")
    refused(write_table(tmp_path, terms=[bad]), "end_date before start_date")


def test_refuses_a_date_that_is_no_date(tmp_path):
    refused(write_table(tmp_path, terms=[term("alpha-one", start="2010-02-30")]), "not a YYYY")


def test_refuses_an_unknown_office(tmp_path):
    refused(write_table(tmp_path, terms=[term("alpha-one", office="emperor")]), "office not in")


@pytest.mark.parametrize("key", ["Vladimir-Putin", "vladimir_putin", "vladimir--putin", "путин"])
def test_refuses_a_person_key_that_is_not_a_slug(tmp_path, key):
    persons = [(key, "Vladimir Putin", None, SOURCE)]
    refused(write_table(tmp_path, persons=persons, names=[]), "not a slug")


def test_refuses_one_alias_for_two_people_in_one_language(tmp_path):
    names = [*NAMES, ("beta-two", "en", "Alpha One", "alias", "false", SOURCE)]
    message = refused(write_table(tmp_path, names=names), "names two different people")
    assert str(tmp_path / offices.NAMES_FILE) in message


def test_one_alias_for_two_people_is_allowed_when_declared_ambiguous(tmp_path):
    names = [
        ("alpha-one", "en", "A. One", "alias", "true", SOURCE),
        ("beta-two", "en", "A. One", "alias", "true", SOURCE),
        # the same spelling in two languages for two people is no clash
        ("gamma-three", "ru", "Alpha One", "alias", "false", SOURCE),
    ]
    assert offices.load(write_table(tmp_path, names=[*NAMES, *names]))["names"].height == 6


def test_refuses_a_term_of_an_unknown_person(tmp_path):
    refused(write_table(tmp_path, terms=[term("delta-four")]), "unknown person_key")


def test_the_fast_yaml_reader_reads_every_reference_file_as_the_safe_loader_does():
    import yaml

    from orchestration.config import REFERENCE_DIR
    from orchestration.entities.reference import read_yaml

    files = sorted(REFERENCE_DIR.rglob("*.yaml"))
    assert files
    for path in files:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path
