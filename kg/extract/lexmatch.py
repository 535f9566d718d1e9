"""Lexical tests shared by the extractors: is this word a title, an organisation, a name, a place?"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ..lexicon import Lexicon, load_lexicon, norm_key
from .words import Word

__all__ = ["HELD", "ORGANIZE", "OrgMatch", "attendee_stems", "is_name", "local_government", "local_head", "match_org",
           "match_place", "meeting_word", "not_names", "org_key", "title_of", "title_sector"]

# Verbs that report a meeting being organised or held, shared by the meeting, venue and participation
# extractors; HELD adds the passive forms ("…에서 열린 간담회").
ORGANIZE = re.compile(r"주재|주최|주관|개최|열었|열고|열어|가졌|갖고|가져|마련|방문|만나|만났|접견|대면|발족|출범|진행")
HELD = re.compile(ORGANIZE.pattern + r"|열린|열렸|열려|함께\s*(?:했|한|하)")  # 만찬을 함께했다: shared
_HANGUL_NAME = re.compile(r"[가-힣]{2,4}")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")


@cache
def not_names() -> frozenset[str]:
    text = resources.files("kg.lexicon").joinpath("not_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def _stems(verbs: tuple[tuple[str, str], ...], roles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem for stem, role in verbs if role in roles and " " not in stem)


def attendee_stems(lex: Lexicon, present_only: bool = False) -> tuple[str, ...]:
    """The one-word verbs of event_verbs.tsv whose subject took part (참석, 배석, 자리했, 발제 …); with
    ``present_only``, those that say no more than that someone was there (참석, 출석, 배석)."""
    return _stems(tuple(lex.event_verbs.items()), ("present",) if present_only else ("present", "attendee"))


def local_government(place: str, title: str, lex: Lexicon | None = None) -> str | None:
    """The government whose head ``title`` is, named ``place``: (서울시, 시장) -> 서울특별시, (성남, 시장) -> 성남시,
    (강남구, 구청장) -> 강남구; None when the place has no such head (local_governments.tsv)."""
    lex = lex or load_lexicon()
    if not re.fullmatch(r"[가-힣]{2,8}", place):
        return None
    for government, names, titles in lex.local_governments:
        if title not in titles:
            continue
        if not government.startswith("~"):
            if place == government or place in names:
                return government
            continue
        ending = government[1:]
        base = place[: -len(ending)] if place.endswith(ending) and len(place) > len(ending) + 1 else place
        if ending != "시" or base in lex.places or base + ending in lex.places:
            return base + ending
    return None


def local_head(stem: str, lex: Lexicon | None = None) -> tuple[str, str, str] | None:
    """A local government's head in one word: 서울시장 -> (서울특별시, 서울, 시장), 경기도지사 -> (경기도, 경기,
    도지사), 성남시장 -> (성남시, 성남, 시장)."""
    lex = lex or load_lexicon()
    for title in _local_titles(lex):
        if stem.endswith(title) and len(stem) > len(title):
            place = stem[: -len(title)]
            for surface in (place, place[:-1] if place.endswith(("시", "도")) and len(place) > 2 else None):
                government = local_government(surface, title, lex) if surface else None
                if government:  # 서울시장: 서울시 is the name written (서울 + 시장 read as 서울시 + 장)
                    fuller = place + title[0]
                    names = next((n for g, n, _t in lex.local_governments if g == government), ())
                    return government, fuller if fuller == government or fuller in names else place, title
    return None


def _local_titles(lex: Lexicon) -> tuple[str, ...]:
    if lex is load_lexicon():
        return _default_local_titles()
    return tuple(sorted({t for _g, _n, ts in lex.local_governments for t in ts}, key=len, reverse=True))


@cache
def _default_local_titles() -> tuple[str, ...]:
    lex = load_lexicon()
    return tuple(sorted({t for _g, _n, ts in lex.local_governments for t in ts}, key=len, reverse=True))


def title_of(stem: str, lex: Lexicon | None = None) -> str | None:
    """The job title a word is, if it is one: 대표, 제2차관, 디지털헬스케어랩장, 플랫폼사업부문대표, 서울시장."""
    if lex is None or lex is load_lexicon():
        return _default_title_of(stem)
    return _title_of(stem, lex)


@lru_cache(maxsize=100_000)  # a word is asked about many times per article; the cache is bounded
def _default_title_of(stem: str) -> str | None:
    return _title_of(stem, load_lexicon())


def _title_of(stem: str, lex: Lexicon) -> str | None:
    if stem in lex.titles:
        return stem
    if local_head(stem, lex):
        return stem
    if stem.endswith("들"):
        return None
    for suffix, _sector in lex.title_suffixes:
        if stem.endswith(suffix) and len(stem) > len(suffix) and re.fullmatch(r"[가-힣A-Za-z0-9]+", stem):
            return stem
    return None


def title_sector(title: str, lex: Lexicon | None = None) -> str | None:
    """The sector a title belongs to (gov, corp, legis, ...), from titles.tsv or the longest title suffix."""
    lex = lex or load_lexicon()
    if title in lex.titles:
        return lex.titles[title]
    return next((sector for suffix, sector in lex.title_suffixes if title.endswith(suffix)), None)


def is_name(text: str, lex: Lexicon | None = None) -> bool:
    """A Korean personal name: 2-4 Hangul syllables starting with a family name, not a known word."""
    if lex is None or lex is load_lexicon():
        return _default_is_name(text)
    return _is_name(text, lex)


@lru_cache(maxsize=100_000)
def _default_is_name(text: str) -> bool:
    return _is_name(text, load_lexicon())


def _is_name(text: str, lex: Lexicon) -> bool:
    if not _HANGUL_NAME.fullmatch(text) or text in not_names() or text in lex.tech_terms:
        return False
    if not ((text[0] in lex.surnames and len(text) <= 3) or (len(text) >= 3 and text[:2] in lex.surnames)):
        return False  # four syllables only with a two-syllable family name (남궁민수), not 연구단체
    if title_of(text, lex) or text in lex.places or lex.gazetteer(text) or _suffix_type(text, lex, context=False):
        return False
    return not any(text.endswith(s) for s, _c, scope in lex.org_suffixes if scope == "any" and len(text) > len(s))


@dataclass(frozen=True)
class OrgMatch:
    name: str  # canonical name (the gazetteer's, else the surface)
    type: str
    surface: str
    start: int
    end: int
    n_words: int
    known: bool  # from the gazetteer


def org_key(name: str) -> str:
    """The key of an organisation: its normalised name, with term variants (인공지능 = AI) made one."""
    key = norm_key(name)
    for variant, canonical in load_lexicon().name_variants:
        key = key.replace(variant, canonical)
    return "Org:" + key


@cache
def _suffix_index(suffixes: tuple[tuple[str, str, str], ...]) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """The organisation suffixes by their last character, longest first."""
    index: dict[str, list[tuple[str, str, str]]] = {}
    for entry in suffixes:
        index.setdefault(entry[0][-1], []).append(entry)
    return {k: tuple(v) for k, v in index.items()}


def _suffixes_ending(lex: Lexicon, last: str) -> tuple[tuple[str, str, str], ...]:
    return _suffix_index(lex.org_suffixes).get(last, ())


def _suffix_type(text: str, lex: Lexicon, context: bool, whole: bool = False) -> str | None:
    """The class an organisation suffix gives ``text``; ``whole`` lets the word be the bare suffix."""
    last = text.rsplit("·", 1)[-1]  # 클라우드·소프트웨어: a list of fields, not 한국…·소프트웨어산업협회
    for suffix, cls, scope in _suffixes_ending(lex, text[-1:]):
        if text.endswith(suffix) and (len(last) > len(suffix) or whole) and (context or scope == "any"):
            if suffix == "AI" and not re.search(r"[가-힣A-Z]AI$", text):
                continue
            return cls
    return None


def match_org(words: list[Word], i: int, lex: Lexicon | None = None, context: bool = False,
              max_words: int = 4) -> OrgMatch | None:
    """The longest organisation name starting at word ``i`` (its last word may carry a particle).

    Gazetteer names first (several words, with or without spaces); then one word with an organisation
    suffix (협회, 연구원, …클라우드); then a known name or acronym followed by a unit (네이버 AI 랩).
    With ``context`` the position already says organisation, so weaker suffixes (부, 위) and bare
    acronyms are enough.
    """
    lex = lex or load_lexicon()
    if lex is not load_lexicon() or len(words) - i > _REMEMBERED_WORDS:
        return _match_org(words, i, lex, context, max_words)
    # the extractors ask about the same words again and again: remember the answer by the words themselves
    # (the ids of all the words from i on, which the answer may read; the words are kept with the answer, so
    # no id is reused while it is remembered; not in a sentence so long that the keys cost more than the answers)
    window = tuple(words[i:])
    key = (context, min(max_words, len(words) - i), *map(id, window))
    hit = _ORG_MATCHES.get(key)
    if hit is not None:
        return hit[1]
    if len(_ORG_MATCHES) >= 20_000:
        _ORG_MATCHES.clear()
    found = _match_org(words, i, lex, context, max_words)
    _ORG_MATCHES[key] = (window, found)
    return found


_ORG_MATCHES: dict[tuple[object, ...], tuple[tuple[Word, ...], OrgMatch | None]] = {}
_REMEMBERED_WORDS = 80  # the words from i to the end of the sentence, at most: a news sentence has 10 to 40


def _match_org(words: list[Word], i: int, lex: Lexicon, context: bool, max_words: int) -> OrgMatch | None:
    limit = min(max_words, len(words) - i)
    body = _body_org(words, i, lex, limit)
    if body:
        return body
    for n in range(_longest_start(words, i, lex, limit), 0, -1):
        span = words[i : i + n]
        heads = [w.text for w in span[:-1]]
        for last in dict.fromkeys((span[-1].stem, span[-1].text)):
            entry = lex.gazetteer(" ".join([*heads, last]))  # (the key has no spaces: 네이버 클라우드 = 네이버클라우드)
            if entry and n == 1 and entry.type in _PUBLIC and not span[-1].particle and i + 1 < len(words):
                unit = _committee(words[i], words[i + 1], lex)  # 국회 과학기술정보방송통신위: the unit
                if unit:
                    return unit
            if entry:
                surface = " ".join([*heads, last])
                return OrgMatch(entry.name, entry.type, surface, span[0].start, span[-1].start + len(last), n, True)
    first = words[i]
    cls = _suffix_type(first.stem, lex, context) if _NAME_CHARS.fullmatch(first.stem) else None  # not K-바이오
    if cls:
        return OrgMatch(first.stem, cls, first.stem, first.start, first.start + len(first.stem), 1, False)
    if lex.gazetteer(first.text) or (_ACRONYM.fullmatch(first.text) and first.text not in lex.tech_terms):
        unit = _unit(words, i, lex, context)
        if unit:
            return unit
    if context and _ACRONYM.fullmatch(first.stem) and first.stem not in lex.tech_terms:
        return OrgMatch(first.stem, "Organization", first.stem, first.start, first.start + len(first.stem), 1, False)
    return None


def _longest_start(words: list[Word], i: int, lex: Lexicon, limit: int) -> int:
    """How many words from ``i`` on a gazetteer name could span: its first words (no particle or punctuation
    after them) must begin some name's key."""
    starts = _key_starts(lex)
    head = ""
    for k in range(1, limit):
        w = words[i + k - 1]
        head += w.text
        if w.particle or w.trail or norm_key(head) not in starts:
            return k
    return limit


