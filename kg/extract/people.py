"""People with their titles and organisations, in every order the Korean press writes them.

    김성훈 업스테이지 대표          name  org  title
    과학기술정보통신부 류제명 제2차관   org  name title
    하정우 네이버 AI 랩 센터장        name  org(several words) title
    이복현 금융감독원장              name  org+장
    강경숙·김기현·홍기원 의원         names title
    [이데일리 김아름 기자]            outlet name title
    ▲SK온 지동섭 대표                 an organisation no list knows, told by where it stands
    그레그 브로크먼 회장              a foreign name, given name first
    최상목 부총리 겸 기획재정부 장관   two posts held at once
    류 차관 / 올트먼 CEO             short references, resolved to a full name in the same article
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..lexicon import GazetteerEntry, Lexicon, load_lexicon, norm_key
from ..model import Document, Entity, Evidence, Relation, Span
from .lexmatch import OrgMatch, is_name, match_org, org_key, title_of, title_sector
from .slots import (
    foreign_name,
    fused_title,
    leader_name,
    local_org,
    names_in,
    org_between,
    org_entity,
    org_slot,
    proper_noun,
    side_of,
    title_in,
)
from .words import Word, sentence_words

__all__ = ["PersonMention", "extract_people", "find_people"]

NAME = "people"


@dataclass(frozen=True)
class PersonMention:
    name: str
    span: Span  # the name
    title: str | None
    org: OrgMatch | None
    whole: Span  # name, organisation and title together
    short: bool = False  # "류 차관", "올트먼 CEO": a family name and title only


def _after_name(words: list[Word], k: int, lex: Lexicon, limit: int = 5) -> tuple[OrgMatch | None, str, int] | None:
    """What follows a name from word ``k``: [organisation] [qualifier] title -> (organisation, full title, index
    of the title word), or None when no title comes before a particle."""
    for j in range(k, min(k + limit, len(words))):
        closing = words[j - 1].trail == ")" and any(x.lead.startswith("(") for x in words[k : j - 1])
        if j > k and (words[j - 1].particle or (words[j - 1].trail and not closing)):
            return None
        title = title_in(words[j], lex)
        if not title:
            continue
        if words[k - 1].has_tag("ETM", "EC", "EF") and any(names_in(x, lex) for x in words[k:j]):
            return None  # "주최한 더불어민주당 윤영찬 의원": a verb form; the name is the one by the title
        local = local_org(words[k], title, lex) if j == k + 1 else None  # 오세훈 서울특별시 시장
        if local:
            return local, title, j
        borg, qualifier = org_between(_plain(words[k:j]), lex)
        if borg is None:
            borg, title = fused_title(title, words[j], lex)
        return borg, " ".join([*(x.text for x in qualifier), title]), j
    return None


def _plain(words: list[Word]) -> list[Word]:
    """The words between a name and its title without "당시" and bracketed asides: "허창수 당시
    전국경제인연합회(現 한경협) 회장" -> 전국경제인연합회."""
    out, inside = [], False
    for w in words:
        if w.lead.startswith("(") or w.text.startswith("("):
            inside = True
        if not inside and w.text not in ("당시", "現", "現在"):
            out.append(w)
        if inside and (")" in w.text or ")" in w.trail):
            inside = False
    return out or words


def _name_at(words: list[Word], k: int, lex: Lexicon) -> list[tuple[str, Span]]:
    """The names of word ``k``, also when Kiwi took its last syllable for a particle although a title follows
    ("백승은 기자": 백승 + 은?)."""
    w = words[k]
    if not w.particle:
        return names_in(w, lex)
    nxt = words[k + 1] if k + 1 < len(words) else None
    if nxt and w.particle in ("은", "는", "이", "가", "도", "랑", "과", "와", "만") and title_of(nxt.stem, lex):
        return names_in(w, lex)
    return []


def _stem_word(w: Word) -> Word:
    """A word as its stem alone: "이창양)는" -> "이창양"."""
    return Word(w.stem, w.start, w.start + len(w.stem), w.stem, "", w.lead, "", w.morphs, w.familiar)


def _title_end(word: Word, title: str) -> int:
    """Where the title in a word ends: "교수(한국게임학회장)" ends before its bracket."""
    last = title.split()[-1]
    return word.start + len(last) if word.stem.startswith(last) else word.start + len(word.stem)


