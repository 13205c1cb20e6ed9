"""Reading and writing corpora.

A corpus is a JSONL file, one article per line::

    {"id": "a1", "text": "raw article text...", "topic": "sport", "line_labels": [1, 0, 0, 1]}

``topic`` and ``line_labels`` are optional (null or absent); ``line_labels`` has one 0/1 per line of ``text``
(1 = boilerplate; lines as in :func:`newssift.data.text.split_lines`). ``url``, ``title`` and ``meta`` are
passed through. A corpus can also be a folder of ``.txt`` files, one article each (id = file name without
``.txt``), with an optional labels JSONL of ``{"id", "topic", "line_labels"}`` (see :func:`read_txt_folder`).

Reading never raises for a bad record: :func:`read_records` yields :class:`Record` or :class:`Reject` for each
record, in order, so the caller can count read = kept + rejected. Besides the checks of :func:`validate`, the
clean stage (:func:`newssift.data.cleaning.clean_records`) rejects a record whose ``id`` was already used by an
earlier valid record (reason ``duplicate_id``: the first one is kept, the later ones are rejected).

Lines and encodings: a JSONL file is UTF-8 (a BOM is allowed), UTF-16 (LE or BE, with a BOM, or without one when
its first characters are ASCII) or UTF-32 with a BOM; a line ends with ``\\n``, ``\\r\\n`` or ``\\r`` in any of
them. Each line is decoded on its own, so a bad byte or code unit rejects its line (reason ``encoding``), never
the file; blank lines are skipped and are not records. Only a regular file is read (a FIFO or device is refused
without blocking), and with ``max_chars`` a line too long to hold a text within it is
rejected (``too_long``) without being kept in memory.

JSON that Python cannot represent faithfully is rejected as ``invalid_json`` on its line: integers of more than
4,300 digits, ``NaN``/``Infinity`` and numbers too large for a float. A JSON string may hold a lone surrogate
(``"\\ud800"``), which is not Unicode text and cannot be written as UTF-8: in ``text`` it is removed by cleaning
like any other invalid character; in ``id``, ``topic``, ``url``, ``title`` or ``meta`` the record is rejected
(reason ``encoding``). Writers (:func:`write_jsonl`, :func:`write_json`) never fail on such strings: a row that
UTF-8 cannot hold is written with ASCII escapes.
"""
from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from newssift.data.text import count_lines, looks_binary
from newssift.errors import DataError
from newssift.files import entry_problem, kind_of, open_regular, read_limited

FIELDS = ("id", "text", "topic", "line_labels")
PASSTHROUGH = ("url", "title", "meta")
# written by the clean stage into data/clean/ and data/split/, accepted (and ignored) on input so that those files
# are corpora too: `newssift eval --input data/split/test.jsonl` reads them like any other
WRITTEN = ("near_duplicate_of",)
# the columns (and types: newssift.files.PARQUET_TYPES) of the Parquet files of `clean` and `split-data`
RECORD_COLUMNS = {"id": "string", "text": "string", "topic": "string", "line_labels": "list<int8>",
                  "near_duplicate_of": "string", "url": "string", "title": "string", "meta": "string"}


@dataclass
class Record:
    id: str
    text: str
    topic: str | None = None
    line_labels: list[int] | None = None
    source: str = ""  # file:line, for messages
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "topic": self.topic, "line_labels": self.line_labels,
                **self.extra}

    def to_row(self) -> dict[str, Any]:
        """The record as a row of :data:`RECORD_COLUMNS` (the Parquet files of ``clean`` and ``split-data``):
        ``url`` and ``title`` as text (JSON text when they are not strings), ``meta`` as JSON text."""
        row = {"id": self.id, "text": self.text, "topic": self.topic, "line_labels": self.line_labels,
               "near_duplicate_of": self.extra.get("near_duplicate_of")}
        for k in PASSTHROUGH:
            if k in self.extra:
                v = self.extra[k]
                row[k] = v if isinstance(v, str) and k != "meta" else json.dumps(v, ensure_ascii=False)
        return row


@dataclass
class Reject:
    source: str
    reason: str  # short code: invalid_json, not_an_object, missing_text, ...
    detail: str
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "reason": self.reason, "detail": self.detail, **self.extra}


