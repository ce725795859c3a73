{{ config(alias='removed_batches') }}

with removed_batches as (
    select * from {{ ref('stg_removed_batches') }}
),

final as (
    select
        batch_id,
        source_file,
        source_format,
        ingested_at,
        removed_at,
        reason
    from removed_batches
)

select * from final
