"""PETRARCH/TABARI dictionary reader on small fixtures written for these tests."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from newsgraph.kb import KnowledgeBase, read_petrarch
from newsgraph.kb.petrarch import display_name, looks_like_petrarch, parse_code

FIXTURES = Path(__file__).parent / "fixtures" / "petrarch"
ACTORS = FIXTURES / "actors.txt"
AGENTS = FIXTURES / "agents.txt"
D = datetime.date


def test_parse_code_date_forms() -> None:
    assert parse_code("USAGOV 20090120-20170120") == ("USAGOV", D(2009, 1, 20), D(2017, 1, 20))
    assert parse_code("USAGOV >20090120") == ("USAGOV", D(2009, 1, 20), None)
    assert parse_code("USAGOV <20170120") == ("USAGOV", None, D(2017, 1, 20))
    assert parse_code("IGOUNO") == ("IGOUNO", None, None)
    assert parse_code("HOBGOV 19950601 - 19990815") == ("HOBGOV", D(1995, 6, 1), D(1999, 8, 15))
    assert parse_code("HOB < 950601") == ("HOB", None, D(1995, 6, 1))
    assert parse_code("hobreb > 011113") == ("HOBREB", D(2001, 11, 13), None)
    assert parse_code("ELR/GAL") == ("ELR", None, None)
    with pytest.raises(ValueError, match="YYYYMMDD"):
        parse_code("USAGOV 2009-2017")


def test_display_names() -> None:
    assert display_name("BARACK_OBAMA_") == "Barack Obama"
    assert display_name("US_SECRETARY_OF_STATE_") == "US Secretary of State"
    assert display_name("UNITED_NATIONS_CHILDREN'S_FUND_") == "United Nations Children's Fund"


def test_format_detection() -> None:
    assert looks_like_petrarch(ACTORS.read_text(encoding="utf-8"))
    assert looks_like_petrarch(AGENTS.read_text(encoding="utf-8"))
    assert not looks_like_petrarch("version: 1\nentries: []\n")
    assert not looks_like_petrarch("Some prose about the news.\n")


def test_actor_entries_names_synonyms_and_dated_codes() -> None:
    layer = read_petrarch(ACTORS.read_text(encoding="utf-8"), "actors.txt")
    assert layer.skipped == 1 and layer.warnings == []  # the [---] entry
    assert not any("board" in rid for rid in layer.raw)
    ardern = layer.raw["person:jacinda-ardern"]
    assert ardern["name"] == "Jacinda Ardern"
    assert ardern["aliases"] == ["Ardern", "Prime Minister Ardern"]
    assert ardern["country"] == "NZL" and ardern["cameo"] == "NZLELI"  # latest code: open-ended
    spans = [(o["sector"], o["start"], o["end"]) for o in ardern["offices"]]
    assert spans == [("ELI", D(2008, 3, 8), D(2017, 10, 25)), ("GOV", D(2017, 10, 26), D(2023, 1, 25)),
                     ("ELI", D(2023, 1, 26), None)]
    kerry = layer.raw["person:john-kerry"]  # one undated code on the name line: no office, just the code
    assert kerry["cameo"] == "USAGOV" and kerry["sector"] == "GOV" and "offices" not in kerry
    assert kerry["aliases"] == ["Secretary Kerry"]
    howard = layer.raw["person:john-howard"]
    assert [(o["start"], o["end"]) for o in howard["offices"]] == [(None, D(2007, 12, 3))]
    unicef = layer.raw["org:UNITED-NATIONS-CHILDRENS-FUND"]
    assert unicef["kind"] == "organization" and unicef["code"] == "IGO" and unicef["sector"] == "IGO"
    assert unicef["cameo"] == "IGOUNO" and unicef["country"] is None


def test_agent_entries() -> None:
    layer = read_petrarch(AGENTS.read_text(encoding="utf-8"), "agents.txt")
    agents = {a.pattern: a for a in layer.agents}
    assert set(agents) == {"foreign minister", "riot police", "insurgents", "trade unionists",
                           "harbour master", "policeman", "policemen"}
    assert (agents["foreign minister"].sector, agents["foreign minister"].kind) == ("GOV", "person")
    assert agents["foreign minister"].role == "Foreign Minister"
    assert (agents["riot police"].sector, agents["riot police"].kind) == ("COP", "group")
    assert (agents["insurgents"].sector, agents["insurgents"].kind) == ("REB", "group")
    assert agents["trade unionists"].sector == "LAB"
    assert layer.skipped == 0 and layer.raw == {}
    assert {"policeman", "policemen"} <= {a.pattern for a in read_petrarch(AGENTS.read_text("utf-8")).agents}


def test_unreadable_lines_are_warnings_naming_file_and_line() -> None:
    layer = read_petrarch("+OBAMA_\nBARACK_OBAMA_\n  [USAGOV 2009]\n  [USAGOV >20090120]\n", "d.txt")
    assert layer.warnings == ["d.txt:1: synonym with no entry before it; line skipped",
                              "d.txt:3: bad PETRARCH date '2009' (expected YYYYMMDD or YYMMDD); line skipped"]
    obama = layer.raw["person:barack-obama"]
    assert [(o["start"], o["end"]) for o in obama["offices"]] == [(D(2009, 1, 20), None)]


FULL = FIXTURES / "full-syntax.txt"


def test_full_syntax_fixture() -> None:
    layer = read_petrarch(FULL.read_text(encoding="utf-8"), "full-syntax.txt")
    lines = {w.split(":")[1]: w for w in layer.warnings}
    # every unreadable line is named, and the rest of the file loads
    assert set(lines) == {"28", "29", "30", "31", "32"}, layer.warnings
    assert "bad PETRARCH date '2005'" in lines["28"] and "unbalanced" in lines["29"]
    assert "no entry before it" in lines["30"] and "pattern lines" in lines["31"] and "no code" in lines["32"]
    raw = layer.raw
    novak = raw["person:karel-novak"]  # spaces in the name, YYMMDD dates, spaced range and "> date"
    assert [(o["sector"], o["start"], o["end"]) for o in novak["offices"]] == [
        ("GOV", D(2012, 1, 1), D(2015, 6, 30)), ("ELI", D(2015, 7, 1), None)]
    assert novak["aliases"] == ["Minister Novak"]
    brandt = raw["person:lucia-brandt"]  # undated code on its own line: what she is (LEG), not an office
    assert brandt["sector"] == "LEG" and [o["sector"] for o in brandt["offices"]] == ["GOV"]
    assert raw["state:GHA"]["kind"] == "state" and raw["state:GHA"]["aliases"] == ["Gold Coast Republic"]
    assert raw["state:GBR"]["name"] == "Harbour Guild"  # the first of alternative codes
    orpheus = raw["org:ORPHEUS-FRONT"]  # "(OFR)" becomes an alias; IMG...REB is an armed group
    assert orpheus["kind"] == "group" and orpheus["sector"] == "REB" and "OFR" in orpheus["aliases"]
    assert raw["org:RIVERLAND-POLICE-FORCE"]["kind"] == "group"  # police, like the bundled role noun
    assert not any("timber" in k.lower() for k in raw)  # [---]: not an actor
    assert raw["state:ODM"]["name"] == "Old Dominion"  # [--- <date]: not an actor until then, ODM after
    assert "39649" not in raw["state:USA"]["aliases"]  # a synonym with no letters names nothing
    agents = {a.pattern: a for a in layer.agents}
    assert {"riverman", "rivermen", "riverwoman", "riverwomen"} <= set(agents)  # !WORKER! expanded
    assert {"dock worker", "dock workers", "dockers", "ranch hand", "chief executive"} <= set(agents)
    assert agents["dock workers"].kind == "group" and agents["dock worker"].sector == "LAB"


def test_dictionary_extends_the_knowledge_base_without_hiding_it() -> None:
    kb = KnowledgeBase.load([FULL])
    assert "missing 'version'" not in " ".join(kb.warnings)
    assert any("full-syntax.txt:28" in w for w in kb.warnings)
    israel = kb.state("ISR")  # matched by code: extended, not renamed
    assert israel.name == "Israel" and "Islandia" in israel.aliases
    assert kb.lookup("Nippon")[0].id == "state:JPN"  # matched by its old CAMEO code
    assert [e.id for e in kb.lookup("Uncle Sam")] == ["state:USA"]
    assert kb.state("USA").name == "United States"
    assert kb.lookup("White House")[0].kind == "organization"  # the bundled meaning of the form stays
    assert kb.agent("minister").role == "Minister"  # the bundled definition stays
    assert kb.agent("dockers").sector == "LAB"


def test_dictionaries_layer_over_bundled_data() -> None:
    kb = KnowledgeBase.load([ACTORS, AGENTS])
    ardern = kb.lookup("Jacinda Ardern")[0]
    assert kb.lookup_kind("Ardern") == [(ardern, "alias")]
    assert kb.office_at(ardern, D(2020, 1, 1)).sector == "GOV"
    assert kb.office_at(ardern, D(2024, 1, 1)).sector == "ELI"
    # A dictionary entry with the name of a bundled person extends that person instead of duplicating it.
    merkel = kb.get("person:Q567")
    assert "Chancellor Merkel" in merkel.aliases and merkel.name == "Angela Merkel"
    assert [e.id for e in kb.lookup("Angela Merkel")] == ["person:Q567"]
    assert kb.office_at(merkel, D(2015, 1, 1)).role == "Chancellor"  # bundled title kept, more senior
    assert [e.id for e in kb.lookup("Secretary Kerry")] == ["person:Q22316"]
    assert kb.office_at(kb.get("person:Q22316"), D(2014, 1, 1)).role == "Secretary of State"
    assert kb.agent("the harbour master").role == "Harbour Master"
    assert kb.agent("riot police").sector == "COP"


def test_dictionary_alone() -> None:
    kb = KnowledgeBase.load([ACTORS], include_bundled=False)
    assert {e.id for e in kb.entries()} == {
        "person:jacinda-ardern", "person:angela-merkel", "person:john-kerry", "person:john-howard",
        "org:UNITED-NATIONS-CHILDRENS-FUND", "person:plural-block",
    }
    assert [e.id for e in kb.lookup("UNICEF")] == ["org:UNITED-NATIONS-CHILDRENS-FUND"]


def test_phoenix_line_forms_remarks_glued_comments_several_synonyms_and_bodies_with_dated_codes() -> None:
    """Forms seen in the Phoenix dictionaries (lines written for the test)."""
    text = ("NORTHWIND_HOLDINGS_\t[MNCBEL]\tShipping/Freight\t$412,000,000\n"
            "ORCHARD_BANK_\t[MNCGBR <040726][MNCESP]\n"
            "ELENA_VOSS_\t[IGOUNO 970101-061231] [ELI]# rulers list\n"
            "MARA_TEN_\t[IGOUNO 070101-161231]\n"
            "VALDORIA_ [VLD]\n"
            "+NORTH_MARCHES#_UNSURE_\n"
            "+VALDORIAN_ +VALDORIANS_\n"
            "R.J._QUILL_&_SONS_ [MNCUSA]\n"
            "AB&C_ [MNCUSA]\n")
    layer = read_petrarch(text, "phoenix.txt")
    recs = {r["name"]: r for r in layer.raw.values()}
    assert recs["Northwind Holdings"]["kind"] == "organization"          # the remark is no part of the name
    assert recs["Orchard Bank"]["kind"] == "organization"                # a body whose code changed
    assert recs["Orchard Bank"]["cameo"] == "MNCESP"
    assert recs["Elena Voss"]["kind"] == "person" and recs["Elena Voss"]["cameo"] == "ELI"
    assert recs["Mara Ten"]["kind"] == "person"                          # dated posts only: a person
    assert set(recs["Valdoria"]["aliases"]) == {"North Marches", "Valdorian", "Valdorians"}
    assert "R.J. Quill & Sons" in recs and "AB&C" in recs
    assert not layer.warnings