def _concurrent(words: list[Word], j: int, name: str, span: Span, lex: Lexicon) -> list[PersonMention]:
    """"최상목 부총리 겸 기획재정부 장관": the post after 겸 is held too."""
    if j + 2 >= len(words) or not words[j + 1].text.startswith("겸") or words[j].particle or words[j].trail:
        return []
    found = _after_name(words, j + 2, lex, limit=4)
    if found is None:
        return []
    org, title, t = found
    return [PersonMention(name, span, title, org, Span(words[j + 2].start, _title_end(words[t], title)))]


def _name_list(words: list[Word], i: int, lex: Lexicon) -> int:
    """How many words from ``i`` are names each followed by a comma ("권성동, 윤후덕, 배준영, …")."""
    n = 0
    while i + n < len(words):
        w = words[i + n]
        if w.particle or w.trail != "," or not names_in(w, lex):
            break
        n += 1
    return n


def find_people(doc: Document, words: list[Word], lex: Lexicon) -> list[PersonMention]:
    out: list[PersonMention] = []
    i = 0
    steps = 0
    while i < len(words) and steps <= 4 * len(words):  # every branch moves on; the bound makes sure of it
        steps += 1
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        # short reference: 류 차관, 이 대표; a foreign family name: 올트먼 CEO
        family = (len(w.text) == 1 and w.text in lex.surnames) or (proper_noun(w, lex) and not is_name(w.text, lex))
        if nxt and not w.particle and not w.trail and title_of(nxt.stem, lex) and family:
            out.append(PersonMention(w.text, w.span, nxt.stem, None, Span(w.start, nxt.start + len(nxt.stem)),
                                     short=True))
            i += 2
            continue
        # a leader's government: 이재명 정부, 트럼프 행정부
        if nxt and not w.particle and not w.trail and nxt.stem in lex.regime_words and leader_name(w, lex):
            out.append(PersonMention(w.text, w.span, None, None, w.span))
            i += 2
            continue
        # a foreign name, given name first: 다니엘 리 삼성전자 글로벌 AI센터장, 그레그 브로크먼 회장
        n = foreign_name(words, i, lex)
        found = _after_name(words, i + n, lex, limit=4) if n and i + n < len(words) else None
        if n and found:
            org, title, j = found
            last = words[i + n - 1]
            name = f"{w.text} {last.stem}"
            name_span = Span(w.start, last.start + len(last.stem))
            out.append(PersonMention(name, name_span, title, org, Span(w.start, _title_end(words[j], title))))
            out.extend(_concurrent(words, j, name, name_span, lex))
            i = j + 1
            continue
        # organisation first: 과학기술정보통신부 류제명 제2차관 / KOSA 조준희 회장 / ▲SK온 지동섭 대표
        org = match_org(words, i, lex) if not w.particle else None
        post = title_in(words[i + 2], lex) if org is None and i + 2 < len(words) else None
        if post and nxt and not nxt.particle and names_in(nxt, lex):
            org = local_org(w, post, lex)  # 서울시 오세훈 시장, 경기도 김동연 지사
        if org is None and nxt and not nxt.particle and names_in(nxt, lex):
            org = org_slot(w, lex)
        k = i + org.n_words if org else i
        if org and k + 1 < len(words) and not words[k - 1].particle and words[k].lead.startswith("(") and (
                head := title_in(words[k], lex)) and (inner := names_in(_stem_word(words[k + 1]), lex)):
            # 산업통상자원부(장관 이창양)는: the head of the body, in brackets
            out.extend(PersonMention(name, sp, head, org, Span(org.start, sp.end)) for name, sp in inner)
            i = k + 2
            continue
        # "[서울=뉴시스] 황준선 기자": an outlet in brackets before its reporter ("[파이낸셜뉴스] 최상목 부총리": not)
        bracketed = bool(org and k > 0 and words[k - 1].trail.strip("·"))
        if org and k < len(words) and not words[k - 1].particle and (
                not bracketed or org.type == "MediaOutlet"):
            names = _name_at(words, k, lex)
            if names:
                for j in range(k + 1, min(k + 4, len(words))):
                    post = title_in(words[j], lex)
                    if bracketed and post and lex.titles.get(post) != "media":
                        i += 1
                        break
                    if post and all(not x.particle and not x.trail for x in words[k + 1 : j]):
                        qual = " ".join(x.text for x in words[k + 1 : j])
                        full = f"{qual} {post}".strip()
                        end = _title_end(words[j], post)
                        out.extend(PersonMention(name, sp, full, org, Span(org.start, end)) for name, sp in names)
                        for name, sp in names:
                            out.extend(_concurrent(words, j, name, sp, lex))
                        i = j + 1
                        break
                else:
                    i += 1
                continue
        # a list of names: "권성동, 윤후덕, 배준영 의원" (the title is every name's), "권성동, 윤후덕, 배준영, 강명구,"
        listed = _name_list(words, i, lex)
        after = words[i + listed] if i + listed < len(words) else None
        shared = _after_name(words, i + listed + 1, lex) if listed and after and names_in(after, lex) and not (
            after.trail) else None
        if shared or listed >= 3:
            list_org, list_title = (shared[0], shared[1]) if shared else (None, None)
            for x in words[i : i + listed]:
                out.extend(PersonMention(name, sp, list_title, list_org, sp) for name, sp in names_in(x, lex))
            i += listed
            continue
        # name first: 김성훈 업스테이지 대표 / 강경숙·김기현 의원 / 이복현 금융감독원장
        names = _name_at(words, i, lex) if not w.trail.strip("·") else []
        found = _after_name(words, i + 1, lex) if names else None
        if found:
            borg, post, j = found
            end = _title_end(words[j], post)
            out.extend(PersonMention(name, sp, post, borg, Span(w.start, end)) for name, sp in names)
            for name, sp in names:
                out.extend(_concurrent(words, j, name, sp, lex))
            i = j
        i += 1
    return out


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
            elif pm.title and lex.titles.get(pm.title.split()[-1]) == "media":
                org_k = outlet_key
            elif pm.title:
                home = _home_org(pm, words, lex) or _the_party(pm, doc, lex)
                if isinstance(home, OrgMatch):
                    entities.append(org_entity(home))
                    org_k = org_key(home.name)
                elif home is not None:
                    entities.append(home)
                    org_k = home.key
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


