"""What fills the slots of a person mention (NAME, ORGANISATION, TITLE), each tested on its own words.

The slot a word stands in is evidence in itself: a word nobody listed, standing between a list marker and
"김철수 대표", is an organisation (▲레이니스트 김태훈 대표); two proper nouns before a title are a foreign
name (그레그 브로크먼 회장); "교수(한국게임학회장)" is a title with a second post in brackets.
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..model import Entity, Span
from ..nlp import common_noun
from .lexmatch import (
    OrgMatch,
    attendee_stems,
    is_name,
    local_government,
    local_head,
    match_org,
    match_place,
    meeting_word,
    not_names,
    org_key,
    title_of,
    title_sector,
)
from .words import Word

__all__ = ["foreign_name", "fused_title", "leader_name", "local_org", "names_in", "org_between", "org_entity",
           "org_slot", "proper_noun", "side_of", "title_in", "topic_org"]

NAME = "people"
_PAREN_AGE = re.compile(r"^(?P<name>[가-힣]{2,4})\((?P<inner>[^)]*)\)$")
_NOUN_TAGS = ("NNP", "NNG", "SL", "SN", "SH", "XSN", "W_")
_SUBJECT = ("은", "는", "이", "가")


def title_in(word: Word, lex: Lexicon) -> str | None:
    """The title a word is: its stem ("대표"), the part before a bracket ("교수(한국게임학회장)",
    "최고경영자(CEO)"), or before a copula ("기자입니다")."""
    title = title_of(word.stem, lex)
    if title is None and "(" in word.stem and not word.stem.startswith("("):
        title = title_of(word.stem.split("(", 1)[0], lex)
    if title is None and word.has_tag("VCP"):  # "정유미 기자입니다", "회장이었다": the title before a copula
        head = "".join(f for f, _t in word.morphs[: next(n for n, (_f, t) in enumerate(word.morphs) if t == "VCP")])
        title = title_of(head, lex) if head and word.text.startswith(head) else None
    return title


def names_in(word: Word, lex: Lexicon) -> list[tuple[str, Span]]:
    """The names in a word: one name, a ·-list of names, or a name with (age) / (affiliation)."""
    text = word.text
    if word.morphs and word.morphs[-1][1].startswith(("ETM", "EC", "EF")) and word.has_tag("V", "XSV", "XSA"):
        return []  # 방문한, 조정해: a verb form, whatever its first syllable
    if len(word.stem) == 2 and word.familiar and word.morphs[:1] == ((word.stem, "NNG"),):
        return []  # 소재, 이상: a common noun Kiwi knows well (조국, 허준 are proper nouns to it)
    if len(word.stem) == 3 and word.morphs[:1] == ((word.stem, "NNG"),) and common_noun(word.stem):
        return []  # 배터리, 전문가: a common noun Kiwi knows well, on its own as in the sentence
    m = _PAREN_AGE.match(text)
    if m:
        text = m.group("name")
    parts = text.split("·") if "·" in text else [text]
    out, pos = [], word.start
    for part in parts:
        if not is_name(part, lex):
            return []
        out.append((part, Span(pos, pos + len(part))))
        pos += len(part) + 1
    return out


def _suffix_word(stem: str, lex: Lexicon) -> bool:
    """A word that is itself an organisation suffix (클라우드, 코리아, 글로벌), ending a several-word name."""
    return any(stem == suffix for suffix, _cls, _scope in lex.org_suffixes)


def local_org(word: Word, title: str, lex: Lexicon) -> OrgMatch | None:
    """A local government named on its own before the post of its head: 서울시 (시장), 경기도 (지사)."""
    government = None if word.particle or word.trail else local_government(word.stem, title, lex)
    if government is None:
        return None
    return OrgMatch(government, "GovernmentAgency", word.stem, word.start, word.start + len(word.stem), 1, True)


def org_between(words: list[Word], lex: Lexicon) -> tuple[OrgMatch | None, list[Word]]:
    """Split the words between a name and a title into an organisation and the title's qualifier."""
    if not words:
        return None, []
    best = None
    for n in range(len(words), 0, -1):
        m = match_org(words[:n], 0, lex, context=True, max_words=n)
        if m and m.n_words == n:
            best = m
            break
    if best is None:
        best = match_org(words, 0, lex, context=True)
    if best is None:  # unknown: 스프링 클라우드 (대표이사) is one name of up to three words
        n = len(words) if len(words) <= 3 and _suffix_word(words[-1].stem, lex) else 1
        text = " ".join(w.text for w in words[:n])
        first = words[0]
        adverb = bool(first.morphs) and all(t in ("MAG", "MAJ", "MM") for _f, t in first.morphs)  # 또, 이날
        if (re.fullmatch(r"[가-힣A-Za-z0-9&·\s]+", text) and not first.has_tag("V", "E") and not adverb
                and not text[0].isdigit()):  # "20여개 기업대표": a count, not a body
            best = OrgMatch(text, "Company", text, words[0].start, words[n - 1].end, n, False)
    if best is None:
        return None, words
    return best, words[best.n_words :]


