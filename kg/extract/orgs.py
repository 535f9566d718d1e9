"""Organisations named in running text: gazetteer names, suffix-made names, acronyms in parentheses,
and the members of lists such as "A, B, C 등 … 기업들" or "▲A ▲B ▲C"."""

from __future__ import annotations

import re

from ..lexicon import Lexicon, load_lexicon
from ..model import Document, Entity, Span
from .lexmatch import OrgMatch, is_name, match_org, match_place, not_names, org_key
from .slots import org_slot
from .words import Word, sentence_words

__all__ = ["extract_orgs", "find_orgs", "list_items", "unparen"]

NAME = "orgs"
_PAREN = re.compile(r"^(?P<base>.+?)\((?P<inner>[^()]+)\)$")
_LIST_HEADS = ("기업", "업체", "회사", "스타트업", "기관", "단체", "관계자", "대표", "협회", "은행", "대학")
_SECTOR_HEADS = ("분야", "업종", "산업", "영역", "부문", "기술")  # "AI모델, 클라우드 등 다양한 분야의 기업들"
_COUNTED = re.compile(r"\d+\s*(?:개|곳|개사|개社)")  # "A, B, C 5개 업체와": a count that closes a list
_TICKER = re.compile(r"\[\d{6}\]?$|\(\d{6}\)?$")


def unparen(word: Word) -> tuple[Word, str | None]:
    """한국인공지능·소프트웨어산업협회(KOSA)를 -> (…협회, 'KOSA'); 알서포트[131370] -> (알서포트, None)."""
    stem = _TICKER.sub("", word.stem)
    m = _PAREN.match(stem)
    if not m:
        return (word if stem == word.stem else Word(stem, word.start, word.start + len(stem), stem, word.particle,
                                                     word.lead, word.trail)), None
    base = m.group("base")
    base_word = Word(base, word.start, word.start + len(base), base, word.particle or "(", word.lead, word.trail)
    return base_word, m.group("inner")


def _dotted_orgs(word: Word, lex: Lexicon) -> list[OrgMatch]:
    """네이버·카카오·KT -> three organisations, when the parts are known ones and the whole is not."""
    if "·" not in word.stem or lex.gazetteer(word.stem):
        return []
    parts, pos = [], word.start
    for part in word.stem.split("·"):
        entry = lex.gazetteer(part)
        if entry is None:
            return []
        parts.append(OrgMatch(entry.name, entry.type, part, pos, pos + len(part), 1, True))
        pos += len(part) + 1
    return parts if len(parts) >= 2 else []


def find_orgs(words: list[Word], lex: Lexicon) -> list[tuple[OrgMatch, str | None]]:
    """Every organisation name in a sentence's words, longest first, with an acronym if one is given."""
    out: list[tuple[OrgMatch, str | None]] = []
    i = 0
    while i < len(words):
        parts = _dotted_orgs(words[i], lex)
        if parts:
            out.extend((p, None) for p in parts)
            i += 1
            continue
        w, inner = unparen(words[i])
        probe = [*words[:i], w, *words[i + 1 :]]
        m = match_org(probe, i, lex)
        if m:
            acronym = inner if inner and re.fullmatch(r"[A-Za-z][A-Za-z0-9&]{1,9}", inner) else None
            out.append((m, acronym))
            i += m.n_words
        else:
            i += 1
    return out


def list_items(words: list[Word], lex: Lexicon) -> list[tuple[int, int, bool]]:
    """Index ranges of the items of enumerations that end in "등 … 기업/관계자", in a count ("5개 업체") or use
    ▲ markers, and whether a count closed the list (then every item is a body, even a name-like one)."""
    spans: list[tuple[int, int, bool]] = []
    # ▲A ▲B ▲C
    marks = [i for i, w in enumerate(words) if w.lead.startswith("▲")]
    if any(w.text == "등" or w.trail == "," for i in marks[:-1] for w in words[i : marks[marks.index(i) + 1] - 1]):
        marks = []  # ▲AI 반도체, 클라우드 등 기반 활용 ▲…: a list of topics, not of organisations
    for n, i in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else i + 1
        if n + 1 == len(marks):
            while end < len(words) and not words[end - 1].particle and not words[end - 1].trail and end - i < 3:
                if words[end].stem in ("등",) or words[end].text.startswith("등"):
                    break
                end += 1
        spans.append((i, end, False))
    # A, B, C 등 (…) 기업들이; A, B, C 5개 업체와
    for k, w in enumerate(words):
        deung = w.stem == "등" or (w.text.startswith("등") and len(w.text) <= 2)
        closing = (_COUNTED.fullmatch(w.stem) is not None and k > 0 and words[k - 1].text != "등"
                   and any(x.trail == "," for x in words[max(0, k - 6) : k]))  # "A, B 5개 업체": the count closes
        if not (deung or closing):
            continue
        counted = closing or (k + 1 < len(words) and _COUNTED.fullmatch(words[k + 1].stem) is not None)
        heads = []
        for n, x in enumerate(words[k : k + 14] if closing else words[k + 1 : k + 14], k if closing else k + 1):
            if any(h in x.stem for h in _LIST_HEADS + _SECTOR_HEADS):
                heads.append((n, x.stem))
            elif not heads and x.particle and x.particle != "의":
                break  # "동남아 등 글로벌 시장에 진출하는 기업": the list is of markets, not of companies
        if not heads:
            continue
        n, head = heads[0]
        inner = any(x.stem == "등" or x.text == "등" for x in words[k + 1 : n])
        if n > k + (8 if inner else 5):
            continue
        # "A, B 등 AI모델, 클라우드 등 다양한 분야의 기업들": a sector list between a list and its head
        if any(h in head for h in _SECTOR_HEADS) and not (
                inner and any(any(h in x for h in _LIST_HEADS) for _m, x in heads[1:] if _m <= n + 4)):
            continue
        j = k
        while j > 0:
            prev = words[j - 1]
            if prev.particle or (prev.trail and prev.trail != ","):
                break
            start = j - 1
            while (start > 0 and not words[start - 1].trail and not words[start - 1].particle and j - start < 3
                   and not words[start].lead.startswith(("▲", "△", "■", "-", "·"))
                   and not words[start - 1].has_tag("VV", "VX", "EC", "ETM")  # "비롯해 한국외식업중앙회"
                   and not re.fullmatch(r"이날|또|또한|특히|\d+일", words[start - 1].text)):
                start -= 1
            cut = next((c for c in range(start, j) if words[c].text == "및"), None)  # 대웅제약 및 에이치케이이노엔
            spans.extend([(start, cut, counted), (cut + 1, j, counted)] if cut is not None and start < cut < j - 1
                         else [(start, j, counted)])
            j = start
            if start == 0 or words[start - 1].trail != ",":
                break
    return spans


