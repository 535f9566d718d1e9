"""Eojeol (space-separated word) view of a sentence, with Kiwi's particles split off.

Korean rules read best at the eojeol level: "류제명 과기정통부 제2차관은" is three words, the last one
carrying the topic particle 은. Each ``Word`` keeps its offsets in the cleaned text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..model import Document, Sentence, Span

__all__ = ["Word", "sentence_words", "strip_particle"]

_WORD = re.compile(r"[^\s=…]+")  # "사진=뉴시스" and "절실…클라우드" are two words each
_LEAD_PUNCT = "▲△■□◆◇○●-–—*•·,\"'“”‘’「」『』<>《》〈〉[](){}①②③④⑤⑥⑦⑧⑨⑩"
_TRAIL_PUNCT = ".,;:!?\"'“”‘’」』>》〉)]}…"
_PARTICLES = ("으로부터", "에게서", "으로서", "으로써", "에서는", "에서도", "에서의", "에게는", "까지는", "부터는",
              "이라며", "이라고", "라며", "라고", "과는", "와는", "에는", "에도", "에서", "에게", "으로", "까지",
              "부터", "처럼", "보다", "마다", "마저", "조차", "이나", "이며", "이다",
              "과", "와", "은", "는", "이", "가",
              "을", "를", "의", "에", "로", "도", "만", "나", "랑")
_PARTICLE_SET = frozenset(_PARTICLES) | {"께서", "에서만", "으로는", "로는", "과도", "와도", "이라는", "라는",
                                         "이란", "란",
                                         "에서부터", "과의", "와의", "에의", "으로의", "로의", "보다는", "이나마"}


# Kiwi scores a noun it has seen often above this; names it has never met (레이니스트, 엔켐) score -15 to -30
_FAMILIAR = -12.0


@dataclass(frozen=True)
class Word:
    text: str  # surface with leading/trailing punctuation removed
    start: int
    end: int
    stem: str  # surface minus a trailing particle (Kiwi's J* tags)
    particle: str
    lead: str  # punctuation that stood before it (▲, quotes)
    trail: str  # punctuation that stood after it (commas, closing quotes)
    morphs: tuple[tuple[str, str], ...] = ()  # Kiwi's (form, tag) pairs inside the word
    familiar: bool = False  # Kiwi knows every noun in it well (a common word, not a new name)

    def has_tag(self, *prefixes: str) -> bool:
        return any(tag.startswith(prefixes) for _form, tag in self.morphs)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def stem_span(self) -> Span:
        return Span(self.start, self.start + len(self.stem))


def _open_brackets(text: str) -> bool:
    return text.count("(") > text.count(")") or text.count("[") > text.count("]")


def strip_particle(word: str) -> tuple[str, str]:
    """A word without its trailing particle, by the longest listed particle (no Kiwi)."""
    for p in _PARTICLES:
        if word.endswith(p) and len(word) > len(p) + 1:
            return word[: -len(p)], p
    return word, ""


def _pieces(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The raw words between ``start`` and ``end``; a parenthesis opened inside a word and closed in a later
    one starts a word of its own: "포럼(대표의원 이인선)은" -> "포럼", "(대표의원", "이인선)은"; so does a word
    glued to a closing bracket: "뉴시스]유희석" -> "뉴시스]", "유희석"."""
    out = []
    for m in _WORD.finditer(text, start, end):
        raw, pos = m.group(0), m.start()
        cut = raw.find("(")
        if cut > 0 and ")" not in raw[cut:]:
            out.append((raw[:cut], pos))
            raw, pos = raw[cut:], pos + cut
        close = raw.find("]")
        if 0 < close < len(raw) - 1 and "[" not in raw[:close] and raw[close + 1].isalnum():
            out.append((raw[: close + 1], pos))  # "[서울=뉴시스]유희석": a bracket closed against the next word
            raw, pos = raw[close + 1 :], pos + close + 1
        out.append((raw, pos))
    return out


_MADE: dict[tuple[str, int, int], tuple[Word, ...]] = {}
_KEEP = 2048  # sentences remembered: a few articles' worth


def sentence_words(doc: Document, sent: Sentence) -> list[Word]:
    """The words of a sentence (each extractor asks for them; they are made once per sentence). Remembered by
    the text and the sentence's offsets: hashing the sentence itself (every token) would cost more than the
    words."""
    key = (doc.text, sent.span.start, sent.span.end)
    words = _MADE.get(key)
    if words is None:
        if len(_MADE) >= _KEEP:
            _MADE.clear()
        words = _MADE[key] = _sentence_words(doc.text, sent)
    return list(words)


def _sentence_words(text: str, sent: Sentence) -> tuple[Word, ...]:
    words: list[Word] = []
    particle_starts = {t.start for t in sent.tokens if t.tag.startswith("J")}
    token_tags = {t.start: t.tag for t in sent.tokens}
    tokens = sorted(sent.tokens, key=lambda t: t.start)
    starts = [t.start for t in tokens]
    for raw, raw_start in _pieces(text, sent.span.start, sent.span.end):
        lead_n = len(raw) - len(raw.lstrip(_LEAD_PUNCT))
        core = raw[lead_n:]
        trail_n = len(core) - len(core.rstrip(_TRAIL_PUNCT))
        # 인공지능(AI) keeps its closing bracket: only an unbalanced one is punctuation after the word
        while trail_n and core[len(core) - trail_n] in ")]" and _open_brackets(core[: len(core) - trail_n]):
            trail_n -= 1
        core = core[: len(core) - trail_n] if trail_n else core
        if not core:
            continue
        start = raw_start + lead_n
        end = start + len(core)
        cut = len(core)
        # Kiwi: the first particle token that runs to the end of the word (after any inner punctuation)
        for off in range(1, len(core)):
            if start + off in particle_starts and token_tags.get(start + off, "").startswith("J"):
                rest = core[off:]
                if rest in _PARTICLE_SET:
                    cut = off
                    break
        stem, particle = core[:cut], core[cut:]
        if particle and stem.endswith(")") and "(" not in stem:  # 조승래)은: the end of a parenthesis
            stem = stem[:-1]
        inside = tokens[bisect_left(starts, start) : bisect_left(starts, end)]
        morphs = tuple((t.form, t.tag) for t in inside)
        familiar = bool(inside) and all(t.score > _FAMILIAR for t in inside if t.tag.startswith("NN"))
        words.append(Word(core, start, end, stem, particle, raw[:lead_n], raw[len(raw) - trail_n :] if trail_n else "",
                          morphs, familiar))
    return tuple(words)
