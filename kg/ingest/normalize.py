"""Text on the way in: one form for every article, whatever the file did with it.

NFC (Hangul written as decomposed jamo becomes the syllables it spells), no invisible format characters
(zero-width spaces and joiners, bidi controls, soft hyphens), no control characters but tab and line ends,
and no lone surrogates (which a JSON string can smuggle in, and no UTF-8 file can hold). Offsets everywhere
point into this normalised text, so they stay right.
"""

from __future__ import annotations

import re
import unicodedata

from ..limits import MAX_ARTICLE_CHARS

__all__ = ["MAX_ARTICLE_CHARS", "has_text", "normalize_text", "safe_name"]

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LETTER = re.compile(r"[가-힣A-Za-z0-9]")


def _invisible(text: str) -> str:
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cf") if any(
        unicodedata.category(ch) == "Cf" for ch in text) else text


def normalize_text(text: str) -> str:
    """``text`` in kg's one form (see the module's description)."""
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", _invisible(text))


def has_text(text: str) -> bool:
    """Whether a normalised text holds any letter or digit at all (a file of NUL bytes holds none)."""
    return bool(_LETTER.search(text))


def safe_name(name: str) -> str:
    """A file name as text kg can store and print: bytes that are not UTF-8 (kept by Python as lone
    surrogates) shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
