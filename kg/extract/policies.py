"""What is asked, as clean noun phrases: the noun phrase before a head of asking, split at its
coordinations, or the verbal nouns of a clause with their objects ("원칙을 반영하고" -> "원칙 반영").

Used by ``demands``; the functions take a sentence's words and indexes into them.
"""

from __future__ import annotations

import re

from ..lexicon import Lexicon, load_lexicon, norm_key
from ..model import Document, Span
from .words import Word

__all__ = ["QUOTE_CHARS", "clause_policies", "clause_start", "is_verb_word", "listed_items", "noun_phrases",
           "np_start"]

_NP_BOUNDARY = ("은", "는", "이", "가", "에", "에게", "에서", "로", "으로", "도", "에는", "에서는", "라며", "이라며",
                "을", "를", "에도", "과는", "와는", "부터", "에서도", "께서")
_POSTPOSITION_VERBS = ("위한", "위해", "통한", "통해", "대한", "향한", "위해서는", "관한", "따른")
_CONJUNCTIONS = ("과", "와")
_CLAUSE_END = re.compile(r"(?:며|면서|지만|는데|데|니까|라며|라면서|다며|다면서)$")
_NOT_THIS = re.compile(r"\s*(?:것이|게)\s*아니라|\s*것보다")
_FRAME_WORDS = ("중심으로", "바탕으로", "기반으로", "토대로", "계기로")
QUOTE_CHARS = "‘’'\"“”「」『』"


def is_verb_word(w: Word) -> bool:
    return w.has_tag("XSV", "VV", "VX")


def np_start(words: list[Word], end: int, lex: Lexicon, limit: int = 0) -> int:
    """The first word of the noun phrase that ends at ``end``, not before ``limit``."""
    start = end
    listing = any(w.text == "등" for w in words[limit : end + 1])  # "A, B, C 등 D": the commas part a list
    while start > limit:
        prev = words[start - 1]
        if (words[start].lead and words[start].lead[-1] in "“\"") or (prev.trail and prev.trail[0] not in ",’'”\"·"):
            break
        if prev.particle in _NP_BOUNDARY and words[start].text not in _POSTPOSITION_VERBS:
            break
        if (prev.has_tag("E") and not prev.has_tag("ETM")) or prev.stem in lex.boundary_nouns:
            break
        if prev.particle != "의" and any(prev.stem.endswith(c.replace(" ", "")) for c in lex.collective):
            break  # a headline's subject: "기업인들, 세제 혜택 … 요청"
        if prev.trail.startswith(",") and not listing and _predicate_item(words, start - 1, limit):
            break  # "반도체는 차세대 성장 동력, 예산 지원 절실": the item before the comma says what 반도체 is
        start -= 1
        if end - start >= 14:
            break
    return start


def _predicate_item(words: list[Word], last: int, limit: int) -> bool:
    """Whether the comma item ending at word ``last`` follows a subject ("X는 Y,"), so is a predicate."""
    i = last
    while i > limit and not words[i - 1].particle and not words[i - 1].trail and not words[i].lead:
        i -= 1
    return i > limit and not words[i].lead and words[i - 1].particle in ("은", "는", "이", "가")


def _trim_modifiers(words: list[Word], start: int, end: int) -> int:
    """Skip leading words that belong to a verb whose argument is outside ("체감할 수 있는 서비스" -> "서비스")."""
    while start < end:
        w = words[start]
        verbal = w.has_tag("VV", "VX", "XSV", "VCN") and w.has_tag("ETM") and w.text not in _POSTPOSITION_VERBS
        # "방지가 목적인 법안": a copula whose subject is outside; 실질적인 지원 keeps its 적인
        verbal = verbal or (w.has_tag("VCP") and w.has_tag("ETM") and not w.text.endswith("적인"))
        # "사전학습이 가능한 인프라", "데이터센터에 필요한 전력망": an adjective whose argument stands before
        needed = any(w.text.startswith(n) for n in load_lexicon().need_words)  # not "정부에 유연한 규제"
        verbal = verbal or (w.has_tag("XSA", "VA") and w.has_tag("ETM") and start > 0
                            and words[start - 1].particle in (("이", "가", "에") if needed else ("이", "가")))
        adverb = w.morphs and all(tag == "MAG" for _f, tag in w.morphs)  # 먼저, 특히
        if verbal or adverb or w.stem in ("수", "것", "등") or w.text in ("있는", "없는", "있도록", "할", "될"):
            start += 1
            continue
        break
    return start


def _text(doc: Document, words: list[Word], start: int, end: int) -> tuple[str, Span]:
    """The surface of words ``start``..``end`` (the last without its particle), quotes removed."""
    span = Span(words[start].start, words[end].start + len(words[end].stem))
    text = re.sub(f"[{QUOTE_CHARS}]", "", span.text(doc.text))
    return re.sub(r"\s+", " ", text).strip(" ,"), span


