"""Shared browser-test fixtures: one live server (waitress on a loopback port) and one headless
Debian Chromium per session, driven by Playwright; every page records its requests and console
errors so a test can assert that nothing left the machine."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    # No skip: `make test` installs Debian's chromium; a missing browser must fail loudly.
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def serving(config):
    """Serve ``config``'s store for real (waitress) on 127.0.0.1:<free port>; yields the base URL."""
    from waitress.server import create_server

    from partnergraph.webapp import create_app

    app = create_app(config=config)
    srv = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()
        app.extensions["pg_engine"].close()


@pytest.fixture(scope="session")
def live_server(built_store):
    """The shipped data, served for real."""
    with serving(built_store) as url:
        yield url


@pytest.fixture(scope="session")
def serve():
    """``serve(config)``: a context manager serving another configuration (e.g. other limits)."""
    return serving


class PageRecorder:
    """Every request a page makes and every console error it logs."""

    def __init__(self, page, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith(self.origin + "/") or u.startswith(("data:", "blob:")))]

    def check(self) -> None:
        assert self.outside() == [], f"requests left the machine: {self.outside()}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture(scope="session")
def page_recorder():
    """The :class:`PageRecorder` class, for tests that open pages of their own."""
    return PageRecorder


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(
        locale="fi-FI", accept_downloads=True, viewport={"width": 1280, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    rec = PageRecorder(page, live_server)
    yield page, rec, live_server
    context.close()
