{#-
    Post x country. A left join keeps mentions whose post is missing, so the relationships test
    to fct_posts reports them instead of the rows vanishing.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(touched_post_keys) }}",
    )
}}
-- depends_on: {{ ref('fct_posts') }}, {{ ref('int_post_versions_ranked') }}

with mentions as (
    select * from {{ ref('int_country_mentions_current') }}
    {% if is_incremental() -%}
    -- only the entity files the run's rows are in, not every file of the history
    where batch_id in {{ batches_of_the_run() }}
        and (post_key in {{ touched_post_keys() }} or batch_id in {{ new_batches() }})
    {%- endif %}
),

posts as (
    {{ posts_of_the_run('post_key, channel, published_at', touched_post_keys) }}
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
