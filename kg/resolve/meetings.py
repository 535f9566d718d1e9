"""Meetings across articles: the same meeting reported by different outlets, under different names.

Two meetings of different articles are one when they were held on the same day and enough else agrees:
a similar name (character bigrams, as within an article), the same place, the same host, attendees in
common (not counting hosts and government bodies, who attend many meetings a day). A meeting whose
article has no date knows only its day of the month; it needs a similar name and one more agreement.
Never one: two meetings of one article (the article told them apart), two dates, two numbers of a series
(제1회 and 제3차 전략대화).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from ..lexicon import NameKey, load_lexicon, name_key, similar_keys
from .clusters import Clusters, Link
from .mentions import Mention, MentionKey

__all__ = ["GOVERNMENT", "Candidate", "Features", "candidates", "held", "meeting_features", "ordinal",
           "resolve_meetings"]

GOVERNMENT = ("GovernmentAgency", "Legislature")  # hosts of many meetings a day: no evidence of one


@cache
def _ordinal_pattern() -> re.Pattern[str]:
    lex = load_lexicon()
    counters = "|".join(map(re.escape, sorted(lex.ordinal_counters, key=len, reverse=True)))
    words = "|".join(map(re.escape, sorted(lex.ordinal_words, key=len, reverse=True)))
    return re.compile(rf"(?:제\s*)?(?:(?P<n>\d+)|(?P<w>{words}))\s*(?:{counters})(?![가-힣])")


def ordinal(name: str) -> int | None:
    """The number of a meeting in its series, from its name: 제3차 → 3, 1회 → 1, 두 번째 → 2."""
    m = _ordinal_pattern().search(name)
    if not m:
        return None
    return int(m["n"]) if m["n"] else load_lexicon().ordinal_words[m["w"]]


@dataclass(frozen=True)
class _Features:
    date: str | None
    day: int | None
    names: tuple[str, ...]
    keys: tuple[NameKey, ...]  # the names as compared
    ordinals: frozenset[int]
    places: frozenset[str]
    hosts: frozenset[str]
    guests: frozenset[str]  # attendees who are neither hosts nor government bodies


def held(m: Mention) -> tuple[str | None, int | None]:
    """When a meeting was held: its date (the earliest an article gives), and its day of the month (all an
    article without a date may know)."""
    dates = sorted(m.facts["startDate"])
    date = dates[0] if dates else None
    day = int(date[8:10]) if date else next((int(d.strip("-")) for d in sorted(m.facts["startDay"])), None)
    return date, day


def _features(m: Mention, canon: Callable[[str, str], str], kind_of: Callable[[str], str | None],
              names_of: Callable[[str], set[str]]) -> _Features:
    date, day = held(m)
    hosts = frozenset(canon(m.graph, x) for x in m.inverse["organizer"])
    guests = frozenset(canon(m.graph, x) for x in m.inverse["attended"]) - hosts
    guests = frozenset(g for g in guests if kind_of(g) not in GOVERNMENT)
    ords = frozenset(n for n in map(ordinal, m.names) if n is not None)
    places = frozenset(n for p in m.facts["location"] for n in {canon(m.graph, p)} | names_of(canon(m.graph, p)))
    names = tuple(m.names)
    return _Features(date, day, names, tuple(map(name_key, names)), ords, places, hosts, guests)


def _agreement(a: _Features, b: _Features, name: bool) -> tuple[int, list[str], str | None]:
    """How much two meetings agree (``name``: whether their names are similar): (score, what agrees, the
    shared place or host)."""
    place, host = a.places & b.places, sorted(a.hosts & b.hosts)
    guests = len(a.guests & b.guests)
    score = 2 * name + bool(place) + bool(host) + min(guests, 2)
    why = (["similar names"] if name else []) + (["the same place"] if place else []) + (
        ["the same host"] if host else []) + ([f"{guests} attendees in common"] if guests else [])
    return score, why, ([p for p in sorted(place) if "/" in p] + host + [None])[0]


Features = dict[MentionKey, _Features]
Candidate = tuple[int, MentionKey, MentionKey, bool]  # (minus the score, one meeting, the other, similar names)


def meeting_features(meetings: list[Mention], canon: Callable[[str, str], str], kind_of: Callable[[str], str | None],
                     names_of: Callable[[str], set[str]]) -> Features:
    """What two meetings are compared by. ``canon(graph, iri)``: the resolved identifier of an entity an article
    names; ``kind_of(iri)`` its class; ``names_of(iri)`` the matching keys of all its names (a venue may be
    written "KQIA" in one article and "한국양자산업협회" in another)."""
    return {m.key: _features(m, canon, kind_of, names_of) for m in meetings if m.type == "Meeting"}


def candidates(meetings: list[Mention], feats: Features, touching: set[MentionKey] | None = None) -> list[Candidate]:
    """The pairs of ``meetings`` (of different articles) that may be one meeting, by how much they agree; with
    ``touching``, only the pairs with one of those in them. Whether a pair is one depends on the two alone: the
    meetings no candidate joins are resolved apart from each other, and alike (kg/resolve/parts.py)."""
    # each meeting once, as what the pairs below read: (key, graph, features, the number of what they compare
    # (many reports of one meeting compare alike), the number of its names)
    compared: dict[tuple[Any, ...], int] = {}
    named: dict[tuple[str, ...], int] = {}  # and the names alone (whether two are similar is asked once)
    rows: dict[MentionKey, tuple[MentionKey, str, _Features, int, int]] = {}
    by_date: dict[str, list[tuple[MentionKey, str, _Features, int, int]]] = defaultdict(list)
    by_day: dict[int, list[tuple[MentionKey, str, _Features, int, int]]] = defaultdict(list)
    for m in meetings:
        f = feats.get(m.key)
        if f is None:
            continue
        row = rows[m.key] = (m.key, m.graph, f, compared.setdefault((f.names, f.places, f.hosts, f.guests),
                                                                    len(compared)),
                             named.setdefault(f.names, len(named)))
        if f.date:
            by_date[f.date].append(row)
        if f.day is not None:
            by_day[f.day].append(row)
    if touching is None:
        pairs = [(a, b) for ms in by_date.values() for i, a in enumerate(ms) for b in ms[i + 1:]]
    else:  # each touching meeting with every other, a pair of two touching ones once
        pairs = [(a, b) if i < j else (b, a) for ms in by_date.values() for i, a in enumerate(ms) if a[0] in touching
                 for j, b in enumerate(ms) if i != j and (j > i or b[0] not in touching)]
    undated: set[tuple[MentionKey, MentionKey]] = set()  # a meeting known by its day only, against every
    for ms in by_day.values():  # meeting of that day (never a pair of two dated ones: those are above)
        undated.update((a[0], b[0]) if a[0] < b[0] else (b[0], a[0]) for a in ms if not a[2].date
                       for b in ms if b is not a and (touching is None or a[0] in touching or b[0] in touching))
    pairs.extend((rows[ka], rows[kb]) for ka, kb in undated)
    found: list[Candidate] = []
    scored: dict[tuple[int, int], tuple[bool, int]] = {}  # (similar names, ``_agreement``'s score alone)
    similar: dict[tuple[int, int], bool] = {}
    for (ka, ga, fa, ia, na), (kb, gb, fb, ib, nb) in pairs:  # (in any order: the candidates are sorted below)
        if ga == gb:
            continue
        hit = scored.get((ia, ib))
        if hit is None:
            name = similar.get((na, nb))
            if name is None:
                name = similar[(na, nb)] = any(similar_keys(x, y) for x in fa.keys for y in fb.keys)
            hit = scored[(ia, ib)] = (name, 2 * name + bool(fa.places & fb.places) + bool(fa.hosts & fb.hosts)
                                      + min(len(fa.guests & fb.guests), 2))
        name, score = hit
        if not score:
            continue
        dated = bool(fa.date and fb.date)
        if (dated and (score >= 3 or (name and score >= 2))) or (not dated and name and score >= 3):
            found.append((-score, ka, kb, name))
    found.sort(key=itemgetter(0, 1, 2))
    return found


def resolve_meetings(cl: Clusters, canon: Callable[[str, str], str], kind_of: Callable[[str], str | None],
                     names_of: Callable[[str], set[str]], feats: Features | None = None,
                     found: list[Candidate] | None = None) -> None:
    """Join the meetings of ``cl`` that are one (``feats``: their ``meeting_features``, and ``found``: their
    ``candidates``, when known)."""
    meetings = [m for m in cl.mentions.values() if m.type == "Meeting"]
    if feats is None:
        feats = meeting_features(meetings, canon, kind_of, names_of)
    for _s, ka, kb, name in candidates(meetings, feats) if found is None else found:
        if cl.same(ka, kb):
            continue  # (most pairs of a meeting many outlets reported: the reasons are written for a union)
        fa, fb = feats[ka], feats[kb]
        _, why, via = _agreement(fa, fb, name)
        when = f"held on {fa.date}" if fa.date and fb.date else f"held on day {fa.day or fb.day} of a month"
        link = Link("same-meeting", f"{when}, with {', '.join(why)}", via)
        cl.union(cl.mentions[ka], cl.mentions[kb], link, conflict=lambda x, y: _conflict(x, y, feats))


def _conflict(a: list[Mention], b: list[Mention], feats: dict[MentionKey, _Features]) -> str | None:
    if {m.graph for m in a} & {m.graph for m in b}:
        return "one article reports them as two meetings"
    fs = [feats[m.key] for m in a + b]
    dates = {f.date for f in fs if f.date}
    if len(dates) > 1:
        return f"held on different days ({', '.join(sorted(dates))})"
    days = {f.day for f in fs if f.day is not None}
    if len(days) > 1:
        return f"held on different days of the month ({', '.join(map(str, sorted(days)))})"
    ordinals = {n for f in fs for n in f.ordinals}
    if len(ordinals) > 1:
        return f"different meetings of a series (numbers {', '.join(map(str, sorted(ordinals)))})"
    return None
