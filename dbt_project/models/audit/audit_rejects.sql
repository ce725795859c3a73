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
        excerpt,
        rule,
        post_key,
        batch_id
    from rejects
)

select * from final
