{#-
    Pre-hook of the append-only incremental facts (fct_country_mentions, fct_leader_mentions,
    fct_post_views): on an incremental run, delete the rows of the posts the run rebuilds (and
    the rows matching `also_where`), so that the model's select appends them again; on a full
    build it renders nothing.

    `post_keys` and `also_where` are macros, passed uncalled: they are called only on an
    incremental run, so parsing records no dependency on what they read (the build stamp, the
    normalized Parquet), as with the `{% if is_incremental() %}` blocks of the models. Set it as
    a string, so that it renders when the hook runs:

        pre_hook="{{ delete_rows_to_rebuild(touched_post_keys) }}"
-#}
{% macro delete_rows_to_rebuild(post_keys, also_where=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where post_key in {{ post_keys() }}
        {%- if also_where is not none %}
            or {{ also_where() }}
        {%- endif %}
    {%- endif -%}
{%- endmacro %}
