{#-
    How a post names another channel: a t.me link, an @mention, a forward. Used by
    int_post_citations (what each post cites) and fct_channel_citations (forwards whose origin
    is known only by its display name, matched to a channel's title).
-#}

{#- Paths of t.me that look like usernames but are Telegram's own pages (proxy settings,
    sticker sets, folders, invoices...), never channels. -#}
{% macro telegram_reserved_paths() -%}
    ('addemoji', 'addlist', 'addstickers', 'addtheme', 'boost', 'confirmphone', 'contact',
     'giftcode', 'invoice', 'joinchat', 'login', 'proxy', 'setlanguage', 'share', 'socks')
{%- endmacro %}


{#- A link to a channel or one of its posts: http(s)://, www. optional, t.me or telegram.me,
    the web preview's /s/ optional, a username (5-32 letters, digits or '_', a letter first),
    optionally /<message id>, then nothing but a slash, a query or a fragment. Invite links
    (t.me/+..., t.me/joinchat/...), private-channel links (t.me/c/<id>/...) and sticker sets
    do not match. Group 1 is the username, group 2 the message id. -#}
{% macro telegram_link_pattern() -%}
    '^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{4,31})(?:/([0-9]{1,18}))?/?(?:[?#].*)?$'
{%- endmacro %}


{#- The lower-case username a t.me link points at, else null (see telegram_link_pattern; the
    caller leaves out telegram_reserved_paths where the link is not known to be a channel's). -#}
{% macro telegram_link_channel(link) -%}
    lower(nullif(regexp_extract({{ link }}, {{ telegram_link_pattern() }}, 1, 'i'), ''))
{%- endmacro %}


{#- The message id a t.me link points at (t.me/<channel>/<id>), else null. -#}
{% macro telegram_link_message_id(link) -%}
    try_cast(nullif(regexp_extract({{ link }}, {{ telegram_link_pattern() }}, 2, 'i'), '') as bigint)
{%- endmacro %}


{#- A title as forwards show it, for matching: trimmed, inner whitespace collapsed, lower-case.
    Emoji stay: Telegram shows the title as the channel set it ("Russian MFA 🇷🇺"). -#}
{% macro channel_title_key(title) -%}
    lower(regexp_replace(trim({{ title }}), '\s+', ' ', 'g'))
{%- endmacro %}


{#- Titles of dim_channels that name exactly one channel, as (title_key, channel). -#}
{% macro unambiguous_channel_titles() -%}
    (
        select {{ channel_title_key('title') }} as title_key, min(channel) as channel
        from {{ ref('dim_channels') }}
        where nullif(trim(title), '') is not null
        group by 1
        having count(*) = 1
    )
{%- endmacro %}


{#- Post-hook of fct_channel_citations: on an incremental run, forwards known only by their
    display name that were resolved by the titles of an earlier build are resolved again with
    today's titles (a new header may name the channel, or make a title ambiguous), so the rows
    of posts the run did not touch agree with a full refresh. Only rows whose answer changed are
    written; a full build renders nothing. -#}
{% macro resolve_forwards_by_title_again() -%}
    {%- if is_incremental() -%}
        update {{ this }} as citations
        set
            cited_channel = resolved.channel,
            cited_channel_source = case when resolved.channel is not null then 'title' end
        from (
            select stale.post_key, titles.channel
            from {{ this }} as stale
            left join {{ unambiguous_channel_titles() }} as titles
                on titles.title_key = {{ channel_title_key('stale.forwarded_from') }}
            where stale.kind = 'forward'
                and stale.cited_channel_source is distinct from 'username'
                and stale.cited_channel is distinct from titles.channel
        ) as resolved
        where citations.post_key = resolved.post_key
            and citations.kind = 'forward'
    {%- endif -%}
{%- endmacro %}



{#- int_post_citations' SQL over `posts` (a relation or parenthesised query with post_key,
    channel, forwarded_from, forwarded_from_link, links and mentions), as a macro so that
    fct_channel_citations can read an incremental run's posts from fct_posts instead of the view
    over the whole history. -#}
{% macro post_citations(posts) -%}
with posts as (
    select post_key, channel, forwarded_from, forwarded_from_link, links, mentions
    from {{ posts }}
),


forwards as (
    select
        post_key,
        channel,
        'forward' as kind,
        {{ telegram_link_channel('forwarded_from_link') }} as cited_channel,
        {{ telegram_link_message_id('forwarded_from_link') }} as cited_message_id,
        nullif(trim(forwarded_from), '') as forwarded_from,
        1 as reference_count
    from posts
    where forwarded_from is not null or forwarded_from_link is not null
),

linked as (
    select
        post_key,
        channel,
        unnest(links) as link,
        generate_subscripts(links, 1) as position
    from posts
    where len(links) > 0
),

link_targets as (
    select
        post_key,
        channel,
        position,
        {{ telegram_link_channel('link') }} as cited_channel,
        {{ telegram_link_message_id('link') }} as cited_message_id
    from linked
    where link ilike '%t.me/%' or link ilike '%telegram.me/%'
),

-- Several links of one post to one channel (two of its posts, say) are one citation of it,
-- with the message id of the first link that names one.
links as (
    select
        post_key,
        any_value(channel) as channel,
        'link' as kind,
        cited_channel,
        arg_min(cited_message_id, position) filter (
            where cited_message_id is not null
        ) as cited_message_id,
        null::varchar as forwarded_from,
        count(*) as reference_count
    from link_targets
    where cited_channel is not null
        and cited_channel not in {{ telegram_reserved_paths() }}
        and cited_channel <> channel
    group by post_key, cited_channel
),

mentioned as (
    select post_key, channel, unnest(mentions) as cited_channel
    from posts
    where len(mentions) > 0
),

mentions as (
    select
        post_key,
        any_value(channel) as channel,
        'mention' as kind,
        cited_channel,
        null::bigint as cited_message_id,
        null::varchar as forwarded_from,
        count(*) as reference_count
    from mentioned
    where cited_channel <> channel
    group by post_key, cited_channel
),

final as (
    select * from forwards
    union all by name
    select * from links
    union all by name
    select * from mentions
)

select
    post_key,
    channel,
    kind,
    cited_channel,
    cited_message_id,
    forwarded_from,
    cast(reference_count as integer) as reference_count
from final
{%- endmacro %}
