"""Former posts: "배경훈 과학기술정보통신부 장관(전 LG AI연구원장)", "LG AI연구원장 출신인 배경훈 장관".

The organisation of a former post becomes the person's ``formerAffiliation``: not a current affiliation,
but the evidence that lets resolution see one person in articles years apart. The marker words live in
``former_words.tsv``.
"""

from __future__ import annotations

import dataclasses

from ..lexicon import Lexicon, load_lexicon
from ..model import Document, Entity, Evidence, Relation, Sentence
from .lexmatch import OrgMatch, match_org, org_key, title_of
from .slots import fused_title, org_between, org_entity, org_slot
from .words import Word, sentence_words

__all__ = ["extract_careers", "post_org"]

NAME = "careers"
_NEAR = 3  # characters between a name's mention and "(전 …)", or between "… 출신인" and the name


def post_org(words: list[Word], lex: Lexicon) -> OrgMatch | None:
    """The organisation of a post written as words: "LG AI연구원장", "LG AI연구원 원장", "삼성전자 사장"."""
    if not words or not (title := title_of(words[-1].stem, lex)):
        return None
    if len(words) > 1 and title in lex.titles:  # the title is its own word
        org, rest = org_between(words[:-1], lex)
        return org if org and not rest else None
    last = words[-1]
    if last.stem in lex.titles:
        return None  # "(CEO)", "(회장)": a title alone names no body
    for cut in (1, 2):  # 연구원장 -> 연구원, 협회장 -> 협회
        base = last.stem[:-cut]
        probe = [*words[:-1], Word(base, last.start, last.start + len(base), base, "", last.lead, "")]
        org = match_org(probe, 0, lex, context=True, max_words=len(probe))
        if org and org.n_words == len(probe) and len(base) >= 2:
            return org
    org, _title = fused_title(title, last, lex)
    return org if len(words) == 1 else None


def _posts(words: list[Word], lex: Lexicon) -> list[tuple[int, int, list[Word]]]:
    """Former posts in a sentence: (where the person's name may end, where it may start, the post's words);
    one of the two positions is -1."""
    out = []
    for i, w in enumerate(words):
        head, paren, tail = w.text.rpartition("(")  # "장관(전" is one word; "(전" another
        where = lex.former_words.get(tail) if paren else None
        if where == "after" or (lex.former_words.get(w.text) == "after" and "(" in w.lead):
            end = next((j for j in range(i + 1, min(i + 6, len(words))) if ")" in words[j].text + words[j].trail), None)
            if end is not None:
                out.append((w.start + len(head) if paren else w.start - 1, -1, words[i + 1 : end + 1]))
            continue
        if w.text.startswith(tuple(k for k, v in lex.former_words.items() if v == "before")):
            start = i
            while start > 0 and i - start < 4 and not words[start - 1].particle and not words[start - 1].trail:
                start -= 1
            if start < i:
                out.append((-1, w.end, words[start:i]))
    return out


def extract_careers(doc: Document) -> Document:
    lex = load_lexicon()
    people = sorted((span.start, span.end, e.key) for e in doc.entities if e.type == "Person" for span in e.spans)
    entities: list[Entity] = []
    relations: list[Relation] = []
    for sent in doc.sentences:
        words = sentence_words(doc, sent)
        for before, after, post in _posts(words, lex):
            person = _person_at(people, sent, before, after, doc)
            org = post_org(post, lex) if person else None
            if person and org:  # named, not a mention: the post is past, it takes no part in this article
                entities.append(dataclasses.replace(org_entity(org), spans=()))
                ev = Evidence(sent.span, NAME, 0.7)
                relations.append(Relation(person, "formerAffiliation", org_key(org.name), ev))
        for before, inner in _brackets(words, lex):
            person = _person_at(people, sent, before, -1, doc)
            if person is None:
                continue
            ev = Evidence(sent.span, NAME, 0.7)
            then = inner[0].text == "당시"  # "문재인 대표(당시 새정치민주연합)": the body of the time
            org = match_org(inner[1:], 0, lex, context=True, max_words=len(inner) - 1) if then and len(inner) > 1 \
                else post_org(inner, lex)
            if org is None and then and len(inner) == 2:  # (당시 새정치민주연합): a body no list knows
                org = org_slot(inner[1], lex)
            if org is None or (then and org.n_words != len(inner) - 1):
                continue
            entities.append(org_entity(org))
            relations.append(Relation(person, "affiliation", org_key(org.name), ev))
            title = title_of(inner[-1].stem, lex)
            if title and not then:
                relations.append(Relation(person, "jobTitle", title, ev, literal=True))
    return doc.with_entities(entities).with_relations(relations)


def _brackets(words: list[Word], lex: Lexicon) -> list[tuple[int, list[Word]]]:
    """Posts in brackets after a person ("교수(한국게임학회장)", "팀장(기획재정부 메타버스 TF 자문위원)",
    "대표(당시 새정치민주연합)"): where the bracket opens, and its words; former posts ("(전 …)") are not here."""
    out = []
    for i, w in enumerate(words):
        head, paren, tail = w.text.partition("(")
        if paren and head and ")" in tail:  # one word: 교수(한국게임학회장)
            inner_text = tail.split(")", 1)[0]
            start = w.start + len(head) + 1
            inner = [Word(inner_text, start, start + len(inner_text), inner_text, "", "", "")]
            where = w.start + len(head)
        elif w.lead.startswith("(") and i > 0 and not words[i - 1].trail:  # several: 팀장 (기획재정부 … 자문위원)
            end = next((j for j in range(i, min(i + 6, len(words))) if ")" in words[j].text + words[j].trail), None)
            if end is None:
                continue
            inner = [*words[i:end], _closed(words[end])]
            where = w.start - 1
        else:
            continue
        if inner and inner[0].text not in lex.former_words and not inner[0].text.startswith(tuple(lex.former_words)):
            out.append((where, inner))
    return out


def _closed(w: Word) -> Word:
    """The last word of a bracket without the bracket: "자문위원)" -> "자문위원"."""
    text = w.stem.rstrip(")")
    return Word(text, w.start, w.start + len(text), text, "", w.lead, "", w.morphs, w.familiar)


def _person_at(people: list[tuple[int, int, str]], sent: Sentence, before: int, after: int,
               doc: Document) -> str | None:
    """The person whose mention ends just before ``before`` (its title may follow the name), or starts
    just after ``after`` (after a title or a relative ending: "출신인 배경훈")."""
    inside = [p for p in people if sent.span.start <= p[0] < sent.span.end]
    if before >= 0:
        cands = [p for p in inside if p[1] <= before]
        if cands:
            _start, end, key = cands[-1]
            gap = doc.text[end:before]
            return key if len(gap.split()) <= 3 and len(gap) <= 20 else None
        return None
    cands = [p for p in inside if p[0] >= after]
    if cands and cands[0][0] - after <= _NEAR + 3:
        return cands[0][2]
    return None
