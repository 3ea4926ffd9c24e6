"""Article metadata read from the text itself: headline, dateline place and date, language."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
              "oct": 10, "nov": 11, "dec": 12}
_MONTH = r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|" \
         r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_DATE = _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
_DATE_DMY = r"(?P<day2>\d{1,2})\s+" + _MONTH.replace("month", "month2") + r",?\s+(?P<year2>\d{4})"
_DASH = r"\s*(?:[-–—―]{1,2}|:)\s*"
# Wire datelines: "WASHINGTON, June 18, 2024 –", "Washington, D.C., June 18, 2024 –",
# "KYIV, Ukraine (Reuters) -", "LONDON (AP) —", "Geneva, 3 March 2025 -". The place is one to four
# capitalised words with an optional region.
_PLACE = r"(?P<place>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3}" \
         r"(?:,\s+[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,2})?)"
_AGENCY = r"(?:\s*\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?"
# Wire copy often gives the day without the year ("BEIJING, Jan. 5 (Xinhua) --"): the place is still read.
_DATE_NO_YEAR = _MONTH.replace("month", "month3") + r"\s+\d{1,2}(?:st|nd|rd|th)?"
DATELINE_RE = re.compile(
    r"^\s*" + _PLACE + _AGENCY + r"(?:,\s*(?:" + _DATE + r"|" + _DATE_DMY + r"|" + _DATE_NO_YEAR + r"))?"
    + _AGENCY.replace("agency", "agency2") + _DASH)
BOILERPLATE_LINE = re.compile(
    r"^\s*(posted|published|updated|last updated|share|by|print|advertisement|photo|image|read more|"
    r"subscribe|listen|email|follow)\b.{0,60}$", re.IGNORECASE)
LOOSE_DATE_RE = re.compile(_DATE + r"|" + _DATE_DMY)
ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass
class TextMetadata:
    title: str | None = None
    title_span: tuple[int, int] | None = None
    dateline_place: str | None = None
    published: str | None = None
    body_start: int = 0  # where the article body starts (after headline and dateline)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTH_ABBR[key[:4] if key.startswith("sept") else key[:3]]


def date_from_match(m: re.Match) -> str | None:
    try:
        if m.group("month"):
            return dt.date(int(m.group("year")), _month(m.group("month")), int(m.group("day"))).isoformat()
        if m.groupdict().get("month2"):
            return dt.date(int(m.group("year2")), _month(m.group("month2")), int(m.group("day2"))).isoformat()
    except (ValueError, KeyError, IndexError):
        return None
    return None


def normalise_date(value: str | None) -> str | None:
    """An ISO date from ISO timestamps, 'June 18, 2024', '18 June 2024'; None when unreadable."""
    if not value:
        return None
    value = value.strip()
    iso = ISO_DATE_RE.search(value)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        except ValueError:
            return None
    m = LOOSE_DATE_RE.search(value)
    return date_from_match(m) if m else None


def read_text_metadata(text: str) -> TextMetadata:
    """Headline (first substantial line, boilerplate skipped) and the dateline of the first body paragraph."""
    meta = TextMetadata()
    pos = 0
    paragraphs: list[tuple[int, str]] = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            paragraphs.append((pos + line.index(stripped[0]), stripped))
        pos += len(line)
    idx = 0
    while idx < len(paragraphs) and BOILERPLATE_LINE.match(paragraphs[idx][1]) \
            and len(paragraphs[idx][1]) < 60:
        idx += 1
    if idx < len(paragraphs):
        start, line = paragraphs[idx]
        # A headline is short and does not end like a sentence; a dateline paragraph is body, not title.
        if len(line) <= 200 and not line.endswith((".", "”", '"')) and not _is_dateline_paragraph(line):
            meta.title, meta.title_span = line, (start, start + len(line))
            meta.body_start = start + len(line)
            idx += 1
    for _start, line in paragraphs[idx:idx + 2]:
        m = DATELINE_RE.match(line)
        if m and _is_dateline(m):
            meta.dateline_place = m.group("place").strip().rstrip(",")
            meta.published = date_from_match(m)
            break
    return meta


def _is_dateline(m: re.Match) -> bool:
    """A date, an agency or an all-capitals place tells a dateline from a sentence with a dash."""
    return bool(m.group("month") or m.group("month2") or m.group("month3") or m.group("agency")
                or m.group("agency2") or m.group("place").isupper())


def _is_dateline_paragraph(line: str) -> bool:
    m = DATELINE_RE.match(line)
    return m is not None and _is_dateline(m) and len(line) - m.end() > 20


MIN_WORDS_FOR_LANGUAGE = 12

# Function words that are frequent in English news and rare in other languages written in Latin script.
_EN_WORDS = frozenset("the of and to in a is that for on with as was by it said has have from at be are this "
                      "an not which but or its were their been will after who they he she his her".split())

# Function words of other Latin-script languages, chosen not to be English words too (no "in", "a", "is",
# "no", "per"), so that a hit is evidence for that language and not for English.
_OTHER_WORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (code, frozenset(words.split()))
    for code, words in (
        ("de", "der die das und ist nicht mit sich auf dem den des ein eine einen zu von für im sagte dass "
               "wird wurde haben hat auch bei nach aus über sind werden sie wir noch einer nur zum zur"),
        ("fr", "de le la les des du et est une un pour dans que qui sur au aux avec pas par ont été ce "
               "cette il elle sont plus ses leur selon entre mais ou nous vous"),
        ("es", "de el los las del y es una por para con que en se su sus ha al fue como más pero dijo "
               "según entre este esta han sobre"),
        ("it", "il lo gli della dei delle di da che non sono è nel nella alla ha anche per del con una si "
               "ai degli questo"),
        ("pt", "de o os do da dos das e é um uma para com que em não se na ao pelo pela foi disse também "
               "mais seu sua"),
        ("nl", "de het een en van dat op te zijn met voor niet ook door bij aan er werd heeft worden naar "
               "zijn wordt hij"),
    )
)


def detect_language(text: str) -> str | None:
    """'en' for English; the code of another Latin-script language recognised by its function words ('de',
    'fr', 'es', 'it', 'pt', 'nl'); a script's language for Cyrillic, Arabic, CJK...; 'und' when nothing is
    recognised and None when the text is too short to judge.

    Only a positive detection of another language should keep a text from the English pipeline: 'und' and
    None are analysed. Function-word counts are enough here, without a language-identification dependency.
    """
    words = re.findall(r"[^\W\d_]+", text[:6000].lower())  # a thousand words are plenty
    if len(words) < 3:
        return None
    latin = sum(1 for w in words if w.isascii() or w.isalpha() and ord(w[0]) < 0x250)
    if latin / len(words) < 0.5:
        return _script_language(text)
    counts = Counter(words)
    english = sum(counts[w] for w in _EN_WORDS)
    code, other = max(((c, sum(counts[w] for w in ws)) for c, ws in _OTHER_WORDS), key=lambda x: x[1])
    # positive evidence for another language: several of its function words and more than English ones
    if other >= 2 and other > 1.5 * english and other / len(words) >= 0.1:
        return code
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return None  # "Biden Meets Xi": too short to judge by function words; analyse it
    return "en" if english / len(words) >= 0.12 else "und"


def _script_language(text: str) -> str:
    for lo, hi, code in ((0x0400, 0x04FF, "ru"), (0x0600, 0x06FF, "ar"), (0x4E00, 0x9FFF, "zh"),
                         (0xAC00, 0xD7AF, "ko"), (0x3040, 0x30FF, "ja"), (0x0590, 0x05FF, "he")):
        if sum(1 for ch in text[:5000] if lo <= ord(ch) <= hi) > 20:
            return code
    return "und"
