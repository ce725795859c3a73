{#-
    One row per post. Replies are resolved to the replied post within the same channel: by
    message id where the source gives one, else (text copies) by the quoted text when exactly one
    other post of the channel starts with it.

    Incremental: a run resolves again only the posts its new batches touch (resolved_posts,
    reading the files of their kept copies, not the history), and resolves the reply again of
    the posts built before that reply to a touched message id, and of the quoted-text replies of
    the channels involved; the other rows stay as they are. `dbt build --full-refresh` rebuilds
    every row the same way.
-#}
{{ config(materialized='incremental', unique_key='post_key', incremental_strategy='delete+insert') }}
-- depends_on: {{ ref('stg_posts') }}
-- depends_on: {{ ref('int_post_versions_ranked') }}

with
{% if is_incremental() -%}
touched as (
    select distinct post_key, channel, message_id
    from {{ ref('stg_posts') }}
    where batch_id in {{ new_batches() }}
),

-- Only the touched posts are resolved again, from the few files holding their kept copies.
posts as (
    {{ resolved_posts(touched_post_keys()) | indent(4) }}
),
{%- else -%}
posts as (
    select * from {{ ref('int_posts_resolved') }}
),
{%- endif %}

country_counts as (
    select post_key, count(distinct iso2) as country_count
    from {{ ref('int_country_mentions_current') }}
    {%- if is_incremental() %}
    where post_key in (select post_key from touched)
    {%- endif %}
    group by post_key
),

leader_counts as (
    select post_key, count(distinct leader_key) as leader_count
    from {{ ref('int_leader_mentions_current') }}
    {%- if is_incremental() %}
    where post_key in (select post_key from touched)
    {%- endif %}
    group by post_key
),

-- Each post's columns, its reply still to resolve.
described as (
    select
        posts.post_key,
        posts.channel,
        posts.message_id,
        posts.published_at,
        cast(timezone('UTC', posts.published_at) as date) as published_date,
        posts.event_date,
        coalesce(cast(timezone('UTC', posts.published_at) as date), posts.event_date) as post_date,
        posts.text,
        length(posts.text) as text_length,
        posts.views,
        posts.reactions_total,
        posts.forwards,
        posts.replies,
        posts.reactions,
        posts.forwarded_from,
        posts.forwarded_from_link,
        (posts.forwarded_from is not null or posts.forwarded_from_link is not null) as is_forward,
        posts.reply_to_message_id,
        -- resolved in final, against every post of the channel
        cast(null as varchar) as reply_to_post_key,
        cast(null as varchar) as reply_resolved_by,
        posts.reply_to_text,
        (posts.reply_to_message_id is not null or posts.reply_to_text is not null) as is_reply,
        posts.media_kind,
        posts.media_kinds,
        posts.media_count,
        posts.poll_question,
        posts.hashtags,
        posts.mentions,
        posts.links,
        posts.is_edited,
        posts.edited_at,
        posts.language,
        posts.author,
        coalesce(country_counts.country_count, 0) as country_count,
        coalesce(leader_counts.leader_count, 0) as leader_count,
        posts.source_format,
        posts.source_file,
        posts.batch_id
    from posts
    left join country_counts on country_counts.post_key = posts.post_key
    left join leader_counts on leader_counts.post_key = posts.post_key
),

{% if is_incremental() -%}
-- Posts built before that the touched ones may now give a reply target: those replying to a
-- touched message id, and the quoted-text replies of the channels involved. Only their reply
-- is resolved again; the rest of their row is as built. Found on narrow columns first.
replies_again_keys as (
    select previous.post_key
    from {{ this }} as previous
    where previous.post_key not in (select post_key from touched)
        and (
            exists (
                select 1 from touched
                where touched.channel = previous.channel
                    and touched.message_id = previous.reply_to_message_id
            )
            or (
                previous.reply_to_message_id is null
                and previous.reply_to_text is not null
                and previous.channel in (select channel from touched)
            )
        )
),

rebuilt as (
    select * from described
    union all by name
    select * from {{ this }}
    where post_key in (select post_key from replies_again_keys)
),

-- What a reply can point at: the rebuilt posts and every other post built before.
reply_targets as (
    select post_key, channel, message_id from described
    union all
    select post_key, channel, message_id from {{ this }}
    where post_key not in (select post_key from touched)
),
{%- else -%}
rebuilt as (
    select * from described
),

reply_targets as (
    select post_key, channel, message_id from described
),
{%- endif %}

replies_by_id as (
    select
        reply.post_key,
        replied.post_key as reply_to_post_key
    from rebuilt as reply
    inner join reply_targets as replied
        on replied.channel = reply.channel
        and replied.message_id = reply.reply_to_message_id
),

-- Quoted text is often cut short ("..." / "…") and its whitespace collapsed.
quoted_replies as (
    select
        post_key,
        channel,
        regexp_replace(
            rtrim(trim(reply_to_text), '.… '), '\s+', ' ', 'g'
        ) as quoted_prefix
    from rebuilt
    where reply_to_message_id is null
        and reply_to_text is not null
),

-- The texts a quote can match: only in the channels of the quoted-text replies rebuilt.
quote_targets as (
    select post_key, channel, text from described
    where channel in (select channel from quoted_replies)
    {%- if is_incremental() %}
    union all
    select post_key, channel, text from {{ this }}
    where channel in (select channel from quoted_replies)
        and post_key not in (select post_key from touched)
    {%- endif %}
),

replies_by_quote as (
    select
        quoted.post_key,
        replied.post_key as reply_to_post_key
    from quoted_replies as quoted
    inner join quote_targets as replied
        on replied.channel = quoted.channel
        and replied.post_key <> quoted.post_key
        and starts_with(regexp_replace(replied.text, '\s+', ' ', 'g'), quoted.quoted_prefix)
    where length(quoted.quoted_prefix) >= 12
    qualify count(*) over (partition by quoted.post_key) = 1
),

final as (
    select rebuilt.* replace (
        coalesce(replies_by_id.reply_to_post_key, replies_by_quote.reply_to_post_key)
            as reply_to_post_key,
        case
            when replies_by_id.reply_to_post_key is not null then 'message_id'
            when replies_by_quote.reply_to_post_key is not null then 'quoted_text'
        end as reply_resolved_by
    )
    from rebuilt
    left join replies_by_id on replies_by_id.post_key = rebuilt.post_key
    left join replies_by_quote on replies_by_quote.post_key = rebuilt.post_key
)

select * from final
