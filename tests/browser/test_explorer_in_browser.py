"""The network explorer, entity pages and dashboard in real headless Chromium."""

from __future__ import annotations

import json
import urllib.request

HOSTILE = "<script>"


def _view(url: str) -> dict:
    with urllib.request.urlopen(url) as r:
        return json.load(r)


def _drawn(page) -> int:
    page.wait_for_selector("#network[data-ready=true]")
    return page.evaluate("window.pgExplorer.nodes.length")


def test_explorer_draws_the_expected_nodes_offline(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/explorer?mode=municipalities")
    assert _drawn(page) == len(_view(base + "/explorer.json?mode=municipalities")["nodes"]) == 23
    assert page.locator("canvas").count() == 1
    assert page.locator("[data-testid=legend] li").count() >= 1
    rec.check()


def test_a_filter_changes_what_is_drawn(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/explorer")
    everything = _drawn(page)
    page.select_option("select[name=area]", "B")
    page.uncheck("input[data-year][value='2018']")
    page.click("[data-testid=apply]")
    page.wait_for_url("**/explorer?**")
    narrowed = _drawn(page)
    assert "area=B" in page.url and "years=2019%2C2020" in page.url
    assert 0 < narrowed < everything
    assert narrowed == len(_view(base + "/explorer.json?area=B&years=2019,2020")["nodes"])
    rec.check()


def test_search_finds_a_node_and_click_opens_details(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/explorer?area=B")
    _drawn(page)
    page.fill("[data-testid=search]", "Luhangan kunta")
    page.press("[data-testid=search]", "Enter")
    assert page.evaluate("window.pgExplorer.network.getSelectedNodes()") == [
        "https://w3id.org/partnergraph/id/org/kunta-435"]
    assert page.locator("#details-label").text_content() == "Luhangan kunta"
    # a real click on another node, at its position on the canvas
    target = "https://w3id.org/partnergraph/id/org/kunta-850"
    page.keyboard.press("Escape")  # close the search box's suggestion list
    page.evaluate("document.activeElement.blur()")
    page.locator("#network").scroll_into_view_if_needed()
    box = page.locator("#network canvas").bounding_box()
    xy = page.evaluate(
        "id => { const n = window.pgExplorer.network; n.focus(id, {scale: 1.5, animation: false});"
        " return n.canvasToDOM(n.getPosition(id)); }", target)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    assert page.locator("#details-label").text_content() == "Toivakan kunta"
    assert page.get_attribute("[data-testid=details-link]", "href") == "/id/org/kunta-850"
    page.click("[data-testid=details-link]")
    page.wait_for_url("**/id/org/kunta-850")
    assert page.locator("[data-testid=entity-label]").text_content() == "Toivakan kunta"
    page.wait_for_selector(".ego-network[data-ready=true]")
    rec.check()


def test_language_switch(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/explorer")
    assert page.locator("h1").text_content() == "Verkostoselain"
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state()
    assert page.locator("h1").text_content() == "Network explorer"
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    rec.check()


def test_png_download_of_the_view(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/explorer?mode=municipalities")
    _drawn(page)
    with page.expect_download() as info:
        page.click("[data-testid=png]")
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    rec.check()


def test_dashboard_and_entity_page_load_cleanly(browser_page):
    page, rec, base = browser_page
    page.goto(base + "/")
    page.wait_for_function("document.querySelector('#growth-chart').width > 0")
    assert page.locator("[data-testid=count-municipalities] .big").text_content() == "23"
    assert page.locator("[data-testid=synthetic-banner]").count() == 1
    page.goto(base + "/id/place/kunta-435")
    assert page.locator("[data-testid=entity-label]").text_content() == "Luhanka"
    rec.check()