def _key_starts(lex: Lexicon) -> frozenset[str]:
    """Every beginning of a gazetteer key (네, 네이, 네이버, 네이버클 …)."""
    return _default_key_starts() if lex is load_lexicon() else _starts_of(lex)


@cache
def _default_key_starts() -> frozenset[str]:
    return _starts_of(load_lexicon())


def _starts_of(lex: Lexicon) -> frozenset[str]:
    return frozenset(key[:n] for key in lex.org_index for n in range(len(key) + 1))


_PUBLIC = ("Legislature",)
_NAME_CHARS = re.compile(r"[가-힣A-Za-z0-9&·()]+")


def _committee(head: Word, unit: Word, lex: Lexicon) -> OrgMatch | None:
    """"국회 과학기술정보방송통신위", "국회 산자위원회": a committee of a public body, named after it."""
    if not unit.stem.endswith(("위", "위원회")) or lex.gazetteer(unit.stem) or unit.has_tag("V", "E") or len(
            unit.stem) < 3:
        return None
    surface = f"{head.text} {unit.stem}"
    return OrgMatch(surface, "Legislature", surface, head.start, unit.start + len(unit.stem), 2, False)


def _unit(words: list[Word], i: int, lex: Lexicon, context: bool) -> OrgMatch | None:
    """A known name or an acronym followed by a unit with an organisation ending: 네이버 AI 랩, 국회
    과학기술정보방송통신위 (a public body's unit takes the weaker endings, 위 and 부, too)."""
    first = words[i]
    for n in range(min(3, len(words) - i), 1, -1):
        span = words[i : i + n]
        if any(w.particle or w.trail for w in span[:-1]):
            continue
        cls = _suffix_type(span[-1].stem, lex, context, whole=True)
        if cls and span[-1].stem not in lex.body_words:  # 국회 AI 포럼 is _body_org's
            surface = " ".join([*[w.text for w in span[:-1]], span[-1].stem])
            return OrgMatch(surface, cls, surface, first.start, span[-1].start + len(span[-1].stem), n, False)
    return None


