{#- The union of the scraped pages' ranges, per channel: overlapping and touching ranges merge
    into one (gaps and islands over the ranges sorted by their first id). -#}
with page_ranges as (
    select channel, from_id, to_id from {{ ref('int_page_ranges') }}
),

ordered as (
    select
        channel,
        from_id,
        to_id,
        max(to_id) over (
            partition by channel
            order by from_id, to_id
            rows between unbounded preceding and 1 preceding
        ) as reached_before
    from page_ranges
),

islands as (
    select
        channel,
        from_id,
        to_id,
        sum(case when reached_before is null or from_id > reached_before + 1 then 1 else 0 end)
            over (partition by channel order by from_id, to_id rows unbounded preceding)
            as island
    from ordered
),

final as (
    select
        channel,
        min(from_id) as from_id,
        max(to_id) as to_id,
        count(*) as pages
    from islands
    group by channel, island
)

select * from final
