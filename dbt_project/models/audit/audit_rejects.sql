{{ config(alias='rejects') }}

with rejects as (
    select * from {{ ref('stg_rejects') }}
),

final as (
    select
        source_file,
        source_format,
        source_position,
        reason,
        excerpt
    from rejects
)

select * from final
