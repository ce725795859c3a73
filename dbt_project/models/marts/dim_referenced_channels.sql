{#-
    Channels that posts cite (forward from, link to, @mention) but that the warehouse holds no
    post or header of: candidates to follow (`tgwh channels suggest`). Built whole from
    fct_channel_citations each run, like the other dimensions.
-#}
with citations as (
    select * from {{ ref('fct_channel_citations') }}
    where cited_channel is not null
        and cited_channel not in (select channel from {{ ref('dim_channels') }})
),

final as (
    select
        cited_channel as channel,
        'https://t.me/' || cited_channel as channel_url,
        -- a forward shows the origin's title as it was then: the latest one is the best guess
        arg_max(forwarded_from, coalesce(published_at, post_date::timestamptz)) filter (
            where kind = 'forward' and forwarded_from is not null
        ) as title,
        cast(count(distinct post_key) as integer) as citing_posts,
        cast(count(distinct post_key) filter (where kind = 'forward') as integer) as forward_posts,
        cast(count(distinct post_key) filter (where kind = 'link') as integer) as link_posts,
        cast(count(distinct post_key) filter (where kind = 'mention') as integer) as mention_posts,
        cast(sum(reference_count) as integer) as citations,
        cast(count(distinct channel) as integer) as citing_channel_count,
        list(distinct channel order by channel) as citing_channels,
        min(published_at) as first_seen_at,
        max(published_at) as last_seen_at,
        -- Telegram requires bot usernames to end in "bot": a bot is no channel to follow
        cited_channel like '%bot' as looks_like_bot
    from citations
    group by cited_channel
)

select * from final
