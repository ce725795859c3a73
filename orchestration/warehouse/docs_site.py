"""The documentation of a home, readable offline: dbt's docs of the published warehouse, the
Great Expectations Data Docs, and a start page linking both (`tgwh docs`).

dbt writes its docs as one self-contained page (``dbt docs generate --static``: manifest and
catalog inlined, no CDN), from the published warehouse opened read-only, so queries and runs
are never blocked and nothing in it can change. Its artifacts go to their own target folder,
apart from the build's, which Dagster reads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.config import (
    DBT_EXECUTABLE,
    DBT_PROJECT_DIR,
    Home,
    child_environment,
    dbt_docs_environment,
)

# Autoescaped (jinja2): every value below is text, whatever it holds.
START_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tgwh documentation</title>
<link rel="stylesheet" href="{{ bootstrap_css }}">
</head>
<body>
<main class="container py-4">
<h1 class="h3">tgwh documentation</h1>
<p class="text-muted">Home {{ home }}, written {{ written }}.</p>
<ul class="list-group">
  <li class="list-group-item"><a href="{{ dbt_index }}">dbt docs</a>: the models of the
  published warehouse, their columns, tests and lineage.</li>
  <li class="list-group-item"><a href="{{ data_docs_index }}">Data Docs</a>: the Great
  Expectations suites and the result of every validation, run by run.</li>
</ul>
</main>
</body>
</html>
"""


class DocsError(RuntimeError):
    """The documentation could not be built; the message says why."""


@dataclass(frozen=True)
class DocsBuilt:
    start_page: Path
    dbt_index: Path
    data_docs_index: Path


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def start_dbt_docs(home: Home) -> subprocess.Popen:
    """`dbt docs generate --static` on the published warehouse, in a child process (so the
    Data Docs render meanwhile); finish_dbt_docs() waits for it."""
    if not home.warehouse.published.exists():
        raise DocsError(f"no published warehouse in {home.warehouse.root}: run `tgwh run` first")
    command = [
        str(DBT_EXECUTABLE),
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]
    return subprocess.Popen(
        command,
        env=child_environment(**dbt_docs_environment(home)),
        cwd=home.root,  # the profile names the warehouse relative to the home
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_dbt_docs(home: Home, process: subprocess.Popen) -> Path:
    """The generated page goes to docs/dbt/index.html, replacing the last one at once."""
    output, _ = process.communicate()
    generated = home.dbt_docs_static_page
    if process.returncode != 0 or not generated.is_file():
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise DocsError(f"dbt docs generate failed (exit {process.returncode}):\n{tail}")
    layout = home.docs
    layout.dbt_dir.mkdir(parents=True, exist_ok=True)
    staged = layout.dbt_index.with_suffix(".html.tmp")
    shutil.copyfile(generated, staged)
    os.replace(staged, layout.dbt_index)
    return layout.dbt_index


def write_start_page(home: Home) -> Path:
    from jinja2 import Environment

    from orchestration.common.durable import write_text_atomic
    from orchestration.validate import docs_assets

    layout = home.docs
    page = layout.start_page
    css = docs_assets.vendored_path(docs_assets.BOOTSTRAP_CSS_URL, layout.vendor_dir)
    html = (
        Environment(autoescape=True)
        .from_string(START_PAGE)
        .render(
            home=str(home.root),
            written=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            bootstrap_css=Path(os.path.relpath(css, page.parent)).as_posix(),
            dbt_index=layout.dbt_index.relative_to(page.parent).as_posix(),
            data_docs_index=layout.data_docs_index.relative_to(page.parent).as_posix(),
        )
    )
    write_text_atomic(page, html)
    return page


def build_docs(home: Home) -> DocsBuilt:
    """Both sites and the start page. The Data Docs are re-rendered whole (the runs render
    only what they validated), so a page written by an older GX or tgwh is made anew."""
    from orchestration.validate.context import build_data_docs, gx_context

    dbt = start_dbt_docs(home)
    try:
        data_docs_index = build_data_docs(gx_context(home), full=True)
    except BaseException:
        dbt.kill()
        dbt.wait()
        raise
    dbt_index = finish_dbt_docs(home, dbt)
    return DocsBuilt(write_start_page(home), dbt_index, data_docs_index)
