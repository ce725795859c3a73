{#- Every header snapshot of a channel: subscriber and counter growth over time. -#}
with headers as (
    select * from {{ ref('stg_channel_headers') }}
),

final as (
    select
        channel,
        observed_at,
        title,
        subscribers,
        -- snapshots seen at the same moment (two files landed together) in a stable order
        subscribers - lag(subscribers) over (
            partition by channel order by observed_at, source_file, subscribers
        ) as subscribers_gained,
        photos,
        videos,
        files,
        links,
        source_format,
        source_file
    from headers
)

select * from final
