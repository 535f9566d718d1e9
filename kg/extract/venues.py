"""Where a meeting took place: the phrase before 에서 (or the object of 방문) in a sentence about it, split
into an administrative area (서울 강남구) and a venue, which may be an organisation (한국…협회에서)."""

from __future__ import annotations

import re

from ..lexicon import Lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Sentence, Span
from .lexmatch import HELD, OrgMatch, match_org, match_place, meeting_word, org_key
from .orgs import unparen
from .words import Word

__all__ = ["place_relations"]

NAME = "meetings"
# "충청 지역을 방문해", "주요 기업을 찾아": a kind of place, not a place
_NOT_PLACE = re.compile(r"\d+일$|^\d+일\(|오전|오후|이날|전날|\d+시|"
                        r"^(?:이후|이어|이어서|한편|또|또한|앞서|이번|당시|현재)$")


def _common(w: Word) -> bool:
    """A word Kiwi knows well as a common noun ("생존 전략을 찾아"): sought, not visited."""
    return w.familiar and bool(w.morphs) and all(t.startswith(("NNG", "J", "XSN")) for _f, t in w.morphs)


def _place_before(words: list[Word], k: int) -> list[Word]:
    """The words of a place phrase ending at word ``k`` (which carries 에서, or is the object of 방문)."""
    start = k
    while start > 0 and k - start < 5 and not words[start - 1].particle and not words[start - 1].trail:
        prev = words[start - 1]
        adverb = bool(prev.morphs) and all(t in ("MAG", "MAJ") for _f, t in prev.morphs)
        if _NOT_PLACE.search(prev.text) or prev.has_tag("VCP", "ETM", "EC") or adverb:
            break  # a date, a connective, or "…기업인 마블러스", "…에 위치한": the description before the name
        start -= 1
    return words[start : k + 1]


def _place(entities: list[Entity], key: str, words: list[Word], ev: Evidence) -> Relation:
    """A Place entity for an area ("서울 강남구") and the meeting's location relation to it."""
    name = " ".join([*(x.text for x in words[:-1]), words[-1].stem])
    entities.append(Entity("Place:" + norm_key(name), "Place", name, frozenset(),
                           (Span(words[0].start, words[-1].start + len(words[-1].stem)),), NAME))
    return Relation(key, "location", "Place:" + norm_key(name), ev)


def _area_of(words: list[Word], start: int, lex: Lexicon) -> list[Word]:
    """"서울 강남구의 AI 기업인 마블러스에서": the area named with 의 a few words before a place."""
    for j in range(start - 1, max(start - 7, -1), -1):
        if words[j].particle == "의" and match_place(words[j].stem, lex):
            area = [words[j]]
            while (j > 0 and not words[j - 1].particle and not words[j - 1].trail
                   and match_place(words[j - 1].text, lex)):
                j -= 1
                area.insert(0, words[j])
            return area
        if words[j].particle or words[j].trail:
            break
    return []


def place_relations(doc: Document, key: str, sent: Sentence, words: list[Word], lex: Lexicon,
                     entities: list[Entity]) -> list[Relation]:
    out: list[Relation] = []
    for k, w in enumerate(words):
        verb = next((x.text for x in words[k + 1 : k + 3] if x.text.startswith(lex.visit_verbs)), "")
        # "생존 전략을 찾아": 찾 also seeks; a common noun sought is no place visited
        visit = bool(verb) and w.particle in ("을", "를") and not w.stem.endswith(lex.place_kinds) and not (
            verb.startswith("찾") and _common(w))
        if not (w.particle in ("에서", "에서는") or visit):
            continue
        rest = sent.span.text(doc.text)[w.end - sent.span.start :]
        if not visit and not HELD.search(rest):
            continue
        phrase = _place_before(words, k)
        if meeting_word(w.stem, lex) or w.stem in lex.body_words or w.stem.endswith(lex.place_fields):
            continue  # 출범식에서, 포럼에서: the event or the body, not a place; "AI 분야에서": a field
        admin = [x for x in phrase if match_place(x.stem if x is phrase[-1] else x.text, lex) in
                 ("city", "province", "district", "area")]
        rest_words = phrase[len(admin):] if admin and phrase[: len(admin)] == admin else phrase
        area = [] if admin else _area_of(words, words.index(phrase[0]), lex)
        ev = Evidence(sent.span, NAME, 0.75)
        if area:
            out.append(_place(entities, key, area, ev))
        if rest_words:  # 한국인공지능·소프트웨어산업협회(KOSA)에서: the name without its acronym
            base, _acronym = unparen(rest_words[-1])
            if base is not rest_words[-1]:
                rest_words = [*rest_words[:-1], base]
                phrase = [*phrase[:-1], base]
        org = match_org(rest_words, 0, lex) if rest_words else None
        known = doc.entity(org_key(rest_words[0].stem)) if len(rest_words) == 1 else None
        if known and known.type not in ("Person", "Meeting", "Place", "Policy"):  # a company named before
            org = OrgMatch(known.label, known.type, rest_words[0].stem, rest_words[0].start,
                           rest_words[0].start + len(rest_words[0].stem), 1, True)
        if org and org.n_words == len(rest_words):
            entities.append(Entity(org_key(org.name), org.type, org.name, frozenset({org.surface} - {org.name}),
                                   (Span(org.start, org.end),), NAME))
            out.append(Relation(key, "location", org_key(org.name), ev))
            if admin:
                out.append(_place(entities, key, admin, ev))
        elif phrase:
            full = " ".join([*(x.text for x in phrase[:-1]), phrase[-1].stem])
            venue = " ".join([*(x.text for x in rest_words[:-1]), rest_words[-1].stem]) if rest_words else ""
            aliases = {venue} - {"", full}
            label = venue if venue and admin else full
            aliases = ({full} | aliases) - {label}
            entities.append(Entity("Place:" + norm_key(label), "Place", label, frozenset(aliases),
                                   (Span(phrase[0].start, phrase[-1].start + len(phrase[-1].stem)),), NAME))
            out.append(Relation(key, "location", "Place:" + norm_key(label), ev))
            if admin and label == venue:  # "충남 천안 나래홀": the venue, and the area it is in
                out.append(_place(entities, key, admin, ev))
        break
    return out
