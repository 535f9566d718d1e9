"""From scraped text to the cleaned article: site furniture out, captions apart, repeats removed.

The cleaned text is built line by line; every line becomes a ``Section`` whose kind says what it is
(title, byline, caption, body), so extractors can treat captions as naming people but not as prose.
"""

from __future__ import annotations

import re
import unicodedata

from ..lexicon import Lexicon, load_lexicon
from ..model import ArticleMeta, Document, Section, Span, content_hash
from .meta import find_meta
from .readers import RawArticle

__all__ = ["clean_article", "clean_lines", "remove_long_repeats"]

_IMAGE_MD = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_LINK_MD = re.compile(r"\[(?P<alt>[^\]]*)\]\((?:https?:)?//[^)]*\)")
_CAPTION_MARK = re.compile(r"(?:\(|\[|/|\s)\s*(?:사진|자료|출처|그래픽|사진제공)\s*[=:]\s*"
                           r"[^)\]\n]{0,40}?(?:\)|\]|제공|DB|$)")
_CAPTION_CREDIT = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s+[\w.+-]+@[\w-]+\.[\w.]+\s*$")
_BYLINE_BRACKET = re.compile(r"[\[(](?!사진)[^\])\n=]{1,30}(?:=[^\])\n=]{1,20})?(?:기자|특파원)\s*[\])]\s*(?:=\s*)?|"
                             r"[\[(][^\])\n]{1,15}=[^\])\n]{1,15}[\])]\s*[가-힣]{2,4}\s*(?:기자|특파원)\s*=\s*")
_BYLINE_LINE = re.compile(r"(?:\S+\s+)?[가-힣]{2,4}\s*(?:기자|특파원|전문기자|선임기자)"
                          r"(?:\s+[\w.+-]+@[\w.-]+|\s+\d{4}[.\-/]\s?\d{1,2}[.\-/]\s?\d{1,2}.*)?")
_HEADLINE_BREAK = re.compile(r"(?<=[가-힣])(?=[A-Z]{2,}(?![a-z]))")
_SENT_END = re.compile(r"(?<=[다요죠음함됨임까])[.?!](?=[^.]|$)|(?<=[.?!][”\"'’])(?=\s)")
_REPEAT_GRAM = 60
_REPEAT_MIN = 160


def _may_repeat(text: str) -> bool:
    """Whether some stretch of ``_REPEAT_MIN`` characters may repeat earlier text: its later copy holds one of
    the grams that start every ``_REPEAT_MIN - _REPEAT_GRAM`` characters, whole, and that gram is found earlier.
    Most articles repeat nothing, and this asks a few dozen ``str.find`` instead of a slice at every character."""
    step = _REPEAT_MIN - _REPEAT_GRAM
    for pos in range(step, len(text) - _REPEAT_GRAM + 1, step):
        if text.find(text[pos : pos + _REPEAT_GRAM], 0, pos) >= 0:  # whole before it, as the copy must be
            return True
    return False


def remove_long_repeats(text: str) -> str:
    """Drop every stretch of at least ``_REPEAT_MIN`` characters that repeats earlier text verbatim."""
    return _remove_repeats(text) if _may_repeat(text) else text


def _remove_repeats(text: str) -> str:
    changed = True
    while changed:
        changed = False
        first: dict[str, int] = {}
        pos = 0
        while pos + _REPEAT_GRAM <= len(text):
            gram = text[pos : pos + _REPEAT_GRAM]
            earlier = first.get(gram)
            if earlier is not None and earlier + _REPEAT_GRAM <= pos:
                length = _REPEAT_GRAM
                while (pos + length < len(text) and earlier + length < pos
                       and text[earlier + length] == text[pos + length]):
                    length += 1
                if length >= _REPEAT_MIN:
                    text = text[:pos] + text[pos + length :]
                    changed = True
                    break
            first.setdefault(gram, pos)
            pos += 1
    return text


def _split_captions(line: str) -> list[tuple[str, str]]:
    """Split a line at inline photo captions: '...발언하고 있다. (사진=김아름 기자)본문...'."""
    out: list[tuple[str, str]] = []
    rest = line
    while True:
        m = _CAPTION_MARK.search(rest)
        if not m:
            break
        before, after = rest[: m.start()], rest[m.end() :]
        # the caption is the last sentence before the mark
        ends = [e.end() for e in _SENT_END.finditer(before.rstrip()) if e.end() < len(before.rstrip()) - 1]
        cut = ends[-1] if ends else 0
        if before[:cut].strip():
            out.append((before[:cut].strip(), "body"))
        caption = (before[cut:].strip() + " " + m.group(0).strip()).strip()
        out.append((caption, "caption"))
        rest = after
    if rest.strip():
        out.append((rest.strip(), "body"))
    return out


