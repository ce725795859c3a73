{#- One row per (channel, message_id), the latest landing winning; messages without an id
    collapse only when identical. -#}
with service_messages as (
    select * from {{ ref('stg_service_messages') }}
),

with_id as (
    select *
    from service_messages
    where message_id is not null
    qualify row_number() over (
        partition by channel, message_id
        order by ingested_at desc nulls last, batch_id desc
    ) = 1
),

without_id as (
    select distinct * exclude (batch_id, ingested_at)
    from service_messages
    where message_id is null
),

deduplicated as (
    select * exclude (batch_id, ingested_at) from with_id
    union all by name
    select * from without_id
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
    from deduplicated
)

select * from final
