"""The web UI with a newsroom's worth of news (issue 10): 60 articles, a third of them undated, dozens of
actors. Chromium through Playwright, as in test_web_browser.py; screenshots go to test-artifacts/.

Covers: undated events in the Timeline; a wrong API key on a public server; the network's first view
(fills the canvas, legible main labels) and its stability when an article is added; the edge panel's
table and legend; the Articles list; plurals; the coding panel beside the text it explains.
"""

# ruff: noqa: F811  (the fixtures imported from test_web_browser are the tests' parameters)
from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from newsgraph.store.synthetic import STATES, ExtractionBuilder

# The browser, the page (which fails a test on any page error or off-server request) and the helpers.
from test_web_browser import (  # noqa: F401
    KEY,
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

PEOPLE = [  # invented people, so the tests depend on no real office holder
    ("Anna Berg", "DEU", "foreign minister"), ("Luc Marchand", "FRA", "defence minister"),
    ("Omar Haddad", "EGY", "foreign minister"), ("Mei Tanaka", "JPN", "prime minister"),
    ("Piotr Nowak", "POL", "president"), ("Sara Cohen", "ISR", "spokeswoman"),
    ("Ivan Petrov", "RUS", "spokesman"), ("Li Wen", "CHN", "spokesman"),
]
ORGS = [("United Nations", "IGO"), ("European Union", "IGO"), ("NATO", "IGO"), ("Red Cross", "NGO")]
VERBS = [("AID", "sent aid to"), ("ACCUSE", "accused"), ("ASSAULT", "struck targets in"),
         ("CONSULT", "held talks with"), ("SANCTION", "imposed sanctions on"),
         ("AGREE", "signed a deal with"), ("THREATEN", "threatened"), ("SUPPORT", "backed")]
SOURCE = "Test Wire"
ONLY_UNDATED = "Kosovo"  # an actor whose every event is in an undated article


def _actor(b: ExtractionBuilder, ids: dict, name: str) -> str:
    if name not in ids:
        person = next((p for p in PEOPLE if p[0] == name), None)
        org = next((o for o in ORGS if o[0] == name), None)
        if person:
            ids[name] = b.actor(name, "person", country=person[1], role=person[2])
        elif org:
            ids[name] = b.actor(name, "organization", code=org[1], sector=org[1])
        else:
            code = dict(STATES)[name]
            ids[name] = b.actor(name, "state", code=code, country=code)
    return ids[name]


def newsroom_corpus() -> list:
    """60 articles over 2024 (every third undated), events among 24 states, people and organisations;
    one long article; one article with exactly one event and one quote."""
    rng = random.Random(10)
    names = [s for s, _ in STATES if s != ONLY_UNDATED] + [p[0] for p in PEOPLE] + [o[0] for o in ORGS]
    out = []
    for i in range(60):
        undated = i % 3 == 0
        day = None if undated else f"2024-{1 + (i * 7) % 12:02d}-{1 + i % 27:02d}"
        b = ExtractionBuilder(f"news-{i:02d}", published=day, title=f"Dispatch {i}: talks and tensions",
                              source=SOURCE)
        ids: dict[str, str] = {}
        for _ in range(4):
            src, tgt = rng.sample(names, 2) if not (undated and i % 2) else (ONLY_UNDATED, rng.choice(names))
            etype, verb = rng.choice(VERBS)
            b.event(etype, [_actor(b, ids, src)], [_actor(b, ids, tgt)],
                    f"{src} {verb} {tgt} on the {i}th day, officials said.", verb.split()[0])
        speaker = rng.choice(PEOPLE)[0]
        b.quote(_actor(b, ids, speaker), f"We are watching case {i} closely")
        out.append(b.build())
    # A long article: events far down the page, so where the coding panel stands matters.
    b = ExtractionBuilder("long-read", published="2024-06-18", title="A long read on the border talks",
                          source=SOURCE)
    ids = {}
    for k in range(40):
        b.add_text(f"Paragraph {k} sets out the background of the talks in some detail, with the history "
                   f"of the region, the views of analysts and what the diplomats expect to happen next.\n\n")
        if k % 8 == 7:
            b.event("CONSULT", [_actor(b, ids, "Germany")], [_actor(b, ids, "Poland")],
                    f"Germany held talks with Poland in round {k}.", "held")
    out.append(b.build())
    b = ExtractionBuilder("one-of-each", published="2024-05-02", title="One event, one quote", source=SOURCE)
    ids = {}
    b.event("AID", [_actor(b, ids, "Japan")], [_actor(b, ids, "India")], "Japan sent aid to India.", "sent")
    b.quote(_actor(b, ids, "Mei Tanaka"), "We will help")
    out.append(b.build())
    return out


class NewActorExtractor:
    """Stands in for the pipeline when the test adds an article: a new state linked to Germany."""

    def extract(self, article):
        b = ExtractionBuilder(article.id or "added", published="2024-12-01", title=article.title or "Added",
                              source=SOURCE)
        atl = b.actor("Atlantis", "state", code="ATL", country="ATL")
        deu = b.actor("Germany", "state", code="DEU", country="DEU")
        b.event("AID", [atl], [deu], "Atlantis sent aid to Germany.", "sent")
        extraction, _text = b.build()
        return extraction


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory) -> Iterator[LiveServer]:
    _vendor_or_skip()
    from newsgraph.api import create_app
    from newsgraph.query import Store

    store = Store.open(str(tmp_path_factory.mktemp("web") / "newsroom.db"))
    store.add(newsroom_corpus())
    app = create_app(_settings(), store=store, extractor_factory=lambda _s: NewActorExtractor())
    for url in _serve(app):
        yield LiveServer(url, store)
    store.close()