def _is_noise(line: str, lex: Lexicon) -> bool:
    return any(pattern.search(line) if how == "search" else pattern.fullmatch(line) for pattern, how in lex.noise)


def clean_lines(raw: str, lex: Lexicon) -> list[tuple[str, str]]:
    """The article as (line, kind) pairs, furniture removed."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = _IMAGE_MD.sub(lambda m: "\n" + m.group("alt") + "\n", text)
    text = _LINK_MD.sub(lambda m: m.group("alt"), text)
    text = remove_long_repeats(text)
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    body_started = False
    for raw_line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", raw_line).strip()
        if not line or _is_noise(line, lex):
            continue
        pieces: list[tuple[str, str]] = []
        m = _BYLINE_BRACKET.search(line)
        if m:
            if line[: m.start()].strip():
                pieces.append((line[: m.start()].strip(), "title"))
            pieces.append((m.group(0).strip(), "byline"))
            line = line[m.end() :].strip()
        if _CAPTION_CREDIT.search(line) or re.search(r"^\s*\(?사진\s*[=:]", line):
            pieces.append((line, "caption"))
        elif line:
            pieces.extend(_split_captions(line))
        for piece, kind in pieces:
            key = re.sub(r"\W+", "", piece)
            if len(key) >= 12 and key in seen:
                continue
            seen.add(key)
            if kind == "body":
                is_sentence = bool(re.search(r"다\s*[.”\"']|요\s*\.|[.?!]\s*$", piece)) or len(piece) > 120
                if _BYLINE_LINE.fullmatch(piece):
                    kind = "byline"
                elif not body_started and not is_sentence:
                    kind = "title"
                else:
                    body_started = body_started or is_sentence
            if kind == "title":
                lines.extend((part, kind) for part in _break_headline(piece, lex))
            else:
                lines.append((piece, kind))
    return lines


def _break_headline(title: str, lex: Lexicon) -> list[str]:
    """Headlines scraped without separators ('…방안 논의AI 기본법 … 유예 요구GPU…') split where a
    headline-final word (an asking or event verb, or 까지) runs into a Latin acronym."""
    enders = tuple(lex.demand_verbs) + tuple(lex.event_verbs) + ("까지", "논의")
    parts, start = [], 0
    for m in _HEADLINE_BREAK.finditer(title):
        word = re.split(r"\s", title[start : m.start()])[-1]
        if word.endswith(enders):
            parts.append(title[start : m.start()].strip())
            start = m.start()
    parts.append(title[start:].strip())
    return [p for p in parts if p]


def clean_article(raw: RawArticle, lex: Lexicon | None = None) -> Document:
    """Turn a raw article into a Document: cleaned text, sections and metadata (no analysis yet)."""
    lex = lex or load_lexicon()
    lines = clean_lines(raw.text, lex)
    parts: list[str] = []
    sections: list[Section] = []
    pos = 0
    for line, kind in lines:
        sections.append(Section(Span(pos, pos + len(line)), kind))
        parts.append(line)
        pos += len(line) + 1
    text = "\n".join(parts)
    found = find_meta(raw.text, lex, raw.url)
    outlet = raw.outlet
    if outlet:
        entry = lex.gazetteer(outlet)
        outlet = entry.name if entry else outlet
    else:
        outlet = found.outlet
    in_text = False
    if outlet:
        entry = lex.gazetteer(outlet)
        domains = entry.domains if entry else ()
        # named in the article itself, or in a reporter's address (eon@kmib.co.kr); a link or an image's
        # address (thumb.mt.co.kr/…) does not name it
        names = {outlet, *(entry.aliases if entry else ())}
        low = text.lower()
        in_text = any(n and n.lower() in low for n in names) or any(
            re.search(r"@(?:[\w-]+\.)*" + re.escape(d.lower()) + r"\b", raw.text.lower()) for d in domains)
    title = raw.title or next((line for line, kind in lines if kind == "title"), None)
    meta = ArticleMeta(
        source=raw.source,
        url=raw.url,
        title=title,
        outlet=outlet,
        published=raw.published or found.published,
        published_text=None if raw.published else found.published_text,
        reporters=found.reporters,
        emails=found.emails,
        outlet_in_text=in_text,
    )
    doc_id = content_hash(raw.url) if raw.url else content_hash(text)
    return Document(id=doc_id, text=text, meta=meta, sections=tuple(sections))
