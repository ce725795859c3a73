{#- The countries found in every copy of every post (see int_country_mentions_current). -#}
with source as (
    select * from {{ source('normalized', 'country_mentions') }}
),

renamed as (
    select
        post_key,
        upper(iso2) as iso2,
        mention_count,
        evidence,
        batch_id
    from source
)

select * from renamed
