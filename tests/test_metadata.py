"""Article metadata read from the text: headline, dateline place and date, language."""

from __future__ import annotations

import pytest

from newsgraph.ingest.metadata import detect_language, normalise_date, read_text_metadata

BODY = "Officials from both countries met on Monday to discuss the border, and said talks would go on."


@pytest.mark.parametrize(("first_line", "place", "date"), [
    ("Washington, D.C., June 18, 2024 – ", "Washington, D.C.", "2024-06-18"),
    ("WASHINGTON, June 18, 2024 — ", "WASHINGTON", "2024-06-18"),
    ("KYIV, Ukraine (Reuters) - ", "KYIV, Ukraine", None),
    ("LONDON (AP) — ", "LONDON", None),
    ("Geneva, 3 March 2025 - ", "Geneva", "2025-03-03"),
    ("BEIJING, Jan. 5 (Xinhua) -- ", "BEIJING", None),
    ("NEW DELHI, Sept. 12, 2023 (Reuters) - ", "NEW DELHI", "2023-09-12"),
    ("UNITED NATIONS — ", "UNITED NATIONS", None),
])
def test_dateline_variants(first_line, place, date):
    meta = read_text_metadata(f"Border Talks Resume\n\n{first_line}{BODY}")
    assert meta.title == "Border Talks Resume"
    assert meta.dateline_place == place
    assert meta.published == date


def test_boilerplate_lines_are_not_the_title():
    text = "Posted on\n\nShare\n\nLeaders Meet in Rome\n\nROME, May 2, 2024 - " + BODY
    meta = read_text_metadata(text)
    assert meta.title == "Leaders Meet in Rome"
    assert text[meta.title_span[0]:meta.title_span[1]] == meta.title
    assert meta.body_start == meta.title_span[1]


def test_no_headline_when_text_starts_with_the_body():
    meta = read_text_metadata("PARIS (AFP) - " + BODY)
    assert meta.title is None and meta.dateline_place == "PARIS"


def test_sentence_is_not_a_dateline():
    meta = read_text_metadata("Talks Stall\n\nThe minister said - after a long pause - that talks were over.")
    assert meta.dateline_place is None


@pytest.mark.parametrize(("value", "iso"), [
    ("2024-06-18T09:30:00Z", "2024-06-18"), ("June 18, 2024", "2024-06-18"), ("18 June 2024", "2024-06-18"),
    ("Sept. 3, 2021", "2021-09-03"), ("not a date", None), ("2024-13-40", None), (None, None),
])
def test_normalise_date(value, iso):
    assert normalise_date(value) == iso


def test_language_detection():
    english = "The minister said that the talks would resume in the spring, and he was hopeful."
    assert detect_language(english) == "en"
    assert detect_language("Der Minister sagte am Montag, dass die Gespräche über die Grenze im Frühjahr "
                           "wieder aufgenommen werden.") \
        not in ("en", None)
    assert detect_language("Министр заявил, что переговоры возобновятся весной, и он надеется на успех "
                           "переговоров между странами.") == "ru"
    assert detect_language("ok") is None
    assert detect_language("Biden Meets Xi in Lima") is None  # too short to tell: analysed as English


@pytest.mark.parametrize(("text", "code"), [
    ("Le ministre a déclaré lundi que les négociations avec la Belgique reprendraient au printemps.", "fr"),
    ("El ministro dijo el lunes que las conversaciones con el gobierno de Chile se reanudarán pronto.", "es"),
    ("Il ministro ha detto lunedì che i colloqui con il governo della Grecia riprenderanno presto.", "it"),
    ("O ministro disse na segunda-feira que as negociações com o governo serão retomadas em breve.", "pt"),
    ("De minister zei maandag dat de gesprekken met de regering in het voorjaar worden hervat.", "nl"),
    ("Die Regierung hat am Dienstag die Grenze zu Polen wieder geöffnet.", "de"),
])
def test_latin_script_languages_are_recognised_by_their_function_words(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", [
    "Kenya recalled its envoy to Uganda after border clashes near Busia.",
    "Thousands of Chilean students marched through Santiago demanding free tuition.",
    "Brazilian police arrested eleven suspected smugglers near Manaus.",
])
def test_short_english_sentences_are_not_taken_for_another_language(text):
    assert detect_language(text) in ("en", "und", None)


def test_unknown_language_is_analysed_and_only_a_detected_other_language_is_skipped():
    from newsgraph.extract.base import ArticleContext

    assert ArticleContext("a", language="und").analysable
    assert ArticleContext("a", language=None).analysable
    assert not ArticleContext("a", language="fr").analysable
