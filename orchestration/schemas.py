"""Column contracts between the layers: parsers -> raw Parquet -> normalized Parquet -> dbt.

Every producer casts to these schemas and every consumer may rely on them, so the layers can
change inside without breaking each other.
"""

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")

SOURCE_FORMATS = ("web_preview", "desktop_export", "text_copy", "telethon_jsonl")

# Media kinds a post can carry. One post may carry several (an album of photos and a video).
MEDIA_KINDS = (
    "photo",
    "video",
    "video_too_big",  # "Media is too big": a video the web preview will not play
    "gif",
    "voice",
    "audio",
    "round_video",
    "sticker",
    "document",
    "poll",
    "link_preview",
    "location",
    "contact",
    "unsupported",  # "This media is not supported in your browser" with nothing more specific
)

# Reactions per emoji: the emoji itself, "custom:<document id>" for a custom emoji, "paid" for
# paid (Telegram Stars) reactions.
REACTIONS = pl.List(pl.Struct({"emoji": pl.String, "count": pl.Int64}))

# One record per post as the source file gave it; nothing cleaned yet.
RAW_POST_SCHEMA = {
    "source_format": pl.String,
    "source_file": pl.String,  # path as given when ingested
    "source_position": pl.Int64,  # 0-based index of the record inside its file
    "channel": pl.String,  # username as written in the source (case kept), or a title-derived name
    "channel_title": pl.String,
    "message_id": pl.Int64,  # null where the source has none (text copies)
    "content_key": pl.String,  # stable content-derived key for records without message_id
    "published_at": UTC_TIME,
    "edited_at": UTC_TIME,
    "is_edited": pl.Boolean,
    "text": pl.String,  # the post's own text, entities decoded into plain text, newlines kept
    "author": pl.String,  # author signature
    "views": pl.Int64,
    "forwarded_from": pl.String,  # display name of the origin
    "forwarded_from_link": pl.String,  # https://t.me/<username>[/<id>] where known
    "reply_to_message_id": pl.Int64,
    "reply_to_text": pl.String,  # quoted text of the replied-to post (text copies, web previews)
    "media_kinds": pl.List(pl.String),  # values from MEDIA_KINDS, in order of appearance
    "media_count": pl.Int64,  # number of media items (albums count each item)
    "links": pl.List(pl.String),  # URLs the source marks as links (anchors, text_link entities)
    "poll_question": pl.String,
    "reactions_total": pl.Int64,
    # what only API collectors (telethon_jsonl) see; null from the other formats
    "forwards": pl.Int64,  # times the post was forwarded
    "replies": pl.Int64,  # comments in the channel's discussion group
    "reactions": REACTIONS,  # per emoji, in the order the source lists them
}

# Channel header as seen in one source file (web preview header, text copy header, export name).
RAW_HEADER_SCHEMA = {
    "source_format": pl.String,
    "source_file": pl.String,
    "channel": pl.String,
    "title": pl.String,
    "description": pl.String,
    "subscribers": pl.Int64,
    "photos": pl.Int64,
    "videos": pl.Int64,
    "files": pl.Int64,
    "links": pl.Int64,
    "observed_at": UTC_TIME,  # when the header was read (file mtime or ingest time if unknown)
}

# Service messages (pins, joins, title changes...) are kept apart from posts.
RAW_SERVICE_SCHEMA = {
    "source_format": pl.String,
    "source_file": pl.String,
    "source_position": pl.Int64,
    "channel": pl.String,
    "message_id": pl.Int64,
    "published_at": UTC_TIME,
    "action": pl.String,
    "actor": pl.String,
    "text": pl.String,
}

# A record that could not be parsed: kept with its reason, never dropped silently.
REJECT_SCHEMA = {
    "source_file": pl.String,
    "source_format": pl.String,
    "source_position": pl.Int64,
    "reason": pl.String,
    "excerpt": pl.String,  # first ~200 characters of the offending record
}

# One row per ingested file (written last, so its presence means the batch landed whole).
INGESTED_FILE_SCHEMA = {
    "batch_id": pl.String,  # sha256 of the content (+ channel override), hex
    "source_file": pl.String,
    "source_format": pl.String,
    "content_sha256": pl.String,
    "size_bytes": pl.Int64,
    "records_read": pl.Int64,
    "records_rejected": pl.Int64,
    "service_messages": pl.Int64,
    "ingested_at": UTC_TIME,
    # A scraped page: the channel and the inclusive message-id range it showed whole (every id
    # in it that is not on the page was not there when it was read). Null for other files.
    "covered_channel": pl.String,
    "covered_from_id": pl.Int64,
    "covered_to_id": pl.Int64,
}

# A batch the user removed (`tgwh batches remove`): the audit keeps what it was.
REMOVED_BATCH_SCHEMA = {
    "batch_id": pl.String,
    "source_file": pl.String,
    "source_format": pl.String,
    "ingested_at": UTC_TIME,
    "removed_at": UTC_TIME,
    "reason": pl.String,
}

