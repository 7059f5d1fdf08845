"""The SPARQL workbench and the canned-query pages in headless Chromium, with nothing leaving the machine.

One live server (waitress on a loopback port) and one browser serve the whole module; each test
gets a fresh browser context (so YASGUI's localStorage starts empty) and records every request
the page makes and every console message.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.browser
MAX_ROWS = 50


@pytest.fixture(scope="module")
def server(built_store, serve):
    with serve(built_store.with_overrides({"max_rows": MAX_ROWS})) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(browser, server, page_recorder):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    rec = page_recorder(page, server)
    yield page, rec
    context.close()


def open_workbench(page, server: str, query: str | None = None) -> None:
    url = f"{server}/sparql" + (f"?query={urllib.parse.quote(query)}" if query else "")
    page.goto(url)
    page.wait_for_selector(".yasgui .CodeMirror")


def result_rows(page):
    page.wait_for_selector(".yasr .dataTable tbody tr")
    return page.locator(".yasr .dataTable tbody tr")


def test_workbench_runs_a_query_and_shows_a_sortable_table(page, server):
    pg, rec = page
    open_workbench(pg, server)
    assert not pg.locator("#workbench-fallback").is_visible()  # the plain form is only for no-JS
    pg.click(".yasqe .yasqe_queryButton")
    rows = result_rows(pg)
    assert rows.count() == 23
    assert pg.locator(".yasr .dataTable tbody tr").first.inner_text().count("Hankasalmi") >= 1
    # sort by name, descending: Äänekoski first
    header = pg.locator(".yasr .dataTable thead th", has_text="name").first
    header.click()
    header.click()
    assert "Äänekoski" in pg.locator(".yasr .dataTable tbody tr").first.inner_text()
    # downloads for every format of a SELECT, and a shareable link
    links = pg.locator("#workbench-downloads a[data-format]")
    formats = links.evaluate_all("els => els.map(e => e.dataset.format)")
    assert sorted(formats) == ["csv", "json", "tsv", "xml"]
    csv_href = pg.locator('#workbench-downloads a[data-format="csv"]').get_attribute("href")
    with urllib.request.urlopen(server + csv_href, timeout=10) as res:
        body = res.read().decode()
    assert body.splitlines()[0] == "municipality,name,area_name,population" and len(body.splitlines()) == 24
    assert pg.locator('[data-testid="share-link"]').get_attribute("href").startswith("/sparql?query=")
    rec.check()
    assert any(u.endswith("/vendor/yasgui.js") for u in rec.requests)


def test_autocompletion_works_offline(page, server):
    pg, rec = page
    open_workbench(pg, server)
    pg.click(".yasqe .CodeMirror")
    pg.keyboard.press("Control+a")
    pg.keyboard.press("Delete")
    pg.keyboard.type("SELECT * WHERE { ?s a pg:Worksh")
    pg.keyboard.press("Control+Space")
    pg.wait_for_selector(".CodeMirror-hints li")
    assert "pg:Workshop" in pg.locator(".CodeMirror-hints li").all_inner_texts()
    pg.keyboard.press("Escape")
    pg.keyboard.type(" ; pg:participa")
    pg.keyboard.press("Control+Space")
    pg.wait_for_selector(".CodeMirror-hints li")
    assert "pg:participantCount" in pg.locator(".CodeMirror-hints li").all_inner_texts()
    pg.keyboard.press("Escape")
    # the project prefixes count as declared: no syntax error marker for pg: or skos:
    assert pg.locator(".yasqe .parseErrorIcon").count() == 0 or "not defined" not in pg.content()
    rec.check()


def test_share_link_round_trip(page, server, page_recorder):
    """The link the workbench offers reloads the same query, ';' and '+' included, and runs it."""
    pg, rec = page
    query = ("SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name "
             "FILTER(1 + 1 = 2 && STRSTARTS(?name, \"J\")) } ORDER BY ?name")
    open_workbench(pg, server)
    pg.click(".yasqe .CodeMirror")
    pg.keyboard.press("Control+a")
    pg.keyboard.press("Delete")
    pg.keyboard.insert_text(query)
    pg.click(".yasqe .yasqe_queryButton")
    assert result_rows(pg).count() == 3  # Joutsa, Jyväskylä, Jämsä
    href = pg.locator('[data-testid="share-link"]').get_attribute("href")
    assert "%3B" in href and "+" not in href
    fresh = pg.context.browser.new_context()
    try:
        other = fresh.new_page()
        other_rec = page_recorder(other, server)
        other.goto(server + href)
        other.wait_for_selector(".yasr .dataTable tbody tr")
        assert other.locator(".yasr .dataTable tbody tr").count() == 3
        assert "FILTER(1 + 1 = 2" in other.locator(".yasqe .CodeMirror").inner_text()
        other_rec.check()
    finally:
        fresh.close()
    rec.check()


def test_shared_link_loads_runs_and_flags_truncation(page, server):
    pg, rec = page
    open_workbench(pg, server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    rows = result_rows(pg)
    assert rows.count() == MAX_ROWS
    banner = pg.locator('[data-testid="truncated"]')
    banner.wait_for(state="visible")
    assert str(MAX_ROWS) in banner.inner_text() and "max_rows" in banner.inner_text()
    assert "SELECT ?s ?p ?o" in pg.locator(".yasqe .CodeMirror").inner_text()
    rec.check()


def test_refusals_are_shown_with_their_rule(page, server):
    pg, rec = page
    open_workbench(pg, server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    error = pg.locator(".yasr .errorResult")
    error.wait_for()
    assert "no network access" in error.inner_text()
    # the browser logs the 400 response itself as a console error; nothing else may fail
    rec.errors = [e for e in rec.errors if "400" not in e]
    rec.check()


def test_canned_query_page_runs_and_sorts(page, server):
    pg, rec = page
    pg.goto(f"{server}/queries")
    pg.click("text=Osallistujat vuosittain ja rooleittain")
    table = pg.locator('[data-testid="results"]')
    table.wait_for()
    assert table.locator("tbody tr").count() >= 5
    first_header = table.locator("thead th").first
    first_header.locator("button").click()
    assert first_header.get_attribute("aria-sort") == "ascending"
    first_header.locator("button").click()
    assert first_header.get_attribute("aria-sort") == "descending"
    years = table.locator("tbody tr td:first-child").all_inner_texts()
    assert years == sorted(years, reverse=True)
    pg.click('[data-testid="open-workbench"]')
    pg.wait_for_selector(".yasgui .CodeMirror")
    result_rows(pg)
    rec.check()


def test_canned_query_parameter_form(page, server):
    pg, rec = page
    pg.goto(f"{server}/queries/partners-of-a-municipality")
    pg.select_option("#param-municipality", label="Hankasalmi")
    pg.click('[data-testid="param-form"] button[type="submit"]')
    pg.wait_for_url("**municipality=*kunta-077*")
    assert pg.locator('[data-testid="results"] tbody tr').count() >= 1
    rec.check()
