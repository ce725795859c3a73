{#-
    Post x country. A left join keeps mentions whose post is missing, so the relationships test
    to fct_posts reports them instead of the rows vanishing.
-#}
with mentions as (
    select * from {{ ref('stg_country_mentions') }}
),

posts as (
    select post_key, channel, published_at from {{ ref('stg_posts') }}
),

final as (
    select
        mentions.post_key,
        mentions.iso2,
        posts.channel,
        posts.published_at,
        mentions.mention_count,
        mentions.evidence,
        {%- for kind in ['flag', 'name', 'demonym', 'capital', 'hashtag', 'leader'] %}
        coalesce(list_contains(mentions.evidence, '{{ kind }}'), false) as has_{{ kind }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from mentions
    left join posts on posts.post_key = mentions.post_key
)

select * from final
