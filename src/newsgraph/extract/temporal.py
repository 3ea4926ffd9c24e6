"""Event dates: explicit dates and relative expressions ("on Monday", "last week", "yesterday") resolved
against the article's publication date. Results are ISO dates, or "YYYY-MM" / "YYYY" when only those
are known."""

from __future__ import annotations

import bisect
import datetime as dt
import re

_WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
_MONTHS.update({m[:3]: n for m, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")


def _shift_month(d: dt.date, months: int) -> tuple[int, int]:
    m = d.month - 1 + months
    return d.year + m // 12, m % 12 + 1


def resolve_date(text: str, published: dt.date | None, future: bool = False) -> str | None:
    """Resolve a date expression; ``future`` picks the next weekday rather than the last one."""
    words = [w for w in re.findall(r"[a-z]+|\d+", text.lower().replace("mid-", "mid "))]
    if not words:
        return None
    # explicit: "June 18, 2024", "18 June 2024", "June 18", "15 October", "June 2024", "1988"
    month = next(
        (_MONTHS[w] for w in words if w in _MONTHS and w != "may" or (w == "may" and len(words) > 1)), None
    )
    year = next((int(w) for w in words if _YEAR.match(w)), None)
    day = next(
        (
            int(_DAY.match(w).group(1))
            for w in words
            if _DAY.match(w) and 1 <= int(_DAY.match(w).group(1)) <= 31 and not _YEAR.match(w)
        ),
        None,
    )
    if month:
        if year is None and published is not None:
            year = published.year
            if future and month < published.month:
                year += 1
            elif not future and month > published.month:
                year -= 1
        if year is None:
            return None
        if day:
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    if year is not None and len(words) <= 3:
        return f"{year:04d}"
    if published is None:
        return None
    if "today" in words or "tonight" in words:
        return published.isoformat()
    if "yesterday" in words:
        return (published - dt.timedelta(days=1)).isoformat()
    if "tomorrow" in words:
        return (published + dt.timedelta(days=1)).isoformat()
    for w in words:
        if w in _WEEKDAYS:
            target = _WEEKDAYS[w]
            if future or "next" in words:
                delta = (target - published.weekday()) % 7 or 7
                return (published + dt.timedelta(days=delta)).isoformat()
            delta = (published.weekday() - target) % 7
            if "last" in words and delta == 0:
                delta = 7
            return (published - dt.timedelta(days=delta)).isoformat()
    if "week" in words:
        if "last" in words or "past" in words:
            return (published - dt.timedelta(days=7)).isoformat()[:10]
        if "next" in words:
            return (published + dt.timedelta(days=7)).isoformat()
        if "this" in words:
            return published.isoformat()
    if "month" in words:
        if "last" in words:
            y, m = _shift_month(published, -1)
            return f"{y:04d}-{m:02d}"
        if "next" in words:
            y, m = _shift_month(published, 1)
            return f"{y:04d}-{m:02d}"
        if "this" in words:
            return f"{published.year:04d}-{published.month:02d}"
    if "year" in words:
        if "last" in words:
            return f"{published.year - 1:04d}"
        if "next" in words:
            return f"{published.year + 1:04d}"
        if "this" in words:
            return f"{published.year:04d}"
    return None


# A year in a sentence about the future ("elections due in 2010", "by 2030") says nothing about when the
# article was written; words that mark such a sentence.
_FUTURE_WORDS = frozenset({"will", "would", "shall", "plan", "plans", "planned", "planning", "expected",
                           "expects", "due", "next", "target", "aims", "hopes", "scheduled", "forecast",
                           "forecasts", "projected"})
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_YEAR_IN_TEXT = re.compile(r"(?<![\d$£€.,])(19[5-9]\d|20\d\d)(?![\d]|[,.]\d)")


def text_period(text: str) -> tuple[dt.date, dt.date] | None:
    """Bounds on an undated article's date from the years it mentions: news is written in the latest
    year it speaks of as past or present, or soon after, so the date is taken to lie between 1 January of
    that year and 31 December of the next. Years in sentences about the future do not count. None when
    the text names no year."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    latest = None
    for m in _YEAR_IN_TEXT.finditer(text):
        k = bisect.bisect_right(ends, m.start())
        sentence = text[ends[k - 1] if k else 0:ends[k] if k < len(ends) else len(text)]
        if set(re.findall(r"[a-z]+", sentence.lower())) & _FUTURE_WORDS:
            continue
        latest = max(latest or 0, int(m.group(1)))
    if latest is None:
        return None
    return dt.date(latest, 1, 1), dt.date(latest + 1, 12, 31)
