{#-
    Post x leader; a left join so orphans surface in the relationships tests.
    Incremental: the mentions of posts that new batches touch, and every mention of a leader
    whose country changed (a later batch told more about a discovered leader), are rebuilt.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=(
            "{{ delete_rows_to_rebuild(touched_post_keys, also_where=leader_country_changed) }}"
        ),
    )
}}
-- depends_on: {{ ref('fct_posts') }}

with mentions as (
    select * from {{ ref('int_leader_mentions_current') }}
    {% if is_incremental() -%}
    where post_key in {{ touched_post_keys() }}
        or batch_id in {{ new_batches() }}
        or leader_key not in (select distinct leader_key from {{ this }})
    {%- endif %}
),

posts as (
    {{ posts_of_the_run('post_key, channel, published_at', '(select post_key from mentions)') }}
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
        mentions.resolved_by,
        leaders.country_iso2 as leader_country_iso2
    from mentions
    left join posts on posts.post_key = mentions.post_key
    left join leaders on leaders.leader_key = mentions.leader_key
)

select * from final
