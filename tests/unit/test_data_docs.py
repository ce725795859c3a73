"""Data Docs pages made offline and safe (validate/docs_assets.py, validate/docs_pages.py).

Pure code on small pages in GX's shape; tests/e2e/test_docs_in_browser.py opens the real site
in a browser.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from orchestration.config import DocsLayout
from orchestration.validate import docs_assets, docs_pages

PAYLOAD = (
    "<img src=x onerror=\"window.__xss='img'\"><script>window.__xss='script'</script>"
    '<a href="javascript:alert(1)">x</a><iframe src="https://evil.example/"></iframe>'
    '<b style="background:url(https://evil.example/track)">bold</b><svg onload=alert(1)></svg>'
)


def gx_templates() -> Path:
    spec = importlib.util.find_spec("great_expectations")
    return Path(next(iter(spec.submodule_search_locations))) / "render" / "view" / "templates"


@pytest.fixture
def layout(tmp_path) -> DocsLayout:
    layout = DocsLayout(tmp_path / "docs")
    (layout.images_dir).mkdir(parents=True)
    (layout.images_dir / docs_assets.LOGO_FILE).write_bytes(b"png")
    return layout


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def finished_tree(html: str, layout: DocsLayout, where: str = "validations/s/r/t/b.html"):
    path = layout.root / where
    result = docs_pages.finish_html(html, path, layout)
    assert result.startswith(docs_pages.FINISHED)
    return LexborHTMLParser(result), result


def test_every_remote_file_the_templates_load_is_served_or_dropped():
    loaded = set()
    for template in gx_templates().glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        loaded |= set(re.findall(r"<(?:script|link)[^>]*?(?:src|href)=\"(https?://[^\"]+)\"", text))
    assert loaded, "no template loads anything: the templates moved"
    unknown = loaded - set(docs_assets.ASSETS) - set(docs_assets.DROPPED)
    assert not unknown, f"a GX template loads a file neither served nor dropped: {unknown}"


def test_the_assets_are_copied_with_the_fonts_their_stylesheets_name(tmp_path):
    vendor = tmp_path / "vendor"
    copied = docs_assets.install_assets(vendor)
    for url in docs_assets.ASSETS:
        assert docs_assets.vendored_path(url, vendor).is_file(), url
    (icons,) = [url for url, a in docs_assets.ASSETS.items() if a.package == "font_awesome"]
    css = docs_assets.vendored_path(icons, vendor)
    fonts = set(re.findall(r"url\(\.\./webfonts/([^)?#]+)", css.read_text(encoding="utf-8")))
    assert fonts and all((css.parent.parent / "webfonts" / font).is_file() for font in fonts)
    assert copied and docs_assets.install_assets(vendor) == []  # a second build copies nothing


def test_a_hostile_value_reads_as_text_and_cannot_act(layout):
    cell = f'<td id="c"><div class="show-scrollbars">{PAYLOAD}</div></td>'
    tree, html = finished_tree(page(f"<table><tr>{cell}</tr></table>"), layout)
    assert tree.css("img, iframe, svg, body script") == []
    assert tree.css_first("#c b").attributes == {}  # its style could load a URL
    assert "onerror" not in "".join(str(n.attributes) for n in tree.root.traverse())
    assert [a.attributes.get("href") for a in tree.css("a")] == []
    text = tree.css_first("#c").text()
    assert "<script>window.__xss='script'</script>" in text
    assert 'href="javascript:alert(1)"' in text


def test_the_templates_own_scripts_and_handlers_stay(layout):
    scripts, handlers = docs_pages.template_own()
    assert "showAllValidations()" in handlers
    own = max(scripts, key=len)
    body = (
        f'<button onclick="showAllValidations()">all</button>'
        f'<button onclick="alert(1)">evil</button><script>{own}</script>'
        '<a href="https://docs.greatexpectations.io/docs/">GX</a><a href="#top">top</a>'
    )
    tree, _ = finished_tree(page(body), layout)
    assert [b.attributes.get("onclick") for b in tree.css("button")] == [
        "showAllValidations()",
        None,
    ]
    assert [" ".join(s.text().split()) for s in tree.css("script")] == [own]
    assert [a.attributes["href"] for a in tree.css("a")] == [
        "https://docs.greatexpectations.io/docs/",
        "#top",
    ]


def test_cdn_files_point_at_the_vendored_copies_and_the_rest_go(layout):
    head = (
        f'<link rel="stylesheet" href="{docs_assets.BOOTSTRAP_CSS_URL}" integrity="sha-x" '
        'crossorigin="anonymous">'
        '<script src="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js">'
        '</script><script src="https://evil.example/x.js"></script>'
    )
    body = f'<img src="{docs_assets.IMAGES_URL}logo-long.png?d=1">'
    tree, _ = finished_tree(page(body, head), layout, where="index.html")
    link = tree.css_first("link")
    css = docs_assets.vendored_path(docs_assets.BOOTSTRAP_CSS_URL, layout.vendor_dir)
    assert link.attributes["href"] == css.relative_to(layout.root).as_posix()
    assert "integrity" not in link.attributes and "crossorigin" not in link.attributes
    assert tree.css("script") == []
    assert tree.css_first("img").attributes["src"] == "static/images/logo-long.png"


def test_the_index_table_is_written_as_html_sorted_as_gx_asked(layout):
    rows = [
        {"run": "2026-01-01", "_sort": 1, "name": "a", "_table_row_link_path": "v/a.html"},
        {
            "run": "2026-01-02",
            "_sort": 2,
            "name": "b<img src=x onerror=alert(1)>",
            "_table_row_link_path": "v/b.html",
        },
    ]
    columns = [
        {"field": "run", "title": "Run", "sortName": "_sort"},
        {"field": "name", "title": "N"},
    ]
    script = (
        "\n  $('#t1').bootstrapTable(\n    Object.assign(\n      {\n"
        f"        columns: {columns!r},\n        data: {rows!r},\n"
        "        toolbar: '#t1-toolbar'\n      },\n"
        "      {'sortName': 'run', 'sortOrder': 'desc'}\n    )\n  );\n"
    )
    body = (
        '<div id="t1-toolbar"><button>clear</button></div><table id="t1"></table>'
        f"<script>{script}</script>"
    )
    tree, _ = finished_tree(page(body), layout, where="index.html")
    assert tree.css("script, #t1-toolbar, img, iframe") == []
    assert [th.text() for th in tree.css("#t1 th")] == ["Run", "N"]
    assert [a.attributes["href"] for a in tree.css("#t1 td a")] == ["v/b.html", "v/a.html"]
    assert 'b<img src="x" onerror="alert(1)">' in tree.css_first("#t1 tbody tr").text()


def test_a_site_is_finished_once_and_our_own_pages_are_left_alone(layout):
    gx_page = layout.root / "validations" / "x.html"
    gx_page.parent.mkdir(parents=True)
    gx_page.write_text(page(f"<p>{PAYLOAD}</p>"), encoding="utf-8")
    layout.dbt_dir.mkdir()
    dbt_page = page("<script>window.dbt = 1</script>")
    layout.dbt_index.write_text(dbt_page, encoding="utf-8")
    assert docs_pages.finish_site(layout) == [gx_page]
    assert docs_pages.finished(gx_page) and "<script>" not in gx_page.read_text().split("-->")[1]
    assert layout.dbt_index.read_text(encoding="utf-8") == dbt_page
    assert docs_pages.finish_site(layout) == []