def _cy(page, script: str):
    return page.evaluate(f"() => {{ const cy = window.newsgraphUI.cy; {script} }}")


def _positions(page) -> dict[str, tuple[float, float]]:
    return {k: tuple(v) for k, v in _cy(page, """
      const out = {}; cy.nodes().forEach((n) => { out[n.id()] = [n.position('x'), n.position('y')]; });
      return out;""").items()}


# -- Timeline: undated events --------------------------------------------------------------------------------

def test_timeline_counts_undated_events_and_says_why(page, newsroom):
    _open(page, newsroom.url + f"/#/timeline?actor={ONLY_UNDATED}&by=month")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1 and rows.first.locator("td").first.inner_text() == "undated"
    note = page.inner_text(".undated-note")
    assert re.match(r"\d+ stories without a date", note) and "--published" in note
    assert "no events in this range" not in page.inner_text("#view")
    # The undated bar is drawn: coloured pixels in the right-hand part of the canvas.
    page.wait_for_function("""() => { const c = document.querySelector('canvas.chart');
      const d = c.getContext('2d').getImageData(Math.round(c.width * 0.8), 0, Math.round(c.width * 0.2),
        c.height).data; let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.max(d[i], d[i + 1], d[i + 2])
        - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n += 1;
      return n > 200; }""", timeout=5000)
    _shot(page, "newsroom-timeline-undated")
    # A mixed actor: monthly periods, then the undated one last.
    _open(page, newsroom.url + "/#/timeline?actor=RUS&by=month")
    labels = page.locator("table.data tbody tr td:first-child").all_inner_texts()
    assert labels[-1] == "undated" and all(re.fullmatch(r"2024-\d\d", x) for x in labels[:-1]), labels
    _shot(page, "newsroom-timeline-mixed")


# -- a wrong key on a public server --------------------------------------------------------------------------

