with source as (
    select * from {{ source('normalized', 'removed_batches') }}
),

renamed as (
    select
        batch_id,
        source_file,
        source_format,
        ingested_at,
        removed_at,
        reason
    from source
)

select * from renamed
