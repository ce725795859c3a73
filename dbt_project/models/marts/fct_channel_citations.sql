{#-
    Citing post x cited channel x kind (forward, link, mention). A forward without a link names
    its origin only by display name: it cites the channel of dim_channels with that title when
    exactly one has it, else it is kept with a null cited_channel and the name.

    Incremental: the citations of the posts new batches touch are rebuilt (pre-hook), and the
    post-hook resolves again the forwards known by name only whose answer today's titles
    change; the other rows stay as they are.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(touched_post_keys) }}",
        post_hook="{{ resolve_forwards_by_title_again() }}",
    )
}}
-- depends_on: {{ ref('fct_posts') }}

with citations as (
    {% if is_incremental() -%}
    {{ post_citations(
        '(' ~ posts_of_the_run(
            'post_key, channel, forwarded_from, forwarded_from_link, links, mentions',
            touched_post_keys,
        ) ~ ')'
    ) | indent(4) }}
    {%- else -%}
    select * from {{ ref('int_post_citations') }}
    {%- endif %}
),

posts as (
    {{ posts_of_the_run('post_key, published_at, event_date', touched_post_keys) }}
),

titles as (
    select * from {{ unambiguous_channel_titles() }}
),

final as (
    select
        citations.post_key,
        citations.channel,
        citations.kind,
        coalesce(citations.cited_channel, titles.channel) as cited_channel,
        case
            when citations.cited_channel is not null then 'username'
            when titles.channel is not null then 'title'
        end as cited_channel_source,
        citations.cited_message_id,
        citations.forwarded_from,
        citations.reference_count,
        posts.published_at,
        coalesce(cast(timezone('UTC', posts.published_at) as date), posts.event_date) as post_date
    from citations
    left join posts on posts.post_key = citations.post_key
    left join titles
        on citations.kind = 'forward'
        and citations.cited_channel is null
        and titles.title_key = {{ channel_title_key('citations.forwarded_from') }}
)

select * from final
