"""Hostile files: none sinks a run, none is read without bound, nothing is lost unsaid.

Every file given to ``RawStore.ingest`` either lands (its unrepresentable records rejected with
a reason) or is rejected by name with a reason, the other files of the same call still land,
and each problem is kept as a reject row. Two halves:

* HOSTILE: named cases built from the project's fixtures (numbers past 64 bits, ids of
  thousands of digits, deep nesting, cut files, conflicting duplicates, FIFOs, devices, links,
  encodings), ingested together in one call with a good file; each case says what it gets.
* Property-based: hypothesis mutates the fixtures (and the real files, where present) and
  checks the same contract on every mutant, in particular that no failure is an unforeseen
  exception caught by the raw store's last-resort net.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import PARSING_FIXTURES, REAL_DATA

from orchestration.config import DEFAULT_MAX_FILE_BYTES, Home
from orchestration.ingest.parsing import SourceFileError, parse_file
from orchestration.ingest.raw_store import IngestReport, RawStore

EXPORT = (PARSING_FIXTURES / "export_single.json").read_text()
PAGE = (PARSING_FIXTURES / "web_page.html").read_text()
COPY = (PARSING_FIXTURES / "text_copy.txt").read_text()
# 4CAT's Telethon lines name their channel, so they land without --channel
TELETHON = (PARSING_FIXTURES / "telethon_4cat.ndjson").read_text(encoding="utf-8")
GOOD = PARSING_FIXTURES / "export_account.json"  # lands beside every hostile file
HISTORY = '<section class="tgme_channel_history js-message_history">'
UNFORESEEN = "could not be parsed:"  # the raw store's net under the parsers


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def _views(page: str, value: str) -> str:
    return re.sub(r'(tgme_widget_message_views">)[^<]*', rf"\g<1>{value}", page, count=1)


def _cut_inside_character(data: bytes) -> bytes:
    """The bytes cut after the first byte of their last multi-byte character."""
    last_lead = max(i for i, byte in enumerate(data) if byte >= 0xC0)
    return data[: last_lead + 1]


@dataclass(frozen=True)
class Case:
    name: str  # the file's name in the inputs folder
    build: Callable[[Path], None]  # writes the file at the given path
    lands: bool  # lands (True) or is rejected whole (False)
    reason: str  # a reject reason (or the file's problem) must contain this; "" for none


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def data(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def link(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def loop(path: Path) -> None:
    path.symlink_to(path.name)


def sparse(size: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # no blocks written: the size alone is over the limit

    return build


HUGE = "9" * 5000  # more digits than int() converts
CUT_PAGE_AT = PAGE.index('data-post="mfa_test/103"')
HOSTILE = [
    # Desktop exports: the columnar fast path and the reference reader
    Case("export_id_2_63.json", text(_replace(EXPORT, '"id": 2,', '"id": 9223372036854775808,')),
         True, "id out of range (beyond 64 bits): 9223372036854775808"),
    Case("export_id_2_64.json", text(_replace(EXPORT, '"id": 2,', '"id": 18446744073709551616,')),
         True, "id out of range (beyond 64 bits)"),
    Case("export_id_huge.json", text(_replace(EXPORT, '"id": 2,', f'"id": {HUGE},')),
         True, "id out of range (beyond 64 bits): 9999"),
    Case("export_id_negative_huge.json", text(_replace(EXPORT, '"id": 2,', f'"id": -{HUGE},')),
         True, "id out of range (beyond 64 bits): -9999"),
    Case("export_reply_huge.json",
         text(_replace(EXPORT, '"id": 2,', f'"id": 2, "reply_to_message_id": {HUGE},')),
         True, "reply_to_message_id out of range"),
    Case("export_unixtime_huge.json",
         text(_replace(EXPORT, '"date_unixtime": "1746777900"', f'"date_unixtime": "{HUGE}"')),
         True, "date_unixtime is not a unix time"),
    Case("export_reactions_2_64.json",
         text(_replace(EXPORT, '"count": 12', '"count": 18446744073709551616')),
         True, "reactions total out of range"),
    Case("export_chat_id_huge.json",
         text(_replace(EXPORT, '"id": 1500000001', f'"id": {HUGE}')), True, ""),
    Case("export_nested_100k.json",
         text(_replace(EXPORT, '"text_entities": []', '"x": ' + "[" * 100_000 + "]" * 100_000)),
         False, "JSON nested too deeply"),
    Case("export_nested_990_odd_message.json",  # orjson reads it, json cannot: orjson's values
         text(_replace(_replace(EXPORT, '"text_entities": []', '"x": ' + "[" * 990 + "]" * 990),
                       '"id": 2,', '"id": "2",')),
         True, "id is str, expected an integer"),
    Case("export_nested_object_5k.json",
         text(_replace(EXPORT, '"text_entities": []', '"x": ' + '{"a":' * 5000 + "1" + "}" * 5000)),
         False, "JSON nested too deeply"),
    Case("export_duplicate_id.json", text(_replace(EXPORT, '"id": 3,', '"id": 2,')),
         True, "duplicate id 2 with different text; kept the later one"),
    Case("export_truncated.json", text(EXPORT[: len(EXPORT) // 2]),
         False, "invalid JSON (file looks truncated)"),
    Case("export_cut_in_character.json", data(_cut_inside_character(EXPORT.encode())),
         False, "file looks truncated"),
    Case("export_utf16.json", text(EXPORT, "utf-16"), True, ""),
    Case("export_utf32.json", text(EXPORT, "utf-32"), True, ""),
    # Web-preview pages: ids and counters from attributes and text, nesting, cuts
    Case("page_id_2_63.html", text(_replace(PAGE, 'data-post="mfa_test/102"',
                                            'data-post="mfa_test/9223372036854775808"')),
         True, "message id out of range (beyond 64 bits): 9223372036854775808"),
    Case("page_id_huge.html", text(_replace(PAGE, 'data-post="mfa_test/102"',
                                            f'data-post="mfa_test/{HUGE}"')),
         True, "message id out of range (beyond 64 bits): 9999"),
    Case("page_views_25_digits.html", text(_views(PAGE, "9" * 25)),
         True, "views out of range (beyond 64 bits)"),
    Case("page_views_2_63.html", text(_views(PAGE, "9223372036854775808")),
         True, "views out of range (beyond 64 bits): 9223372036854775808"),
    Case("page_views_huge_k.html", text(_views(PAGE, HUGE + "K")),
         True, "views out of range (beyond 64 bits)"),
    Case("page_subscribers_huge.html", text(_replace(PAGE, "52.9K</span>", HUGE + "</span>")),
         True, "channel header: subscribers out of range"),
    Case("page_reply_id_huge.html", text(re.sub(
        r'(class="tgme_widget_message_reply" href="https://t.me/mfa_test/)[0-9]+',
        rf"\g<1>{HUGE}", PAGE, count=1)),
         True, "reply_to_message_id out of range"),
    Case("page_time_overflow.html", text(re.sub(
        r'datetime="[^"]+"', 'datetime="0001-01-01T00:00:00+05:00"', PAGE, count=2)),
         True, "time out of range"),
    Case("page_nested_100k_divs.html", text(_replace(PAGE, HISTORY, HISTORY + "<div>" * 100_000)),
         False, "HTML nested too deeply"),
    Case("page_nested_after_stray_closes.html",
         text(_replace(PAGE, HISTORY, HISTORY + "</DIV>" * 50_000 + "<SECTION>" * 50_000)),
         False, "HTML nested too deeply"),
    Case("page_nested_messages.html", text(_replace(
        PAGE, HISTORY,
        HISTORY + '<div class="tgme_widget_message" data-post="a/1">x' * 20_000)),
         False, "HTML nested too deeply"),
    Case("page_cut_inside_a_post.html", text(PAGE[: CUT_PAGE_AT + 600]),
         True, "file truncated after post mfa_test/102: post mfa_test/103 is cut off"),
    Case("page_cut_between_posts.html", text(PAGE[:CUT_PAGE_AT]),
         True, "file truncated after post mfa_test/102: whatever followed it is missing"),
    Case("page_cut_before_posts.html", text(PAGE[: PAGE.index(HISTORY)]),
         False, "file truncated before its first post"),
    Case("page_cut_in_character.html", data(_cut_inside_character(PAGE.encode())),
         True, "file truncated after post"),
    Case("page_duplicate_id.html",
         text(_replace(PAGE, 'data-post="mfa_test/103"', 'data-post="mfa_test/102"')),
         True, "duplicate id 102 with different text; kept the later one"),
    # Text copies
    Case("copy_cut_in_character.txt", data(_cut_inside_character(COPY.encode())),
         True, "file truncated after post"),
    Case("copy_views_huge.txt", text(COPY.rstrip("\n") + f"\n{HUGE} views 14:03\n"),
         True, "views out of range (beyond 64 bits)"),
    Case("copy_utf16.txt", text(COPY, "utf-16"), True, ""),
    Case("copy_utf16_without_bom.txt", text(COPY, "utf-16-le"),
         False, "UTF-16 text without a byte-order mark; expected UTF-8"),
    Case("copy_zero_tail.txt", data(COPY.encode() + b"\0" * 4096), False, "zero bytes"),
    # JSON Lines of Telethon messages: a bad line is a reject, the other lines land
    Case("telethon_id_2_64.jsonl",
         text(_replace(TELETHON, '"id": 202', '"id": 18446744073709551616')),
         True, "line 2: id out of range (beyond 64 bits): 18446744073709551616"),
    Case("telethon_id_huge.jsonl", text(_replace(TELETHON, '"id": 202', f'"id": {HUGE}')),
         True, "line 2: invalid JSON: a number of thousands of digits"),
    Case("telethon_bad_line.jsonl", text(TELETHON + "{not json\n"), True, "line 3: invalid JSON"),
    Case("telethon_cut.jsonl", text(TELETHON[: len(TELETHON) - 40]),
         True, "line 2: cut short at the end of the file"),
    Case("telethon_deep.jsonl",
         text(TELETHON + '{"_": "Message", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"),
         True, "line 3: JSON nested too deeply"),
    Case("telethon_no_channel.ndjson",
         text(TELETHON.replace('"username": "mfa_test"', '"username": null')),
         False, "name the channel with --channel"),
    Case("telethon_utf16.jsonl", text(TELETHON, "utf-16"), True, ""),
    # What is not a regular file, or not there
    Case("fifo.json", fifo, False, "not a regular file: a FIFO"),
    Case("dev_zero.json", link("/dev/zero"), False, "not a regular file: a character device"),
    Case("loop.json", loop, False, "symlink loop"),
    Case("broken_link.html", link("nowhere.html"), False, "broken symbolic link"),
    Case("sparse_5gb.json", sparse(DEFAULT_MAX_FILE_BYTES + (1 << 30)), False, "file too large"),
    Case("name_\udcff_not_utf8.json", text(EXPORT.replace("Test MFA", "Other MFA")), True, ""),
]  # fmt: skip


@dataclass
class Ingested:
    report: IngestReport
    rejects: pl.DataFrame
    inputs: Path
    seconds: float


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Ingested:
    """Every hostile case and one good file, landed in one call."""
    root = tmp_path_factory.mktemp("hostile")
    inputs = root / "inputs"
    inputs.mkdir()
    shutil.copy(GOOD, inputs / "good.json")
    for case in HOSTILE:
        case.build(inputs / case.name)
    store = RawStore(Home(root / "home").raw)
    started = time.perf_counter()
    report = store.ingest([inputs, Path("/dev/zero")])
    seconds = time.perf_counter() - started
    return Ingested(report, store.scan("rejects").collect(), inputs, seconds)


def _name(path: str) -> str:
    return Path(path).name


def test_the_good_file_lands_beside_every_hostile_one(ingested):
    landed = {_name(row["source_file"]): row for row in ingested.report.landed}
    assert landed["good.json"]["records_read"] == 3
    handled = set(landed) | {_name(p) for p, _ in ingested.report.failed}
    assert handled == {"good.json", "zero", *(case.name.replace("\udcff", "\ufffd")
                                             for case in HOSTILE)}  # fmt: skip
    assert not ingested.report.unchanged
    assert ingested.seconds < 30, f"{ingested.seconds:.1f} s for {len(HOSTILE)} hostile files"


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name.encode(errors="replace").decode()
                                                for c in HOSTILE])  # fmt: skip
def test_each_hostile_file_lands_or_is_rejected_by_name_with_its_reason(ingested, case):
    name = case.name.replace("\udcff", "\ufffd")
    landed = {_name(row["source_file"]): row for row in ingested.report.landed}
    failed = {_name(path): problem for path, problem in ingested.report.failed}
    reasons = ingested.rejects.filter(
        pl.col("source_file").map_elements(_name, return_dtype=pl.String) == name
    )["reason"].to_list()
    if case.lands:
        assert name in landed, failed.get(name)
        if case.reason:
            assert any(case.reason in reason for reason in reasons), reasons
        else:
            assert reasons == []
    else:
        assert name in failed, landed.get(name)
        assert case.reason in failed[name]
        assert not failed[name].startswith(UNFORESEEN)
        assert reasons == [failed[name]]  # kept as a whole-file reject row


def test_dev_zero_named_directly_is_refused_without_reading_it(ingested):
    failed = dict(ingested.report.failed)
    assert failed["/dev/zero"] == "not a regular file: a character device"


def test_what_was_lost_from_files_that_landed_is_said(ingested):
    warned = {_name(path): warning for path, warning in ingested.report.warnings}
    assert set(warned) == {
        "export_duplicate_id.json",
        "page_cut_inside_a_post.html",
        "page_cut_between_posts.html",
        "page_cut_in_character.html",
        "page_duplicate_id.html",
        "copy_cut_in_character.txt",
        "telethon_cut.jsonl",
    }
    assert "kept the later one" in warned["export_duplicate_id.json"]
    assert warned["telethon_cut.jsonl"] == (
        "file truncated after line 1: line 2 is cut off and not kept"
    )
    assert "file truncated after post mfa_test/102" in warned["page_cut_between_posts.html"]


def test_a_cut_page_keeps_the_posts_before_the_cut_and_not_the_cut_one():
    whole = parse_file(PARSING_FIXTURES / "web_page.html")
    with tempfile.TemporaryDirectory() as folder:
        cut = Path(folder) / "cut.html"
        cut.write_text(PAGE[: CUT_PAGE_AT + 600])
        parsed = parse_file(cut)
    kept = parsed.posts["message_id"].to_list()
    assert kept == [101, 102]
    assert whole.posts.filter(pl.col("message_id").is_in(kept))["text"].to_list() == (
        parsed.posts["text"].to_list()
    )
    (position,) = parsed.rejects["source_position"].to_list()
    assert position == 3  # the service message, 101, 102, then the cut one


def test_a_duplicate_id_keeps_the_later_text_and_rejects_the_earlier():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dup.json"
        path.write_text(_replace(EXPORT, '"id": 3,', '"id": 2,'))
        parsed = parse_file(path)
    texts = parsed.posts.filter(pl.col("message_id") == 2)["text"].to_list()
    assert len(texts) == 1 and texts[0].startswith("Putin met Abbas")
    (excerpt,) = parsed.rejects["excerpt"].to_list()
    assert excerpt == "Plain text post about the Victory Day parade."


def test_deep_html_is_refused_quickly(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text(_replace(PAGE, HISTORY, HISTORY + "<div>" * 1_000_000))  # 5 MB
    started = time.perf_counter()
    with pytest.raises(SourceFileError, match="HTML nested too deeply"):
        parse_file(path)
    assert time.perf_counter() - started < 2


def test_the_size_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "result.json"
    path.write_text(EXPORT)
    monkeypatch.setenv("TGWH_MAX_FILE_BYTES", "1K")
    with pytest.raises(SourceFileError, match=r"file too large: 2\.9 KiB, over the limit of 1\.0"):
        parse_file(path)
    report = RawStore(Home(tmp_path / "home").raw).ingest([path])
    assert "TGWH_MAX_FILE_BYTES" in report.failed[0][1]
    monkeypatch.setenv("TGWH_MAX_FILE_BYTES", "4K")
    assert (
        parse_file(path).posts.height
        == parse_file(PARSING_FIXTURES / "export_single.json").posts.height
    )
    monkeypatch.setenv("TGWH_MAX_FILE_BYTES", "lots")
    with pytest.raises(ValueError, match="TGWH_MAX_FILE_BYTES must be a positive size"):
        RawStore(Home(tmp_path / "home").raw)


# --- property-based mutation ---------------------------------------------------------------

SEEDS = [
    PARSING_FIXTURES / name
    for name in (
        "export_single.json",
        "export_account.json",
        "web_page.html",
        "text_copy.txt",
        "telethon_4cat.ndjson",
    )
]
REAL_SEEDS = sorted(
    path
    for folder in ("desktop_export", "web_preview", "text_copy")
    for path in (REAL_DATA / folder).glob("*")
    if path.name in {"trantor_library_TG101.result.json", "full.html"} or folder == "text_copy"
) if REAL_DATA.is_dir() else []  # fmt: skip

# Tokens that have broken parsers: numbers past 64 bits and past int()'s digit limit, nesting,
# encodings, markup that closes or opens, the markers of each format.
TOKENS = [
    b"9223372036854775808", b"18446744073709551616", b"-9223372036854775809",
    HUGE.encode(), b"1e400", b"[" * 3000, b"{\"a\":" * 1500, b"<div>" * 3000,
    b"</div>" * 50, b"</html>", b"<html>", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3",
    b"\xed\xa0\x80", b'\\ud800', b'"', b",", b"}", b"]", b"<", b">", b"\n\n", b"99.9K",
    b'data-post="x/99999999999999999999"', b'datetime="9999-12-31T23:59:59-05:00"',
    b'"id": 2,', b'"date_unixtime": "-1",', b"Forwarded from ", b"views 14:03",
]  # fmt: skip


def _digit_runs(content: bytes) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(rb"[0-9]+", content[:200_000])]


# one record of each format: a pretty-printed export message, a web-preview message, a line
_RECORD_RES = (
    re.compile(rb"\n  \{\n.*?\n  \},?", re.DOTALL),
    re.compile(rb'<div class="tgme_widget_message_wrap.*?(?=<div class="tgme_widget_message_wrap|'
               rb"</section>)", re.DOTALL),
    re.compile(rb"\n[^\n]+"),
)  # fmt: skip


def _records(content: bytes) -> list[tuple[int, int]]:
    for record_re in _RECORD_RES:
        spans = [match.span() for match in record_re.finditer(content[:400_000])]
        if len(spans) > 1:
            return spans
    return []


# each edit, weighted towards those that keep the file readable (so its records get tried)
EDITS = ["number"] * 4 + ["nest"] * 2 + ["duplicate"] * 3 + ["token"] * 2 + [
    "cut", "delete", "insert_text", "insert_bytes",
]  # fmt: skip


@st.composite
def mutations(draw, content: bytes) -> bytes:
    """1-3 edits of the file: a hostile number or nesting where a number was, a record copied
    (with one of its digits changed: duplicate ids, maybe with another text), a hostile token,
    a cut, a deletion, an insertion."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(content)))
        edit = draw(st.sampled_from(EDITS))
        runs = _digit_runs(content) if edit in ("number", "nest") else []
        records = _records(content) if edit == "duplicate" else []
        if runs and edit == "number":
            start, end = draw(st.sampled_from(runs))
            token = draw(st.sampled_from(TOKENS[:5] + [b"0", b"-1", b"2", b"99.9K"]))
            content = content[:start] + token + content[end:]
        elif runs and edit == "nest":
            start, end = draw(st.sampled_from(runs))
            depth = draw(st.sampled_from([10, 500, 990, 1100, 5000]))
            content = (
                content[:start] + b"[" * depth + content[start:end] + b"]" * depth + (content[end:])
            )
        elif records:
            start, end = draw(st.sampled_from(records))
            record = content[start:end].rstrip(b",") + (
                b"," if content[start:end].endswith(b",") or b"\n  {" in content[start:end] else b""
            )
            # change a digit (maybe the id) or a letter (maybe the text) of the copy
            changeable = (
                _digit_runs(record)
                if draw(st.booleans())
                else [match.span() for match in re.finditer(rb"[a-z]", record)]
            )
            if changeable:
                change_at = draw(st.sampled_from(changeable))[0]
                new = b"7" if record[change_at : change_at + 1].isdigit() else b"Q"
                record = record[:change_at] + new + record[change_at + 1 :]
            content = content[:start] + record + content[start:]
        elif edit == "token":
            content = content[:at] + draw(st.sampled_from(TOKENS)) + content[at:]
        elif edit == "cut":
            content = content[:at]
        elif edit == "delete":
            content = content[:at] + content[at + draw(st.integers(1, 64)) :]
        elif edit == "insert_text":
            content = content[:at] + draw(st.text(min_size=1, max_size=16)).encode() + content[at:]
        else:
            content = content[:at] + draw(st.binary(min_size=1, max_size=16)) + content[at:]
    return content


