"""Reading and writing the pipeline's files. Every file is written through :func:`atomic_file`: a temporary
sibling renamed into place, so a reader never sees a half-written file and an interrupted run leaves the old
one. Files get the usual permissions (``0o666`` less the umask), as ``open()`` would give them.

Reading a user's file goes through :func:`open_regular` / :func:`read_limited`: only a regular file is read (a
FIFO, device, folder or broken symbolic link is refused without blocking), and at most a given number of bytes."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from newssift.errors import DataError


def umask() -> int:
    """This process's umask (read without changing it for longer than a call)."""
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
        os.fchmod(fd, 0o666 & ~umask())
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


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, for messages: "a folder", "a named pipe (FIFO)", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "neither a file nor a folder"


def entry_problem(path: str | Path) -> tuple[str, str] | None:
    """(reason, detail) when ``path`` is not a regular file that can be read (a folder, FIFO, device, socket,
    broken or looping symbolic link, or a path that cannot be examined), else None. Symbolic links to regular
    files are followed."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return "unreadable", f"cannot examine the file ({exc.strerror})"
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return "not_a_file", "not a regular file: a broken symbolic link (its target does not exist)"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "not_a_file", "not a regular file: a symbolic link loop"
            return "unreadable", f"cannot follow the symbolic link ({exc.strerror})"
    if not stat.S_ISREG(st.st_mode):
        return "not_a_file", f"not a regular file: {'a symbolic link to ' if link else ''}{kind_of(st.st_mode)}"
    return None


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for reading without ever blocking (a FIFO is refused, not waited on). Raises
    :class:`OSError`, or :class:`IsADirectoryError` / :class:`ValueError` naming what the path is instead."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
            raise ValueError(f"not a regular file: {kind_of(mode)}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: str | Path, limit: int | None) -> tuple[bytes | None, tuple[str, str] | None]:
    """The bytes of the regular file ``path``, at most ``limit``: (data, None), or (None, (reason, detail)) for a
    path that is not a regular file, cannot be read, or is larger than ``limit`` bytes (``too_long``)."""
    problem = entry_problem(path)
    if problem is not None:
        return None, problem
    try:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if limit is not None and size > limit:
                return None, ("too_long", f"file has {size:,} bytes")
            data = fh.read() if limit is None else fh.read(limit + 1)
    except ValueError as exc:
        return None, ("not_a_file", str(exc))
    except OSError as exc:
        return None, ("unreadable", f"cannot read the file ({exc.strerror or exc})")
    if limit is not None and len(data) > limit:
        return None, ("too_long", f"file has more than {limit:,} bytes")
    return data, None


PARQUET_TYPES = ("string", "int64", "list<int8>")  # the column types of the pipeline's Parquet files
PARQUET_ROW_GROUP = 10_000  # rows per row group: memory while writing is bounded by this, not by the file


def _arrow_type(name: str):
    import pyarrow as pa

    return {"string": pa.string(), "int64": pa.int64(), "list<int8>": pa.list_(pa.int8())}[name]


def write_parquet(path: str | Path, rows: Iterable[dict], columns: dict[str, str]) -> int:
    """Write rows as a Parquet file atomically (through :func:`atomic_file`), with exactly ``columns`` (name ->
    one of :data:`PARQUET_TYPES`; a missing key is null), in row groups of :data:`PARQUET_ROW_GROUP` rows. The
    same rows give the same bytes (no timestamps are written). Returns the number of rows. Readable with
    ``datasets.load_dataset("parquet", data_files=...)``, pandas or pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(kind)) for name, kind in columns.items()])
    n = 0
    with atomic_file(path, "wb") as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        chunk: list[dict] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= PARQUET_ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
    return n


def iter_parquet(path: str | Path, batch_rows: int = PARQUET_ROW_GROUP) -> Iterator[dict]:
    """The rows of a Parquet file written by :func:`write_parquet`, ``batch_rows`` at a time in memory."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
        yield from batch.to_pylist()


def read_parquet(path: str | Path) -> list[dict]:
    """The rows of a Parquet file written by this project (:func:`write_parquet`), as dicts."""
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        return pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow's errors for a damaged or foreign file: one line
        raise DataError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None


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
