"""Synthetic posts as a pure function of (spec, global index).

Posts are generated in fixed chunks of `spec.chunk_size`; chunk c draws from
`np.random.default_rng([seed, c, stream])`, so any range of indices can be produced alone and
[0, N) + [N, M) gives exactly the posts of [0, M). Stream 0 holds what message ids depend on
(channel, media, album size, pins) and is cheap to replay for the earlier chunks; stream 1
holds everything else.

Message ids: id 1 is the channel's creation (a service message); every post takes the next id,
an album also takes one id per further item (they never appear as posts, as on the web
preview), and a pin takes the id after its post.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from orchestration.bench.synthetic import profile
from orchestration.bench.synthetic import vocabulary as vocab

MEDIA_KINDS = tuple(profile.MEDIA_SHARES)  # code k+1 = MEDIA_KINDS[k]; 0 = no media
_VIDEO_LIKE = {"video", "video_too_big", "gif", "round_video"}
_SENTENCE_DRAWS = 32
_POOL_SIZE = 2048
_SLOT_GROWTH = 24  # the longest country or speaker name minus its 3-character placeholder


@dataclass(frozen=True)
class SyntheticSpec:
    """What to generate. Every post depends only on these fields and its index."""

    posts: int = 1_000_000
    channels: int = 20
    seed: int = 7
    start_date: dt.date = dt.date(2016, 1, 1)
    end_date: dt.date = dt.date(2026, 1, 1)  # index `posts` falls here; later ones continue
    export_utc_offset_hours: int = 3  # Desktop `date` is the exporting machine's local time
    posts_per_page: int = 20  # web-preview page size
    chunk_size: int = 10_000

    def __post_init__(self) -> None:
        if self.posts < 1 or self.channels < 1 or self.chunk_size < 1:
            raise ValueError("posts, channels and chunk_size must be positive")
        if self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")


@dataclass(slots=True)
class Post:
    """One post, ready for any of the three formats."""

    index: int
    channel: int
    message_id: int
    unixtime: int
    edited_unixtime: int | None
    segments: list[tuple[str, str, str | None]]  # (entity type, text, href); "plain" for text
    text: str  # segments joined: what every parser should read as the post text
    media: str | None  # a MEDIA_KINDS value
    album: int  # items of an album (0 otherwise)
    forward: tuple[str, str] | None  # (username, title) of the source channel
    forward_post: int  # message id in the source channel
    reply_to: int | None
    reply_text: str | None  # headline of the replied-to post
    author: str | None
    views: int
    reactions: list[tuple[str, int]]
    pin_id: int | None  # id of a pin service message right after the post
    language: str
    detail: int  # per-post number for file names, sizes, durations
    planted_leaders: tuple[str, ...]  # leader keys the text names
    planted_countries: tuple[str, ...]  # iso2 the text names (flags, names, hashtags, leaders)


def channel_list(spec: SyntheticSpec) -> tuple[vocab.Channel, ...]:
    return vocab.channels(spec.channels)


@cache
def _channel_weights(count: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** profile.CHANNEL_SKEW
    return weights / weights.sum()


@cache
def _media_probabilities() -> np.ndarray:
    shares = np.array(list(profile.MEDIA_SHARES.values()))
    return np.concatenate([[1.0 - shares.sum()], shares])


def _id_draws(
    spec: SyntheticSpec, chunk: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """channel, media code, album size, pin flag of a whole chunk (stream 0)."""
    rng = np.random.default_rng([spec.seed, chunk, 0])
    size = spec.chunk_size
    channel = rng.choice(spec.channels, size=size, p=_channel_weights(spec.channels))
    media = rng.choice(len(MEDIA_KINDS) + 1, size=size, p=_media_probabilities())
    album = np.where(media == MEDIA_KINDS.index("album") + 1, rng.integers(2, 7, size=size), 0)
    pin = rng.random(size) < profile.PIN_SHARE
    return channel, media, album, pin


def _extras(album: np.ndarray, pin: np.ndarray) -> np.ndarray:
    """Ids a post uses besides its own."""
    return np.maximum(album - 1, 0) + pin


_OFFSETS: dict[tuple, list[tuple[np.ndarray, np.ndarray]]] = {}


def _chunk_offsets(spec: SyntheticSpec, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """Posts and extra ids per channel in all chunks before `chunk` (replayed, then cached)."""
    key = (spec.seed, spec.channels, spec.chunk_size)
    table = _OFFSETS.setdefault(key, [(np.zeros(spec.channels, np.int64),) * 2])
    while len(table) <= chunk:
        done = len(table) - 1
        channel, _, album, pin = _id_draws(spec, done)
        counts = np.bincount(channel, minlength=spec.channels)
        extras = np.bincount(channel, weights=_extras(album, pin), minlength=spec.channels)
        before_counts, before_extras = table[-1]
        table.append((before_counts + counts, before_extras + extras.astype(np.int64)))
    return table[chunk]


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


class _ChunkDraws:
    """Every random number one chunk needs (stream 1), drawn in one fixed order."""

    def __init__(self, spec: SyntheticSpec, chunk: int, leaders: int):
        rng = np.random.default_rng([spec.seed, chunk, 1])
        n = spec.chunk_size
        self.time_jitter = rng.random(n)
        self.length = np.exp(rng.normal(np.log(profile.LENGTH_MEDIAN), profile.LENGTH_SIGMA, n))
        self.empty = rng.random(n) < profile.EMPTY_TEXT_SHARE
        kind = rng.random(n)
        self.kind = np.where(
            kind < profile.LEADER_SHARE,
            0,
            np.where(kind < 1 - profile.NO_ENTITY_SHARE, 1, 2),
        )
        self.template = rng.integers(0, 1 << 30, n)
        self.speaker = rng.choice(len(vocab.SPEAKERS), n, p=_normalized(vocab.SPEAKER_WEIGHTS))
        self.leader = rng.choice(leaders, n, p=_zipf(leaders, 0.9))
        self.country = rng.choice(len(vocab.COUNTRIES), n, p=_zipf(len(vocab.COUNTRIES), 0.8))
        self.country2 = rng.choice(len(vocab.COUNTRIES), n, p=_zipf(len(vocab.COUNTRIES), 0.8))
        self.flags = rng.random(n) < profile.FLAG_SHARE / (1 - profile.NO_ENTITY_SHARE)
        self.bold = rng.random(n) < profile.BOLD_HEADLINE_SHARE
        self.hashtag = rng.random(n) < profile.HASHTAG_SHARE
        self.theme = rng.random(n) < 0.25
        self.theme_tag = rng.integers(0, 5, n)
        self.link = rng.random(n) < profile.LINK_SHARE
        self.plain_link = rng.random(n) < 0.3
        self.mention = rng.random(n) < profile.MENTION_SHARE
        self.edited = rng.random(n) < profile.EDITED_SHARE
        self.edit_delay = np.exp(rng.normal(np.log(900), 1.8, n)).astype(np.int64) + 5
        self.forward = rng.random(n) < profile.FORWARD_SHARE
        self.source = rng.integers(0, 1 << 30, n)
        self.reply = rng.random(n) < profile.REPLY_SHARE
        self.author = rng.random(n) < profile.AUTHOR_SHARE
        self.author_pick = rng.integers(0, 3, n)
        self.reacted = rng.random(n) < profile.REACTIONS_SHARE
        self.reaction_kinds = rng.integers(1, 4, n)
        self.reaction_base = np.exp(rng.normal(np.log(40), 1.0, n)).astype(np.int64) + 1
        self.views_noise = np.exp(rng.normal(0.0, profile.VIEWS_SIGMA, n))
        self.sentences = rng.integers(0, 1 << 30, (n, _SENTENCE_DRAWS))
        self.detail = rng.integers(1, 1 << 31, n)
        self.event_lag = rng.integers(0, 3, n)
        # Python lists: the per-post code reads single values, which numpy makes slow
        for name, value in vars(self).items():
            setattr(self, name, value.tolist())


@cache
def _paragraphs(language: str, neutral: bool) -> tuple[list[str], list[int], list[int]]:
    """A fixed pool of body paragraphs (1-3 sentences, or a quote), with their lengths and
    number of {C}/{S} placeholders; `neutral` pools name no country. Built once from a constant
    seed, so posts only pick indices."""
    rng = np.random.default_rng(20_250_510)
    sentences = vocab.SENTENCES[language]
    plain = sentences[: vocab.SENTENCES_WITH_COUNTRY_FROM] if neutral else sentences
    quotes = vocab.QUOTES[language]
    pool = []
    for _ in range(_POOL_SIZE):
        if not neutral and rng.random() < 0.12:
            pool.append(f"{vocab.QUOTE_MARK} {{S}}: " + quotes[rng.integers(len(quotes))])
            continue
        count = int(rng.integers(1, 4))
        picks = rng.choice(len(plain), size=count, replace=False)
        pool.append(" ".join(plain[i] for i in picks))
    return pool, [len(p) for p in pool], [p.count("{") for p in pool]


def _normalized(weights) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


@cache
def _zipf(count: int, exponent: float) -> np.ndarray:
    return _normalized(1.0 / np.arange(1, count + 1) ** exponent)


@cache
def _views_medians(count: int) -> np.ndarray:
    weights = _channel_weights(count)
    return profile.VIEWS_MIN_MEDIAN + (profile.VIEWS_TOP_MEDIAN - profile.VIEWS_MIN_MEDIAN) * (
        weights / weights[0]
    )


def chunk_posts(spec: SyntheticSpec, chunk: int) -> list[Post]:
    """All posts of one chunk, in index order."""
    channel, media, album, pin = _id_draws(spec, chunk)
    before_counts, before_extras = _chunk_offsets(spec, chunk)
    n = spec.chunk_size
    ordinal = np.empty(n, np.int64)
    message_id = np.empty(n, np.int64)
    previous = np.full(n, -1, np.int64)  # position in the chunk of the channel's previous post
    extras = _extras(album, pin)
    for k in range(spec.channels):
        rows = np.flatnonzero(channel == k)
        if rows.size == 0:
            continue
        ordinal[rows] = before_counts[k] + np.arange(rows.size)
        used = np.cumsum(extras[rows]) - extras[rows]
        message_id[rows] = 2 + ordinal[rows] + before_extras[k] + used
        previous[rows[1:]] = rows[:-1]

    leaders = vocab.foreign_leaders()
    draws = _ChunkDraws(spec, chunk, len(leaders))
    start = _epoch(spec.start_date)
    days = (spec.end_date - spec.start_date).days
    index = chunk * n + np.arange(n)
    position = (index + draws.time_jitter) * (days / spec.posts)
    day = np.floor(position)
    unixtime = (start + day * 86400 + 5 * 3600 + (position - day) * 15 * 3600).astype(np.int64)
    views = np.maximum(1, (_views_medians(spec.channels)[channel] * draws.views_noise)).astype(
        np.int64
    )
    event = (unixtime - 86400 * np.asarray(draws.event_lag)).astype("datetime64[s]")
    years = event.astype("datetime64[Y]").astype(np.int64) + 1970
    months = event.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days_of_month = (event.astype("datetime64[D]") - event.astype("datetime64[M]")).astype(
        np.int64
    ) + 1
    draws.event_date = list(
        zip(years.tolist(), months.tolist(), days_of_month.tolist(), strict=True)
    )
    channels = channel_list(spec)
    posts: list[Post] = []
    for row in range(n):
        ch = channels[int(channel[row])]
        kind_code = int(media[row])
        posts.append(
            _build_post(
                row,
                int(index[row]),
                int(channel[row]),
                ch,
                int(message_id[row]),
                int(unixtime[row]),
                MEDIA_KINDS[kind_code - 1] if kind_code else None,
                int(album[row]),
                bool(pin[row]),
                int(views[row]),
                draws,
                leaders,
            )
        )
    for row in range(n):
        post = posts[row]
        if post.reply_to is not None:  # marked in _build_post; bind to the previous post
            before = int(previous[row])
            if before < 0 or not posts[before].text:
                post.reply_to = None
            else:
                post.reply_to = posts[before].message_id
                post.reply_text = posts[before].text.split("\n", 1)[0]
    return posts


def _build_post(
    row,
    index,
    channel_no,
    channel,
    message_id,
    unixtime,
    media,
    album,
    pinned,
    views,
    d: _ChunkDraws,
    leaders,
) -> Post:
    lang = channel.language
    has_text = not d.empty[row] or media is None or media in _VIDEO_LIKE
    if media == "poll":
        has_text = False
    segments: list[tuple[str, str, str | None]] = []
    planted_leaders: list[str] = []
    planted_countries: list[str] = []
    if has_text:
        _write_text(
            row, lang, unixtime, media, d, leaders, segments, planted_leaders, planted_countries
        )
    text = "".join([segment[1] for segment in segments])
    forward = None
    if d.forward[row] and has_text:
        sources = vocab.FORWARD_SOURCES[lang]
        forward = sources[int(d.source[row]) % len(sources)]
    edited = unixtime + int(d.edit_delay[row]) if d.edited[row] else None
    reactions = []
    if d.reacted[row] and unixtime >= profile.REACTIONS_SINCE:
        base = int(d.reaction_base[row])
        reactions = [
            (vocab.REACTION_EMOJI[(index + j) % len(vocab.REACTION_EMOJI)], max(1, base >> j))
            for j in range(int(d.reaction_kinds[row]))
        ]
    return Post(
        index=index,
        channel=channel_no,
        message_id=message_id,
        unixtime=unixtime,
        edited_unixtime=edited,
        segments=segments,
        text=text,
        media=media,
        album=album,
        forward=forward,
        forward_post=int(d.source[row]) % 50_000 + 1,
        reply_to=-1 if (d.reply[row] and has_text and forward is None) else None,
        reply_text=None,
        author=vocab.AUTHORS[lang][int(d.author_pick[row])] if d.author[row] else None,
        views=views,
        reactions=reactions,
        pin_id=message_id + max(album, 1) if pinned else None,
        language=lang,
        detail=int(d.detail[row]),
        planted_leaders=tuple(planted_leaders),
        planted_countries=tuple(dict.fromkeys(planted_countries)),
    )


def _write_text(
    row,
    lang,
    unixtime,
    media,
    d: _ChunkDraws,
    leaders,
    segments,
    planted_leaders,
    planted_countries,
) -> None:
    """Headline, body paragraphs, link, mention and hashtags, as entity segments."""
    kind = ("leader", "country", "none")[int(d.kind[row])]
    templates = vocab.HEADLINES[lang][kind]
    template = templates[int(d.template[row]) % len(templates)]
    speaker = vocab.SPEAKERS[int(d.speaker[row])]
    column = vocab.LANGUAGES.index(lang) + 1
    country = int(d.country[row])
    leader_iso = None
    fields = {"S": speaker[column], "Z": vocab.SPEAKERS[vocab.ZAKHAROVA][column]}
    if kind == "leader":
        key, _, leader_iso, names = leaders[int(d.leader[row])]
        fields["L"] = names[column - 1]
        planted_leaders.append(key)
        if leader_iso:
            planted_countries.append(leader_iso)
            known = vocab.country_index(leader_iso)
            if known is not None:
                country = known
    year, month, day = d.event_date[row]
    fields["D"] = vocab.date_phrase(lang, year, month, day)
    fields["C"] = vocab.country_name(country, lang)
    flag_iso = leader_iso or vocab.COUNTRIES[country][0]
    if kind != "none" and d.flags[row]:
        fields["F"] = "🇷🇺" + vocab.flag_of(flag_iso)
        planted_countries.extend(("RU", flag_iso))
    else:
        fields["F"] = "🤝" if kind == "leader" else "📌"
    headline = template.format_map(fields)
    if "{S}" in template or "{Z}" in template:
        planted_leaders.append(speaker[0] if "{S}" in template else "maria-zakharova")
    if kind != "none" and "{C}" in template:
        planted_countries.append(vocab.COUNTRIES[country][0])
    segments.append(("bold" if d.bold[row] else "plain", headline, None))

    # room for the link, mention and hashtag paragraphs added after the body
    limit = (profile.MAX_CAPTION_CHARS if media else profile.MAX_TEXT_CHARS) - 150
    target = min(d.length[row], limit)
    pool, lengths, slots = _paragraphs(lang, kind == "none")
    size = len(pool)
    length = len(headline)
    picks = d.sentences[row]
    body: list[str] = []
    for draw in range(_SENTENCE_DRAWS):
        pick = picks[draw] % size
        # placeholders grow by at most _SLOT_GROWTH characters each
        if body and length + 2 + lengths[pick] + _SLOT_GROWTH * slots[pick] > limit:
            break
        body.append(pool[pick])
        length += 2 + lengths[pick]
        if length >= target:
            break
    text = "\n\n".join(body)
    if "{S}" in text:
        text = text.replace("{S}", speaker[column])
        planted_leaders.append(speaker[0])
    if "{C}" in text:
        country2 = d.country2[row]
        text = text.replace("{C}", vocab.country_name(country2, lang))
        planted_countries.append(vocab.COUNTRIES[country2][0])
    body = [text] if text else []
    if body:
        segments.append(("plain", "\n\n" + text, None))
    if d.link[row]:
        url = f"{vocab.SITE[lang]}foreign_policy/news/{2_000_000 + int(d.detail[row]) % 100_000}/"
        if d.plain_link[row]:
            segments.append(("plain", "\n\n🔗 ", None))
            segments.append(("link", url, None))
        else:
            segments.append(("plain", "\n\n🔗 ", None))
            segments.append(("text_link", vocab.READ_MORE[lang], url))
    if d.mention[row]:
        segments.append(("plain", f"\n\n{vocab.FOLLOW[lang]} ", None))
        segments.append(("mention", vocab.FOLLOW_MENTION[lang], None))
    if d.hashtag[row] and kind != "none":
        segments.append(("plain", "\n\n", None))
        segments.append(("hashtag", vocab.country_hashtag(country, lang), None))
        planted_countries.extend(("RU", vocab.COUNTRIES[country][0]))
        if d.theme[row]:
            segments.append(("plain", " ", None))
            segments.append(("hashtag", vocab.THEME_TAGS[lang][int(d.theme_tag[row])], None))
    _merge_plain(segments)


def _merge_plain(segments: list) -> None:
    """Adjacent plain pieces become one, as Telegram Desktop writes them."""
    merged = []
    for segment in segments:
        if merged and segment[0] == "plain" and merged[-1][0] == "plain":
            merged[-1] = ("plain", merged[-1][1] + segment[1], None)
        else:
            merged.append(segment)
    segments[:] = merged


def posts_in_range(spec: SyntheticSpec, start: int = 0, stop: int | None = None):
    """Posts with start <= index < stop, chunk by chunk (a generator of lists)."""
    stop = spec.posts if stop is None else stop
    if start < 0 or stop < start:
        raise ValueError(f"bad range [{start}, {stop})")
    size = spec.chunk_size
    for chunk in range(start // size, (stop + size - 1) // size):
        posts = chunk_posts(spec, chunk)
        low = max(start - chunk * size, 0)
        high = min(stop - chunk * size, size)
        yield posts[low:high]
