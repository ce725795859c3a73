with source as (
    select * from {{ source('normalized', 'post_views') }}
),

renamed as (
    select
        post_key,
        lower(channel) as channel,
        message_id,
        observed_at,
        views,
        source_format
    from source
)

select * from renamed
