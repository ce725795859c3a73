with source as (
    select * from {{ source('normalized', 'ingested_files') }}
),

renamed as (
    select
        batch_id,
        source_file,
        source_format,
        content_sha256,
        size_bytes,
        records_read,
        records_rejected,
        service_messages,
        ingested_at,
        lower(covered_channel) as covered_channel,
        covered_from_id,
        covered_to_id
    from source
)

select * from renamed
