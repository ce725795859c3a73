{#- The events found in every copy of every post (see int_diplomatic_events_current). -#}
with source as (
    select * from {{ source('normalized', 'diplomatic_events') }}
),

renamed as (
    select
        post_key,
        event_type,
        actor1_leader_key,
        actor1_iso2,
        actor2_leader_key,
        actor2_iso2,
        place,
        event_date,
        evidence,
        position,
        batch_id
    from source
)

select * from renamed