def _split_points(words: list[Word], start: int, end: int) -> list[int]:
    """Indexes after which a coordinated noun phrase splits (과/와, 및, commas, 등), none inside a relative clause."""
    last_clause = start - 1
    for j in range(start, end + 1):
        w = words[j]
        if w.has_tag("VV", "XSV") and w.has_tag("ETM") and w.text not in _POSTPOSITION_VERBS:
            last_clause = j
    points = []
    for j in range(max(start, last_clause + 1), end):
        w = words[j]
        if (w.particle in _CONJUNCTIONS or w.trail.startswith((",", "·")) or words[j + 1].text in ("및", "등")
                or w.text in ("및", "등")):
            points.append(j)
    return points


def noun_phrases(doc: Document, words: list[Word], start: int, end: int, lex: Lexicon,
                 listed: bool = False) -> list[tuple[str, Span]]:
    """The noun phrases of ``words[start:end + 1]``, split at their coordinations (``listed``: at every comma, as
    in "A, B, C 등 다양한 의견이 나왔다", where a relative clause does not span items)."""
    out = []
    cuts = _split_points(words, start, end) if not listed else [
        j for j in range(start, end) if words[j].trail.startswith(",") or words[j].particle in _CONJUNCTIONS]
    deung = [n for n in range(start, end) if words[n].text == "등"]
    # "A와 B 등 C": A and B are examples of C unless they name an action themselves ("규제 완화, 무역금융, 세제
    # 지원 등 다양한 정책지원" asks for all four; "전력과 용수 등 인프라 지원" for the support)
    examples = deung[0] if len(deung) == 1 and all(c <= deung[0] for c in cuts) and deung[0] + 1 <= end else -1
    bounds = [start, *[c + 1 for c in cuts]]
    for n, b in enumerate(bounds):
        e = (cuts[n] if n < len(cuts) else end)
        while e >= b and (words[e].text in ("및", "등") or (e == end and words[e].stem == "등")):
            e -= 1
        b = _trim_modifiers(words, b, e)
        while b <= e and words[b].text in ("및", "등"):
            b += 1
        if b > e or not any(words[x].has_tag("NN", "SL", "SH", "XR") or not words[x].morphs for x in range(b, e + 1)):
            continue  # "…것"이라고 조언했다": no noun, nothing asked
        if e < examples and not words[e].stem.endswith(lex.action_nouns):
            continue
        out.append(_text(doc, words, b, e))
    if out and out[-1][0].split()[-1] in lex.problem_nouns:
        return []  # "수수료와 광고비 부담을 호소했다": burdens complained of, not policies asked for
    return [(t, s) for t, s in out if _is_policy(t, lex)]


def _is_policy(text: str, lex: Lexicon) -> bool:
    """Not a bare generic noun ("방안", "현장의 애로사항", "적용 방법") nor a pronoun."""
    words = text.split()
    if len(norm_key(text)) < 2 or text in lex.generic_nouns or text in lex.head_nouns or text.startswith(
            ("이를", "그것")):
        return False
    return not (len(words) <= 2 and words[-1] in lex.generic_nouns)


def _verbal_noun(w: Word) -> str | None:
    """The noun of a 하다/되다 verb: 마련해줄 -> 마련, 세분화할 -> 세분화."""
    for n, (_form, tag) in enumerate(w.morphs):
        if tag == "XSV" and n > 0:
            noun = "".join(f for f, _t in w.morphs[:n])
            if w.text.startswith(noun):
                return noun
            return None
    return None


def _adverbial(w: Word) -> bool:
    """합리적으로, 적극, 더, 빠르게: a word that only says how."""
    return w.text.endswith("적으로") or (bool(w.morphs) and all(tag in ("MAG", "MAJ") for _f, tag in w.morphs)) or (
        w.has_tag("VA") and w.text.endswith("게"))


