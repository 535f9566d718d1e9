"""Language knowledge as data: the files beside this module, loaded once.

Each file says where it came from in its header comments. A linguist extends kg by editing them; no
Python changes are needed. ``load_lexicon()`` reads them all and caches the result.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ..errors import ConfigError

__all__ = ["GazetteerEntry", "Lexicon", "NameKey", "lexicon_files", "load_lexicon", "name_key", "norm_key",
           "similar_keys", "similar_names"]

_KEY_PUNCT = re.compile(r"[\s·ㆍ・.,'\"‘’“”`()\[\]{}<>《》〈〉「」『』\-_/|:;!?~]+")


@lru_cache(maxsize=65536)
def norm_key(name: str) -> str:
    """The matching key of a name: NFKC, lower case, no spaces or punctuation."""
    key = unicodedata.normalize("NFKC", name).lower().replace("(주)", "").replace("㈜", "")
    return _KEY_PUNCT.sub("", key)


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similar_names(a: str, b: str) -> bool:
    """Two names of the same meeting or policy: one contains the other (4+ characters), or character-bigram
    Dice >= 0.5, compared by ``norm_key``."""
    return similar_keys(name_key(a), name_key(b))


NameKey = tuple[str, frozenset[str]]


def name_key(name: str) -> NameKey:
    """What ``similar_keys`` compares of a name (made once for a name compared with many)."""
    key = norm_key(name)
    return key, frozenset(_bigrams(key))


def similar_keys(a: NameKey, b: NameKey) -> bool:
    """``similar_names`` of two names' ``name_key``."""
    (ka, x), (kb, y) = a, b
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 4 and short in long_:
        return True
    return bool(ka and kb) and 2 * len(x & y) / (len(x) + len(y)) >= 0.5


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    titles: dict[str, str]
    title_homes: dict[str, str]  # title -> organisation it implies ("의원" -> "국회")
    title_suffixes: tuple[tuple[str, str], ...]  # longest first
    surnames: frozenset[str]
    given_names: frozenset[str]  # foreign given names written first: 마크 (베니오프), 리사 (수)
    org_suffixes: tuple[tuple[str, str, str], ...]  # (suffix, class, scope), longest first
    body_words: dict[str, tuple[str, bool]]  # 포럼, TF -> (class, also an event word?)
    body_generic: frozenset[str]  # 민관 (협의회), 실무 (TF): modifiers that leave a body unnamed
    organizations: tuple[GazetteerEntry, ...]
    org_index: dict[str, GazetteerEntry]  # norm_key of every name and alias -> entry
    name_variants: tuple[tuple[str, str], ...]  # (variant key, canonical key), longest first
    places: dict[str, str]
    tech_terms: frozenset[str]  # AI, GPU, 클라우드: never an organisation on their own
    venue_suffixes: tuple[str, ...]
    meeting_words: dict[str, float]  # longest first
    event_verbs: dict[str, str]
    speech_verbs: tuple[str, ...]  # 말했, 강조했: the subject spoke
    meeting_verbs: dict[str, str]  # 만나 -> 면담: a verb that reports a meeting, and the noun it is called by
    regime_words: frozenset[str]  # 이재명 정부, 트럼프 행정부: the name before is a person
    series_words: frozenset[str]  # "간담회의 일환": the meeting word names a series
    demand_verbs: dict[str, tuple[str, str]]  # stem -> (speech act, CAMEO code)
    need_words: dict[str, str]  # "필요" -> speech act
    request_endings: tuple[tuple[str, str], ...]  # ("달라", "appeal"), longest first
    adverbs: frozenset[str]
    generic_nouns: frozenset[str]  # never a policy on their own
    head_nouns: frozenset[str]  # 정책, 대책: a policy only with what it is about (혁신성장 정책)
    effort_nouns: frozenset[str]  # 힘을 쏟아 달라: the 에-phrase before is what is asked
    light_nouns: frozenset[str]  # 확보가 동반돼야: the subject is what is asked
    voiced_nouns: frozenset[str]  # 의견, 목소리: "A, B 등 다양한 의견이 개진됐다"
    voicing_verbs: tuple[str, ...]  # 나왔, 개진: what says it was said
    received_verbs: tuple[str, ...]  # 받, 경청: "사면 건의를 받고"
    stress_words: tuple[str, ...]  # 강조, 있다: "X 필요성을 강조했다"
    problem_nouns: frozenset[str]  # 부담, 애로: complained of, not asked for
    action_nouns: tuple[str, ...]  # 지원, 완화: a noun that names a policy action
    visit_verbs: tuple[str, ...]  # 방문, 찾아: "X를 방문해"
    place_kinds: tuple[str, ...]  # 지역, 기업: visited, never a venue
    place_fields: tuple[str, ...]  # 분야, 업계: before 에서, never a venue
    meeting_kinds: frozenset[str]  # 업계, 현장: in a meeting's name, say what kind of meeting, not which
    verb_nouns: dict[str, str]  # 늘리 -> 확대: the verbal noun that names a native verb's change
    result_nouns: dict[str, str]  # 바꾸 -> 전환: the noun when the verb has a result ("X를 Y로 바꿔")
    boundary_nouns: frozenset[str]  # …할 경우, …할 때: a clause ends there
    collective: tuple[str, ...]  # longest first
    ordinal_counters: tuple[str, ...]  # 차, 회, 번째: "제3차 전략대화"
    ordinal_words: dict[str, int]  # 첫 -> 1, 두 -> 2: "두 번째 간담회"
    # (서울특별시, (서울, 서울시), (시장, …)): a government, its names, the posts of its heads
    local_governments: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    former_words: dict[str, str]  # 전 -> after ("(전 LG AI연구원장)"), 출신 -> before ("… 출신인 배경훈")
    noise: tuple[tuple[re.Pattern[str], str], ...]

    def gazetteer(self, name: str) -> GazetteerEntry | None:
        return self.org_index.get(norm_key(name))

    def outlet_for_domain(self, domain: str) -> GazetteerEntry | None:
        domain = domain.lower()
        for entry in self.organizations:
            if any(domain == d or domain.endswith("." + d) for d in entry.domains):
                return entry
        return None


