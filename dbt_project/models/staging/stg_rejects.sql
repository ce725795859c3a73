with source as (
    select * from {{ source('normalized', 'rejects') }}
),

renamed as (
    select
        source_file,
        source_format,
        source_position,
        reason,
        excerpt,
        rule,
        post_key,
        batch_id
    from source
)

select * from renamed
