"""Fixtures the unit tier's scraping tests share."""

import pytest
from pytest_httpserver import HTTPServer


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 that a test fills with pages (no test reaches the
    internet)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()
