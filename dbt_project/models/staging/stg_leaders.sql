with source as (
    select * from {{ source('normalized', 'leaders') }}
),

renamed as (
    select
        leader_key,
        name,
        role,
        upper(country_iso2) as country_iso2,
        source,
        aliases
    from source
)

select * from renamed
