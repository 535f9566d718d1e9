"""Korean analysis behind one seam: the only module that imports kiwipiepy.

``analyze(doc)`` returns a new Document with sentences and tokens whose offsets point into the cleaned
text. Kiwi is loaded once per process, with a user lexicon built from the gazetteer so that names such
as 네이버클라우드 stay whole.
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import Any

from .lexicon import load_lexicon
from .model import Document, Sentence, Span, Token

__all__ = ["analyze", "common_noun", "get_kiwi", "tokenize"]

_LOCK = threading.Lock()


@cache
def get_kiwi() -> Any:
    """The process-wide Kiwi analyser with kg's user lexicon (loaded on first use)."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    lex = load_lexicon()
    words = {name for e in lex.organizations for name in (e.name, *e.aliases) if " " not in name}
    for word in sorted(words):
        if len(word) >= 2:
            kiwi.add_user_word(word, "NNP", 0.0)
    return kiwi


def _tokens(raw: Any, offset: int) -> tuple[Token, ...]:
    return tuple(Token(t.form, t.tag, offset + t.start, offset + t.start + t.len, float(t.score)) for t in raw)


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """Morphemes of ``text`` with offsets shifted by ``offset``."""
    with _LOCK:
        raw = get_kiwi().tokenize(text)
    return _tokens(raw, offset)


# Kiwi scores a common noun it knows at -13 or better on its own; a name it has never met at -15 to -30
_COMMON = -14.0


@lru_cache(maxsize=65536)
def common_noun(word: str) -> bool:
    """Kiwi reads ``word`` on its own as one common noun it knows (배터리, 전문가), not as a name (류제명)."""
    tokens = tokenize(word)
    return len(tokens) == 1 and tokens[0].tag == "NNG" and tokens[0].score > _COMMON


def analyze(doc: Document) -> Document:
    """Split every section of the document into sentences and tokens."""
    kiwi = get_kiwi()
    sentences: list[Sentence] = []
    for section in doc.sections:
        text = section.span.text(doc.text)
        base = section.span.start
        with _LOCK:
            raw_sents = kiwi.split_into_sents(text, return_tokens=True)
        for sent in raw_sents:
            tokens = _tokens(sent.tokens, base)
            start = base + sent.start
            for end in [*_glued_ends(doc.text, start, base + sent.end), base + sent.end]:
                if end > start:
                    sentences.append(Sentence(Span(start, end), tuple(t for t in tokens if start <= t.start < end),
                                              section.kind))
                start = end
    return doc.replace(sentences=tuple(sentences))


# "…참석했다.AI기본법 …": a sentence end glued to the next sentence when a scraper dropped the line break
_GLUED_END = re.compile(r"[다요]\.(?=[가-힣A-Za-z‘“'\"])")


def _glued_ends(text: str, start: int, end: int) -> list[int]:
    return [m.end() for m in _GLUED_END.finditer(text, start, end)]