def lexicon_files() -> list[tuple[str, bytes]]:
    """Every data file of the lexicon (name, content), by name: what a linguist edits."""
    files = resources.files(__package__)
    return sorted((f.name, f.read_bytes()) for f in files.iterdir() if f.name.endswith((".tsv", ".txt")))


def _rows(name: str, min_cols: int = 1) -> list[list[str]]:
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise ConfigError(f"lexicon file {name} cannot be read: {exc}") from exc
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < min_cols or not cols[0].strip():
            raise ConfigError(f"lexicon file {name}, line {lineno}: expected {min_cols} tab-separated columns")
        rows.append([c.strip() for c in cols])
    return rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


@cache
def load_lexicon() -> Lexicon:
    orgs = []
    index: dict[str, GazetteerEntry] = {}
    for cols in _rows("organizations.tsv", 2):
        cols += [""] * (4 - len(cols))
        entry = GazetteerEntry(cols[0], cols[1], _split(cols[2]), _split(cols[3]))
        orgs.append(entry)
        for alias in (entry.name, *entry.aliases):
            index.setdefault(norm_key(alias), entry)
    request: dict[str, list[list[str]]] = {"need": [], "ending": [], "adverb": [], "generic": [], "head": [],
                                        "effort": [], "boundary": [], "light": [], "voiced": [], "voicing": [],
                                        "received": [], "stress": [], "problem": [],
                                        "action": []}
    for cols in _rows("request_words.tsv", 2):
        if cols[1] not in request:
            raise ConfigError(f"request_words.tsv: {cols[0]!r} has unknown role {cols[1]!r} "
                              f"(known: {', '.join(request)})")
        if cols[1] in ("need", "ending") and len(cols) < 3:
            raise ConfigError(f"request_words.tsv: {cols[0]!r} needs a speech act in its third column")
        request[cols[1]].append(cols)
    noise = []
    for cols in _rows("noise.tsv", 2):
        try:
            noise.append((re.compile(cols[0]), cols[1]))
        except re.error as exc:
            raise ConfigError(f"noise.tsv: bad pattern {cols[0]!r}: {exc}") from exc
    return Lexicon(
        titles={c[0]: c[1] for c in _rows("titles.tsv", 2)},
        title_homes={c[0]: c[2] for c in _rows("titles.tsv", 2) if len(c) > 2 and c[2]},
        title_suffixes=tuple(sorted(((c[0], c[1]) for c in _rows("title_suffixes.tsv", 2)),
                                    key=lambda x: -len(x[0]))),
        surnames=frozenset(c[0] for c in _rows("surnames.txt")),
        given_names=frozenset(c[0] for c in _rows("given_names.txt")),
        org_suffixes=tuple(sorted(((c[0], c[1], c[2]) for c in _rows("org_suffixes.tsv", 3)),
                                  key=lambda x: -len(x[0]))),
        body_words={c[0]: (c[1], len(c) > 2 and c[2] == "event") for c in _rows("body_words.tsv", 2)
                    if c[1] != "generic"},
        body_generic=frozenset(c[0] for c in _rows("body_words.tsv", 2) if c[1] == "generic"),
        organizations=tuple(orgs),
        org_index=index,
        name_variants=tuple(sorted(((norm_key(c[0]), norm_key(c[1])) for c in _rows("name_variants.tsv", 2)),
                                   key=lambda x: -len(x[0]))),
        places={c[0]: c[1] for c in _rows("places.tsv", 2)},
        tech_terms=frozenset(c[0] for c in _rows("tech_terms.txt")),
        venue_suffixes=tuple(sorted((c[0] for c in _rows("venue_suffixes.txt")), key=len, reverse=True)),
        meeting_words={c[0]: float(c[1]) for c in sorted(_rows("meeting_words.tsv", 2), key=lambda c: -len(c[0]))},
        event_verbs={c[0]: c[1] for c in _rows("event_verbs.tsv", 2)},
        meeting_verbs={c[0]: c[1] for c in _rows("meeting_verbs.tsv", 2)},
        speech_verbs=tuple(c[0] for c in _rows("speech_verbs.txt")),
        regime_words=frozenset(c[0] for c in _rows("regime_words.txt")),
        series_words=frozenset(c[0] for c in _rows("series_words.txt")),
        demand_verbs={c[0]: (c[1], c[2]) for c in _rows("demand_verbs.tsv", 3)},
        need_words={c[0]: c[2] for c in request["need"]},
        request_endings=tuple(sorted(((c[0], c[2]) for c in request["ending"]), key=lambda x: -len(x[0]))),
        adverbs=frozenset(c[0] for c in request["adverb"]),
        generic_nouns=frozenset(c[0] for c in request["generic"]),
        head_nouns=frozenset(c[0] for c in request["head"]),
        effort_nouns=frozenset(c[0] for c in request["effort"]),
        light_nouns=frozenset(c[0] for c in request["light"]),
        voiced_nouns=frozenset(c[0] for c in request["voiced"]),
        voicing_verbs=tuple(c[0] for c in request["voicing"]),
        received_verbs=tuple(c[0] for c in request["received"]),
        stress_words=tuple(c[0] for c in request["stress"]),
        problem_nouns=frozenset(c[0] for c in request["problem"]),
        action_nouns=tuple(c[0] for c in request["action"]),
        visit_verbs=tuple(c[0] for c in _rows("place_words.tsv", 2) if c[1] == "visit"),
        place_kinds=tuple(c[0] for c in _rows("place_words.tsv", 2) if c[1] == "kind"),
        place_fields=tuple(c[0] for c in _rows("place_words.tsv", 2) if c[1] == "field"),
        meeting_kinds=frozenset(c[0] for c in _rows("meeting_kinds.txt")),
        verb_nouns={c[0]: c[1] for c in _rows("verb_nouns.tsv", 2)},
        result_nouns={c[0]: c[2] for c in _rows("verb_nouns.tsv", 2) if len(c) > 2 and c[2]},
        boundary_nouns=frozenset(c[0] for c in request["boundary"]),
        collective=tuple(sorted((c[0] for c in _rows("collective.txt")), key=len, reverse=True)),
        noise=tuple(noise),
        ordinal_counters=tuple(c[0] for c in _rows("ordinals.tsv", 2) if c[1] == "counter"),
        ordinal_words={c[0]: int(c[2]) for c in _rows("ordinals.tsv", 2) if c[1] == "number" and len(c) > 2},
        former_words={c[0]: c[1] for c in _rows("former_words.tsv", 2)},
        local_governments=tuple((c[0], _split(c[1]), tuple(sorted(_split(c[2]), key=len, reverse=True)))
                                for c in _rows("local_governments.tsv", 3)),
    )
