"""Data Docs pages made offline and safe, after Great Expectations writes them.

GX renders values from the data into its pages as they are: a failing value of an expectation
(say a channel username that fails the channel regex) lands in a table cell unescaped, so a
username such as ``<img src=x onerror=...><script>...</script>`` became markup and ran in the
reader's browser. And its pages load their styles and scripts from CDNs, so offline they render
unstyled, with blank status icons and an empty index.

Each page GX wrote is parsed once (selectolax's HTML5 parser, the one the web-preview parser
uses) and rewritten:

- CDN stylesheets and scripts point at the copies in ``static/vendor/`` (docs_assets.py); those
  not served are left out, and the logo comes from GX's own images.
- The index's two tables, which bootstrap-table would build in the browser from data inside a
  script, are written as HTML tables (no Python package ships bootstrap-table); their script
  goes.
- Sanitizing: an element GX's templates never write (``script`` that is not one of the
  templates' own, ``img`` that is not one of GX's images, a link elsewhere than the site or
  greatexpectations.io, ``iframe``, ``svg``, ``form``, ``style`` or ``meta`` in the body, ...)
  is replaced by its own source as text, so the value reads as it was written and never acts.
  Event-handler attributes go, except the templates' own (``showAllValidations()``), and so
  do URL attributes outside the few elements that need one, and inline styles that could
  load a URL.

"The templates' own" scripts and handlers are read from the installed GX templates: the
inline scripts and handlers written there with no template expression inside, so that data
cannot shape them. A processed page starts with ``FINISHED``; pages that do not are processed
at the next build, so a page GX rewrote is never left as GX wrote it.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from orchestration.common.durable import write_text_atomic
from orchestration.config import DocsLayout
from orchestration.validate import docs_assets

FINISHED = "<!DOCTYPE html>\n<!-- tgwh: offline, sanitized -->\n"

# What GX's templates and renderers write in a page's body (and mistune's Markdown of notes).
BODY_ELEMENTS = frozenset(
    """html head body div span p a ul ol li dl dt dd table caption colgroup col thead tbody
    tfoot tr th td nav header footer section main article aside h1 h2 h3 h4 h5 h6 strong b em
    i u s small sup sub code pre kbd samp blockquote br hr label input button img abbr""".split()
)
HEAD_ELEMENTS = frozenset({"title", "meta", "link", "style", "script"})
# Attributes that load or navigate to a URL; each is kept only where listed in URL_KEPT.
URL_ATTRIBUTES = frozenset(
    """href src srcset action formaction xlink:href background poster data ping cite longdesc
    lowsrc dynsrc codebase archive manifest srcdoc""".split()
)
URL_KEPT = {"a": "href", "link": "href", "img": "src", "script": "src"}
# Links a page may keep besides the site's own pages: GX's documentation.
LINKED_HOSTS = frozenset(
    {"greatexpectations.io", "www.greatexpectations.io", "docs.greatexpectations.io"}
)

_TEMPLATES = ("render", "view", "templates")
_BOOTSTRAP_TABLE = re.compile(
    r"\s*\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*"
    r"columns:\s*(?P<columns>\[.*?\]),\s*data:\s*(?P<data>\[.*\]),\s*"
    r"toolbar:\s*'#(?P=id)-toolbar'\s*\},\s*(?P<options>\{.*?\})\s*\)\s*\);",
    re.DOTALL,
)

# What lets an inline style load a URL or run code (CSS escapes could spell any of it).
_LOADING_CSS = re.compile(r"url|image|@import|expression|\\", re.IGNORECASE)


def _normalized(script: str) -> str:
    return " ".join(script.split())


@functools.cache
def template_own() -> tuple[frozenset[str], frozenset[str]]:
    """The inline scripts (whitespace normalized) and event-handler values that GX's installed
    templates write verbatim: no template expression inside, so no data in them."""
    scripts, handlers = set(), set()
    # find_spec, not importlib.resources: it locates GX without importing it (seconds)
    spec = importlib.util.find_spec("great_expectations")
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*_TEMPLATES)
    for template in sorted(folder.iterdir()):
        if not template.name.endswith(".j2"):
            continue
        tree = LexborHTMLParser(template.read_text(encoding="utf-8"))
        for node in tree.root.traverse(include_text=False):
            attributes = node.attributes
            for name, value in attributes.items():
                if name.lower().startswith("on") and value and "{" not in value:
                    handlers.add(value)
            if node.tag == "script" and "src" not in attributes:
                text = node.text(deep=True)
                if "{{" not in text and "{%" not in text and text.strip():
                    scripts.add(_normalized(text))
    return frozenset(scripts), frozenset(handlers)


def _url(value: str):
    """A URL attribute as a browser reads it: tabs and line breaks inside are ignored, C0
    controls and spaces around it too, and a backslash counts as a slash."""
    cleaned = "".join(ch for ch in value if ch not in "\t\n\r")
    cleaned = cleaned.strip("".join(chr(code) for code in range(33))).replace("\\", "/")
    return urlsplit(cleaned)


def _is_remote(value: str) -> bool:
    parts = _url(value)
    return bool(parts.scheme or parts.netloc)


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


class _Page:
    def __init__(self, path: Path, layout: DocsLayout):
        self.path = path
        self.layout = layout

    def points_into(self, value: str | None, folder: Path) -> bool:
        """A relative URL of this page that names a file inside ``folder``."""
        if not value:
            return False
        parts = _url(value)
        if parts.scheme or parts.netloc or not parts.path:
            return False
        target = (self.path.parent / unquote(parts.path)).resolve()
        return target.is_relative_to(folder.resolve())

    def safe_link(self, value: str | None) -> bool:
        if value is None:
            return True
        parts = _url(value)
        if not parts.scheme and not parts.netloc:
            return True  # a page of the site, or an anchor in this one
        return parts.scheme == "https" and (parts.hostname or "") in LINKED_HOSTS


# --- offline: CDN URLs to the vendored copies --------------------------------------------------


def _rewrite_remote(tree: LexborHTMLParser, page: _Page) -> None:
    vendor = page.layout.vendor_dir
    for node, attribute in [(n, "href") for n in tree.css("link[href]")] + [
        (n, "src") for n in tree.css("script[src]")
    ]:
        url = node.attributes.get(attribute) or ""
        local = docs_assets.vendored_path(url, vendor)
        if local is not None:
            node.attrs[attribute] = _relative(local, page.path)
            for stale in ("integrity", "crossorigin"):  # another file; and file: has no CORS
                if stale in node.attributes:
                    del node.attrs[stale]
        elif _is_remote(url):
            node.decompose()
    logo = page.layout.images_dir / docs_assets.LOGO_FILE
    for node in tree.css("img[src]"):
        src = node.attributes.get("src") or ""
        if src.startswith(docs_assets.IMAGES_URL):
            name = Path(urlsplit(src).path).name
            image = page.layout.images_dir / name
            node.attrs["src"] = _relative(image if image.is_file() else logo, page.path)
    for node in tree.css("style"):
        css = node.text(deep=True)
        if docs_assets.DARK_LOGO_URL in css:
            css = css.replace(docs_assets.DARK_LOGO_URL, _relative(logo, page.path))
            node.replace_with(_style_node(css))


def _style_node(css: str) -> LexborNode:
    return LexborHTMLParser(f"<style>{css}</style>").css_first("style")


# --- the index's tables, written as HTML ----------------------------------------------------------


def _index_table_html(table_id: str, columns: list, rows: list, options: dict) -> str:
    """The table bootstrap-table would build: GX's columns, rows in GX's order, each row's
    first cell a link to its page (GX made the whole row clickable). Cells stay GX's HTML; the
    sanitizing pass that follows treats them as any other part of the page."""
    from jinja2 import Environment
    from markupsafe import Markup

    sort_field = options.get("sortName")
    sort_key = next(
        (c.get("sortName", sort_field) for c in columns if c.get("field") == sort_field), None
    )
    if sort_key:
        present = [row for row in rows if row.get(sort_key) is not None]
        missing = [row for row in rows if row.get(sort_key) is None]
        try:
            present.sort(key=lambda row: row[sort_key], reverse=options.get("sortOrder") == "desc")
        except TypeError:  # mixed kinds of values: keep GX's order
            pass
        rows = present + missing
    template = Environment(autoescape=True).from_string(
        '<table id="{{ table_id }}" class="table table-sm table-hover table-bordered">'
        "<thead><tr>{% for column in columns %}<th>{{ column.title }}</th>{% endfor %}</tr>"
        "</thead><tbody>{% for row in rows %}<tr>{% for cell in row.cells %}<td>"
        '{% if loop.first and row.link %}<a href="{{ row.link }}">{{ cell }}</a>'
        "{% else %}{{ cell }}{% endif %}</td>{% endfor %}</tr>{% endfor %}</tbody></table>"
    )
    return template.render(
        table_id=table_id,
        columns=columns,
        rows=[
            {
                "link": row.get("_table_row_link_path"),
                "cells": [Markup(str(row.get(c.get("field"), ""))) for c in columns],
            }
            for row in rows
        ],
    )


def _rebuild_index_tables(tree: LexborHTMLParser) -> None:
    for script in tree.css("script"):
        if "src" in script.attributes:
            continue
        match = _BOOTSTRAP_TABLE.match(script.text(deep=True))
        if match is None:
            continue
        try:  # Python literals (GX writes them with Jinja's repr): data only, never code
            columns, rows, options = (
                ast.literal_eval(match.group(part)) for part in ("columns", "data", "options")
            )
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue  # not the template's shape: the sanitizing pass removes the script
        if not (
            isinstance(columns, list)
            and isinstance(rows, list)
            and isinstance(options, dict)
            and all(isinstance(item, dict) for item in columns + rows)
        ):
            continue
        table_id = match.group("id")
        table = tree.css_first(f"table#{table_id}")
        if table is None:
            continue
        new = LexborHTMLParser(_index_table_html(table_id, columns, rows, options))
        table.replace_with(new.css_first("table"))
        toolbar = tree.css_first(f"#{table_id}-toolbar")
        if toolbar is not None:
            toolbar.decompose()  # its buttons clear bootstrap-table's filters
        script.decompose()


# --- sanitizing ----------------------------------------------------------------------------------


def _keeps(node: LexborNode, page: _Page, in_head: bool) -> bool | None:
    """True: keep the element; False: its source becomes text; None: drop it (head only)."""
    tag = node.tag
    attributes = node.attributes
    scripts, _ = template_own()
    if tag == "script":
        if "src" in attributes:
            kept = page.points_into(attributes["src"], page.layout.vendor_dir)
        else:
            kept = _normalized(node.text(deep=True)) in scripts
        return True if kept else (None if in_head else False)
    if tag == "link":
        if not in_head:
            return False
        return True if page.points_into(attributes.get("href"), page.layout.static_dir) else None
    if tag in ("style", "meta", "title"):
        return True if in_head else False
    if tag == "img":
        return page.points_into(attributes.get("src"), page.layout.images_dir)
    if tag == "a":
        return page.safe_link(attributes.get("href"))
    return tag in BODY_ELEMENTS


def _clean_attributes(node: LexborNode) -> None:
    _, handlers = template_own()
    kept_url = URL_KEPT.get(node.tag)
    for name, value in node.attributes.items():
        lowered = name.lower()
        if lowered.startswith("on"):
            if value not in handlers:
                del node.attrs[name]
        elif lowered in URL_ATTRIBUTES and lowered != kept_url:
            del node.attrs[name]
        elif lowered == "style" and _LOADING_CSS.search(value or ""):
            del node.attrs[name]  # GX's inline styles never load anything


def _sanitize(node: LexborNode, page: _Page, in_head: bool = False) -> None:
    for child in list(node.iter(include_text=False)):
        if child.tag in ("-comment", "-text", "-doctype"):
            continue
        verdict = _keeps(child, page, in_head)
        if verdict is None:
            child.decompose()
        elif verdict is False:
            child.replace_with(child.html or "")
        else:
            _clean_attributes(child)
            if child.tag not in ("script", "style"):
                _sanitize(child, page, in_head or child.tag == "head")


# --- pages --------------------------------------------------------------------------------------


def finished(path: Path) -> bool:
    with path.open("rb") as page:
        return page.read(len(FINISHED.encode())) == FINISHED.encode()


def finish_html(html: str, path: Path, layout: DocsLayout) -> str:
    """One page as GX wrote it -> offline and sanitized (``path``: where it lives in the site,
    for its relative URLs)."""
    tree = LexborHTMLParser(html)
    page = _Page(path, layout)
    _rewrite_remote(tree, page)
    _rebuild_index_tables(tree)
    _clean_attributes(tree.root)
    _sanitize(tree.root, page)
    body = tree.html or ""
    body = body.removeprefix("<!DOCTYPE html>").lstrip()
    return FINISHED + body


def finish_site(layout: DocsLayout) -> list[Path]:
    """Vendor the assets, then finish every page GX wrote since the last time. Our own pages
    (the dbt docs, the start page) and the vendored files are not GX's and are left alone."""
    docs_assets.install_assets(layout.vendor_dir)
    done = []
    for path in sorted(layout.root.rglob("*.html")):
        if path == layout.start_page or path.is_relative_to(layout.dbt_dir):
            continue
        if path.is_relative_to(layout.static_dir) or finished(path):
            continue
        html = path.read_text(encoding="utf-8")
        write_text_atomic(path, finish_html(html, path, layout))
        done.append(path)
    return done
