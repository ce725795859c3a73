{#-
    One row per channel seen in posts or headers. Header figures come from the most recent
    snapshot that has each figure, so a later snapshot lacking (say) the subscriber count does not
    blank out an earlier one.
-#}
with headers as (
    select
        *,
        row_number() over (
            partition by channel
            order by observed_at desc nulls last, source_file desc
        ) as recency_rank
    from {{ ref('stg_channel_headers') }}
),

latest_header as (
    select
        channel,
        arg_min(title, recency_rank) filter (where title is not null) as title,
        arg_min(description, recency_rank) filter (where description is not null) as description,
        arg_min(subscribers, recency_rank) filter (where subscribers is not null) as subscribers,
        arg_min(observed_at, recency_rank) filter (where subscribers is not null)
            as subscribers_observed_at,
        arg_min(photos, recency_rank) filter (where photos is not null) as photos,
        arg_min(videos, recency_rank) filter (where videos is not null) as videos,
        arg_min(files, recency_rank) filter (where files is not null) as files,
        arg_min(links, recency_rank) filter (where links is not null) as links,
        arg_min(observed_at, recency_rank) as header_observed_at,
        arg_min(source_format, recency_rank) as header_source_format,
        count(*) as header_snapshot_count
    from headers
    group by channel
),

post_stats as (
    select
        channel,
        count(*) as post_count,
        min(published_at) as first_post_at,
        max(published_at) as last_post_at,
        sum(views) as total_views
    from {{ ref('fct_posts') }}
    group by channel
),

channels as (
    select channel from latest_header
    union
    select channel from post_stats
),

final as (
    select
        channels.channel,
        'https://t.me/' || channels.channel as channel_url,
        latest_header.title,
        latest_header.description,
        latest_header.subscribers,
        latest_header.subscribers_observed_at,
        latest_header.photos,
        latest_header.videos,
        latest_header.files,
        latest_header.links,
        latest_header.header_observed_at,
        latest_header.header_source_format,
        coalesce(latest_header.header_snapshot_count, 0) as header_snapshot_count,
        coalesce(post_stats.post_count, 0) as post_count,
        post_stats.first_post_at,
        post_stats.last_post_at,
        post_stats.total_views
    from channels
    left join latest_header on latest_header.channel = channels.channel
    left join post_stats on post_stats.channel = channels.channel
)

select * from final
