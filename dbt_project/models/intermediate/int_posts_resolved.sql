{#- One row per post: the kept copy of each (see int_post_versions_ranked), with the views,
    reactions, forwards and replies of the latest landing that showed them (resolved_posts). -#}
{{ resolved_posts() }}
