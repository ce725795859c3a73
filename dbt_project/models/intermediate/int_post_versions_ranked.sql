{#-
    Every copy of a post: one per batch that carried it (an export, then pages scraped later).
    version_rank 1 is the copy the warehouse keeps, by the rule normalize_posts applies within
    a batch: the newest edit wins, then the later landing, then more views. Counters move on
    after an edit, so the kept post takes its views, reactions, forwards and replies from the latest landing that
    showed them (int_posts_resolved; a text copy without views never erases a known count).

    A narrow table, incremental: a run re-ranks only the copies of posts its new batches touch.
-#}
{{ config(materialized='incremental', unique_key='post_key', incremental_strategy='delete+insert') }}

with post_copies as (
    select
        post_key, batch_id, ingested_at, edited_at,
        views, reactions_total, forwards, replies, reactions
    from {{ ref('stg_posts') }}
    {% if is_incremental() -%}
    where post_key in {{ touched_post_keys() }}
    {%- endif %}
),

ranked as (
    select
        post_key,
        batch_id,
        ingested_at,
        views,
        reactions_total,
        forwards,
        replies,
        reactions,
        row_number() over (
            partition by post_key
            order by
                edited_at desc nulls last,
                ingested_at desc nulls last,
                views desc nulls last,
                batch_id desc
        ) as version_rank,
        count(*) over (partition by post_key) as version_count
    from post_copies
)

select * from ranked
