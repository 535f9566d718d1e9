"""What the hostile tests share: running kg as a user would (its own process), and what a good answer is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = ("과학기술정보통신부는 10일 서울 중구 대한상공회의소에서 '양자 산업 간담회'를 열었다. 이날 간담회에는 한빛퀀텀 "
        "박민호 대표가 참석해 양자 장비 구매 지원을 요청했다.")
GOOD_2 = ("산업통상자원부는 12일 '배터리 공급망 간담회'를 개최했다. 간담회에는 누리셀 최지훈 사장이 참석해 핵심 광물 "
          "비축 확대가 필요하다고 말했다.")


def run_kg(*args: str, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None,
           bound_by_permissions: bool = False) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` in its own process, as a user would run it. ``bound_by_permissions``: file permissions bind
    it even when we are root (root's override of them is dropped with setpriv)."""
    full_env = {**os.environ, **(env or {})}
    prefix: list[str] = []
    if bound_by_permissions and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail("CI=true but setpriv (util-linux) is missing: permissions cannot bind root")
            pytest.skip("running as root without setpriv (util-linux): permissions cannot bind root")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    return subprocess.run([*prefix, sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def clean_exit(proc: subprocess.CompletedProcess[str], *codes: int) -> None:
    """kg ended by itself (no signal), with one of ``codes``, and told the user in words, not a traceback."""
    assert proc.returncode in (codes or (0, 1, 2)), (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout, proc.stdout[-3000:]


def built_pair(root: Path, *build_args: str) -> Path:
    """``root`` with the two good articles written and built by ``kg build a.txt b.txt BUILD_ARGS``."""
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "b.txt").write_text(GOOD_2, encoding="utf-8")
    clean_exit(run_kg("build", "a.txt", "b.txt", *build_args, cwd=root), 0)
    return root


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path
