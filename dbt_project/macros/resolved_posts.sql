{#-
    One row per post: the kept copy of each (version_rank 1 in int_post_versions_ranked), with
    the views, reactions, forwards and replies of the latest landing that showed them. The SQL
    of int_posts_resolved, as a macro so that an incremental model can resolve only the posts it
    rebuilds: given `post_keys` (a self-contained subquery of post keys), only their versions are
    read, and only the Parquet of the batches holding their kept copies (a run's new files,
    mostly), where the view would resolve every post of the history first.

    Call it unconditionally from int_posts_resolved, so that parsing records its refs; a model
    that calls it only inside `{% if is_incremental() %}` declares them with `-- depends_on:`.
-#}
{% macro resolved_posts(post_keys=none) -%}
with versions as (
    select * from {{ ref('int_post_versions_ranked') }}
    {%- if post_keys is not none %}
    where post_key in {{ post_keys }}
    {%- endif %}
),

kept as (
    select post_key, batch_id
    from versions
    where version_rank = 1
),

post_copies as (
    select * from {{ ref('stg_posts') }}
    {%- if post_keys is not none %}
    where batch_id in {{ batches_holding(post_keys, kept_only=true) }}
        and post_key in (select post_key from kept)
    {%- endif %}
),

-- Only posts seen more than once need their counters looked up across copies.
latest_counters as (
    select
        post_key,
        arg_max(views, ingested_at) filter (where views is not null) as views,
        arg_max(reactions_total, ingested_at) filter (
            where reactions_total is not null
        ) as reactions_total,
        arg_max(forwards, ingested_at) filter (where forwards is not null) as forwards,
        arg_max(replies, ingested_at) filter (where replies is not null) as replies,
        arg_max(reactions, ingested_at) filter (where reactions is not null) as reactions
    from versions
    where version_count > 1
    group by post_key
),

resolved as (
    select
        post_copies.* replace (
            coalesce(latest_counters.views, post_copies.views) as views,
            coalesce(latest_counters.reactions_total, post_copies.reactions_total)
                as reactions_total,
            coalesce(latest_counters.forwards, post_copies.forwards) as forwards,
            coalesce(latest_counters.replies, post_copies.replies) as replies,
            coalesce(latest_counters.reactions, post_copies.reactions) as reactions
        )
    from post_copies
    inner join kept
        on kept.post_key = post_copies.post_key
        and kept.batch_id = post_copies.batch_id
    left join latest_counters on latest_counters.post_key = post_copies.post_key
)

select * from resolved
{%- endmacro %}



{#- The batches holding copies of `post_keys` (only their kept copies, with `kept_only`), as a
    literal list: DuckDB skips the row groups of every other file for a constant list, while a
    subquery of the same batches still reads the whole history's columns. Queried when the
    model runs (int_post_versions_ranked is built by then); `(null)`, matching nothing, when
    there are none or while parsing. -#}
{% macro batches_holding(post_keys, kept_only=false) -%}
    {{ sql_list(batch_ids_holding(post_keys, kept_only)) }}
{%- endmacro %}


{#- batches_holding's batch ids, as a list. -#}
{% macro batch_ids_holding(post_keys, kept_only=false) -%}
    {%- if not execute -%}
        {%- do return([]) -%}
    {%- endif -%}
    {%- set found = run_query(
        "select distinct batch_id from " ~ ref('int_post_versions_ranked')
        ~ " where post_key in " ~ post_keys
        ~ (" and version_rank = 1" if kept_only else "")
        ~ " order by batch_id"
    ) -%}
    {%- do return(found.columns[0].values() | list) -%}
{%- endmacro %}


{#- The posts a fact joins its rows to, with `columns`: on an incremental run the rows
    `post_keys` names (a subquery, or a macro passed uncalled as delete_rows_to_rebuild takes
    one, so that parsing records no dependency on what it reads), read from fct_posts (built earlier in the run, so not resolved again from
    the history); on a full build the int_posts_resolved view, whose plan keeps DuckDB within its
    memory limit where joining the fct_posts table did not. The model declares
    `-- depends_on: {{ ref('fct_posts') }}`. -#}
{% macro posts_of_the_run(columns, post_keys) -%}
    {%- if is_incremental() -%}
    select {{ columns }} from {{ ref('fct_posts') }}
    where post_key in {{ post_keys if post_keys is string else post_keys() }}
    {%- else -%}
    select {{ columns }} from {{ ref('int_posts_resolved') }}
    {%- endif -%}
{%- endmacro %}