def test_wrong_key_keeps_reads_working_and_says_so(page, newsroom):
    _open(page, newsroom.url + "/#/network")
    nodes = _cy(page, "return cy.nodes().length;")
    page.fill("#api-key", "not-the-key")
    page.click("#key-form button")
    page.wait_for_function("() => document.querySelector('#key-state').dataset.state === 'invalid'")
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#key-state") == "key not valid"
    assert page.get_attribute("#api-key", "aria-invalid") == "true"
    assert _cy(page, "return cy.nodes().length;") == nodes > 20
    assert not page.locator("#status.error").count(), page.inner_text("#status")
    _shot(page, "newsroom-wrong-key")
    _open(page, newsroom.url + "/#/articles")
    assert page.locator("#article-list li").count() == 25
    _open(page, newsroom.url + "/#/timeline?actor=RUS")
    assert page.locator("table.data tbody tr").count() > 3
    # Writing still needs the right key, and says so.
    _open(page, newsroom.url + "/#/ingest")
    page.fill("#ingest-text", "Some text.")
    page.click("#ingest-form button[type=submit]")
    page.wait_for_selector("#status.error")
    assert "not valid" in page.inner_text("#status")
    page.fill("#api-key", KEY)
    page.click("#key-form button")
    page.wait_for_function("() => document.querySelector('#key-state').dataset.state === 'valid'")
    assert page.inner_text("#key-state") == "key accepted"
    assert page.get_attribute("#api-key", "aria-invalid") is None


# -- the network: first view, stability ------------------------------------------------------------------

def test_first_view_fills_the_canvas_with_legible_main_labels(page, newsroom):
    _open(page, newsroom.url + "/#/network")
    geometry = _cy(page, """
      const bb = cy.nodes().renderedBoundingBox({ includeLabels: false });
      const main = cy.nodes('.main');
      return { w: cy.width(), h: cy.height(), bw: bb.w, bh: bb.h, n: cy.nodes().length,
        main: main.map((n) => [n.data('name'), parseFloat(n.style('font-size')) * cy.zoom()]),
        top: cy.nodes().sort((a, b) => b.data('mentions') - a.data('mentions')).slice(0, 5)
          .map((n) => n.data('name')) };""")
    assert geometry["n"] > 30
    assert geometry["bw"] > 0.8 * geometry["w"] and geometry["bh"] > 0.8 * geometry["h"], geometry
    sizes = dict(geometry["main"])
    assert set(geometry["top"]) <= set(sizes), geometry
    assert min(sizes.values()) >= 12.9, sizes  # on-screen pixels, whatever the zoom
    _shot(page, "newsroom-network")
    # Zooming out keeps the main labels legible.
    _cy(page, "cy.zoom(cy.zoom() / 2); return null;")
    assert min(s for _, s in _cy(page, """return cy.nodes('.main').map((n) =>
      [n.id(), parseFloat(n.style('font-size')) * cy.zoom()]);""")) >= 12.9


def test_adding_an_article_keeps_every_actor_where_it_was(page, newsroom):
    _open(page, newsroom.url + "/#/network")
    before = _positions(page)
    added = page.request.post(newsroom.url + "/api/articles", data={"text": "Atlantis sent aid to Germany."},
                              headers={"Authorization": f"Bearer {KEY}"})
    assert added.status == 201, added.text()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    after = _positions(page)
    new = set(after) - set(before)
    assert len(new) == 1 and set(before) <= set(after)
    moved = {k: (before[k], after[k]) for k in before
             if abs(before[k][0] - after[k][0]) > 0.5 or abs(before[k][1] - after[k][1]) > 0.5}
    assert not moved, moved
    # The newcomer stands beside the actor it is linked to.
    [atlantis] = new
    germany = _cy(page, "return cy.nodes().filter((n) => n.data('name') === 'Germany')[0].id();")
    ax, ay = after[atlantis]
    gx, gy = after[germany]
    assert ((ax - gx) ** 2 + (ay - gy) ** 2) ** 0.5 < 150
    _shot(page, "newsroom-network-added")
    # "Lay out again" is the one way to re-lay the whole graph.
    page.click(".graph-wrap .relayout")
    relaid = _positions(page)
    assert sum(1 for k in before if relaid[k] != after[k]) > len(before) / 2


# -- the edge panel ----------------------------------------------------------------------------------------

