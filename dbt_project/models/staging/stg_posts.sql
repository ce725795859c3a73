{#- Every copy of every post: one row per post per batch that carried it (see
    int_posts_resolved for the one row per post). -#}
with source as (
    select * from {{ source('normalized', 'posts') }}
),

renamed as (
    select
        post_key,
        lower(channel) as channel,
        message_id,
        published_at,
        event_date,
        text,
        hashtags,
        mentions,
        links,
        views,
        forwarded_from,
        forwarded_from_link,
        reply_to_message_id,
        reply_to_text,
        media_kind,
        media_kinds,
        media_count,
        is_edited,
        edited_at,
        author,
        language,
        poll_question,
        reactions_total,
        forwards,
        replies,
        reactions,
        source_format,
        source_file,
        batch_id,
        ingested_at
    from source
)

select * from renamed
