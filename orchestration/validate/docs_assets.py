"""What Great Expectations' Data Docs load from the network, served from the home instead.

GX's page templates (great_expectations/render/view/templates: page.j2, index_page.j2,
js_script_imports.j2, top_navbar.j2) link Bootstrap, jQuery, Popper, Font Awesome,
bootstrap-table, bootstrap-datepicker, a dark theme and Vega from CDNs, and the logo from S3.
Offline, a page then renders unstyled, its status icons blank and its index table empty.

Each CDN URL is either served from files a Python package ships (XStatic packages, GX's own
images), copied into ``<home>/docs/static/vendor/`` at build time, or dropped with the reason
below. tests/unit/test_data_docs.py checks that every URL of the installed templates is one or
the other, so a GX upgrade that adds one fails a test instead of going to the network.
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    """A file of an XStatic package (``xstatic.pkg.<package>``), relative to its data folder;
    ``folders`` are copied beside it whole (the fonts a stylesheet names by relative URL)."""

    package: str
    file: str
    folders: tuple[str, ...] = ()


# GX's templates are written for Bootstrap 4.3; 4.5 (the last Bootstrap 4 XStatic) keeps its
# classes. Its bundle includes Popper, so Popper's own URL is dropped below.
BOOTSTRAP_CSS_URL = "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"
ASSETS: dict[str, Asset] = {
    BOOTSTRAP_CSS_URL: Asset("bootstrap", "css/bootstrap.min.css"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": Asset(
        "bootstrap", "js/bootstrap.bundle.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": Asset("jquery", "jquery.min.js"),
    # 6.2 instead of 6.6: the icons GX uses (fa-check-circle, fa-times, ...) are in both.
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": Asset(
        "font_awesome", "css/all.min.css", folders=("webfonts",)
    ),
}

# Loaded by the templates, not served: each is left out of the pages.
DROPPED: dict[str, str] = {
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "in Bootstrap's bundle"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "no Python package ships bootstrap-table: the index's tables are written as HTML"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "no Python package ships bootstrap-table: the index's tables are written as HTML"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": "an extension of bootstrap-table",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": "an extension of bootstrap-table",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": "an extension of bootstrap-table",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "used only by bootstrap-table's date filter",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "used only by bootstrap-table's date filter",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "a dark theme; the pages stay light",
    "https://cdn.jsdelivr.net/npm/vega@5": "charts of distribution expectations, none in tgwh's",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "charts, as vega",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "charts, as vega",
}

# The logo: GX's templates load it from S3 (with the context's id in the query); GX ships the
# same images in its static folder, which it copies into the site.
IMAGES_URL = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
# The dark theme's logo in GX's stylesheet (not shipped): the light one stands in.
DARK_LOGO_URL = IMAGES_URL + "full_logo_dark.png"
LOGO_FILE = "logo-long.png"


def _package_dir(package: str) -> tuple[Path, str]:
    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR), module.VERSION


def _asset_root(asset: Asset, vendor_dir: Path) -> Path:
    _, version = _package_dir(asset.package)
    return vendor_dir / f"{asset.package}-{version}"


def vendored_path(url: str, vendor_dir: Path) -> Path | None:
    """Where a CDN URL's file lives under the site's vendor folder; None when not served."""
    asset = ASSETS.get(url)
    return None if asset is None else _asset_root(asset, vendor_dir) / asset.file


def install_assets(vendor_dir: Path) -> list[Path]:
    """Copy every served file (and its folders) into the vendor folder; files already there
    with the same size are kept. The version is part of each folder's name, so an upgraded
    package never mixes with the files of the old one."""
    copied = []
    for asset in ASSETS.values():
        source_dir, _ = _package_dir(asset.package)
        root = _asset_root(asset, vendor_dir)
        sources = [source_dir / asset.file]
        for folder in asset.folders:
            sources += sorted(path for path in (source_dir / folder).rglob("*") if path.is_file())
        for source in sources:
            destination = root / source.relative_to(source_dir)
            if destination.is_file() and destination.stat().st_size == source.stat().st_size:
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied.append(destination)
    return copied
