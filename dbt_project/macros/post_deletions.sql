{#-
    Posts whose deletion a run must decide again (fct_post_deletions, only inside
    `{% if is_incremental() %}`): posts a new batch carries (seen again: not deleted, or newly
    seen), and the posts of the channel that a new scraped page's range covers (present on it,
    or missing from it). The model refs fct_posts and int_page_ranges itself, so dbt knows the
    order.
-#}
{% macro post_deletions_to_rebuild() -%}
    (
        select post_key from {{ touched_post_keys() }}
        union
        select posts.post_key
        from {{ ref('fct_posts') }} as posts
        inner join {{ ref('int_page_ranges') }} as pages
            on pages.channel = posts.channel
            and posts.message_id between pages.from_id and pages.to_id
        where pages.batch_id in {{ new_batches() }}
    )
{%- endmacro %}
