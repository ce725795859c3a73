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
        source_format,
        source_file
    from source
)

select * from renamed
