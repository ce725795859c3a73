{#- Who held which office when (orchestration/entities/people.office_terms). -#}
with source as (
    select * from {{ source('normalized', 'office_terms') }}
),

renamed as (
    select
        person_key as leader_key,
        office,
        country_iso2,
        org_code,
        title_en,
        start_date,
        end_date,
        source
    from source
)

select * from renamed