def fused_title(title: str, word: Word, lex: Lexicon) -> tuple[OrgMatch | None, str]:
    """금융감독원장 -> (금융감독원, 금융감독원장); 한국핀테크산업협회장 -> (한국핀테크산업협회, …); a local
    government's head: 서울시장 -> (서울특별시, 시장)."""
    head = local_head(title, lex)
    if head:
        government, place, local = head
        return OrgMatch(government, "GovernmentAgency", place, word.start, word.start + len(place), 1, True), local
    if not title.endswith("장") or len(title) < 4:
        return None, title
    # 금융감독원장 = 금융감독원 + 장; 금융위원장 = 금융위 + 원장 (금융위원회 + 위원장)
    for base, surface in ((title[:-1], title[:-1]), (title[:-2], title[:-2]), (title[:-3] + "위원회", title[:-3])):
        entry = lex.gazetteer(base)
        if entry and len(surface) >= 2:
            return OrgMatch(entry.name, entry.type, surface, word.start, word.start + len(surface), 1, True), title
    base = title[:-1]
    probe = Word(base, word.start, word.start + len(base), base, "", "", "")
    m = match_org([probe], 0, lex)
    if m and m.end - m.start == len(base) and not m.known:
        return m, title
    return None, title


def org_slot(word: Word, lex: Lexicon) -> OrgMatch | None:
    """A word no list knows, standing where an organisation stands (before "NAME TITLE"): a new name, made of
    nouns, that is no common word, place, title, meeting or name (▲SK온 지동섭 대표, 레이니스트 김태훈 대표)."""
    stem = word.stem
    if word.particle or word.trail or not re.fullmatch(r"[가-힣A-Za-z0-9&]{2,20}", stem):
        return None
    if not word.morphs or not word.morphs[-1][1].startswith(_NOUN_TAGS) or word.has_tag("V", "E", "J", "XS"):
        return None
    if word.familiar and not any(tag in ("NNP", "SL") for _f, tag in word.morphs):
        return None  # 이날, 업계, 정부: words Kiwi knows well as common nouns
    if (stem in not_names() or stem in lex.tech_terms or match_place(stem, lex) or title_of(stem, lex)
            or meeting_word(stem, lex) or is_name(stem, lex) or stem in lex.body_words):
        return None
    m = match_org([word], 0, lex, context=True)
    cls = m.type if m else "Company"
    return OrgMatch(m.name if m else stem, cls, stem, word.start, word.start + len(stem), 1, bool(m and m.known))


def proper_noun(word: Word, lex: Lexicon) -> bool:
    """A Hangul word Kiwi reads as one proper noun (or one it has not met) and the lexicon knows as nothing
    else."""
    text = word.text
    if not re.fullmatch(r"[가-힣]{1,6}", text) or text in not_names():
        return False
    if not word.morphs or not all(tag in ("NNP", "NNG") for _f, tag in word.morphs) or len(word.morphs) > 1:
        return False
    if word.morphs[0][1] == "NNG" and word.familiar:
        return False
    return not (match_place(text, lex) or lex.gazetteer(text) or title_of(text, lex))


