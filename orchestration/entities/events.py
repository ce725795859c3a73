"""Diplomatic events a post reports: who met, phoned, visited, hosted, signed with, criticised,
accused, congratulated or consoled whom, with a CAMEO-based type (lexicon.CAMEO).

Columnar over the hit tables of resolve.py: an event verb (lexicon.TRIGGERS) and the persons and
countries of its sentence, ordered by position. The subject is the first person of the sentence
(else of the post: "The Minister will hold talks..."), the other actor the next person, else a
country the sentence names; without any person, two countries ("Russia-Vietnam consultations",
"The Kremlin said", a capital after "in"/"a"/"à" being the place, not an actor). A visit's
second actor is the host country, the place's; a passive host verb ("a été reçu par") takes its
agent as the host. A meeting or talks in a country neither actor represents is 044. A verb a
negation stands just before reports nothing, nor does a meeting after a negated plan, after a
modal, or near a predicate that denies it or deems it possible ("не планирует, по крайней мере
пока, встречу", "could meet", "может состояться, если"); a denunciation of no one is a
statement; a line opening with a speaker and a colon is their statement, or their criticism of
the other country's person their words open with. Titles that only qualify an aide's office
("Aide to the President of Russia") name no actor. The event date is the date the post gives
("(May 10, 2025)", "On May 11", "10 мая", "el 11 de mayo", "le 11 mai", "yesterday"), else its
publication date.

Grammar read beyond word order: a future or an intent before a meeting, call or visit makes it
036 ("will pay an official visit", "sostendrá conversaciones"); a passive's agent ("was accused
by") and the subject after an object-first Russian verb ("Уиткоффа принял ... Путин", told by
the case endings) are the subjects; an event its sentence dates by a month or a year only
("last October") is not reported, nor are visits it counts ("nine times"); a meeting told in
several sentences is one event. No one visits their own country: a visit placed only there is
the guest's ("talks with X, who is in Moscow on a visit"). The person whose invitation a
sentence names, and one named after "of" before the verb, are no actors; a verb of saying
after a comma is the speaker's who follows it ("..., заявил Дмитрий Песков"); speakers joined
by "and" speak each, countries joined by "and" together; a colon's speaker whose words judge
what someone did criticises them. The more specific reading of a sentence wins only where it
found its actors.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import polars as pl

from orchestration.entities import lexicon, people, reference
from orchestration.entities.resolve import (
    Prepared,
    _after,
    _before,
    _between,
    _pattern,
    back_over_space,
    longest_first,
    raw_haystacks,
    sentence_of,
    words_before,
)

EVENT_SCHEMA = {
    "post_key": pl.String,
    "event_type": pl.String,
    "actor1_leader_key": pl.String,
    "actor1_iso2": pl.String,
    "actor2_leader_key": pl.String,
    "actor2_iso2": pl.String,
    "place": pl.String,
    "event_date": pl.Date,
    "evidence": pl.String,
    "sentence": pl.UInt32,
    "position": pl.Int64,
}
# What makes two found events one: the post, the type and both actors.
EVENT_IDENTITY = list(EVENT_SCHEMA)[:6]
# How far after a speaker's colon the person their words open with may start ("The US
# Secretary of State's ...": an article and a country word, in the doubled haystack).
# Prepositions that open a circumstance after a speaker's colon (folded, lower case).
COLON_PREPOSITIONS = (
    "after",
    "before",
    "since",
    "following",
    "during",
    "despite",
    "после",
    "до",
    "с",
    "со",
    "при",
    "для",
    "несмотря",
    "накануне",
    "tras",
    "despues",
    "antes",
    "desde",
    "durante",
    "pese",
    "apres",
    "avant",
    "depuis",
    "lors",
    "pendant",
    "malgre",
)
COLON_SUBJECT_BYTES = 44
# How far before a verb a negation may stand: two short words between them in the doubled
# haystack ("не  намерен  вести  переговоры", Cyrillic letters are two bytes).
NEGATION_BYTES = 40
# How far after a negation the words of a plan may start ("n  avait  pas  l  intention", "не
# стоит  на  повестке" in the doubled haystack).
NEGATED_PLAN_BYTES = 20
# How far before a predicate that holds a meeting off its noun may end ("Встреча  Владимира
# Путина  и  Дональда  Трампа  может состояться": two names between, Cyrillic two bytes).
HELD_OFF_BYTES = 120
# How far before a verb the sentence's opening bare subject may stand ("The Minister" before
# "will hold talks with <a long title> Hakan Fidan and will be received by").
BARE_SUBJECT_CHARS = 240
# A post that dates its events by "this day" of another year.
ON_THIS_DAY_RE = (
    r"onthisday|on\s+this\s+day|в\s+этот\s+день|этот\s+день|como\s+hoy|en\s+este\s+dia|"
    r"ce\s+jour|jour\s+pour\s+jour|cejour"
)
# Messages one sends to someone.
MESSAGES = ("condolences", "congratulations")
# How far after a verb of saying its speaker may start ("according to Foreign Minister
# Sergey Lavrov": a title between them).
SPEAKER_AFTER_BYTES = 40
# How far after a verb of saying its speaker may start where an office in lower case opens the
# title between ("a indiqué la porte-parole de la diplomatie russe Maria Zakharova", "заявил
# пресс-секретарь президента РФ Дмитрий Песков" in the doubled haystack).
OFFICE_SPEAKER_BYTES = 120
# What stands before a verb of saying that its speaker follows: a comma, a dash, or both, as
# after a quote ("..., заявил Песков", "«...», — заявил Песков", "... — сообщил Ушаков").
SAID_AFTER = r"(?:,\s*[—–]|,|\s[—–])\s+"
# How far after a verb of saying its "that" may stand ("told RIA Novosti that", in the doubled
# haystack, a Cyrillic letter two bytes).
REPORTED_BYTES = 40
# How far before a verb an intent may stand ("will  pay  an  official  visit", "прибудет  в
# Россию  с  официальным  визитом" in the doubled haystack).
INTENT_BYTES = 56
# How far before a predicate of a plan its meeting may end ("Des  entretiens  avec  Sergueï
# Lavrov  sont prévus": a name between them, Cyrillic letters two bytes).
PLANNED_BYTES = 120
# How far after the words of an invitation its host's name may start: a title between them
# ("по  приглашению  премьер  министр  нарендр  моди", Cyrillic letters two bytes).
INVITER_BYTES = 80
# How far before a verb of saying two countries joined by "and" may end to be its subject: an
# auxiliary between ("La Russie et l'Algérie  ont  réaffirmé").
JOINT_SUBJECT_BYTES = 16
# How far a speaker joined by "and" to the next may end before that one starts: a title between
# them ("Boris Johnson  and  US  House  Speaker  Mike Johnson").
JOINED_SPEAKER_BYTES = 64
# The types a future or an intent turns into an intent to meet (036).
INTENT_TYPES = ("040", "041", "042", "043", "044", "046")
# When one sentence carries several verbs, the more specific reading wins.
OUTRANKS = {
    "041": ("040", "046", "010", "042", "043"),
    "046": ("040", "010"),
    "036": ("040", "046", "010"),
    "043": ("040", "010"),
    "042": ("010",),
    "040": ("010",),
    "057": ("010", "040"),
    "condolences": ("010",),
    "congratulations": ("010",),
    "111": ("010",),
    "112": ("010", "111"),
}
CITIES = {
    # English name: forms in the four languages (capitals come from capitals.csv)
    "Moscow": ["Kremlin", "Кремль", "Кремле", "Кремля", "Kremlin"],
    "Sochi": ["Sochi", "Сочи", "Sotchi"],
    "Saint Petersburg": [
        "St Petersburg",
        "St. Petersburg",
        "Saint Petersburg",
        "Санкт-Петербург",
        "San Petersburgo",
        "Saint-Pétersbourg",
    ],
    "Kazan": ["Kazan", "Казань", "Казани", "Kazán"],
    "Istanbul": ["Istanbul", "Стамбул", "Estambul"],
    "New York": ["New York", "Нью-Йорк", "Nueva York"],
    "Geneva": ["Geneva", "Женева", "Женеве", "Ginebra", "Genève"],
    "Rio de Janeiro": ["Rio de Janeiro", "Рио-де-Жанейро", "Río de Janeiro"],
    "Johannesburg": ["Johannesburg", "Йоханнесбург", "Johannesburgo"],
    "Wonsan": ["Wonsan", "Вонсан", "Vonsan"],
    "Samarkand": ["Samarkand", "Самарканд", "Samarcanda", "Samarcande"],
    "Anchorage": ["Anchorage", "Анкоридж"],
    "Yalta": ["Yalta", "Ялта", "Ялте"],
    "Tianjin": ["Tianjin", "Тяньцзинь"],
}
CITY_COUNTRY = {
    "Moscow": "RU",
    "Sochi": "RU",
    "Saint Petersburg": "RU",
    "Kazan": "RU",
    "Istanbul": "TR",
    "New York": "US",
    "Geneva": "CH",
    "Rio de Janeiro": "BR",
    "Johannesburg": "ZA",
    "Wonsan": "KP",
    "Samarkand": "UZ",
    "Anchorage": "US",
    "Yalta": "UA",
    "Tianjin": "CN",
}


@lru_cache(maxsize=1)
def place_patterns() -> pl.DataFrame:
    """pattern -> place (English city name), place_iso2: capitals and the cities above."""
    capitals = reference.country_aliases().filter(pl.col("kind") == "capital")
    # the English name of the capital, not of a seat of power ("the Kremlin" is in Moscow)
    english = (
        capitals.filter(
            pl.col("lang").str.contains("en")
            & ~pl.col("alias").is_in(list(reference.seats_of_power()))
        )
        .unique("iso2", keep="first", maintain_order=True)
        .select("iso2", pl.col("alias").alias("place"))
    )
    rows = capitals.join(english, on="iso2").select(
        pl.col("alias").alias("form"), "place", pl.col("iso2").alias("place_iso2")
    )
    cities = pl.DataFrame(
        [(form, name, CITY_COUNTRY[name]) for name, forms in CITIES.items() for form in forms],
        schema=["form", "place", "place_iso2"],
        orient="row",
    )
    frame = pl.concat([rows, cities]).with_columns(
        stem=pl.col("form").str.ends_with("*"), form=pl.col("form").str.strip_chars_end("*")
    )
    core = people.haystack(pl.col("form")).str.replace_all(" ", "  ").str.strip_chars(" ")
    return frame.select(
        pl.when(pl.col("stem")).then(" " + core).otherwise(" " + core + " ").alias("pattern"),
        "place",
        "place_iso2",
    ).unique("pattern", keep="first", maintain_order=True)


def _places(prep: Prepared) -> pl.DataFrame:
    table = place_patterns()
    patterns = longest_first(table["pattern"])
    found = (
        prep.posts.select(
            "row",
            pl.col("hay").str.extract_many(patterns, leftmost=True).alias("pattern"),
            pl.col("hay").str.find_many(patterns, leftmost=True).alias("start"),
        )
        .explode("pattern", "start")
        .drop_nulls("pattern")
    )
    found = found.with_columns(pl.col("start").cast(pl.Int64)).with_columns(
        sentence=sentence_of(prep.marks)
    )
    # (standing: no preposition of place before it, "Kiev's delegation", "Moscow and Bamako")
    word_before = _before("low", pl.col("start") + 1, 24).str.extract(
        r"(\S+)\s+(?:(?:the|el|la|le|l)\s+)?$"
    )
    return (
        found.join(table, on="pattern")
        .join(prep.posts.select("row", "low"), on="row")
        .select(
            "row",
            "sentence",
            "start",
            "place",
            "place_iso2",
            standing=~word_before.is_in(list(lexicon.LOCATIVE_PREPOSITIONS)).fill_null(False),
        )
    )


@lru_cache(maxsize=1)
def _passive_patterns() -> list[str]:
    """The lower-cased pass's patterns of the passive host verbs (lexicon.PASSIVE_HOST)."""
    return [
        " " + p.strip().replace(" ", "  ") + " " for p in people.hay_of(list(lexicon.PASSIVE_HOST))
    ]


@lru_cache(maxsize=1)
def _future_passive_patterns() -> list[str]:
    """The lower-cased pass's patterns of the host verbs in a future passive
    (lexicon.FUTURE_PASSIVE_HOST: "will be received by")."""
    return _patterns_of(lexicon.FUTURE_PASSIVE_HOST)


@lru_cache(maxsize=1)
def _welcome_patterns() -> list[str]:
    """The lower-cased pass's patterns of the welcome verbs (lexicon.WELCOME_VERBS)."""
    return _patterns_of(lexicon.WELCOME_VERBS)


@lru_cache(maxsize=8)
def _patterns_of(phrases: tuple[str, ...]) -> list[str]:
    """The lower-cased pass's patterns of some of the lexicon's phrases ('*' stems kept)."""
    forms = pl.DataFrame({"form": list(phrases)})
    return forms.select(
        _pattern(pl.col("form").str.strip_chars_end("*"), pl.col("form").str.ends_with("*"))
        .str.to_lowercase()
        .alias("pattern")
    )["pattern"].to_list()


MONTH_RE = {lang: "|".join(months) for lang, months in lexicon.MONTHS.items()}


def event_dates(prep: Prepared, rows: pl.Series | None = None) -> pl.DataFrame:
    """row -> the date the post gives (the first one), else its publication date; of the
    given rows only, when given (the posts an event was found in)."""
    # words in the haystack are bounded by spaces: no Unicode \b, which slows the regex engine
    low = pl.col("low")
    en = low.str.extract_groups(
        rf" (?P<m>{MONTH_RE['en']})\s+(?P<d>\d{{1,2}}) (?:\s*(?P<y>\d{{4}}))?"
    )
    other = "|".join(MONTH_RE[k] for k in ("ru", "es", "fr"))
    eu = low.str.extract_groups(
        rf" (?P<d>\d{{1,2}})\s+(?:de\s+)?(?P<m>{other})\S*(?:\s+(?:de\s+)?(?P<y>\d{{4}}))?"
    )
    month_number = {m: i + 1 for months in lexicon.MONTHS.values() for i, m in enumerate(months)}
    posts = prep.posts if rows is None else prep.posts.filter(pl.col("row").is_in(rows.implode()))
    frame = posts.select("row", "date", "low", en=en, eu=eu).unnest("en", separator="_")
    frame = frame.unnest("eu", separator="_") if "eu" in frame.columns else frame
    frame = frame.rename({"m": "en_m", "d": "en_d", "y": "en_y"}, strict=False)
    cols = frame.columns

    def pick(field: str) -> pl.Expr:
        names = [c for c in cols if c.endswith(field) and c not in ("row", "date", "low")]
        return pl.coalesce([pl.col(c) for c in names]) if names else pl.lit(None, pl.String)

    month = pick("_m").str.slice(0, 7)
    # Russian months stemmed to their first letters: match on prefixes
    month_map = {k: v for k, v in month_number.items()}
    frame = frame.with_columns(
        m=pl.coalesce(
            *[
                pl.when(month.str.starts_with(prefix)).then(pl.lit(number))
                for prefix, number in sorted(month_map.items(), key=lambda kv: -len(kv[0]))
            ]
        ),
        d=pick("_d").cast(pl.Int32, strict=False),
        y=pick("_y").cast(pl.Int32, strict=False),
    )
    given = pl.date(pl.coalesce("y", pl.col("date").dt.year()), "m", "d")
    yesterday = pl.col("low").str.contains("|".join(lexicon.YESTERDAY))
    return frame.select(
        "row",
        event_date=pl.when(pl.col("m").is_not_null() & pl.col("d").is_between(1, 31))
        .then(given)
        .when(yesterday)
        .then(pl.col("date") - dt.timedelta(days=1))
        .otherwise(pl.col("date")),
    )