_CLOSE_QUOTES = "’'”\"」』"
_NOUN_TAGS = ("NN", "SL", "SN", "SH", "XSN", "XPN", "S")
_NOT_MODIFIER = re.compile(r"이날|이번|해당|같은|지난|각|동|\d+일|오전|오후|당시|현재")
_PASSIVE_EVENT = re.compile(r"열렸|열린다|열려|열리|개최됐|개최된|진행됐|진행된")


def _body_org(words: list[Word], i: int, lex: Lexicon, limit: int) -> OrgMatch | None:
    """국회 AI 포럼, 규제합리화 TF, 국정기획위원회 인공지능(AI) TF: one or two nouns and a body word."""
    for n in range(min(3, limit), 1, -1):
        span = words[i : i + n]
        mods, last = span[:-1], span[-1]
        body = last.stem.rstrip(_CLOSE_QUOTES)
        head, paren, _members = body.partition("(")  # 국회 인공지능 포럼(대표의원 이인선 …)
        if head not in lex.body_words or (paren and last.stem != last.text):
            continue
        if any(w.particle or w.trail for w in mods) or last.lead or any(w.lead for w in mods[1:]):
            continue
        if any((w.morphs and not all(tag.startswith(_NOUN_TAGS) for _f, tag in w.morphs))
               or _NOT_MODIFIER.fullmatch(w.text) or title_of(w.text, lex) for w in mods):
            continue
        if all(w.text in lex.body_generic for w in mods):
            continue
        cls, event = lex.body_words[head]
        if event and not paren and not _org_role(words, i + n - 1, lex):
            continue
        if any((entry := lex.gazetteer(w.text)) and entry.type == "GovernmentAgency" for w in mods):
            cls = "GovernmentAgency"  # 국정기획위원회 AI TF: a government body's task force
        surface = " ".join([*(w.text for w in mods), head])
        return OrgMatch(surface, cls, surface, span[0].start, last.start + len(head), n, False)
    return None


