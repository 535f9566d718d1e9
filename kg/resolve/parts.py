"""Resolution kept between builds, in parts, so that an add costs what it adds.

What decides an entity's resolution is local:
- organisations (and places) are resolved from what the articles call each of them — every label and other
  name of each identifier, and its class — a table the size of the vocabulary, kept with counts, not from
  their hundreds of thousands of mentions;
- people are resolved one name at a time (person/<name>): namesakes are told apart by their mentions and the
  organisations those name, nothing else;
- meetings are resolved one day at a time (the meetings held that day), or one day of the month at a time when
  an article without a date reports a meeting on that day (it may be any month's).
So a build resolves again only the parts that the articles it added, removed or changed touch, and the parts
that name an organisation, place or person whose resolution changed; the rest is kept, in the view's SQLite
file beside what it holds: the mentions of each part, each part's records and renames, each article's renames.
The outcome is the one resolving everything afresh gives (``resolve``; the tests compare both), so the order
articles came in never changes the graph. A store with corrections is resolved whole (kg/resolve/__init__.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..archive import Archive, select_in
from ..errors import StoreError
from ..lexicon import norm_key
from ..ontology import ID
from ..rdf import graph_iri
from ..store import OxTriple
from . import _outcome, _person_iris
from .clusters import Clusters
from .meetings import GOVERNMENT, Candidate, Features, candidates, held, meeting_features, resolve_meetings
from .mentions import _NO_FACTS, Facts, Mention, MentionKey, mentions_of
from .records import decision_triples
from .rules import label_rank, resolve_orgs, resolve_persons

__all__ = ["Parts", "clear", "resolve_parts"]

_ID = str(ID)
_GRAPH = str(graph_iri(""))
_IRI_FACTS = ("affiliation", "formerAffiliation", "location")  # facts whose objects are entities
_PERSON_FACTS = ("affiliation", "formerAffiliation", "jobTitle")  # what telling namesakes apart reads
_MEETING_FACTS = ("startDate", "startDay", "location")
_MEETING_INVERSE = ("attended", "organizer")
_NAMED = "O"  # the part of every organisation (and place)
_LAYOUT = "meetings by group"  # how the parts are cut: parts kept by a kg that cut them otherwise are made again
_TABLES = (
    # every article resolved, with what the parts read of it: (kind, IRI[, day, date]) of its mentions
    "r_articles (id TEXT PRIMARY KEY, hash TEXT, article TEXT, published TEXT, mentions TEXT)",
    # people, organisations and places by IRI and article; ``data``: a person's facts, the others' other names
    "r_mentions (iri TEXT, id TEXT, type TEXT, label TEXT, data TEXT, PRIMARY KEY (iri, id))",
    # meetings by when they were held, with the part that last resolved them
    "r_meetings (day INTEGER, date TEXT, id TEXT, iri TEXT, label TEXT, data TEXT, part TEXT, "
    "PRIMARY KEY (day, date, id, iri))",
    # which part reads an entity (an organisation, place or person IRI), for which article
    "r_refs (ref TEXT, part TEXT, id TEXT, PRIMARY KEY (ref, part, id))",
    # organisations and places: the names, class and representative mention of each IRI; and its resolution
    "r_named (iri TEXT PRIMARY KEY, summary TEXT)",
    "r_resolved (iri TEXT PRIMARY KEY, outcome TEXT)",
    # each part's outcome: the subjects of its records, its renames by article, its counts
    "r_parts (part TEXT PRIMARY KEY, subjects TEXT, renames TEXT, merged TEXT, distinctions INTEGER, "
    "memberships INTEGER)",
    # what each article's graph renames (Resolution.renamed_in, kept)
    "r_renames (id TEXT, iri TEXT, canonical TEXT, alt INTEGER, PRIMARY KEY (id, iri))",
)


@dataclass
class Parts:
    """What changed: the signature input of each article whose renames or content changed (None: gone), the
    records of each subject that changed (empty: gone), and the counts of the whole outcome. ``full``: every
    article and record is listed (the parts were all resolved)."""

    renames: dict[str, list[tuple[str, str, str]] | None] = field(default_factory=dict)  # by graph IRI
    records: dict[str, list[OxTriple]] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)
    distinctions: int = 0
    memberships: int = 0
    full: bool = False


def _short(iri: str) -> str:
    return iri[len(_ID):] if iri.startswith(_ID) else "!" + iri


def _long(iri: str) -> str:
    return iri[1:] if iri.startswith("!") else _ID + iri


def clear(db: sqlite3.Connection) -> None:
    """Forget every part (the next resolution resolves them all), in the transaction of what follows."""
    db.execute("DELETE FROM meta WHERE key IN ('parts', 'totals')")
    for table in _TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table.split()[0]}")


def resolve_parts(archive: Archive, db: sqlite3.Connection, basis: str, fresh: bool) -> Parts:
    """Resolve what changed in ``archive`` since the parts kept in ``db`` were resolved; ``basis`` sums up what
    else resolution depends on (kg's version, the lexicon): when it changed, or ``fresh``, every part is
    resolved again. Writes to ``db`` without committing."""
    try:
        return _resolve_parts(archive, db, basis, fresh)
    except sqlite3.Error as exc:  # a full disk, a damaged file
        db.rollback()
        raise StoreError(f"cannot keep what resolution found in the store's view ({exc}); free some space and "
                         "build again (the articles already in the store are kept)") from exc
    except (ValueError, KeyError, TypeError) as exc:  # what the parts kept cannot be read back: resolve them all
        db.rollback()
        if fresh:
            raise StoreError(f"cannot resolve the store's articles ({exc!r})") from exc
        return resolve_parts(archive, db, basis, True)


def _resolve_parts(archive: Archive, db: sqlite3.Connection, basis: str, fresh: bool) -> Parts:
    basis = f"{basis}\n{_LAYOUT}"
    row = db.execute("SELECT value FROM meta WHERE key = 'parts'").fetchone()
    full = fresh or row is None or row[0] != basis
    if full:
        clear(db)
    for table in _TABLES:
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} WITHOUT ROWID")
    # whether a day's meetings were last resolved as one part: the rows of that part, not all the day's
    db.execute("CREATE INDEX IF NOT EXISTS r_meetings_part ON r_meetings (part, day)")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('parts', ?)", (basis,))
    run = _Run(archive, db)
    run.sync()
    run.named()
    run.people()
    run.meetings()
    return run.outcome(full)


class _Run:
    """One resolution of the parts that changed."""

    def __init__(self, archive: Archive, db: sqlite3.Connection) -> None:
        self.archive, self.db = archive, db
        self.content: dict[str, str] = {}
        self.changed_ids: set[str] = set()  # articles whose renames are to be written again
        self.named_iris: set[str] = set()  # organisations and places whose names or mentions changed
        self.person_parts: set[str] = set()
        self.meeting_blocks: set[tuple[int, str]] = set()  # (day, date or "")
        self.old_meeting_parts: set[str] = set()
        self.synced: set[str] = set()  # articles added, removed or changed
        # organisations and places whose resolution changed, as people read it and as meetings do
        self.changed_for_people: set[str] = set()
        self.changed_for_meetings: set[str] = set()
        self.moved: set[tuple[str, str]] = set()  # (person IRI, article id) whose identifier changed
        self.records: dict[str, list[OxTriple]] = {}
        self.org_of: dict[str, str] = {}
        self.org_names: dict[str, str] = {}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}  # a resolved organisation's IRIs
        self.renamed: dict[str, dict[str, str]] = {}  # an article's renames, once people are resolved

    # ---- the articles

    def sync(self) -> None:
        """Take out the mentions of articles gone or changed, put in those of articles new or changed."""
        self.content = self.archive.articles()
        known = dict(self.db.execute("SELECT id, hash FROM r_articles"))
        gone = sorted(i for i, h in known.items() if self.content.get(i) != h)
        new = sorted(i for i, h in self.content.items() if known.get(i) != h)
        for doc_id in gone:
            self._forget(doc_id)
        for g, rec in self.archive.mentions(new):
            self._learn(g[len(_GRAPH):], rec)
        self.changed_ids.update(gone, new)
        self.synced.update(gone, new)

    def _forget(self, doc_id: str) -> None:
        (listed,), = self.db.execute("SELECT mentions FROM r_articles WHERE id = ?", (doc_id,))
        for kind, iri, *when in json.loads(listed):
            if kind == "M":
                day, date = when
                row = self.db.execute("SELECT data, part FROM r_meetings WHERE day = ? AND date = ? AND id = ? AND "
                                      "iri = ?", (day, date, doc_id, iri)).fetchone()
                self.db.execute("DELETE FROM r_meetings WHERE day = ? AND date = ? AND id = ? AND iri = ?",
                                (day, date, doc_id, iri))
                self.meeting_blocks.add((day, date))
                if row:
                    self.old_meeting_parts.add(row[1])
                    self._refs(_meeting_refs(json.loads(row[0])), _block(day, date), doc_id, -1)
                continue
            row = self.db.execute("SELECT data FROM r_mentions WHERE iri = ? AND id = ?", (iri, doc_id)).fetchone()
            self.db.execute("DELETE FROM r_mentions WHERE iri = ? AND id = ?", (iri, doc_id))
            if kind == "P":
                self.person_parts.add(iri)
                if row and row[0]:
                    self._refs(_person_refs(json.loads(row[0])), "P:" + iri, doc_id, -1)
            else:
                self.named_iris.add(iri)
        self.db.execute("DELETE FROM r_renames WHERE id = ?", (doc_id,))
        self.db.execute("DELETE FROM r_articles WHERE id = ?", (doc_id,))

    def _learn(self, doc_id: str, rec: dict[str, Any]) -> None:
        listed: list[list[Any]] = []
        data: dict[str, Any]
        for m in mentions_of(_GRAPH + doc_id, rec):
            iri = _short(m.iri)
            if m.type == "Person":
                data = {p: sorted(_short(x) if p in _IRI_FACTS else x for x in m.facts[p]) for p in _PERSON_FACTS
                        if m.facts[p]}
                self._mention(iri, doc_id, m, data)
                self._refs(_person_refs(data), "P:" + iri, doc_id, +1)
                self.person_parts.add(iri)
                listed.append(["P", iri])
            elif m.is_org or m.type == "Place":
                self._mention(iri, doc_id, m, {})
                self.named_iris.add(iri)
                listed.append(["N", iri])
            elif m.type == "Meeting":
                date, day = held(m)
                if day is None:
                    continue  # no day: no other meeting can be the same one
                data = {"facts": {p: sorted(_short(x) if p in _IRI_FACTS else x for x in m.facts[p])
                                  for p in _MEETING_FACTS if m.facts[p]},
                        "inverse": {p: sorted(map(_short, m.inverse[p])) for p in _MEETING_INVERSE if m.inverse[p]}}
                if m.aliases:
                    data["aliases"] = sorted(m.aliases)
                self.db.execute("INSERT INTO r_meetings VALUES (?, ?, ?, ?, ?, ?, '')",
                                (day, date or "", doc_id, iri, m.label, json.dumps(data, ensure_ascii=False)))
                self._refs(_meeting_refs(data), _block(day, date or ""), doc_id, +1)
                self.meeting_blocks.add((day, date or ""))
                listed.append(["M", iri, day, date or ""])
        self.db.execute("INSERT INTO r_articles VALUES (?, ?, ?, ?, ?)",
                        (doc_id, self.content[doc_id], rec["article"], rec["published"],
                         json.dumps(listed, ensure_ascii=False)))

    def _mention(self, iri: str, doc_id: str, m: Mention, data: dict[str, Any]) -> None:
        if m.aliases:
            data["aliases"] = sorted(m.aliases)
        self.db.execute("INSERT INTO r_mentions VALUES (?, ?, ?, ?, ?)", (
            iri, doc_id, m.type, m.label, json.dumps(data, ensure_ascii=False) if data else None))

    def _refs(self, refs: Iterable[str], part: str, doc_id: str, step: int) -> None:
        sql = "INSERT OR IGNORE INTO r_refs VALUES (?, ?, ?)" if step > 0 else \
            "DELETE FROM r_refs WHERE ref = ? AND part = ? AND id = ?"
        self.db.executemany(sql, [(r, part, doc_id) for r in sorted(set(refs))])

    def _readers(self, refs: Iterable[str], kind: str) -> set[str]:
        """The parts of ``kind`` (P or M) that read any of ``refs``."""
        out: set[str] = set()
        for ref in sorted(set(refs)):
            out.update(p for (p,) in self.db.execute(
                "SELECT DISTINCT part FROM r_refs WHERE ref = ? AND part >= ? AND part < ?", (ref, kind + ":",
                                                                                          kind + ";")))
        return out

    # ---- organisations and places

    def named(self) -> None:
        """Organisations (one part) resolved from the summaries of their IRIs; places kept as they are."""
        for iri in sorted(self.named_iris):
            self._summarise(iri)
        self.summaries = {iri: json.loads(s) for iri, s in self.db.execute("SELECT iri, summary FROM r_named")}
        reps: list[Mention] = []
        aliases: dict[str, frozenset[str]] = {}
        for iri, s in sorted(self.summaries.items()):
            if s["type"] == "Place":
                continue
            full = _long(iri)
            reps.append(Mention(_GRAPH + s["id"], full, s["type"], s["label"], s["article"], None,
                                frozenset(s["aliases"])))
            aliases[full] = frozenset(s["all"])
        cl = Clusters.of(reps)
        resolve_orgs(cl, aliases)
        outcome: dict[str, list[Any]] = {}
        for group in cl.groups("Organization"):
            best = min(group, key=lambda m: (label_rank(m.label), m.key))
            labels = {x for m in group for x in self.summaries[_short(m.iri)]["labels"]}
            keys = sorted({k for m in group for k in self._keys(_short(m.iri))})
            self.members[best.iri] = [m.iri for m in group]
            for m in group:
                self.org_of[m.iri] = best.iri
                # what others read of it: its identifier and name (people, renames), whether it has several
                # names (renames), whether it is a government body and every name it has (meetings)
                outcome[_short(m.iri)] = [_short(best.iri), best.label, len(labels) > 1,
                                          self.summaries[_short(best.iri)]["type"] in GOVERNMENT, keys, False]
            self.org_names[best.iri] = best.label
        for iri, s in self.summaries.items():
            if s["type"] == "Place":
                outcome[iri] = [iri, "", False, False, sorted(self._keys(iri)), True]
        before = {iri: json.loads(o) for iri, o in self.db.execute("SELECT iri, outcome FROM r_resolved")}
        changed = sorted(i for i in set(before) | set(outcome) if before.get(i) != outcome.get(i))
        for iri in changed:  # (what changed of each, as its readers read it, is below)
            if iri in outcome:
                self.db.execute("INSERT OR REPLACE INTO r_resolved VALUES (?, ?)",
                                (iri, json.dumps(outcome[iri], ensure_ascii=False)))
            else:
                self.db.execute("DELETE FROM r_resolved WHERE iri = ?", (iri,))

        def differs(o: list[Any] | None, n: list[Any] | None, fields: tuple[int, ...]) -> bool:
            return o is None or n is None or any(o[f] != n[f] for f in fields)

        self.changed_for_people.update(i for i in changed if differs(before.get(i), outcome.get(i), (0, 1)))
        self.changed_for_meetings.update(i for i in changed if differs(before.get(i), outcome.get(i), (0, 3, 4)))
        # the renames of every mention of an organisation renamed, and of the articles new or changed
        redo: dict[str, set[str]] = defaultdict(set)
        for iri in (i for i in changed if differs(before.get(i), outcome.get(i), (0, 1, 2, 5))):
            for (doc_id,) in self.db.execute("SELECT id FROM r_mentions WHERE iri = ?", (iri,)):
                redo[doc_id].add(iri)
        for doc_id in self.changed_ids:
            row = self.db.execute("SELECT mentions FROM r_articles WHERE id = ?", (doc_id,)).fetchone()
            for kind, iri, *_when in json.loads(row[0]) if row else []:
                if kind == "N":
                    redo[doc_id].add(iri)
        for doc_id, iris in sorted(redo.items()):
            for iri in sorted(iris):
                self._rename_named(doc_id, iri, outcome.get(iri))
        new_part = _Outcome.of_orgs(cl, self.org_of)
        self._replace_parts([_NAMED], {_NAMED: new_part} if reps else {})

    def _summarise(self, iri: str) -> None:
        labels = dict(self.db.execute("SELECT label, MIN(id) FROM r_mentions WHERE iri = ? GROUP BY label", (iri,)))
        if not labels:
            self.db.execute("DELETE FROM r_named WHERE iri = ?", (iri,))
            return
        (kind,), = self.db.execute("SELECT type FROM r_mentions WHERE iri = ? ORDER BY id DESC LIMIT 1", (iri,))
        label = min(labels, key=label_rank)
        doc_id = labels[label]
        (data,), = self.db.execute("SELECT data FROM r_mentions WHERE iri = ? AND id = ?", (iri, doc_id))
        (article,), = self.db.execute("SELECT article FROM r_articles WHERE id = ?", (doc_id,))
        every: set[str] = set()
        for (other,) in self.db.execute("SELECT DISTINCT data FROM r_mentions WHERE iri = ? AND data IS NOT NULL",
                                        (iri,)):
            every.update(json.loads(other).get("aliases", ()))
        summary = {"type": kind, "label": label, "id": doc_id, "article": article,
                   "aliases": json.loads(data).get("aliases", []) if data else [], "all": sorted(every),
                   "labels": sorted(labels)}
        self.db.execute("INSERT OR REPLACE INTO r_named VALUES (?, ?)", (iri, json.dumps(summary, ensure_ascii=False)))

    def _keys(self, iri: str) -> set[str]:
        """The matching keys of every name an organisation or place IRI has in any article."""
        s = self.summaries[iri]
        return {norm_key(n) for n in (*s["labels"], *s["all"])}

    def _rename_named(self, doc_id: str, iri: str, outcome: list[Any] | None) -> None:
        row = self.db.execute("SELECT label FROM r_mentions WHERE iri = ? AND id = ?", (iri, doc_id)).fetchone()
        new = None
        if row and outcome and not outcome[5]:
            canonical, alt = outcome[0], bool(outcome[2] and row[0] != outcome[1])
            if canonical != iri or alt:
                new = (canonical, int(alt))
        self._set_rename(doc_id, iri, new)

    def _set_rename(self, doc_id: str, iri: str, new: tuple[str, int] | None) -> None:
        old = self.db.execute("SELECT canonical, alt FROM r_renames WHERE id = ? AND iri = ?", (doc_id, iri)).fetchone()
        if (tuple(old) if old else None) == new:
            return
        if new is None:
            self.db.execute("DELETE FROM r_renames WHERE id = ? AND iri = ?", (doc_id, iri))
        else:
            self.db.execute("INSERT OR REPLACE INTO r_renames VALUES (?, ?, ?, ?)", (doc_id, iri, *new))
        self.changed_ids.add(doc_id)

    def _org(self, iri: str) -> str:
        return self.org_of.get(iri, iri)

    def _org_label(self, iri: str) -> str:
        return self.org_names.get(iri) or iri.rsplit("/", 1)[-1]

    # ---- people

    def people(self) -> None:
        """Each name whose mentions changed, or that names an organisation whose resolution changed."""
        parts = {"P:" + iri for iri in self.person_parts} | self._readers(self.changed_for_people, "P")
        made: dict[str, _Outcome] = {}
        found = {part: self.db.execute("SELECT id, label, data FROM r_mentions WHERE iri = ? ORDER BY id",
                                       (part[2:],)).fetchall() for part in sorted(parts)}
        published = self._published({doc_id for rows in found.values() for doc_id, _label, _data in rows})
        for part, rows in found.items():
            iri = part[2:]
            ms = [Mention(_GRAPH + doc_id, _long(iri), "Person", label, published[doc_id][0], published[doc_id][1],
                          *_person_facts(data)) for doc_id, label, data in rows]
            if not ms:
                continue
            cl = Clusters.of(ms)
            resolve_persons(cl, self._org, self._org_label)
            made[part] = _Outcome.of(cl, _person_iris(cl, self._org, self._org_label), self._org)
        self.moved = self._replace_parts(sorted(parts), made)

    # ---- meetings

    def meetings(self) -> None:
        """The meetings of each day or date that changed, by the groups no candidate pair joins to another
        (``candidates``): only the groups a new, gone or changed meeting is in or may join are resolved again —
        one more report of a busy day compares with that day's meetings once, not every pair of them."""
        blocks = set(self.meeting_blocks)
        touched: set[tuple[int, str, str]] = set()  # (day, date, article id): meetings whose features may change
        readers = self._readers_of(self.changed_for_meetings)
        for iri, doc_id in sorted(self.moved):  # a person renamed in an article: its meetings there
            readers.update((p, doc_id) for (p,) in self.db.execute(
                "SELECT part FROM r_refs WHERE ref = ? AND id = ? AND part >= 'M:' AND part < 'M;'", (iri, doc_id)))
        for part, doc_id in readers:
            on, date = part[2:].split(":", 1)
            blocks.add((int(on), date))
            touched.add((int(on), date, doc_id))
        whole_days = {_unit_day(p) for p in self.old_meeting_parts if p.startswith("M:d")}
        dates: set[tuple[int, str]] = set()
        for day, date in blocks:
            undated = self.db.execute("SELECT 1 FROM r_meetings WHERE day = ? AND date = '' LIMIT 1", (day,)).fetchone()
            was_whole = self.db.execute("SELECT 1 FROM r_meetings WHERE part >= ? AND part < ? AND day = ? LIMIT 1",
                                        (f"M:d{day}#", f"M:d{day}$", day)).fetchone()
            if undated or was_whole or not date:
                whole_days.add(day)
            else:
                dates.add((day, date))
        units: dict[str, list[tuple[Any, ...]]] = {}
        for day in sorted(whole_days):
            rows = list(self.db.execute("SELECT day, date, id, iri, label, data, part FROM r_meetings WHERE day = ? "
                                        "ORDER BY date, id, iri", (day,)))
            if any(r[1] == "" for r in rows):
                units[f"M:d{day}"] = rows
            else:
                for r in rows:
                    units.setdefault(f"M:{r[1]}", []).append(r)
        for day, date in sorted(dates):
            if day in whole_days:
                continue
            units[f"M:{date}"] = list(self.db.execute("SELECT day, date, id, iri, label, data, part FROM r_meetings "
                                                      "WHERE day = ? AND date = ? ORDER BY id, iri", (day, date)))
        made: dict[str, _Outcome] = {}
        replaced: set[str] = set(self.old_meeting_parts)  # the groups of meetings gone
        published = self._published({r[2] for rows in units.values() for r in rows})
        self._renames_of({r[2] for rows in units.values() for r in rows})
        for unit, rows in sorted(units.items()):
            ms = [Mention(_GRAPH + doc_id, _long(iri), "Meeting", label, published[doc_id][0], published[doc_id][1],
                          *_meeting_facts(json.loads(data))) for _day, _date, doc_id, iri, label, data, _p in rows]
            was = {m.key: r[6] for m, r in zip(ms, rows, strict=True)}
            new = {m.key for m, r in zip(ms, rows, strict=True)
                   if not r[6].startswith(unit + "#") or (r[0], r[1], r[2]) in touched}
            feats = meeting_features(ms, self._canon, self._kind, self._names)
            # the groups to make again: those of the meetings new or changed, of the meetings gone, and any a
            # new or changed meeting may join (a pair, or one identifier)
            again = {was[k] for k in new} | {p for p in self.old_meeting_parts if p.startswith(unit + "#")}
            for _s, ka, kb, _name in candidates(ms, feats, new):
                again.update((was[ka], was[kb]))
            by_iri: dict[str, set[str]] = defaultdict(set)
            for m in ms:
                by_iri[m.iri].add(was[m.key])
            again.update(p for k in new for p in by_iri[k[1]])
            redo = [m for m in ms if m.key in new or was[m.key] in again]
            for group, found in _groups(redo, feats):
                first = min(m.key for m in group)  # a group goes by its first report: the same whatever came when
                part = f"{unit}#{first[0][len(_GRAPH):]} {_short(first[1])}"
                cl = Clusters.of(group)
                resolve_meetings(cl, self._canon, self._kind, self._names, feats, found)
                made[part] = _Outcome.of(cl, {}, self._org)
                keys = {m.key for m in group}
                self.db.executemany(
                    "UPDATE r_meetings SET part = ? WHERE day = ? AND date = ? AND id = ? AND iri = ?",
                    [(part, r[0], r[1], r[2], r[3]) for m, r in zip(ms, rows, strict=True)
                     if m.key in keys and r[6] != part])
            replaced |= again
        self._replace_parts(sorted((replaced - {""}) | set(made)), made)

    def _readers_of(self, refs: Iterable[str]) -> set[tuple[str, str]]:
        """The (meeting block, article id) that read any of ``refs``."""
        out: set[tuple[str, str]] = set()
        for ref in sorted(set(refs)):
            out.update(self.db.execute("SELECT part, id FROM r_refs WHERE ref = ? AND part >= 'M:' AND part < 'M;'",
                                       (ref,)))
        return out

    def _renames_of(self, ids: set[str]) -> None:
        """The renames of the articles ``ids`` (that ``_canon`` reads), in batches."""
        keys = sorted(i for i in ids if _GRAPH + i not in self.renamed)
        found: dict[str, dict[str, str]] = {doc_id: {} for doc_id in keys}
        for doc_id, iri, canonical in select_in(self.db, "SELECT id, iri, canonical FROM r_renames WHERE id", keys):
            found[doc_id][iri] = canonical
        self.renamed.update((_GRAPH + doc_id, renames) for doc_id, renames in found.items())

    def _published(self, ids: set[str]) -> dict[str, tuple[str, str | None]]:
        """The article IRI and publication date of each article id, read in batches (a name or a day of the
        store's meetings spans thousands of articles)."""
        return {doc_id: (article, published) for doc_id, article, published in select_in(
            self.db, "SELECT id, article, published FROM r_articles WHERE id", sorted(ids))}

    def _canon(self, graph: str, iri: str) -> str:
        """The identifier an entity of an article's graph has now (its renames read once per article)."""
        renames = self.renamed.get(graph)
        if renames is None:
            renames = self.renamed[graph] = dict(self.db.execute(
                "SELECT iri, canonical FROM r_renames WHERE id = ?", (graph[len(_GRAPH):],)))
        found = renames.get(_short(iri))
        return _long(found) if found is not None else self._org(iri)

    def _kind(self, iri: str) -> str | None:
        s = self.summaries.get(_short(iri))
        return s["type"] if s else None

    def _names(self, iri: str) -> set[str]:
        if iri in self.members:
            return {k for m in self.members[iri] for k in self._keys(_short(m))}
        s = self.summaries.get(_short(iri))
        return self._keys(_short(iri)) if s and s["type"] == "Place" else set()

    # ---- the parts' outcomes

    def _replace_parts(self, parts: list[str], made: dict[str, _Outcome]) -> set[tuple[str, str]]:
        """Put the outcomes ``made`` in place of what ``parts`` had; the (IRI, article id) of the mentions that
        kept their article and changed their identifier. A mention's rename may move from one part to another
        (a group of meetings named anew): the renames of all the parts are compared at once."""
        moved: set[tuple[str, str]] = set()
        old_renames: dict[str, list[Any]] = {}
        new_renames: dict[str, list[Any]] = {}
        totals = self._totals()
        for part in parts:
            row = self.db.execute("SELECT subjects, renames, merged, distinctions, memberships FROM r_parts "
                                  "WHERE part = ?", (part,)).fetchone()
            old_subjects, had = (json.loads(row[0]), json.loads(row[1])) if row else ([], {})
            new = made.get(part)
            if row:
                _count(totals, json.loads(row[2]), row[3], row[4], -1)
            if new is not None:
                _count(totals, new.merged, new.distinctions, new.memberships, +1)
            for s in old_subjects:
                self.records.setdefault(s, [])
            if new is not None:
                for s, ts in new.records.items():
                    self.records[s] = ts
                self.db.execute("INSERT OR REPLACE INTO r_parts VALUES (?, ?, ?, ?, ?, ?)", (
                    part, json.dumps(sorted(new.records), ensure_ascii=False),
                    json.dumps(new.renames, ensure_ascii=False), json.dumps(new.merged), new.distinctions,
                    new.memberships))
            elif row:
                self.db.execute("DELETE FROM r_parts WHERE part = ?", (part,))
            if part != _NAMED:  # organisations' renames are written by IRI (``named``)
                old_renames.update(had)
                new_renames.update(new.renames if new is not None else {})
        for key in sorted(set(old_renames) | set(new_renames)):
            before, after = old_renames.get(key), new_renames.get(key)
            if before == after:
                continue
            doc_id, iri = key.split(" ", 1)
            if (before or [iri])[0] != (after or [iri])[0] and doc_id not in self.synced:
                moved.add((iri, doc_id))
            if self.db.execute("SELECT 1 FROM r_articles WHERE id = ?", (doc_id,)).fetchone():
                self._set_rename(doc_id, iri, (after[0], after[1]) if after else None)
        totals["merged"] = {k: n for k, n in sorted(totals["merged"].items()) if n}
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('totals', ?)", (json.dumps(totals),))
        return moved

    def _totals(self) -> dict[str, Any]:
        """The counts of every part's outcome together, kept as parts are replaced (summing every part's
        read the whole table at each add); summed from the parts once when a view has none kept."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'totals'").fetchone()
        if row:
            return dict(json.loads(row[0]))
        totals: dict[str, Any] = {"merged": {}, "distinctions": 0, "memberships": 0}
        for m, d, n in self.db.execute("SELECT merged, distinctions, memberships FROM r_parts"):
            _count(totals, json.loads(m), d, n, +1)
        return totals

    def outcome(self, full: bool) -> Parts:
        out = Parts(full=full, records=self.records)
        for doc_id in sorted(self.changed_ids):
            g = _GRAPH + doc_id
            if doc_id not in self.content:
                out.renames[g] = None
                continue
            rows = sorted((_long(iri), _long(c), "alt" if alt else "") for iri, c, alt in self.db.execute(
                "SELECT iri, canonical, alt FROM r_renames WHERE id = ?", (doc_id,)))
            out.renames[g] = rows
        totals = self._totals()
        out.merged = {k: n for k, n in sorted(totals["merged"].items()) if n}
        out.distinctions, out.memberships = totals["distinctions"], totals["memberships"]
        return out


@dataclass
class _Outcome:
    """A part resolved: its records by subject, its renames ("<article id> <IRI>" -> [canonical, alt]), counts."""

    records: dict[str, list[OxTriple]]
    renames: dict[str, list[Any]]
    merged: dict[str, int]
    distinctions: int
    memberships: int

    @classmethod
    def of(cls, cl: Clusters, people: dict[Any, str], org_of: Callable[[str], str]) -> _Outcome:
        res = _outcome(cl, {}, people, org_of)  # the same assembly as a whole resolution's
        renames = {f"{g[len(_GRAPH):]} {_short(iri)}": [_short(c), int(flag == "alt")]
                   for g, rows in res.renamed_in.items() for iri, c, flag in rows}
        return cls(_by_subject(res.triples), renames, res.merged, res.distinctions, res.memberships)

    @classmethod
    def of_orgs(cls, cl: Clusters, org_of: dict[str, str]) -> _Outcome:
        triples = list(decision_triples(cl, lambda key: org_of[key[1]], set()))
        joined = {cl.find(u.a.key) for u in cl.unions if u.link.rule != "identical"}
        return cls(_by_subject(triples), {}, {"Organization": len(joined)} if joined else {}, 0, 0)


def _by_subject(triples: Iterable[OxTriple]) -> dict[str, list[OxTriple]]:
    out: dict[str, list[OxTriple]] = defaultdict(list)
    for t in triples:
        out[t[0].value].append(t)
    return dict(out)


def _block(day: int, date: str) -> str:
    return f"M:{day}:{date}"


def _count(totals: dict[str, Any], merged: dict[str, int], distinctions: int, memberships: int, sign: int) -> None:
    """Add (``sign`` +1) or take away (-1) a part's counts."""
    for kind, n in merged.items():
        totals["merged"][kind] = totals["merged"].get(kind, 0) + sign * n
    totals["distinctions"] += sign * distinctions
    totals["memberships"] += sign * memberships


def _unit_day(part: str) -> int:
    """The day of a part of a whole day's meetings ("M:d8#<article> <IRI>")."""
    return int(part[3:].split("#", 1)[0])


def _groups(meetings: list[Mention], feats: Features) -> list[tuple[list[Mention], list[Candidate]]]:
    """``meetings`` in the groups that candidate pairs and shared identifiers join, each in the given order,
    with its candidates (in their order)."""
    parent = {m.key: m.key for m in meetings}

    def find(k: MentionKey) -> MentionKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first: dict[str, MentionKey] = {}
    for m in meetings:
        other = first.setdefault(m.iri, m.key)
        parent[find(m.key)] = find(other)
    found = candidates(meetings, feats)
    for _s, ka, kb, _name in found:
        parent[find(ka)] = find(kb)
    out: dict[MentionKey, tuple[list[Mention], list[Candidate]]] = {}
    for m in meetings:
        out.setdefault(find(m.key), ([], []))[0].append(m)
    for c in found:
        out[find(c[1])][1].append(c)
    return list(out.values())


def _person_refs(data: dict[str, Any]) -> Iterator[str]:
    yield from data.get("affiliation", ())
    yield from data.get("formerAffiliation", ())


def _meeting_refs(data: dict[str, Any]) -> Iterator[str]:
    yield from data.get("facts", {}).get("location", ())
    for p in _MEETING_INVERSE:
        yield from data.get("inverse", {}).get(p, ())


def _frozen(data: dict[str, list[str]], iri_facts: tuple[str, ...]) -> dict[str, frozenset[str]]:
    return Facts({p: frozenset(_long(x) if p in iri_facts else x for x in v) for p, v in data.items()})


@lru_cache(maxsize=65536)  # many mentions say the same (a name at one company, with one title): parse it once
def _person_facts(data: str | None) -> tuple[frozenset[str], Any, Any]:
    d = json.loads(data) if data else {}
    aliases = frozenset(d.pop("aliases", ()))
    return aliases, _frozen(d, _IRI_FACTS) if d else _NO_FACTS, _NO_FACTS


def _meeting_facts(d: dict[str, Any]) -> tuple[frozenset[str], Any, Any]:
    return (frozenset(d.get("aliases", ())), _frozen(d.get("facts", {}), _IRI_FACTS),
            _frozen(d.get("inverse", {}), _MEETING_INVERSE))
