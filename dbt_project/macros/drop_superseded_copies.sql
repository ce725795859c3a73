{#-
    The rows of `mentions` (a CTE or relation with post_key and batch_id) found in the kept copy
    of their post: the mentions of copies that a later edit superseded (version_rank > 1 in
    `post_versions`) drop out. A mention whose post is missing altogether stays, for the
    relationships tests to catch.
-#}
{% macro drop_superseded_copies(mentions, post_versions) -%}
    select mentions.*
    from {{ mentions }} as mentions
    anti join (
        select post_key, batch_id
        from {{ post_versions }}
        where version_rank > 1
    ) as superseded
        on superseded.post_key = mentions.post_key
        and superseded.batch_id = mentions.batch_id
{%- endmacro %}
