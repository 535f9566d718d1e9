"""Who speaks where in an article: quote speakers, government people and bodies, meeting participants,
and the subject of a sentence. Used by ``demands`` to attribute what is asked."""

from __future__ import annotations

from ..lexicon import Lexicon
from ..model import Document, Sentence
from .lexmatch import title_of, title_sector
from .words import Word, sentence_words

__all__ = ["Speakers"]

_GOV_TYPES: tuple[str, ...] = ("GovernmentAgency",)
_GOV_SECTORS: tuple[str, ...] = ("gov",)
_SPEAKERS = ("Person", "Organization", "Company", "Association", "ResearchInstitute", "University",
             "GovernmentAgency", "Legislature", "PoliticalParty")
_INDUSTRY = ("Person", "Company", "Association", "ResearchInstitute", "University")
_SUBJECT_PARTICLES = ("은", "는", "이", "가", "도", "께서")


class Speakers:
    """Who is speaking where: quote speakers, government people and bodies, and meeting participants."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.types = {e.key: e.type for e in doc.entities}
        stated = {r.object: r.subject for r in doc.relations if r.predicate == "stated"}
        self.quotes = [(e.spans[0], stated[e.key]) for e in doc.entities if e.type == "Quote" and e.key in stated]
        self.quote_spans = [span for e in doc.entities if e.type == "Quote" for span in e.spans]
        self.gov = self._side(doc, lex, _GOV_TYPES, _GOV_SECTORS)
        # lawmakers and parties may ask the government for something, but they do not stand among "the
        # participants" who ask collectively: they hear, like the ministries
        self.public = self._side(doc, lex, (*_GOV_TYPES, "Legislature", "PoliticalParty"),
                                 (*_GOV_SECTORS, "legis", "party"))
        self.attendees: dict[str, list[str]] = {}
        self.hosts: dict[str, list[str]] = {}  # non-government hosts: they ask when no guest can
        hosts = {(r.subject, r.object) for r in doc.relations if r.predicate == "organizer"}
        for r in doc.relations:  # the hosts hear the demands; the guests make them
            if r.predicate != "attended" or r.subject in self.public:
                continue
            side = self.hosts if (r.subject, r.object) in hosts else self.attendees
            if r.subject not in side.get(r.object, []):
                side.setdefault(r.object, []).append(r.subject)
        self.mentions = sorted((s.start, s.end, e.key) for e in doc.entities if e.type in _SPEAKERS for s in e.spans)

    def _side(self, doc: Document, lex: Lexicon, types: tuple[str, ...], sectors: tuple[str, ...]) -> set[str]:
        """The bodies of ``types`` and the people affiliated with them or titled in ``sectors``."""
        keys = {k for k, t in self.types.items() if t in types}
        affiliated = {r.subject for r in doc.relations if r.predicate == "affiliation"}
        for r in doc.relations:
            if r.predicate == "affiliation" and r.object in keys:
                keys.add(r.subject)
            if r.predicate == "jobTitle" and r.subject not in affiliated and title_sector(r.object, lex) in sectors:
                keys.add(r.subject)
        return keys

    def _body_word(self, w: Word, lex: Lexicon) -> bool:
        """A collective or a body that acts ("업계에서도 … 촉구했다", "삼성전자에서는 …")."""
        if any(w.stem.endswith(c.replace(" ", "")) or w.stem.endswith(c.split()[-1]) for c in lex.collective):
            return True
        return any(start <= w.start < end and self.types.get(key) not in ("Person", None)
                   for start, end, key in self.mentions)

    def quote_speaker(self, pos: int) -> str | None:
        return next((sp for span, sp in self.quotes if span.start <= pos < span.end), None)

    def in_quote(self, pos: int) -> bool:
        return any(span.start <= pos < span.end for span in self.quote_spans)

    def collective(self, meeting: str | None, listed: tuple[int, int] | None = None) -> list[str]:
        """The participants a collective subject stands for: the organisations, else the people. Those the
        sentence lists before it (``listed``: a span), when it lists some: "▲A ▲B 등 기업 대표들이 … 촉구"."""
        if meeting and meeting in self.attendees:
            keys = self.attendees[meeting]
        else:
            keys = list(dict.fromkeys(k for keys in self.attendees.values() for k in keys))
        if not keys and meeting:  # an industry body that hosted the minister asks on its own behalf
            keys = [k for k in self.hosts.get(meeting, []) if self.types.get(k) in _INDUSTRY]
        if listed:
            named = [k for start, _end, k in self.mentions if listed[0] <= start < listed[1] and k in keys]
            keys = list(dict.fromkeys(named)) or keys
        orgs = [k for k in keys if self.types.get(k) != "Person"]
        return orgs or keys

    def next_speaker(self, doc: Document, sent: Sentence, lex: Lexicon) -> list[str] | None:
        """The named person who is the subject of the sentence after ``sent``, if one is."""
        i = doc.sentences.index(sent)
        nxt = doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None
        if nxt is None or nxt.kind != "body":
            return None
        words = sentence_words(doc, nxt)
        found = self.subject(nxt, words, len(words), lex)
        if isinstance(found, list) and all(self.types.get(k) == "Person" and k not in self.gov for k in found):
            return found
        return None

    def subject(self, sent: Sentence, words: list[Word], until: int, lex: Lexicon) -> list[str] | str | None:
        """The subject of the sentence before word ``until``: entity keys, "collective", or None. Of several
        topics ("A 회장은 …고, B 회장은 … 필요하다는"), the last one before what is asked."""
        marked = [w for n, w in enumerate(words[:until]) if w.particle in _SUBJECT_PARTICLES
                  or w.particle.startswith("들") or (not w.particle and n + 1 < len(words)
                                                     and words[n + 1].text in ("역시", "또한"))
                  or (w.particle in ("에서", "에서도", "에서는") and self._body_word(w, lex))]
        topics = [w for w in marked if w.particle in ("은", "는", "께서는")]
        ordered = [topics[-1]] + [w for w in marked if w is not topics[-1]] if len(topics) > 1 else marked
        for w in ordered:
            stem = w.stem
            if any(stem.endswith(c.replace(" ", "")) or stem.endswith(c.split()[-1]) for c in lex.collective):
                return "collective"
            if stem.endswith("들") and title_of(stem[:-1], lex):
                return "collective"  # 은행장들은, 대표이사들은: everyone of that title
            if stem in ("그", "그녀"):
                before = [m for m in self.mentions if m[1] <= w.start and self.types[m[2]] == "Person"]
                return [before[-1][2]] if before else None
            near = [m for m in self.mentions if sent.span.start <= m[0] <= w.start and w.start - m[0] < 40]
            if near:
                persons = [m for m in near if self.types[m[2]] == "Person"]
                pick = (persons or near)[-1] if len(topics) > 1 else (persons or near)[0]
                return [pick[2]]
        return None
