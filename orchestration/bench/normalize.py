"""Throughput of normalize_posts on a synthetic frame (not collected by pytest).

    .venv/bin/python -m orchestration.bench.normalize [rows] [--repeat N]

Texts are real-looking: paragraphs of the real text copy (when /work/shared/data/real is there)
plus posts in Russian, Spanish, French and Chinese, about 500 characters on average; one in ten
carries something to clean (entities, doubled spaces, \\r\\n, "trannoscript") and one in twenty
is a second copy of another post (a later ingest with more views).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import polars as pl

from orchestration.bench import SHARED_REAL_DATA
from orchestration.normalize.records import normalize_posts
from orchestration.schemas import RAW_POST_SCHEMA, UTC_TIME

REAL_TEXT_COPY = SHARED_REAL_DATA / "text_copy" / "000_6dbfd9b700bf4de4.txt"

OTHER_LANGUAGES = [
    "🇷🇺🇵🇸 Президент России Владимир Путин встретился с Президентом Государства Палестина "
    "Махмудом Аббасом (10 мая 2025 года).\n\nВ ходе переговоров обсуждались вопросы "
    "двустороннего сотрудничества и ситуация на Ближнем Востоке. #РоссияПалестина @MID_Russia",
    "🇷🇺🇵🇸 El presidente de Rusia, Vladímir Putin, se reunió con el presidente del Estado de "
    "Palestina, Mahmud Abás (10 de mayo de 2025). Las partes abordaron la cooperación "
    "bilateral y la situación en Oriente Medio. #RusiaPalestina https://t.me/MAERusia",
    "🇷🇺🇵🇸 Le président de la Russie, Vladimir Poutine, s’est entretenu avec le président de "
    "l’État de Palestine, Mahmoud Abbas (10 mai 2025). Les parties ont évoqué la coopération "
    "bilatérale et la situation au Proche-Orient. #RussiePalestine",
    "B站播放时长最长的内容是高等数学\n\n🏷 #报道 #整理 #社会 #中文\n📅 2023年5月12日（UTC+8）",
]

DIRT = [
    lambda text: text.replace(" ", "  ", 3),
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text + "\n\n\n\nFull trannoscript &amp; more&nbsp;details",
    lambda text: "\u200b" + text.replace(". ", ".\u00a0", 2),
]


def text_pool(size: int = 4000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    if REAL_TEXT_COPY.exists():
        lines = REAL_TEXT_COPY.read_text(encoding="utf-8").split("\n")
        paragraphs = [line for line in lines if len(line) > 40]
    else:
        paragraphs = [OTHER_LANGUAGES[0]]
    pool = []
    for index in range(size):
        if index % 5 == 0:
            text = rng.choice(OTHER_LANGUAGES)
        else:
            count = min(rng.choice([1, 1, 2, 3]), len(paragraphs))  # 1 without the real data
            text = "\n\n".join(rng.sample(paragraphs, count))[:1500]
            text += rng.choice(["", "\n\n#Victory80", "\n\n#RussiaVietnam x.com/mfa_russia"])
        if index % 10 == 0:
            text = rng.choice(DIRT)(text)
        pool.append(text)
    return pool


def synthetic_raw_posts(rows: int, seed: int = 7) -> pl.DataFrame:
    pool = pl.Series("text", text_pool(seed=seed))
    rng = random.Random(seed)
    start = datetime(2025, 5, 1, tzinfo=UTC)
    unique_rows = rows - rows // 20
    frame = pl.DataFrame(
        {
            "message_id": pl.int_range(1, unique_rows + 1, eager=True),
            "pick": pl.Series([rng.randrange(pool.len()) for _ in range(unique_rows)]),
        }
    ).with_columns(
        source_format=pl.lit("web_preview"),
        source_file=pl.lit("inbox/batch.html"),
        source_position=pl.col("message_id") - 1,
        channel=pl.lit("MFA_Russia"),
        published_at=pl.lit(start) + pl.duration(minutes=pl.col("message_id")),
        text=pool.gather(pl.Series([rng.randrange(pool.len()) for _ in range(unique_rows)])),
        views=pl.col("message_id") * 7 % 50_000,
        media_kinds=pl.lit(["photo"], dtype=pl.List(pl.String)),
        media_count=pl.lit(1, dtype=pl.Int64),
        links=pl.lit([], dtype=pl.List(pl.String)),
        ingested_at=pl.lit(start + timedelta(days=20), dtype=UTC_TIME),
    )
    again = frame.head(rows - unique_rows).with_columns(
        views=pl.col("views") + 100,
        ingested_at=pl.lit(start + timedelta(days=21), dtype=UTC_TIME),
    )
    schema = {**RAW_POST_SCHEMA, "ingested_at": UTC_TIME}
    return pl.concat([frame, again], how="diagonal").select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = synthetic_raw_posts(args.rows)
    chars = raw["text"].str.len_chars().mean()
    megabytes = raw["text"].str.len_bytes().sum() / 1e6
    print(f"{raw.height:,} raw posts, {chars:.0f} characters on average, {megabytes:.0f} MB text")
    print(f"polars {pl.__version__}, {pl.thread_pool_size()} threads")
    best, best_cpu = float("inf"), float("inf")
    for _ in range(args.repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        normalized = normalize_posts(raw)
        best = min(best, time.perf_counter() - began)
        best_cpu = min(best_cpu, time.process_time() - began_cpu)
    print(f"{normalized.height:,} normalized posts; best of {args.repeat}: {best:.2f} s wall")
    print(f"{raw.height / best:,.0f} posts/s, {megabytes / best:,.0f} MB/s")
    print(f"CPU time {best_cpu:.2f} s (all threads): {raw.height / best_cpu:,.0f} posts per CPU-s")
    print(normalized["language"].value_counts(sort=True).head(8))


if __name__ == "__main__":
    main()
