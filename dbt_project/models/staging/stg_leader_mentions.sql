with source as (
    select * from {{ source('normalized', 'leader_mentions') }}
),

renamed as (
    select
        post_key,
        leader_key,
        mention_count
    from source
)

select * from renamed