def _dotted_parts(item: list[Word]) -> list[list[Word]]:
    """An item "한빛퀀텀·미래양자·큐빗테크" of a list of companies is three; any other item is itself."""
    if len(item) != 1 or "·" not in item[0].stem or any(len(p) < 2 for p in item[0].stem.split("·")):
        return [item]  # 정·제련기업: one word about two trades
    if item[0].familiar and all(t.startswith(("NNG", "SP", "SW")) for _f, t in item[0].morphs):
        return [item]  # 투자·고용·수출: common nouns Kiwi knows well, topics rather than bodies
    parts, pos = [], item[0].start
    for part in item[0].stem.split("·"):
        if part:
            parts.append([Word(part, pos, pos + len(part), part, "", "", "")])
        pos += len(part) + 1
    return parts


def _item_org(words: list[Word], lex: Lexicon, counted: bool = False) -> OrgMatch | None:
    if not words or (len(words) == 1 and _dotted_orgs(words[0], lex)):
        return None
    m = match_org(words, 0, lex, context=True, max_words=len(words))
    if m and m.n_words == len(words):
        return m
    while len(words) > 1 and words[0].morphs and all(t in ("MAG", "MAJ") for _f, t in words[0].morphs):
        words = words[1:]  # "아울러 최저임금": a connective before the item
    if all(w.familiar and w.morphs and all(t.startswith("NNG") for _f, t in w.morphs) for w in words):
        return None  # ▲중소기업 ▲지방 ▲청년 세대: common nouns Kiwi knows well, topics rather than bodies
    if words[-1].stem.endswith(_LIST_HEADS):
        return None  # 배터리기업, 소재기업: a kind of company
    text = " ".join(w.text for w in words)
    # a two-syllable word is a company more often than a name in a list of companies (심텍, 네패스)
    if (len(words) > 2 or (is_name(words[0].text, lex) and len(words[0].text) > 2 and not counted)
            or text in not_names()
            or match_place(text, lex)
            or all(part in lex.tech_terms for part in re.split(r"[·\s]", text))
            or not re.fullmatch(r"[가-힣A-Za-z0-9&·.\s]+", text)):
        return None
    return OrgMatch(text, "Company", text, words[0].start, words[-1].end, len(words), False)


def extract_orgs(doc: Document) -> Document:
    lex = load_lexicon()
    entities: list[Entity] = []
    acronyms: dict[str, str] = {}
    for sent in doc.sentences:
        words = sentence_words(doc, sent)
        for m, acronym in find_orgs(words, lex):
            aliases = {m.surface} - {m.name}
            if acronym:
                aliases.add(acronym)
                acronyms[acronym] = m.name
            entities.append(Entity(org_key(m.name), m.type, m.name, frozenset(aliases), (Span(m.start, m.end),), NAME))
        for k, w in enumerate(words):  # "포스코퓨처엠을 방문해": a new name visited is a company
            visited = any(x.text.startswith(lex.visit_verbs) for x in words[k + 1 : k + 3])
            if w.particle in ("을", "를") and visited and not (lex.gazetteer(w.stem) or match_org(words, k, lex)):
                morphs = tuple(m for m in w.morphs if not m[1].startswith("J"))
                probe = Word(w.stem, w.start, w.start + len(w.stem), w.stem, "", w.lead, "", morphs, w.familiar)
                found = org_slot(probe, lex)
                if found and found.type == "Company" and not match_place(w.stem, lex):
                    entities.append(Entity(org_key(found.name), found.type, found.name, frozenset(),
                                           (Span(found.start, found.end),), NAME))
        if sent.kind in ("caption", "body", "title"):
            for a, b, counted in list_items(words, lex):
                item = [*words[a : b - 1], unparen(words[b - 1])[0]]
                for org in [_item_org(part, lex, counted) for part in _dotted_parts(item)]:
                    if org:
                        entities.append(Entity(org_key(org.name), org.type, org.name,
                                               frozenset({org.surface} - {org.name}), (Span(org.start, org.end),),
                                               NAME))
    if acronyms:
        for sent in doc.sentences:
            for w in sentence_words(doc, sent):
                if w.stem in acronyms:
                    name = acronyms[w.stem]
                    entities.append(Entity(org_key(name), "Organization", name, frozenset({w.stem}),
                                           (w.stem_span,), NAME))
    if doc.meta.outlet and doc.meta.outlet_in_text:
        entry = lex.gazetteer(doc.meta.outlet)
        entities.append(Entity(org_key(doc.meta.outlet), "MediaOutlet", entry.name if entry else doc.meta.outlet,
                               frozenset(), (), NAME))
    return doc.with_entities(entities)
