"""Read articles from files: .txt (UTF-8 or CP949/EUC-KR), .html (main text), .jsonl (one per line).

Readers yield ``RawArticle`` or ``Skipped``; a bad file or line never stops the others. This is the
only module that imports trafilatura.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError
from .normalize import MAX_ARTICLE_CHARS, has_text, normalize_text, safe_name

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


def _walk(folder: Path) -> Iterator[Path | Skipped]:
    """The readable article files under ``folder``, in a stable order; a folder kg may not read is reported."""
    problems: list[OSError] = []
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=problems.append):
        dirs.sort()
        found.extend(Path(root) / f for f in files if Path(f).suffix.lower() in SUPPORTED_SUFFIXES)
    for exc in problems:
        yield Skipped(safe_name(str(exc.filename or folder)), f"cannot read the folder: {exc.strerror}")
    yield from sorted(found)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Files, directories (recursively) and globs, each file once, in a stable order."""
    seen: set[Path] = set()
    for raw in paths:
        text = str(raw)
        path = Path(text)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as exc:  # a path under a folder kg may not enter
            yield Skipped(safe_name(text), f"cannot read: {exc.strerror}")
            continue
        candidates: list[Path | Skipped]
        if is_dir:
            candidates = list(_walk(path))
        elif is_file:
            candidates = [path]
        elif any(ch in text for ch in "*?["):
            candidates = [*sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())]
            if not candidates:
                yield Skipped(safe_name(text), "the pattern matches no file")
        else:
            yield Skipped(safe_name(text), "no such file or directory")
            continue
        for cand in candidates:
            if isinstance(cand, Skipped):
                yield cand
                continue
            resolved = cand.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield cand


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) first, then the Korean legacy encodings, then a detector; UTF-16 by its BOM.
    NUL bytes outside UTF-16 mean a binary file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(source, "starts like UTF-16 text but is not") from None
    if b"\x00" in data:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or not best.encoding.startswith("utf_16"):
            raise InputError(source, "a binary file, not text (it holds NUL bytes)")
        return str(best)
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
    return _article(source, text, doc.get("url"), title, published, doc.get("sitename"))


_MAX_FILE_BYTES = MAX_ARTICLE_CHARS * 8  # a .txt or .html file larger than this holds no one article
_META = ("url", "title", "outlet")


def _article(source: str, text: str, url: object = None, title: object = None, published: date | None = None,
             outlet: object = None) -> RawArticle:
    """An article in kg's one text form; an InputError when it holds no text or far more than an article."""
    text = normalize_text(text)
    if not has_text(text):
        raise InputError(source, "the file is empty" if not text.strip() else
                         "no text (nothing but punctuation, control characters or NUL bytes)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(source, f"{len(text):,} characters: far beyond any news article (kg reads articles of "
                                 f"at most {MAX_ARTICLE_CHARS:,} characters; split the file)")

    def meta(value: object) -> str | None:
        return normalize_text(value).strip() or None if isinstance(value, str) else None

    return RawArticle(source, text, url=meta(url), title=meta(title), published=published, outlet=meta(outlet))


def _record(line: str, source: str) -> RawArticle:
    """One JSONL line as an article: an object with a string ``text`` and, if at all, string metadata."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputError(source, "JSON nested too deep to be an article record") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise InputError(source, "a JSONL record needs a non-empty string field 'text'")
    for name in _META:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise InputError(source, f"'{name}' is a {type(record[name]).__name__}, not a string")
    published = record.get("published")
    if published is not None and not isinstance(published, str):
        raise InputError(source, f"'published' is a {type(published).__name__}, not a YYYY-MM-DD string")
    return _article(source, record["text"], record.get("url"), record.get("title"),
                    _parse_date(published, source), record.get("outlet"))


def _read_jsonl(path: Path) -> Iterator[RawArticle | Skipped]:
    """One article per line, read line by line (a big file is never held whole); a bad line is reported with
    its number and the others are read."""
    name = safe_name(str(path))
    try:
        with open(path, "rb") as fh:
            # a small file is read whole, to know whether it holds one record (then named by the file alone)
            small = path.stat().st_size < (1 << 20)
            lines: Iterable[tuple[int, bytes]] = list(enumerate(fh, 1)) if small else enumerate(fh, 1)
            many = not small or len(lines) > 1  # type: ignore[arg-type]
            for lineno, raw in lines:
                source = f"{name}:{lineno}" if many else name
                if not raw.strip():
                    continue
                try:
                    yield _record(decode(raw, source), source)
                except InputError as exc:
                    yield Skipped(source, exc.reason)
    except OSError as exc:
        yield Skipped(name, f"cannot read: {exc.strerror}")


def read_articles(paths: Iterable[str | Path]) -> Iterator[RawArticle | Skipped]:
    """Every article found under ``paths``, or why an input was skipped."""
    for item in expand_paths(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        suffix = item.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            yield Skipped(safe_name(str(item)), f"unsupported file type {suffix or '(none)'}; "
                                     f"kg reads {', '.join(SUPPORTED_SUFFIXES)}")
            continue
        if suffix == ".jsonl":
            yield from _read_jsonl(item)
            continue
        name = safe_name(str(item))
        try:
            if item.stat().st_size > _MAX_FILE_BYTES:
                raise InputError(name, f"{item.stat().st_size:,} bytes: far beyond any news article (kg reads "
                                       f"articles of at most {MAX_ARTICLE_CHARS:,} characters; split the file)")
            data = item.read_bytes()
            if suffix == ".txt":
                yield _article(name, decode(data, name))
            else:
                yield _read_html(data, name)
        except OSError as exc:
            yield Skipped(name, f"cannot read: {exc.strerror}")
        except InputError as exc:
            yield Skipped(name, exc.reason)
