{#-
    Every change of a post's text or media between two copies of it, in the order
    int_post_versions_ranked ranks them (the oldest version first). Copies are compared only
    with copies from the same kind of source: a web page and a Desktop export render the same
    text differently, and that is no edit. Text copies have no message id (their key is their
    content), so they show no edits.

    Incremental: the edits of the posts the new batches touch are rebuilt.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(touched_post_keys) }}",
    )
}}

with versions as (
    select post_key, batch_id, version_rank
    from {{ ref('int_post_versions_ranked') }}
    {% if is_incremental() -%}
    where post_key in {{ touched_post_keys() }}
    {%- endif %}
),

copies as (
    select
        post_copies.post_key,
        post_copies.channel,
        post_copies.message_id,
        post_copies.published_at,
        post_copies.text,
        post_copies.media_kinds,
        post_copies.media_count,
        post_copies.edited_at,
        post_copies.source_format,
        post_copies.batch_id,
        post_copies.ingested_at,
        versions.version_rank
    from {{ ref('stg_posts') }} as post_copies
    inner join versions
        on versions.post_key = post_copies.post_key
        and versions.batch_id = post_copies.batch_id
    where post_copies.source_format <> 'text_copy'
    {%- if is_incremental() %}
        -- only the files holding the touched posts' copies, not every file of the history
        and post_copies.batch_id in {{ batches_holding(touched_post_keys()) }}
    {%- endif %}
),

sequenced as (
    select
        *,
        row_number() over by_version as copy_number,
        lag(text) over by_version as text_before,
        lag(media_kinds) over by_version as media_kinds_before,
        lag(media_count) over by_version as media_count_before,
        lag(ingested_at) over by_version as before_seen_at,
        lag(batch_id) over by_version as batch_id_before
    from copies
    window by_version as (partition by post_key, source_format order by version_rank desc)
),

changes as (
    select
        *,
        text is distinct from text_before as text_changed,
        media_kinds is distinct from media_kinds_before
            or media_count is distinct from media_count_before as media_changed
    from sequenced
    where copy_number > 1
),

final as (
    select
        post_key,
        channel,
        message_id,
        published_at,
        row_number() over (
            partition by post_key, source_format order by copy_number
        ) as edit_number,
        case
            when text_changed and media_changed then 'text_and_media'
            when text_changed then 'text'
            else 'media'
        end as change_kind,
        text_before,
        text as text_after,
        media_kinds_before,
        media_kinds as media_kinds_after,
        media_count_before,
        media_count as media_count_after,
        before_seen_at,
        ingested_at as after_seen_at,
        edited_at,
        source_format,
        batch_id_before,
        batch_id as batch_id_after
    from changes
    where text_changed or media_changed
)

select * from final
