{#-
    What each post cites, one row per (post, cited channel, kind): the channel a forward comes
    from (by its link; a forward without one keeps only its display name, resolved in
    fct_channel_citations), the channels its t.me links point at, the channels it @mentions.
    A channel's links to and mentions of itself are not citations; its forwards of its own
    posts are kept, as fct_posts counts them among its forwards.
-#}
{{ post_citations(ref('int_posts_resolved')) }}
