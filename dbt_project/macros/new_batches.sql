{#-
    The ingested batches the warehouse being built does not hold yet, as a subquery.

    A run builds into a copy of the published warehouse, whose build stamp (source
    `warehouse.build_stamp`, the table audit.warehouse_build, written by the orchestrator once a
    complete dbt build succeeded, never by a model) lists the batches it was built from; so the
    set is stable for the whole dbt run, whatever order the models build in. Incremental models
    rebuild only the posts these batches touch. The orchestrator runs `dbt build --full-refresh`
    when there is no such row or when the code that built the published warehouse differs, so an
    incremental run always starts from a warehouse built by the same code.

    Only call these macros inside `{% if is_incremental() %}`: a full refresh never reads the
    stamp, so it works before the table exists.
-#}
{% macro new_batches() -%}
    (
        select batch_id from {{ source('normalized', 'ingested_files') }}
        where batch_id not in (
            select unnest(batch_ids) from {{ source('warehouse', 'build_stamp') }}
        )
    )
{%- endmacro %}


{#- new_batches' batch ids, as a list, looked up when the model runs (none while parsing). -#}
{% macro new_batch_ids() -%}
    {%- if not execute -%}
        {%- do return([]) -%}
    {%- endif -%}
    {%- set found = run_query("select batch_id from " ~ new_batches() ~ " order by batch_id") -%}
    {%- do return(found.columns[0].values() | list) -%}
{%- endmacro %}


{#- The batches whose entity partitions hold the rows an incremental fact rebuilds: those of
    the touched posts' kept copies, and the new batches (a row whose post is missing comes with
    its batch), as a literal list, so that DuckDB reads only their files. -#}
{% macro batches_of_the_run() -%}
    {{ sql_list((batch_ids_holding(touched_post_keys(), kept_only=true) + new_batch_ids()) | unique | sort) }}
{%- endmacro %}


{#- Strings as a parenthesised SQL list of literals; (null), matching nothing, for none. -#}
{% macro sql_list(values) -%}
    ({%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- else -%}
        null
    {%- endfor -%})
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


{#- Mentions (rows of the model being built, {{ this }}) of a leader whose country differs from
    the one recorded for them: a later batch told more about a discovered leader, so all their
    mentions follow. A condition for delete_rows_to_rebuild's also_where. -#}
{% macro leader_country_changed() -%}
    leader_key in (
        select stale.leader_key from {{ this }} as stale
        inner join {{ ref('stg_leaders') }} as leaders on leaders.leader_key = stale.leader_key
        where stale.leader_country_iso2 is distinct from leaders.country_iso2
    )
{%- endmacro %}
