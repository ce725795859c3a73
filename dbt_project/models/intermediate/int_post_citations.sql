{#-
    What each post cites, one row per (post, cited channel, kind): the channel a forward comes
    from (by its link; a forward without one keeps only its display name, resolved in
    fct_channel_citations), the channels its t.me links point at, the channels it @mentions.
    A channel's links to and mentions of itself are not citations; its forwards of its own
    posts are kept, as fct_posts counts them among its forwards.
-#}
with posts as (
    select post_key, channel, forwarded_from, forwarded_from_link, links, mentions
    from {{ ref('int_posts_resolved') }}
),

forwards as (
    select
        post_key,
        channel,
        'forward' as kind,
        {{ telegram_link_channel('forwarded_from_link') }} as cited_channel,
        {{ telegram_link_message_id('forwarded_from_link') }} as cited_message_id,
        nullif(trim(forwarded_from), '') as forwarded_from,
        1 as reference_count
    from posts
    where forwarded_from is not null or forwarded_from_link is not null
),

linked as (
    select
        post_key,
        channel,
        unnest(links) as link,
        generate_subscripts(links, 1) as position
    from posts
    where len(links) > 0
),

link_targets as (
    select
        post_key,
        channel,
        position,
        {{ telegram_link_channel('link') }} as cited_channel,
        {{ telegram_link_message_id('link') }} as cited_message_id
    from linked
    where link ilike '%t.me/%' or link ilike '%telegram.me/%'
),

-- Several links of one post to one channel (two of its posts, say) are one citation of it,
-- with the message id of the first link that names one.
links as (
    select
        post_key,
        any_value(channel) as channel,
        'link' as kind,
        cited_channel,
        arg_min(cited_message_id, position) filter (
            where cited_message_id is not null
        ) as cited_message_id,
        null::varchar as forwarded_from,
        count(*) as reference_count
    from link_targets
    where cited_channel is not null
        and cited_channel not in {{ telegram_reserved_paths() }}
        and cited_channel <> channel
    group by post_key, cited_channel
),

mentioned as (
    select post_key, channel, unnest(mentions) as cited_channel
    from posts
    where len(mentions) > 0
),

mentions as (
    select
        post_key,
        any_value(channel) as channel,
        'mention' as kind,
        cited_channel,
        null::bigint as cited_message_id,
        null::varchar as forwarded_from,
        count(*) as reference_count
    from mentioned
    where cited_channel <> channel
    group by post_key, cited_channel
),

final as (
    select * from forwards
    union all by name
    select * from links
    union all by name
    select * from mentions
)

select
    post_key,
    channel,
    kind,
    cited_channel,
    cited_message_id,
    forwarded_from,
    cast(reference_count as integer) as reference_count
from final
