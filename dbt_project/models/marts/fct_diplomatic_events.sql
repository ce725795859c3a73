{#-
    One row per event a post reports: post x event_key. A left join keeps events whose post is
    missing, so the relationships test to fct_posts reports them. Incremental like the mention
    facts: the events of the posts that new batches touch are rebuilt.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(touched_post_keys) }}",
    )
}}
-- depends_on: {{ ref('fct_posts') }}, {{ ref('int_post_versions_ranked') }}

with events as (
    select * from {{ ref('int_diplomatic_events_current') }}
    {% if is_incremental() -%}
    -- only the entity files the run's rows are in, not every file of the history
    where batch_id in {{ batches_of_the_run() }}
        and (post_key in {{ touched_post_keys() }} or batch_id in {{ new_batches() }})
    {%- endif %}
    -- one row per event a post reports, before the join: a window over the narrower rows
    qualify row_number() over (partition by post_key, event_key order by position) = 1
),

posts as (
    {{ posts_of_the_run('post_key, channel, published_at, language', touched_post_keys) }}
),

cameo as (
    select * from (values
        ('010', 'make a public statement', 1, 0.0),
        ('036', 'express intent to meet or negotiate', 1, 4.0),
        ('040', 'consult', 1, 1.0),
        ('041', 'discuss by telephone', 1, 1.0),
        ('042', 'make a visit', 1, 1.9),
        ('043', 'host a visit', 1, 2.8),
        ('044', 'meet at a third location', 1, 2.5),
        ('046', 'engage in negotiation', 1, 7.0),
        ('057', 'sign a formal agreement', 1, 8.0),
        ('111', 'criticize or denounce', 3, -2.0),
        ('112', 'accuse', 3, -2.0),
        ('condolences', 'express condolences (CAMEO 018)', 1, 3.4),
        ('congratulations', 'congratulate (CAMEO 051)', 1, 3.4)
    ) as t(event_type, event_name, quad_class, goldstein)
),

final as (
    select
        events.event_key,
        events.post_key,
        posts.channel,
        posts.language,
        posts.published_at,
        events.event_date,
        events.event_type,
        cameo.event_name,
        cameo.quad_class,
        cameo.goldstein,
        events.actor1_leader_key,
        events.actor1_iso2,
        events.actor2_leader_key,
        events.actor2_iso2,
        events.place,
        events.evidence,
        events.position
    from events
    left join posts on posts.post_key = events.post_key
    left join cameo on cameo.event_type = events.event_type
)

select * from final
