"""Knowledge base: bundled data, surface-form normalisation, dated offices, layering, data consistency."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from newsgraph.kb import KBFormatError, KnowledgeBase, latest_office, office_rank
from newsgraph.kb.normalize import alias_key, surface_keys

D = datetime.date


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def ids(entries) -> list[str]:
    return [e.id for e in entries]


# ---------------------------------------------------------------- loading and volume


def test_bundled_files_load_with_expected_volume(kb: KnowledgeBase) -> None:
    kinds = Counter(e.kind for e in kb.entries())
    assert kinds["state"] >= 250  # 249 ISO 3166-1 entries + Kosovo
    assert kinds["organization"] + kinds["group"] >= 250
    assert kinds["person"] >= 300
    assert len(list(kb.agents())) >= 150
    assert kb.max_alias_tokens() >= 5


def test_state_accessor_and_special_codes(kb: KnowledgeBase) -> None:
    for code in ("USA", "CHN", "PRK", "KOR", "TWN", "PSE", "XKX", "GBR", "CIV", "MMR"):
        entry = kb.state(code)
        assert entry is not None and entry.kind == "state" and entry.code == code == entry.country
        assert entry.cameo == code
    assert kb.state("usa") is kb.state("USA")
    assert kb.state("ZZZ") is None
    assert kb.state("JPN").cameo_aliases == ("JAP",)
    assert kb.state("USA").wikidata == "Q30"


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize("surface", [
    "U.S.", "US", "USA", "the United States", "United States of America", "America", "the U.S.",
    "America's", "U.S.’s", "United States'", "THE UNITED STATES",
])
def test_united_states_variants(kb: KnowledgeBase, surface: str) -> None:
    assert "state:USA" in ids(kb.lookup(surface))


@pytest.mark.parametrize(("surface", "expected"), [
    ("DPRK", "state:PRK"), ("North Korea", "state:PRK"),
    ("Democratic People’s Republic of Korea", "state:PRK"), ("ROK", "state:KOR"),
    ("South Korea", "state:KOR"),
    ("U.K.", "state:GBR"), ("Britain", "state:GBR"), ("Great Britain", "state:GBR"), ("UAE", "state:ARE"),
    ("PRC", "state:CHN"), ("People's Republic of China", "state:CHN"), ("Russian Federation", "state:RUS"),
    ("Ivory Coast", "state:CIV"), ("Côte d’Ivoire", "state:CIV"), ("Cote d'Ivoire", "state:CIV"),
    ("Burma", "state:MMR"), ("Czech Republic", "state:CZE"), ("Czechia", "state:CZE"),
    ("Guinea Bissau", "state:GNB"), ("Türkiye", "state:TUR"), ("Turkiye", "state:TUR"),
])
def test_state_aliases(kb: KnowledgeBase, surface: str, expected: str) -> None:
    assert expected in ids(kb.lookup(surface))


def test_acronyms_need_capitals_but_words_do_not(kb: KnowledgeBase) -> None:
    assert kb.lookup("us") == []
    assert kb.lookup("Us") == []  # sentence-initial pronoun
    assert ids(kb.lookup("IS")) == ["org:ISIS"]
    assert kb.lookup("is") == [] and kb.lookup("Is") == []
    assert "org:UN" in ids(kb.lookup("UN"))
    assert kb.lookup("un") == []
    # Long acronyms are also written in title case by some outlets; all-caps headlines still match words.
    assert ids(kb.lookup("Nato")) == ["org:NATO"] == ids(kb.lookup("NATO"))
    assert "state:CHN" in ids(kb.lookup("CHINA"))


def test_one_word_names_need_a_capital_so_common_words_do_not_match(kb: KnowledgeBase) -> None:
    for word, entry_id in (("Polish", "state:POL"), ("Chad", "state:TCD"), ("Amnesty", "org:AMNESTY"),
                           ("Turkey", "state:TUR")):
        assert entry_id in ids(kb.lookup(word))
        assert entry_id not in ids(kb.lookup(word.lower()))
    assert "org:FED" in ids(kb.lookup("the Fed")) and kb.lookup("fed") == []
    assert "state:USA" in ids(kb.lookup("united states"))  # several words: case-insensitive


def test_surface_forms_list_what_lookup_resolves(tmp_path: Path) -> None:
    extra = write(tmp_path, "g.yaml", "version: 1\nentries:\n  - {id: 'org:GEORGIA-CLUB', name: Georgia, "
                  "kind: organization}\n")
    kb = KnowledgeBase.load([extra])
    forms = list(kb.surface_forms())
    usa = [f for f in forms if f.entry.id == "state:USA"]
    found = {(f.text, f.how) for f in usa}
    assert {("U.S.", "alias"), ("Washington", "metonym"), ("American", "adjective")} <= found
    assert all(kb.lookup(f.text) for f in forms[:500])
    polish = next(f for f in forms if f.text == "Polish")
    assert polish.needs_capital and polish.key == "polish"
    # "Georgia" now names the user's entry only, so the state no longer offers that form.
    assert not any(f.entry.id == "state:GEO" and f.key == "georgia" for f in forms)
    assert any(f.entry.id == "state:GEO" and f.key == "tbilisi" for f in forms)


def test_hyphen_space_dot_and_accent_variants(kb: KnowledgeBase) -> None:
    assert ids(kb.lookup("al Qaeda")) == ids(kb.lookup("Al-Qaeda")) == ["org:AL-QAEDA"]
    assert "state:FRA" in ids(kb.lookup("the Elysee")) and "state:FRA" in ids(kb.lookup("Élysée"))
    assert alias_key("Secretary-General") == alias_key("Secretary General") == "secretary general"
    assert alias_key("U.S.") == "US" and alias_key("the White House") == "white house"
    assert surface_keys("Nato")[0] == "nato" and "NATO" in surface_keys("Nato")


def test_possessives_and_leading_article(kb: KnowledgeBase) -> None:
    assert "state:RUS" in ids(kb.lookup("Russia's"))
    assert "state:RUS" in ids(kb.lookup("Russia’s"))
    assert "person:Q7747" in ids(kb.lookup("Putin’s"))
    assert "state:PHL" in ids(kb.lookup("the Philippines'"))


def test_lookup_kind_reports_how_it_matched(kb: KnowledgeBase) -> None:
    assert (kb.state("RUS"), "metonym") in kb.lookup_kind("the Kremlin")
    assert (kb.state("CHN"), "adjective") in kb.lookup_kind("Chinese")
    assert (kb.state("UKR"), "adjective") in kb.lookup_kind("Ukrainians")
    assert (kb.state("USA"), "alias") in kb.lookup_kind("U.S.")
    assert (kb.state("USA"), "name") in kb.lookup_kind("United States")
    putin = kb.get("person:Q7747")
    assert kb.lookup_kind("Putin") == [(putin, "surname")]
    assert kb.lookup_kind("Vladimir Putin") == [(putin, "name")]
    assert kb.lookup("Kiev") == kb.lookup("Kyiv") == [kb.state("UKR")]


def test_ambiguous_surface_returns_every_candidate(kb: KnowledgeBase) -> None:
    found = ids(kb.lookup("Kim"))
    assert "person:Q56226" in found and len(found) >= 2
    congo = ids(kb.lookup("Congo"))
    assert "state:COD" in congo and "state:COG" in congo


def test_regions_are_not_states(kb: KnowledgeBase) -> None:
    for region in ("Europe", "the Middle East", "Northeast Asia", "Africa", "the Korean Peninsula"):
        assert kb.is_region(region)
        assert not any(e.kind == "state" for e in kb.lookup(region))
    assert not kb.is_region("France")


def test_places_belong_to_states(kb: KnowledgeBase) -> None:
    assert kb.place_country("Crimea") == "UKR"
    assert kb.place_country("the Gaza Strip") == "PSE" and kb.is_region("Gaza Strip")
    assert kb.place_country("Darfur") == "SDN"
    assert kb.place_country("Kyiv") == "UKR"  # a capital
    assert kb.place_country("Atlantis") is None
    states = {e.code for e in kb.entries() if e.kind == "state"}
    assert set(kb.places().values()) <= states
    assert not any(e.kind == "state" for place in kb.places() for e in kb.lookup(place))


# ---------------------------------------------------------------- offices by date


def test_office_at_picks_office_held_on_the_date(kb: KnowledgeBase) -> None:
    poroshenko = kb.lookup("Petro Poroshenko")[0]  # foreign minister, later president
    assert kb.office_at(poroshenko, D(2009, 12, 1)).role == "Foreign Minister"
    assert kb.office_at(poroshenko, D(2016, 1, 1)).role == "President"
    assert kb.office_at(poroshenko, D(2012, 1, 1)).role == "President"  # no office then: the latest
    putin = kb.get("person:Q7747")
    assert kb.office_at(putin, D(2010, 6, 1)).role == "Prime Minister"
    assert kb.office_at(putin, D(2020, 6, 1)).role == "President"
    assert kb.office_at(putin, None).role == "President"


def test_office_at_prefers_the_most_senior_concurrent_office(kb: KnowledgeBase) -> None:
    xi = kb.get("person:Q15031")  # president, party general secretary and military commission chairman
    assert kb.office_at(xi, D(2020, 1, 1)).role == "President"
    assert kb.office_at(xi, D(2012, 12, 1)).role.startswith("General Secretary")
    kim = kb.get("person:Q56226")
    assert kb.office_at(kim, D(2024, 6, 1)).role == "Supreme Leader"
    rubio = kb.lookup("Marco Rubio")[0]
    assert kb.office_at(rubio, D(2025, 6, 1)).role == "Secretary of State"  # also acting NSA
    assert kb.office_at(rubio, D(2020, 6, 1)).role == "Senator"


def test_office_ranks() -> None:
    assert office_rank("Supreme Leader") < office_rank("King") == office_rank("President")
    assert office_rank("President") < office_rank("General Secretary of the Communist Party of China")
    assert office_rank("President") < office_rank("Prime Minister") < office_rank("Foreign Minister")
    assert office_rank("Vice President") > office_rank("Prime Minister")
    assert office_rank("Chancellor of the Exchequer") == office_rank("Foreign Secretary")


def test_person_defaults_come_from_the_latest_office(kb: KnowledgeBase) -> None:
    guterres = kb.get("person:Q311440")
    assert guterres.country == "PRT" and guterres.code == "IGO" and guterres.sector == "IGO"
    assert latest_office(guterres.offices).organization == "org:UN"
    assert kb.office_at(guterres, D(2000, 1, 1)).country == "PRT"
    lavrov = kb.lookup("Lavrov")[0]
    assert lavrov.cameo == "RUSGOV" and kb.office_at(lavrov, D(2022, 1, 1)).organization == "org:RU-MFA"


# ---------------------------------------------------------------- agents


@pytest.mark.parametrize(("words", "pattern", "sector", "kind"), [
    ("foreign minister", "foreign minister", "GOV", "person"),
    ("Foreign Ministry spokesman", "foreign ministry spokesman", "GOV", "person"),
    ("China's foreign ministry", "foreign ministry", "GOV", "organization"),
    ("rebels", "rebels", "REB", "group"),
    ("Houthi fighters", "fighters", "REB", "group"),
    ("senior military commanders", "commanders", "MIL", "group"),
    ("lawmakers", "lawmakers", "LEG", "group"),
    ("the Secretary-General", "secretary general", "IGO", "person"),
    ("protesters", "protesters", "CVL", "group"),
    ("riot policemen", "policemen", "COP", "group"),
])
def test_agents(kb: KnowledgeBase, words: str, pattern: str, sector: str, kind: str) -> None:
    agent = kb.agent(words)
    assert agent is not None
    assert (agent.pattern, agent.sector, agent.kind) == (pattern, sector, kind)


@pytest.mark.parametrize(("words", "pattern"), [
    ("spokesman for the State Department", "spokesman"),
    ("minister of foreign affairs of Iran", "minister of foreign affairs"),
    ("army officers in the north", "officers"),
    ("Chinese Foreign Ministry spokesperson Mao Ning", "foreign ministry spokesperson"),
    ("senior US officials", "officials"),
])
def test_agent_heads(kb: KnowledgeBase, words: str, pattern: str) -> None:
    assert kb.agent(words).pattern == pattern


def test_agent_plural_fallback_and_miss(kb: KnowledgeBase) -> None:
    assert kb.agent("ambassadors").pattern == "ambassador"
    assert kb.agent("banana") is None
    assert kb.agent("") is None


# ---------------------------------------------------------------- user files layered over the bundled data


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_yaml_extends_and_overrides_bundled(tmp_path: Path) -> None:
    extra = write(tmp_path, "mine.yaml", """
