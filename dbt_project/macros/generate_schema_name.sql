{#-
    Use a model's custom schema exactly as written (staging, intermediate, marts, audit) instead
    of dbt's default "<target_schema>_<custom>", so analysts query `marts.fct_posts`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
