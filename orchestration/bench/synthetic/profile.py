"""Target distributions of the synthetic posts, and where each number comes from.

Measured on 2025-11-28 with `orchestration.ingest.parsing.parse_file` + `normalize_posts` +
`match_entities` over:

- S  = orchestration/sample_data (61 posts, 4 service; MFA en/ru/es/fr, invented but modelled on
  the real channels),
- RT = shared/data/real/text_copy (12 real @mfa_russia posts, May 2025),
- RW = shared/data/real/web_preview/full.html (12 real posts of a Russian news channel) and the
  12 single-message pages,
- RD = shared/data/real/desktop_export (908 posts + 16 service messages of a Chinese library
  channel: used for the export's *shape* and the structural rates, not for the text).

| what                              | S      | RT     | RW full | RW singles | RD     | target |
|-----------------------------------|--------|--------|---------|------------|--------|--------|
| text length median (chars)        | 207    | 2236   | 236     | 75         | 324    | ~280   |
| text length p90                   | 337    | 3610   | 933     | 166        | 688    | ~1100  |
| share without text                | 0.016  | 0      | 0       | 0.25       | 0.26   | 0.03   |
| share with media                  | 0.51   | 0.33   | 0.58    | 0.58       | 0.56   | 0.52   |
| share forwarded                   | 0.115  | 0.17   | 0.42    | 0.25       | 0      | 0.12   |
| share replies                     | 0.066  | 0.08*  | 0       | 0          | 0.09   | 0.06   |
| share edited                      | 0.098  | -      | 0       | 0.08       | 0.97** | 0.10   |
| share with author signature       | 0.049  | 0      | 0       | 0.17       | 0.56** | 0.05   |
| share with links                  | 0.13   | 0      | 0.08    | 0.42       | 0.74   | 0.15   |
| reactions (export)            | 0.13   | -      | -       | -          | 0.35   | 0.35 (2022+) |
| share with a hashtag              | 0.62   | 0.67   | 0       | 0.08       | 0.74   | 0.62   |
| share with a flag emoji           | 0.57   | 0.42   | 0       | 0          | 0      | 0.55   |
| share with >= 1 country (matcher) | 0.98   | 1.00   | 0.58    | 0.08       | 0.01   | ~0.90  |
| share with >= 1 leader (matcher)  | 0.86   | 0.75   | 0.08    | 0.08       | 0.00   | ~0.70  |
| service messages per post     | 0.066  | -      | 0       | 0          | 0.018  | 0.015+create |
| views (median, web preview)       | 6.1K   | -      | 30K     | 59K        | -      | by channel |

\\* reply quotes in the text copy. \\*\\* a one-author library channel that edits everything;
not representative of MFA channels, so S decides.

Media kinds (S, RW, RD pooled): photo dominates (~60 % of media posts), then video (~20 %),
albums, "Media is too big" videos, documents, link previews; polls, voice, round videos,
stickers and GIFs are rare (RD: 1 poll, 1 sticker, 1 audio in 908 posts).

Top leaders in S: Lavrov 22, Putin 16, Zakharova 11 mentions, then foreign counterparts (Wang
Yi, Xi Jinping, Modi); top countries: RU in almost every post, then UA, CN, IN, VN, FR, GB.
Views are shown as "905", "1.2K", "12.4K", "171.9K" (one decimal, "29.0K" kept).
Message ids advance by 1 (RD: 866 of 923 steps), with gaps of 2-5 for albums and deleted posts.
"""

from __future__ import annotations

# Text: log-normal length target (chars); Telegram's limits cap it (4096 text, 1024 caption).
LENGTH_MEDIAN = 280
LENGTH_SIGMA = 1.0
MAX_TEXT_CHARS = 4000
MAX_CAPTION_CHARS = 1000

EMPTY_TEXT_SHARE = 0.03  # media-only posts (photo or video without caption), polls
FORWARD_SHARE = 0.12
REPLY_SHARE = 0.06
EDITED_SHARE = 0.10
AUTHOR_SHARE = 0.05
LINK_SHARE = 0.15
HASHTAG_SHARE = 0.62
FLAG_SHARE = 0.55  # headlines opening with flags ("🇷🇺🇪🇬"); the rest open with another emoji
BOLD_HEADLINE_SHARE = 0.3
MENTION_SHARE = 0.03
PIN_SHARE = 0.015
REACTIONS_SHARE = 0.35  # of posts after REACTIONS_SINCE (Telegram added reactions in Dec 2021)
REACTIONS_SINCE = 1_640_995_200  # 2022-01-01 UTC

# Entity planting: share of posts whose template names a leader / no country at all.
LEADER_SHARE = 0.72
NO_ENTITY_SHARE = 0.07

# Media kinds: share of all posts (the rest have none). Albums hold 2-6 items.
MEDIA_SHARES = {
    "photo": 0.29,
    "album": 0.06,
    "video": 0.10,
    "video_too_big": 0.02,
    "document": 0.015,
    "gif": 0.01,
    "poll": 0.005,
    "voice": 0.003,
    "round_video": 0.002,
    "sticker": 0.002,
}

# Channel sizes: Zipf weights 1/(rank+1)**CHANNEL_SKEW over the channel list.
CHANNEL_SKEW = 1.0
# Languages of the non-MFA channels.
LANGUAGE_SHARES = {"en": 0.35, "ru": 0.35, "es": 0.15, "fr": 0.15}

# Views on web-preview pages: log-normal around a channel median that scales with its size.
VIEWS_TOP_MEDIAN = 30_000
VIEWS_MIN_MEDIAN = 700
VIEWS_SIGMA = 0.6
