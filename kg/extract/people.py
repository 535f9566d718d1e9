"""People with their titles and organisations, in every order the Korean press writes them.

    김성훈 업스테이지 대표          name  org  title
    과학기술정보통신부 류제명 제2차관   org  name title
    하정우 네이버 AI 랩 센터장        name  org(several words) title
    이복현 금융감독원장              name  org+장
    강경숙·김기현·홍기원 의원         names title
    [이데일리 김아름 기자]            outlet name title
    류 차관 / 이 대표                short references, resolved to a full name in the same article
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import Lexicon, load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Span
from .lexmatch import OrgMatch, is_name, match_org, match_place, not_names, org_key, title_of, title_sector
from .words import Word, sentence_words

__all__ = ["PersonMention", "extract_people", "find_people", "fused_title", "org_between", "org_entity"]

NAME = "people"
_PAREN_AGE = re.compile(r"^(?P<name>[가-힣]{2,4})\((?P<inner>[^)]*)\)$")


@dataclass(frozen=True)
class PersonMention:
    name: str
    span: Span  # the name
    title: str | None
    org: OrgMatch | None
    whole: Span  # name, organisation and title together
    short: bool = False  # "류 차관": surname and title only


def _names(word: Word, lex: Lexicon) -> list[tuple[str, Span]]:
    """The names in a word: one name, a ·-list of names, or a name with (age) / (affiliation)."""
    text = word.text
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
        if re.fullmatch(r"[가-힣A-Za-z0-9&·\s]+", text):
            best = OrgMatch(text, "Company", text, words[0].start, words[n - 1].end, n, False)
    if best is None:
        return None, words
    return best, words[best.n_words :]


def _suffix_word(stem: str, lex: Lexicon) -> bool:
    """A word that is itself an organisation suffix (클라우드, 코리아, 글로벌), ending a several-word name."""
    return any(stem == suffix for suffix, _cls, _scope in lex.org_suffixes)


def fused_title(title: str, word: Word, lex: Lexicon) -> tuple[OrgMatch | None, str]:
    """금융감독원장 -> (금융감독원, 금융감독원장); 한국핀테크산업협회장 -> (한국핀테크산업협회, …)."""
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


def find_people(doc: Document, words: list[Word], lex: Lexicon) -> list[PersonMention]:
    out: list[PersonMention] = []
    i = 0
    while i < len(words):
        w = words[i]
        # short reference: 류 차관, 이 대표
        if (len(w.text) == 1 and w.text in lex.surnames and i + 1 < len(words)
                and not w.particle and title_of(words[i + 1].stem, lex)):
            t = words[i + 1]
            out.append(PersonMention(w.text, w.span, t.stem, None, Span(w.start, t.start + len(t.stem)), short=True))
            i += 2
            continue
        # a leader's government: 이재명 정부, 트럼프 행정부
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt and not w.particle and not w.trail and nxt.stem in lex.regime_words and _leader_name(w, lex):
            out.append(PersonMention(w.text, w.span, None, None, w.span))
            i += 2
            continue
        # a foreign name, given name first: 다니엘 리 삼성전자 글로벌 AI센터장
        if (nxt and len(nxt.text) == 1 and nxt.text in lex.surnames and not w.particle and not w.trail
                and not nxt.particle and not nxt.trail and _proper_noun(w, lex) and i + 2 < len(words)):
            org = match_org(words, i + 2, lex)
            k = i + 2 + (org.n_words if org else 0)
            title = next((title_of(x.stem, lex) for x in words[k : k + 3] if title_of(x.stem, lex)), None)
            if org and title:
                j = next(n for n in range(k, k + 3) if title_of(words[n].stem, lex))
                full = " ".join([*(x.text for x in words[k:j]), title])
                name_span = Span(w.start, nxt.end)
                out.append(PersonMention(f"{w.text} {nxt.text}", name_span, full, org,
                                         Span(w.start, words[j].start + len(words[j].stem))))
                i = j + 1
                continue
        # organisation first: 과학기술정보통신부 류제명 제2차관 / KOSA 조준희 회장 / [이데일리 김아름 기자]
        org = match_org(words, i, lex) if not w.particle else None
        k = i + org.n_words if org else i
        if org and k < len(words) and not words[k - 1].particle:
            names = _names(words[k], lex) if not words[k].particle else []
            if names:
                for j in range(k + 1, min(k + 4, len(words))):
                    title = title_of(words[j].stem, lex)
                    if title and all(not x.particle and not x.trail for x in words[k + 1 : j]):
                        qual = " ".join(x.text for x in words[k + 1 : j])
                        full = f"{qual} {title}".strip()
                        end = words[j].start + len(words[j].stem)
                        out.extend(PersonMention(n, s, full, org, Span(org.start, end)) for n, s in names)
                        i = j + 1
                        break
                else:
                    i += 1
                continue
        # name first: 김성훈 업스테이지 대표 / 강경숙·김기현 의원 / 이복현 금융감독원장
        names = _names(w, lex) if not w.particle and not w.trail.strip("·") else []
        if names:
            for j in range(i + 1, min(i + 6, len(words))):
                if j > i + 1 and (words[j - 1].particle or words[j - 1].trail):
                    break
                title = title_of(words[j].stem, lex)
                if title and w.has_tag("ETM", "EC", "EF") and any(_names(x, lex) for x in words[i + 1 : j]):
                    break  # "주최한 더불어민주당 윤영찬 의원": a verb form; the name is the one by the title
                if title:
                    between = words[i + 1 : j]
                    borg, qualifier = org_between(between, lex)
                    if borg is None:
                        borg, title = fused_title(title, words[j], lex)
                    full = " ".join([*(x.text for x in qualifier), title])
                    end = words[j].start + len(words[j].stem)
                    out.extend(PersonMention(n, s, full, borg, Span(w.start, end)) for n, s in names)
                    i = j
                    break
        i += 1
    return out


def _proper_noun(word: Word, lex: Lexicon) -> bool:
    """A Hangul word Kiwi reads as one proper noun and the lexicon knows as nothing else."""
    text = word.text
    return (bool(re.fullmatch(r"[가-힣]{2,5}", text)) and word.morphs == ((text, "NNP"),) and text not in not_names()
            and not match_place(text, lex) and not lex.gazetteer(text) and not title_of(text, lex))


def _leader_name(word: Word, lex: Lexicon) -> bool:
    """이재명 (정부), 트럼프 (행정부): a name, not a verb form such as 위한 (정부)."""
    nouns = bool(word.morphs) and all(tag.startswith("NN") for _f, tag in word.morphs)
    return (nouns and is_name(word.text, lex)) or _proper_noun(word, lex)


def _topic_agency(words: list[Word], before: int, lex: Lexicon) -> OrgMatch | None:
    """The government body that is the topic of the sentence before a titled official:
    "과학기술정보통신부는 14일 류제명 제2차관 주재로" -> 과학기술정보통신부."""
    found = None
    for i, w in enumerate(words):
        if w.start >= before:
            break
        org = match_org(words, i, lex)
        if org and org.type == "GovernmentAgency":
            # the particle may come after a parenthesis: 과학기술정보통신부(이하 과기정통부)는
            marked = next((x for x in words[i + org.n_words - 1 : i + org.n_words + 2] if x.particle), None)
            if marked and marked.particle in ("은", "는", "이", "가"):
                found = org
    return found


def org_entity(org: OrgMatch) -> Entity:
    aliases = frozenset({org.surface} - {org.name})
    return Entity(org_key(org.name), org.type, org.name, aliases, (Span(org.start, org.end),), NAME)


def extract_people(doc: Document) -> Document:
    """Add Person entities, their organisations, and affiliation / jobTitle relations."""
    lex = load_lexicon()
    entities: list[Entity] = []
    relations: list[Relation] = []
    full: dict[str, tuple[str | None, str | None]] = {}  # name -> (last title, last org key)
    shorts: list[tuple[PersonMention, Span]] = []
    outlet_key = org_key(doc.meta.outlet) if doc.meta.outlet else None
    for sent in doc.sentences:
        words = sentence_words(doc, sent)
        for pm in find_people(doc, words, lex):
            if pm.short:
                shorts.append((pm, sent.span))
                continue
            key = "Person:" + pm.name
            aliases = {f"{pm.name} {pm.title.split()[-1]}"} if pm.title else set()
            entities.append(Entity(key, "Person", pm.name, frozenset(aliases), (pm.span,), NAME))
            ev = Evidence(sent.span, NAME, 0.9 if pm.org else 0.8)
            org_k = None
            if pm.org:
                entities.append(org_entity(pm.org))
                org_k = org_key(pm.org.name)
            elif pm.title and lex.titles.get(pm.title.split()[-1]) == "media" and outlet_key:
                org_k = outlet_key
            elif pm.title and title_sector(pm.title.split()[-1], lex) == "gov":
                agency = _topic_agency(words, pm.span.start, lex)
                if agency:
                    entities.append(org_entity(agency))
                    org_k = org_key(agency.name)
            if org_k is None and pm.title and (home := lex.gazetteer(lex.title_homes.get(pm.title.split()[-1], ""))):
                entities.append(Entity(org_key(home.name), home.type, home.name, frozenset(), (), NAME))
                org_k = org_key(home.name)
            if org_k:
                relations.append(Relation(key, "affiliation", org_k, ev))
            if pm.title:
                relations.append(Relation(key, "jobTitle", pm.title, ev, literal=True))
            prev = full.get(pm.name, (None, None))
            full[pm.name] = (pm.title or prev[0], org_k or prev[1])
    if outlet_key and any(r.object == outlet_key for r in relations):
        entities.append(Entity(outlet_key, "MediaOutlet", doc.meta.outlet or "", frozenset(), (), NAME))
    for pm, _sent_span in shorts:
        target = resolve_short(pm.name, pm.title, full)
        if target:
            alias = f"{pm.name} {pm.title}"
            entities.append(Entity("Person:" + target, "Person", target, frozenset({alias}), (pm.whole,), NAME))
    return doc.with_entities(entities).with_relations(relations)


def resolve_short(surname: str, title: str | None, known: dict[str, tuple[str | None, str | None]]) -> str | None:
    """'류 차관' -> 류제명 when exactly one known person fits by surname (and title, if several do)."""
    cands = [n for n in known if n.startswith(surname) and len(n) > len(surname)]
    if len(cands) > 1 and title:
        core = norm_key(title)
        fitting = [n for n in cands if known[n][0] and (norm_key(known[n][0] or "").endswith(core)
                                                         or core.endswith(norm_key(known[n][0] or "")))]
        cands = fitting or cands
    return cands[0] if len(cands) == 1 else None
