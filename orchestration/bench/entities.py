"""Throughput of entity matching on a synthetic frame of realistic English posts.

Not collected by pytest (the file name does not start with test_). Run:

    POLARS_MAX_THREADS=1 .venv/bin/python -m orchestration.bench.entities --posts 200000

POLARS_MAX_THREADS=1 measures one core (the target is >= 200,000 posts/s for normalization and
entity matching together on one core). Posts are built from sentences in the style of government
channels: names, demonyms, capitals, flags, CamelCase hashtags, title phrases and plain prose.
"""

from __future__ import annotations

import argparse
import random
import time

import polars as pl

SENTENCES = [
    "🇷🇺🇻🇳 President of Russia Vladimir Putin met with General Secretary To Lam (May 10, 2025)",
    "Russia-Vietnam trade grew by more than 20 percent, reaching US$6 billion.",
    "We substantively discussed Russian-Vietnamese cooperation across all sectors.",
    (
        "Foreign Minister Sergey Lavrov held talks with Minister of Foreign Affairs of Hungary "
        "Péter Szijjártó in Moscow."
    ),
    "The Kiev regime defiantly violated the moratorium on strikes against energy facilities.",
    (
        "Tensions are also growing in the West Bank. The Gaza Strip is experiencing a humanitarian "
        "crisis."
    ),
    "Russia places great importance on strengthening its relations with the countries of Africa.",
    (
        "Consultations between Russia and the Confederation of Sahel States have become a valuable "
        "format."
    ),
    "Volunteers from Latin American countries fought in the anti-Fascist resistance.",
    "The talks will be held in Istanbul, and the President of Türkiye offered a venue.",
    "Zakharova: Washington continues to supply weapons to the Kiev regime.",
    "Our comprehensive partnership with the People's Republic of China is an example for all.",
    "#RussiaAfrica #RussiaBurkinaFaso #Victory80",
    "The Burkinabe delegation was headed by the Prime Minister.",
    "Let us remember the heroes who fought for freedom.",
    "Ambassadors of Azerbaijan, Belarus, Tajikistan and Turkmenistan laid wreaths in Islamabad.",
    "President of the Republic of Zimbabwe Emmerson Dambudzo Mnangagwa arrived in Moscow.",
    "⚡️ Supreme Commander of the Libyan National Army Khalifa Haftar visited Moscow.",
    "Statement by the Russian MFA on the situation in Niger and Nigeria.",
    "The meeting brought together representatives of the UAE, Saudi Arabia, Qatar and Oman.",
    "We are grateful to our friends in India, Brazil and South Africa for their principled stance.",
    "The EU and NATO continue their confrontational course, as Brussels and Washington insist.",
    "In December, the Russian-Palestinian Intergovernmental Commission met in Moscow.",
    "The Easter truce was not observed by the Ukrainian side.",
    "Full transcript to be added later.",
    "💬 Sergey Lavrov: We are open to dialogue with all those who respect international law.",
    "Chairman of the Presidential Council Mohamed al-Menfi received the Russian delegation.",
    "The Serbian, Slovak and Hungarian leaders came to Moscow for the parade on Red Square.",
    "This year marks the 75th anniversary of diplomatic relations between our countries.",
    "Read in full on the website of the Ministry.",
]


def synthetic_posts(count: int, seed: int = 7) -> pl.DataFrame:
    """count posts of 1-8 sentences each (about 500 characters on average)."""
    rng = random.Random(seed)
    pool = SENTENCES
    texts = ["\n\n".join(rng.choices(pool, k=rng.randint(1, 8))) for _ in range(min(count, 20_000))]
    # repeat a pool of distinct posts: the matchers cost the same on repeats, memory stays small
    texts = (texts * (count // len(texts) + 1))[:count]
    return pl.DataFrame({"post_key": [f"bench/{i}" for i in range(count)], "text": texts})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    args = parser.parse_args()

    from orchestration.entities import patterns, scan
    from orchestration.entities.match import match_entities

    t0 = time.perf_counter()
    patterns.pattern_table()
    patterns.compact_table()
    print(f"reference load + pattern build: {time.perf_counter() - t0:.2f} s (once per process)")

    posts = synthetic_posts(args.posts)
    mb = posts["text"].str.len_bytes().sum() / 1e6
    print(f"posts: {posts.height:,}  text: {mb:,.1f} MB  Polars threads: {pl.thread_pool_size()}")
    prepared = scan.prepare(posts)
    for label, step in [
        ("word pass", lambda: scan.word_hits(prepared)),
        ("hashtags", lambda: scan.hashtag_hits(prepared)),
        ("flags", lambda: scan.flag_hits(prepared)),
        ("match_entities (all)", lambda: match_entities(posts)),
    ]:
        t0 = time.perf_counter()
        result = step()
        elapsed = time.perf_counter() - t0
        print(
            f"{label:<22} {elapsed:7.2f} s  {posts.height / elapsed:>12,.0f} posts/s  "
            f"{mb / elapsed:7.1f} MB/s"
        )
    matches = result
    print(
        f"country mentions: {matches.country_mentions.height:,}  leader mentions: "
        f"{matches.leader_mentions.height:,}  leaders: {matches.leaders.height:,}"
    )


if __name__ == "__main__":
    main()
