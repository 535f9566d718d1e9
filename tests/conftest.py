"""Shared fixtures: one Kiwi-backed pipeline per session, hand-built documents, ../shared lookup."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kg.ingest import RawArticle, clean_article
from kg.model import Document
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need_shared() -> Path:
    """../shared, or skip (a user's clone) / fail (CI, where it is always present)."""
    if (SHARED / "gold").is_dir() and (SHARED / "eval" / "score.py").is_file():
        return SHARED
    if IN_CI:
        pytest.fail(f"CI=true but {SHARED} (gold annotations and scorer) is missing")
    pytest.skip(f"{SHARED} is absent: the annotated articles and scorer live beside the project, not in it")


def need_chromium() -> str:
    """The headless browser, or skip (a laptop without it) / fail (CI, which installs it)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    if IN_CI:
        pytest.fail("CI=true but chromium is not installed (.ci/run installs it with apt)")
    pytest.skip("chromium is not installed: apt-get install chromium fonts-nanum")


def need_maven_package(pom: Path, what: str, *, ready: bool) -> None:
    """Java 17 and Maven, or skip (a laptop without them) / fail (CI, which installs them); then ``mvn package``
    of ``pom`` unless its output is ``ready`` (Maven fetches ``what`` from Maven Central)."""
    mvn = shutil.which("mvn")
    if not shutil.which("java") or not mvn:
        message = f"the {what} tests need Java 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"
        if IN_CI:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    if not ready:
        run = subprocess.run([mvn, "-q", "-B", "-f", str(pom), "package", "-DskipTests"], capture_output=True,
                             text=True, timeout=1800)
        if run.returncode:
            pytest.fail(f"building {pom} ({what}) failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def make_doc(pipeline):
    """Run the full pipeline on a Korean text written for the test."""

    def run(text: str, published: date | None = date(2025, 7, 9), outlet: str | None = None) -> Document:
        return pipeline(clean_article(RawArticle("test.txt", text, published=published, outlet=outlet)))

    return run


def labels(doc: Document, etype: str | None = None) -> set[str]:
    return {e.label for e in doc.entities if etype is None or e.type == etype}


def facts(doc: Document, predicate: str) -> set[tuple[str, str]]:
    lab = {e.key: e.label for e in doc.entities}
    return {(lab.get(r.subject, r.subject), r.object if r.literal else lab.get(r.object, r.object))
            for r in doc.relations if r.predicate == predicate}
