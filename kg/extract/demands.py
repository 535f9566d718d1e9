"""What was asked of the government: the policy phrase before 촉구/요구/요청/건의/제안/제언, before
"…이 필요하다" / "…해 달라", in headlines ("… 유예 요구"), inside a speaker's quote, and by collective
subjects ("참석 기업들은", "업계는"), which stand for every non-government participant."""

from __future__ import annotations

import re

from ..lexicon import Lexicon, load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Sentence, Span
from .participation import meeting_of_sentence
from .words import Word, sentence_words

__all__ = ["extract_demands", "policy_phrases"]

NAME = "demands"
_GOV = ("GovernmentAgency", "Legislature", "PoliticalParty")
_BOUNDARY_PARTICLES = ("은", "는", "이", "가", "에", "에게", "에서", "로", "으로", "도", "에는", "에서는", "라며", "이라며")
_MODIFIER_NEXT = ("위한", "위해", "통한", "대한", "향한", "위해서는")
_VERB_TAIL = re.compile(r"(?:해|하여|해서|되어|돼)?\s*(?:줄|주길|주기를|달라|달라고|달라는|주도록|주시길)?$")
_NEG = re.compile(r"^\S*\s*(?:않|안\s|없|말라|거절|거부|반대|난색)")
_NEED = ("필요", "필수", "필수적", "시급", "절실", "중요")


def _is_gov(doc: Document, key: str) -> bool:
    types = {e.key: e.type for e in doc.entities}
    if types.get(key) in _GOV:
        return True
    return any(r.subject == key and r.predicate == "affiliation" and types.get(r.object) in _GOV
               for r in doc.relations)


def _phrase_back(words: list[Word], k: int) -> list[Word]:
    """Words of the noun phrase ending at word ``k``, back to a clause boundary."""
    start = k
    while start > 0:
        prev = words[start - 1]
        if (prev.trail and prev.trail not in (",", "’", "'")) or prev.lead.startswith(("“", '"')):
            break
        if prev.particle in _BOUNDARY_PARTICLES and words[start].text not in _MODIFIER_NEXT:
            break
        if prev.particle in ("을", "를") and words[start].text not in _MODIFIER_NEXT:
            break
        start -= 1
        if k - start >= 8:
            break
    return words[start : k + 1]


def policy_phrases(words: list[Word]) -> list[tuple[str, Span]]:
    """Split a phrase on 과/와/및/commas into policies; verb endings become nouns (마련해줄 -> 마련)."""
    groups: list[list[Word]] = [[]]
    for n, w in enumerate(words):
        if w.text == "및":
            groups.append([])
            continue
        groups[-1].append(w)
        if n < len(words) - 1 and (w.particle in ("과", "와") or w.trail == ","):
            groups.append([])
    out = []
    for g in groups:
        if not g:
            continue
        parts = [x.text for x in g[:-1]]
        last = g[-1]
        tail = last.stem
        tail = re.sub(r"(?:하|해|되|돼)(?:는|고|도록|줄|주길|달라|서|야)?[가-힣]*$", "", tail) if not tail.endswith(
            ("지원", "확대", "마련", "완화", "유예", "개선", "강화", "조성", "구축", "확보", "반영", "적용")) else tail
        tail = _VERB_TAIL.sub("", tail) or last.stem
        text = " ".join([*parts, tail]).strip(" ‘’'\"“”")
        text = re.sub(r"[‘’'\"“”]", "", text)
        if len(norm_key(text)) >= 2:
            out.append((text, Span(g[0].start, last.start + len(last.stem))))
    return out


def _subject(doc: Document, sent: Sentence, words: list[Word], until: int, lex: Lexicon) -> list[str] | str | None:
    """Who asks: a person or organisation marked as topic/subject, a collective word, or None."""
    for w in words:
        if w.start >= until:
            break
        if w.particle in ("은", "는", "이", "가", "도", "들은", "들이"):
            phrase = doc.text[sent.span.start : w.start + len(w.stem)]
            for col in lex.collective:
                if phrase.endswith(col) or w.stem.endswith(col.split()[-1]):
                    return "collective"
            for e in doc.entities:
                if e.type in ("Person", *_ORGS) and any(sent.span.start <= s.start <= w.start for s in e.spans):
                    near = [s for s in e.spans if sent.span.start <= s.start <= w.start and w.start - s.start < 40]
                    if near:
                        return [e.key]
    return None


_ORGS = ("Organization", "Company", "Association", "ResearchInstitute", "University")


def extract_demands(doc: Document) -> Document:
    lex = load_lexicon()
    by_sent = meeting_of_sentence(doc)
    stated = {r.object: r.subject for r in doc.relations if r.predicate == "stated"}
    quote_spans = [(e.spans[0], stated.get(e.key)) for e in doc.entities if e.type == "Quote" and e.spans]
    attendees: dict[str, list[str]] = {}
    for r in doc.relations:
        if r.predicate == "attended" and not _is_gov(doc, r.subject):
            attendees.setdefault(r.object, []).append(r.subject)
    entities: list[Entity] = []
    relations: list[Relation] = []
    for i, sent in enumerate(doc.sentences):
        if sent.kind not in ("body", "title"):
            continue
        words = sentence_words(doc, sent)
        for k, w in enumerate(words):
            found = _demand_at(words, k, lex)
            if not found:
                continue
            phrase_end, act = found
            after = doc.text[w.end : w.end + 12]
            if _NEG.match(after):
                continue
            phrase = _phrase_back(words, phrase_end)
            if not phrase:
                continue
            speaker = next((sp for span, sp in quote_spans if span.start <= w.start < span.end), None)
            subj: list[str] | str | None = [speaker] if speaker else _subject(doc, sent, words, phrase[0].start, lex)
            if subj is None or subj == "collective":
                meeting = by_sent[i]
                subj = attendees.get(meeting, []) if meeting else []
            subjects = [s for s in subj if not _is_gov(doc, s)] if isinstance(subj, list) else []
            for text, span in policy_phrases(phrase):
                key = "Policy:" + norm_key(text)
                entities.append(Entity(key, "Policy", text, frozenset(), (span,), NAME))
                for s in subjects:
                    relations.append(Relation(s, "demanded", key, Evidence(sent.span, NAME, 0.7, act)))
    return doc.with_entities([e for e in entities if any(r.object == e.key for r in relations)]).with_relations(relations)


def _demand_at(words: list[Word], k: int, lex: Lexicon) -> tuple[int, str] | None:
    """If word ``k`` asks for something, the index of the last word of the thing asked and the act."""
    w = words[k]
    for stem, (act, _code) in lex.demand_verbs.items():
        if act == "statement" or not w.text.startswith(stem):
            continue
        if k == 0:
            return None
        prev = words[k - 1]
        if prev.stem in ("것", "점") and k >= 2:
            return k - 2, act
        if prev.particle in ("을", "를") or (w.text == stem and k == len(words) - 1):
            return k - 1, act
        if re.search(r"(?:달라|해야|라|자)는$", prev.text) or prev.text.endswith(("는", "라는")):
            return k - 1, act
        return None
    if any(w.stem.startswith(n) for n in _NEED) and k >= 1 and words[k - 1].particle in ("이", "가"):
        return k - 1, "demand"
    if w.stem.startswith(_NEED) and k >= 1 and words[k - 1].particle == "" and words[k - 1].stem.endswith(("이", "가")):
        return k - 1, "demand"
    return None