version: 1
entries:
  - {id: "state:USA", aliases: [Uncle Sam]}
  - {id: "person:jane-roe", name: Jane Roe, kind: person, country: GEO, surnames: [Georgia],
     offices: [{role: Mayor of Tbilisi, sector: GOV, start: 2030-01-01}]}
  - {id: "org:NATO", name: North Atlantic Alliance, kind: organization, code: IGO, sector: IGO, replace: true,
     aliases: [Alliance HQ]}
agents:
  - {pattern: harbour master, sector: GOV, kind: person, role: Harbour Master}
regions: [Atlantis]
""")
    kb = KnowledgeBase.load([extra])
    usa = kb.state("USA")
    assert "Uncle Sam" in usa.aliases and "U.S." in usa.aliases  # lists extend
    assert ids(kb.lookup("Uncle Sam")) == ["state:USA"]
    # The later file's "Georgia" hides the bundled state for that surface form.
    assert ids(kb.lookup("Georgia")) == ["person:jane-roe"]
    assert kb.state("GEO") is not None and "state:GEO" in ids(kb.lookup("Tbilisi"))
    nato = kb.get("org:NATO")
    assert nato.name == "North Atlantic Alliance" and "NATO" not in nato.aliases  # replace: true
    assert kb.lookup("NATO") == [] and ids(kb.lookup("Alliance HQ")) == ["org:NATO"]
    assert kb.agent("the harbour master").role == "Harbour Master"
    assert kb.is_region("Atlantis")


def test_file_defaults_do_not_reset_extended_entries(tmp_path: Path) -> None:
    extra = write(tmp_path, "people.yaml", """
