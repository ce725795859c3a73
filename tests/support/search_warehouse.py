"""Small published warehouses for the search tests: the marts.fct_posts columns the index
reads and the build stamp, in a real DuckDB file replaced by a rename as a publish does."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import yaml

from support.paths import LABELLED_DATA

CORPUS = LABELLED_DATA / "search_corpus.yaml"
QUERIES = LABELLED_DATA / "search_queries.yaml"
FINGERPRINT = "code-1"

COLUMNS = (
    "post_key varchar, channel varchar, message_id bigint, published_at timestamptz, "
    "post_date date, language varchar, text varchar, poll_question varchar, batch_id varchar"
)


def corpus_posts() -> list[dict]:
    """The corpus as fct_posts rows."""
    posts = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["posts"]
    return [post_row(**post) for post in posts]


def post_row(
    key: str,
    text: str | None,
    channel: str | None = None,
    id: int | None = None,  # noqa: A002 (the corpus's column name)
    date: date | None = None,
    lang: str | None = "en",
    batch: str = "b1",
    poll: str | None = None,
) -> dict:
    channel = channel or key.split("/")[0]
    published = datetime(date.year, date.month, date.day, 12, tzinfo=UTC) if date and id else None
    return {
        "post_key": key,
        "channel": channel,
        "message_id": id,
        "published_at": published,
        "post_date": date,
        "language": lang,
        "text": text,
        "poll_question": poll,
        "batch_id": batch,
    }


def write_warehouse(
    path: Path, posts: list[dict], batches: list[str] | None = None, fingerprint=FINGERPRINT
) -> Path:
    """A warehouse holding ``posts``, stamped as built from ``batches`` (default: theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.building")
    temporary.unlink(missing_ok=True)
    batches = sorted({p["batch_id"] for p in posts}) if batches is None else batches
    names = [column.split()[0] for column in COLUMNS.split(", ")]
    with duckdb.connect(str(temporary)) as connection:
        connection.execute(f"create schema marts; create table marts.fct_posts ({COLUMNS})")
        if posts:
            connection.executemany(
                f"insert into marts.fct_posts values ({', '.join('?' for _ in names)})",
                [[post[name] for name in names] for post in posts],
            )
        connection.execute(
            "create schema audit; create table audit.warehouse_build as select "
            "?::varchar as pipeline_fingerprint, 'digest'::varchar as batches_digest, "
            "?::varchar[] as batch_ids, now() as built_at, 'run'::varchar as run_id",
            [fingerprint, batches],
        )
    os.replace(temporary, path)
    return path


# Generated posts: a few thousand words, drawn per post in SQL, so a test or a measurement gets
# tens of thousands of posts in well under a second.
GENERATED_WORDS = (
    "minister talks sanctions negotiations security council statement briefing embassy "
    "cooperation grain energy treaty delegation summit agreement humanitarian press visit "
    "министр переговоры санкции заявление брифинг посольство сотрудничество договор визит "
    "negociaciones sanciones ministro embajada négociations sanctions ministre ambassade"
).split()


def write_generated_warehouse(
    path: Path, posts: int, batches: int = 1, fingerprint=FINGERPRINT
) -> Path:
    """``posts`` generated posts of 41 words, each with the word "alpha", in ``batches`` equal
    batches g0, g1, ... in key order: the first half of 2N posts in 2 batches is the N posts in
    1 batch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.building")
    temporary.unlink(missing_ok=True)
    languages = ["en", "ru", "es", "fr"]
    with duckdb.connect(str(temporary)) as connection:
        connection.execute(
            f"""
            create schema marts;
            create table marts.fct_posts as
            with words as (select ?::varchar[] as w)
            select
                'ch' || (i % 20) || '/' || i as post_key,
                'ch' || (i % 20) as channel,
                i as message_id,
                timestamptz '2020-01-01 00:00:00+00' + to_seconds(i * 600) as published_at,
                cast(timestamptz '2020-01-01 00:00:00+00' + to_seconds(i * 600) as date)
                    as post_date,
                (?::varchar[])[1 + i % 4] as language,
                'alpha ' || array_to_string(list_transform(range(40),
                    lambda x: w[1 + cast(hash(i * 41 + x) % len(w) as int)]), ' ') as text,
                null::varchar as poll_question,
                'g' || (i * {batches} // {posts}) as batch_id
            from range({posts}) t(i), words
            """,
            [list(GENERATED_WORDS), languages],
        )
        connection.execute(
            "create schema audit; create table audit.warehouse_build as select "
            "?::varchar as pipeline_fingerprint, 'digest'::varchar as batches_digest, "
            "(select list(distinct batch_id order by batch_id) from marts.fct_posts) as batch_ids,"
            " now() as built_at, 'run'::varchar as run_id",
            [fingerprint],
        )
    os.replace(temporary, path)
    return path
