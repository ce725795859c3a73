with service_messages as (
    select * from {{ ref('int_service_messages_deduplicated') }}
),

final as (
    select
        channel,
        message_id,
        published_at,
        action,
        actor,
        text,
        source_format,
        source_file,
        source_position
    from service_messages
)

select * from final