def foreign_name(words: list[Word], i: int, lex: Lexicon) -> int:
    """How many words from ``i`` make a foreign name written given name first (샘 올트먼, 그레그 브로크먼,
    다니엘 리): two proper nouns, or one name Kiwi knows across the space; 0 if none."""
    if i + 1 >= len(words):
        return 0
    w, nxt = words[i], words[i + 1]
    if w.particle or w.trail or w.lead.endswith(("‘", "'", "“", '"')) or nxt.trail:
        return 0
    given = w.text in lex.given_names
    if not (given or proper_noun(w, lex) or _kiwi_spans(w)):
        return 0
    if len(nxt.stem) == 1 and (nxt.stem in lex.surnames or given):
        return 2  # 다니엘 리, 리사 수
    if (is_name(w.text, lex) and not given) or not re.fullmatch(r"[가-힣]{2,6}", nxt.stem) or is_name(nxt.stem, lex):
        return 0
    nxt_word = Word(nxt.stem, nxt.start, nxt.start + len(nxt.stem), nxt.stem, "", "", "", nxt.morphs[:1],
                    nxt.familiar)
    return 2 if given or proper_noun(nxt_word, lex) or _kiwi_spans(w) else 0


def _kiwi_spans(w: Word) -> bool:
    """Kiwi read the two words as one proper noun (its dictionary knows 샘 올트먼, 젠슨 황)."""
    return bool(w.morphs) and w.morphs[0][1] == "NNP" and " " in w.morphs[0][0]


def leader_name(word: Word, lex: Lexicon) -> bool:
    """이재명 (정부), 트럼프 (행정부): a name, not a verb form such as 위한 (정부)."""
    nouns = bool(word.morphs) and all(tag.startswith("NN") for _f, tag in word.morphs)
    return (nouns and is_name(word.text, lex)) or proper_noun(word, lex)


def topic_org(words: list[Word], before: int, lex: Lexicon, gov_only: bool) -> OrgMatch | None:
    """The organisation that is the topic of the sentence before a titled person: "과학기술정보통신부는 14일
    류제명 제2차관 주재로" -> 과학기술정보통신부; "한국무역협회는 윤진식 회장이 …" -> 한국무역협회."""
    found = None
    for i, w in enumerate(words):
        if w.start >= before:
            break
        org = match_org(words, i, lex)
        if org and (org.type == "GovernmentAgency" or not gov_only):
            # the particle may come after a parenthesis: 과학기술정보통신부(이하 과기정통부)는
            marked = next((x for x in words[i + org.n_words - 1 : i + org.n_words + 2] if x.particle), None)
            if marked and marked.particle in _SUBJECT:
                found = org
    return found


def org_entity(org: OrgMatch) -> Entity:
    aliases = frozenset({org.surface} - {org.name})
    return Entity(org_key(org.name), org.type, org.name, aliases, (Span(org.start, org.end),), NAME)


def side_of(title: str, name_start: int, mention_end: int, words: list[Word], lex: Lexicon) -> OrgMatch | None:
    """The body a sentence says a titled person belongs to, when it names none beside them: the ministry that
    is the sentence's topic for an official ("과기정통부는 … 류제명 제2차관 주재로"); the body that is the topic
    of a "X는 Y 회장이 …" sentence; the side the sentence opens with (``_delegation``)."""
    sector = title_sector(title, lex)
    topic = None
    if sector == "gov":
        topic = topic_org(words, name_start, lex, gov_only=True)
    elif sector not in ("legis", "party"):
        after = next((w for w in words if w.start <= mention_end <= w.end), None)
        if after is not None and after.particle in _SUBJECT[2:]:
            topic = topic_org(words, name_start, lex, gov_only=False)
            topic = topic if topic and topic.type not in ("GovernmentAgency", "Legislature") else None
    return topic or _delegation(words, lex, sector)


_SIDE = ("에서는", "에서", "은", "는", "측은", "측에서는", "쪽에서는")


def _delegation(words: list[Word], lex: Lexicon, sector: str | None) -> OrgMatch | None:
    """The side a sentence lists people for: "민주당에서는 이재명 당대표를 비롯한 진성준 정책위의장, … 이 참석했다",
    "한경협은 류진 회장을 비롯해 김창범 상근부회장 … 이 자리했다" — the body the sentence opens with, when the
    titles fit it (a party's people for a party, an official's for a ministry, others for other bodies)."""
    if not words or not any(w.text.startswith(attendee_stems(lex)) for w in words):
        return None
    org = match_org(words, 0, lex, context=True)
    if org is None or org.n_words > 2 or words[org.n_words - 1].particle not in _SIDE:
        return None
    fits = {"party": ("PoliticalParty",), "legis": ("PoliticalParty", "Legislature"), "gov": ("GovernmentAgency",)}
    if sector in fits:
        return org if org.type in fits[sector] else None
    return org if org.type not in ("GovernmentAgency", "Legislature", "PoliticalParty") else None
