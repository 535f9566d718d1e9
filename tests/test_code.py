"""The code itself: ruff clean and mypy clean, as STYLE.md asks (both are in the test extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import IN_CI, ROOT


def _tool(name: str) -> list[str]:
    exe = shutil.which(name)
    if exe is None:
        if IN_CI:
            pytest.fail(f"CI=true but {name} is not installed (pip install '.[test]' installs it)")
        pytest.skip(f"{name} is not installed: pip install '.[test]'")
    return [exe]


def test_code_is_ruff_clean():
    out = subprocess.run([*_tool("ruff"), "check", "kg", "tests", "benchmarks"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_code_type_checks():
    out = subprocess.run([sys.executable, "-m", "mypy", "kg"], cwd=ROOT, capture_output=True, text=True)
    if "No module named mypy" in out.stderr:
        _tool("mypy")
    assert out.returncode == 0, out.stdout + out.stderr
