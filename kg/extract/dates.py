"""Korean date expressions resolved against the publication date: 8일, 지난 21일, 오는 3일, 7월 8일,
2025년 7월 8일, 지난달 28일, 전날, 이날, 같은 날."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from ..lexicon import load_lexicon

__all__ = ["DateMention", "find_dates", "resolve_day"]

_FULL = re.compile(r"(?P<y>20\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일")
_DOTTED = re.compile(r"(?P<y>20\d{2})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?(?!\d)")
_MONTH_DAY = re.compile(r"(?P<yr>(?:지난해|작년|올해|내년)\s*)?(?<![\d년])(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일")
_DAY = re.compile(r"(?P<pre>(?:지난\s?달|지난|오는|내달|다음\s?달)\s*)?(?<![\d월.])(?P<d>\d{1,2})\s*일(?![간째차])")
_PART = re.compile(r"\s*(?:에도\s*|에는\s*)?(오전|오후|저녁|아침|밤|점심)(?![가-힣])")
_BARE_PART = re.compile(r"(?<![가-힣\d])(오전|오후|저녁)(?:에|\s)")  # "오후에 열린 …": the same day, later
_ANCHOR = re.compile(r"이날|당일|같은\s*날|오늘|전날|어제|이튿날|다음\s*날")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date | None
    kind: str  # absolute, day, anchor, report (the day of the report: "…했다고 3일 밝혔다")
    text: str
    day: int | None = None  # the day of the month, known even when the article's date is not ("지난 8일")
    part: str | None = None  # the time of day said with it ("24일 오전", "같은 날 오후"): 오전, 오후, 저녁


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    m += delta
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return y, m


def resolve_day(day: int, ref: date, pre: str = "") -> date | None:
    """A day of the month said relative to ``ref``: past by default, future after 오는/내달."""
    pre = re.sub(r"\s+", "", pre)
    if pre in ("지난달",):
        return _safe(*_shift_month(ref.year, ref.month, -1), day)
    if pre in ("내달", "다음달"):
        return _safe(*_shift_month(ref.year, ref.month, 1), day)
    if pre == "오는":
        return _safe(ref.year, ref.month, day) if day >= ref.day else _safe(*_shift_month(ref.year, ref.month, 1), day)
    if day <= ref.day:
        return _safe(ref.year, ref.month, day)
    return _safe(*_shift_month(ref.year, ref.month, -1), day)


@cache
def _report_pattern() -> re.Pattern[str]:
    verbs = [s for s, role in load_lexicon().event_verbs.items() if role == "report"]
    # "…했다고 3일 밝혔다"; "25일 IT업계에 따르면": the day the news is told
    return re.compile(r"\s*(?:" + "|".join(map(re.escape, verbs)) + r"|(?:\S+\s+){0,2}?\S+에\s*따르면)")


def find_dates(text: str, offset: int, published: date | None, anchor: date | None,
               anchor_day: int | None = None) -> list[DateMention]:
    """Date expressions in ``text`` (a sentence starting at ``offset``), resolved where possible. ``anchor``
    is the date "이날" refers to; ``anchor_day`` its day of the month, when only that is known."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern in (_FULL, _DOTTED):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                out.append(DateMention(offset + m.start(), offset + m.end(),
                                       _safe(int(m["y"]), int(m["m"]), int(m["d"])), "absolute", m.group(0),
                                       int(m["d"])))
    for m in _MONTH_DAY.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            value = None
            if published:
                shift = {"지난해": -1, "작년": -1, "내년": 1}.get((m["yr"] or "").strip(), 0)
                value = _safe(published.year + shift, int(m["m"]), int(m["d"]))
                if value and not shift and value > published + timedelta(days=200):
                    value = _safe(published.year - 1, int(m["m"]), int(m["d"]))
            out.append(DateMention(offset + m.start(), offset + m.end(), value, "absolute", m.group(0), int(m["d"])))
    for m in _DAY.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
            value = resolve_day(int(m["d"]), published, m["pre"] or "") if published else None
            kind = "report" if _report_pattern().match(text, m.end()) else "day"
            out.append(DateMention(offset + m.start(), offset + m.end(), value, kind, m.group(0).strip(), int(m["d"])))
    for m in _ANCHOR.finditer(text):
        word = m.group(0)
        value, day = anchor, anchor.day if anchor else anchor_day
        shift = -1 if word in ("전날", "어제") else 1 if word in ("이튿날", "다음날", "다음 날") else 0
        if value and shift:
            value = value + timedelta(days=shift)
            day = value.day
        elif day is not None and shift:
            day = day + shift if 1 <= day + shift <= 28 else None  # across a month end, unknown
        out.append(DateMention(offset + m.start(), offset + m.end(), value, "anchor", word, day))
        taken.append((m.start(), m.end()))
    out = [dataclasses.replace(d, part=p.group(1)) if (p := _PART.match(text, d.end - offset)) else d for d in out]
    for m in _BARE_PART.finditer(text):
        if free(m.start(), m.end()) and not any(d.part and d.end - offset <= m.start() <= d.end - offset + 3
                                                for d in out):
            out.append(DateMention(offset + m.start(), offset + m.start() + len(m.group(1)), anchor, "anchor",
                                   m.group(1), anchor.day if anchor else anchor_day, m.group(1)))
    return sorted(out, key=lambda d: d.start)
