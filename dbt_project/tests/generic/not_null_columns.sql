{#-
    One row per null value in any of the given columns: a model's not-null rules as one test,
    not one per column (each dbt test is a node dbt schedules and a check Dagster records on
    every run, and not-null rules are most of them). The failing column is named in each row.
    conditions: {column: SQL condition} for a column that must be set only where it holds.
-#}
{% test not_null_columns(model, columns, conditions={}) %}

{% for column in columns %}
select '{{ column }}' as null_column
from {{ model }}
where {{ column }} is null
{%- if column in conditions %} and ({{ conditions[column] }}){% endif %}
{% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
