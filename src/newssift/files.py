"""Reading and writing the pipeline's files. Every file is written through :func:`atomic_file`: a temporary
sibling renamed into place, so a reader never sees a half-written file and an interrupted run leaves the old
one. Files get the usual permissions (``0o666`` less the umask), as ``open()`` would give them."""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from newssift.errors import DataError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of ``path`` for writing (``mode`` ``"w"``: UTF-8 text with ``\\n`` line ends, or
    ``"wb"``) and rename it over ``path`` when the block ends without an error; on an error it is removed."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_file: mode must be 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with (os.fdopen(fd, "wb") if mode == "wb" else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_line(obj: Any) -> str:
    """One JSONL line (with its newline). Non-ASCII text is written as is; a row holding a lone surrogate, which
    UTF-8 cannot encode, is written with ASCII escapes instead (still valid JSON, read back unchanged)."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    return line + "\n"


def write_jsonl(path: str | Path, rows: Iterable[dict]) -> int:
    """Write rows as JSONL atomically. Returns the number of rows."""
    n = 0
    with atomic_file(path) as fh:
        for row in rows:
            fh.write(json_line(row))
            n += 1
    return n


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_file(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj: Any) -> None:
    """Write ``obj`` as indented JSON atomically; lone surrogates as ASCII escapes."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = (json.dumps(obj, indent=2, ensure_ascii=True, sort_keys=False) + "\n").encode("ascii")
    write_bytes(path, data)


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSONL file written by this project (or a labels file); a bad line is a :class:`DataError`."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{i}: not valid JSON ({exc.msg})") from None
    return rows