# Each mutant lands in a home of its own; its durable writes fsync, which costs more than the
# parse on a disk: in memory where the machine has such a folder.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def _check_contract(seed: Path, content: bytes) -> None:
    """One mutant and a good file in one ingest call: both are handled, by name."""
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        inputs = Path(folder) / "inputs"
        inputs.mkdir()
        mutant = inputs / f"mutant{seed.suffix}"
        mutant.write_bytes(content)
        good = inputs / "good.json"
        shutil.copy(GOOD, good)
        store = RawStore(Home(Path(folder) / "home").raw)
        report = store.ingest([inputs])  # never raises: that is part of the contract
        landed = {row["source_file"]: row for row in report.landed}
        failed = dict(report.failed)
        assert str(good) in landed or str(good) in report.unchanged
        assert str(mutant) in landed or str(mutant) in failed or str(mutant) in report.unchanged
        rejects = store.scan("rejects").collect()
        mine = rejects.filter(pl.col("source_file") == str(mutant))
        assert mine["reason"].drop_nulls().len() == mine.height  # every reject says why
        if str(mutant) in failed:
            problem = failed[str(mutant)]
            assert problem and not problem.startswith(UNFORESEEN), problem
            assert mine["reason"].to_list() == [problem]
        elif str(mutant) in landed:
            row = landed[str(mutant)]
            posts = store.read_batch("posts", row["batch_id"])
            assert posts.height == row["records_read"] - row["records_rejected"]
            assert row["records_rejected"] == mine.height


MUTATION_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,  # no example database written into the checkout
    derandomize=True,  # the same mutants every run: a failure reproduces
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_mutated_fixtures_land_or_are_rejected_by_name(seed):
    original = seed.read_bytes()

    @MUTATION_SETTINGS
    @given(mutations(original))
    def check(content: bytes) -> None:
        _check_contract(seed, content)

    check()


@pytest.mark.parametrize("seed", REAL_SEEDS, ids=[p.name for p in REAL_SEEDS])
def test_mutated_real_files_land_or_are_rejected_by_name(seed):
    original = seed.read_bytes()

    @settings(MUTATION_SETTINGS, max_examples=8)
    @given(mutations(original))
    def check(content: bytes) -> None:
        _check_contract(seed, content)

    check()


def test_real_files_are_present_or_the_mutation_of_them_is_skipped(real_data):
    assert REAL_SEEDS, f"no real seed files under {real_data}"
