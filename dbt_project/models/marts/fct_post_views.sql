{#-
    Every observation of a post's view count, with the growth since the previous one.
    Incremental: the observations of posts that new batches observed or touched are rebuilt.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(post_views_to_rebuild) }}",
    )
}}
-- depends_on: {{ ref('fct_posts') }}

with observations as (
    select * from {{ ref('stg_post_views') }}
    {% if is_incremental() -%}
    where post_key in {{ post_views_to_rebuild() }}
    {%- endif %}
),

posts as (
    {{ posts_of_the_run('post_key, published_at', post_views_to_rebuild) }}
),

final as (
    select
        observations.post_key,
        observations.channel,
        observations.message_id,
        observations.observed_at,
        observations.views,
        observations.views - lag(observations.views) over (
            partition by observations.post_key order by observations.observed_at
        ) as views_gained,
        posts.published_at,
        observations.observed_at - posts.published_at as age_at_observation,
        observations.source_format
    from observations
    left join posts on posts.post_key = observations.post_key
)

select * from final