def _org_role(words: list[Word], k: int, lex: Lexicon) -> bool:
    """Whether a word that names a body or an event (포럼) stands for the body here: it is a subject that is
    not being held, or a name, title or 발족식 follows it."""
    w = words[k]
    if w.particle in ("은", "는", "이", "가"):
        return not any(_PASSIVE_EVENT.match(x.text) for x in words[k + 1 :])
    if k + 1 < len(words) and words[k + 1].lead.startswith("("):
        return True  # 포럼(대표의원 …): members or a gloss in parentheses
    if w.particle or w.trail.strip(_CLOSE_QUOTES) or k + 1 >= len(words):
        return False
    nxt = words[k + 1].stem
    return is_name(nxt, lex) or bool(title_of(nxt, lex)) or nxt.startswith(("발족", "출범"))


def meeting_word(stem: str, lex: Lexicon) -> tuple[str, float] | None:
    """The meeting word a word ends with (간담회, 타운홀 미팅) and its weight, longest first."""
    return _default_meeting_word(stem) if lex is load_lexicon() else _meeting_word(stem, lex)


@lru_cache(maxsize=100_000)
def _default_meeting_word(stem: str) -> tuple[str, float] | None:
    return _meeting_word(stem, load_lexicon())


def _meeting_word(stem: str, lex: Lexicon) -> tuple[str, float] | None:
    for word, weight in lex.meeting_words.items():  # longest first
        if stem.endswith(word.replace(" ", "")):
            return word, weight
    return None


def match_place(text: str, lex: Lexicon | None = None) -> str | None:
    """The kind of place a word names (city, district, area, venue), if it names one."""
    lex = lex or load_lexicon()
    if text in lex.places:
        return lex.places[text]
    if (re.fullmatch(r"[가-힣]{1,5}(?:특별시|광역시|시|군|구|도|읍|면|동)", text)
            and not text.endswith(("부도", "제도", "정도", "시도"))):
        return "district"
    if any(text.endswith(v) and len(text) > len(v) for v in lex.venue_suffixes):
        return "venue"
    return None