version: 1
defaults: {kind: person}
entries:
  - {name: Jane Roe, country: NZL, offices: [{role: Foreign Minister, sector: GOV, start: 2024}]}
  - {id: "state:USA", aliases: [Uncle Sam]}
""")
    kb = KnowledgeBase.load([extra])
    assert kb.get("person:jane-roe").kind == "person"
    assert kb.state("USA").kind == "state" and "Uncle Sam" in kb.state("USA").aliases


def test_load_without_bundled_and_format_errors(tmp_path: Path) -> None:
    only = write(tmp_path, "only.yaml", "version: 1\nentries:\n  - {code: XYZ, name: Freedonia, kind: state}")
    kb = KnowledgeBase.load([only], include_bundled=False)
    assert [e.id for e in kb.entries()] == ["state:XYZ"]
    assert kb.lookup("United States") == []
    with pytest.raises(KBFormatError, match="version"):
        KnowledgeBase.load([write(tmp_path, "nov.yaml", "entries: []\n")], include_bundled=False)
    bad_kind = write(tmp_path, "bad.yaml", "version: 1\nentries:\n  - {id: x, name: X, kind: thing}\n")
    with pytest.raises(KBFormatError, match="kind"):
        KnowledgeBase.load([bad_kind], include_bundled=False)
    prose = write(tmp_path, "bad.txt", "this is prose, not a dictionary\n")
    with pytest.raises(KBFormatError):
        KnowledgeBase.load([prose], include_bundled=False)


# ---------------------------------------------------------------- data consistency


def _raw_records() -> list[tuple[str, dict]]:
    out = []
    for path in KnowledgeBase.bundled_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "version" in doc, path.name
        defaults = doc.get("defaults") or {}
        out += [(path.name, {**defaults, **rec}) for rec in doc.get("entries") or ()]
    return out


def test_bundled_files_have_version_and_header_comment() -> None:
    for path in KnowledgeBase.bundled_files():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#") and "public" in text.split("version:")[0].lower(), path.name


def test_no_duplicate_ids_in_bundled_yaml(kb: KnowledgeBase) -> None:
    seen = Counter(str(rec.get("id") or (f"state:{rec['code']}" if rec.get("kind") == "state" else
                                         f"person:{rec['wikidata']}" if rec.get("wikidata") else rec["name"]))
                   for _, rec in _raw_records())
    assert [i for i, n in seen.items() if n > 1] == []
    names = Counter((e.kind, e.name) for e in kb.entries())
    assert [n for n, c in names.items() if c > 1] == []


def test_codes_ids_and_references_are_consistent(kb: KnowledgeBase) -> None:
    states = {e.code for e in kb.entries() if e.kind == "state"}
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in states)
    all_ids = {e.id for e in kb.entries()}
    for e in kb.entries():
        assert e.name in e.aliases, e.id
        assert e.wikidata is None or re.fullmatch(r"Q\d+", e.wikidata), e.id
        assert e.country is None or e.country in states, e.id
        assert e.parent is None or e.parent in all_ids, (e.id, e.parent)
        assert e.id.split(":", 1)[0] in ("state", "org", "person", "party"), e.id
        for member in e.parties:
            assert kb.get(member.party) is not None and kb.get(member.party).kind == "party", (e.id, member)
        for office in e.offices:
            assert office.country is None or office.country in states, (e.id, office)
            assert office.organization is None or office.organization in all_ids, (e.id, office)
            assert office.start is None or office.end is None or office.start <= office.end, (e.id, office)
        if e.kind == "person":
            assert e.offices or e.sector, e.id
    wikidata = Counter(e.wikidata for e in kb.entries() if e.wikidata)
    assert [w for w, n in wikidata.items() if n > 1] == []
    for country, govs in kb._governments.items():
        assert country in states
        spans = sorted((g.start, g.end) for g in govs)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end is not None and end < start, (country, end, start)  # periods never overlap
        for g in govs:
            assert all(kb.get(p) is not None and kb.get(p).kind == "party" for p in g.parties), (country, g)
            assert all(kb.get(p).country == country for p in g.parties), (country, g)


def test_agents_are_lower_case_with_known_sectors(kb: KnowledgeBase) -> None:
    sectors = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "REB", "OPP", "CVL", "REF", "MED", "BUS", "NGO",
               "IGO", "HLH", "EDU", "LAB", "REL", "UAF", "AGR", "CRM"}
    for agent in kb.agents():
        assert agent.pattern == agent.pattern.lower() and agent.pattern.strip() == agent.pattern
        assert agent.sector in sectors, agent
        assert agent.kind in ("person", "group", "organization")


def test_regions_do_not_shadow_state_names(kb: KnowledgeBase) -> None:
    for region in kb.regions():
        assert not any(e.kind == "state" and how == "name" for e, how in kb.lookup_kind(region)), region


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsgraph.kb.__main__ import main

    good = write(tmp_path, "good.yaml", "version: 1\nentries:\n  - {code: XYZ, name: Freedonia, kind: state}")
    assert main(["--no-bundled", "--lookup", "Freedonia", "--lookup", "Sylvania", str(good)]) == 0
    out = capsys.readouterr().out
    assert "state=1" in out and "'Freedonia': state:XYZ (name)" in out and "'Sylvania': no match" in out
    bad = write(tmp_path, "bad.yaml", "version: 1\nentries:\n  - {code: XYZ, name: F, kind: state, hue: 1}")
    assert main([str(bad)]) == 1
    assert "hue" in capsys.readouterr().err



def test_place_parts_and_administrative_names_keep_their_state(kb: KnowledgeBase) -> None:
    assert kb.place_country("southern Darfur") == "SDN"
    assert kb.place_country("North Darfur State") == "SDN"
    assert kb.place_country("west Mosul") == "IRQ"
    assert kb.place_country("Kano State") == "NGA"
    assert kb.place_country("West Africa") is None  # a region, not a part of a state
    assert kb.place_country("the north") is None
