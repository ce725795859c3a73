"""Headless Chromium for the tests: Debian's package driven by Playwright, network refused.

Never Playwright's own browser builds (they would be downloaded). A tab may reach only what
its test serves (file: URLs, or the one server on 127.0.0.1 under test); every other request
is refused and recorded, so a page that still reaches for a CDN or a telemetry endpoint fails
its test instead of working only online.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)",
)


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium (Playwright's Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


class Offline:
    """A browser tab that may read only URLs starting with ``allowed``; everything else is
    refused and recorded, and the page's uncaught errors are recorded too."""

    def __init__(self, browser, allowed: str = "file:", **context_options):
        self.context = browser.new_context(**context_options)
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context.route(re.compile(rf"^(?!{re.escape(allowed)}).*"), self._refuse)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _refuse(self, route) -> None:
        self.refused.append(route.request.url)
        route.abort()

    def open(self, path: Path, fragment: str = ""):
        """The page of a local file (``fragment`` appended to its file: URL), once loaded."""
        self.page.goto(path.resolve().as_uri() + fragment, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()
