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
        source_position
    from source
)

select * from renamed
