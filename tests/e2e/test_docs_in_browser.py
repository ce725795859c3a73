"""The documentation `tgwh docs` writes, opened in a real browser with the network cut off.

Headless Chromium (support/browser.py) opens the Data Docs and the dbt docs from file: URLs.
Every request that is not a file is refused and recorded, so a page that still reaches for a
CDN fails here instead of rendering unstyled on a reader's machine. The home, once for the
module, is a copy of the bundled sample's with a saved web-preview page added whose header
holds markup and script: the channel regex of dim_channels fails on it, and GX writes the
failing value into its page.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.browser import Offline, chromium, requires_chromium
from support.cli import tgwh
from support.fake_telegram import make_channel, render_page
from support.homes import copy_home, shared_home

from orchestration.config import Home

pytestmark = requires_chromium

# Sets a global and the title if it ever runs, by either route.
PAYLOAD = (
    "<img src=x onerror=\"window.__xss='img';document.title='xss'\">"
    "<script>window.__xss='script';document.title='xss'</script>"
)


def hostile_saved_page(folder: Path) -> Path:
    """A saved t.me/s page, as Telegram escapes it, whose header's username and title are
    PAYLOAD."""
    channel = make_channel("mirror_channel", 6, seed=3, end=datetime.now(UTC) - timedelta(days=2))
    channel.title = PAYLOAD  # render_page escapes the title as Telegram does
    page = render_page(channel, None, lambda message: message.base_views)
    page = page.replace(">@mirror_channel</a>", f">@{html.escape(PAYLOAD)}</a>")
    path = folder / "mirror_channel.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def documented(sample_home, tmp_path_factory):
    """The sample's home (a copy), the hostile page added, then `tgwh docs`: built once per
    session, since the module's tests may run on either worker, and only read."""

    def build(home: Path) -> None:
        copy_home(sample_home, home)
        inputs = home.parent / f"{home.name}-inputs"
        inputs.mkdir()
        built = tgwh(home, "run", str(hostile_saved_page(inputs)))
        assert "gx_dim_channels" in built.stdout  # the hostile username failed the channel regex
        (inputs / "docs.txt").write_text(tgwh(home, "docs").stdout)

    home = shared_home(tmp_path_factory, "documented", build)
    return Home(home), (home.parent / f"{home.name}-inputs" / "docs.txt").read_text()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def offline(browser):
    tab = Offline(browser)
    yield tab
    tab.close()


def assert_bootstrap_and_icons(page) -> None:
    """Bootstrap's body font and Font Awesome's icon font, from the vendored files."""
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any("/static/vendor/bootstrap-" in href for href in sheets), sheets
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")
    icon = page.locator(".fas").first
    assert "Font Awesome 6 Free" in icon.evaluate("node => getComputedStyle(node).fontFamily")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")


def test_tgwh_docs_prints_where_both_sites_are(documented):
    home, printed = documented
    for path in (home.docs.start_page, home.docs.dbt_index, home.docs.data_docs_index):
        assert path.is_file() and path.is_relative_to(home.root)
        assert path.resolve().as_uri() in printed


def test_the_data_docs_index_renders_styled_with_its_tables_offline(documented, offline):
    home, _ = documented
    page = offline.open(home.docs.data_docs_index)
    assert_bootstrap_and_icons(page)
    validations = sorted(home.docs.root.glob("validations/**/*.html"))
    rows = page.locator("#section-1-content-block-2-1-body-table tbody tr")
    assert rows.count() == len(validations) > 0
    # each row leads to its validation page, which exists
    links = rows.locator("td:first-child a").evaluate_all("nodes => nodes.map(n => n.href)")
    assert sorted(links) == sorted(path.resolve().as_uri() for path in validations)
    failed = page.locator("tr", has_text="dim_channels").first.locator(".fa-times")
    assert failed.count() == 1  # the failed validation's status icon
    assert offline.refused == [] and offline.errors == []


def test_the_hostile_header_reads_as_text_and_never_runs(documented, offline):
    home, _ = documented
    # the sample's build validated dim_channels too; the hostile page's build wrote this one
    validations = home.docs.root.glob("validations/dim_channels/**/*.html")
    (validation,) = [page for page in validations if "__xss" in page.read_text()]
    page = offline.open(validation)
    page.wait_for_timeout(300)  # time for an image's error handler to fire
    assert page.evaluate("window.__xss") is None
    assert page.title() != "xss"
    assert page.locator("img[src='x']").count() == 0
    cell = page.locator("td", has_text="window.__xss='script'").last
    assert "<script>" in cell.inner_text()  # the value as written, readable
    assert_bootstrap_and_icons(page)
    assert page.locator("table").count() > 1
    assert offline.refused == [] and offline.errors == []


def test_the_dbt_docs_render_offline(documented, offline):
    home, _ = documented
    page = offline.open(home.docs.dbt_index, "#!/model/model.tgwh.fct_posts")
    columns = page.locator("table", has_text="post_key").first
    columns.wait_for(timeout=15_000)
    assert "fct_posts" in page.locator("body").inner_text()
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # dbt's own styles
    assert offline.refused == []


def test_the_start_page_links_both_sites(documented, offline):
    home, _ = documented
    page = offline.open(home.docs.start_page)
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")
    hrefs = page.locator("a").evaluate_all("nodes => nodes.map(n => n.href)")
    assert hrefs == [
        home.docs.dbt_index.resolve().as_uri(),
        home.docs.data_docs_index.resolve().as_uri(),
    ]


def test_the_dagster_ui_links_the_docs(documented, monkeypatch):
    """The published warehouse and the GX checks carry links to the docs (the UI shows
    materialization and check metadata on the asset's page)."""
    import dagster as dg

    home, _ = documented
    monkeypatch.setenv("DAGSTER_HOME", str(home.dagster_home))
    with dg.DagsterInstance.get() as instance:
        published = instance.get_latest_materialization_event(
            dg.AssetKey(["warehouse", "published"])
        )
        metadata = published.asset_materialization.metadata
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey(["marts", "dim_channels"]), "gx_dim_channels")]
        )
    assert metadata["data_docs"].value == home.docs.data_docs_index.resolve().as_uri()
    assert metadata["dbt_docs"].value == home.docs.dbt_index.resolve().as_uri()
    (execution,) = check.values()
    evaluation = execution.event.dagster_event.event_specific_data
    assert evaluation.metadata["data_docs"].value == home.docs.data_docs_index.resolve().as_uri()
