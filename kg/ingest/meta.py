"""Recover article metadata the text carries: publication date, outlet, reporters, e-mail addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from ..lexicon import Lexicon

__all__ = ["TextMeta", "find_meta", "url_date"]

_HANGUL_NAME = r"[가-힣]{2,4}"
# Labelled dates: 입력 : 2023-03-08 오후 6:04:03 / 작성일 25-07-09 05:41 / 입력 :2025/07/03 13:53
_LABELLED = re.compile(
    r"(?:입력|등록|작성일|기사입력|발행일|발행|게재|승인|수정)\s*[:：]?\s*"
    r"(?P<y>\d{4}|\d{2})\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})")
# A byline followed by a date: 머니투데이 변휘 기자 2022.06.23 11:00
_BYLINE_DATE = re.compile(
    rf"{_HANGUL_NAME}\s*(?:기자|특파원|전문기자|선임기자)\s+(?P<y>\d{{4}})[-./]\s?(?P<m>\d{{1,2}})[-./]\s?(?P<d>\d{{1,2}})")
# A photo credit date: 2023. 9. 25. odong85@newsis.com
_CREDIT_DATE = re.compile(r"(?P<y>20\d{2})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?\s+[\w.+-]+@[\w-]+\.[\w.]+")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
# [이데일리 김아름 기자] / [스포츠서울 | 이상배 전문기자] / [서울=뉴시스]오동현 기자 = / (서울=연합뉴스) 강건택 기자 =
_BRACKET_BYLINE = re.compile(
    rf"[\[(](?!사진)(?:[가-힣]{{1,4}}\s*=\s*)?(?P<outlet>[^\]\)\|=\s][^\]\)\|=]{{0,19}}?)"
    rf"(?:(?:\s+|\s*\|\s*)(?P<name>{_HANGUL_NAME})\s*(?P<title>기자|특파원|전문기자|선임기자))?\s*[\])]")
_NAME_REPORTER = re.compile(rf"(?P<name>{_HANGUL_NAME})\s*(?:기자|특파원|전문기자|선임기자)"
                            r"(?=\s*(?:=|[\w.+-]+@|$|\n|\s\d))")
_COPYRIGHT = re.compile(r"(?:Copyright|copyright|ⓒ|©)\s*(?:ⓒ|©)?\s*([^\s,.]+(?:\.[A-Za-z]{2,})*)")


@dataclass(frozen=True)
class TextMeta:
    published: date | None
    published_text: str | None
    outlet: str | None
    reporters: tuple[str, ...]
    emails: tuple[str, ...]


def _mkdate(y: str, m: str, d: str) -> date | None:
    year = int(y)
    if year < 100:
        year += 2000
    try:
        return date(year, int(m), int(d))
    except ValueError:
        return None


def url_date(url: str | None) -> tuple[date | None, tuple[int, int] | None]:
    """A full date from a URL path (/2021/09/07/, no=20250703...), or at least a year and month."""
    if not url:
        return None, None
    m = re.search(r"/(20\d{2})/(\d{2})/(\d{2})/", url)
    if m:
        return _mkdate(*m.groups()), None
    m = re.search(r"(?<!\d)(20\d{2})(\d{2})(\d{2})\d{2,}", url)
    if m:
        found = _mkdate(*m.groups())
        if found:
            return found, None
    m = re.search(r"/(20\d{2})(0[1-9]|1[0-2])/", url)
    if m:
        return None, (int(m.group(1)), int(m.group(2)))
    return None, None


def _outlet_from_text(text: str, lex: Lexicon) -> str | None:
    for m in _BRACKET_BYLINE.finditer(text[:3000]):
        entry = lex.gazetteer(m.group("outlet").strip())
        if entry and entry.type == "MediaOutlet":
            return entry.name
    for m in _EMAIL.finditer(text):
        entry = lex.outlet_for_domain(m.group(1))
        if entry:
            return entry.name
    for m in _COPYRIGHT.finditer(text):
        word = m.group(1).lower()
        entry = lex.gazetteer(word) or lex.outlet_for_domain(word)
        if entry and entry.type == "MediaOutlet":
            return entry.name
    return None


def find_meta(text: str, lex: Lexicon, url: str | None = None) -> TextMeta:
    """What the raw text says about its own publication."""
    published, published_text = None, None
    for pattern in (_LABELLED, _BYLINE_DATE, _CREDIT_DATE):
        m = pattern.search(text)
        if m:
            found = _mkdate(m.group("y"), m.group("m"), m.group("d"))
            if found:
                published, published_text = found, m.group(0).strip()
                break
    if published is None:
        found, _ = url_date(url)
        if found:
            published, published_text = found, url
    outlet = _outlet_from_text(text, lex)
    if outlet is None and url:
        host = urlparse(url).hostname or ""
        entry = lex.outlet_for_domain(host)
        outlet = entry.name if entry else None
    reporters: list[str] = []
    for m in _BRACKET_BYLINE.finditer(text[:3000]):
        if m.group("name") and m.group("name") not in reporters:
            reporters.append(m.group("name"))
    for m in _NAME_REPORTER.finditer(text):
        if m.group("name") not in reporters:
            reporters.append(m.group("name"))
    emails = tuple(dict.fromkeys(m.group(0) for m in _EMAIL.finditer(text)))
    return TextMeta(published, published_text, outlet, tuple(reporters), emails)
