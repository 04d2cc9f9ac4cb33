"""#14 item 6: the site in a real browser (Debian's Chromium, driven by Playwright).

The browser opens the front page, runs a saved query through its form, opens an entity page and
follows one of its links; the screenshots are written to dist/screenshots/ for a person to look
at. The assertions are on what the pages show, derived from the graph's sources.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loopback import require_binary

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "dist" / "screenshots"


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_binary(
        shutil.which("chromium"),
        "the browser tests need Debian's chromium (apt-get install chromium)",
    )


def test_a_researcher_browses_queries_and_entities(chromium: str, site_url: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(site_url + "/")
            assert page.locator("h1").inner_text() == "pdkg — the paradiplomacy knowledge graph"
            page.screenshot(path=str(SHOTS / "1-front-page.png"))
            # run control-chain through its form, its default actor being the Guangzhou FAO
            page.locator("form[action='/queries/control-chain'] button").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "control-chain"
            rows = page.locator("table tr").all_inner_texts()
            # graph/supervision.ttl: the FAO's chains end four steps up, at the NPC
            assert any(r.split("\t")[0] == "4" and "National People's Congress" in r for r in rows)
            page.screenshot(path=str(SHOTS / "2-saved-query-answer.png"), full_page=True)
            page.goto(site_url + "/resource/guangzhou-foreign-affairs-office")
            title = "Foreign Affairs Office of the Guangzhou Municipal Government"
            assert page.locator("h1").inner_text() == title
            assert page.get_by_text("§3.2.1, 'Being part of the government structure").count()
            page.screenshot(path=str(SHOTS / "3-entity-page.png"))
            page.locator("a[href='/resource/guangzhou-peoples-government']").first.click()
            page.wait_for_load_state()
            assert page.url.endswith("/resource/guangzhou-peoples-government")
            heading = "People's Government of Guangzhou Municipality"
            assert page.locator("h1").inner_text() == heading
            page.screenshot(path=str(SHOTS / "4-followed-link.png"))
        finally:
            browser.close()
    assert sorted(p.name for p in SHOTS.glob("*.png"))[:4] == [
        "1-front-page.png",
        "2-saved-query-answer.png",
        "3-entity-page.png",
        "4-followed-link.png",
    ]


def test_the_sparql_editor_runs_a_query_without_leaving_the_server(
    chromium: str, site_url: str
) -> None:
    """/sparql is YASGUI bundled in the package: every request the page makes is to the site."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    asked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: asked.append(request.url))
            page.goto(site_url + "/sparql")
            page.locator(".yasqe .CodeMirror").wait_for()
            query = (
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                "PREFIX pdr: <https://w3id.org/pdkg/resource/>\n"
                "SELECT ?label WHERE {\n"
                "  pdr:guangzhou-foreign-affairs-office rdfs:label ?label\n"
                '  FILTER (LANG(?label) = "en")\n}'
            )
            page.evaluate("query => window.yasgui.getTab().setQuery(query)", query)
            page.locator(".yasqe_queryButton").click()
            title = "Foreign Affairs Office of the Guangzhou Municipal Government"
            page.locator(".yasr").get_by_text(title).first.wait_for(timeout=30_000)
            page.screenshot(path=str(SHOTS / "5-sparql-editor.png"), full_page=True)
        finally:
            browser.close()
    assert any(url.startswith(site_url + "/query") for url in asked)
    assert [url for url in asked if not url.startswith((site_url + "/", "data:"))] == []
