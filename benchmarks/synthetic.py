"""A synthetic corpus made by varying kg's four sample articles, for benchmarks.

Each synthetic article is a sample whose people and (non-gazetteer) companies are swapped for names drawn
from pools — so the same people and companies recur across articles, as in real news — whose days of the
month change, and whose publication date falls somewhere in 2019-2026. The names to swap are found by
running kg itself on the samples, so nothing here knows the samples' contents.

    python benchmarks/synthetic.py 10000 corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

from kg import clean_article, read_articles, sample_corpus
from kg.lexicon import load_lexicon
from kg.pipeline import Pipeline

_SYLLABLES = "가나다라마바사아자차카타파하강민서윤지현우진영수경호준혁재성태희연은정"
_DAY = re.compile(r"(?<![\d.])(\d{1,2})일")


def _templates() -> list[tuple[str, list[str], list[str]]]:
    """Each sample's text with the people and the organisations kg finds that the gazetteer does not know."""
    lex = load_lexicon()
    pipeline = Pipeline()
    out = []
    for raw in read_articles([sample_corpus()]):
        doc = pipeline(clean_article(raw))  # type: ignore[arg-type]
        people = sorted({e.label for e in doc.entities if e.type == "Person" and len(e.label) == 3})
        orgs = sorted({e.label for e in doc.entities if e.type == "Company" and not lex.gazetteer(e.label)
                       and len(e.label) >= 3})
        out.append((raw.text, people, orgs))  # type: ignore[union-attr]
    return out


def _pool(rng: random.Random, size: int, make) -> list[str]:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    while len(seen) < size:
        seen.add(make())
    return sorted(seen)


def make_corpus(n: int, path: Path, seed: int = 7, people: int = 3000, companies: int = 1200,
                offset: int = 0) -> Path:
    """Write ``n`` synthetic articles to ``path`` (JSONL); ``offset`` numbers them (for a later batch)."""
    rng = random.Random(seed)
    templates = _templates()
    surnames = sorted(load_lexicon().surnames)
    person_pool = _pool(rng, people, lambda: rng.choice(surnames[:40]) + "".join(rng.sample(_SYLLABLES, 2)))
    company_pool = _pool(rng, companies, lambda: "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(
        ["테크", "랩스", "소프트", "클라우드", "AI", "바이오", "에너지", "로보틱스"]))
    rng = random.Random(seed + offset)
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(offset, offset + n):
            text, names, orgs = templates[i % len(templates)]
            mapping = {name: rng.choice(person_pool) for name in names}
            mapping |= {org: rng.choice(company_pool) for org in orgs}
            for old in sorted(mapping, key=len, reverse=True):
                text = text.replace(old, mapping[old])
            published = start + timedelta(days=rng.randrange(0, 8 * 365))
            shift = rng.randrange(0, 20)
            text = _DAY.sub(lambda m: f"{(int(m.group(1)) + shift) % 28 + 1}일", text)  # noqa: B023
            record = {"text": text, "url": f"https://synthetic.example/{i}", "published": published.isoformat(),
                      "outlet": rng.choice(["이데일리", "뉴시스", "연합뉴스", "머니투데이", "조선비즈"])}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--offset", type=int, default=0, help="number the articles from here (a later day's batch)")
    args = ap.parse_args()
    make_corpus(args.n, args.out, args.seed, offset=args.offset)


if __name__ == "__main__":
    main()
