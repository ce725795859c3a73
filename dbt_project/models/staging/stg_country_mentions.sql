with source as (
    select * from {{ source('normalized', 'country_mentions') }}
),

renamed as (
    select
        post_key,
        upper(iso2) as iso2,
        mention_count,
        evidence
    from source
)

select * from renamed
