with source as (
    select * from {{ source('normalized', 'countries') }}
),

renamed as (
    select
        upper(iso2) as iso2,
        upper(iso3) as iso3,
        name,
        official_name,
        flag_emoji
    from source
)

select * from renamed
