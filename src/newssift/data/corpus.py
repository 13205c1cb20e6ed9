"""Reading and writing corpora.

A corpus is a JSONL file, one article per line::

    {"id": "a1", "text": "raw article text...", "topic": "sport", "line_labels": [1, 0, 0, 1]}

``topic`` and ``line_labels`` are optional (null or absent); ``line_labels`` has one 0/1 per line of ``text``
(1 = boilerplate; lines as in :func:`newssift.data.text.split_lines`). ``url``, ``title`` and ``meta`` are
passed through. A corpus can also be a folder of ``.txt`` files, one article each (id = file name without
``.txt``), with an optional labels JSONL of ``{"id", "topic", "line_labels"}``.

Reading never raises for a bad record: :func:`read_records` yields :class:`Record` or :class:`Reject` for each
record, in order, so the caller can count read = kept + rejected. Besides the checks of :func:`validate`, the
clean stage (:func:`newssift.data.cleaning.clean_records`) rejects a record whose ``id`` was already used by an
earlier valid record (reason ``duplicate_id``: the first one is kept, the later ones are rejected).

A JSON string may hold a lone surrogate (``"\\ud800"``), which is not Unicode text and cannot be written as
UTF-8: in ``text`` it is removed by cleaning like any other invalid character; in ``id``, ``topic``, ``url``,
``title`` or ``meta`` the record is rejected (reason ``encoding``). Writers (:func:`write_jsonl`,
:func:`write_json`) never fail on such strings: a row that UTF-8 cannot hold is written with ASCII escapes.
"""
from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from newssift.data.text import count_lines, looks_binary
from newssift.errors import DataError
from newssift.files import read_jsonl

FIELDS = ("id", "text", "topic", "line_labels")
PASSTHROUGH = ("url", "title", "meta")


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
        rid = str(rid)
    unknown = sorted(k for k in obj if k not in FIELDS + PASSTHROUGH)
    if unknown:
        return Reject(source, "unknown_keys", f"unknown keys {unknown}; allowed: {list(FIELDS + PASSTHROUGH)} "
                      "(put other data under 'meta')", id=rid if isinstance(rid, str) else None)
    if not isinstance(rid, str) or not rid.strip():
        return Reject(source, "missing_id", f"'id' must be a non-empty string, got {obj.get('id')!r}")
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
        return Reject(source, "bad_topic", f"'topic' must be a non-empty string or null, got {topic!r}", id=rid)
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


def _sniff_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0:
        return "utf-16-be"
    return None


def iter_jsonl_lines(fh: BinaryIO) -> Iterator[tuple[int, str | None, str | None]]:
    """Yield (line number, text or None, error or None) for each non-blank line of a JSONL stream.

    ``fh`` is a binary file object with ``peek`` (``open(path, "rb")``, or ``io.BufferedReader`` around any
    readable stream, e.g. a pyarrow file of an object store): the Ray engine reads its corpus files through this
    function too."""
    head = fh.peek(4)[:4]
    enc = _sniff_encoding(head)
    if enc is not None and enc != "utf-8-sig":
        try:
            with io.TextIOWrapper(fh, encoding=enc, newline="\n") as text_fh:
                lines = [(i, line) for i, line in enumerate(text_fh, 1)]
        except UnicodeError as exc:
            yield 1, None, f"file looks {enc} encoded but does not decode ({exc})"
            return
        for i, line in lines:
            if line.strip():
                yield i, line, None
        return
    for i, raw in enumerate(fh, 1):
        if i == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            yield i, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield i, None, f"not valid UTF-8 at byte {exc.start}"


def _iter_jsonl_lines(path: Path) -> Iterator[tuple[int, str | None, str | None]]:
    with open(path, "rb") as fh:
        yield from iter_jsonl_lines(fh)


def parse_jsonl_lines(lines: Iterable[tuple[int, str | None, str | None]], name: str,
                      max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of the lines of :func:`iter_jsonl_lines`; ``name`` is the file name in each ``source``
    (``name:line``)."""
    for lineno, line, err in lines:
        source = f"{name}:{lineno}"
        if err is not None:
            yield Reject(source, "encoding", err)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, "invalid_json", f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield Reject(source, "invalid_json", "JSON nested too deeply")
            continue
        yield validate(obj, source, max_chars)


def read_jsonl_records(path: str | Path, max_chars: int | None = None) -> Iterator[Record | Reject]:
    path = Path(path)
    return parse_jsonl_lines(_iter_jsonl_lines(path), str(path), max_chars)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode a text file's bytes: UTF-8 (BOM allowed) or UTF-16/32 with a BOM. Returns (text, error)."""
    enc = _sniff_encoding(data[:4])
    try:
        return data.decode(enc or "utf-8"), None
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8192]:
            return None, "binary data (NUL bytes), not text"
        return None, f"not valid UTF-8 at byte {exc.start} (save the file as UTF-8)"


def read_txt_folder(folder: str | Path, labels: str | Path | None = None,
                    max_chars: int | None = None) -> Iterator[Record | Reject]:
    folder = Path(folder)
    label_map: dict[str, dict] = {}
    if labels is not None:
        for rec in read_jsonl(labels):
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                label_map[rec["id"]] = rec
    for path in sorted(folder.rglob("*.txt")):
        source = str(path)
        text, err = decode_bytes(path.read_bytes())
        rid = path.relative_to(folder).with_suffix("").as_posix()
        if err is not None:
            yield Reject(source, "encoding", err, id=rid)
            continue
        lab = label_map.get(rid, {})
        yield validate({"id": rid, "text": text, "topic": lab.get("topic"), "line_labels": lab.get("line_labels")},
                       source, max_chars)


def read_records(path: str | Path, labels: str | Path | None = None,
                 max_chars: int | None = None) -> Iterator[Record | Reject]:
    """Records of a corpus (JSONL file or folder of .txt files). Raises :class:`DataError` only when the corpus
    itself cannot be opened."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: corpus not found (set data.corpus in params.yaml)")
    if path.is_dir():
        return read_txt_folder(path, labels, max_chars)
    return read_jsonl_records(path, max_chars)
