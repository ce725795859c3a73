{#- The leader mentions found in the kept copy of each post: copies superseded by a later edit
    drop out; a mention whose post is missing altogether stays, for the relationships tests to
    catch. -#}
with mentions as (
    select * from {{ ref('stg_leader_mentions') }}
),

current_mentions as (
    {{ drop_superseded_copies('mentions', ref('int_post_versions_ranked')) }}
)

select * from current_mentions
