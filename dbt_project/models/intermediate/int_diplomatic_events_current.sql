{#- The events found in the kept copy of each post, each with the key it shares with the other
    channels' reports of the same event: md5 of date, type and actors (leader, else country),
    the actors sorted for the symmetric types. -#}
with events as (
    select * from {{ ref('stg_diplomatic_events') }}
),

current_events as (
    {{ drop_superseded_copies('events', ref('int_post_versions_ranked')) }}
),

actors as (
    select
        *,
        coalesce(actor1_leader_key, actor1_iso2) as actor1,
        coalesce(actor2_leader_key, actor2_iso2, '') as actor2
    from current_events
),

keyed as (
    select
        md5(concat_ws('|',
            cast(event_date as varchar),
            event_type,
            case when event_type in ('040', '041', '044', '046', '057')
                then least(actor1, actor2) else actor1 end,
            case when event_type in ('040', '041', '044', '046', '057')
                then greatest(actor1, actor2) else actor2 end
        )) as event_key,
        * exclude (actor1, actor2)
    from actors
)

select * from keyed
