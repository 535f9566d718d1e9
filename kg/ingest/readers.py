"""Read articles from files: .txt (UTF-8 or CP949/EUC-KR), .html (main text), .jsonl (one per line).

Readers yield ``RawArticle`` or ``Skipped``; a bad file or line never stops the others. This is the
only module that imports trafilatura.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError

__all__ = ["SUPPORTED_SUFFIXES", "RawArticle", "Skipped", "expand_paths", "read_articles"]

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


@dataclass(frozen=True)
class RawArticle:
    source: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Files, directories (recursively) and globs, each file once, in a stable order."""
    seen: set[Path] = set()
    for raw in paths:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
            candidates = [p for p in candidates if p.suffix.lower() in SUPPORTED_SUFFIXES]
        elif path.is_file():
            candidates = [path]
        elif any(ch in text for ch in "*?["):
            candidates = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not candidates:
                yield Skipped(text, "the pattern matches no file")
        else:
            yield Skipped(text, "no such file or directory")
            continue
        for cand in candidates:
            resolved = cand.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield cand


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) first, then the Korean legacy encodings, then a detector."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for enc in ("cp949", "euc-kr"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "not text in UTF-8, CP949 or EUC-KR (is it a binary file?)")
    return str(best)


def _parse_date(value: object, source: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(source, f"'published' is not a YYYY-MM-DD date: {value!r}") from exc


def _read_html(data: bytes, source: str) -> RawArticle:
    import trafilatura

    html = decode(data, source)
    result = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                         with_metadata=True, favor_recall=True)
    if result is None:
        raise InputError(source, "no article text found in the HTML")
    doc = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = doc.get("text") or ""
    if not text.strip():
        raise InputError(source, "no article text found in the HTML")
    published = None
    if doc.get("date"):
        try:
            published = date.fromisoformat(str(doc["date"])[:10])
        except ValueError:
            published = None
    title = doc.get("title") or None
    if title:
        text = f"{title}\n{text}"
    return RawArticle(source, text, url=doc.get("url") or None, title=title, published=published,
                      outlet=doc.get("sitename") or None)


def _read_jsonl(path: Path) -> Iterator[RawArticle | Skipped]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror}")
        return
    try:
        text = decode(data, str(path))
    except InputError as exc:
        yield Skipped(str(path), exc.reason)
        return
    lines = text.splitlines()
    for lineno, line in enumerate(lines, 1):
        source = f"{path}:{lineno}" if len(lines) > 1 else str(path)
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(source, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            yield Skipped(source, "a JSONL record needs a non-empty string field 'text'")
            continue
        try:
            published = _parse_date(record.get("published"), source)
        except InputError as exc:
            yield Skipped(source, exc.reason)
            continue
        yield RawArticle(source, record["text"], url=record.get("url") or None,
                         title=record.get("title") or None, published=published,
                         outlet=record.get("outlet") or None)


def read_articles(paths: Iterable[str | Path]) -> Iterator[RawArticle | Skipped]:
    """Every article found under ``paths``, or why an input was skipped."""
    for item in expand_paths(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        suffix = item.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            yield Skipped(str(item), f"unsupported file type {suffix or '(none)'}; "
                                     f"kg reads {', '.join(SUPPORTED_SUFFIXES)}")
            continue
        if suffix == ".jsonl":
            yield from _read_jsonl(item)
            continue
        try:
            data = item.read_bytes()
            if suffix == ".txt":
                text = decode(data, str(item))
                if not text.strip():
                    raise InputError(str(item), "the file is empty")
                yield RawArticle(str(item), text)
            else:
                yield _read_html(data, str(item))
        except OSError as exc:
            yield Skipped(str(item), f"cannot read: {exc.strerror}")
        except InputError as exc:
            yield Skipped(str(item), exc.reason)
