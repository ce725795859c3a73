{#- Fails for each element of a LIST column that is not one of the accepted values. -#}
{% test list_elements_accepted(model, column_name, values) %}

with elements as (
    select unnest({{ column_name }}) as element
    from {{ model }}
)

select element, count(*) as occurrences
from elements
where element is null
   or element not in (
    {%- for value in values %}
        '{{ value }}'{{ ',' if not loop.last }}
    {%- endfor %}
   )
group by element

{% endtest %}
