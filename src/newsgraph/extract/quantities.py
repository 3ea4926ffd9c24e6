"""Quantities: numbers with their qualifier, unit, item and currency ("over 11,000 containers of munitions",
"$60 billion", "killed 12 people"), and the PLOVER field they fill (dead, injured, size, money)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.contract import Quantity

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "a": 1,
    "an": 1,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mln": 1e6,
    "bln": 1e9,
    "m": 1e6,
    "bn": 1e9,
    "k": 1e3,
}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR"}
_CURRENCY_WORDS = {
    "dollar": "USD",
    "euro": "EUR",
    "pound": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "ruble": "RUB",
    "rouble": "RUB",
    "rupee": "INR",
    "shekel": "ILS",
    "hryvnia": "UAH",
    "won": "KRW",
    "franc": "CHF",
    "lira": "TRY",
    "riyal": "SAR",
    "dinar": None,
}
_QUALIFIERS = (
    "more than",
    "less than",
    "fewer than",
    "up to",
    "at least",
    "at most",
    "as many as",
    "as much as",
    "as few as",
    "close to",
    "in excess of",
    "upwards of",
    "just over",
    "just under",
    "well over",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "over",
    "under",
    "below",
    "above",
    "estimated",
    "only",
    "exactly",
    "an estimated",
    "a further",
    "another",
)
_UNITS = {
    "ton",
    "tonne",
    "kilogram",
    "kg",
    "gram",
    "pound",
    "barrel",
    "litre",
    "liter",
    "gallon",
    "kilometre",
    "kilometer",
    "km",
    "mile",
    "metre",
    "meter",
    "percent",
    "per",
    "hectare",
    "acre",
    "container",
    "crate",
    "box",
    "truckload",
    "shipment",
    "round",
    "shell",
    "battalion",
    "brigade",
    "division",
    "unit",
    "batch",
    "cubic",
    "square",
    "megawatt",
    "dose",
    "bag",
    "sack",
    "carton",
    "case",
}
_PERSONS = {
    "people",
    "person",
    "troop",
    "soldier",
    "protester",
    "protestor",
    "demonstrator",
    "refugee",
    "civilian",
    "worker",
    "student",
    "police",
    "policeman",
    "officer",
    "fighter",
    "militant",
    "rebel",
    "personnel",
    "marcher",
    "activist",
    "supporter",
    "member",
    "resident",
    "villager",
    "child",
    "woman",
    "man",
    "prisoner",
    "detainee",
    "migrant",
    "guerrilla",
    "insurgent",
    "servicemen",
    "serviceman",
    "peacekeeper",
    "sailor",
    "marine",
    "pilot",
    "adviser",
    "advisor",
    "national",
    "citizen",
    "voter",
    "teacher",
    "doctor",
    "journalist",
    "worshipper",
    "pilgrim",
    "striker",
    "youth",
}
_KILL = {
    "kill",
    "slay",
    "massacre",
    "execute",
    "murder",
    "shoot",
    "behead",
    "die",
    "perish",
    "dead",
    "death",
    "fatality",
    "toll",
    "casualty",
}
_INJURE = {"wound", "injure", "hurt", "maim", "injured", "wounded", "injury"}
_NUM_RE = re.compile(r"^[\d.,]+$")


@dataclass(frozen=True)
class QuantityMatch:
    quantity: Quantity
    token_start: int
    token_end: int
    head_i: int  # the noun the number counts (or the number itself)


def _number_value(tokens: list[Token]) -> float | None:
    value: float | None = None
    for t in tokens:
        low = t.lower_
        if _NUM_RE.match(low):
            try:
                v = float(low.replace(",", ""))
            except ValueError:
                return None
            value = v if value is None else value + v
        elif low in _WORDS:
            value = _WORDS[low] if value is None else value + _WORDS[low]
        elif low in _SCALES:
            value = (value or 1) * _SCALES[low]
        elif low in ("-", "and"):
            continue
        else:
            return None
    return value


def _is_numeric(t: Token) -> bool:
    low = t.lower_
    return (
        bool(_NUM_RE.match(low) and any(ch.isdigit() for ch in low))
        or (low in _WORDS and low not in ("a", "an") and t.pos_ == "NUM")
        or (low in _SCALES and t.pos_ == "NUM")
    )


def _phrase(t: Token) -> str:
    """A noun with its adjective/compound modifiers ("emergency food aid")."""
    left = [c for c in t.lefts if c.dep_ in ("compound", "amod") and not _is_numeric(c)]
    start = min([t.i] + [c.i for c in left])
    return t.doc[start : t.i + 1].text


def _role(head: Token, item_lemma: str | None, currency: str | None) -> str | None:
    if currency:
        return "money"
    for t in (head, head.head, head.head.head):
        if t.lemma_.lower() in _KILL or t.lower_ in _KILL:
            return "dead"
        if t.lemma_.lower() in _INJURE or t.lower_ in _INJURE:
            return "injured"
        if t.pos_ == "VERB":
            break
    if any(c.lower_ in ("dead", "killed") for c in head.children):
        return "dead"
    if any(c.lower_ in ("injured", "wounded") for c in head.children):
        return "injured"
    if item_lemma and item_lemma in _PERSONS:
        return "size"
    return None


def find_quantities(doc: Doc | Span) -> list[QuantityMatch]:
    out: list[QuantityMatch] = []
    tokens = list(doc)
    i = 0
    base = tokens[0].i if tokens else 0
    while i < len(tokens):
        t = tokens[i]
        if not _is_numeric(t) or t.ent_type_ in ("DATE", "TIME", "ORDINAL", "CARDINAL_YEAR"):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            _is_numeric(tokens[j])
            or tokens[j].lower_ in _SCALES
            or (tokens[j].lower_ == "-" and j + 1 < len(tokens) and _is_numeric(tokens[j + 1]))
        ):
            j += 1
        num = tokens[i:j]
        value = _number_value(num)
        if value is None or (len(num) == 1 and re.fullmatch(r"(1[89]|20)\d\d", t.text)):
            i = j
            continue
        start, end = i, j
        currency = None
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.lower_ in _CURRENCY_SYMBOLS:
            currency = _CURRENCY_SYMBOLS[prev.lower_]
            start = i - 1
        elif prev is not None and prev.lower_ == "us" and i > 1 and tokens[i - 2].text == "$":
            currency = "USD"
            start = i - 2
        head = num[-1]
        while (
            head.head.i != head.i
            and head.dep_ in ("compound", "nummod", "quantmod", "nmod")
            and head.head.i >= head.i
            and head.head.pos_ in ("NOUN", "PROPN", "NUM", "SYM")
        ):
            head = head.head
        if head.lower_ in _CURRENCY_SYMBOLS:
            head = num[-1]
        unit = item = None
        item_lemma = None
        if head.i != num[-1].i and head.i >= num[-1].i:
            lemma = head.lemma_.lower()
            if not currency and lemma in _CURRENCY_WORDS:
                currency = _CURRENCY_WORDS[lemma]
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "worth")), None)
            of_obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if lemma in _CURRENCY_WORDS:
                unit = None
            elif of_obj is not None:
                unit, item, item_lemma = head.text, _phrase(of_obj), of_obj.lemma_.lower()
            elif lemma in _UNITS:
                unit = head.text
            else:
                item, item_lemma = _phrase(head), lemma
            end = max(end, (of_obj.i + 1) if of_obj is not None else head.i + 1)
        elif j < len(tokens) and tokens[j].lower_ in ("percent", "%", "per"):
            unit = "percent"
            end = j + 1
        else:  # "two of its nationals", "killing 12": the number stands for the noun
            of = next((c for c in num[-1].children if c.dep_ == "prep" and c.lower_ == "of"), None)
            of_obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if of_obj is not None:
                item, item_lemma = _phrase(of_obj), of_obj.lemma_.lower()
                end = of_obj.i + 1
        qualifier = None
        words = [x.lower_ for x in tokens[max(0, start - 3) : start]]
        for q in _QUALIFIERS:
            qw = q.split()
            if words[-len(qw) :] == qw:
                qualifier = q
                start -= len(qw)
                break
        span = doc[start:end] if isinstance(doc, Doc) else doc.doc[base + start : base + end]
        role = _role(head if head.i != num[-1].i else num[-1], item_lemma, currency)
        out.append(
            QuantityMatch(
                Quantity(
                    id="",
                    text=span.text,
                    start=span.start_char,
                    end=span.end_char,
                    value=value,
                    qualifier=qualifier,
                    unit=unit,
                    item=item,
                    currency=currency,
                    role=role,
                ),
                span.start,
                span.end,
                head.i,
            )
        )
        i = j
    return out
