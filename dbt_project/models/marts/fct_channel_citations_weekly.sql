{#-
    Citations per citing channel, cited channel, kind and week (weeks start on Monday).

    A table rebuilt whole from the narrow fct_channel_citations each run, like the dimensions:
    a group-by over it is cheap at millions of rows, and a rebuild never drifts from the fact
    (a forward resolved again by title moves to another cited channel, in any week). Citations
    of posts without any date (text copies that name none) belong to no week.
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
        cast(date_trunc('week', post_date) as date) as week_start,
        cast(sum(reference_count) as integer) as citations,
        cast(count(distinct post_key) as integer) as posts
    from citations
    group by all
)

select * from final