def _utf8_safe(value: Any) -> bool:
    """False when ``value`` (a string or JSON data) holds a lone surrogate, which UTF-8 cannot encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if value is None or isinstance(value, (int, float)):
        return True
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    except (TypeError, ValueError):
        return True
    return True


def _printable(s: str) -> str:
    """``s`` with lone surrogates written as ``\\udXXX`` escapes (for messages and reject files)."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def validate(obj: Any, source: str, max_chars: int | None = None) -> Record | Reject:
    """Check one parsed record against the corpus format."""
    if not isinstance(obj, dict):
        return Reject(source, "not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool):
        try:
            rid = str(rid)
        except ValueError:  # more digits than Python converts
            return Reject(source, "missing_id", "'id' is an integer too large to be an id")
    unknown = sorted(k for k in obj if k not in FIELDS + PASSTHROUGH + WRITTEN)
    if unknown:
        return Reject(source, "unknown_keys", f"unknown keys {unknown}; allowed: {list(FIELDS + PASSTHROUGH)} "
                      "(put other data under 'meta')", id=rid if isinstance(rid, str) else None)
    if not isinstance(rid, str) or not rid.strip():
        return Reject(source, "missing_id", f"'id' must be a non-empty string, got {_short(obj.get('id'))}")
    bad = [k for k in ("id", "topic", *PASSTHROUGH) if k in obj and not _utf8_safe(obj[k])]
    if bad:
        return Reject(source, "encoding", f"{', '.join(repr(k) for k in bad)} holds a lone surrogate (an unpaired "
                      "\\ud800-\\udfff escape or undecodable file name), which is not valid Unicode text",
                      id=_printable(rid))
    if "text" not in obj:
        return Reject(source, "missing_text", "no 'text' field", id=rid)
    text = obj["text"]
    if not isinstance(text, str):
        return Reject(source, "text_not_string", f"'text' must be a string, got {type(text).__name__}", id=rid)
    if max_chars is not None and len(text) > max_chars:
        return Reject(source, "too_long", f"text has {len(text):,} characters, more than clean.max_chars="
                      f"{max_chars:,}", id=rid)
    if looks_binary(text):
        return Reject(source, "binary", "text looks like binary data (NUL or many control characters)", id=rid)
    topic = obj.get("topic")
    if topic is not None and (not isinstance(topic, str) or not topic.strip()):
        return Reject(source, "bad_topic", f"'topic' must be a non-empty string or null, got {_short(topic)}", id=rid)
    labels = obj.get("line_labels")
    if labels is not None:
        if not isinstance(labels, list) or not all(x in (0, 1) and not isinstance(x, float) for x in labels):
            return Reject(source, "bad_line_labels", "'line_labels' must be a list of 0/1 or null", id=rid)
        n = count_lines(text)
        if len(labels) != n:
            return Reject(source, "line_labels_length",
                          f"'line_labels' has {len(labels)} entries but text has {n} lines", id=rid)
        labels = [int(x) for x in labels]
    extra = {k: obj[k] for k in PASSTHROUGH if k in obj}
    return Record(rid, text, topic.strip() if topic else None, labels, source, extra)


# ---- encodings and lines -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Encoding:
    """How a file's bytes are text: the codec, its code unit size, and the encoded ``\\n`` and ``\\r``."""

    name: str  # for messages: UTF-8, UTF-16-LE, ...
    codec: str
    unit: int
    bom: int  # length of the byte order mark at the start of the file (0: none)

    @property
    def lf(self) -> bytes:
        return "\n".encode(self.codec)

    @property
    def cr(self) -> bytes:
        return "\r".encode(self.codec)


UTF8 = Encoding("UTF-8", "utf-8", 1, 0)


def sniff_encoding(head: bytes) -> Encoding:
    """The encoding of a file that starts with ``head`` (its first 4 bytes or more): UTF-8 (with or without BOM),
    UTF-32 or UTF-16 with a BOM, or UTF-16 without a BOM when its first two characters are ASCII."""
    for bom, name, codec, unit in ((codecs.BOM_UTF32_LE, "UTF-32-LE", "utf-32-le", 4),  # before UTF-16's FF FE
                                   (codecs.BOM_UTF32_BE, "UTF-32-BE", "utf-32-be", 4),
                                   (codecs.BOM_UTF8, "UTF-8", "utf-8", 1),
                                   (codecs.BOM_UTF16_LE, "UTF-16-LE", "utf-16-le", 2),
                                   (codecs.BOM_UTF16_BE, "UTF-16-BE", "utf-16-be", 2)):
        if head.startswith(bom):
            return Encoding(name, codec, unit, len(bom))
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0 and head[2] != 0:
        return Encoding("UTF-16-LE", "utf-16-le", 2, 0)
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0 and head[3] != 0:
        return Encoding("UTF-16-BE", "utf-16-be", 2, 0)
    return UTF8


_CHUNK = 1 << 20
_EOL_RES: dict[tuple[str, int], re.Pattern] = {}


def _eol_re(enc: Encoding) -> re.Pattern:
    """Matches from a code unit boundary up to and including the next ``\\n`` or ``\\r`` code unit."""
    key = (enc.codec, enc.unit)
    if key not in _EOL_RES:
        if enc.unit == 1:
            _EOL_RES[key] = re.compile(rb"[\r\n]")
        else:
            unit = b"(?:" + b"." * enc.unit + b")*?"
            _EOL_RES[key] = re.compile(b"(?s)" + unit + b"(?:" + re.escape(enc.lf) + b"|" + re.escape(enc.cr) + b")")
    return _EOL_RES[key]


def _find_eol(buf: bytearray, pos: int, enc: Encoding) -> int:
    """Offset of the first ``\\n`` or ``\\r`` code unit at or after ``pos`` (a code unit boundary), or -1."""
    if enc.unit == 1:
        m = _eol_re(enc).search(buf, pos)
        return -1 if m is None else m.start()
    m = _eol_re(enc).match(buf, pos)
    return -1 if m is None else m.end() - enc.unit


def split_raw_lines(fh: BinaryIO, enc: Encoding, limit: int | None = None,
                    head: bytes = b"") -> Iterator[bytes | None]:
    """The lines of a binary stream in encoding ``enc`` (its BOM already consumed), as raw bytes without their
    line ends (``\\n``, ``\\r\\n`` or ``\\r``); ``head``: bytes already read from the stream. A line of more than
    ``limit`` bytes is yielded as None and never held in memory whole. Streams in chunks: memory stays bounded by
    the longest line (or ``limit``), whatever the file's size or line-end convention."""
    u = enc.unit
    lf, cr = enc.lf, enc.cr
    buf = bytearray(head)
    scan = 0  # buf[:scan] holds no line end
    skip_lf = False  # the last line ended with CR: an LF right after it belongs to that line end
    dropping = False  # the current line is longer than limit: its bytes are not kept
    eof = False
    while True:
        start = 0
        while True:
            if skip_lf:
                if len(buf) - start < u and not eof:
                    break
                if buf[start:start + u] == lf:
                    start += u
                skip_lf = False
                scan = max(scan, start)
            i = _find_eol(buf, max(start, scan), enc)
            if i < 0:
                break
            yield None if dropping or (limit is not None and i - start > limit) else bytes(buf[start:i])
            dropping = False
            skip_lf = buf[i:i + u] == cr
            start = scan = i + u
        if start:
            del buf[:start]
            scan -= start
        scan = max(0, len(buf) - len(buf) % u)
        if limit is not None and (dropping or len(buf) > limit):
            dropping = True
            keep = len(buf) % u  # stay aligned to the code unit
            del buf[:len(buf) - keep]
            scan = 0
        if eof:
            if buf or dropping:
                yield None if dropping or (limit is not None and len(buf) > limit) else bytes(buf)
            return
        chunk = fh.read(_CHUNK)
        if chunk:
            buf += chunk
        else:
            eof = True


@dataclass(frozen=True)
class LineError:
    """A line that is not a record: its reason code and message."""

    reason: str
    detail: str


_BLANK = " \t\x0b\x0c"  # what a blank line holds (its line end removed)


def _line_limit(max_chars: int | None) -> int | None:
    """Bytes a JSONL line may have when text is limited to ``max_chars`` characters: 12 per character (a
    character outside the BMP written as two ``\\uXXXX`` escapes) plus 1 MiB for the other fields."""
    return None if max_chars is None else 12 * max_chars + (1 << 20)


def iter_jsonl_lines(fh: BinaryIO, limit: int | None = None, limit_note: str = "",
                     ) -> Iterator[tuple[int, str | None, LineError | None]]:
    """Yield (line number, text or None, error or None) for each non-blank line of a JSONL stream.

    ``fh`` is any readable binary stream (``open(path, "rb")``, or a pyarrow file of an object store: the Ray
    engine reads its corpus files through this function too). The encoding is sniffed from the first bytes
    (:func:`sniff_encoding`); each line is decoded on its own, so a bad byte rejects one line. A line of more than
    ``limit`` bytes is an error (``too_long``, ``limit_note`` appended to its message)."""
    head = b""
    while len(head) < 4:
        more = fh.read(4 - len(head))
        if not more:
            break
        head += more
    enc = sniff_encoding(head)
    lineno = 0
    for raw in split_raw_lines(fh, enc, limit, head[enc.bom:]):
        lineno += 1
        if raw is None:
            yield lineno, None, LineError("too_long", f"the line has more than {limit:,} bytes{limit_note}")
            continue
        if enc.unit == 1 and not raw.strip(_BLANK.encode()):
            continue
        try:
            line = raw.decode(enc.codec)
        except UnicodeDecodeError as exc:
            if enc.unit == 1:
                yield lineno, None, LineError("encoding", f"not valid UTF-8 at byte {exc.start}")
            else:
                yield lineno, None, LineError("encoding", f"not valid {enc.name} at byte {exc.start} of the line "
                                                          f"(the file is {enc.name}, from its first bytes)")
            continue
        if enc.unit > 1 and not line.strip(_BLANK):
            continue
        yield lineno, line.removeprefix("\ufeff"), None  # a BOM inside a file: concatenated files


def _not_a_number(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(s: str) -> float:
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(f"the number {s[:20]}{'...' if len(s) > 20 else ''} is too large for a float")
    return value


def parse_json(line: str) -> tuple[Any, LineError | None]:
    """(value, None) or (None, error) for one JSON text. Refused besides invalid JSON: integers of more than
    Python's 4,300 digits, NaN/Infinity and numbers too large for a float (none of them round-trips)."""
    try:
        return json.loads(line, parse_constant=_not_a_number, parse_float=_finite_float), None
    except json.JSONDecodeError as exc:
        return None, LineError("invalid_json", f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return None, LineError("invalid_json", "JSON nested too deeply")
    except ValueError as exc:  # int() of more than sys.get_int_max_str_digits() digits, NaN, 1e999
        msg = str(exc)
        if "digits" in msg:
            msg = "an integer with more than 4,300 digits (Python's limit for integer conversion)"
        return None, LineError("invalid_json", f"not usable JSON: {msg}")


def parse_jsonl_lines(lines: Iterable[tuple[int, str | None, LineError | str | None]], name: str,
                      max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of the lines of :func:`iter_jsonl_lines`; ``name`` is the file name in each ``source``
    (``name:line``)."""
    for lineno, line, err in lines:
        source = f"{name}:{lineno}"
        if err is not None:
            if isinstance(err, str):
                err = LineError("encoding", err)
            yield Reject(source, err.reason, err.detail)
            continue
        obj, err = parse_json(line)
        if err is not None:
            yield Reject(source, err.reason, err.detail)
            continue
        yield validate(obj, source, max_chars)


def read_jsonl_records(path: str | Path, max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of a JSONL file (the file must be a regular file: see :func:`read_records`)."""
    path = Path(path)
    limit = _line_limit(max_chars)
    note = f", more than a record whose text is within clean.max_chars={max_chars:,} characters can take" \
        if max_chars is not None else ""

    def lines():
        with open_regular(path) as fh:
            yield from iter_jsonl_lines(fh, limit, note)

    return parse_jsonl_lines(lines(), str(path), max_chars)


def count_jsonl_records(path: str | Path) -> int:
    """Non-blank lines of a JSONL file, as :func:`iter_jsonl_lines` splits them (for progress bars)."""
    with open_regular(path) as fh:
        return sum(1 for _ in iter_jsonl_lines(fh, 1 << 16))


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode a text file's bytes: UTF-8 (BOM allowed), UTF-16 or UTF-32 with a BOM, UTF-16 without one when it
    starts with ASCII characters. Returns (text, error)."""
    enc = sniff_encoding(data[:4])
    try:
        return data[enc.bom:].decode(enc.codec), None
    except UnicodeDecodeError as exc:
        if enc.unit == 1 and b"\x00" in data[:8192]:
            return None, "binary data (NUL bytes), not text"
        if enc.unit == 1:
            return None, f"not valid UTF-8 at byte {exc.start + enc.bom} (save the file as UTF-8)"
        return None, f"not valid {enc.name} at byte {exc.start + enc.bom} (the file starts as {enc.name})"


# ---- a folder of .txt files and its labels -----------------------------------------------------------------------

LABEL_KEYS = ("id", "topic", "line_labels", *PASSTHROUGH)
# Every encoding the README promises for corpora and labels files: name -> (Python codec, byte order mark), and
# every line end. The tests and bench/fuzz.py enumerate these; the reader above sniffs them.
PROMISED_ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-bom": ("utf-8", codecs.BOM_UTF8),
    "utf-16-le-bom": ("utf-16-le", codecs.BOM_UTF16_LE),
    "utf-16-be-bom": ("utf-16-be", codecs.BOM_UTF16_BE),
    "utf-16-le": ("utf-16-le", b""),
    "utf-16-be": ("utf-16-be", b""),
    "utf-32-le-bom": ("utf-32-le", codecs.BOM_UTF32_LE),
    "utf-32-be-bom": ("utf-32-be", codecs.BOM_UTF32_BE),
}
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}

MAX_BYTES_PER_CHAR = 4  # UTF-32: a file of more than 4 * max_chars bytes (+ BOM) has more than max_chars characters


def txt_entries(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(every path named ``*.txt`` under ``folder``, sorted; sub-folders that cannot be listed, with why).
    Sub-folders are walked without following symbolic links (no loops); anything named ``*.txt`` is listed,
    whatever it is, so that :func:`read_txt_folder` accounts for it."""
    found: list[Path] = []
    unlisted: list[tuple[Path, str]] = []
    todo = [str(folder)]
    while todo:
        d = todo.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except OSError as exc:
            if d == str(folder):
                raise DataError(f"{folder}: cannot list the corpus folder ({exc.strerror})") from None
            unlisted.append((Path(d), exc.strerror or str(exc)))
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    todo.append(e.path)
            except OSError:
                pass
            if e.name.endswith(".txt"):
                found.append(Path(e.path))
    return sorted(found), sorted(unlisted)


@dataclass
class _LabelRow:
    row: dict[str, Any]
    source: str
    used: bool = False


def read_labels(path: str | Path) -> tuple[dict[str, _LabelRow], list[Reject]]:
    """The rows of a labels JSONL by id, and the rows that are not usable as labels (with their reasons).

    Each row is read like a corpus line (any encoding and line end :func:`iter_jsonl_lines` reads): invalid JSON,
    a row that is not an object, a row without a usable ``id`` (a non-empty string or an integer) and a second row
    for an id already labelled (``duplicate_labels``: the first row is used) are rejects of their own. Raises
    :class:`DataError` when the labels file itself is missing or is not a regular file."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise DataError(f"{path}: file not found")
    problem = entry_problem(path)
    if problem is not None:
        raise DataError(f"{path}: the labels file is {problem[1]}")
    rows: dict[str, _LabelRow] = {}
    rejects: list[Reject] = []
    try:
        fh = open_regular(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the labels file ({getattr(exc, 'strerror', None) or exc})") from None
    with fh:
        for lineno, line, err in iter_jsonl_lines(fh, 1 << 26):
            source = f"{path}:{lineno}"
            if err is None:
                obj, err = parse_json(line)
            if err is not None:
                rejects.append(Reject(source, err.reason, f"labels row: {err.detail}"))
                continue
            if not isinstance(obj, dict):
                rejects.append(Reject(source, "not_an_object",
                                      f"labels row: expected a JSON object, got {type(obj).__name__}"))
                continue
            rid = obj.get("id")
            if isinstance(rid, int) and not isinstance(rid, bool):
                rid = str(rid)
            if not isinstance(rid, str) or not rid.strip():
                rejects.append(Reject(source, "missing_id", f"labels row: 'id' must be a non-empty string, got "
                                                            f"{_short(obj.get('id'))}"))
                continue
            if rid in rows:
                rejects.append(Reject(source, "duplicate_labels", f"labels for {_printable(rid)!r} already given at "
                                                                  f"{rows[rid].source}", id=_printable(rid)))
                continue
            rows[rid] = _LabelRow(obj, source)
    return rows, rejects


def _short(value: Any, n: int = 60) -> str:
    r = _printable(repr(value))
    return r if len(r) <= n else r[:n] + "..."


def read_txt_folder(folder: str | Path, labels: str | Path | None = None,
                    max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of a folder of ``.txt`` files (one article each; id = path below ``folder`` without ``.txt``),
    labelled by the rows of ``labels``.

    Every path named ``*.txt`` is one record or one reject: a folder, FIFO, device, socket or broken symbolic link
    of that name is ``not_a_file``, a file that cannot be read ``unreadable``, one of more than
    ``4 * max_chars`` bytes ``too_long`` (it is not read), one that does not decode ``encoding``. Nothing blocks and
    no error ends the walk. A labels row is part of its article's record, as ``topic``/``line_labels`` are of a
    JSONL record: a bad value or an unknown key rejects the article with the reason a JSONL record would get. A
    labels row that labels no article (no ``.txt`` entry has its id) is a reject of its own (``no_article``),
    after the articles, as are the rows :func:`read_labels` cannot use."""
    folder = Path(folder)
    label_rows: dict[str, _LabelRow] = {}
    label_rejects: list[Reject] = []
    if labels is not None:
        label_rows, label_rejects = read_labels(labels)
    limit = None if max_chars is None else MAX_BYTES_PER_CHAR * max_chars + 4
    paths, unlisted = txt_entries(folder)
    for path in paths:
        source = str(path)
        rid = path.relative_to(folder).as_posix().removesuffix(".txt")
        lab = label_rows.get(rid)
        if lab is not None:
            lab.used = True
        data, problem = read_limited(path, limit)
        if problem is not None:
            reason, detail = problem
            if reason == "too_long":
                detail += f", more than clean.max_chars={max_chars:,} characters can take"
            yield Reject(source, reason, detail, id=_printable(rid))
            continue
        text, err = decode_bytes(data)
        if err is not None:
            yield Reject(source, "encoding", err, id=_printable(rid))
            continue
        obj: dict[str, Any] = {"id": rid, "text": text}
        if lab is not None:
            unknown = sorted(k for k in lab.row if k not in LABEL_KEYS)
            if unknown:
                yield Reject(source, "unknown_keys", f"labels row {lab.source} has unknown keys {unknown}; allowed: "
                             f"{list(LABEL_KEYS)} (the text is the file's)", id=_printable(rid))
                continue
            obj.update((k, v) for k, v in lab.row.items() if k != "id")
        out = validate(obj, source, max_chars)
        if isinstance(out, Reject) and lab is not None:
            out.detail += f" (labels row {lab.source})"
        yield out
    for d, why in unlisted:
        yield Reject(str(d), "unreadable", f"cannot list the folder ({why}); the .txt files in it were not read",
                     id=_printable(d.relative_to(folder).as_posix()))
    yield from label_rejects
    for rid, lab in label_rows.items():
        if not lab.used:
            yield Reject(lab.source, "no_article", f"labels row for {_printable(rid)!r}, but the folder has no "
                                                   f"{_printable(rid)}.txt", id=_printable(rid))


# ---- tables: CSV, Parquet, save_to_disk folders and hub datasets, through Hugging Face datasets ------------------

TABLE_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}
DISK_MARKERS = ("dataset_info.json", "dataset_dict.json", "state.json")  # what Dataset.save_to_disk writes


def corpus_format(path: str | Path, fmt: str = "auto") -> str:
    """The format of the corpus at ``path``: ``fmt`` unless it is ``auto``; then a folder written by
    ``save_to_disk`` is ``disk``, a folder holding ``.txt`` files ``txt``, a folder of ``.parquet``, ``.csv`` or
    ``.jsonl`` files that format, a file by its suffix (``.parquet``/``.pq``, ``.csv``; anything else ``jsonl``).
    A hub name is never guessed: it needs ``format: hub``."""
    if fmt != "auto":
        return fmt
    p = Path(path)
    if p.is_dir():
        if any((p / m).is_file() for m in DISK_MARKERS):
            return "disk"
        try:
            names = [e.name.lower() for e in os.scandir(p)]
        except OSError:
            return "txt"  # read_txt_folder reports the problem
        if any(n.endswith(".txt") for n in names):
            return "txt"
        for suffix, kind in TABLE_SUFFIXES.items():
            if any(n.endswith(suffix) for n in names):
                return kind
        return "txt"
    return TABLE_SUFFIXES.get(p.suffix.lower(), "jsonl")


def _data_files(path: Path, fmt: str) -> list[str]:
    if not path.is_dir():
        return [str(path)]
    suffixes = tuple(s for s, k in TABLE_SUFFIXES.items() if k == fmt)
    files = sorted(str(f) for f in path.iterdir() if f.name.lower().endswith(suffixes) and f.is_file())
    if not files:
        raise DataError(f"{path}: the folder holds no {'/'.join(suffixes)} files")
    return files


def _csv_text_features(files: list[str]):
    """Every column of the CSV files (their header, from the first file) read as text: an id stays ``007``, a
    cell ``[1, 0]`` is parsed as line labels by :func:`dataset_records`, never guessed into numbers."""
    import csv

    import datasets

    try:
        with open(files[0], encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{files[0]}: cannot read the CSV header ({exc})") from None
    if not header:
        raise DataError(f"{files[0]}: the CSV file has no header row (the first row names the columns)")
    return datasets.Features({name: datasets.Value("string") for name in header})


def load_corpus_dataset(path: str | Path, fmt: str, config: str | None = None, split: str = "train"):
    """The :class:`datasets.Dataset` of a CSV or Parquet file or folder (an ``IterableDataset``, streamed from the
    files), a ``save_to_disk`` folder (a ``DatasetDict``: its ``split``) or a hub dataset
    (``load_dataset(path, config, split=split)``, downloaded once into the datasets cache). Raises
    :class:`DataError` in one line when it cannot be read. CSV cells are read as text (an empty cell is null)."""
    import datasets

    try:
        if fmt in ("csv", "parquet"):
            files = _data_files(Path(path), fmt)
            kw = {"features": _csv_text_features(files), "keep_default_na": False, "na_values": [""]} \
                if fmt == "csv" else {}
            # streamed: read in batches straight from the files, no copy in the datasets cache, memory bounded
            ds = datasets.load_dataset(fmt, data_files=files, split="train", streaming=True, **kw)
            if ds.features is None:
                raise DataError(f"{path}: cannot tell the columns of this {fmt} corpus")
            return ds
        if fmt == "disk":
            ds = datasets.load_from_disk(str(path))
            if isinstance(ds, datasets.DatasetDict):
                if split not in ds:
                    raise DataError(f"{path}: no split {split!r} in this DatasetDict (it has {sorted(ds)}); set "
                                    "data.split")
                ds = ds[split]
            return ds
        if fmt == "hub":
            return datasets.load_dataset(str(path), config, split=split)
    except DataError:
        raise
    except Exception as exc:  # datasets and pyarrow raise many kinds; the user gets one line
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        raise DataError(f"{path}: cannot read the {fmt} corpus ({type(exc).__name__}: {first})") from None
    raise DataError(f"{path}: unknown corpus format {fmt!r}")


PARAMS_COLUMNS = "data.columns"  # the name of a column mapping in messages: params.yaml's, or a command's option


def _mapped(option: str, field: str, column: str) -> str:
    """How a user writes ``field`` -> ``column`` in ``option`` (for messages)."""
    return f"{option}: {{{field}: {column}}}" if option == PARAMS_COLUMNS else f"{option} {field}={column}"


def table_columns(features: dict, columns: dict[str, str] | None, name: str,
                  option: str = PARAMS_COLUMNS) -> dict[str, str]:
    """{our field: the table's column} for a table with ``features`` (column names): ``columns`` as mapped in
    ``data.columns`` (or the command-line ``option``), and every corpus field that is a column of that name.
    Raises :class:`DataError` for a mapped column the table does not have, or no text column."""
    columns = dict(columns or {})
    have = list(features)
    for f, col in columns.items():
        if col not in features:
            where = f"{option}.{f}" if option == PARAMS_COLUMNS else _mapped(option, f, col)
            raise DataError(f"{name}: {where}: no column {col!r}; the columns are {have}")
    used = set(columns.values())
    for f in FIELDS + PASSTHROUGH + WRITTEN:
        if f not in columns and f in features and f not in used:
            columns[f] = f
    if "text" not in columns:
        raise DataError(f"{name}: no 'text' column; map the column that holds the article text with "
                        f"{_mapped(option, 'text', '<column>')} (the columns are {have})")
    return columns


def _class_names(feature) -> list[str] | None:
    names = getattr(feature, "names", None)  # datasets.ClassLabel
    return list(names) if isinstance(names, list) else None


def dataset_records(ds, name: str, columns: dict[str, str] | None = None, max_chars: int | None = None,
                    batch_size: int = 1000, option: str = PARAMS_COLUMNS) -> Iterator[Record | Reject]:
    """Records of a :class:`datasets.Dataset`, one per row, in order, through :func:`validate` (the checks and
    reject reasons of a JSONL line). ``columns`` maps our fields to the dataset's columns; a ``ClassLabel`` topic
    becomes its name (``-1``: no topic); ``line_labels`` written as JSON text (a CSV cell) is parsed; without an id
    column the id is the row number (from 0). Memory: one batch of rows at a time."""
    cols = table_columns(ds.features, columns, name, option)
    topic_names = _class_names(ds.features[cols["topic"]]) if "topic" in cols else None
    n = 0
    for batch in ds.select_columns(sorted(set(cols.values()))).iter(batch_size=batch_size):
        size = len(batch[cols["text"]])
        for i in range(size):
            obj = {f: batch[c][i] for f, c in cols.items()}
            if "id" not in obj:
                obj["id"] = str(n)
            if topic_names is not None and isinstance(obj.get("topic"), int) and not isinstance(obj["topic"], bool):
                t = obj["topic"]
                obj["topic"] = topic_names[t] if 0 <= t < len(topic_names) else None
            labels = obj.get("line_labels")
            if isinstance(labels, str):
                parsed, err = parse_json(labels)
                obj["line_labels"] = parsed if err is None else labels
            for k in WRITTEN + ("url", "title", "meta"):
                if k in obj and obj[k] is None:
                    del obj[k]
            n += 1
            yield validate(obj, f"{name}:row {n}", max_chars)


def read_jsonl_folder(folder: Path, max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of every ``.jsonl`` / ``.json`` file of a folder, in name order (each read as :func:`read_records`
    reads one file)."""
    for f in _data_files(folder, "jsonl"):
        yield from read_jsonl_records(f, max_chars)


def read_records(path: str | Path, labels: str | Path | None = None,
                 max_chars: int | None = None, fmt: str = "auto", columns: dict[str, str] | None = None,
                 config: str | None = None, split: str = "train",
                 option: str = PARAMS_COLUMNS) -> Iterator[Record | Reject]:
    """Records of a corpus: a JSONL file (or folder of them), a folder of .txt files, a CSV or Parquet file or
    folder, a ``save_to_disk`` folder, or (``fmt="hub"``) a Hugging Face hub dataset; every row goes through the
    same :func:`validate`. ``columns`` maps our fields to a table's columns (``option``: where the user gave
    that mapping, for messages: ``data.columns`` or a command's ``--columns``). Raises :class:`DataError` only when
    the corpus itself cannot be read: missing, not a regular file or folder (a FIFO is refused, never waited on),
    a labels file that is missing or not a regular file, a table that cannot be loaded."""
    if fmt == "hub":
        if labels is not None:
            raise DataError(f"{labels}: a labels file is for a folder of .txt files, not for a hub dataset")
        return dataset_records(load_corpus_dataset(path, "hub", config, split), str(path), columns, max_chars,
                               option=option)
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{path}: corpus not found (set data.corpus in params.yaml)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read the corpus ({exc.strerror})") from None
    if not stat.S_ISDIR(st.st_mode) and not stat.S_ISREG(st.st_mode):
        raise DataError(f"{path}: the corpus is {kind_of(st.st_mode)}; give a JSONL file or a folder of .txt "
                        "files (or a CSV or Parquet file, or a save_to_disk folder)")
    fmt = corpus_format(path, fmt)
    if labels is not None and fmt != "txt":
        raise DataError(f"{labels}: a labels file is for a folder of .txt files; {path} is a {fmt} corpus, whose "
                        "records carry their own topic and line_labels (set data.labels to null)")
    if columns and fmt in ("jsonl", "txt"):
        raise DataError(f"{path}: {option} is for CSV, Parquet and datasets corpora; a {fmt} corpus uses the "
                        "field names id, text, topic, line_labels")
    if fmt == "txt":
        if not stat.S_ISDIR(st.st_mode):
            raise DataError(f"{path}: format txt needs a folder of .txt files")
        return read_txt_folder(path, labels, max_chars)
    if fmt == "jsonl":
        return read_jsonl_folder(path, max_chars) if stat.S_ISDIR(st.st_mode) else read_jsonl_records(path, max_chars)
    return dataset_records(load_corpus_dataset(path, fmt, config, split), str(path), columns, max_chars,
                           option=option)


def corpus_source(data) -> dict[str, Any]:
    """The keyword arguments of :func:`read_records` for the ``data`` section of params.yaml."""
    return {"labels": data.labels, "fmt": data.format, "columns": dict(data.columns), "config": data.config,
            "split": data.split}