def _with_events_possible(prep: Prepared) -> Prepared:
    """The posts an event can come from: those with an event verb or a speaker's colon. Every
    reading below is of one post at a time, so the rest change nothing, and the whole-text
    passes (places, dates, month-only dates) and the windows around hits skip them."""
    rows = pl.concat(
        [
            prep.lowered.filter(pl.col("entity") == "trigger").select("row"),
            prep.cased.filter(pl.col("entity") == "colon").select("row"),
        ]
    )["row"].unique()
    keep = pl.col("row").is_in(rows.implode())
    return Prepared(
        posts=prep.posts.filter(keep),
        cased=prep.cased.filter(keep),
        lowered=prep.lowered.filter(keep),
        marks=prep.marks,
    )


def _tail_sentence(text: pl.Expr) -> pl.Expr:
    """What of a text follows its last sentence mark (all of it without one): the same as
    extracting ``([^ǂ]*)$``, without a regex that must try every start before the end."""
    return text.str.split(people.SENTENCE_MARK).list.last()


def _head_sentence(text: pl.Expr) -> pl.Expr:
    """What of a text comes before its first sentence mark (all of it without one)."""
    return text.str.split(people.SENTENCE_MARK).list.first()


def find_events(prep: Prepared, mentions: pl.DataFrame) -> pl.DataFrame:
    """Events of the prepared posts, in EVENT_SCHEMA (post_key added by the caller's join)."""
    prep = _with_events_possible(prep)
    mentions = _without_inviters(prep, mentions)
    speakers = _colon_speakers(prep, mentions)
    # "a été reçu par Vladimir Poutine": the host is the person after the verb
    triggers = prep.lowered.filter(pl.col("entity") == "trigger").select(
        "row",
        "sentence",
        "start",
        "end",
        pl.col("kind").alias("event_type"),
        "pattern",
        passive=pl.col("pattern").is_in(_passive_patterns()),
    )
    # "В аэропорту российского лидера встретил Президент Таджикистана": meeting someone at the
    # airport is welcoming a guest, the host's part of a visit
    airports = (
        prep.lowered.filter(pl.col("entity") == "airport")
        .select("row", "sentence", at_airport=pl.lit(True))
        .unique()
    )
    triggers = (
        triggers.join(airports, on=["row", "sentence"], how="left")
        .with_columns(
            event_type=pl.when(
                pl.col("at_airport").fill_null(False) & (pl.col("event_type") == "040")
            )
            .then(pl.lit("043"))
            .otherwise("event_type")
        )
        .drop("at_airport")
    )
    # "Kaja Kallas was accused by Maria Zakharova", "fue condenado por", "a été félicité par":
    # a verb its agent follows is a passive, whose subject is the agent
    agent_next = (
        _after("low", pl.col("end") - pl.col("pattern").str.ends_with(" ").cast(pl.Int64), 12)
        .str.extract(r"^\s*(\S+)")
        .is_in(list(lexicon.AGENT_PREPOSITIONS))
    )
    one_way = ~pl.col("event_type").is_in(list(lexicon.SYMMETRIC)) & (pl.col("event_type") != "010")
    triggers = pl.concat(
        [
            triggers.filter(one_way)
            .join(prep.posts.select("row", "low"), on="row")
            .with_columns(
                passive=(pl.col("passive") | agent_next.fill_null(False))
                & ~pl.col("pattern").is_in(_future_passive_patterns())
            )
            .drop("low"),
            triggers.filter(~one_way),
        ]
    )
    # a phrase that reports no event, or a verb a negation stands just before ("не намерен
    # вести переговоры", "would not travel"): no event
    # (the negations are hits of the lower-cased pass)
    negations = prep.lowered.filter(pl.col("entity") == "negation")
    # (words of talks not held deny talks, not the verb of saying after them: "said the dialogue
    # would continue, and Wang Yi noted")
    not_held = pl.col("pattern").is_in(_patterns_of(lexicon.NOT_HELD))
    negated = pl.concat(
        [
            _right_after(
                triggers,
                negations.filter(~not_held).select("row", "sentence", "end"),
                NEGATION_BYTES,
            ),
            _right_after(
                triggers.filter(pl.col("event_type") != "010"),
                negations.filter(not_held).select("row", "sentence", "end"),
                NEGATION_BYTES,
            ),
        ]
    ).unique()
    triggers = triggers.filter(pl.col("event_type") != "none").join(
        negated, on=["row", "start"], how="anti"
    )
    triggers = _called_off(prep, triggers)
    triggers = _denied_or_asked(prep, triggers)
    triggers = _told_before(prep, triggers)
    # (a word that judges in what a colon's speaker said is the speaker's criticism, read with
    # the colon: _colon_statements; the remarks it judges are no statement of their own)
    colon_read = pl.col("pattern").is_in(_patterns_of(lexicon.CRITICAL_WORDS)) | (
        pl.col("event_type") == "010"
    )
    triggers = pl.concat(
        [
            triggers.filter(~colon_read),
            triggers.filter(colon_read).join(
                _judged_sentences(prep, speakers).select("row", "sentence"),
                on=["row", "sentence"],
                how="anti",
            ),
        ]
    )
    triggers = _intents(prep, triggers)
    triggers = _dated_by_month_or_year(prep, triggers)
    persons = (
        mentions.select("row", "sentence", "start", "end", "person_key", "country_iso2")
        .sort("row", "start")
        .unique(["row", "sentence", "person_key"], keep="first", maintain_order=True)
    )
    triggers = _object_first(prep, triggers, persons)
    triggers = _reported_speech(prep, triggers)
    # "Kim Yo Jong, ... sister of Kim Jong Un, criticised Seoul": a person named after "of"
    # ("de", "du") between the subject and the verb qualifies the subject, and is no actor
    persons = (
        persons.rename({"end": "p_end"})
        .join(prep.posts.select("row", "low"), on="row")
        .with_columns(
            of_whom=_before("low", pl.col("start") + 1, 16)
            .str.extract(r"(\S+)\s+$")
            .is_in(list(lexicon.OF_WORDS))
            .fill_null(False)
        )
        .drop("low")
    )
    # (one reading per type and sentence; statements each, as a sentence may name its speaker
    # only at its second verb of saying: "In an interview with Izvestia, X said"; a visit to
    # come and a meeting to come are two intents: "will travel to Minsk, where he will hold
    # talks with X")
    reading = (
        pl.when(pl.col("event_type") == "010")
        .then(pl.col("start"))
        .when(pl.col("event_type") == "036")
        .then(
            -pl.col("visit_like").fill_null(False).cast(pl.Int64)
            - 2 * pl.col("pattern").is_in(_future_passive_patterns()).cast(pl.Int64)
        )
    )
    triggers = (
        triggers.sort("row", "start", "event_type")
        .with_columns(reading=reading)
        .unique(["row", "sentence", "event_type", "reading"], keep="first", maintain_order=True)
        .drop("reading")
    )
    # countries of the sentence that no person mention covers (for country actors); a capital
    # counts unless it says where ("in Moscow"): "accused London" names the country
    word_before = _before("low", pl.col("start") + 1, 24).str.extract(
        r"(\S+)\s+(?:(?:the|el|la|le|l)\s+)?$"
    )
    # (Spanish marks a person or a country as the object with "a": "acusó a Kiev", right after
    # the verb of a one-way event, it is no place; so does a verb that ends in a preposition,
    # "hit out at Warsaw")
    objects = (
        triggers.filter(pl.col("event_type").is_in(["043", "111", "112", *MESSAGES]))
        .select("row", t_end="end")
        .join(prep.cased.filter(pl.col("kind") == "capital").select("row", "start"), on="row")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            (pl.col("start") >= pl.col("t_end") - 1)
            & (pl.col("start") - pl.col("t_end") <= 12)
            # (a stem's pattern ends inside its word: the rest of the word comes first)
            & _between("low", pl.min_horizontal("t_end", "start"), pl.col("start")).str.contains(
                r"^(?:\S*\s+a)?\s*$"
            )
        )
        .select("row", "start", object_a=pl.lit(True))
        .unique()
    )
    capitals = (
        prep.cased.filter((pl.col("entity") == "country") & (pl.col("kind") == "capital"))
        .select("row", "start")
        .join(prep.posts.select("row", "low"), on="row")
        .join(objects, on=["row", "start"], how="left")
        .filter(
            ~word_before.is_in(list(lexicon.LOCATIVE_PREPOSITIONS)).fill_null(True)
            | pl.col("object_a").fill_null(False)
        )
        .select("row", "start", standing=pl.lit(True))
    )
    # a country named after a preposition of place is where, or what about ("discussed the
    # situation in Libya", "the attack in Pakistan"): the other actor only of a visit
    countries = (
        prep.cased.filter(pl.col("entity") == "country")
        .join(capitals, on=["row", "start"], how="left")
        .filter((pl.col("kind") != "capital") | pl.col("standing").fill_null(False))
        .join(prep.posts.select("row", "low"), on="row")
        .select(
            "row",
            "sentence",
            pl.col("start").alias("c_start"),
            pl.col("end").alias("c_end"),
            pl.col("target").alias("iso2"),
            locative=word_before.is_in(list(lexicon.LOCATIVE_PREPOSITIONS)).fill_null(False)
            & (pl.col("kind") != "capital"),
        )
    )
    countries = _listed_after_a_place(countries, prep)
    triggers = _inverted_speakers(prep, triggers, countries)
    places = _places(prep)

    # subject: the first person of the sentence (before the verb where there is one), else the
    # post's first person; the source a sentence's reporting clause names is the speaker of its
    # statement only ("Как сообщил Песков, состоятся переговоры с Путиным")
    sources = _reporting_sources(prep, persons)
    actors = persons.join(sources.select("row", "start"), on=["row", "start"], how="anti")
    statement_trigger = pl.col("event_type") == "010"
    in_sentence = pl.concat(
        [
            triggers.filter(statement_trigger).join(persons, on=["row", "sentence"], how="left"),
            triggers.filter(~statement_trigger).join(actors, on=["row", "sentence"], how="left"),
        ]
    )
    first_of_post = (
        actors.sort("row", "start", "person_key")
        .unique("row", keep="first", maintain_order=True)
        .select(
            "row",
            post_person="person_key",
            post_country="country_iso2",
            post_sentence="sentence",
        )
    )
    ordered = in_sentence.sort("row", "start", "event_type", "start_right", "person_key")
    # (the persons before the verb other than its subject; of them, one named after "of" is no
    # actor, unless a word that judges stands after it: "called the remarks of Kaja Kallas
    # absurd")
    judged = pl.col("pattern").is_in(_patterns_of(lexicon.CRITICAL_WORDS))
    other_before = (pl.int_range(pl.len()) > 0) & (~pl.col("of_whom") | judged)
    subject_before = (
        ordered.filter(pl.col("start_right") < pl.col("start"))
        .group_by("row", "sentence", "event_type", "start", maintain_order=True)
        .agg(
            pl.col("person_key").first().alias("s_key"),
            pl.col("country_iso2").first().alias("s_iso2"),
            pl.col("person_key").last().alias("last_key"),
            pl.col("country_iso2").last().alias("last_iso2"),
            pl.col("person_key").filter(other_before).alias("before_keys"),
            pl.col("country_iso2").filter(other_before).alias("before_iso2"),
            # (the person before the last, for speakers joined by "and")
            pl.col("person_key").slice(-2, 1).first().alias("prev_key"),
            pl.col("country_iso2").slice(-2, 1).first().alias("prev_iso2"),
            pl.col("p_end").slice(-2, 1).first().alias("prev_end"),
            pl.col("start_right").last().alias("last_start"),
        )
    )
    subject_after = (
        ordered.filter(pl.col("start_right") > pl.col("start"))
        .group_by("row", "sentence", "event_type", "start", maintain_order=True)
        .agg(
            pl.col("person_key").alias("after_keys"),
            pl.col("country_iso2").alias("after_iso2"),
            pl.col("start_right").first().alias("after_start"),
        )
    )
    events = (
        triggers.join(subject_before, on=["row", "sentence", "event_type", "start"], how="left")
        .join(subject_after, on=["row", "sentence", "event_type", "start"], how="left")
        .join(first_of_post, on="row", how="left")
        .with_columns(
            pl.col("after_keys", "before_keys").fill_null([]),
            pl.col("after_iso2", "before_iso2").fill_null([]),
        )
    )
    statement = pl.col("event_type") == "010"
    # statements: the person just before the verb, else the first after it
    passive = pl.col("passive")
    # "Sergey Lavrov arrived in Pyongyang. In Wonsan, the Minister will hold talks with Choe
    # Son Hui": no person before the verb and one after it; the post's subject, named in an
    # earlier sentence, is the sentence's implicit subject
    # ("The Minister will hold talks with X and will be received by Y", "Il s'entretiendra avec
    # X": a bare office or a pronoun opens the sentence: its subject is the post's person too,
    # whoever else it names)
    subject_words = people.phrase_alternatives(lexicon.BARE_SUBJECTS)
    # (the persons before a sentence's second verb are the first verb's objects: "The Minister
    # will hold talks with Hakan Fidan and will be received by President Erdogan", so the
    # sentence is read from its start, which may lie a long title before)
    bare = _tail_sentence(_before("low", pl.col("start") + 1, BARE_SUBJECT_CHARS)).str.contains(
        rf"^\s*(?:{subject_words})\s"
    )
    # (read only where it may matter: no person before the verb but the post's, one named
    # earlier)
    maybe_bare = (pl.col("post_sentence") < pl.col("sentence")) & (
        pl.col("s_key").is_null() | (pl.col("s_key") != pl.col("post_person"))
    )
    events = pl.concat(
        [
            events.filter(maybe_bare)
            .join(prep.posts.select("row", "low"), on="row")
            .with_columns(bare_subject=bare.fill_null(False))
            .drop("low"),
            events.filter(~maybe_bare.fill_null(False)).with_columns(bare_subject=pl.lit(False)),
        ]
    )
    implicit = (
        (
            pl.col("s_key").is_null()
            & ((pl.col("after_keys").list.len() == 1) | pl.col("bare_subject"))
            | pl.col("s_key").is_not_null() & pl.col("bare_subject")
        )
        & (pl.col("post_sentence") < pl.col("sentence"))
        & (pl.col("after_keys").list.first() != pl.col("post_person"))
    )
    # "Following the talks, the leaders signed a Joint Statement": a signing whose subject is
    # "the leaders", "the sides" (no person in its sentence) is one of the post's two persons
    # with the other
    # (so is a meeting of "the interlocutors", "their talks", "talks between both leaders":
    # _grouped)
    # ("Об этом сообщил Песков по итогам их телефонного разговора": a meeting that is theirs
    # is the two persons', whoever else its sentence names before it)
    alone = pl.col("event_type").is_in(lexicon.SYMMETRIC) & (pl.col("after_keys").list.len() == 0)
    grouped = _grouped(prep, events.filter(alone))
    plural_rows = (
        events.filter(alone)
        .select("row", "start", "event_type", "post_person", "s_key")
        .join(grouped, on=["row", "start"])
        .filter(pl.col("s_key").is_null() | pl.col("paired"))
        .drop("s_key", "paired", "plural")
    )
    group_subjects = plural_rows.select("row", "start").unique()
    # (the post's second person, for those few)
    second = (
        persons.join(plural_rows.select("row", "post_person").unique(), on="row")
        .sort("row", "start", "person_key")
        .filter(pl.col("person_key") != pl.col("post_person"))
        .unique("row", keep="first", maintain_order=True)
        .select(
            "row", second=pl.concat_list("person_key"), second_iso2=pl.concat_list("country_iso2")
        )
    )
    plural_rows = plural_rows.join(second, on="row").select(
        "row", "start", "event_type", "second", "second_iso2"
    )
    events = events.join(plural_rows, on=["row", "start", "event_type"], how="left")
    events = events.with_columns(
        after_keys=pl.coalesce("second", "after_keys"),
        after_iso2=pl.coalesce("second_iso2", "after_iso2"),
        s_key=pl.when(pl.col("second").is_not_null() & pl.col("s_key").is_not_null())
        .then("post_person")
        .otherwise("s_key"),
        s_iso2=pl.when(pl.col("second").is_not_null() & pl.col("s_key").is_not_null())
        .then("post_country")
        .otherwise("s_iso2"),
    )
    # a speaker named after the verb stands right after it ("said Lavrov", "По словам Марии
    # Захаровой"): a person further on is someone the words are about
    # (or a title after it, where an office in lower case opens it: "..., a indiqué la
    # porte-parole de la diplomatie russe Maria Zakharova")
    speaker_after = pl.col("after_start") - pl.col("end") <= pl.when(pl.col("inv_office")).then(
        OFFICE_SPEAKER_BYTES
    ).otherwise(SPEAKER_AFTER_BYTES)
    events = events.drop("second", "second_iso2").with_columns(
        a1_key=pl.when(statement & pl.col("inverted"))
        .then(pl.when(speaker_after).then(pl.col("after_keys").list.first()))
        .when(statement)
        .then(
            pl.coalesce("last_key", pl.when(speaker_after).then(pl.col("after_keys").list.first()))
        )
        .when(passive)
        .then(pl.col("after_keys").list.first())
        .when(implicit)
        .then("post_person")
        .otherwise(pl.coalesce("s_key", pl.col("after_keys").list.first(), "post_person")),
        a1_iso2=pl.when(statement & pl.col("inverted"))
        .then(
            pl.coalesce(pl.when(speaker_after).then(pl.col("after_iso2").list.first()), "inv_iso2")
        )
        .when(statement)
        .then(
            pl.coalesce("last_iso2", pl.when(speaker_after).then(pl.col("after_iso2").list.first()))
        )
        .when(passive)
        .then(pl.col("after_iso2").list.first())
        .when(implicit)
        .then("post_country")
        .otherwise(pl.coalesce("s_iso2", pl.col("after_iso2").list.first(), "post_country")),
    )
    events = _sources_speak(events, sources, persons)
    # the other actor(s): persons after the verb other than the subject
    # ("Lavrov held talks with Wang Yi. The same day, the Minister was received by Xi Jinping":
    # a passive's subject named in an earlier sentence is the post's person, as for any verb)
    guest_key = pl.when(implicit).then("post_person").otherwise("s_key")
    guest_iso2 = pl.when(implicit).then("post_country").otherwise("s_iso2")
    events = events.with_columns(
        others=pl.when(passive)
        .then(pl.concat_list(guest_key))
        .when(implicit & pl.col("s_key").is_not_null())
        .then(pl.concat_list("after_keys", pl.col("s_key"), "before_keys"))
        .otherwise(pl.concat_list("after_keys", "before_keys")),
        others_iso2=pl.when(passive)
        .then(pl.concat_list(guest_iso2))
        .when(implicit & pl.col("s_key").is_not_null())
        .then(pl.concat_list("after_iso2", pl.col("s_iso2"), "before_iso2"))
        .otherwise(pl.concat_list("after_iso2", "before_iso2")),
    )
    # (a statement has no other actor: it stays whoever else the sentence names)
    events = events.select(
        "row",
        "sentence",
        "start",
        "event_type",
        "pattern",
        "visit_like",
        "a1_key",
        "a1_iso2",
        "others",
        "others_iso2",
        "s_key",
        "passive",
        "inverted",
        "inv_iso2",
        "last_key",
        "prev_key",
        "prev_iso2",
        "prev_end",
        "last_start",
    )
    exploded = events.explode("others", "others_iso2", empty_as_null=True)
    # (whom else the sentence names: a verb whose only person is its subject keeps a row with no
    # other person, so that a country may be its other actor, where that person is its subject:
    # named before it, or after it in Russian, "Делегацию парламента Лаоса принял Вячеслав
    # Володин"; in the other languages a person after the verb is its object, "criticised
    # Macron's plan")
    trigger_key = ["row", "sentence", "event_type", "start"]
    other = pl.col("others").is_null() | (pl.col("others") != pl.col("a1_key")) | statement
    alone = (
        exploded.join(
            exploded.filter(other).select(trigger_key).unique(), on=trigger_key, how="anti"
        )
        .filter(pl.col("s_key").is_not_null() | pl.col("pattern").str.contains(r"\p{Cyrillic}"))
        .unique(trigger_key, keep="first", maintain_order=True)
        .with_columns(others=pl.lit(None, pl.String), others_iso2=pl.lit(None, pl.String))
    )
    exploded = pl.concat([exploded.filter(other), alone]).drop("s_key")
    many = pl.col("event_type").is_in(["condolences", "congratulations"])
    # one event per addressee for messages; the first other person for the rest
    first = pl.struct("row", "sentence", "event_type", "start").is_first_distinct()
    exploded = exploded.filter(many | first | pl.col("others").is_null())
    exploded = _listed_counterparts(exploded, ordered, prep)
    # a country for actor 2 where no second person is named
    sentence_countries = (
        countries.sort("row", "c_start")
        .group_by("row", "sentence")
        .agg(
            pl.col("iso2").unique(maintain_order=True).alias("s_countries"),
            pl.col("iso2").filter(~pl.col("locative")).unique(maintain_order=True).alias("s_named"),
        )
    )
    # (a place after a preposition of place says where, before a capital that stands for its
    # country: "Kiev's delegation at the talks in Istanbul")
    place = (
        places.sort("row", "sentence", "standing", "start", "place")
        .unique(["row", "sentence"], keep="first", maintain_order=True)
        .select("row", "sentence", "place", "place_iso2")
    )
    post_place = (
        places.sort("row", "start", "place")
        .unique("row", keep="first", maintain_order=True)
        .select("row", post_place="place", post_place_iso2="place_iso2")
    )
    exploded = (
        exploded.join(sentence_countries, on=["row", "sentence"], how="left")
        .join(place, on=["row", "sentence"], how="left")
        .join(post_place, on="row", how="left")
        .with_columns(pl.col("s_countries", "s_named").fill_null([]))
    )
    exploded = _host_places(exploded, places)
    exploded = _guest_visits(exploded, persons, places, countries)
    other_countries = pl.col("s_countries").list.set_difference(
        pl.concat_list(pl.col("a1_iso2").fill_null(""))
    )
    named_countries = pl.col("s_named").list.set_difference(
        pl.concat_list(pl.col("a1_iso2").fill_null(""))
    )
    visit = pl.col("event_type") == "042"
    # an intent to visit names its host as a visit does ("прибудет в Москву с визитом", "will
    # visit Minsk"): a country, not whom else the sentence names ("accepted Putin's invitation
    # to visit Russia", "will travel to Minsk, where he will hold talks with X")
    intent = (pl.col("event_type") == "036") & pl.col("visit_like").fill_null(False)
    exploded = exploded.with_columns(
        a2_key=pl.when(statement | visit | intent).then(None).otherwise(pl.col("others")),
        a2_iso2=pl.when(statement)
        .then(None)
        .when(visit)
        .then(pl.coalesce("place_iso2", other_countries.list.first(), "post_place_iso2"))
        .when(intent)
        .then(pl.coalesce(other_countries.list.first(), "place_iso2"))
        .when(pl.col("others").is_not_null())
        .then(pl.col("others_iso2"))
        # (a message goes where its sentence says: "condolences over the earthquake in Myanmar")
        .when(pl.col("event_type").is_in(list(MESSAGES)))
        .then(other_countries.list.first())
        .otherwise(named_countries.list.first()),
    )
    exploded = _targets_after_the_verb(exploded, countries)
    # no person at all: two countries; the subject is the country named before the verb, a
    # seat of power too ("The Kremlin said", "Moscou et Bamako ont signé"), the one nearest
    # the verb for a statement
    # (a capital after a preposition of place is where it happened: "llegó a Moscú")
    # (only posts that name no person at all have such events)
    country_hits = prep.cased.filter(pl.col("entity") == "country").join(
        persons.select("row").unique(), on="row", how="anti"
    )
    preceding = _before("low", pl.col("start") + 1, 20).str.extract(r"(\S+)\s+$")
    places_named = (
        country_hits.filter(pl.col("kind") == "capital")
        .select("row", "start")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(preceding.is_in(list(lexicon.PLACE_PREPOSITIONS)).fill_null(False))
        .select("row", "start")
    )
    country_words = country_hits.join(places_named, on=["row", "start"], how="anti")
    subjects = (
        triggers.select("row", "sentence", "event_type", "start")
        .join(
            country_words.select("row", "sentence", "target", c_start="start"),
            on=["row", "sentence"],
        )
        .filter(pl.col("c_start") < pl.col("start"))
        .sort("row", "sentence", "event_type", "start", "c_start")
        .group_by("row", "sentence", "event_type", "start", maintain_order=True)
        .agg(pl.col("target").unique(maintain_order=True).alias("b_countries"))
    )
    no_person = pl.col("a1_key").is_null()
    candidates = pl.concat_list("b_countries", "s_countries").list.unique(maintain_order=True)
    # "Russian Ambassador to the US Alexander Darchiev said", "Посол России в США сказал": an
    # ambassador before the verb speaks for the country of their title, not for the host
    ambassadors = prep.lowered.filter(pl.col("entity") == "ambassador").select(
        "row", "sentence", a_start="start", a_end="end"
    )
    envoy_country = (
        ambassadors.join(
            country_words.select("row", "sentence", "target", c_start="start", c_end="end"),
            on=["row", "sentence"],
        )
        .filter(
            (
                (pl.col("c_end") <= pl.col("a_start") + 1)
                & (pl.col("a_start") - pl.col("c_end") <= 12)
            )
            | (
                (pl.col("c_start") >= pl.col("a_end") - 1)
                & (pl.col("c_start") - pl.col("a_end") <= 12)
            )
        )
        .join(
            triggers.filter(pl.col("event_type") == "010").select(
                "row", "sentence", "event_type", t_start="start"
            ),
            on=["row", "sentence"],
        )
        .filter(pl.col("a_end") <= pl.col("t_start") + 1)
        .sort("row", "sentence", "a_start", "c_start")
        .unique(["row", "sentence", "event_type", "t_start"], keep="first", maintain_order=True)
        .select("row", "sentence", "event_type", start="t_start", envoy_iso2="target")
    )
    countries_only = (
        exploded.filter(no_person)
        .join(subjects, on=["row", "sentence", "event_type", "start"], how="left")
        .join(envoy_country, on=["row", "sentence", "event_type", "start"], how="left")
        .with_columns(pl.col("b_countries").fill_null([]))
        .with_columns(
            a1_iso2=pl.when(statement)
            .then(pl.coalesce("inv_iso2", "envoy_iso2", pl.col("b_countries").list.last()))
            .otherwise(candidates.list.first()),
            a2_iso2=pl.when(~statement & ~visit)
            .then(candidates.list.get(1, null_on_oob=True))
            .otherwise("a2_iso2"),
        )
        .drop("b_countries", "envoy_iso2")
    )
    countries_only = countries_only.join(
        _joint_statements(countries_only, country_words, prep),
        on=["row", "start"],
        how="anti",
    )
    exploded = pl.concat([exploded.filter(~no_person), countries_only])
    exploded = _coordinated_countries(exploded, countries, prep)
    exploded = _targets_in_scope(exploded, triggers, persons, countries)
    exploded = _addressed_earlier(exploded, prep)
    # a denunciation or accusation of no named person or country is a statement
    untargeted = (
        pl.col("event_type").is_in(["111", "112"])
        & pl.col("a2_key").is_null()
        & pl.col("a2_iso2").is_null()
    )
    # (a word that judges names no speaker: with no one it judges, no event)
    judging = pl.col("pattern").is_in(_patterns_of(lexicon.CRITICAL_WORDS))
    exploded = exploded.filter(~(untargeted & judging)).with_columns(
        event_type=pl.when(untargeted).then(pl.lit("010")).otherwise("event_type"),
        denounced=untargeted,
    )
    # "Kinshasa welcomed the peace agreement": a welcome is a host's only when a person is
    # welcomed
    welcome = pl.col("pattern").is_in(_welcome_patterns())
    exploded = exploded.filter(~welcome | pl.col("a2_key").is_not_null())
    exploded = exploded.filter(
        pl.col("a1_iso2").is_not_null() | pl.col("a1_key").is_not_null()
    ).filter(statement | pl.col("a2_iso2").is_not_null() | pl.col("a2_key").is_not_null())
    # of a sentence's verbs of saying, the first with a speaker tells the statement ("X quoted
    # Churchill at the briefing": the second verb's nearest person is the one quoted)
    exploded = pl.concat(
        [
            exploded.filter(~statement),
            exploded.filter(statement)
            .sort("row", "sentence", "start")
            .unique(["row", "sentence"], keep="first", maintain_order=True),
            _second_speakers(exploded.filter(statement), prep),
        ]
    )
    said_last = _said_last(exploded.filter(statement), triggers, persons, prep)
    exploded = _joined_speakers(exploded, prep)
    exploded = exploded.filter(
        statement
        | pl.col("a2_key").is_not_null()
        | (pl.col("a2_iso2") != pl.col("a1_iso2").fill_null(""))
    )
    # (a source's statement is no reading of the event it reports: both stand; so is one said
    # after the report, "..., a annoncé le Kremlin")
    by_source = statement & (
        pl.struct("row", "sentence", "a1_key").is_in(
            sources.select(pl.struct("row", "sentence", a1_key="person_key")).to_series().implode()
        )
        | pl.col("inverted")
        # (and a denunciation of no one: "a condamné l'attentat et adressé ses condoléances")
        | pl.col("denounced")
        # (and a speaker's verb that closes the sentence, "..., Yury Ushakov said.")
        | pl.struct("row", "start").is_in(said_last.to_series().implode())
        # (and words said at a meeting the sentence names after them)
        | pl.struct("row", "start").is_in(_said_at_a_meeting(prep, triggers).to_series().implode())
    )
    # (a meeting of the two persons is no lesser reading of their signing: "signed by A and B at
    # the end of their talks")
    kept = by_source | pl.struct("row", "start").is_in(
        grouped.filter("paired").select(pl.struct("row", "start")).to_series().implode()
    )
    exploded = pl.concat([_more_specific(exploded.filter(~kept)), exploded.filter(kept)])
    # "Putin received X, who is in Russia on an official visit": the visit its sentence tells of
    # is the guest's, whom the host received; the host made none
    hosts = exploded.filter(pl.col("event_type") == "043").select(
        "row", "sentence", a1_key="a1_key", host=pl.lit(True)
    )
    host_visits = (
        exploded.filter(visit & pl.col("a1_key").is_not_null())
        .select("row", "sentence", "a1_key", "start")
        .join(hosts.unique(), on=["row", "sentence", "a1_key"])
        .select("row", "start", "a1_key")
    )
    exploded = exploded.join(
        host_visits, on=["row", "start", "a1_key"], how="anti", nulls_equal=False
    )
    received = hosts.select("row", "sentence").unique()
    exploded = pl.concat(
        [
            exploded.filter(~pl.col("guest_visit")),
            exploded.filter(pl.col("guest_visit")).join(
                received, on=["row", "sentence"], how="anti"
            ),
        ]
    ).drop("guest_visit")
    # a meeting in a country neither actor represents is at a third location
    meeting = pl.col("event_type").is_in(["040", "046"])
    place_iso2 = pl.coalesce("place_iso2", "post_place_iso2")
    third = (
        meeting
        & place_iso2.is_not_null()
        & (place_iso2 != pl.col("a1_iso2").fill_null(""))
        & (place_iso2 != pl.col("a2_iso2").fill_null(""))
    )
    exploded = exploded.with_columns(
        event_type=pl.when(third).then(pl.lit("044")).otherwise("event_type"),
        place=pl.when(pl.col("event_type") == "041")
        .then(None)
        .otherwise(pl.coalesce("place", "post_place")),
    )
    exploded = _impersonal_statements(exploded, prep)
    # (the dates of the posts with an event or a speaker's colon only)
    colons = prep.cased.filter(pl.col("entity") == "colon")["row"]
    dates = event_dates(prep, pl.concat([exploded["row"], colons]).unique())
    # (an intent is dated when it is stated, by the post: the date it gives is the meeting's)
    out = (
        exploded.join(dates, on="row", how="left")
        .join(prep.posts.select("row", "post_key", "date"), on="row")
        .with_columns(
            event_date=pl.when(pl.col("event_type") == "036")
            .then(pl.col("date"))
            .otherwise("event_date")
        )
    )
    out = out.select(
        "post_key",
        "event_type",
        pl.col("a1_key").alias("actor1_leader_key"),
        pl.col("a1_iso2").alias("actor1_iso2"),
        pl.col("a2_key").alias("actor2_leader_key"),
        pl.col("a2_iso2").alias("actor2_iso2"),
        "place",
        "event_date",
        pl.col("pattern").str.strip_chars().str.replace_all(" +", " ").alias("evidence"),
        "sentence",
        pl.col("start").alias("position"),
    ).unique(
        EVENT_IDENTITY,
        keep="first",
        maintain_order=True,
    )
    found = (
        pl.concat(
            [
                _beside_the_speaker(out, speakers, prep),
                _colon_statements(prep, speakers, mentions, countries, dates),
            ],
            how="diagonal_relaxed",
        )
        .select(list(EVENT_SCHEMA))
        .cast(EVENT_SCHEMA)
        # a headline's statement and its speaker's colon line are one statement
        .unique(
            EVENT_IDENTITY,
            keep="first",
            maintain_order=True,
        )
    )
    found = _heads_of_sides(found, prep, mentions)
    return _one_meeting(_discussed_again(found, group_subjects, prep))


