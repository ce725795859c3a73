{#- Who held which office when, with the leader's name: resolves "the President of Russia" on a
    date, and tells past leaders from present ones. -#}
with terms as (
    select * from {{ ref('stg_office_terms') }}
),

leaders as (
    select leader_key, name from {{ ref('stg_leaders') }}
),

final as (
    select
        terms.leader_key,
        leaders.name,
        terms.office,
        terms.country_iso2,
        terms.org_code,
        terms.title_en,
        terms.start_date,
        terms.end_date,
        terms.end_date is null as in_office,
        terms.source
    from terms
    left join leaders on leaders.leader_key = terms.leader_key
)

select * from final
