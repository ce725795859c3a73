with source as (
    select * from {{ source('normalized', 'rejects') }}
),

renamed as (
    select
        source_file,
        source_format,
        source_position,
        reason,
        excerpt
    from source
)

select * from renamed
