{#- Each event with every post that reports it, and which channels and languages did.

    Incremental: the events a run's touched posts report, now or before this run, are rebuilt
    whole (every report of them: their counts and first report change with one report); the
    post-hook drops the rows of an event no post reports any more. -#}
{{
    config(
        materialized='incremental',
        unique_key='event_key',
        incremental_strategy='delete+insert',
        post_hook="{{ delete_unreported_events() }}",
    )
}}

with
{% if is_incremental() -%}
events_to_rebuild as (
    select event_key from {{ ref('fct_diplomatic_events') }}
    where post_key in {{ touched_post_keys() }}
    union
    select event_key from {{ this }}
    where post_key in {{ touched_post_keys() }}
),

events as (
    select * from {{ ref('fct_diplomatic_events') }}
    where event_key in (select event_key from events_to_rebuild)
),
{%- else -%}
events as (
    select * from {{ ref('fct_diplomatic_events') }}
),
{%- endif %}

per_event as (
    select
        event_key,
        min(published_at) as first_reported_at,
        count(distinct post_key) as report_count,
        list_sort(list(distinct channel)) as channels,
        list_sort(list(distinct language)) as languages
    from events
    group by event_key
),

final as (
    select
        events.event_key,
        events.post_key,
        events.channel,
        events.language,
        events.published_at,
        events.event_date,
        events.event_type,
        events.actor1_leader_key,
        events.actor1_iso2,
        events.actor2_leader_key,
        events.actor2_iso2,
        events.published_at = per_event.first_reported_at as is_first_report,
        per_event.report_count,
        per_event.channels,
        per_event.languages
    from events
    inner join per_event on per_event.event_key = events.event_key
)

select * from final
