"""The files around a store: the lock a writing process holds, and the temporary stores of processes that
are gone.

A persistent store is written by one kg at a time: ``take_lock`` holds ``DIR/kg.lock`` (an advisory lock the
system drops when the process ends, however it ends), and a second build of the same store waits for it. A
temporary store or view is named after its process (``kg-store-<pid>-…``): one left behind by a killed kg is
removed by the next kg that makes one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .errors import StoreError

__all__ = ["LOCK_WAIT", "TMP_PREFIX", "Folder", "is_url", "sweep_temporary", "take_lock", "temporary_folder"]

TMP_PREFIX = "kg-"  # a temporary store or view: kg-<kind>-<pid>-…, removed by close() or by a later kg
LOCK_WAIT = 600.0  # seconds a build waits for another one using the same store


def is_url(store: object) -> bool:
    """Whether ``--store`` names a SPARQL server's dataset (http:// or https://, kg/shared.py) rather than a
    folder."""
    return isinstance(store, str) and store[:8].lower().startswith(("http://", "https://"))


def sweep_temporary() -> None:
    """Remove the temporary stores and views of kg processes that are gone (killed before they could clean
    up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*-*-*"):
        kind, _, rest = folder.name.removeprefix(TMP_PREFIX).partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("store", "view") or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def temporary_folder(kind: str) -> str:
    """A new temporary folder for a store or a view of this process (and the leftovers of dead ones gone)."""
    sweep_temporary()
    return tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{kind}-{os.getpid()}-")


def take_lock(folder: Path) -> int:
    """Hold ``folder/kg.lock`` while this process writes the store; another build of the same store waits
    for it (saying so), and gives up with a clear error after ``LOCK_WAIT`` seconds."""
    fd = os.open(folder / "kg.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    sys.stderr.write(f"kg: waiting for another kg using the store {folder}\n")
    deadline = time.monotonic() + LOCK_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            continue
    os.close(fd)
    raise StoreError(f"{folder}: another kg has been using this store for {LOCK_WAIT:.0f} s; try again when it "
                     "has finished")


class Folder:
    """A folder kg writes a store (or its part) in: ``open_folder(path)`` makes it and holds its lock while
    this process writes it; with no path, a temporary folder of this process, removed by ``close_folder()``."""

    path: Path
    _tmp: str | None = None
    _lock: int | None = None

    def open_folder(self, path: str | Path | None, kind: str) -> None:
        self._tmp = None if path is not None else temporary_folder(kind)
        self.path = Path(path if path is not None else self._tmp)  # type: ignore[arg-type]
        self.path.mkdir(parents=True, exist_ok=True)
        if path is not None:
            self._lock = take_lock(self.path)

    @property
    def temporary(self) -> bool:
        return self._tmp is not None

    def close_folder(self) -> None:
        """Remove the folder if it is temporary, and let go of the lock."""
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
