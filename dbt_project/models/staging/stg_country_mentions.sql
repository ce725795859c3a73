{#- Mentions found in the kept copy of each post (copies superseded by a later edit drop out;
    a mention whose post is missing altogether stays, for the relationships test to catch). -#}
with source as (
    select * from {{ source('normalized', 'country_mentions') }}
),

superseded as (
    select post_key, batch_id
    from {{ ref('stg_post_versions') }}
    where version_rank > 1
),

current_mentions as (
    select source.*
    from source
    anti join superseded
        on superseded.post_key = source.post_key
        and superseded.batch_id = source.batch_id
),

renamed as (
    select
        post_key,
        upper(iso2) as iso2,
        mention_count,
        evidence,
        batch_id
    from current_mentions
)

select * from renamed
