with countries as (
    select * from {{ ref('stg_countries') }}
),

mentions as (
    -- the mart already carries each mention's channel and time: no join back to the posts
    select iso2, post_key, mention_count, channel, published_at
    from {{ ref('fct_country_mentions') }}
),

mention_stats as (
    select
        iso2,
        -- one row per post and country (the mart's unique test): a count, not a distinct count
        count(*) as post_count,
        sum(mention_count) as mention_count,
        count(distinct channel) as channel_count,
        min(published_at) as first_mentioned_at,
        max(published_at) as last_mentioned_at
    from mentions
    group by iso2
),

final as (
    select
        countries.iso2,
        countries.iso3,
        countries.name,
        countries.official_name,
        countries.flag_emoji,
        coalesce(mention_stats.post_count, 0) as post_count,
        coalesce(mention_stats.mention_count, 0) as mention_count,
        coalesce(mention_stats.channel_count, 0) as channel_count,
        mention_stats.first_mentioned_at,
        mention_stats.last_mentioned_at
    from countries
    left join mention_stats on mention_stats.iso2 = countries.iso2
)

select * from final
