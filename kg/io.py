"""The one place that writes files: atomically, so no output is ever left half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import ExportError

__all__ = ["atomic_open", "atomic_path", "write_bytes", "write_text"]


def _file_mode() -> int:
    """The mode a new file gets from the process's umask (read once, at import, before any thread runs)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


def _failed(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"cannot write {path}: {exc.strerror or exc} (nothing was changed there)")


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; on success rename it over ``path``, with the mode the user's
    umask gives a new file (a colleague or a web server reads it as they read any other)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _failed(path, exc) from exc
    try:
        fh = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a vanished folder: the old file stays as it was
        Path(tmp).unlink(missing_ok=True)
        raise _failed(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (Oxigraph's dump); on success it
    is renamed over ``path``, on failure removed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _failed(path, exc) from exc
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _failed(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> Path:
    with atomic_open(path, "w") as fh:
        fh.write(text)
    return Path(path)


def write_bytes(path: Path, data: bytes) -> Path:
    with atomic_open(path, "wb") as fh:
        fh.write(data)  # type: ignore[arg-type]
    return Path(path)
