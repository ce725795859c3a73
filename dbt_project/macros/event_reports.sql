{#- Post-hook of fct_event_reports: delete+insert replaces the events that still have a report;
    an event whose only reports were touched, and report it no more, leaves rows behind, which
    go here (only touched posts' rows can be such). A full build renders nothing. -#}
{% macro delete_unreported_events() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as reports
        where reports.post_key in {{ touched_post_keys() }}
            and not exists (
                select 1 from {{ ref('fct_diplomatic_events') }} as events
                where events.event_key = reports.event_key
                    and events.post_key = reports.post_key
            )
    {%- endif -%}
{%- endmacro %}
