with source as (
    select * from {{ source('normalized', 'channel_headers') }}
),

renamed as (
    select
        lower(channel) as channel,
        title,
        description,
        subscribers,
        photos,
        videos,
        files,
        links,
        observed_at,
        source_format,
        source_file
    from source
)

select * from renamed
