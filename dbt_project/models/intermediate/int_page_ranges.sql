{#- The scraped pages, each with the message-id range it showed whole and when it was read. -#}
with ingested_files as (
    select * from {{ ref('stg_ingested_files') }}
),

final as (
    select
        batch_id,
        covered_channel as channel,
        covered_from_id as from_id,
        covered_to_id as to_id,
        ingested_at as read_at,
        source_file
    from ingested_files
    where covered_channel is not null
        and covered_from_id is not null
        and covered_to_id >= covered_from_id
)

select * from final
