"""What ``newssift predict`` and ``newssift eval`` share: model options, input items, loading the pipeline,
running it in chunks, progress and failure reporting.

This module imports only argparse and the package's constants at import time, so ``newssift --help`` stays fast."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newssift.constants import DEFAULT_MAX_CHARS, FAMILIES, NO_SPLIT

MAX_BYTES_PER_CHAR = 4  # UTF-32: a file of more than 4 * max_chars bytes has more than max_chars characters


def _whole_number(value: str, minimum: int, expected: str) -> int:
    """An argparse type: ``value`` as an int of at least ``minimum`` (``expected`` says so in the error)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < minimum:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {n}")
    return n


def jobs(value: str) -> int:
    return _whole_number(value, 0, "0 (one per core) or a number >= 1")


def positive_int(value: str) -> int:
    return _whole_number(value, 1, "a number >= 1")


def model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument("--models", default="models", metavar="DIR",
                   help="folder holding tfidf/ and transformer/ (what `dvc repro` writes), or one family's folder "
                        "(default: %(default)s)")
    g.add_argument("--model", default="tfidf", choices=FAMILIES,
                   help="model family (default: %(default)s; transformer is slower and needs torch)")
    g.add_argument("--boilerplate-model", default=None, choices=(*FAMILIES, NO_SPLIT), metavar="FAMILY",
                   help="family of the boilerplate split, or none to keep every line (default: the split the "
                        "topic model's training text was cut by, as recorded in its manifest; for one family's "
                        "folder, that family's)")
    g.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                   help="device for the transformer family (default: %(default)s)")
    g.add_argument("--quantize", default=None, choices=["none", "int8"],
                   help="transformer family on CPU: int8 runs the encoders' linear layers in dynamic int8 (faster, "
                        "a small accuracy cost: see the README), none in full precision (default: as trained, "
                        "transformer.quantize)")
    g.add_argument("--batch-size", type=positive_int, default=64, metavar="N",
                   help="articles per batch; memory stays bounded by this (default: %(default)s)")
    g.add_argument("--jobs", "-j", type=jobs, default=0, metavar="N",
                   help="worker processes for the tfidf family (default: 0 = one per CPU core; the transformer "
                        "always runs in one process and uses every core itself); with --engine ray: prediction "
                        "actors (default: one per CPU of the cluster, or per GPU for a transformer model)")
    g.add_argument("--max-chars", type=positive_int, default=DEFAULT_MAX_CHARS, metavar="N",
                   help="longer articles fail as one record (default: %(default)s)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no summary line (failures are still reported)")



def columns_option(g) -> None:
    g.add_argument("--columns", action="append", metavar="FIELD=COLUMN[,...]",
                   help="for a CSV, Parquet or datasets input whose columns have other names: which column holds "
                        "each field, as data.columns in params.yaml (e.g. text=body,topic=category; may be repeated)")


def column_mapping(specs: list[str] | None) -> dict[str, str] | None:
    """``--columns`` (each ``FIELD=COLUMN[,FIELD=COLUMN...]``) as {field: column}, checked as ``data.columns`` is;
    a bad spec is a one-line usage error."""
    if not specs:
        return None
    from newssift.config import column_mapping_problem

    columns: dict[str, str] = {}
    for spec in specs:
        for pair in spec.split(","):
            field, sep, column = (x.strip() for x in pair.partition("="))
            if not sep or not field or not column:
                raise usage(f"--columns: expected FIELD=COLUMN (e.g. text=body), got {pair.strip()!r}")
            if field in columns:
                raise usage(f"--columns: field {field!r} is mapped twice ({columns[field]!r} and {column!r})")
            columns[field] = column
    problem = column_mapping_problem(columns)
    if problem is not None:
        raise usage(f"--columns: {problem[0]}: {problem[1]}")
    return columns


