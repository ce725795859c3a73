{#-
    Posts deleted from their channel: seen on a page (or in an export) and missing from a later
    scraped page whose range covered their id (int_page_ranges). A post seen again after such a
    page (it came back, or the page was wrong) is not deleted. Seen and missing are landing
    times: an old export landed after the page counts as seeing the post again.

    Incremental: the posts a new batch carries, and those a new page's range covers, are
    decided again.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_rows_to_rebuild(post_deletions_to_rebuild) }}",
    )
}}

with posts as (
    select post_key, channel, message_id, published_at, text, media_kinds, views
    from {{ ref('fct_posts') }}
    where message_id is not null
    {% if is_incremental() -%}
        and post_key in {{ post_deletions_to_rebuild() }}
    {%- endif %}
),

sightings as (
    select
        post_key,
        min(ingested_at) as first_seen_at,
        max(ingested_at) as last_seen_at,
        arg_max(batch_id, ingested_at) as last_seen_in_batch
    from {{ ref('int_post_versions_ranked') }}
    where post_key in (select post_key from posts)
    group by post_key
),

pages as (
    select batch_id, channel, from_id, to_id, read_at
    from {{ ref('int_page_ranges') }}
),

missing_from as (
    select
        posts.post_key,
        pages.batch_id,
        pages.read_at
    from posts
    inner join sightings on sightings.post_key = posts.post_key
    inner join pages
        on pages.channel = posts.channel
        and posts.message_id between pages.from_id and pages.to_id
        and pages.read_at > sightings.last_seen_at
),

first_missing as (
    select
        post_key,
        min(read_at) as found_missing_at,
        arg_min(batch_id, read_at) as found_missing_in_batch,
        count(*) as pages_without_post
    from missing_from
    group by post_key
),

final as (
    select
        posts.post_key,
        posts.channel,
        posts.message_id,
        posts.published_at,
        sightings.first_seen_at,
        sightings.last_seen_at,
        first_missing.found_missing_at,
        first_missing.pages_without_post,
        posts.text as last_text,
        posts.media_kinds as last_media_kinds,
        posts.views as last_views,
        sightings.last_seen_in_batch,
        first_missing.found_missing_in_batch
    from posts
    inner join sightings on sightings.post_key = posts.post_key
    inner join first_missing on first_missing.post_key = posts.post_key
)

select * from final
