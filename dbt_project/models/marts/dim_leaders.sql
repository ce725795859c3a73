with leaders as (
    select * from {{ ref('stg_leaders') }}
),

mentions as (
    select leader_key, post_key, mention_count, published_at
    from {{ ref('fct_leader_mentions') }}
),

mention_stats as (
    select
        leader_key,
        -- one row per post and leader (the mart's unique test): a count, not a distinct count
        count(*) as post_count,
        sum(mention_count) as mention_count,
        min(published_at) as first_mentioned_at,
        max(published_at) as last_mentioned_at
    from mentions
    group by leader_key
),

final as (
    select
        leaders.leader_key,
        leaders.name,
        leaders.role,
        leaders.country_iso2,
        leaders.source,
        leaders.aliases,
        coalesce(mention_stats.post_count, 0) as post_count,
        coalesce(mention_stats.mention_count, 0) as mention_count,
        mention_stats.first_mentioned_at,
        mention_stats.last_mentioned_at
    from leaders
    left join mention_stats on mention_stats.leader_key = leaders.leader_key
)

select * from final