# The typed, cleaned, deduplicated posts table the dbt staging layer reads.
NORMALIZED_POST_SCHEMA = {
    "post_key": pl.String,  # "<channel>/<message_id>" or "<channel>/c<content_key>"
    "channel": pl.String,  # lower-case username
    "message_id": pl.Int64,
    "published_at": UTC_TIME,
    "event_date": pl.Date,  # a date the text names, e.g. "(May 10, 2025)"; else null
    "text": pl.String,  # cleaned text
    "hashtags": pl.List(pl.String),  # lower-case, without '#'
    "mentions": pl.List(pl.String),  # lower-case, without '@'
    "links": pl.List(pl.String),
    "views": pl.Int64,
    "forwarded_from": pl.String,
    "forwarded_from_link": pl.String,
    "reply_to_message_id": pl.Int64,
    "reply_to_text": pl.String,
    "media_kind": pl.String,  # first of media_kinds, null when none
    "media_kinds": pl.List(pl.String),
    "media_count": pl.Int64,
    "is_edited": pl.Boolean,
    "edited_at": UTC_TIME,
    "author": pl.String,
    "language": pl.String,  # ISO 639-1 code, or "und"
    "poll_question": pl.String,
    "reactions_total": pl.Int64,
    "forwards": pl.Int64,
    "replies": pl.Int64,
    "reactions": REACTIONS,
    "source_format": pl.String,
    "source_file": pl.String,
}

# Every time a post's view count was seen (each landed page or export): view growth over time.
POST_VIEW_SCHEMA = {
    "post_key": pl.String,
    "channel": pl.String,
    "message_id": pl.Int64,
    "observed_at": UTC_TIME,  # when the page or export carrying the count was landed
    "views": pl.Int64,
    "source_format": pl.String,
}

NORMALIZED_HEADER_SCHEMA = {
    "channel": pl.String,  # lower-case username
    "title": pl.String,
    "description": pl.String,
    "subscribers": pl.Int64,
    "photos": pl.Int64,
    "videos": pl.Int64,
    "files": pl.Int64,
    "links": pl.Int64,
    "observed_at": UTC_TIME,
    "source_format": pl.String,
    "source_file": pl.String,
}

COUNTRY_SCHEMA = {
    "iso2": pl.String,
    "iso3": pl.String,
    "name": pl.String,
    "official_name": pl.String,
    "flag_emoji": pl.String,
}

LEADER_SCHEMA = {
    "leader_key": pl.String,  # slug of the canonical name, e.g. "vladimir-putin"
    "name": pl.String,
    "role": pl.String,
    "country_iso2": pl.String,
    "source": pl.String,  # "reference" or "discovered"
    "aliases": pl.List(pl.String),
}

EVIDENCE_KINDS = ("flag", "name", "demonym", "capital", "hashtag", "leader")

COUNTRY_MENTION_SCHEMA = {
    "post_key": pl.String,
    "iso2": pl.String,
    "mention_count": pl.Int64,  # occurrences of all evidence kinds together
    "evidence": pl.List(pl.String),  # sorted distinct values from EVIDENCE_KINDS
}

# How a leader mention was resolved (entities/resolve.py): a title with the name, a person on
# no list found by their title, the full name, another form of it, a surname resolved by the
# post or the channel, an office without a name resolved on the post's date.
RESOLVED_BY = ("title_name", "discovered", "name", "alias", "surname", "title_date")

LEADER_MENTION_SCHEMA = {
    "post_key": pl.String,
    "leader_key": pl.String,
    "mention_count": pl.Int64,
    "resolved_by": pl.String,  # RESOLVED_BY; null from the plain name matcher
}

# One row per event a post reports (entities/events.py); CAMEO-based event_type.
DIPLOMATIC_EVENT_SCHEMA = {
    "post_key": pl.String,
    "event_type": pl.String,
    "actor1_leader_key": pl.String,
    "actor1_iso2": pl.String,
    "actor2_leader_key": pl.String,  # null for statements (010) and country actors
    "actor2_iso2": pl.String,
    "place": pl.String,  # English name of the city (else country) the post gives
    "event_date": pl.Date,  # the date the post gives, else its publication date (Moscow)
    "evidence": pl.String,  # the words that report it, as the matcher read them
    "position": pl.Int64,  # order of the event in the post
}

# Persons a batch names in full (or discovers), per channel: the layer table each batch reads
# to resolve a surname named earlier in the channel.
CHANNEL_PERSON_SCHEMA = {
    "channel": pl.String,
    "person_key": pl.String,
    "name": pl.String,
    "role": pl.String,
    "country_iso2": pl.String,
    "first_named_at": UTC_TIME,
}

# Who held which office when (entities/people.office_terms): the office table and past leaders.
OFFICE_TERM_SCHEMA = {
    "person_key": pl.String,
    "office": pl.String,
    "country_iso2": pl.String,
    "org_code": pl.String,
    "title_en": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "source": pl.String,
}


def empty_frame(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Select and cast exactly the schema's columns, adding missing ones as nulls."""
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
