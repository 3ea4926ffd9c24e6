"""REST API: every endpoint, its filters, pagination, access control, limits and problem+json errors.

The store is a temporary SQLite file filled with hand-built extractions (sentences written for these
tests), so the API is tested independently of the extractor's accuracy; one test runs the real extractor.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.api.security import RateLimiter
from newsgraph.config import Settings
from newsgraph.contract import (
    Actor,
    Article,
    Coder,
    Event,
    Extraction,
    Mention,
    ModelInfo,
    Quote,
    TextSpan,
)
from newsgraph.ingest.readers import ArticleInput
from newsgraph.query import Store
from page_server import PageServer

KEY = "test-key-123"
CDN_HOSTS = ("cdn.", "unpkg.com", "jsdelivr", "cdnjs", "googleapis.com", "fonts.g")
PROBLEM = "application/problem+json"

TEXT_A = ("Germany pledged air defence systems to Ukraine on Monday. "
          "\u201cWe will stand with Ukraine for as long as it takes,\u201d Chancellor Olaf Scholz said. "
          "Russia struck the port of Odesa with drones overnight.")
TEXT_B = ("France criticised Russia over the strikes on Tuesday. "
          "\u201cThese attacks on civilians are unacceptable,\u201d President Emmanuel Macron said in Paris. "
          "France may impose new sanctions on Russia.")

ACTORS = {
    "DEU": ("Germany", "state", "DEU"), "UKR": ("Ukraine", "state", "UKR"), "RUS": ("Russia", "state", "RUS"),
    "FRA": ("France", "state", "FRA"), "Scholz": ("Olaf Scholz", "person", "DEU"),
    "Macron": ("Emmanuel Macron", "person", "FRA"),
}


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def text_span(text: str, needle: str) -> TextSpan:
    s, e = span(text, needle)
    return TextSpan(start=s, end=e, text=needle)


def sentence_of(text: str, needle: str) -> TextSpan:
    s, _ = span(text, needle)
    start = text.rfind(". ", 0, s)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", s)
    end = len(text) if end < 0 else end + 1
    return TextSpan(start=start, end=end, text=text[start:end])


def build(article_id: str, text: str, published: str, actor_keys: list[str], mentions: dict[str, list[str]],
          events: list[dict], quotes: list[dict], title: str) -> Extraction:
    actors = []
    for i, key in enumerate(actor_keys, start=1):
        name, kind, country = ACTORS[key]
        ms = [Mention(start=s, end=e, text=text[s:e]) for m in mentions.get(key, [name])
              for (s, e) in [span(text, m)]]
        role = {"Scholz": "Chancellor", "Macron": "President"}.get(key)
        actors.append(Actor(id=f"a{i}", name=name, kind=kind, country=country,
                            code=country if kind == "state" else None, mentions=ms, role=role))
    local = {key: f"a{i}" for i, key in enumerate(actor_keys, start=1)}
    qs = []
    for i, q in enumerate(quotes, start=1):
        s, e = span(text, q["text"])
        ss, se = span(text, q["speaker_text"])
        qs.append(Quote(id=f"q{i}", kind="direct", text=q["text"], start=s, end=e,
                        speaker=local[q["speaker"]], speaker_text=q["speaker_text"],
                        speaker_span={"start": ss, "end": se}, cue="said"))
    evs = []
    for i, ev in enumerate(events, start=1):
        evs.append(Event(id=f"e{i}", type=ev["type"], quad_class=ev["quad"], goldstein=ev.get("goldstein"),
                         source=[local[ev["source"]]], target=[local[ev["target"]]],
                         attributed_to=local.get(ev.get("claimed_by", "")),
                         trigger=text_span(text, ev["trigger"]),
                         evidence=sentence_of(text, ev["trigger"]), date=published,
                         polarity=ev.get("polarity", "positive"), modality=ev.get("modality", "actual")))
    return Extraction(
        coder=Coder(version="0.1.0", model=ModelInfo(name="test", version="0")),
        article=Article(id=article_id, title=title, published=published, source="Test Wire",
                        text_sha256=hashlib.sha256(text.encode()).hexdigest(), language="en"),
        actors=actors, quotes=qs, events=evs)


def extraction_a() -> Extraction:
    return build("art-a", TEXT_A, "2024-03-04", ["DEU", "UKR", "Scholz", "RUS"],
                 {"UKR": ["Ukraine"], "Scholz": ["Olaf Scholz"]},
                 [{"type": "AID", "quad": 2, "goldstein": 7.0, "source": "DEU", "target": "UKR",
                   "trigger": "pledged"},
                  {"type": "ASSAULT", "quad": 4, "goldstein": -10.0, "source": "RUS", "target": "UKR",
                   "trigger": "struck"}],
                 [{"text": "We will stand with Ukraine for as long as it takes,", "speaker": "Scholz",
                   "speaker_text": "Olaf Scholz"}], "Germany pledges air defence")


def extraction_b() -> Extraction:
    return build("art-b", TEXT_B, "2024-04-09", ["FRA", "RUS", "Macron"], {},
                 [{"type": "ACCUSE", "quad": 3, "goldstein": -2.0, "source": "FRA", "target": "RUS",
                   "trigger": "criticised"},
                  {"type": "SANCTION", "quad": 4, "goldstein": -5.0, "source": "FRA", "target": "RUS",
                   "trigger": "impose", "modality": "hypothetical"}],
                 [{"text": "These attacks on civilians are unacceptable,", "speaker": "Macron",
                   "speaker_text": "Emmanuel Macron"}], "France criticises strikes")


class FakeExtractor:
    """Stands in for the spaCy pipeline in write tests: a fixed, valid extraction of the given text."""

    def __init__(self) -> None:
        self.calls = 0

    def extract(self, article: ArticleInput) -> Extraction:
        self.calls += 1
        ex = build(article.id or "posted", TEXT_A, article.published or "2024-05-01", ["DEU", "UKR"], {},
                   [{"type": "AID", "quad": 2, "source": "DEU", "target": "UKR", "trigger": "pledged"}], [],
                   article.title or "posted")
        # The text given, not TEXT_A, is what gets stored: hash it so duplicates are recognised.
        ex.article.text_sha256 = hashlib.sha256(article.text.encode()).hexdigest()
        ex.article.url = article.url
        ex.article.source = article.source
        return ex


@pytest.fixture()
def store(tmp_path: Path):
    st = Store.open(str(tmp_path / "api.db"))
    st.add([(extraction_a(), TEXT_A), (extraction_b(), TEXT_B)])
    yield st
    st.close()


def make_client(store, *, keys: tuple[str, ...] = (KEY,), private: bool = False, **settings) -> TestClient:
    from newsgraph.api_keys import hash_key

    s = Settings().updated({"api_keys": tuple(hash_key(k) for k in keys), **settings})
    fake = FakeExtractor()
    app = create_app(s, store=store, private=private, extractor_factory=lambda _s: fake,
                     fetcher=lambda url, _s: ArticleInput(text=TEXT_A + " Fetched.", url=url, origin=url))
    app.state.fake_extractor = fake
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture()
def client(store) -> TestClient:
    return make_client(store)


AUTH = {"Authorization": f"Bearer {KEY}"}


def actor_id(client: TestClient, name: str) -> str:
    items = client.get("/api/actors", params={"name": name}).json()["items"]
    return next(a["id"] for a in items if a["name"] == name)


def assert_problem(resp, status: int, *words: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    for word in words:
        assert word.lower() in body["detail"].lower(), body["detail"]
    return body


# -- reads ---------------------------------------------------------------------------------------------

def test_articles_list_search_dates_and_pagination(client):
    page = client.get("/api/articles").json()
    assert page["total"] == 2 and page["limit"] == 50 and page["offset"] == 0
    assert {a["id"] for a in page["items"]} == {"art-a", "art-b"}
    counts = {a["id"]: (a["actor_count"], a["quote_count"], a["event_count"]) for a in page["items"]}
    assert counts == {"art-a": (4, 1, 2), "art-b": (3, 1, 2)}
    found = client.get("/api/articles", params={"search": "Odesa"}).json()["items"]
    assert [a["id"] for a in found] == ["art-a"]
    assert [a["id"] for a in client.get("/api/articles", params={"since": "2024-04-01"}).json()["items"]] == \
        ["art-b"]
    first = client.get("/api/articles", params={"limit": 1}).json()
    second = client.get("/api/articles", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == 2
    assert len(first["items"]) == len(second["items"]) == 1 and first["items"] != second["items"]


def test_article_detail_has_text_and_extraction(client):
    body = client.get("/api/articles/art-a").json()
    assert body["id"] == "art-a" and body["text"] == TEXT_A
    ex = Extraction.model_validate(body["extraction"])
    quote = ex.quotes[0]
    assert body["text"][quote.start:quote.end] == quote.text
    assert ex.actor(quote.speaker).name == "Olaf Scholz"


def test_article_404_is_a_problem(client):
    assert_problem(client.get("/api/articles/nope"), 404, "nope")


def test_events_filters(client):
    all_events = client.get("/api/events").json()
    assert all_events["total"] == 3
    by_type = client.get("/api/events", params={"type": "ASSAULT"}).json()["items"]
    assert [e["type"] for e in by_type] == ["ASSAULT"]
    assert by_type[0]["evidence_sentence"] == "Russia struck the port of Odesa with drones overnight."
    assert by_type[0]["article_id"] == "art-a"
    both = client.get("/api/events", params=[("type", "AID"), ("type", "accuse")]).json()
    assert {e["type"] for e in both["items"]} == {"AID", "ACCUSE"}
    comma = client.get("/api/events", params={"type": "AID,ACCUSE"}).json()
    assert comma["total"] == 2
    rus_source = client.get("/api/events", params={"source": "RUS"}).json()["items"]
    assert [e["type"] for e in rus_source] == ["ASSAULT"]
    rus_any = client.get("/api/events", params={"actor": "Russia"}).json()
    assert {e["type"] for e in rus_any["items"]} == {"ASSAULT", "ACCUSE"}
    ukr_target = client.get("/api/events", params={"target": "UKR", "until": "2024-03-31"}).json()
    assert {e["type"] for e in ukr_target["items"]} == {"AID", "ASSAULT"}
    assert client.get("/api/events", params={"since": "2024-04-01"}).json()["total"] == 1
    assert client.get("/api/events", params={"article": "art-b"}).json()["total"] == 1
    # Non-actual (and negated) events only with all=true.
    assert client.get("/api/events", params={"type": "SANCTION"}).json()["total"] == 0
    planned = client.get("/api/events", params={"type": "SANCTION", "all": "true"}).json()["items"]
    assert [(e["modality"], e["evidence_sentence"]) for e in planned] == \
        [("hypothetical", "France may impose new sanctions on Russia.")]
    assert client.get("/api/events", params={"all": "true"}).json()["total"] == 4


def test_events_bad_type_and_bad_date_are_validation_problems(client):
    body = assert_problem(client.get("/api/events", params={"type": "INVADE"}), 422, "INVADE", "PLOVER")
    assert body["type"].endswith("validation-error")
    body = assert_problem(client.get("/api/events", params={"since": "last tuesday"}), 422, "since")
    assert body["errors"][0]["location"] == "query.since"
    assert_problem(client.get("/api/events", params={"limit": 0}), 422, "limit")
    assert_problem(client.get("/api/events", params={"limit": 5000}), 422, "limit")
    assert_problem(client.get("/api/events", params={"offset": -1}), 422, "offset")


def test_quotes_filters(client):
    assert client.get("/api/quotes").json()["total"] == 2
    scholz = client.get("/api/quotes", params={"speaker": "Scholz"}).json()["items"]
    assert len(scholz) == 1 and scholz[0]["speaker"]["name"] == "Olaf Scholz"
    found = client.get("/api/quotes", params={"search": "unacceptable"}).json()["items"]
    assert [q["speaker"]["name"] for q in found] == ["Emmanuel Macron"]
    assert client.get("/api/quotes", params={"until": "2024-03-31"}).json()["total"] == 1


def test_actors_list_and_detail(client):
    page = client.get("/api/actors").json()
    names = {a["name"] for a in page["items"]}
    assert {"Germany", "Ukraine", "Russia", "France", "Olaf Scholz", "Emmanuel Macron"} <= names
    people = client.get("/api/actors", params={"kind": "person"}).json()["items"]
    assert {a["name"] for a in people} == {"Olaf Scholz", "Emmanuel Macron"}
    french = client.get("/api/actors", params={"country": "FRA"}).json()["items"]
    assert {a["name"] for a in french} == {"France", "Emmanuel Macron"}
    assert_problem(client.get("/api/actors", params={"kind": "planet"}), 422, "kind")
    detail = client.get(f"/api/actors/{actor_id(client, 'Russia')}").json()
    assert detail["name"] == "Russia" and {e["type"] for e in detail["events"]} == {"ASSAULT", "ACCUSE"}
    scholz = client.get(f"/api/actors/{actor_id(client, 'Olaf Scholz')}").json()
    assert scholz["role"] == "Chancellor" and len(scholz["quotes"]) == 1
    assert_problem(client.get("/api/actors/Anothere"), 404, "Anothere")


def test_actor_detail_by_code_name_or_id(client, store):
    # docs/api.md: an actor can be named by its store id, its code, a Wikidata id or its name.
    russia = actor_id(client, "Russia")
    assert client.get("/api/actors/RUS").json()["id"] == russia
    assert client.get("/api/actors/rus").json()["id"] == russia
    assert client.get("/api/actors/Russia").json()["id"] == russia
    scholz = client.get("/api/actors/Olaf Scholz").json()
    assert scholz["name"] == "Olaf Scholz" and len(scholz["quotes"]) == 1
    # A code shared by a state and its people names the state; a person's surname finds the person.
    germany = client.get("/api/actors/DEU").json()
    assert germany["name"] == "Germany" and germany["kind"] == "state"
    assert {e["type"] for e in germany["events"]} == {"AID"}
    assert client.get("/api/actors/Scholz").json()["name"] == "Olaf Scholz"
    assert_problem(client.get("/api/actors/GBR"), 404, "GBR")


def test_head_is_answered_like_get(client):
    for path in ("/", "/docs", "/api", "/api/events", "/static/app.js", "/openapi.json"):
        head, get = client.head(path), client.get(path)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
    assert client.head("/api/nothing-here").status_code == 404


def test_access_says_whether_the_key_is_valid(store):
    c = make_client(store)
    assert c.get("/api/access").json() == {"private": False, "key": "none", "read": True, "write": False}
    assert c.get("/api/access", headers=AUTH).json() == {"private": False, "key": "valid", "read": True,
                                                          "write": True}
    assert_problem(c.get("/api/access", headers={"Authorization": "Bearer wrong"}), 401, "not valid")
    private = make_client(store, private=True)
    assert_problem(private.get("/api/access"), 401, "API key")
    assert private.get("/api/access", headers=AUTH).json()["private"] is True


def test_network_filters(client):
    net = client.get("/api/network").json()
    names = {n["id"]: n["name"] for n in net["nodes"]}
    assert {"Germany", "Ukraine", "Russia", "France"} <= set(names.values())
    dyads = {(names[e["source"]], names[e["target"]]): e for e in net["edges"]}
    assert dyads[("Russia", "Ukraine")]["material_conflict"] == 1
    assert dyads[("Germany", "Ukraine")]["material_cooperation"] == 1
    assert dyads[("Germany", "Ukraine")]["net_score"] > 0 > dyads[("Russia", "Ukraine")]["net_score"]
    conflict = client.get("/api/network", params=[("type", "ASSAULT"), ("type", "ACCUSE")]).json()
    assert len(conflict["edges"]) == 2
    later = client.get("/api/network", params={"since": "2024-04-01"}).json()
    assert [(e["source"], e["target"]) for e in later["edges"]] == \
        [(actor_id(client, "France"), actor_id(client, "Russia"))]
    assert client.get("/api/network", params={"min_count": 2}).json()["edges"] == []
    assert client.get("/api/network", params={"count": "reports"}).json()["count"] == "reports"
    assert_problem(client.get("/api/network", params={"count": "votes"}), 422, "count")


def test_timeline_actor_and_dyad(client):
    page = client.get("/api/timeline", params={"actor": "RUS", "by": "month"}).json()
    periods = {p["period"]: p for p in page["items"]}
    assert periods["2024-03"]["material_conflict"] == 1 and periods["2024-04"]["verbal_conflict"] == 1
    assert page["total"] == len(page["items"]) == 2
    dyad = client.get("/api/timeline", params={"dyad": "UKR:RUS", "by": "day"}).json()["items"]
    assert [(p["period"], p["total"]) for p in dyad] == [("2024-03-04", 1)]
    paged = client.get("/api/timeline", params={"actor": "RUS", "limit": 1, "offset": 1}).json()
    assert paged["total"] == 2 and [p["period"] for p in paged["items"]] == ["2024-04"]
    assert_problem(client.get("/api/timeline"), 422, "actor", "dyad")
    assert_problem(client.get("/api/timeline", params={"actor": "RUS", "dyad": "A:B"}), 422, "exactly one")
    assert_problem(client.get("/api/timeline", params={"dyad": "RUS"}), 422, "A:B")
    assert_problem(client.get("/api/timeline", params={"actor": "RUS", "by": "year"}), 422, "by")


def test_stories(client):
    page = client.get("/api/stories").json()
    assert page["total"] == 3 and {s["type"] for s in page["items"]} == {"AID", "ASSAULT", "ACCUSE"}
    rus = client.get("/api/stories", params={"actor": "RUS", "type": "ASSAULT"}).json()["items"]
    assert len(rus) == 1 and rus[0]["first_report"]["article_id"] == "art-a"
    assert client.get("/api/stories", params={"since": "2024-04-01"}).json()["total"] == 1


def test_changes(client):
    page = client.get("/api/changes", params={"since": "2024-04-01", "until": "2024-04-30"}).json()
    kinds = {(c["source"]["name"], c["target"]["name"], c["change"]) for c in page["items"]}
    assert ("France", "Russia", "appeared") in kinds
    assert page["total"] == len(page["items"])
    assert_problem(client.get("/api/changes"), 422, "since")


def test_unknown_route_and_method_are_problems(client):
    assert_problem(client.get("/api/nothing-here"), 404, "/api/nothing-here")
    assert_problem(client.delete("/api/articles"), 405, "DELETE")


# -- writes --------------------------------------------------------------------------------------------

NEW_TEXT = "Poland announced new military aid for Ukraine on Friday. " * 3


def test_post_article_requires_a_valid_key(client):
    body = assert_problem(client.post("/api/articles", json={"text": NEW_TEXT}), 401, "API key")
    assert "Bearer" in client.post("/api/articles", json={"text": NEW_TEXT}).headers["www-authenticate"]
    assert body["type"].endswith("api-key-required")
    assert_problem(client.post("/api/articles", json={"text": NEW_TEXT},
                               headers={"Authorization": "Bearer wrong"}), 401, "not valid")
    assert_problem(client.post("/api/articles", json={"text": NEW_TEXT},
                               headers={"Authorization": f"Basic {KEY}"}), 401, "Bearer")
    assert_problem(client.post("/api/extract", json={"text": NEW_TEXT}), 401, "API key")
    assert client.app.state.fake_extractor.calls == 0


def test_writes_refused_when_no_keys_are_configured(store):
    c = make_client(store, keys=())
    assert_problem(c.post("/api/articles", json={"text": NEW_TEXT}), 403, "NEWSGRAPH_API_KEYS")
    assert c.get("/api/articles").status_code == 200


def test_post_article_stores_and_returns_201(client, store):
    resp = client.post("/api/articles", headers=AUTH,
                       json={"text": NEW_TEXT, "id": "posted-1", "title": "Aid", "published": "2024-05-03"})
    assert resp.status_code == 201, resp.text
    ex = Extraction.model_validate(resp.json())
    assert ex.article.id == "posted-1" and ex.article.published == "2024-05-03"
    assert resp.headers["location"] == "/api/articles/posted-1"
    stored = client.get("/api/articles/posted-1").json()
    assert stored["text"] == NEW_TEXT and stored["extraction"]["article"]["title"] == "Aid"
    assert client.get("/api/articles").json()["total"] == 3
    # The same text again is not stored twice: 200 and the stored copy's location.
    again = client.post("/api/articles", headers=AUTH, json={"text": NEW_TEXT, "id": "posted-2"})
    assert again.status_code == 200 and again.headers["location"] == "/api/articles/posted-1"
    assert client.get("/api/articles").json()["total"] == 3


def test_post_article_from_html_and_url(client):
    html = ("<html><head><title>Aid for Ukraine</title></head><body><article><h1>Aid for Ukraine</h1>"
            f"<p>{NEW_TEXT}</p><p>Officials in Warsaw said the package would arrive within weeks.</p>"
            "</article></body></html>")
    resp = client.post("/api/articles", headers=AUTH, json={"html": html, "id": "from-html"})
    assert resp.status_code == 201, resp.text
    assert "Poland announced" in client.get("/api/articles/from-html").json()["text"]
    resp = client.post("/api/articles", headers=AUTH,
                       json={"url": "https://news.example/aid", "id": "from-url"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["article"]["url"] == "https://news.example/aid"


def test_post_article_body_validation(client):
    assert_problem(client.post("/api/articles", headers=AUTH, json={}), 422, "exactly one")
    assert_problem(client.post("/api/articles", headers=AUTH, json={"text": "a", "url": "https://x.example"}),
                   422, "exactly one")
    assert_problem(client.post("/api/articles", headers=AUTH, json={"text": "   "}), 422, "empty")
    assert_problem(client.post("/api/articles", headers=AUTH, json={"url": "ftp://x.example/a"}), 422, "http")
    assert_problem(client.post("/api/articles", headers=AUTH, json={"text": "x", "colour": "red"}),
                   422, "colour")
    assert_problem(client.post("/api/articles", headers=AUTH, json={"text": "x", "published": "soon"}),
                   422, "published")
    resp = client.post("/api/articles", headers={**AUTH, "Content-Type": "application/json"},
                       content=b"{not json")
    assert_problem(resp, 422, "json")


def test_extract_does_not_store(client):
    resp = client.post("/api/extract", headers=AUTH, json={"text": NEW_TEXT})
    assert resp.status_code == 200 and resp.json()["schema"] == "newsgraph.extraction/1"
    assert client.get("/api/articles").json()["total"] == 2


BORDER_PAGE = ("<html><head><title>Border talks</title></head><body><article><h1>Border talks</h1>"
               + "<p>Chile and Peru agreed on Thursday to reopen two border crossings shut since March.</p>"
               * 4 + "</article></body></html>").encode()


def test_post_url_with_the_real_fetcher(store):
    """A page served on 127.0.0.1 (allowed by the operator here) is fetched and reduced to the article."""
    from newsgraph.api_keys import hash_key

    with PageServer(BORDER_PAGE) as server:
        settings = Settings().updated({"api_keys": (hash_key(KEY),), "fetch_allow_hosts": "127.0.0.1"})
        app = create_app(settings, store=store, extractor_factory=lambda _s: FakeExtractor())
        c = TestClient(app, raise_server_exceptions=False)
        page = {"url": f"{server.base}/border-talks", "id": "border"}
        resp = c.post("/api/articles", headers=AUTH, json=page)
        assert resp.status_code == 201, resp.text
        assert "Chile and Peru agreed" in c.get("/api/articles/border").json()["text"]
        closed_port = "http://127.0.0.1:9/border-talks"  # the discard port: nothing listens there
        missing = c.post("/api/articles", headers=AUTH, json={"url": closed_port})
        assert_problem(missing, 502, "Could not fetch")


def test_post_url_to_a_loopback_service_is_refused(store):
    """Server-side request forgery: a key holder must not make the server read its own internal services."""
    from newsgraph.api_keys import hash_key

    secret = b"<html><body><article><h1>Internal</h1>" + b"<p>secret admin page.</p>" * 9 + b"</article>"
    with PageServer(secret) as server:
        app = create_app(Settings().updated({"api_keys": (hash_key(KEY),)}), store=store,
                         extractor_factory=lambda _s: FakeExtractor())
        c = TestClient(app, raise_server_exceptions=False)
        port = server.base.rsplit(":", 1)[1]
        for url in (f"{server.base}/secret.html", f"http://localhost:{port}/secret", f"http://[::1]:{port}/"):
            for path in ("/api/articles", "/api/extract"):
                resp = c.post(path, headers=AUTH, json={"url": url})
                body = assert_problem(resp, 422, "refused", "loopback")
                assert body["type"].endswith("url-refused") and "admin" not in body["detail"]
        assert server.requests == 0
        assert c.get("/api/articles").json()["total"] == 2  # nothing stored


def test_fetch_failure_is_a_502_problem(store):
    from newsgraph.api_keys import hash_key

    def failing(url: str, _s: Settings) -> ArticleInput:
        raise RuntimeError("connection refused")

    app = create_app(Settings().updated({"api_keys": (hash_key(KEY),)}), store=store,
                     extractor_factory=lambda _s: FakeExtractor(), fetcher=failing)
    c = TestClient(app, raise_server_exceptions=False)
    assert_problem(c.post("/api/articles", headers=AUTH, json={"url": "https://down.example/"}), 502,
                   "connection refused")


def test_extractor_failure_is_a_500_problem_without_internals(store):
    from newsgraph.api_keys import hash_key

    class Broken:
        def extract(self, article: ArticleInput) -> Extraction:
            raise RuntimeError("secret internal state")

    app = create_app(Settings().updated({"api_keys": (hash_key(KEY),)}), store=store,
                     extractor_factory=lambda _s: Broken())
    c = TestClient(app, raise_server_exceptions=False)
    body = assert_problem(c.post("/api/extract", headers=AUTH, json={"text": NEW_TEXT}), 500, "server log")
    assert "secret" not in body["detail"]


# -- access, limits, headers ---------------------------------------------------------------------------

def test_private_mode_requires_a_key_for_reads(store):
    c = make_client(store, private=True)
    assert_problem(c.get("/api/events"), 401, "API key")
    assert_problem(c.get("/api/network"), 401, "API key")
    assert c.get("/api/events", headers=AUTH).status_code == 200
    assert c.get("/openapi.json").status_code == 200  # the schema is not data


def test_keys_from_a_config_file_as_digests_or_in_clear(store, tmp_path):
    from newsgraph.api_keys import hash_key

    config = tmp_path / "newsgraph.toml"
    config.write_text(f'[newsgraph]\napi_keys = ["sha256:{hash_key("from-digest")}", "in-clear"]\n')
    settings = Settings.load(environ={}, config_file=config)
    c = TestClient(create_app(settings, store=store, private=True), raise_server_exceptions=False)
    for key in ("from-digest", "in-clear"):
        assert c.get("/api/articles", headers={"Authorization": f"Bearer {key}"}).status_code == 200, key
    assert_problem(c.get("/api/articles", headers={"Authorization": "Bearer sha256:x"}), 401, "not valid")
    digest = hash_key("from-digest")
    assert_problem(c.get("/api/articles", headers={"Authorization": f"Bearer {digest}"}), 401, "not valid")


def test_invalid_key_on_a_public_read_is_refused(client):
    assert_problem(client.get("/api/events", headers={"Authorization": "Bearer wrong"}), 401, "not valid")


def test_body_limit_413(store):
    c = make_client(store, api_body_limit=1000)
    resp = c.post("/api/articles", headers=AUTH, json={"text": "x" * 2000})
    body = assert_problem(resp, 413, "1,000 bytes")
    assert body["type"].endswith("body-too-large")
    assert c.app.state.fake_extractor.calls == 0

    def chunks():  # no Content-Length: the limit is enforced while reading
        yield b'{"text": "'
        for _ in range(30):
            yield b"y" * 100
        yield b'"}'

    resp = c.post("/api/articles", headers={**AUTH, "Content-Type": "application/json"}, content=chunks())
    assert_problem(resp, 413, "limit")


def test_rate_limit_429_with_retry_after(store):
    c = make_client(store, api_rate_limit=3)
    for _ in range(3):
        assert c.get("/api/articles").status_code == 200
    resp = c.get("/api/articles")
    assert_problem(resp, 429, "3 requests per minute")
    assert 1 <= int(resp.headers["retry-after"]) <= 60
    # Limits are per caller: a key holder has its own budget.
    assert c.get("/api/articles", headers=AUTH).status_code == 200


def test_rate_limiter_window_slides():
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    limiter.check("a")
    now[0] += 30
    limiter.check("a")
    with pytest.raises(Exception) as info:
        limiter.check("a")
    assert info.value.headers["Retry-After"] == "30"
    now[0] += 30.5  # the first request left the window
    limiter.check("a")
    limiter.check("b")


def test_no_cors_unless_configured(store):
    c = make_client(store)
    resp = c.get("/api/articles", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in resp.headers
    pre = c.options("/api/articles", headers={"Origin": "https://elsewhere.example",
                                              "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
    c2 = make_client(store, cors_origins="https://ui.example")
    resp = c2.get("/api/articles", headers={"Origin": "https://ui.example"})
    assert resp.headers["access-control-allow-origin"] == "https://ui.example"
    resp = c2.get("/api/articles", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in resp.headers


def test_security_headers_forbid_other_origins(client):
    csp = client.get("/api/articles").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert client.get("/api/articles").headers["x-content-type-options"] == "nosniff"


# -- UI, docs, OpenAPI -----------------------------------------------------------------------------------

def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/quotes", "/api/actors",
                 "/api/actors/{actor_id}", "/api/network", "/api/timeline", "/api/stories", "/api/changes",
                 "/api/extract"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text
    for page in (docs.text, client.get("/static/docs.js").text, client.get("/").text):
        assert not any(host in page for host in CDN_HOSTS) and 'src="http' not in page
    assert client.get("/redoc").status_code == 404


def test_ui_files_are_served_and_reference_no_cdn(client):
    from newsgraph.api.app import STATIC_DIR

    index = client.get("/")
    if index.status_code == 503:
        pytest.skip("web UI vendor files are not built (run scripts/build-web.sh)")
    assert index.status_code == 200 and '<script type="module" src="/static/app.js">' in index.text
    for name in sorted(p.name for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css", ".html")):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200, name
        assert not any(host in resp.text for host in CDN_HOSTS), name
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", resp.text), name
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    vendor = client.get("/static/vendor/cytoscape.esm.min.js")
    assert vendor.status_code == 200 and vendor.headers["content-type"].startswith("text/javascript")


def test_missing_vendor_files_give_a_clear_error_page(store, tmp_path):
    from newsgraph.api.app import STATIC_DIR

    static = tmp_path / "static"
    static.mkdir()
    for f in STATIC_DIR.iterdir():
        if f.is_file():
            (static / f.name).write_bytes(f.read_bytes())
    app = create_app(Settings(), store=store, static_dir=static)
    c = TestClient(app)
    page = c.get("/")
    assert page.status_code == 503 and "make setup" in page.text and "vendor/cytoscape" in page.text
    assert_problem(c.get("/static/vendor/cytoscape.esm.min.js"), 404, "make setup")


# -- under load: cached aggregates, headers on every response ---------------------------------------------

def _edges(resp) -> set[tuple[str, str, int]]:
    return {(e["source"], e["target"], e["total"]) for e in resp.json()["edges"]}


def test_network_is_computed_once_until_the_store_changes(store, tmp_path, monkeypatch):
    from newsgraph import query as q

    calls = []
    real = q.network
    monkeypatch.setattr(q, "network", lambda *a, **k: calls.append(k) or real(*a, **k))
    c = make_client(store)
    first = c.get("/api/network")
    assert first.status_code == 200 and first.headers["etag"] and first.headers["cache-control"] == "no-cache"
    for _ in range(5):
        assert c.get("/api/network").content == first.content
    assert len(calls) == 1
    same = c.get("/api/network", headers={"If-None-Match": first.headers["etag"]})
    assert same.status_code == 304 and same.content == b""
    assert c.get("/api/network", params={"type": "AID,ASSAULT"}).json() == c.get(
        "/api/network", params={"type": "ASSAULT,AID"}).json() and len(calls) == 2
    # An ingest through this server shows at once.
    before = _edges(first)
    posted = c.post("/api/articles", headers=AUTH, json={"text": "Germany pledged aid again.", "id": "new"})
    assert posted.status_code == 201
    after = c.get("/api/network")
    assert after.headers["etag"] != first.headers["etag"] and _edges(after) != before
    assert c.get("/api/network", headers={"If-None-Match": first.headers["etag"]}).status_code == 200
    # So does one by another process on the same store (here: another Store on the file), once the store's
    # generation is read again.
    monkeypatch.setattr("newsgraph.api.services.GENERATION_TTL", 0.0)
    other = Store.open(str(tmp_path / "api.db"))
    try:
        other.add([(build("ext", TEXT_B.replace("Tuesday", "Sunday"), "2025-09-01", ["FRA", "RUS"], {},
                          [{"type": "ACCUSE", "quad": 3, "source": "FRA", "target": "RUS",
                            "trigger": "criticised"}], [], "elsewhere"), None)])
    finally:
        other.close()
    assert _edges(c.get("/api/network")) != _edges(after)


def test_concurrent_misses_compute_once():
    import threading
    import time

    from newsgraph.api.cache import ResponseCache

    cache, calls = ResponseCache(max_entries=2), []

    def slow() -> bytes:
        calls.append(1)
        time.sleep(0.2)
        return b"{}"

    threads = [threading.Thread(target=cache.get, args=("k", slow)) for _ in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1 and cache.misses == 1 and cache.hits == 9
    for key in ("a", "b", "c"):
        cache.get(key, lambda: b"x")
    assert cache.get("k", lambda: b"recomputed").body == b"recomputed"  # evicted: bounded


SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def test_security_headers_on_every_response_and_problems_without_internals(store):
    from newsgraph.api_keys import hash_key

    class Broken:
        def extract(self, article: ArticleInput) -> Extraction:
            raise RuntimeError("Traceback (most recent call last): secret")

    c = make_client(store, api_rate_limit=40, api_body_limit=10_000)
    broken = TestClient(create_app(Settings().updated({"api_keys": (hash_key(KEY),)}), store=store,
                                   extractor_factory=lambda _s: Broken()), raise_server_exceptions=False)
    etag = c.get("/api/network").headers["etag"]
    responses = {
        "200": c.get("/api/articles"), "304": c.get("/api/network", headers={"If-None-Match": etag}),
        "404": c.get("/api/nothing"), "405": c.delete("/api/articles"),
        "422": c.get("/api/events", params={"since": "yesterday"}), "401": c.post("/api/extract", json={}),
        "413": c.post("/api/articles", headers=AUTH, content=b"x" * 20_000),
        "500": broken.post("/api/extract", headers=AUTH, json={"text": NEW_TEXT}),
        "ui": c.get("/"), "docs": c.get("/docs"), "openapi": c.get("/openapi.json"),
        "static": c.get("/static/app.js"),
    }
    while (limited := c.get("/api/quotes")).status_code != 429:
        pass
    responses["429"] = limited
    for name, resp in responses.items():
        if name.isdigit():
            assert resp.status_code == int(name), (name, resp.text)
        for header in SECURITY_HEADERS:
            assert header in resp.headers, (name, header)
        assert resp.headers["x-content-type-options"] == "nosniff", name
        assert resp.headers["x-frame-options"] == "DENY", name
        assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
        if name.isdigit() and int(name) >= 400:
            assert resp.headers["content-type"].startswith(PROBLEM), name
            body = resp.json()
            assert set(body) >= {"type", "title", "status", "detail"} and "Traceback" not in resp.text, name
    assert 1 <= int(responses["429"].headers["retry-after"]) <= 60


# -- the real extractor ------------------------------------------------------------------------------------

def test_post_article_with_the_real_extractor(store):
    from newsgraph.api_keys import hash_key

    app = create_app(Settings().updated({"api_keys": (hash_key(KEY),)}), store=store)
    c = TestClient(app, raise_server_exceptions=False)
    text = ("Japan and the Philippines signed a defence agreement in Manila on Monday, officials said. "
            "\u201cThis pact makes our region safer,\u201d Prime Minister Fumio Kishida said.")
    resp = c.post("/api/articles", headers=AUTH,
                  json={"text": text, "id": "real-1", "published": "2024-07-08"})
    assert resp.status_code == 201, resp.text
    ex = Extraction.model_validate(resp.json())
    assert {"Japan", "Philippines"} <= {a.name.removeprefix("the ") for a in ex.actors}
    stored = c.get("/api/articles/real-1").json()
    assert stored["text"] == text
    for actor in stored["extraction"]["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
