{#-
    How complete each channel's history is, month by month. Message ids count up by one per
    message in a channel, so an id never seen is a message deleted, or not collected. An id is
    seen when a post or a service message carries it; an album takes one id per item, so a post
    with n media items holds its id and the n - 1 after it (never past the next id seen). The
    never-seen ids just below a seen id count in that id's month; those inside a range a
    scraped page showed whole (int_covered_id_ranges) were not there when the page was read.

    A table, like the other audit tables: one aggregation over the incremental facts.
-#}
{{ config(alias='coverage') }}

with posts as (
    select
        post_key,
        channel,
        message_id,
        published_at,
        views,
        is_forward,
        is_reply,
        reply_to_post_key,
        media_count,
        country_count,
        leader_count
    from {{ ref('fct_posts') }}
    where message_id is not null
),

forwards_resolved as (
    select distinct post_key
    from {{ ref('fct_channel_citations') }}
    where kind = 'forward' and cited_channel is not null
),

service_messages as (
    select channel, message_id, published_at
    from {{ ref('int_service_messages_deduplicated') }}
    where message_id is not null
),

ids_seen as (
    select
        posts.channel,
        posts.message_id,
        posts.published_at,
        greatest(coalesce(posts.media_count, 0), 1) as ids_taken,
        true as is_post,
        posts.views is not null as has_views,
        posts.is_forward,
        posts.is_forward and forwards_resolved.post_key is not null as forward_resolved,
        posts.is_reply,
        posts.is_reply and posts.reply_to_post_key is not null as reply_resolved,
        posts.country_count > 0 or posts.leader_count > 0 as has_entities
    from posts
    left join forwards_resolved on forwards_resolved.post_key = posts.post_key
    union all
    select
        channel,
        message_id,
        published_at,
        1 as ids_taken,
        false as is_post,
        false as has_views,
        false as is_forward,
        false as forward_resolved,
        false as is_reply,
        false as reply_resolved,
        false as has_entities
    from service_messages
),

-- One row per id (a post wins over a service message of the same id), with the last id it
-- holds: an album's items, cut short where the next id seen begins.
spans as (
    select
        *,
        least(
            message_id + ids_taken - 1,
            coalesce(lead(message_id) over by_id - 1, message_id + ids_taken - 1)
        ) as last_id_held
    from (
        select *
        from ids_seen
        qualify row_number() over (partition by channel, message_id order by is_post desc) = 1
    )
    window by_id as (partition by channel order by message_id)
),

-- The ids never seen just below each id seen: from the id after the previous one held (from
-- id 1 below a channel's first id seen) up to this id.
gaps as (
    select
        *,
        coalesce(lag(last_id_held) over (partition by channel order by message_id), 0) + 1
            as gap_from,
        message_id - 1 as gap_to
    from spans
),

gaps_in_scraped_ranges as (
    select
        gaps.channel,
        gaps.message_id,
        sum(least(gaps.gap_to, covered.to_id) - greatest(gaps.gap_from, covered.from_id) + 1)
            as ids
    from gaps
    inner join {{ ref('int_covered_id_ranges') }} as covered
        on covered.channel = gaps.channel
        and covered.from_id <= gaps.gap_to
        and covered.to_id >= gaps.gap_from
    where gaps.gap_to >= gaps.gap_from
    group by gaps.channel, gaps.message_id
),

by_month as (
    select
        gaps.channel,
        cast(date_trunc('month', timezone('UTC', gaps.published_at)) as date) as month_start,
        min(gaps.message_id) as lowest_message_id,
        max(gaps.last_id_held) as highest_message_id,
        sum(gaps.last_id_held - gaps.message_id + 1) as ids_seen,
        sum(greatest(gaps.gap_to - gaps.gap_from + 1, 0)) as ids_never_seen,
        coalesce(sum(in_ranges.ids), 0) as ids_missing_in_scraped_ranges,
        count(*) filter (where gaps.is_post) as posts,
        count(*) filter (where not gaps.is_post) as service_messages,
        count(*) filter (where gaps.has_views) as posts_with_views,
        count(*) filter (where gaps.is_forward) as forwards,
        count(*) filter (where gaps.forward_resolved) as forwards_resolved,
        count(*) filter (where gaps.is_reply) as replies,
        count(*) filter (where gaps.reply_resolved) as replies_resolved,
        count(*) filter (where gaps.has_entities) as posts_with_entities
    from gaps
    left join gaps_in_scraped_ranges as in_ranges
        on in_ranges.channel = gaps.channel
        and in_ranges.message_id = gaps.message_id
    group by all
),

final as (
    select
        channel,
        month_start,
        lowest_message_id,
        highest_message_id,
        ids_seen,
        ids_never_seen,
        ids_missing_in_scraped_ranges,
        round(ids_seen / (ids_seen + ids_never_seen), 4) as id_completeness,
        posts,
        service_messages,
        round(posts_with_views / nullif(posts, 0), 4) as share_with_views,
        forwards,
        round(forwards_resolved / nullif(forwards, 0), 4) as share_forwards_resolved,
        replies,
        round(replies_resolved / nullif(replies, 0), 4) as share_replies_resolved,
        round(posts_with_entities / nullif(posts, 0), 4) as share_with_country_or_leader
    from by_month
)

select * from final
