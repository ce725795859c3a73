{#- Every landing of every service message (see int_service_messages_deduplicated). -#}
with source as (
    select * from {{ source('normalized', 'service_messages') }}
),

renamed as (
    select
        lower(channel) as channel,
        message_id,
        published_at,
        action,
        actor,
        text,
        source_format,
        source_file,
        source_position,
        batch_id,
        ingested_at
    from source
)

select * from renamed
