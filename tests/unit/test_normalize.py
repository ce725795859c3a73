"""Normalization: text cleaning, extracted fields, language, dedup, and the output contract."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from orchestration.normalize import records
from orchestration.normalize.dates import event_dates
from orchestration.normalize.language import languages
from orchestration.normalize.records import normalize_headers, normalize_posts, normalize_service
from orchestration.normalize.text import clean_text, copy_artifacts, entity_table
from orchestration.normalize.tokens import hashtags, links, mentions
from orchestration.schemas import (
    NORMALIZED_HEADER_SCHEMA,
    NORMALIZED_POST_SCHEMA,
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    UTC_TIME,
    conform,
)

TEXT_COPY_NAME = "text_copy/000_6dbfd9b700bf4de4.txt"


def texts(*values: str | None) -> pl.Series:
    return pl.Series("text", list(values), dtype=pl.String)


def raw_posts(*rows: dict) -> pl.DataFrame:
    """Raw records as the raw layer stores them (RAW_POST_SCHEMA + ingested_at)."""
    defaults = {
        "source_format": "web_preview",
        "source_file": "inbox/mfa.html",
        "channel": "MFA_Russia",
        "ingested_at": datetime(2025, 5, 12, tzinfo=UTC),
    }
    frame = pl.DataFrame([{**defaults, **row} for row in rows], infer_schema_length=None)
    return conform(frame, {**RAW_POST_SCHEMA, "ingested_at": UTC_TIME})


# --- text cleaning ------------------------------------------------------------------------------


def test_entities_decoded_once_named_and_numeric():
    raw = texts("Q&amp;A &lt;b&gt; &quot;x&quot; &#39;y&#39; &#8212; &#x41;&#X42; &amp;lt; &nbsp;z")
    assert clean_text(raw).to_list() == ["Q&A <b> \"x\" 'y' — AB &lt; z"]


def test_entity_table_holds_only_spellings_present():
    table = entity_table(texts("a &amp; b", "&#x1F1F7; &unknown; c", None))
    assert table == {"&amp;": "&", "&#x1F1F7;": "\U0001f1f7"}


def test_whitespace_collapsed_lines_trimmed_blank_lines_limited():
    raw = texts("  Key  points:\t here \r\n\r\n\r\n\r\n  • one\u00a0\u00a0two  \n \n\n\nend  ")
    assert clean_text(raw).to_list() == ["Key points: here\n\n• one two\n\nend"]


def test_single_blank_line_kept_and_empty_text_becomes_null():
    assert clean_text(texts("a\n\nb", "   \n ", "", None)).to_list() == ["a\n\nb", None, None, None]


def test_zero_width_characters_removed_but_emoji_joiners_kept():
    family = "👨\u200d👩\u200d👧"
    raw = texts(f"Rus\u200bsia\ufeff and Ukra\u200dine {family} soft\u00adhyphen")
    assert clean_text(raw).to_list() == [f"Russia and Ukraine {family} softhyphen"]


def test_trannoscript_fixed_keeping_case():
    raw = texts("Full trannoscript. Trannoscript of the talks; TRANNOSCRIPTION")
    assert clean_text(raw).to_list() == ["Full transcript. Transcript of the talks; TRANSCRIPTION"]
    assert copy_artifacts()["trannoscript"] == "transcript"


# --- hashtags, mentions, links --------------------------------------------------------------------


def test_hashtags_lower_case_distinct_in_order_unicode():
    raw = texts(
        "#Victory80 #ImmortalRegiment\n#RussiaBurkinaFaso #victory80",
        "Заявление #МИД #Россия_Китай и #报道 #中文",
        "C# code, https://site.org/page#section, x.com/#/home, #2025, #1, &#39; #ok_tag.",
        None,
    )
    assert hashtags(raw).to_list() == [
        ["victory80", "immortalregiment", "russiaburkinafaso"],
        ["мид", "россия_китай", "报道", "中文"],
        ["ok_tag"],
        [],
    ]


def test_mentions_are_usernames_not_e_mails():
    raw = texts(
        "на русском - @MID_Russia\nen español - @MAERusia, en français - @MAErusse.",
        "write to press@mid.ru or info@MFA_Russia.org; see medium.com/@someone",
        "@abcd is too short, @" + "a" * 33 + " too long, @Valid_Name_32chars_aaaaaaaaaaa ok",
        "no at sign here",
    )
    assert mentions(raw).to_list() == [
        ["mid_russia", "maerusia", "maerusse"],
        [],
        ["valid_name_32chars_aaaaaaaaaaa"],
        [],
    ]


def test_links_union_of_source_links_and_text_urls():
    raw = texts(
        "🐤 Follow us on X - x.com/mfa_russia, and https://t.me/mfa_russia/123.",
        "(see https://en.wikipedia.org/wiki/BRICS_(organisation)) and www.mid.ru/ru!",
        "mail me at a@b.com, fax.com/x is not ours, https://kremlin.ru/events…",
        None,
    )
    source_links = pl.Series(
        "links",
        [["https://t.me/mfa_russia/123"], None, [], ["https://mid.ru/en/"]],
        dtype=pl.List(pl.String),
    )
    assert links(raw, source_links).to_list() == [
        ["https://t.me/mfa_russia/123", "https://x.com/mfa_russia"],
        ["https://en.wikipedia.org/wiki/BRICS_(organisation)", "https://www.mid.ru/ru"],
        ["https://kremlin.ru/events"],
        ["https://mid.ru/en/"],
    ]


# --- event dates ----------------------------------------------------------------------------------


def test_event_date_in_several_languages_and_forms():
    raw = texts(
        "President Putin met President Abbas (May 10, 2025)\n\n💬 Dear friend, on May 9...",
        "Встреча состоялась 12 мая 2025 г. в Москве",
        "El encuentro tuvo lugar el 10 de mayo de 2025 en Moscú",
        "Entretien téléphonique, le 1er mai 2025, avec M. Erdogan",
        "Am 10. Mai 2025 in Moskau",
        "📅 2023年5月12日（UTC+8）",
        "Документ от 03.04.2024 и от 05.06.2024",
        "On May 11, President Putin spoke; nothing else dated in 2022.",
        "Impossible: February 30, 2025",
        None,
    )
    assert event_dates(raw).to_list() == [
        date(2025, 5, 10),
        date(2025, 5, 12),
        date(2025, 5, 10),
        date(2025, 5, 1),
        date(2025, 5, 10),
        date(2023, 5, 12),
        date(2024, 4, 3),
        None,
        None,
        None,
    ]


def test_event_date_is_the_first_date_in_the_text():
    raw = texts("Talks (May 10, 2025) follow those of 10 April 2024 and 2023-01-02.")
    assert event_dates(raw).to_list() == [date(2025, 5, 10)]


# --- language ------------------------------------------------------------------------------------

LANGUAGE_SAMPLES = {
    "en": "We have always been convinced that lasting peace in the region can only be achieved "
    "on a universally recognised international legal basis.",
    "ru": "Мы всегда были убеждены, что прочный мир в регионе может быть достигнут только на "
    "общепризнанной международно-правовой основе.",
    "uk": "Міністр закордонних справ України провів зустріч із послом, і сторони обговорили "
    "питання двостороннього співробітництва та її перспективи.",
    "es": "Siempre hemos estado convencidos de que la paz duradera en la región solo puede "
    "lograrse sobre una base jurídica internacional universalmente reconocida.",
    "fr": "Nous avons toujours été convaincus qu'une paix durable dans la région ne peut être "
    "obtenue que sur une base juridique internationale universellement reconnue.",
    "de": "Wir sind immer davon überzeugt gewesen, dass ein dauerhafter Frieden in der Region "
    "nur auf einer allgemein anerkannten völkerrechtlichen Grundlage erreicht werden kann.",
    "pt": "Sempre estivemos convencidos de que uma paz duradoura na região só pode ser "
    "alcançada com base no direito internacional universalmente reconhecido.",
    "zh": "我们始终坚信，该地区的持久和平只能在普遍承认的国际法律基础上实现。",
    "ja": "私たちは、この地域の永続的な平和は国際法に基づいてのみ達成できると確信しています。",
    "ar": "لقد كنا دائما مقتنعين بأن السلام الدائم في المنطقة لا يمكن تحقيقه إلا على أساس "
    "قانوني دولي معترف به عالميا.",
}


def test_language_of_real_sentences():
    codes = list(LANGUAGE_SAMPLES)
    detected = languages(texts(*LANGUAGE_SAMPLES.values())).to_list()
    assert dict(zip(codes, detected, strict=True)) == {code: code for code in codes}


def test_language_script_outweighs_a_few_foreign_words_and_und_without_evidence():
    raw = texts(
        "Мария Захарова ответила на вопрос агентства Reuters о саммите BRICS #Victory80",
        "Maria Zakharova answered a question from the media about the Мосфильм studio",
        "#Victory80 #ImmortalRegiment",
        "🇷🇺🇵🇸",
        "",
        None,
    )
    assert languages(raw).to_list() == ["ru", "en", "und", "und", "und", "und"]


# --- posts end to end -----------------------------------------------------------------------------


def test_normalize_posts_output_matches_the_contract_and_fields():
    raw = raw_posts(
        {
            "message_id": 101,
            "published_at": datetime(2025, 5, 10, 18, 0, tzinfo=UTC),
            "text": "🇷🇺🇵🇸 President Putin met with the President of Palestine (May 10, 2025)"
            "\n\n\n#RussiaPalestine @MID_Russia https://t.me/mfa_russia/101",
            "views": 5000,
            "media_kinds": ["photo", "video"],
            "media_count": None,
            "links": ["https://kremlin.ru/events/1"],
        },
    )
    result = normalize_posts(raw.lazy())
    assert result.schema == pl.Schema(NORMALIZED_POST_SCHEMA)
    row = result.row(0, named=True)
    assert row["post_key"] == "mfa_russia/101"
    assert row["channel"] == "mfa_russia"
    assert row["text"].endswith(
        "(May 10, 2025)\n\n#RussiaPalestine @MID_Russia https://t.me/mfa_russia/101"
    )
    assert row["event_date"] == date(2025, 5, 10)
    assert row["hashtags"] == ["russiapalestine"]
    assert row["mentions"] == ["mid_russia"]
    assert row["links"] == ["https://kremlin.ru/events/1", "https://t.me/mfa_russia/101"]
    assert row["language"] == "en"
    assert (row["media_kind"], row["media_count"]) == ("photo", 2)
    assert row["is_edited"] is False


def test_media_and_edit_flags():
    raw = raw_posts(
        {"message_id": 1, "text": "a", "media_kinds": [], "media_count": None},
        {"message_id": 2, "text": "b", "media_kinds": ["photo"], "media_count": 4},
        {"message_id": 3, "text": "c", "edited_at": datetime(2025, 5, 1, tzinfo=UTC)},
        {"message_id": 4, "text": "d", "is_edited": True},
    )
    result = normalize_posts(raw).sort("message_id")
    assert result["media_kind"].to_list() == [None, "photo", None, None]
    assert result["media_kinds"].to_list() == [[], ["photo"], [], []]
    assert result["media_count"].to_list() == [0, 4, 0, 0]
    assert result["is_edited"].to_list() == [False, False, True, True]


def test_dedup_keeps_newest_edit_and_latest_views():
    day = lambda n: datetime(2025, 5, n, tzinfo=UTC)  # noqa: E731
    raw = raw_posts(
        # first seen unedited, then edited; a later re-ingest of an older file has more views
        {"message_id": 7, "text": "old text", "views": 100, "ingested_at": day(11)},
        {
            "message_id": 7,
            "text": "new text",
            "edited_at": day(10),
            "views": 150,
            "ingested_at": day(12),
        },
        {"message_id": 7, "text": "old text", "views": 400, "ingested_at": day(14)},
        # a text copy of the same post, ingested last, knows no views
        {
            "message_id": 7,
            "text": "old text",
            "views": None,
            "ingested_at": day(15),
            "source_format": "text_copy",
        },
        {"message_id": 8, "text": "other", "views": 5},
    )
    result = normalize_posts(raw)
    assert result.height == 2
    kept = result.filter(pl.col("message_id") == 7).row(0, named=True)
    assert kept["text"] == "new text"
    assert kept["is_edited"] is True
    assert kept["views"] == 400
    assert result["post_key"].to_list() == ["mfa_russia/7", "mfa_russia/8"]


def test_dedup_across_channel_spellings_and_without_ingested_at():
    raw = raw_posts(
        {"channel": "@MFA_Russia", "message_id": 1, "text": "a", "views": 1},
        {"channel": "mfa_russia", "message_id": 1, "text": "a", "views": 2},
    ).drop("ingested_at")
    result = normalize_posts(raw)
    assert result["post_key"].to_list() == ["mfa_russia/1"]
    assert result["views"].to_list() == [2]


def test_post_key_for_id_less_posts_and_keyless_rows_dropped(caplog):
    copy = {"source_format": "text_copy", "content_key": "9f2c", "text": "x"}
    raw = raw_posts(
        {**copy, "channel": "Russian_MFA"},
        {**copy, "channel": "russian_mfa"},
        {**copy, "content_key": None, "source_file": "inbox/bad.txt", "text": "no key"},
    )
    result = normalize_posts(raw)
    assert result["post_key"].to_list() == ["russian_mfa/c9f2c"]
    assert result["message_id"].to_list() == [None]
    assert "inbox/bad.txt" in caplog.text


def test_parallel_slices_give_the_same_result_as_one_pass(monkeypatch):
    samples = [*LANGUAGE_SAMPLES.values(), "Q&amp;A  (May 10, 2025) #Tag @MID_Russia x.com/a", None]
    raw = raw_posts(
        *({"message_id": index, "text": samples[index % len(samples)]} for index in range(70))
    )
    one_pass = normalize_posts(raw)
    monkeypatch.setattr(records, "_ROWS_PER_THREAD_MIN", 20)
    monkeypatch.setattr(pl, "thread_pool_size", lambda: 3)
    in_slices = normalize_posts(raw)
    assert in_slices.equals(one_pass)
    assert one_pass["language"].n_unique() == len(LANGUAGE_SAMPLES) + 1  # + "und" for None


def test_empty_input_gives_empty_frame_with_the_schema():
    empty = pl.LazyFrame(schema={**RAW_POST_SCHEMA, "ingested_at": UTC_TIME})
    result = normalize_posts(empty)
    assert result.height == 0
    assert result.schema == pl.Schema(NORMALIZED_POST_SCHEMA)
    assert normalize_headers(pl.DataFrame(schema=RAW_HEADER_SCHEMA)).schema == pl.Schema(
        NORMALIZED_HEADER_SCHEMA
    )
    assert normalize_service(pl.DataFrame(schema=RAW_SERVICE_SCHEMA)).schema == pl.Schema(
        RAW_SERVICE_SCHEMA
    )


# --- headers and service messages ---------------------------------------------------------------


def test_headers_lower_case_channel_and_exact_duplicates_removed():
    header = {
        "source_format": "web_preview",
        "source_file": "inbox/mfa.html",
        "channel": "MFA_Russia",
        "title": "Russian MFA 🇷🇺",
        "description": "Official channel &amp; news",
        "subscribers": 52900,
        "observed_at": datetime(2025, 5, 12, tzinfo=UTC),
    }
    later = {**header, "subscribers": 53000, "observed_at": datetime(2025, 5, 13, tzinfo=UTC)}
    frame = conform(pl.DataFrame([header, header, later]), RAW_HEADER_SCHEMA)
    result = normalize_headers(frame)
    assert result.schema == pl.Schema(NORMALIZED_HEADER_SCHEMA)
    assert result["channel"].to_list() == ["mfa_russia", "mfa_russia"]
    assert result["subscribers"].to_list() == [52900, 53000]
    assert result["description"].to_list() == ["Official channel & news"] * 2


def test_service_messages_deduplicated_by_channel_and_id():
    def message(channel, message_id, action, ingested):
        return {
            "source_format": "desktop_export",
            "source_file": f"inbox/{ingested}.json",
            "channel": channel,
            "message_id": message_id,
            "action": action,
            "ingested_at": datetime(2025, 5, ingested, tzinfo=UTC),
        }

    frame = conform(
        pl.DataFrame(
            [
                message("Trantor", 1, "pin_message", 1),
                message("trantor", 1, "pin_message", 2),
                message("trantor", 2, "edit_group_title", 1),
                message("trantor", None, "join", 1),
                message("trantor", None, "join", 1),
                message("trantor", None, "leave", 1),
            ]
        ),
        {**RAW_SERVICE_SCHEMA, "ingested_at": UTC_TIME},
    )
    result = normalize_service(frame)
    assert result.schema == pl.Schema(RAW_SERVICE_SCHEMA)
    assert result.select("channel", "message_id", "action", "source_file").rows() == [
        ("trantor", 1, "pin_message", "inbox/2.json"),
        ("trantor", 2, "edit_group_title", "inbox/1.json"),
        ("trantor", None, "join", "inbox/1.json"),
        ("trantor", None, "leave", "inbox/1.json"),
    ]


# --- conformance on the real text copy ----------------------------------------------------------


def test_real_text_copy_snippets(real_data):
    """Posts cut by hand from the real text copy (the parser is another helper's work)."""
    content = (real_data / TEXT_COPY_NAME).read_text(encoding="utf-8")
    statement_start = content.index("⚡️ Russia's President Vladimir Putin's Statement")
    statement = content[statement_start : content.index("🇷🇺🇿🇼", statement_start)]
    header_start = content.index("🔊 News channels:")
    header = content[header_start : content.index("Download Telegram")]
    press_start = content.index("⚡️ Press statement by\u00a0the")
    press = content[press_start : content.index("Read in full", press_start)]
    raw = raw_posts(
        *(
            {"source_format": "text_copy", "channel": "mfa_russia", "content_key": key, "text": t}
            for key, t in (("statement", statement), ("header", header), ("press", press))
        )
    )
    result = normalize_posts(raw).sort("post_key")
    rows = {row["post_key"]: row for row in result.iter_rows(named=True)}

    statement_row = rows["mfa_russia/cstatement"]
    assert "Full transcript to be added later" in statement_row["text"]
    assert "trannoscript" not in statement_row["text"]
    assert statement_row["event_date"] == date(2025, 5, 11)
    assert statement_row["hashtags"] == ["president"]
    assert statement_row["language"] == "en"

    header_row = rows["mfa_russia/cheader"]
    assert header_row["mentions"] == ["mid_russia", "maerusia", "maerusse"]
    assert header_row["links"] == ["https://x.com/mfa_russia"]

    press_row = rows["mfa_russia/cpress"]
    assert "\u00a0" not in press_row["text"]
    assert "by the President of Russia" in press_row["text"]
    assert "\n\n\n" not in press_row["text"]
    assert press_row["event_date"] is None  # "next Thursday, May 15" names no year
