"""The user's corrections to resolution: a tab-separated file of ``same`` and ``apart`` decisions.

A line names two entities, each by an IRI from the graph or by a name, narrowed if need be with
``@qualifier`` (a person's organisation or title, a meeting's date, an article id) and prefixed if need be
with its class (``Organization:KOSA``). A bad line is reported with its file and line number and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..lexicon import norm_key
from ..rdf import PREFIXES, slug
from .mentions import Mention

__all__ = ["TEMPLATE", "Correction", "matching", "read_corrections"]

TEMPLATE = """\
# Corrections to how kg resolves entities across articles. kg reads this file at every build and export.
# One decision per line, tab-separated:
#   same	<entity>	<entity>	[note]	these are one thing: merge them
#   apart	<entity>	<entity>	[note]	these are different things: never merge them
# An <entity> is an IRI as the graph shows it (person:김철수-한빛테크, organization:kosa, meeting:…, or the
# full https://w3id.org/kgnews/id/… form), or a name, optionally narrowed with @ and prefixed with its class:
#   배경훈@LG AI연구원        the 배경훈 of LG AI연구원 (a person by organisation or title)
#   Meeting:AI 최고위 전략대화@2023-03-08    a meeting by date (or @<article id>)
#   Organization:KOSA
# A name matches an entity's label or any of its other names (spaces and punctuation ignored).
# Examples:
# same	배경훈@LG AI연구원	배경훈@과학기술정보통신부	LG AI연구원장에서 장관으로
# apart	김철수@한빛테크	김철수@미래양자
"""
_DECISIONS = ("same", "apart")
_KINDS = {"Person": "Person", "Organization": "Organization", "Meeting": "Meeting", "Place": "Place",
          "Policy": "Policy"}
_IRI = re.compile(r"^<?(https?://[^>\s]+)>?$")


@dataclass(frozen=True)
class Correction:
    decision: str  # same | apart
    first: str
    second: str
    note: str
    where: str  # "file, line N": for messages
    cited: str = ""  # "corrections.tsv, line N": for the graph, which should not hold a machine's paths

    def describe(self) -> str:
        return f"{self.where}: {self.decision} {self.first!r} {self.second!r}"


def read_corrections(path: str | Path | None) -> tuple[list[Correction], list[str]]:
    """The decisions in ``path`` (none when it is None or absent) and the problems found in it."""
    if path is None or not Path(path).is_file():
        return [], []
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the corrections file: {exc}") from exc
    out: list[Correction] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        where = f"{path}, line {n}"
        if len(cols) < 3 or cols[0] not in _DECISIONS or not cols[1] or not cols[2]:
            problems.append(f"{where}: expected 'same' or 'apart' and two entities, tab-separated; skipped")
            continue
        out.append(Correction(cols[0], cols[1], cols[2], cols[3] if len(cols) > 3 else "", where,
                              f"{Path(path).name}, line {n}"))
    return out, problems


def _expand(ref: str) -> str | None:
    """The full IRI ``ref`` names, if it is an IRI (full, in angle brackets, or prefixed)."""
    m = _IRI.match(ref)
    if m:
        return m.group(1)
    prefix, sep, local = ref.partition(":")
    if sep and prefix in PREFIXES and prefix not in _KINDS and local and " " not in ref:
        return PREFIXES[prefix] + local
    return None


def matching(ref: str, mentions: Iterable[Mention], qualifiers: Callable[[Mention], set[str]]) -> list[Mention]:
    """The mentions ``ref`` names. ``qualifiers(m)`` gives the keys an ``@qualifier`` may match for ``m``
    (its organisations and titles, dates, article id), already normalised with ``norm_key``."""
    mentions = list(mentions)
    iri = _expand(ref)
    if iri is not None:
        found = [m for m in mentions if m.iri == iri]
        person = PREFIXES["person"]
        if found or not iri.startswith(person) or "-" not in iri[len(person):]:
            return found
        name, _, qual = iri[len(person):].rpartition("-")  # person:김철수-한빛테크, as resolution names them
        return [m for m in mentions if m.type == "Person" and slug(m.label) == name
                and qual in {slug(q) for q in qualifiers(m)}]
    kind = None
    head, sep, rest = ref.partition(":")
    if sep and head in _KINDS:
        kind, ref = _KINDS[head], rest
    name, _, qual = ref.partition("@")
    key, qkey = norm_key(name), norm_key(qual)
    return [m for m in mentions if (kind is None or m.kind == kind) and key in {norm_key(n) for n in m.names}
            and (not qkey or qkey in qualifiers(m))]
