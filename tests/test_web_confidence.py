# ruff: noqa: F811  (the fixtures imported from test_web_browser are parameters here)
"""The Network view's confidence threshold in a real browser (Debian's Chromium through Playwright).

The store holds the sentences of test_confidence.py, whose events have confidences chosen for the test: at
the server's default threshold (0.5) three of them are hidden. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# The browser, the page (which fails the test on any console error or off-server request), the live server.
from test_web_browser import (  # noqa: F401  (fixtures)
    LiveServer,
    _open,
    _serve,
    _settings,
    _shot,
    _vendor_or_skip,
    browser,
    page,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def confidence_server(tmp_path_factory) -> Iterator[LiveServer]:
    _vendor_or_skip()
    from newsgraph.api import create_app
    from newsgraph.query import Store
    from test_confidence import corpus

    store = Store.open(str(tmp_path_factory.mktemp("web") / "confidence.db"))
    store.add(corpus())
    for url in _serve(create_app(_settings(), store=store)):
        yield LiveServer(url, store)
    store.close()


def _edges(page) -> list[str]:
    return sorted(page.evaluate("""() => window.newsgraphUI.cy.edges().map(
      (e) => `${e.source().data('name')} → ${e.target().data('name')}`)"""))


def test_network_shows_the_threshold_in_force_and_how_many_events_it_hides(page, confidence_server):
    _open(page, confidence_server.url + "/#/network")
    assert page.input_value("#min-confidence") == "0.5"
    note = page.inner_text("#confidence-note")
    assert "confidence 0.5 or more (the server's default)" in note and "3 events below it hidden" in note
    assert _edges(page) == ["Russia → Ukraine", "United States → Russia", "United States → Ukraine"]
    assert page.inner_text("#graph-caption") == "confidence ≥ 0.5 · 3 events hidden"
    _shot(page, "network-confidence-default")

    # The relation's events in the side panel are those the edge counts: the shelling, not the drones.
    page.locator("#edge-list button", has_text="Russia → Ukraine").click()
    page.wait_for_selector("#side-panel canvas.chart")
    panel = page.inner_text("#side-panel")
    assert "Russian artillery shelled the town of Vovchansk overnight." in panel
    assert "grain silos" not in panel and "confidence 0.8" in panel
    _shot(page, "network-confidence-relation")

    # Lowering the threshold is a filter like the others: it goes into the URL and shows every event.
    page.fill("#min-confidence", "0")
    page.click("form.filters button[type=submit]")
    page.wait_for_function("() => location.hash.includes('min_confidence=0')")
    page.wait_for_selector("body[data-ready=true]")
    assert len(_edges(page)) == 5
    assert "every confidence" in page.inner_text("#confidence-note")
    assert not page.is_visible("#graph-caption")
    _shot(page, "network-confidence-zero")


def test_threshold_from_the_url_and_default_left_out_of_it(page, confidence_server):
    _open(page, confidence_server.url + "/#/network?min_confidence=0.75")
    assert page.input_value("#min-confidence") == "0.75"
    assert _edges(page) == ["Russia → Ukraine", "United States → Ukraine"]
    note = page.inner_text("#confidence-note")
    assert "confidence 0.75 or more:" in note and "4 events below it hidden" in note
    # Back to the default view: applying it unchanged keeps the URL free of the default threshold.
    _open(page, confidence_server.url + "/#/network")
    page.fill("input[name=min_count]", "1")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("body[data-ready=true]")
    assert "min_confidence" not in page.evaluate("() => location.hash")