def clause_policies(doc: Document, words: list[Word], start: int, end: int, lex: Lexicon) -> list[tuple[str, Span]]:
    """Each verbal noun of the clause with its object: "원칙을 반영하고" -> "원칙 반영"."""
    out = []
    for v in range(start, end + 1):
        verb = words[v]
        j = v - 1
        while j > start and _adverbial(words[j]):
            j -= 1  # "기준을 합리적으로 개선해": the adverb stands between the object and its verb
        if j < start or verb.text in _POSTPOSITION_VERBS or not is_verb_word(verb):
            continue
        if words[j].text in _FRAME_WORDS and j - 2 >= start and words[j - 1].particle in ("을", "를"):
            j -= 2  # "전략을 국회를 중심으로 모색해야": the object stands before "Y를 중심으로"
        obj = words[j]
        if obj.stem in lex.effort_nouns and obj.particle in ("을", "를"):
            if j - 2 >= start and words[j - 1].text == "데" and words[j - 2].has_tag("ETM"):
                # "능력을 키우는 데 힘을 쏟아야": what the effort is for is asked
                inner = [p for p in clause_policies(doc, words, start, j - 2, lex) if p[1].end <= words[j - 2].end]
                native = _native_clause(doc, words, start, j - 2, lex)
                out.extend(inner or ([native] if native else []))
            elif j - 1 >= start and words[j - 1].particle in ("에", "에도", "에서도"):
                b = _trim_modifiers(words, np_start(words, j - 1, lex, start), j - 1)
                out.append(_text(doc, words, b, j - 1))
            else:
                b = _trim_modifiers(words, np_start(words, j, lex, start), j)
                if b < j:
                    out.append(_text(doc, words, b, j))
            continue
        noun = _verbal_noun(verb) or (lex.verb_nouns.get(verb.morphs[0][0]) if verb.morphs and
                                      verb.morphs[0][1].startswith("VV") else None)
        purpose = v + 1 < len(words) and words[v + 1].text.startswith("위해")  # 활용하기 위해서는: a purpose
        # "규제를 왜 풀어야 하는지 입증하는": an embedded question, not what is asked
        purpose = purpose or any(x.text.endswith(("는지", "은지", "을지", "ㄴ지")) for x in words[v : v + 2])
        if purpose or _NOT_THIS.match(doc.text[verb.end : min(verb.end + 12, words[-1].end)]):
            continue  # "법안을 참조할 것이 아니라": what is asked is the alternative, not this
        if any(t == "EP" and f in ("었", "았", "였") for f, t in verb.morphs):
            continue  # "얼마를 썼고": what was done, never what is asked
        if (noun is None or obj.particle not in ("을", "를", "로", "으로", "이", "가")) and not verb.has_tag("ETM"):
            native = _native_clause(doc, words, start, v, lex)  # 규제를 걷어내고, 초점을 성장에 맞춰야
            if native:
                out.append(native)
            continue
        if verb.has_tag("ETM") and v != end and not (v + 1 < len(words) and (words[v + 1].stem in lex.generic_nouns
                                                                             or words[v + 1].stem in lex.head_nouns)):
            continue  # a relative clause about something else ("미래를 좌우할 인공지능")
        passive = any(t == "XSV" and f in ("되", "돼") for f, t in verb.morphs)
        if obj.particle not in (("이", "가") if passive else ("을", "를", "로", "으로")):
            continue
        if noun in lex.light_nouns:  # "양질의 데이터가 확보가 동반돼야" -> 양질의 데이터 확보
            if j - 1 >= start and words[j - 1].particle in ("이", "가"):
                b = _trim_modifiers(words, np_start(words, j - 1, lex, start), j - 1)
                text, span = _text(doc, words, b, j - 1)
                out.append((f"{text} {obj.stem}", Span(span.start, obj.start + len(obj.stem))))
            else:
                b = _trim_modifiers(words, np_start(words, j, lex, start), j)
                out.append(_text(doc, words, b, j))
            continue
        changed = _changed_into(doc, words, start, j, lex) if obj.particle in ("로", "으로") else None
        if noun is not None and changed:
            x, span = changed  # "공제를 환급 방식으로 바꿔 달라" -> "공제 환급 방식 전환"
            noun = lex.result_nouns.get(verb.morphs[0][0], noun) if verb.morphs else noun
            out.append((f"{x} {noun}", Span(span.start, verb.end)))
            continue
        b = _trim_modifiers(words, np_start(words, j, lex, start), j)
        if b > j or noun is None:
            continue
        text, span = _text(doc, words, b, j)
        if _is_policy(text, lex):
            out.append((f"{text} {noun}", Span(span.start, verb.start + len(noun))))
    return out


def _object_phrase(doc: Document, words: list[Word], start: int, o: int, lex: Lexicon) -> tuple[str, Span] | None:
    """The noun phrase ending at the object word ``o``, if it names a policy."""
    b = _trim_modifiers(words, np_start(words, o, lex, start), o)
    if b > o:
        return None
    text, span = _text(doc, words, b, o)
    return (text, span) if _is_policy(text, lex) else None


def _changed_into(doc: Document, words: list[Word], start: int, j: int, lex: Lexicon) -> tuple[str, Span] | None:
    """What is changed and into what, before a verb whose word ``j`` ends in 로: "투자세액공제를 직접 환급
    방식으로" -> "투자세액공제 직접 환급 방식"; None without an object right before."""
    o = next((n for n in range(j - 1, max(start, j - 4) - 1, -1) if words[n].particle in ("을", "를")), None)
    if o is None or any(words[n].particle or words[n].trail for n in range(o + 1, j)):
        return None
    found = _object_phrase(doc, words, start, o, lex)
    if found is None:
        return None
    x, span = found
    into = re.sub(r"\s+", " ", doc.text[words[o + 1].start : words[j].start + len(words[j].stem)]).strip()
    return f"{x} {into}", Span(span.start, words[j].end)


