{{ config(alias='ingested_files') }}

with ingested_files as (
    select * from {{ ref('stg_ingested_files') }}
),

final as (
    select
        batch_id,
        source_file,
        source_format,
        content_sha256,
        size_bytes,
        records_read,
        records_rejected,
        service_messages,
        round(records_rejected / nullif(records_read, 0), 4) as reject_rate,
        ingested_at,
        covered_channel,
        covered_from_id,
        covered_to_id
    from ingested_files
)

select * from final
