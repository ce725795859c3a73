{#- Each event with every post that reports it, and which channels and languages did: a small
    aggregate over fct_diplomatic_events, rebuilt whole. -#}
with events as (
    select * from {{ ref('fct_diplomatic_events') }}
),

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
