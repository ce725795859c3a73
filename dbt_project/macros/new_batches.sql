{#-
    The ingested batches the warehouse being built does not hold yet, as a subquery.

    A run builds into a copy of the published warehouse, whose audit.warehouse_build row (written
    by the orchestrator once a complete dbt build succeeded, never by a model) lists the batches
    it was built from; so the set is stable for the whole dbt run, whatever order the models
    build in. Incremental models rebuild only
    the posts these batches touch. The orchestrator runs `dbt build --full-refresh` when there is
    no such row or when the code that built the published warehouse differs, so an incremental
    run always starts from a warehouse built by the same code.
-#}
{% macro new_batches() -%}
    (
        select batch_id from {{ source('normalized', 'ingested_files') }}
        where batch_id not in (select unnest(batch_ids) from audit.warehouse_build)
    )
{%- endmacro %}


{#- Posts (keys) that a copy in one of the new batches adds or may change. -#}
{% macro touched_post_keys() -%}
    (
        select distinct post_key from {{ source('normalized', 'posts') }}
        where batch_id in {{ new_batches() }}
    )
{%- endmacro %}


{#- Posts whose view history a run must rebuild: newly observed, or touched by a new copy. -#}
{% macro post_views_to_rebuild() -%}
    (
        select post_key from {{ source('normalized', 'post_views') }}
        where batch_id in {{ new_batches() }}
        union
        select post_key from {{ touched_post_keys() }}
    )
{%- endmacro %}
