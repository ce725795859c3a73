{#- Post x leader; a left join so orphans surface in the relationships tests. -#}
with mentions as (
    select * from {{ ref('stg_leader_mentions') }}
),

posts as (
    select post_key, channel, published_at from {{ ref('stg_posts') }}
),

leaders as (
    select leader_key, country_iso2 from {{ ref('stg_leaders') }}
),

final as (
    select
        mentions.post_key,
        mentions.leader_key,
        posts.channel,
        posts.published_at,
        mentions.mention_count,
        leaders.country_iso2 as leader_country_iso2
    from mentions
    left join posts on posts.post_key = mentions.post_key
    left join leaders on leaders.leader_key = mentions.leader_key
)

select * from final
