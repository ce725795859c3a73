{#- One row per post: the kept copy of each (see int_post_versions_ranked), with the views,
    reactions, forwards and replies of the latest landing that showed them. -#}
with post_copies as (
    select * from {{ ref('stg_posts') }}
),

versions as (
    select * from {{ ref('int_post_versions_ranked') }}
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
        ) as reactions_total,
        arg_max(forwards, ingested_at) filter (where forwards is not null) as forwards,
        arg_max(replies, ingested_at) filter (where replies is not null) as replies,
        arg_max(reactions, ingested_at) filter (where reactions is not null) as reactions
    from versions
    where version_count > 1
    group by post_key
),

resolved as (
    select
        post_copies.* replace (
            coalesce(latest_counters.views, post_copies.views) as views,
            coalesce(latest_counters.reactions_total, post_copies.reactions_total)
                as reactions_total,
            coalesce(latest_counters.forwards, post_copies.forwards) as forwards,
            coalesce(latest_counters.replies, post_copies.replies) as replies,
            coalesce(latest_counters.reactions, post_copies.reactions) as reactions
        )
    from post_copies
    inner join kept
        on kept.post_key = post_copies.post_key
        and kept.batch_id = post_copies.batch_id
    left join latest_counters on latest_counters.post_key = post_copies.post_key
)

select * from resolved