def _lemma(verb: Word) -> str | None:
    """The dictionary stem of a native verb: 걷어내고 -> 걷어내, 맞춰야 -> 맞추, 되살려야 -> 되살리."""
    tags = [t for _f, t in verb.morphs]
    first = next((n for n, t in enumerate(tags) if t.startswith("VV")), None)
    if first is None:
        return None
    last = max(n for n, t in enumerate(tags) if t.startswith(("VV", "VX")))
    return "".join(f for f, _t in verb.morphs[first : last + 1])


def _native_clause(doc: Document, words: list[Word], start: int, v: int, lex: Lexicon) -> tuple[str, Span] | None:
    """What a verb with no verbal noun asks for, its object and what stands between them, named with -기:
    "계단식 규제를 걷어내고" -> "계단식 규제 걷어내기"; "초점을 성장에 맞춰야" -> "초점을 성장에 맞추기"."""
    verb = words[v]
    lemma = _lemma(verb) if not verb.text.endswith("게") else None  # 맞게: how, not what
    if verb.text.endswith("지") and v + 1 < len(words) and words[v + 1].text.startswith(("말", "마라")):
        lemma = None  # "지원을 아끼지 말아 달라": the support is what is asked, not the sparing
        if v >= 1 and words[v - 1].particle in ("을", "를"):
            b = _trim_modifiers(words, np_start(words, v - 1, lex, start), v - 1)
            return _text(doc, words, b, v - 1) if b <= v - 1 else None
    j = v - 1
    while j >= start and j >= v - 4 and words[j].particle not in ("을", "를"):
        if words[j].particle in ("은", "는", "이", "가") or words[j].trail or (is_verb_word(words[j]) and not (
                words[j].text.endswith("게"))):
            return None
        j -= 1
    if lemma is None or j < start or words[j].particle not in ("을", "를") or words[j].stem in lex.effort_nouns:
        return None
    found = _object_phrase(doc, words, start, j, lex)
    if found is None:
        return None
    text, span = found
    if j == v - 1:
        return f"{text} {lemma}기", Span(span.start, verb.start + len(lemma))
    middle = re.sub(r"\s+", " ", doc.text[words[j].start : words[v - 1].end]).strip()
    whole = re.sub(f"[{QUOTE_CHARS}]", "", doc.text[span.start : words[j].start]) + middle
    return f"{whole} {lemma}기", Span(span.start, verb.start + len(lemma))


_MARKS = "△▲■□◆◇○●•①②③④⑤⑥⑦⑧⑨⑩"


def listed_items(doc: Document, words: list[Word], upto: int, lex: Lexicon) -> list[tuple[str, Span]]:
    """The items of a marked list before word ``upto``, one policy each: "한국이 △A 확대 △B를 없애고 C 구축
    △D를 위한 역할 등에 나서야 한다" -> A 확대, B를 없애고 C 구축, D를 위한 역할."""
    marks = [n for n in range(upto) if words[n].lead and words[n].lead[-1] in _MARKS]
    if len(marks) < 2:
        return []
    out = []
    for m, b in enumerate(marks):
        e = marks[m + 1] - 1 if m + 1 < len(marks) else b
        if m + 1 == len(marks):  # the last item runs to 등, or to a particle that is not "…를 위한"
            while e + 1 < upto and words[e + 1].stem != "등" and not words[e].trail and not (
                    words[e].particle and words[e + 1].text not in _POSTPOSITION_VERBS):
                e += 1
            rest = words[e + 1 : upto]
            if any(w.particle in ("은", "는", "이", "가") for w in rest[:-1]):
                return []  # "▲A ▲B 등 기업 대표들이 … 촉구했다": the list names who asks, not what
        while e > b and words[e].stem in ("등", "및"):
            e -= 1
        text, span = _text(doc, words, b, e)
        if _is_policy(text, lex):
            out.append((text, span))
    return out


def clause_start(words: list[Word], end: int) -> int:
    start = end
    while start > 0:
        prev = words[start - 1]
        if prev.particle in ("은", "는", "께서") and not is_verb_word(prev):
            break
        if prev.lead and prev.lead[-1] in "“\"" and start - 1 < end:
            return start - 1
        if prev.trail and prev.trail[0] in ".”\"":
            break
        if is_verb_word(prev) and _CLAUSE_END.search(prev.text):
            break
        start -= 1
    return start
