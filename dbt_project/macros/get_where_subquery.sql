{#-
    What a data test reads: on an incremental build, the rows of the posts the run touched; on a
    full refresh, the whole relation.

    dbt wraps the relation every generic test reads in this macro (dbt's own version applies the
    test's `where` config, as this one still does). For the tests of an incremental model or a
    view with a `post_key` column, this one also keeps only the posts the run's new batches
    touch (new_batches.sql), so that a daily run checks what it wrote instead of the whole
    history. This is sound because an incremental build only adds batches (a removed batch, or a
    change of code, runs a full refresh, which checks every row): a post the run did not touch
    keeps the rows that the run that wrote them checked, and the keys these tests check include
    `post_key`, so a duplicate always lies within one touched post. Other tables are rebuilt
    whole and are tested whole. Rows an incremental build rewrites for a post it did not touch
    (an older reply whose target arrived, an event another post now also reports) are checked on
    the next full refresh.

    The new batches are looked up once per test and named as constants: DuckDB then reads only
    those batches' files (for a subquery it would scan every file's row groups).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if execute and not tests_the_whole_relation() -%}
        {%- set tested = graph.nodes[model.attached_node] -%}
        {%- do return(
            "(select * from " ~ relation ~ " where post_key in "
            ~ posts_of_the_new_batches(listed=tested.config.materialized == 'view')
            ~ ((" and (" ~ where ~ ")") if where else "") ~ ") dbt_subquery"
        ) -%}
    {%- endif -%}
    {%- do return(dbt.default__get_where_subquery(relation)) -%}
{%- endmacro %}


{#- Whether the test being compiled must read its whole relation: on a full refresh (or the
    first build, which has no build stamp yet), for a table rebuilt whole or a relation without
    posts, and for the not-null tests of a table: DuckDB answers those from the columns'
    statistics without reading a row, faster than it filters the run's posts. -#}
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
    {%- if tested.config.materialized == 'incremental' -%}
        {%- do return(model.test_metadata.name == 'not_null_columns') -%}
    {%- endif -%}
    {%- do return(tested.config.materialized != 'view') -%}
{%- endmacro %}


{#- The keys of the posts that a copy in one of the run's new batches adds or may change: a
    subquery, or with `listed` the keys themselves (DuckDB pushes a list of constants down
    into a view's scans; it computes the whole view before it filters it by a subquery). -#}
{% macro posts_of_the_new_batches(listed=false) -%}
    {%- set posts = "select post_key from " ~ source('normalized', 'posts')
        ~ " where batch_id in " ~ sql_list(new_batch_ids()) -%}
    {%- if listed -%}
        {{ sql_list(run_query(posts ~ " order by post_key").columns[0].values()) }}
    {%- else -%}
        ({{ posts }})
    {%- endif -%}
{%- endmacro %}
