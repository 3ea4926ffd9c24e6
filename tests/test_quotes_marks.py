"""Quotation marks on raw text: pairing, apostrophes, paragraphs, broken marks (no spaCy needed)."""

from __future__ import annotations

from newsgraph.extract.quote_marks import find_quotes


def contents(text: str) -> list[list[str]]:
    return [[text[a:b] for a, b in q.parts] for q in find_quotes(text).quotes]


def test_curly_and_straight_double_quotes():
    text = '“We are ready,” the minister said. Her deputy added: "The roads are open."'
    assert contents(text) == [["We are ready,"], ["The roads are open."]]


def test_apostrophes_are_never_quote_marks():
    text = ("“Don’t expect the Kremlin’s answer before the ’90s style summit,” he said. "
            "The allies’ plans rest on Moscow’s reply and rock ’n’ roll diplomacy.")
    assert contents(text) == [["Don’t expect the Kremlin’s answer before the ’90s style summit,"]]


def test_single_quotes_at_top_level_and_nested():
    assert contents("Officials called it a ‘temporary pause’ in the talks.") == [["temporary pause"]]
    nested = "“He told me ‘never again’ and left,” she said."
    assert contents(nested) == [["He told me ‘never again’ and left,"]]


def test_quote_continues_into_next_paragraph():
    text = ("“The first paragraph of the statement ends here.\n\n"
            "“And the second one closes it,” the senator said.\n\nLater she left.")
    scan = find_quotes(text)
    assert len(scan.quotes) == 1
    q = scan.quotes[0]
    assert [text[a:b] for a, b in q.parts] == ["The first paragraph of the statement ends here.",
                                               "And the second one closes it,"]
    assert not scan.broken


def test_unbalanced_mark_costs_only_its_own_quote():
    text = ('The union said members were "exhausted beyond words.\n\n'
            '"We will strike," the union leader said. Another said "no deal" was better. '
            'Then a stray ” mark and “one more,” he added.')
    scan = find_quotes(text)
    assert contents(text) == [["We will strike,"], ["no deal"], ["one more,"]]
    assert text[scan.broken[0]] == '"'


def test_straight_quote_opened_twice_keeps_the_second():
    text = 'He said "we will go. Then "They came," she said.'
    assert contents(text) == [["They came,"]]


def test_question_and_one_word_quotes():
    text = "“Why now?” she asked. “Never,” he replied."
    assert contents(text) == [["Why now?"], ["Never,"]]


def test_nested_curly_double_quotes_stay_inside_the_outer_one():
    text = "They wrote: “the so-called “reform” is a step back. We reject it,” the group said."
    assert contents(text) == [["the so-called “reform” is a step back. We reject it,"]]


def test_two_apostrophes_are_a_double_mark():
    # newspaper archives write double quotation marks as two apostrophes
    text = ("''We will not leave,'' the mayor said, calling the order ''a very bad idea.'' "
            "It wasn't the first time.")
    assert contents(text) == [["We will not leave,"], ["a very bad idea."]]
    scan = find_quotes(text)
    assert [m[0] for m in scan.quotes[0].marks] == [0] and scan.broken == []
