"""Throughput of the source-file parsers (not collected by pytest).

    POLARS_MAX_THREADS=1 .venv/bin/python -m orchestration.bench.parsing [messages] [--repeat N]
        [--reference] [--web] [--synthetic]

Builds a Telegram Desktop export the way Telegram Desktop writes one (indent 1, `text` next to
`text_entities`, ~1 in 30 service messages): English and Russian texts of 100-1500 characters,
30% of them entity lists with text_link/hashtag/bold entities, photos, videos, forwards,
replies, edits and reactions. It prints posts/s of parse_file (read + parse + frames) and,
with --reference, of the per-message reference reader; --web also times the web-preview pages
of the real-data suite; --synthetic also times orchestration.bench.synthetic's exports when that
module is there.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

WORDS_EN = (
    "Russia foreign minister Sergey Lavrov met talks cooperation bilateral relations security "
    "United Nations Security Council the of and in on with to a for situation Middle East "
    "statement briefing spokeswoman Maria Zakharova embassy delegation agreement visit summit "
    "BRICS SCO economic trade energy sanctions dialogue partners region stability"
).split()
WORDS_RU = (
    "Россия министр иностранных дел Сергей Лавров провёл переговоры сотрудничество "
    "двусторонние отношения безопасность ООН Совет Безопасности и в на с по для ситуация "
    "Ближний Восток заявление брифинг официальный представитель Мария Захарова посольство "
    "делегация соглашение визит саммит БРИКС ШОС экономика торговля энергетика диалог"
).split()
HASHTAGS = ["#RussiaChina", "#Lavrov", "#МИДРоссии", "#РоссияВьетнам", "#BRICS", "#UN"]
CHANNEL_ID = 1114712356


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    out: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    return " ".join(out).capitalize() + "."


def _entities(rng: random.Random, words: list[str], length: int) -> list:
    """Text as Telegram writes entity lists: strings mixed with typed objects."""
    parts: list = [{"type": "bold", "text": _sentence(rng, words, 60)}, "\n\n"]
    size = 60
    while size < length:
        body = _sentence(rng, words, rng.randint(80, 300))
        parts.append(body + " ")
        size += len(body)
        if rng.random() < 0.5:
            parts.append(
                {
                    "type": "text_link",
                    "text": rng.choice(words),
                    "href": f"https://mid.ru/en/foreign_policy/news/{rng.randint(1, 10**7)}/",
                }
            )
            parts.append(" ")
    parts.append("\n\n")
    for tag in rng.sample(HASHTAGS, 2):
        parts.extend([{"type": "hashtag", "text": tag}, " "])
    if rng.random() < 0.3:
        parts.append({"type": "link", "text": "https://t.me/MFARussia"})
    return parts


def _text_entities(text: object) -> list[dict]:
    if isinstance(text, str):
        return [{"type": "plain", "text": text}] if text else []
    return [item if isinstance(item, dict) else {"type": "plain", "text": item} for item in text]


def build_message(rng: random.Random, message_id: int, unix: int) -> dict:
    local = datetime.fromtimestamp(unix + 3 * 3600, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if rng.random() < 0.03:
        return {
            "id": message_id,
            "type": "service",
            "date": local,
            "date_unixtime": str(unix),
            "actor": "МИД России",
            "actor_id": f"channel{CHANNEL_ID}",
            "action": "pin_message",
            "message_id": message_id - 1,
            "text": "",
            "text_entities": [],
        }
    words = WORDS_RU if rng.random() < 0.5 else WORDS_EN
    length = rng.randint(100, 1500)
    text: object = (
        _entities(rng, words, length) if rng.random() < 0.3 else _sentence(rng, words, length)
    )
    message: dict = {
        "id": message_id,
        "type": "message",
        "date": local,
        "date_unixtime": str(unix),
    }
    if rng.random() < 0.3:
        edited = unix + rng.randint(60, 7200)
        message["edited"] = datetime.fromtimestamp(edited + 3 * 3600, tz=UTC).strftime(
            "%Y-%m-%dT%H:%M:%S"
        )
        message["edited_unixtime"] = str(edited)
    message["from"] = "МИД России"
    message["from_id"] = f"channel{CHANNEL_ID}"
    if rng.random() < 0.2:
        message["author"] = "Пресс-служба"
    if rng.random() < 0.1:
        message["forwarded_from"] = "Kremlin. News"
    if rng.random() < 0.1:
        message["reply_to_message_id"] = message_id - rng.randint(1, 50)
    roll = rng.random()
    if roll < 0.4:
        message.update(
            photo=f"photos/photo_{message_id}@10-05-2025_12-20-00.jpg",
            photo_file_size=rng.randint(50_000, 400_000),
            width=1280,
            height=853,
        )
    elif roll < 0.5:
        message.update(
            file=f"video_files/video_{message_id}.mp4",
            file_size=rng.randint(10**6, 10**8),
            thumbnail=f"video_files/video_{message_id}.mp4_thumb.jpg",
            thumbnail_file_size=6211,
            media_type="video_file",
            mime_type="video/mp4",
            duration_seconds=rng.randint(10, 600),
            width=1280,
            height=720,
        )
    message["text"] = text
    message["text_entities"] = _text_entities(text)
    if rng.random() < 0.4:
        message["reactions"] = [
            {"type": "emoji", "count": rng.randint(1, 500), "emoji": emoji}
            for emoji in rng.sample(["👍", "🔥", "❤", "😁", "🤝"], rng.randint(1, 3))
        ]
    return message


def build_export(messages: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    unix = 1_600_000_000
    items = []
    for index in range(messages):
        unix += rng.randint(60, 20_000)
        items.append(build_message(rng, index + 1, unix))
    return {"name": "МИД России", "type": "public_channel", "id": CHANNEL_ID, "messages": items}


def write_export(messages: int, directory: Path, seed: int = 7) -> Path:
    path = directory / f"result_{messages}.json"
    if not path.exists():
        path.write_text(
            json.dumps(build_export(messages, seed), ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return path


def _best_of(repeat: int, run) -> float:
    """Best CPU time of `repeat` runs: on a shared machine wall time mostly measures the others.

    The wall time of the best run is printed too.
    """
    best = best_wall = float("inf")
    for _ in range(repeat):
        started, started_wall = time.process_time(), time.perf_counter()
        run()
        best = min(best, time.process_time() - started)
        best_wall = min(best_wall, time.perf_counter() - started_wall)
    print(f"  (best wall time {best_wall:.3f} s, best CPU time {best:.3f} s)")
    return best


def bench_desktop(path: Path, repeat: int, reference: bool) -> None:
    from orchestration.ingest.parsing import parse_file
    from orchestration.ingest.parsing.api import read_source_text
    from orchestration.ingest.parsing.desktop_export import parse_desktop_export_reference

    parsed = parse_file(path)
    records = parsed.posts.height + parsed.service.height + parsed.rejects.height
    size_mb = path.stat().st_size / 1e6
    seconds = _best_of(repeat, lambda: parse_file(path))
    print(
        f"desktop export {path.name}: {records} messages, {size_mb:.1f} MB; parse_file "
        f"{seconds:.3f} s = {records / seconds:,.0f} messages/s "
        f"({parsed.posts.height / seconds:,.0f} posts/s)"
    )
    if reference:
        observed_at = datetime.now(UTC)

        def run_reference() -> None:
            from orchestration.ingest.parsing.common import to_parsed_file

            text = read_source_text(path)
            records = parse_desktop_export_reference(text, None, observed_at)
            to_parsed_file("desktop_export", str(path), records)

        seconds = _best_of(repeat, run_reference)
        print(
            f"  reference reader: {seconds:.3f} s = {records / seconds:,.0f} messages/s "
            f"({parsed.posts.height / seconds:,.0f} posts/s)"
        )


def bench_web(repeat: int) -> None:
    from orchestration.bench import SHARED_REAL_DATA
    from orchestration.ingest.parsing import parse_file

    folder = SHARED_REAL_DATA / "web_preview"
    if not folder.is_dir():
        print(f"web preview: skipped, {folder} not found")
        return
    pages = sorted(folder.glob("*.html"))
    posts = 0
    for page in pages:
        try:
            posts += parse_file(page).posts.height
        except Exception:  # pages without posts are file-level errors by design
            pass

    def run() -> None:
        for page in pages:
            try:
                parse_file(page)
            except Exception:
                pass

    seconds = _best_of(repeat, run)
    print(
        f"web preview: {len(pages)} pages, {posts} posts in {seconds:.3f} s = "
        f"{posts / seconds:,.0f} posts/s, {len(pages) / seconds:,.0f} pages/s"
    )


def bench_synthetic(messages: int, directory: Path, repeat: int) -> None:
    try:
        from orchestration.bench.synthetic import SyntheticSpec, write_desktop_exports
    except ImportError:
        print("orchestration.bench.synthetic: not there, skipped")
        return
    out = directory / f"synthetic_{messages}"
    if not out.exists():
        write_desktop_exports(SyntheticSpec(posts=messages, channels=1, seed=7), out)
    for path in sorted(out.rglob("*.json")):
        bench_desktop(path, repeat, reference=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("messages", type=int, nargs="?", default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference", action="store_true", help="also time the reference")
    parser.add_argument("--web", action="store_true", help="also time web-preview pages")
    parser.add_argument(
        "--synthetic", action="store_true", help="also orchestration.bench.synthetic"
    )
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tgwh-bench")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    import polars as pl

    print(f"Polars threads: {pl.thread_pool_size()}")
    bench_desktop(write_export(args.messages, args.dir), args.repeat, args.reference)
    if args.synthetic:
        bench_synthetic(args.messages, args.dir, args.repeat)
    if args.web:
        bench_web(args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