@dataclass
class Item:
    """One input article, or the reason it could not be read."""

    source: str  # file, or file:line, for messages
    id: str | None
    text: str | None = None
    reason: str | None = None  # short code when the record is unusable (as in data/rejects.jsonl)
    error: str | None = None
    record: Any = None  # the corpus Record (eval needs its labels)


def usage(message: str):
    from newssift.errors import DataError

    return DataError(message)


def check_input(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise usage(f"{path}: input not found")
    return p


def check_output(path: str | None, option: str) -> None:
    """An output path must be writable as a file: fail before any work, not at the end of a long batch."""
    if not path or path == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise usage(f"{path}: is a folder; {option} needs a file name")
    parent = p.parent if str(p.parent) else Path(".")
    existing = next((d for d in (parent, *parent.parents) if d.exists()), None)
    if existing is not None and not existing.is_dir():
        raise usage(f"{path}: cannot write here ({existing} is not a folder)")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise usage(f"{path}: cannot write here (no write permission in {existing})")


def same_file(a: str | None, b: str | None) -> bool:
    if not a or not b or a == "-" or b == "-":
        return False
    return Path(a).resolve() == Path(b).resolve()


def file_items(paths: list[str], max_chars: int):
    from newssift.data.corpus import decode_bytes, read_limited

    limit = max_chars * MAX_BYTES_PER_CHAR
    for name in paths:
        if name == "-":
            source, rid = "<stdin>", "stdin"
            data = sys.stdin.buffer.read(limit + 1)
        else:
            source, rid = name, Path(name).stem
            data, problem = read_limited(name, limit)  # a FIFO or device fails as one record, it is never read
            if problem is not None:
                reason, error = problem
                if reason == "too_long":
                    error += f", more than --max-chars={max_chars:,} characters"
                yield Item(source, rid, reason=reason, error=error)
                continue
        if len(data) > limit:
            yield Item(source, rid, reason="too_long",
                       error=f"more than {limit:,} bytes, more than --max-chars={max_chars:,} characters")
            continue
        text, err = decode_bytes(data)
        if err is not None:
            yield Item(source, rid, reason="encoding" if "UTF" in err else "binary", error=err)
        else:
            yield Item(source, rid, text=text)


def corpus_items(path: Path, labels: str | None = None, columns: dict[str, str] | None = None):
    from newssift.data.corpus import Reject, read_records

    # max_chars is checked by the pipeline (its own message)
    for rec in read_records(path, labels, columns=columns, option="--columns"):
        if isinstance(rec, Reject):
            yield Item(rec.source, rec.id, reason=rec.reason, error=rec.detail)
        else:
            yield Item(rec.source, rec.id, text=rec.text, record=rec)


def count_records(path: Path) -> int | None:
    """Number of records (for the progress bar): non-blank lines of a JSONL file (as the reader splits them),
    entries named .txt of a folder, rows of a Parquet file; None when not known cheaply (CSV, other folders)."""
    from newssift.data.corpus import corpus_format, count_jsonl_records, txt_entries

    try:
        fmt = corpus_format(path)
        if fmt == "txt":
            return len(txt_entries(path)[0])
        if fmt == "parquet" and path.is_file():
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        return count_jsonl_records(path) if fmt == "jsonl" and path.is_file() else None
    except Exception:  # a progress bar never stops a run (the reader reports the problem)
        return None


def chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk



def load(args):
    from newssift.errors import ModelLoadError
    from newssift.inference import load_pipeline
    from newssift.models.registry import import_tfidf_lean

    families = {args.model, args.boilerplate_model or args.model} - {NO_SPLIT}
    if families == {"tfidf"}:
        import_tfidf_lean()  # a third of a second of the CLI's start-up
    try:
        if "transformer" in families:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # transformers' "Loading weights" bars are noise on a CLI
        return load_pipeline(args.models, model=args.model, device=args.device, quantize=args.quantize,
                             max_chars=args.max_chars, n_jobs=args.jobs, boilerplate=args.boilerplate_model,
                             partial=True)
    except ImportError as exc:
        raise ModelLoadError(f"the {args.model} models need a package that is not installed ({exc})") from None



def run(pipe, items, batch_size: int, skip=None):
    """Yield ``(item, prediction)`` in input order; ``prediction`` is None for an item that could not be read
    (``item.error`` set) and has ``.error`` set for an article the pipeline could not use. ``skip(item)`` True:
    not predicted (yielded with prediction None and no error). Batches of ``batch_size`` items go through
    :func:`newssift.inference.predict_stream` (worker processes, when the pipeline has them, keep working while
    this process reads and writes)."""
    from collections import deque

    from newssift.inference import predict_stream

    in_flight: deque = deque()  # (items, positions predicted) of each batch handed over, in order

    def batches():
        for chunk in chunks(items, batch_size):
            todo = [k for k, it in enumerate(chunk) if it.error is None and not (skip and skip(it))]
            in_flight.append((chunk, todo))
            yield [chunk[k].text for k in todo], [chunk[k].id for k in todo]

    for preds in predict_stream(pipe, batches(), batch_size):
        chunk, todo = in_flight.popleft()
        by_pos = dict(zip(todo, preds))
        for k, it in enumerate(chunk):
            yield it, by_pos.get(k)


class Sink:
    """Text output: stdout (streamed), or a file written through :func:`newssift.files.atomic_file` (renamed into
    place when the run ends, so an interrupted run never leaves a half-written file)."""

    def __init__(self, path: str | None):
        self.path = None if path in (None, "-") else Path(path)
        self._file = None
        self.fh = None

    def __enter__(self):
        if self.path is None:
            self.fh = sys.stdout
            return self
        from newssift.files import atomic_file

        self._file = atomic_file(self.path)
        try:
            self.fh = self._file.__enter__()
        except OSError as exc:
            raise usage(f"{self.path}: cannot write here ({exc.strerror})") from None
        return self

    def write(self, s: str) -> None:
        self.fh.write(s)

    def flush(self) -> None:
        self.fh.flush()

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            if exc_type is None:
                self.fh.flush()
            return False
        return self._file.__exit__(exc_type, exc, tb)


class Reporter:
    """Progress bar, per-record failure messages and counts."""

    def __init__(self, total: int | None, quiet: bool, errors_path: str | None, desc: str,
                 max_listed: int | None = None):
        from tqdm import tqdm

        self.quiet = quiet
        self.bar = tqdm(total=total, desc=desc, unit="article", file=sys.stderr, dynamic_ncols=True,
                        disable=quiet or not sys.stderr.isatty())
        self.errors = Sink(errors_path) if errors_path else None
        self.errors_path = errors_path
        self.max_listed = max_listed
        self.ok = 0
        self.failed = 0
        self.reasons: Counter = Counter()

    def __enter__(self):
        if self.errors is not None:
            self.errors.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.close()
        if self.errors is not None:
            self.errors.__exit__(*exc)
        return False

    def say(self, message: str) -> None:
        if self.bar.disable:
            print(message, file=sys.stderr, flush=True)
        else:
            self.bar.write(message, file=sys.stderr)

    def success(self) -> None:
        self.ok += 1
        self.bar.update(1)

    def skipped(self) -> None:
        self.bar.update(1)

    def failure(self, source: str, rid: str | None, reason: str, error: str) -> None:
        self.failed += 1
        self.reasons[reason] += 1
        self.bar.update(1)
        if self.errors is not None:
            from newssift.files import json_line

            self.errors.write(json_line({"id": rid, "source": source, "reason": reason, "error": error}))
        elif self.max_listed is None or self.failed <= self.max_listed:
            where = source if rid is None or Path(source).stem == rid or source == "<stdin>" \
                else f"{source} (id {rid!r})"
            self.say(f"newssift: {where}: {error}")

    def failures_note(self) -> str:
        if not self.failed:
            return ""
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items()))
        where = f"; see {self.errors_path}" if self.errors_path else ""
        return f" ({reasons}{where})"


