{#-
    What a data test reads: on an incremental build, the rows of the posts the run touched; on a
    full refresh, the whole relation.

    dbt wraps the relation every generic test reads in this macro (dbt's own version applies the
    test's `where` config, as this one still does). For the tests of an incremental model or a
    view with a `post_key` column, this one also keeps only the posts the run's new batches touch
    (new_batches.sql), so that a daily run checks what it wrote instead of the whole history. This is sound because an incremental build only
    adds batches (a removed batch, or a change of code, runs a full refresh, which checks every
    row): a post the run did not touch keeps the rows that the run that wrote them checked, and
    the keys these tests check include `post_key`, so a duplicate always lies within one touched
    post. Other tables are rebuilt whole and are tested whole. Rows an incremental build rewrites
    for a post it did not touch (an older reply whose target arrived, an event another post now
    also reports) are checked on the next full refresh.

    The new batches are looked up once per test and named as a constant list: DuckDB then reads
    only those batches' files (a subquery would scan every file's row groups).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if execute and not tests_the_whole_relation() -%}
        {%- do return(
            "(select * from " ~ relation ~ " where post_key in " ~ posts_of_the_new_batches()
            ~ ((" and (" ~ where ~ ")") if where else "") ~ ") dbt_subquery"
        ) -%}
    {%- endif -%}
    {%- do return(dbt.default__get_where_subquery(relation)) -%}
{%- endmacro %}


{#- Whether the test being compiled must read its whole relation: on a full refresh (or the
    first build, which has no build stamp yet), and for a table rebuilt whole or a relation
    without posts. -#}
{% macro tests_the_whole_relation() -%}
    {%- set stamp = source('warehouse', 'build_stamp') -%}
    {%- if flags.FULL_REFRESH
        or adapter.get_relation(stamp.database, stamp.schema, stamp.identifier) is none -%}
        {%- do return(true) -%}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- if tested is none or 'post_key' not in tested.columns -%}
        {%- do return(true) -%}
    {%- endif -%}
    {%- do return(tested.config.materialized not in ('incremental', 'view')) -%}
{%- endmacro %}


{#- The keys of the posts that a copy in one of the run's new batches adds or may change. -#}
{% macro posts_of_the_new_batches() -%}
    {%- set found = run_query("select batch_id from " ~ new_batches() ~ " order by batch_id") -%}
    {%- set batch_ids = found.columns[0].values() -%}
    (select post_key from {{ source('normalized', 'posts') }} where batch_id in (
        {%- for batch_id in batch_ids -%}
            '{{ batch_id | replace("'", "''") }}'{{ ", " if not loop.last }}
        {%- else -%}
            null
        {%- endfor -%}
    ))
{%- endmacro %}
