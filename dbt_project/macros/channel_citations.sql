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