def _impersonal_statements(exploded: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """Without the statements of one actor whose Russian verb is plural and names where it was
    said ("..., сообщили в Тбилиси", "сообщили в пресс-службе храма"): "they said in X" is
    no statement of the sentence's one person or country. Two actors who speak together
    ("Лавров и Ван И заявили в ...") stand."""
    statements = exploded.filter(pl.col("event_type") == "010")
    # (the verbs "в"/"во" follows, found in the lower-cased haystack first: the raw words are
    # costly to find)
    single = (
        statements.filter(pl.len().over("row", "start") == 1)
        .select("row", "start", end=pl.col("start") + pl.col("pattern").str.len_bytes())
        .unique()
        .join(prep.posts.select("row", "low"), on="row")
        .filter(_after("low", pl.col("end"), 8).str.contains(r"^\s*(?:в|во)\s").fill_null(False))
        .select("row", "start")
    )
    if single.height == 0:
        return exploded
    index = words_before(pl.col("start") + 1)
    words = pl.col("raw").str.extract_all(r"\S+")
    impersonal = (
        single.join(raw_haystacks(prep, single), on="row")
        .with_columns(
            verb=words.list.get(index, null_on_oob=True),
            next=words.list.get(index + 1, null_on_oob=True),
        )
        .filter(
            pl.col("verb").str.contains(r"^\p{Cyrillic}+ли$").fill_null(False)
            & pl.col("next").is_in(["в", "во"]).fill_null(False)
        )
        .select("row", "start", impersonal=pl.lit(True))
    )
    return (
        exploded.join(impersonal, on=["row", "start"], how="left")
        .filter(~((pl.col("event_type") == "010") & pl.col("impersonal").fill_null(False)))
        .drop("impersonal")
    )


def _grouped(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """(row, start, paired) of the meetings, calls and signings (of those given: the ones that
    name no person after their verb) a sentence tells of the two persons as a group: its
    subject a plural ("the leaders signed", "Собеседники обсудили", "los mandatarios
    firmaron"), or (paired) the meeting theirs ("à l'issue de leurs entretiens") or between
    them ("las conversaciones entre ambos mandatarios")."""
    plural = people.phrase_alternatives(lexicon.PLURAL_SUBJECTS + lexicon.GROUP_SUBJECTS)
    possessive = "|".join(lexicon.GROUP_POSSESSIVES)
    between = "|".join(lexicon.BETWEEN_WORDS)
    before = _tail_sentence(_before("low", pl.col("start") + 1, 80))
    # (a stem's pattern ends inside its word: the rest of the word comes first)
    end = pl.col("end") - pl.col("pattern").str.ends_with(" ").cast(pl.Int64)
    after = _head_sentence(_after("low", end, 80))
    # (Russian plurals are stemmed to their singulars, "лидер": only the meeting's being theirs
    # or between them says so in a sentence that names persons)
    paired = before.str.contains(rf"\s(?:{possessive})\s+$") | after.str.contains(
        rf"^\S*\s+(?:{between})\s+(?:{plural})(?:\s|$)"
    )
    return (
        triggers.filter(pl.col("event_type").is_in(lexicon.SYMMETRIC))
        .select("row", "start", "end", "pattern")
        .join(prep.posts.select("row", "low"), on="row")
        .select(
            "row",
            "start",
            paired=paired.fill_null(False),
            plural=before.str.contains(rf"(?:^|\s)(?:{plural})\s").fill_null(False),
        )
        .filter(pl.col("paired") | pl.col("plural"))
        .unique(["row", "start"])
    )


def _discussed_again(found: pl.DataFrame, grouped: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "The Russian Foreign Minister received the Ambassador of Senegal. The sides discussed
    ...", "Состоялся телефонный разговор ... Собеседники обсудили ...": what "the sides" of a
    meeting told before discussed is that meeting, no consultation (040) of its own, whatever
    country it names as the subject discussed."""
    positions = grouped.join(prep.posts.select("row", "post_key"), on="row").select(
        "post_key", position="start"
    )
    discussed = found.filter(pl.col("event_type") == "040").join(
        positions, on=["post_key", "position"], how="semi"
    )
    if discussed.height == 0:
        return found
    meetings = found.filter(pl.col("event_type").is_in(["040", "041", "043", "044", "046"])).select(
        "post_key", position_before="position"
    )
    again = (
        discussed.join(meetings, on="post_key")
        .filter(pl.col("position_before") < pl.col("position"))
        .select("post_key", "event_type", "position")
        .unique()
    )
    return found.join(again, on=["post_key", "event_type", "position"], how="anti")


# The types whose actor named by a country alone is the one person of that country the post
# names: meetings, calls, signings, receptions, messages (a visit's host and the target of a
# denunciation stay a country: "arrived in Minsk", "осудил действия Израиля").
HEADED_TYPES = ("040", "041", "043", "044", "046", "057", *MESSAGES)


def _heads_of_sides(found: pl.DataFrame, prep: Prepared, mentions: pl.DataFrame) -> pl.DataFrame:
    """ "Russia-US talks took place in Riyadh. The Russian delegation was led by Sergey Lavrov,
    the American one by Marco Rubio", "Российскую сторону представлял А.Ю.Руденко": talks
    between delegations or sides are between their heads. An actor of a meeting that is a
    country alone is the one person of that country the post names, where it names one only
    (no speaker who only speaks in it, no one who is the event's other actor). Where the post
    names an ambassador, the side is the ambassador's, who stands for the country ("received
    the Ambassador of Senegal. The Ambassador handed over a message from President Faye")."""
    envoys = (
        prep.lowered.filter(pl.col("entity") == "ambassador")
        .join(prep.posts.select("row", "post_key"), on="row")
        .select("post_key", envoy=pl.lit(True))
        .unique()
    )
    found = found.join(envoys, on="post_key", how="left")
    headed = pl.col("event_type").is_in(HEADED_TYPES) & pl.col("envoy").is_null()
    bare = headed & (pl.col("actor1_leader_key").is_null() | pl.col("actor2_leader_key").is_null())
    posts = found.filter(bare).select("post_key").unique()
    if posts.height == 0:
        return found.drop("envoy")
    acting = found.filter(pl.col("event_type") != "010")
    acting = pl.concat(
        [
            acting.select("post_key", person_key=c)
            for c in ("actor1_leader_key", "actor2_leader_key")
        ]
    )
    speakers = (
        found.filter(pl.col("event_type") == "010")
        .select("post_key", person_key="actor1_leader_key")
        .join(acting, on=["post_key", "person_key"], how="anti")
    )
    sole = (
        mentions.select("row", "person_key", "country_iso2")
        .join(prep.posts.select("row", "post_key"), on="row")
        .join(posts, on="post_key")
        .drop_nulls(["person_key", "country_iso2"])
        .join(speakers, on=["post_key", "person_key"], how="anti")
        .group_by("post_key", "country_iso2")
        .agg(pl.col("person_key").unique())
        .filter(pl.col("person_key").list.len() == 1)
        .select("post_key", "country_iso2", head=pl.col("person_key").list.first())
    )
    out = found
    for side, other in (("actor1", "actor2"), ("actor2", "actor1")):
        key, iso2, other_key = f"{side}_leader_key", f"{side}_iso2", f"{other}_leader_key"
        out = (
            out.join(sole.rename({"country_iso2": iso2}), on=["post_key", iso2], how="left")
            .with_columns(
                pl.when(
                    headed
                    & pl.col(key).is_null()
                    & (pl.col("head") != pl.col(other_key).fill_null(""))
                )
                .then("head")
                .otherwise(key)
                .alias(key)
            )
            .drop("head")
        )
    return out.drop("envoy").unique(EVENT_IDENTITY, keep="first", maintain_order=True)


def _targets_after_the_verb(exploded: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """ "В беседе с иранским коллегой российский лидер ... осудил действия Израиля": what a
    denunciation or an accusation of no person is aimed at is the first country named after
    its verb, where there is one (not one its sentence named before it)."""
    aimed = (pl.col("event_type").is_in(["111", "112"])) & pl.col("others").is_null()
    rows = exploded.filter(aimed).select("row", "sentence", "start", "a1_iso2").unique()
    if rows.height == 0:
        return exploded
    key = ["row", "sentence", "start"]
    after = (
        rows.join(
            countries.filter(~pl.col("locative")).select("row", "sentence", "c_start", "iso2"),
            on=["row", "sentence"],
        )
        .filter(
            (pl.col("c_start") > pl.col("start"))
            & (pl.col("iso2") != pl.col("a1_iso2").fill_null(""))
        )
        .sort(*key, "c_start")
        .unique(key, keep="first", maintain_order=True)
        .select(*key, target="iso2")
    )
    return (
        exploded.join(after, on=key, how="left")
        .with_columns(
            a2_iso2=pl.when(aimed & pl.col("target").is_not_null())
            .then("target")
            .otherwise("a2_iso2")
        )
        .drop("target")
    )


# The types whose counterparts joined by "and" are met each: meetings, calls, receptions and
# their intents (a message has an event per addressee already; a joint signing is one act).
LISTED_TYPES = ("036", "040", "041", "043", "044", "046")
# How far after a counterpart the next one joined to it by "and" may start: a title between
# ("и  премьер  министр  государств  израил" in the doubled haystack, Cyrillic two bytes).
LISTED_BYTES = 120


def _listed_counterparts(
    exploded: pl.DataFrame, ordered: pl.DataFrame, prep: Prepared
) -> pl.DataFrame:
    """ "провёл телефонные разговоры с Президентом Ирана Масудом Пезешкианом и Премьер-министром
    Израиля Биньямином Нетаньяху", "held separate meetings with Robert Fico and Aleksandar
    Vucic", "se reunió con A y B": the person joined by "and" to a meeting's first counterpart
    after its verb is its counterpart too, one event each. Joined: "and" then the name or its
    title ("met with Lavrov and conveyed a message from President X" joins no one), of another
    country than the first."""
    # (ordered is sorted by trigger, then by where the person starts: the first counterpart
    # after the verb and the next one are neighbouring rows)
    after = ordered.filter(
        pl.col("event_type").is_in(LISTED_TYPES)
        & ~pl.col("passive")
        & (pl.col("start_right") > pl.col("start"))
    ).select("row", "start", "event_type", "person_key", "country_iso2", "start_right", "p_end")
    trigger = ["row", "start", "event_type"]

    def same_trigger(offset: int) -> pl.Expr:
        return pl.all_horizontal(
            [(pl.col(c) == pl.col(c).shift(offset)).fill_null(False) for c in trigger]
        )

    pairs = (
        after.with_columns(
            first_here=~same_trigger(1),
            next_here=same_trigger(-1),
            next_key=pl.col("person_key").shift(-1),
            next_iso2=pl.col("country_iso2").shift(-1),
            next_start=pl.col("start_right").shift(-1),
        )
        .filter(
            pl.col("first_here")
            & pl.col("next_here")
            & (pl.col("next_start") - pl.col("p_end") <= LISTED_BYTES)
            # (two of one country are one side: "with President Pezeshkian and Foreign Minister
            # Araghchi" is a meeting with Iran's delegation, its head first)
            & (pl.col("next_iso2") != pl.col("country_iso2")).fill_null(True)
        )
        .select(
            *trigger,
            first="person_key",
            p_end="p_end",
            next_key="next_key",
            next_iso2="next_iso2",
            next_start="next_start",
        )
    )
    if pairs.height == 0:
        return exploded
    conjunctions = "|".join(c for c in lexicon.CONJUNCTIONS if c != ",")
    # (the preposition may come again: "y con el presidente serbio", "и с Премьер-министром")
    articles = r"(?:\s+(?:with|с|со|con|avec))?(?:\s+(?:the|el|la|le|l|los|las|les))?"
    gap = _between("low", pl.col("p_end"), pl.col("next_start"))
    pairs = (
        pairs.join(prep.posts.select("row", "low"), on="row")
        .with_columns(
            conj_end=pl.col("p_end")
            + gap.str.extract(rf"^(\S*\s+(?:{conjunctions}){articles})\s").str.len_bytes(),
            # (a trilateral meeting is none of two: no event per counterpart)
            multilateral=pl.col("low").str.contains(
                rf"\s(?:{'|'.join(lexicon.MULTILATERAL_STEMS)})"
            ),
        )
        .filter(pl.col("conj_end").is_not_null() & ~pl.col("multilateral"))
        .drop("low", "multilateral")
    )
    # (the next person's name, or their title, begins right after the conjunction)
    titles = prep.lowered.filter(pl.col("entity") == "title").select("row", t_start="start")
    titled = (
        pairs.join(titles, on="row")
        .filter(pl.col("t_start").is_between(pl.col("conj_end") - 1, pl.col("conj_end") + 2))
        .select(*trigger, titled=pl.lit(True))
        .unique()
    )
    joined = (
        pairs.join(titled, on=trigger, how="left")
        .filter(
            pl.col("titled").fill_null(False)
            | (pl.col("next_start") - pl.col("conj_end")).is_between(-1, 2)
        )
        .select(*trigger, "first", "next_key", "next_iso2")
    )
    extra = (
        exploded.filter(pl.col("others").is_not_null())
        .join(joined, left_on=[*trigger, "others"], right_on=[*trigger, "first"])
        .filter(pl.col("next_key") != pl.col("a1_key").fill_null(""))
        .with_columns(others=pl.col("next_key"), others_iso2=pl.col("next_iso2"))
        .drop("next_key", "next_iso2")
    )
    return pl.concat([exploded, extra])


def _one_meeting(found: pl.DataFrame) -> pl.DataFrame:
    """A meeting a post describes in several sentences is one event: "Press statement following
    Russian-Vietnamese talks. The talks we have just had with Comrade To Lam ... We discussed
    ...". Of the same kind and subject, a reading whose other actor is only a country gives way
    to one naming a person of that country; a consultation (040) gives way to talks, a call or a
    meeting abroad between the same countries."""
    keyed = found.with_row_index("i").with_columns(
        pair=pl.concat_list(
            pl.min_horizontal("actor1_iso2", "actor2_iso2"),
            pl.max_horizontal("actor1_iso2", "actor2_iso2"),
        ).list.join("-")
    )
    people = (
        keyed.filter(pl.col("actor2_leader_key").is_not_null())
        .select("post_key", "event_type", "actor1_iso2", "actor2_iso2", person=pl.lit(True))
        .unique()
    )
    # (an intent to visit a country and one to meet its person are two: "will travel to Minsk,
    # where he will hold talks with X")
    country_only = (
        keyed.filter(
            pl.col("actor2_leader_key").is_null()
            & pl.col("actor2_iso2").is_not_null()
            & (pl.col("event_type") != "036")
        )
        .join(people, on=["post_key", "event_type", "actor1_iso2", "actor2_iso2"])
        .select("i")
    )
    stronger = (
        keyed.filter(pl.col("event_type").is_in(["041", "044", "046"]))
        .select("post_key", "pair", strong=pl.lit(True))
        .unique()
    )
    consultations = (
        keyed.filter(pl.col("event_type") == "040")
        .join(stronger, on=["post_key", "pair"])
        .select("i")
    )
    drop = pl.concat([country_only, consultations]).unique()
    return keyed.join(drop, on="i", how="anti").drop("i", "pair")


def _listed_after_a_place(countries: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "discussed the situation in Syria, Yemen and Sudan": the countries a list joins to a
    country after a preposition of place are where, or what about, too."""
    hits = countries.select("row", "sentence", "c_start", "c_end", "locative")
    joined = (
        hits.filter("locative")
        .join(
            hits.filter(~pl.col("locative")).select(
                "row", "sentence", n_start="c_start", n_end="c_end"
            ),
            on=["row", "sentence"],
        )
        .filter(
            (pl.col("n_start") > pl.col("c_end") - 1) & (pl.col("n_start") - pl.col("c_end") <= 12)
        )
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _between("low", pl.col("c_end"), pl.col("n_start")).str.contains(
                rf"^\S*(?:\s+(?:{'|'.join(lexicon.CONJUNCTIONS)}))?\s*$"
            )
        )
        .select("row", "sentence", "c_start", "n_start", "n_end")
    )
    if joined.height == 0:
        return countries
    # (a list of three: two steps from the first)
    listed = [joined.select("row", c_start="n_start", c_end="n_end")]
    step = joined.select("row", "sentence", c_end="n_end")
    for _ in range(2):
        step = (
            step.join(
                hits.select("row", "sentence", n_start="c_start", n_end="c_end"),
                on=["row", "sentence"],
            )
            .filter(
                (pl.col("n_start") > pl.col("c_end") - 1)
                & (pl.col("n_start") - pl.col("c_end") <= 12)
            )
            .join(prep.posts.select("row", "low"), on="row")
            .filter(
                _between("low", pl.col("c_end"), pl.col("n_start")).str.contains(
                    rf"^\S*(?:\s+(?:{'|'.join(lexicon.CONJUNCTIONS)}))?\s*$"
                )
            )
            .select("row", "sentence", c_end="n_end", n_start="n_start")
        )
        listed.append(step.select("row", c_start="n_start", c_end="c_end"))
        step = step.select("row", "sentence", "c_end")
    marked = pl.concat(listed).select("row", "c_start").unique().with_columns(listed=pl.lit(True))
    return (
        countries.join(marked, on=["row", "c_start"], how="left")
        .with_columns(locative=pl.col("locative") | pl.col("listed").fill_null(False))
        .drop("listed")
    )


def _inverted_speakers(
    prep: Prepared, triggers: pl.DataFrame, countries: pl.DataFrame
) -> pl.DataFrame:
    """ "Vladimir Putin does not plan to meet Zelensky, said Dmitry Peskov", "..., заявил
    Дмитрий Песков", "..., informó la Casa Blanca", "..., a déclaré Maria Zakharova": a verb of
    saying after a comma with its speaker after it (a person, else a seat of power or a
    country) is that speaker's, whoever the words before it name. Adds inverted and inv_iso2
    (the country speaking when no person does)."""
    said = triggers.filter(pl.col("event_type") == "010").select("row", "start", "end", "pattern")
    # (the verb's words as its pattern has them, the letters the folding took marks off as
    # classes, so that the text needs no folding; a stem's last word goes on)
    verb = (
        pl.col("pattern")
        .str.strip_chars()
        .str.escape_regex()
        .str.replace_many(list(_ACCENTED), list(_ACCENTED.values()))
        .str.replace_all(" +", r"\s+")
    )
    word_end = (
        pl.when(pl.col("pattern").str.ends_with(" ")).then(pl.lit("")).otherwise(pl.lit(r"\S*"))
    )
    articles = r"(?:(?:the|la|le|el|los|les|l)\s+)?"
    # (whom it was said to may come first: "..., заявил журналистам Дмитрий Песков")
    audience = r"(?:\s+(?i:журналистам|репортерам|репортёрам|прессе|reporters|journalists))?"
    # (or an office in lower case: "..., a indiqué le porte-parole de la présidence russe")
    offices = "|".join(
        re.escape(o).replace(r"\ ", r"\s+")
        for o in sorted(lexicon.SPEAKER_OFFICES, key=len, reverse=True)
    )
    # (one pass over the texts with every verb of saying first, then the few posts that have
    # one after a comma, verb by verb)
    candidates = (
        said.select("row")
        .unique()
        .join(prep.posts.select("row", "text"), on="row")
        .filter(pl.col("text").str.contains(_said_after_a_comma_re()))
    )
    inverted = (
        said.join(candidates, on="row")
        .filter(
            pl.col("text").str.contains(
                pl.lit(rf"(?i:{SAID_AFTER}")
                + verb
                + pl.lit(")")
                + word_end
                + pl.lit(rf"{audience}\s+{articles}(?:\p{{Lu}}|(?i:{offices})\b)")
            )
        )
        .with_columns(
            # (an office in lower case opens a title, a person's: no country speaks there)
            inv_office=pl.col("text").str.contains(
                pl.lit(rf"(?i:{SAID_AFTER}")
                + verb
                + pl.lit(")")
                + word_end
                + pl.lit(rf"{audience}\s+(?i:{articles}(?:{offices}))\b")
            )
        )
        .select("row", "start", "end", "inv_office")
    )
    if inverted.height == 0:
        return triggers.with_columns(
            inverted=pl.lit(False), inv_office=pl.lit(False), inv_iso2=pl.lit(None, pl.String)
        )
    speaking = (
        inverted.join(countries.select("row", "c_start", "iso2"), on="row")
        .filter(
            (pl.col("c_start") >= pl.col("end") - 1)
            & (pl.col("c_start") - pl.col("end") <= SPEAKER_AFTER_BYTES)
        )
        .sort("row", "start", "c_start")
        .unique(["row", "start"], keep="first", maintain_order=True)
        .select("row", "start", inv_iso2="iso2")
    )
    flagged = (
        inverted.select("row", "start", "inv_office", inverted=pl.lit(True))
        .join(speaking, on=["row", "start"], how="left")
        .with_columns(inv_iso2=pl.when(~pl.col("inv_office")).then("inv_iso2"))
    )
    return triggers.join(flagged, on=["row", "start"], how="left").with_columns(
        pl.col("inverted", "inv_office").fill_null(False)
    )


def _joint_statements(
    countries_only: pl.DataFrame, country_words: pl.DataFrame, prep: Prepared
) -> pl.DataFrame:
    """ "La Russie et l'Algérie ont réaffirmé leur partenariat", "Russia and China stressed":
    two countries joined by "and" just before a verb of saying speak together, no statement of
    one of them (row, start of those verbs)."""
    said = countries_only.filter(
        (pl.col("event_type") == "010") & pl.col("inv_iso2").is_null()
    ).select("row", "sentence", "start")
    if said.height == 0:
        return said.select("row", "start")
    hits = country_words.select("row", "sentence", c_start="start", c_end="end")
    conjunctions = "|".join(c for c in lexicon.CONJUNCTIONS if c != ",")
    pairs = (
        hits.join(hits.rename({"c_start": "n_start", "c_end": "n_end"}), on=["row", "sentence"])
        .filter(
            (pl.col("n_start") > pl.col("c_end") - 1) & (pl.col("n_start") - pl.col("c_end") <= 12)
        )
        .join(said, on=["row", "sentence"])
        .filter(
            (pl.col("n_end") <= pl.col("start") + 1)
            & (pl.col("start") - pl.col("n_end") <= JOINT_SUBJECT_BYTES)
        )
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _between("low", pl.col("c_end"), pl.col("n_start")).str.contains(
                rf"^\S*\s+(?:{conjunctions})\s+(?:(?:l|la|le|the)\s+)?$"
            )
        )
    )
    return pairs.select("row", "start").unique()


# Letters the haystack's folding takes marks off, as classes of the forms a text may have.
_ACCENTED = {
    "a": "[aáàâä]",
    "e": "[eéèêë]",
    "i": "[iíìîï]",
    "o": "[oóòôö]",
    "u": "[uúùûü]",
    "c": "[cç]",
    "n": "[nñ]",
    "е": "[её]",
    "и": "[ий]",
}


@lru_cache(maxsize=1)
def _said_after_a_comma_re() -> str:
    """A verb of saying (lexicon.TRIGGERS of type 010) after a comma, in the texts' own letters."""
    forms = sorted({p for code, p in lexicon.TRIGGERS if code == "010"}, key=len, reverse=True)
    folded = people.hay_of([f.rstrip("*") for f in forms])
    alternatives = []
    for form, hay in zip(forms, folded, strict=True):
        words = ["".join(_ACCENTED.get(ch, re.escape(ch)) for ch in word) for word in hay.split()]
        alternatives.append(r"\s+".join(words) + (r"\S*" if form.endswith("*") else r"\b"))
    return rf"(?i){SAID_AFTER}(?:{'|'.join(alternatives)})"


def _said_last(
    said: pl.DataFrame, triggers: pl.DataFrame, persons: pl.DataFrame, prep: Prepared
) -> pl.DataFrame:
    """ "Vladimir Putin received Steve Witkoff in the Kremlin, Yury Ushakov said", "Putin will
    meet Trump in Alaska, Ushakov told reporters": a verb of saying that closes its sentence
    (two words at most after it), its speaker just before it and another event's verb before
    the speaker, tells who reported that event: a statement beside it (one struct column
    (row, start) of those verbs)."""
    spoken = said.filter(
        pl.col("last_key").is_not_null() & (pl.col("a1_key") == pl.col("last_key"))
    ).select("row", "sentence", "start", "last_start")
    if spoken.height == 0:
        return spoken.select(pl.struct("row", "start"))
    ends = triggers.select("row", "start", t_end="end")
    reported = triggers.filter(pl.col("event_type") != "010").select(
        "row", "sentence", e_start="start"
    )
    speakers = persons.select("row", last_start="start", s_end="p_end").unique(
        ["row", "last_start"]
    )
    return (
        spoken.join(ends, on=["row", "start"])
        .join(reported, on=["row", "sentence"])
        .filter(pl.col("e_start") < pl.col("last_start"))
        .join(speakers, on=["row", "last_start"])
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            # (the speaker right before the verb: "Merz por sus declaraciones" is no speaker's)
            _between(
                "low", back_over_space("low", pl.col("s_end")), pl.col("start") + 1
            ).str.contains(r"^\s*$")
            & _head_sentence(_after("low", pl.col("t_end"), 40))
            .str.contains(r"^\s*(?:\S+\s+){0,2}$")
            .fill_null(False)
        )
        .select(pl.struct("row", "start"))
        .unique()
    )


def _said_at_a_meeting(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """ "Си Цзиньпин назвал Путина старым другом на переговорах в Пекине", "said at the talks
    with": a verb of saying whose sentence names, after it, the meeting it was said at
    (lexicon.AT_A_MEETING before the meeting's noun) is a statement beside that meeting, one
    struct column (row, start) of those verbs."""
    said = triggers.filter(pl.col("event_type") == "010").select("row", "sentence", "start")
    meetings = triggers.filter(pl.col("event_type").is_in(list(INTENT_TYPES))).select(
        "row", "sentence", m_start="start"
    )
    at = people.phrase_alternatives(lexicon.AT_A_MEETING)
    placed = (
        meetings.join(prep.posts.select("row", "low"), on="row")
        .filter(
            # (adjectives between: "following Russian-Vietnamese talks")
            _before("low", pl.col("m_start") + 1, 60)
            .str.contains(rf"(?:^|\s)(?:{at})\s+(?:\S+\s+){{0,2}}$")
            .fill_null(False)
        )
        .select("row", "sentence", "m_start")
    )
    return (
        said.join(placed, on=["row", "sentence"])
        .filter(pl.col("m_start") > pl.col("start"))
        .select(pl.struct("row", "start"))
        .unique()
    )


def _second_speakers(said: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "Waltz called the conversation constructive, and Ushakov said it was a good start": a
    later verb of saying of the sentence whose own speaker stands just before it, right after
    "and" (и, а, y, et), is a second statement, of that speaker."""
    first = (
        said.sort("row", "sentence", "start")
        .unique(["row", "sentence"], keep="first", maintain_order=True)
        .select("row", "sentence", f_start="start", f_key="a1_key")
    )
    later = said.join(first, on=["row", "sentence"]).filter(
        (pl.col("start") > pl.col("f_start"))
        & pl.col("last_key").is_not_null()
        & (pl.col("a1_key") == pl.col("last_key"))
        & (pl.col("a1_key") != pl.col("f_key").fill_null(""))
        & (pl.col("last_start") > pl.col("f_start"))
    )
    if later.height == 0:
        return said.clear()
    conjunctions = "|".join(c for c in (*lexicon.CONJUNCTIONS, "а") if c != ",")
    return (
        later.join(prep.posts.select("row", "low"), on="row")
        .filter(
            _between("low", pl.col("f_start"), pl.col("last_start") + 1)
            .str.contains(rf"\s(?:{conjunctions})\s+$")
            .fill_null(False)
        )
        .sort("row", "sentence", "start")
        .unique(["row", "sentence", "a1_key"], keep="first", maintain_order=True)
        .select(said.columns)
    )


def _joined_speakers(exploded: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "Former British Prime Minister Boris Johnson and US House Speaker Mike Johnson both spoke
    at the forum": the person joined by "and" (и, y, et) to a statement's speaker just before
    its verb speaks too, a statement each."""
    said = exploded.filter(
        (pl.col("event_type") == "010")
        & pl.col("prev_key").is_not_null()
        & (pl.col("a1_key") == pl.col("last_key"))
        & (pl.col("prev_key") != pl.col("a1_key"))
        & (pl.col("last_start") - pl.col("prev_end") <= JOINED_SPEAKER_BYTES)
    )
    if said.height == 0:
        return exploded.drop("last_key", "prev_key", "prev_iso2", "prev_end", "last_start")
    conjunctions = "|".join(c for c in lexicon.CONJUNCTIONS if c != ",")
    joined = (
        said.join(prep.posts.select("row", "low"), on="row")
        .filter(
            # (from the first speaker's end: a stem's ends inside its word, before the rest of
            # it, so a byte back may split a letter)
            _between("low", pl.col("prev_end"), pl.col("last_start") + 1).str.contains(
                rf"^\S*\s*(?:{conjunctions})\s"
            )
        )
        .drop("low")
        .with_columns(a1_key=pl.col("prev_key"), a1_iso2=pl.col("prev_iso2"))
    )
    return pl.concat([exploded, joined]).drop(
        "last_key", "prev_key", "prev_iso2", "prev_end", "last_start"
    )


def _targets_in_scope(
    exploded: pl.DataFrame,
    triggers: pl.DataFrame,
    persons: pl.DataFrame,
    countries: pl.DataFrame,
) -> pl.DataFrame:
    """Whom a denunciation or accusation is of stands after its verb, before the sentence's
    next verb of another event: "выразил соболезнования ... и осудил действия Израиля" is of
    Israel, not of whom the condolences went to; "a condamné l'attentat et adressé ses
    condoléances au Premier ministre indien" is of no one (a statement). The first person
    there, else the first country named there, is the target; one named only past that verb
    is none. (Verbs of saying do not bound it: "condemned the statements of X".)"""
    one_way = pl.col("event_type").is_in(["111", "112"]) & ~pl.col("passive").fill_null(False)
    judged = exploded.filter(one_way)
    if judged.height == 0:
        return exploded
    key = ["row", "sentence", "start"]
    # (the trigger's end, and the next verb of another kind's start)
    spans = (
        judged.select(*key, "event_type")
        .unique()
        .join(triggers.select(*key, "end"), on=key, how="left")
    )
    following = (
        spans.join(
            triggers.filter(pl.col("event_type") != "010").select(
                "row", "sentence", n_start="start", n_type="event_type"
            ),
            on=["row", "sentence"],
        )
        .filter((pl.col("n_start") > pl.col("start")) & ~pl.col("n_type").is_in(["111", "112"]))
        .group_by(key)
        .agg(scope_end=pl.col("n_start").min())
    )
    spans = spans.join(following, on=key, how="left").with_columns(
        scope=pl.col("scope_end").fill_null(1 << 40)
    )
    in_scope_person = (
        spans.join(
            persons.select(
                "row", "sentence", p_start="start", p_key="person_key", p_iso2="country_iso2"
            ),
            on=["row", "sentence"],
        )
        .filter((pl.col("p_start") >= pl.col("end") - 1) & (pl.col("p_start") < pl.col("scope")))
        .sort(*key, "p_start")
        .select(*key, "p_key", "p_iso2", "p_start")
    )
    in_scope_country = (
        spans.join(
            countries.filter(~pl.col("locative")).select(
                "row", "sentence", "c_start", c_iso2="iso2"
            ),
            on=["row", "sentence"],
        )
        .filter((pl.col("c_start") >= pl.col("end") - 1) & (pl.col("c_start") < pl.col("scope")))
        .sort(*key, "c_start")
        .select(*key, "c_iso2", "c_start")
    )
    # (where the chosen target is named first in the sentence: past the scope, it is none)
    mentions = pl.concat(
        [
            persons.select(
                "row",
                "sentence",
                m_start="start",
                m_key="person_key",
                m_iso2=pl.lit(None, pl.String),
            ),
            countries.select(
                "row", "sentence", m_start="c_start", m_key=pl.lit(None, pl.String), m_iso2="iso2"
            ),
        ]
    )
    read = judged.with_columns(_judged=pl.int_range(pl.len()))
    first_person = (
        read.join(in_scope_person, on=key, how="left")
        # (the subject is no target of its own: a row stays for each act, null past the rest)
        .with_columns(
            pl.when(pl.col("p_key") != pl.col("a1_key").fill_null("")).then(pl.col(c)).alias(c)
            for c in ("p_key", "p_iso2", "p_start")
        )
        .sort("_judged", "p_start", nulls_last=True)
        .unique("_judged", keep="first")
    )
    first_country = (
        read.select("_judged", *key, "a1_iso2")
        .join(in_scope_country, on=key, how="left")
        .with_columns(
            pl.when(pl.col("c_iso2") != pl.col("a1_iso2").fill_null("")).then(pl.col(c)).alias(c)
            for c in ("c_iso2", "c_start")
        )
        .sort("_judged", "c_start", nulls_last=True)
        .unique("_judged", keep="first")
        .select("_judged", "c_iso2")
    )
    chosen_at = (
        read.select("_judged", *key, "a2_key", "a2_iso2")
        .join(spans.select(*key, "end", "scope"), on=key, how="left")
        .join(mentions, on=["row", "sentence"])
        .filter(
            pl.when(pl.col("a2_key").is_not_null())
            .then(pl.col("m_key") == pl.col("a2_key"))
            .otherwise(pl.col("m_key").is_null() & (pl.col("m_iso2") == pl.col("a2_iso2")))
        )
        .group_by("_judged")
        .agg(
            chosen_at=pl.col("m_start").min(),
            chosen_in=(
                (pl.col("m_start") >= pl.col("end") - 1) & (pl.col("m_start") < pl.col("scope"))
            ).any(),
        )
    )
    out = (
        first_person.select(*read.columns, "p_key", "p_iso2")
        .join(first_country, on="_judged", how="left")
        .join(chosen_at, on="_judged", how="left")
        .join(spans.select(*key, "scope"), on=key, how="left")
    )
    # (a target named after the verb, in its clause, wins; one named only past it is none)
    inside = pl.col("chosen_in").fill_null(False)
    country = pl.col("c_iso2").is_not_null() & ~inside
    past = pl.col("chosen_at").is_not_null() & (pl.col("chosen_at") >= pl.col("scope"))
    out = (
        out.with_columns(
            a2_key=pl.when(pl.col("p_key").is_not_null())
            .then("p_key")
            .when(country | past)
            .then(None)
            .otherwise("a2_key"),
            a2_iso2=pl.when(pl.col("p_key").is_not_null())
            .then("p_iso2")
            .when(country)
            .then("c_iso2")
            .when(past)
            .then(None)
            .otherwise("a2_iso2"),
        )
        .select(read.columns)
        .drop("_judged")
    )
    return pl.concat([exploded.filter(~one_way.fill_null(False)), out])


def _addressed_earlier(exploded: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "Состоялся телефонный разговор Владимира Путина с Нарендрой Моди. Владимир Путин вновь
    выразил соболезнования в связи с гибелью мирных граждан": condolences or congratulations
    whose sentence names no one to receive them go to whom their sender met or spoke with in
    an earlier sentence (the nearest); so do those to a counterpart of that person's country
    ("В беседе с иранским коллегой ... выразил соболезнования")."""
    message = pl.col("event_type").is_in(list(MESSAGES)) & pl.col("a2_key").is_null()
    if exploded.filter(message & pl.col("a1_key").is_not_null()).height == 0:
        return exploded
    partners = (
        exploded.filter(
            pl.col("event_type").is_in(list(INTENT_TYPES))
            & pl.col("a1_key").is_not_null()
            & pl.col("a2_key").is_not_null()
        )
        .select("row", "a1_key", p_sentence="sentence", p_key="a2_key", p_iso2="a2_iso2")
        .unique()
    )
    counterpart = people.phrase_alternatives(tuple(lexicon.TITLES["counterpart"]))
    around = _tail_sentence(_before("low", pl.col("start") + 1, 200)) + _head_sentence(
        _after("low", pl.col("start"), 200)
    )
    read = (
        exploded.filter(message & pl.col("a1_key").is_not_null())
        .with_columns(_message=pl.int_range(pl.len()))
        .join(partners, on=["row", "a1_key"])
        .filter(pl.col("p_sentence") < pl.col("sentence"))
        .sort("_message", "p_sentence", descending=[False, True])
        .unique("_message", keep="first")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            pl.col("a2_iso2").is_null()
            | (pl.col("a2_iso2") == pl.col("p_iso2"))
            & around.str.contains(rf"\s(?:{counterpart})").fill_null(False)
        )
    )
    if read.height == 0:
        return exploded
    addressed = read.with_columns(a2_key=pl.col("p_key"), a2_iso2=pl.col("p_iso2")).select(
        exploded.columns
    )
    rest = exploded.join(
        read.select("row", "sentence", "start", "event_type").unique(),
        on=["row", "sentence", "start", "event_type"],
        how="anti",
    )
    return pl.concat([rest, addressed])


def _more_specific(exploded: pl.DataFrame) -> pl.DataFrame:
    """The more specific reading of a sentence wins (OUTRANKS), among the readings that found
    their actors: "Umerov spoke of a possible meeting of the leaders", "предложил Стамбул в
    качестве площадки для переговоров" name no meeting held, and stay statements."""
    present = exploded.group_by("row", "sentence").agg(pl.col("event_type").unique().alias("types"))
    outranked = pl.lit(False)
    for winner, losers in OUTRANKS.items():
        outranked = outranked | (
            pl.col("event_type").is_in(losers) & pl.col("types").list.contains(winner)
        )
    return (
        exploded.join(present, on=["row", "sentence"], how="left")
        .filter(~outranked.fill_null(False))
        .drop("types")
    )


def _without_inviters(prep: Prepared, mentions: pl.DataFrame) -> pl.DataFrame:
    """ "At the invitation of Prime Minister Narendra Modi, Vladimir Putin will pay a state
    visit to India", "По приглашению Премьер-министра Нарендры Моди Президент России ...
    посетит Индию": the first person after the words of an invitation is whose invitation
    it is, no actor of what the sentence reports."""
    invitations = prep.lowered.filter(pl.col("entity") == "invitation").select(
        "row", "sentence", i_end="end"
    )
    if invitations.height == 0:
        return mentions
    inviters = (
        mentions.select("row", "sentence", "start")
        .join(invitations, on=["row", "sentence"])
        .filter(
            (pl.col("start") >= pl.col("i_end") - 1)
            & (pl.col("start") - pl.col("i_end") <= INVITER_BYTES)
        )
        .sort("row", "i_end", "start")
        .unique(["row", "i_end"], keep="first", maintain_order=True)
        .select("row", "start")
    )
    return mentions.join(inviters, on=["row", "start"], how="anti")


def _host_places(exploded: pl.DataFrame, places: pl.DataFrame) -> pl.DataFrame:
    """ "The Élysée announced that the French President would travel to Kiev": no one visits
    their own country, so the place of a visit (or of a visit to come) is the first of its
    sentence that is not in the visitor's country, else the post's first place if it is not."""
    travel = (pl.col("event_type") == "042") | (
        (pl.col("event_type") == "036") & pl.col("visit_like").fill_null(False)
    )
    visitors = exploded.filter(travel).select("row", "sentence", "a1_iso2").drop_nulls().unique()
    if visitors.height == 0:
        return exploded
    elsewhere = pl.col("place_iso2") != pl.col("a1_iso2")
    visitor = travel & pl.col("a1_iso2").is_not_null()
    key = ["row", "sentence", "a1_iso2"]
    in_sentence = (
        visitors.join(places, on=["row", "sentence"])
        .filter(elsewhere)
        .sort("row", "sentence", "a1_iso2", "standing", "start", "place")
        .unique(key, keep="first", maintain_order=True)
        .select(*key, host_place="place", host_place_iso2="place_iso2")
    )
    # (of the post, its first place only, as for any event: a place further on is another's)
    first_of_post = places.sort("row", "start", "place").unique(
        "row", keep="first", maintain_order=True
    )
    in_post = (
        visitors.join(first_of_post.drop("sentence"), on="row")
        .filter(elsewhere)
        .select(*key, host_post_place="place", host_post_place_iso2="place_iso2")
    )
    return (
        exploded.join(in_sentence, on=key, how="left", nulls_equal=False)
        .join(in_post, on=key, how="left", nulls_equal=False)
        .with_columns(
            place=pl.when(visitor).then("host_place").otherwise("place"),
            place_iso2=pl.when(visitor).then("host_place_iso2").otherwise("place_iso2"),
            post_place=pl.when(visitor).then("host_post_place").otherwise("post_place"),
            post_place_iso2=pl.when(visitor)
            .then("host_post_place_iso2")
            .otherwise("post_place_iso2"),
        )
        .drop("host_place", "host_place_iso2", "host_post_place", "host_post_place_iso2")
    )


def _guest_visits(
    exploded: pl.DataFrame, persons: pl.DataFrame, places: pl.DataFrame, countries: pl.DataFrame
) -> pl.DataFrame:
    """ "Sergey Lavrov held talks with X, who is in Moscow on a working visit", "находящимся в
    Москве с визитом", "en visite de travail à Moscou": a visit its sentence places only in
    the subject's own country is the guest's, the nearest person of another country before
    the visit; the host is the subject's country. Marked guest_visit (a host's reception of
    the guest tells that visit already)."""
    visits = exploded.filter(
        (pl.col("event_type") == "042")
        & pl.col("a1_iso2").is_not_null()
        & pl.col("place_iso2").is_null()
    ).select("row", "sentence", "start", "a1_iso2")
    own = pl.concat(
        [
            places.select("row", "sentence", iso2="place_iso2", own_place="place"),
            countries.filter(pl.col("locative")).select(
                "row", "sentence", "iso2", own_place=pl.lit(None, pl.String)
            ),
        ]
    )
    key = ["row", "sentence", "start", "a1_iso2"]
    at_home = (
        visits.unique()
        .join(own, left_on=["row", "sentence", "a1_iso2"], right_on=["row", "sentence", "iso2"])
        .sort(*key, pl.col("own_place").is_null())
        .unique(key, keep="first", maintain_order=True)
    )
    guests = (
        at_home.join(
            persons.select(
                "row", "sentence", p_start="start", guest="person_key", guest_iso2="country_iso2"
            ),
            on=["row", "sentence"],
        )
        .filter(
            (pl.col("p_start") < pl.col("start"))
            & pl.col("guest_iso2").is_not_null()
            & (pl.col("guest_iso2") != pl.col("a1_iso2"))
        )
        .sort(*key, "p_start")
        .unique(key, keep="last", maintain_order=True)
        .select(*key, "guest", "guest_iso2", "own_place")
    )
    if guests.height == 0:
        return exploded.with_columns(guest_visit=pl.lit(False))
    guest = pl.col("guest").is_not_null()
    return (
        exploded.join(guests, on=key, how="left", nulls_equal=False)
        .with_columns(
            guest_visit=guest,
            place=pl.when(guest).then("own_place").otherwise("place"),
            place_iso2=pl.when(guest).then("a1_iso2").otherwise("place_iso2"),
            a1_key=pl.when(guest).then("guest").otherwise("a1_key"),
            a1_iso2=pl.when(guest).then("guest_iso2").otherwise("a1_iso2"),
        )
        .drop("guest", "guest_iso2", "own_place")
    )


def _reporting_sources(prep: Prepared, persons: pl.DataFrame) -> pl.DataFrame:
    """(row, start, sentence, person_key) of the person a sentence's opening reporting clause
    names ("Как сообщил пресс-секретарь Дмитрий Песков, ...", "Selon Sergueï Lavrov, ..."): up
    to five words (a title, a given name the surname is found without) between the opener and
    the name."""
    openers = people.phrase_alternatives(lexicon.REPORTING_OPENERS)
    # (a stem's '*' is folded away with the punctuation: each opener takes any ending)
    clause = rf"^\s*(?:{openers})\S*\s+(?:\S+\s+){{0,5}}$"
    return (
        persons.join(prep.posts.select("row", "low"), on="row")
        .filter(
            _tail_sentence(_before("low", pl.col("start") + 1, 80))
            .str.contains(clause)
            .fill_null(False)
        )
        # (the first person after the opener: the next may be the sentence's subject, "Selon
        # Dmitri Peskov, Vladimir Poutine rencontrera ...")
        .sort("row", "start")
        .unique(["row", "sentence"], keep="first", maintain_order=True)
        .select("row", "start", "sentence", "person_key")
    )


def _sources_speak(
    events: pl.DataFrame, sources: pl.DataFrame, persons: pl.DataFrame
) -> pl.DataFrame:
    """ "Об этом сообщил пресс-секретарь президента РФ Дмитрий Песков": the verb of a reporting
    clause is its source's statement, however long the title between them."""
    mute = (pl.col("event_type") == "010") & pl.col("a1_key").is_null()
    if sources.height == 0 or events.filter(mute).height == 0:
        return events
    speaking = (
        events.filter(mute)
        .select("row", "sentence", "start")
        .join(
            sources.join(
                persons.select("row", "start", "country_iso2"), on=["row", "start"]
            ).select(
                "row", "sentence", s_start="start", source="person_key", source_iso2="country_iso2"
            ),
            on=["row", "sentence"],
        )
        .filter(pl.col("s_start") > pl.col("start"))
        .sort("row", "start", "s_start")
        .unique(["row", "start"], keep="first")
        .select("row", "start", "source", "source_iso2")
    )
    return (
        events.join(speaking, on=["row", "start"], how="left")
        .with_columns(
            a1_key=pl.when(mute).then(pl.coalesce("a1_key", "source")).otherwise("a1_key"),
            a1_iso2=pl.when(mute & pl.col("source").is_not_null())
            .then("source_iso2")
            .otherwise("a1_iso2"),
        )
        .drop("source", "source_iso2")
    )


def _dated_by_month_or_year(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """ "We had a highly rewarding meeting last October", "in August, we held talks", "when you
    first visited our country in 2023": an event its sentence dates by a month or a year only,
    with no day, is none the post reports (statements stay: they are dated by the post); nor
    are visits or meetings it counts ("visited Moscow nine times", "неоднократно встречались",
    "à plusieurs reprises"); nor one it places years back, whatever day it gives ("80 years ago,
    on 2 December", "il y a 80 ans")."""
    window = _tail_sentence(_before("low", pl.col("start") + 1, 160)) + _head_sentence(
        _after("low", pl.col("start") + 1, 160)
    )
    months = "|".join(m for ms in lexicon.MONTHS.values() for m in ms)
    day = rf"(?:(?:{months})\S*\s+\d{{1,2}}(?:\s|$)|(?:^|\s)\d{{1,2}}\s+(?:de\s+)?(?:{months}))"
    vague = (
        rf"(?:^|\s)(?:in|last|since|early|late|mid|в|во|en|el|le|au|desde|depuis)\s+"
        rf"(?:(?:{months})\S*|\d{{4}})(?:\s|$)"
        r"|(?:^|\s)(?:last|past)\s+(?:year|month|week)(?:\s|$)"
        r"|(?:^|\s)прошл\S*\s+(?:год|месяц|недел)\S*"
        r"|(?:^|\s)(?:ano|mes)\s+pasado(?:\s|$)|(?:^|\s)(?:l\s+an|l\s+annee)\s+dernier"
        rf"|{lexicon.OCCASIONS_RE}"
    )
    # (only posts that name a month or a year at all, and not "#OnThisDay in 2018", the post's
    # day in that year: one pass over the texts, then the few sentences around their verbs)
    # (an intent is dated by the post that states it: "will visit Russia in May" is news of today)
    dated = triggers.filter(~pl.col("event_type").is_in(["010", "036"]))
    years_ago = lexicon.YEARS_AGO_RE
    candidates = (
        prep.posts.filter(pl.col("row").is_in(dated["row"].unique().implode()))
        .filter(
            (pl.col("low").str.contains(vague) | pl.col("low").str.contains(years_ago))
            & ~pl.col("low").str.contains(ON_THIS_DAY_RE)
        )
        .select("row", "low")
    )
    flagged = (
        dated.join(candidates, on="row")
        .filter(
            window.str.contains(vague).fill_null(False) & ~window.str.contains(day).fill_null(False)
            | window.str.contains(years_ago).fill_null(False)
        )
        .select("row", "start")
    )
    return triggers.join(flagged, on=["row", "start"], how="anti")


def _object_first(prep: Prepared, triggers: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """ "Уиткоффа принял в Кремле Владимир Путин": Russian may put the object first and the
    subject after the verb; the cases tell them apart. When the person before a one-way verb
    is declined (the haystack cut an ending off their name) and the person after it is not
    (a masculine nominative, "Путин"), the one after is the subject: the verb reads as a
    passive does."""
    one_way = triggers.filter(
        ~pl.col("event_type").is_in(list(lexicon.SYMMETRIC)) & (pl.col("event_type") != "010")
    ).select("row", "sentence", "start")
    around = one_way.join(persons, on=["row", "sentence"], suffix="_p")
    before = (
        around.filter(pl.col("start_p") < pl.col("start"))
        .sort("row", "start", "start_p")
        .group_by("row", "start", maintain_order=True)
        .agg(b_end=pl.col("end").last())
    )
    after = (
        around.filter(pl.col("start_p") > pl.col("start"))
        .sort("row", "start", "start_p")
        .group_by("row", "start", maintain_order=True)
        .agg(a_end=pl.col("end").first(), a_count=pl.len())
    )
    pairs = before.join(after, on=["row", "start"]).filter(pl.col("a_count") == 1)
    if pairs.height == 0:
        return triggers
    texts = raw_haystacks(prep, pairs)

    def last_word(end: str) -> tuple[pl.Expr, pl.Expr]:
        index = words_before(pl.col(end)) - 1
        return (
            pl.col("hay").str.extract_all(r"\S+").list.get(index, null_on_oob=True),
            pl.col("raw").str.extract_all(r"\S+").list.get(index, null_on_oob=True),
        )

    b_stem, b_raw = last_word("b_end")
    a_stem, a_raw = last_word("a_end")
    verb = pl.col("raw").str.extract_all(r"\S+").list.get(words_before(pl.col("start") + 1))
    # a masculine past verb ("принял", "осудил") has a masculine subject, whose nominative
    # has no ending to cut; a feminine one ("обвинила") may follow "Захарова", so it decides
    # nothing
    declined = pairs.join(texts, on="row").filter(
        b_raw.str.contains(r"^\p{Cyrillic}+$")
        & a_raw.str.contains(r"^\p{Cyrillic}+$")
        & (b_stem != b_raw)
        & (a_stem == a_raw)
        & verb.str.contains(r"\p{Cyrillic}л$")
    )
    return (
        triggers.join(
            declined.select("row", "start", object_first=pl.lit(True)),
            on=["row", "start"],
            how="left",
        )
        .with_columns(passive=pl.col("passive") | pl.col("object_first").fill_null(False))
        .drop("object_first")
    )


def _coordinated_countries(
    exploded: pl.DataFrame, countries: pl.DataFrame, prep: Prepared
) -> pl.DataFrame:
    """ "обвинил Лондон и Париж", "condemned Washington and London", "felicitó a Cuba y
    Nicaragua": a one-way act aimed at a country is aimed at the countries joined to it too,
    one event each."""
    one_way = pl.col("event_type").is_in(["111", "112", *MESSAGES])
    aimed = exploded.filter(one_way & pl.col("a2_key").is_null() & pl.col("a2_iso2").is_not_null())
    if aimed.height == 0:
        return exploded
    hits = countries.select("row", "sentence", "c_start", "c_end", "iso2")
    joined = (
        hits.join(hits, on=["row", "sentence"], suffix="_next")
        .filter(
            (pl.col("c_start_next") > pl.col("c_end") - 1)
            & (pl.col("c_start_next") - pl.col("c_end") <= 12)
            & (pl.col("iso2_next") != pl.col("iso2"))
        )
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _between("low", pl.col("c_end"), pl.col("c_start_next")).str.contains(
                rf"^\S*\s+(?:{'|'.join(lexicon.CONJUNCTIONS)})\s*$"
            )
        )
        .select("row", "sentence", a2_iso2="iso2", joined_iso2="iso2_next")
        .unique()
    )
    # (a list of three: "London, Paris and Berlin"; two steps of joining)
    steps = [joined]
    for _ in range(2):
        steps.append(
            steps[-1]
            .join(
                joined.rename({"a2_iso2": "joined_iso2", "joined_iso2": "further"}),
                on=["row", "sentence", "joined_iso2"],
            )
            .select("row", "sentence", "a2_iso2", joined_iso2="further")
        )
    pairs = pl.concat(steps).unique()
    extra = (
        aimed.join(pairs, on=["row", "sentence", "a2_iso2"])
        .filter(pl.col("joined_iso2") != pl.col("a1_iso2").fill_null(""))
        .with_columns(a2_iso2=pl.col("joined_iso2"))
        .drop("joined_iso2")
    )
    return pl.concat([exploded, extra.select(exploded.columns)])


def _reported_speech(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """ "Sergey Ryabkov told RIA Novosti that the consultations would continue", "заявил, что
    переговоры были полезными", "afirmó que la reunión...": what a speaker says follows a verb
    of saying and its "that"; a meeting or a call named there is their words' subject, no
    event the post reports, and does not outrank the statement. An intent said is an intent
    stated (036)."""
    statements = triggers.filter(pl.col("event_type") == "010").select("row", "sentence", "end")
    if statements.height == 0:
        return triggers
    words = "|".join(lexicon.COMPLEMENTIZERS)
    # (the verb's object may stand between: "told RIA Novosti that")
    clauses = (
        statements.join(prep.posts.select("row", "low"), on="row")
        .with_columns(
            offset=_after("low", pl.col("end"), REPORTED_BYTES).str.find(rf"(?:^|\s)(?:{words})\s")
        )
        .drop_nulls("offset")
        .select("row", "sentence", that=pl.col("end") + pl.col("offset"))
    )
    # (an intent said is the intent itself: "a déclaré qu'il était prêt à rencontrer")
    inside = (
        triggers.filter(~pl.col("event_type").is_in(["010", "036"]))
        .select("row", "sentence", "start")
        .join(clauses, on=["row", "sentence"])
        .filter(pl.col("start") > pl.col("that"))
        .select("row", "start")
        .unique()
    )
    return triggers.join(inside, on=["row", "start"], how="anti")


def _right_after(triggers: pl.DataFrame, markers: pl.DataFrame, within: int) -> pl.DataFrame:
    """(row, start) of the triggers that a marker (row, sentence, end) of their sentence ends
    just before, at most ``within`` bytes ahead: a negation before a verb, an invitation before
    the visit it names."""
    return (
        triggers.select("row", "sentence", "start")
        .join(markers.rename({"end": "m_end"}), on=["row", "sentence"])
        .filter(
            (pl.col("m_end") <= pl.col("start") + 1) & (pl.col("start") - pl.col("m_end") <= within)
        )
        .select("row", "start")
        .unique()
    )


def _called_off(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """Meetings, calls and visits a sentence denies or only deems possible are none: those
    after a negated plan ("не планирует, по крайней мере пока, встречу с", "no tiene previsto
    reunirse, por ahora, con"), right after a modal ("could meet Marco Rubio if"), or near a
    predicate that holds them off (lexicon.HELD_OFF: "Встреча ... может состояться, если", "a
    meeting between X and Y is not on the agenda"): before it by HELD_OFF_BYTES, or after it."""
    hits = prep.lowered.select("row", "sentence", "start", "end", "entity")
    meetings = triggers.filter(pl.col("event_type").is_in([*INTENT_TYPES, "036"])).select(
        "row", "sentence", "start", "end"
    )
    negations = hits.filter(pl.col("entity") == "negation").select("row", "sentence", n_end="end")
    plans = hits.filter(pl.col("entity").is_in(["plan", "intent"])).select(
        "row", "sentence", p_start="start", p_end="end"
    )
    # (a negation ends just before the plan's words: "не  планирует", "n  avait  pas  l
    # intention", "is  not  on the agenda")
    negated_plans = (
        negations.join(plans, on=["row", "sentence"])
        .filter(
            (pl.col("n_end") <= pl.col("p_start") + 1)
            & (pl.col("p_start") - pl.col("n_end") <= NEGATED_PLAN_BYTES)
        )
        .select("row", "sentence", m_start="p_start", m_end="p_end", before=pl.lit(0))
    )
    held_off = hits.filter(pl.col("entity") == "held_off").select(
        "row", "sentence", m_start="start", m_end="end", before=pl.lit(HELD_OFF_BYTES)
    )
    markers = pl.concat([negated_plans, held_off])
    off = (
        meetings.join(markers, on=["row", "sentence"])
        .filter(
            (pl.col("start") >= pl.col("m_end") - 1)
            | (
                (pl.col("end") <= pl.col("m_start") + 1)
                & (pl.col("m_start") - pl.col("end") <= pl.col("before"))
            )
        )
        .select("row", "start")
    )
    possible = hits.filter(pl.col("entity") == "possible").select("row", "sentence", "end")
    off = pl.concat([off, _right_after(meetings, possible, INTENT_BYTES)]).unique()
    return triggers.join(off, on=["row", "start"], how="anti")


def _denied_or_asked(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """What a sentence denies or asks about reports nothing but the denial: an event verb after
    a verb of denying ("Песков опроверг сообщения о том, что Путин и Зеленский договорились о
    встрече", lexicon.DENIAL_VERBS), or in the sentence a question heading opens ("❓ Question:
    Is a meeting between X and Y being prepared?", lexicon.QUESTION_HEADINGS)."""
    denials = triggers.filter(pl.col("pattern").is_in(_patterns_of(lexicon.DENIAL_VERBS))).select(
        "row", "sentence", d_end="end"
    )
    events = triggers.filter(pl.col("event_type") != "010").select("row", "sentence", "start")
    denied = (
        events.join(denials, on=["row", "sentence"])
        .filter(pl.col("start") >= pl.col("d_end") - 1)
        .select("row", "start")
    )
    headings = people.phrase_alternatives(lexicon.QUESTION_HEADINGS)
    # (the heading's colon is a word of its own, a sentence mark after it: "question ǁ ǂ is")
    mark = people.SENTENCE_MARK
    opened = rf"(?:^|\s)(?:{headings})\s+{people.COLON_MARK}\s+{mark}[^{mark}]*$"
    asked = (
        events.filter(pl.col("sentence") > 0)
        .join(prep.posts.select("row", "low"), on="row")
        .filter(_before("low", pl.col("start") + 1, 400).str.contains(opened).fill_null(False))
        .select("row", "start")
    )
    # (an indirect question: "was asked whether he would meet", "встретится ли")
    whether = people.phrase_alternatives(lexicon.QUESTION_WORDS)
    particle = people.phrase_alternatives(lexicon.QUESTION_PARTICLES, lower=False)
    posts = prep.posts.select("row", "low", "hay")
    indirect = (
        events.join(triggers.select("row", "start", "end", "pattern"), on=["row", "start"])
        .join(posts, on="row")
        .filter(
            _tail_sentence(_before("low", pl.col("start") + 1, 200))
            .str.contains(rf"(?:^|\s)(?:{whether})\s")
            .fill_null(False)
            # (in the words as written: "Ли Чжэ Мён" after a verb is a name)
            | _after("hay", pl.col("end") - pl.col("pattern").str.ends_with(" ").cast(pl.Int64), 12)
            .str.contains(rf"^\S*\s+(?:{particle})\s")
            .fill_null(False)
        )
        .select("row", "start")
    )
    off = pl.concat([denied, asked, indirect, _in_questions(prep, events)]).unique()
    return triggers.join(off, on=["row", "start"], how="anti")


def _in_questions(prep: Prepared, events: pl.DataFrame) -> pl.DataFrame:
    """(row, start) of the events of a sentence that ends with a question mark ("¿Se reunirá
    Putin con Trump?", "Will Putin meet Trump?"). The haystack keeps no punctuation: the text
    is cut into sentences as the haystack cuts it (people.haystack), a question's end marked."""
    asked = prep.posts.filter(pl.col("text").str.contains("?", literal=True)).select("row", "text")
    if asked.height == 0 or events.height == 0:
        return events.select("row", "start").clear()
    mark, flag = people.SENTENCE_MARK, "\u2047"
    text = people.marked_sentences(pl.col("text"), question_flag=flag)
    questions = (
        asked.select(
            "row",
            pieces=text.str.split(mark).list.slice(1),
        )
        .explode("pieces")
        .with_columns(sentence=pl.int_range(pl.len()).over("row").cast(pl.UInt32))
        .filter(pl.col("pieces").str.starts_with(flag))
        .select("row", "sentence")
    )
    return events.join(questions, on=["row", "sentence"]).select("row", "start")


def _told_before(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """ "Состоялся телефонный разговор Путина с Трампом. Собеседники обсудили ситуацию вокруг
    украинского урегулирования", "The sides discussed Russian-Senegalese relations": what the
    sides or interlocutors discussed is the content of a call or meeting an earlier sentence
    told of, no meeting of its own (a country it names is a topic)."""
    discussed = triggers.filter(pl.col("event_type") == "040")
    if discussed.height == 0:
        return triggers
    told = (
        triggers.filter(pl.col("event_type").is_in(list(INTENT_TYPES)))
        .group_by("row")
        .agg(told_in=pl.col("sentence").min())
    )
    words = people.phrase_alternatives((*lexicon.PLURAL_SUBJECTS, *lexicon.INTERLOCUTORS))
    # (the plural subject just before the verb, an adverb between: "The sides also discussed")
    subject = rf"(?:^|\s)(?:{words})\s+(?:\S+\s+)?$"
    again = (
        discussed.select("row", "sentence", "start")
        .join(told, on="row")
        .filter(pl.col("told_in") < pl.col("sentence"))
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            _tail_sentence(_before("low", pl.col("start") + 1, 80))
            .str.contains(subject)
            .fill_null(False)
        )
        .select("row", "start")
    )
    return triggers.join(again, on=["row", "start"], how="anti")


def _visit_intent() -> pl.Expr:
    """A trigger that is an intent to visit (lexicon.VISIT_INTENTS: "will visit", "посетит")."""
    return (pl.col("event_type") == "036") & pl.col("pattern").is_in(
        _patterns_of(lexicon.VISIT_INTENTS)
    )


def _intents(prep: Prepared, triggers: pl.DataFrame) -> pl.DataFrame:
    """A meeting, call, visit or talks a future or an intent stands by is an intent to meet
    (036): a marker word shortly before the verb ("will pay an official visit", "is scheduled to
    hold talks", "прибудет с официальным визитом"), a Spanish or French future just before it
    ("sostendrá conversaciones", "effectuera une visite"), a future right after the noun
    ("Talks will be held", "переговоры состоятся", "las conversaciones tendrán lugar"), or a
    predicate of a plan after it ("Des entretiens avec X sont prévus", lexicon.PLANNED)."""
    # "invited Sergey Lavrov to visit Montevideo", "пригласил российского лидера посетить
    # Самарканд": the visit an invitation names is the invitation's own content, no intent of
    # the inviter's
    invitations = prep.lowered.filter(
        (pl.col("entity") == "trigger")
        & pl.col("pattern").is_in(_patterns_of(lexicon.INVITE_VERBS))
    ).select("row", "sentence", "end")
    invited = _right_after(
        triggers.filter(pl.col("event_type").is_in(list(INTENT_TYPES)) | _visit_intent()),
        invitations,
        INTENT_BYTES,
    )
    triggers = triggers.join(invited, on=["row", "start"], how="anti")
    # (a verb of intent is a marker too: "посетит Россию с официальным визитом")
    markers = prep.lowered.filter(
        (pl.col("entity") == "intent")
        | ((pl.col("entity") == "trigger") & (pl.col("kind") == "036"))
    ).select("row", "sentence", i_end="end")
    # (and a clause of intent anywhere before it in the sentence: "Está previsto que ...")
    clauses = prep.lowered.filter(pl.col("entity") == "intent_clause").select(
        "row", "sentence", c_end="end"
    )
    # (and a predicate of a plan after it, the nearest verb or noun before it: "Des entretiens
    # avec Sergueï Lavrov sont prévus"; the meeting is the predicate's subject only where no
    # one is named before it in its sentence, so "X met Y, and more contacts are planned" stays
    # a meeting)
    planned = prep.lowered.filter(
        (pl.col("entity") == "intent") & pl.col("pattern").is_in(_patterns_of(lexicon.PLANNED))
    ).select("row", "sentence", p_start="start")
    opening = (
        _tail_sentence(pl.col("hay").cast(pl.Binary).bin.head(pl.col("start")).cast(pl.String))
        .str.split(people.COLON_MARK)
        .list.last()
    )
    named_before = (
        opening.str.strip_chars()
        .str.replace(r"(?i)^(?:the|an?|des|les|la|le|l|une?|los|las|el|unas|unos|una)(?:\s|$)", "")
        .str.contains(r"\p{Lu}")
    )
    planned_meetings = (
        triggers.select("row", "sentence", "start", "end")
        .join(planned, on=["row", "sentence"])
        .filter(
            (pl.col("end") <= pl.col("p_start") + 1)
            & (pl.col("p_start") - pl.col("end") <= PLANNED_BYTES)
        )
        .sort("start")
        .group_by("row", "p_start")
        .agg(pl.col("start").last())
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(~named_before)
        .select("row", "start")
    )
    # (and a verb of a visit to come anywhere before a visit's noun: "посетит 4-5 декабря
    # Республику Индия с государственным визитом" is the same visit, to come)
    coming = prep.lowered.filter(
        (pl.col("entity") == "trigger")
        & pl.col("pattern").is_in(_patterns_of(lexicon.VISIT_INTENTS))
    ).select("row", "sentence", v_end="end")
    coming_visits = (
        triggers.filter(pl.col("event_type") == "042")
        .select("row", "sentence", "start")
        .join(coming, on=["row", "sentence"])
        .filter(pl.col("v_end") <= pl.col("start") + 1)
        .select("row", "start")
    )
    before = (
        pl.concat(
            [
                planned_meetings,
                coming_visits,
                triggers.select("row", "sentence", "start")
                .join(markers, on=["row", "sentence"])
                .filter(
                    (pl.col("i_end") <= pl.col("start") + 1)
                    & (pl.col("start") - pl.col("i_end") <= INTENT_BYTES)
                )
                .select("row", "start"),
                triggers.select("row", "sentence", "start")
                .join(clauses, on=["row", "sentence"])
                .filter(pl.col("c_end") <= pl.col("start") + 1)
                .select("row", "start"),
            ]
        )
        .unique()
        .with_columns(marked=pl.lit(True))
    )
    articles = r"(?:(?:una|un|une|des|de|la|le|los|las|el|les|l)\s+)?"
    # (the words as written: a capitalised one is a name, "llegó a Ankara", no verb)
    word_before = _before("hay", pl.col("start") + 1, 40).str.extract(rf"(?i:(\S+)\s+{articles})$")
    # (a stem's pattern ends inside its word, a whole word's with the space after it)
    after = _after("low", pl.col("end") - pl.col("pattern").str.ends_with(" ").cast(pl.Int64), 40)
    word_after = _after(
        "hay", pl.col("end") - pl.col("pattern").str.ends_with(" ").cast(pl.Int64), 40
    ).str.extract(r"^\s*(\S+)")
    after_marker = people.phrase_alternatives(lexicon.INTENT_AFTER, lower=False)

    def future(word: pl.Expr) -> pl.Expr:
        return word.str.contains(lexicon.FUTURE_ENDING_RE) & ~word.is_in(list(lexicon.NOT_FUTURE))

    scheduled = (
        pl.col("marked").fill_null(False)
        | future(word_before).fill_null(False)
        | future(word_after).fill_null(False)
        | after.str.contains(rf"^\s*(?:{after_marker})\s").fill_null(False)
    )
    # (the words around the verbs are read for the meeting types only)
    meeting = pl.col("event_type").is_in(list(INTENT_TYPES))
    read = (
        triggers.filter(meeting)
        .join(before, on=["row", "start"], how="left")
        .join(prep.posts.select("row", "low", "hay"), on="row")
        .with_columns(
            visit_like=pl.col("event_type") == "042",
            event_type=pl.when(scheduled).then(pl.lit("036")).otherwise("event_type"),
        )
        .drop("marked", "low", "hay")
    )
    # (a visit to come names its host by its place, as a visit does: "will visit Minsk"; a
    # meeting to come does not, "will take part in a meeting in Minsk")
    rest = triggers.filter(~meeting).with_columns(visit_like=_visit_intent())
    return pl.concat([read, rest])


def _beside_the_speaker(out: pl.DataFrame, speakers: pl.DataFrame, prep: Prepared) -> pl.DataFrame:
    """ "Peskov on Trump's statement: Moscow is ready for dialogue": the words before a
    speaker's colon name what the speaker speaks of; a statement read there of anyone else is
    none."""
    heading = speakers.join(prep.posts.select("row", "post_key"), on="row").select(
        "post_key", "sentence", speaker="person_key", speaker_iso2="country_iso2"
    )
    other = (
        out.filter(pl.col("event_type") == "010")
        .join(heading, on=["post_key", "sentence"])
        .filter(
            (pl.col("actor1_leader_key").fill_null("") != pl.col("speaker").fill_null(""))
            | (pl.col("actor1_iso2").fill_null("") != pl.col("speaker_iso2").fill_null(""))
        )
        .select("post_key", "sentence", "position")
    )
    return out.join(other, on=["post_key", "sentence", "position"], how="anti")


def _colon_speakers(prep: Prepared, mentions: pl.DataFrame) -> pl.DataFrame:
    """The speakers of lines that open with a speaker and a colon: row, c_start (the colon),
    sentence (the line's; what was said is the next), s_start, s_end, person_key and
    country_iso2 (a country alone for a seat of power).

    - a person right before the colon ("Maria Zakharova:", "💬 President Putin:");
    - a seat of power right before it ("Кремль:", "The Kremlin:"): its country;
    - else the person opening the line on a subject ("Peskov on Trump's statement:", "Песков о
      словах Трампа:", "Peskov sobre", "Peskov sur")."""
    colons = prep.cased.filter(pl.col("entity") == "colon").select(
        "row", "sentence", c_start="start"
    )
    if colons.height == 0:
        return pl.DataFrame(
            schema={
                "row": pl.UInt32,
                "c_start": pl.Int64,
                "sentence": pl.UInt32,
                "s_start": pl.Int64,
                "s_end": pl.Int64,
                "person_key": pl.String,
                "country_iso2": pl.String,
            }
        )
    people_ = mentions.select("row", "sentence", "start", "end", "person_key", "country_iso2")
    adjacent = (
        people_.join(colons, on=["row", "sentence"])
        .filter((pl.col("c_start") - pl.col("end")).abs() <= 2)
        .sort("row", "c_start", "start", "person_key")
        .unique(["row", "c_start"], keep="last", maintain_order=True)
    )
    seats = prep.cased.filter(
        (pl.col("entity") == "country") & pl.col("pattern").is_in(_seat_patterns())
    ).select("row", "sentence", "start", "end", country_iso2="target")
    seat_speakers = (
        seats.join(colons, on=["row", "sentence"])
        .filter((pl.col("c_start") - pl.col("end")).abs() <= 2)
        .join(adjacent.select("row", "c_start"), on=["row", "c_start"], how="anti")
        .join(prep.posts.select("row", "hay"), on="row")
        .filter(_tail_sentence(_before("hay", pl.col("start") + 1, 80)).str.contains(r"^\s*$"))
        .drop("hay")
        .unique(["row", "c_start"], keep="first", maintain_order=True)
        .with_columns(person_key=pl.lit(None, pl.String))
    )
    about = "|".join(lexicon.ABOUT)
    opening = (
        people_.join(colons, on=["row", "sentence"])
        .filter(pl.col("end") < pl.col("c_start"))
        .join(adjacent.select("row", "c_start"), on=["row", "c_start"], how="anti")
        .join(seat_speakers.select("row", "c_start"), on=["row", "c_start"], how="anti")
        .sort("row", "c_start", "start", "person_key")
        .unique(["row", "c_start"], keep="first", maintain_order=True)
        .join(prep.posts.select("row", "hay", "low"), on="row")
        .filter(
            _tail_sentence(_before("hay", pl.col("start") + 1, 80)).str.contains(r"^\s*$")
            & _after("low", back_over_space("low", pl.col("end")), 24).str.contains(
                rf"^\s+(?:{about})\s"
            )
        )
        .drop("hay", "low")
    )
    keep = ["row", "c_start", "sentence", "start", "end", "person_key", "country_iso2"]
    return pl.concat(
        [adjacent.select(keep), seat_speakers.select(keep), opening.select(keep)]
    ).rename({"start": "s_start", "end": "s_end"})


@lru_cache(maxsize=1)
def _seat_patterns() -> list[str]:
    """The cased pass's patterns of the seats of power ("the Kremlin", "Кремль")."""
    seats = pl.DataFrame({"form": sorted(reference.seats_of_power())})
    return (
        seats.select(
            _pattern(pl.col("form").str.strip_chars_end("*"), pl.col("form").str.ends_with("*"))
        )
        .to_series()
        .drop_nulls()
        .to_list()
    )


@lru_cache(maxsize=1)
def _colon_prepositions() -> str:
    """COLON_PREPOSITIONS as the lower-cased haystack writes them ("после" is "посл")."""
    words = {w.strip().lower() for w in people.hay_of(list(COLON_PREPOSITIONS))}
    return "|".join(sorted(words, key=len, reverse=True))


def _colon_statements(
    prep: Prepared,
    speakers: pl.DataFrame,
    mentions: pl.DataFrame,
    countries: pl.DataFrame,
    dates: pl.DataFrame,
) -> pl.DataFrame:
    """ "Lavrov: The West...", "💬 President Putin: ...", "Кремль: ...": a line that opens with a
    speaker and a colon is the speaker's statement. When what follows opens with another
    country's person ("Maria Zakharova: The US President's decision ... is a dangerous
    escalation"), or judges what someone did ("Maria Zakharova: The latest statements by
    Estonian Foreign Minister Margus Tsahkna are yet another example of russophobic
    hysteria", "Zakharova: The Kiev regime's strike ... is a war crime"), the speaker comments
    on that doing: a criticism (111) of the other country's person it names first, else of
    the other country."""
    people_ = mentions.select("row", "sentence", "start", "person_key", "country_iso2")
    other_country = pl.col("country_iso2").fill_null("") != pl.col("speaker_iso2").fill_null("")
    # the other country's person the words after the colon open with
    speaker_cols = speakers.select(
        "row", "c_start", "sentence", speaker="person_key", speaker_iso2="country_iso2"
    )
    targets = (
        people_.drop("sentence")
        .join(speaker_cols, on="row")
        .filter(
            (pl.col("start") > pl.col("c_start"))
            & (pl.col("start") - pl.col("c_start") <= COLON_SUBJECT_BYTES)
        )
        .sort("row", "c_start", "start", "person_key")
        .unique(["row", "c_start"], keep="first", maintain_order=True)
        .filter((pl.col("person_key") != pl.col("speaker").fill_null("")) & other_country)
        # (what opens with a preposition opens with a circumstance, not with the person's
        # doing: "После бегства Асада Россия поддерживает контакты ...")
        .join(prep.posts.select("row", "low"), on="row")
        .filter(
            ~_between("low", pl.col("c_start"), pl.col("start") + 1)
            .str.contains(
                rf"^(?:\s*[{people.COLON_MARK}{people.SENTENCE_MARK}])*\s*"
                rf"(?:{_colon_prepositions()})\s"
            )
            .fill_null(False)
        )
        .select("row", "c_start", target="person_key", target_iso2="country_iso2")
    )
    # words that judge: the first person of another country they name, else the country
    said = _judged_sentences(prep, speakers)
    judged_person = (
        people_.join(said, on=["row", "sentence"])
        .filter(other_country & (pl.col("person_key") != pl.col("speaker").fill_null("")))
        .sort("row", "c_start", "start", "person_key")
        .unique(["row", "c_start"], keep="first", maintain_order=True)
        .select("row", "c_start", j_key="person_key", j_iso2="country_iso2")
    )
    judged_country = (
        countries.filter(~pl.col("locative"))
        .select("row", "sentence", "iso2", w_start="c_start")
        .join(said, on=["row", "sentence"])
        .filter(pl.col("iso2") != pl.col("speaker_iso2").fill_null(""))
        .sort("row", "c_start", "w_start", "iso2")
        .unique(["row", "c_start"], keep="first", maintain_order=True)
        .select("row", "c_start", jc_iso2="iso2")
    )
    found = (
        speakers.join(targets, on=["row", "c_start"], how="left")
        .join(judged_person, on=["row", "c_start"], how="left")
        .join(judged_country, on=["row", "c_start"], how="left")
        .with_columns(
            target=pl.coalesce("target", "j_key"),
            target_iso2=pl.when(pl.col("target").is_not_null())
            .then("target_iso2")
            .when(pl.col("j_key").is_not_null())
            .then("j_iso2")
            .otherwise("jc_iso2"),
        )
        .join(prep.posts.select("row", "post_key", "hay"), on="row")
    )
    criticism = pl.col("target_iso2").is_not_null() | pl.col("target").is_not_null()
    return found.join(dates, on="row", how="left").select(
        "post_key",
        pl.when(criticism).then(pl.lit("111")).otherwise(pl.lit("010")).alias("event_type"),
        pl.col("person_key").alias("actor1_leader_key"),
        pl.col("country_iso2").alias("actor1_iso2"),
        pl.col("target").alias("actor2_leader_key"),
        pl.when(criticism).then(pl.col("target_iso2")).alias("actor2_iso2"),
        pl.lit(None, pl.String).alias("place"),
        "event_date",
        (
            _between("hay", pl.col("s_start"), pl.col("c_start"))
            .str.replace_all(" +", " ")
            .str.strip_chars()
            + ":"
        ).alias("evidence"),
        "sentence",
        pl.col("c_start").alias("position"),
    )


def _judged_sentences(prep: Prepared, speakers: pl.DataFrame) -> pl.DataFrame:
    """The sentences of what colon speakers said that judge what someone did (a word of
    lexicon.CRITICAL_WORDS): row, sentence (what was said), c_start, speaker, speaker_iso2."""
    judging = (
        prep.lowered.filter(
            (pl.col("entity") == "trigger")
            & pl.col("pattern").is_in(_patterns_of(lexicon.CRITICAL_WORDS))
        )
        .select("row", "sentence")
        .unique()
    )
    return (
        speakers.select(
            "row",
            "c_start",
            (pl.col("sentence") + 1).alias("sentence"),
            speaker="person_key",
            speaker_iso2="country_iso2",
        )
        .join(judging, on=["row", "sentence"])
        .unique(["row", "sentence"], keep="first")
    )
