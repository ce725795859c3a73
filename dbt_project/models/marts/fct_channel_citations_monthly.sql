{#-
    Citations per citing channel, cited channel, kind and calendar month; built like
    fct_channel_citations_weekly.
-#}
with citations as (
    select * from {{ ref('fct_channel_citations') }}
    where post_date is not null
),

final as (
    select
        channel,
        cited_channel,
        -- a forward not resolved to a channel is told apart by its origin's display name
        case when cited_channel is null then forwarded_from end as forwarded_from,
        kind,
        cast(date_trunc('month', post_date) as date) as month_start,
        cast(sum(reference_count) as integer) as citations,
        cast(count(distinct post_key) as integer) as posts
    from citations
    group by all
)

select * from final