def _the_party(pm: PersonMention, doc: Document, lex: Lexicon) -> Entity | None:
    """The party of a party official the sentence names none for, when the article names one party only
    ("국민의힘 지도부가 … 이날 간담회에는 권영세 비상대책위원장과 권성동 원내대표 … 가 참석했다")."""
    if title_sector((pm.title or "").split()[-1], lex) != "party":
        return None
    parties = {e.name: e for e in _parties(lex.organizations) if any(n in doc.text for n in (e.name, *e.aliases))}
    if len(parties) != 1:
        return None
    (party,) = parties.values()
    return Entity(org_key(party.name), party.type, party.name, frozenset(), (), NAME)


@cache
def _parties(organizations: tuple[GazetteerEntry, ...]) -> tuple[GazetteerEntry, ...]:
    return tuple(e for e in organizations if e.type == "PoliticalParty")


def _home_org(pm: PersonMention, words: list[Word], lex: Lexicon) -> OrgMatch | Entity | None:
    """The organisation of a titled person the text names no organisation for: the body the sentence is about
    (``side_of``), else the body a title implies (의원 -> 국회)."""
    title = (pm.title or "").split()[-1]
    topic = side_of(title, pm.span.start, pm.whole.end, words, lex)
    if topic:
        return topic
    home = lex.gazetteer(lex.title_homes.get(title, ""))
    return Entity(org_key(home.name), home.type, home.name, frozenset(), (), NAME) if home else None


def resolve_short(surname: str, title: str | None, known: dict[str, tuple[str | None, str | None]]) -> str | None:
    """'류 차관' -> 류제명, '올트먼 CEO' -> 샘 올트먼, when exactly one known person fits by family name (and title, if
    several do)."""
    if len(surname) == 1:
        cands = [n for n in known if n.startswith(surname) and len(n) > len(surname) and " " not in n]
    else:
        cands = [n for n in known if " " in n and n.rsplit(" ", 1)[1] == surname]
    if len(cands) > 1 and title:
        core = norm_key(title)
        fitting = [n for n in cands if known[n][0] and (norm_key(known[n][0] or "").endswith(core)
                                                         or core.endswith(norm_key(known[n][0] or "")))]
        cands = fitting or cands
    return cands[0] if len(cands) == 1 else None
