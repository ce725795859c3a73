{#- The leaders found in every copy of every post (see int_leader_mentions_current). -#}
with source as (
    select * from {{ source('normalized', 'leader_mentions') }}
),

renamed as (
    select
        post_key,
        leader_key,
        mention_count,
        resolved_by,
        batch_id
    from source
)

select * from renamed