def test_edge_panel_table_fits_and_its_legend_matches_the_network_legend(page, newsroom):
    _open(page, newsroom.url + "/#/network")
    page.locator("#edge-list button").first.click()
    page.wait_for_selector("#side-panel table.data")
    fit = page.evaluate("""() => {
      const panel = document.querySelector('#side-panel').getBoundingClientRect();
      const table = document.querySelector('#side-panel table.data');
      const caption = table.querySelector('caption');
      const cells = [...table.querySelectorAll('th, td, caption')].map((c) => c.getBoundingClientRect());
      return { panelRight: panel.right, tableRight: table.getBoundingClientRect().right,
        cellsRight: Math.max(...cells.map((r) => r.right)),
        captionClipped: caption.scrollWidth > caption.clientWidth + 1,
        clipped: [...table.querySelectorAll('th')].filter((th) => th.scrollWidth > th.clientWidth + 1)
          .map((th) => th.textContent) }; }""")
    assert fit["tableRight"] <= fit["panelRight"] and fit["cellsRight"] <= fit["panelRight"], fit
    assert not fit["captionClipped"] and not fit["clipped"], fit
    colours = page.evaluate("""() => ({
      chart: [...document.querySelectorAll('#side-panel .legend .swatch')].map((s) => s.style.background),
      network: [...document.querySelectorAll('#edge-legend .swatch')].map((s) => s.style.background) })""")
    assert colours["chart"] and set(colours["chart"]) <= set(colours["network"]), colours
    page.locator("#side-panel table.data").scroll_into_view_if_needed()
    _shot(page, "newsroom-edge-panel")


# -- articles ------------------------------------------------------------------------------------------------

def test_articles_list_shows_date_source_and_counts(page, newsroom):
    _open(page, newsroom.url + "/#/articles")
    metas = page.locator("#article-list li .meta").all_inner_texts()
    assert len(metas) == 25
    counts = r"\d+ actors? · \d+ quotes? · \d+ events?"
    pattern = re.compile(rf"^(\d{{4}}-\d\d-\d\d|undated) · {SOURCE} · {counts}$")
    assert all(pattern.match(m) for m in metas), metas
    _shot(page, "newsroom-articles")
    _open(page, newsroom.url + "/#/articles?offset=50")  # undated articles come last
    last = page.locator("#article-list li .meta").all_inner_texts()
    assert last and all(pattern.match(m) for m in last) and last[-1].startswith("undated · "), last
    _open(page, newsroom.url + "/#/articles?search=One%20event")
    [one] = page.locator("#article-list li .meta").all_inner_texts()
    assert one == f"2024-05-02 · {SOURCE} · 3 actors · 1 quote · 1 event", one


def test_article_counts_say_1_event_not_1_events(page, newsroom):
    _open(page, newsroom.url + "/#/article/one-of-each")
    facts = page.inner_text("#view > p.muted")
    assert "1 event" in facts and "1 events" not in facts and "1 quote ·" in facts, facts


def test_coding_panel_stands_beside_the_highlight_it_explains(page, newsroom):
    _open(page, newsroom.url + "/#/article/long-read")
    triggers = page.locator("#article-text .hl-trigger")
    assert triggers.count() == 5

    def focus(i: int) -> dict:
        triggers.nth(i).scroll_into_view_if_needed()
        triggers.nth(i).focus()
        page.wait_for_timeout(300)  # the panel's short move
        return page.evaluate("""(i) => {
          const r = (el) => el.getBoundingClientRect();
          const q = (sel) => document.querySelector(sel);
          return { text: r(q('#article-text')), coding: r(q('#coding')),
            hl: r(document.querySelectorAll('#article-text .hl-trigger')[i]) }; }""", i)

    for i in (1, 2, 3):
        box = focus(i)
        assert "CONSULT" in page.inner_text("#coding") and f"round {8 * i + 7}" in page.inner_text("#coding")
        assert 0 <= box["coding"]["left"] - box["text"]["right"] <= 40, box  # right beside the text
        assert abs(box["coding"]["top"] - box["hl"]["top"]) < 40, box  # level with the highlight
        assert 0 <= box["coding"]["top"] and box["coding"]["bottom"] <= page.viewport_size["height"], box
        if i == 2:
            _shot(page, "newsroom-article-coding")
    # At the very end of the article the panel stops at the text's bottom, still level with the highlight.
    box = focus(4)
    assert box["coding"]["top"] <= box["hl"]["top"] and box["coding"]["bottom"] >= box["hl"]["bottom"], box
    assert box["coding"]["bottom"] <= box["text"]["bottom"] + 1, box
