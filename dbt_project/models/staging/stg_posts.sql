{#- One row per post: the kept copy of each (see stg_post_versions). -#}
with source as (
    select * from {{ source('normalized', 'posts') }}
),

versions as (
    select * from {{ ref('stg_post_versions') }}
),

kept as (
    select post_key, batch_id
    from versions
    where version_rank = 1
),

-- Only posts seen more than once need their counters looked up across copies.
latest_counters as (
    select
        post_key,
        arg_max(views, ingested_at) filter (where views is not null) as views,
        arg_max(reactions_total, ingested_at) filter (
            where reactions_total is not null
        ) as reactions_total
    from versions
    where version_count > 1
    group by post_key
),

resolved as (
    select
        source.* replace (
            coalesce(latest_counters.views, source.views) as views,
            coalesce(latest_counters.reactions_total, source.reactions_total) as reactions_total
        )
    from source
    inner join kept
        on kept.post_key = source.post_key
        and kept.batch_id = source.batch_id
    left join latest_counters on latest_counters.post_key = source.post_key
),

renamed as (
    select
        post_key,
        lower(channel) as channel,
        message_id,
        published_at,
        event_date,
        text,
        hashtags,
        mentions,
        links,
        views,
        forwarded_from,
        forwarded_from_link,
        reply_to_message_id,
        reply_to_text,
        media_kind,
        media_kinds,
        media_count,
        is_edited,
        edited_at,
        author,
        language,
        poll_question,
        reactions_total,
        source_format,
        source_file,
        batch_id,
        ingested_at
    from resolved
)

select * from renamed
