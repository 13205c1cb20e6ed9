"""``newssift predict`` and ``newssift eval``: use trained models from the command line.

``predict`` runs the full pipeline (clean -> boilerplate split -> topic) over ``.txt`` files, stdin, or a JSONL
corpus / folder of ``.txt`` files (``--input``). Bad input never stops a batch: each unusable record (not JSON,
no ``text``, empty, binary, not UTF-8, longer than ``--max-chars``) is reported with its file and line, the rest
is processed, and the exit code says what happened:

- 0: every record was processed;
- 1: the batch ran to the end but some records failed (listed on stderr or in ``--errors FILE``);
- 2: usage error (missing input, models folder not found, wrong model family, bad option), in one line, before
  any record is processed. Never a traceback for a user's mistake.

Articles longer than ``--max-chars`` (default 5,000,000 characters, the same limit as ``clean.max_chars``)
fail cleanly as one failed record; raise the limit to process them (a 10 MB article then takes a few seconds
with TF-IDF). Files are size-checked before they are read, so an accidental multi-GB file is never loaded.

``eval`` scores saved models on any labelled corpus with the metrics of the pipeline's ``evaluate`` stage:
line-level boilerplate metrics (model threshold, cleaned lines) and topic metrics of the *full pipeline's* topic
(the topic predicted from the predicted editorial text, which is what users get).

This module imports only argparse at import time, so ``newssift --help`` stays fast; numpy, scikit-learn and
(only for ``--model transformer``) torch are imported when a command runs.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FAMILIES = ("tfidf", "transformer")  # == newssift.inference.FAMILIES (kept here so --help needs no imports)
DEFAULT_MAX_CHARS = 5_000_000  # == newssift.inference.DEFAULT_MAX_CHARS
MAX_BYTES_PER_CHAR = 4  # UTF-32: a file of more than 4 * max_chars bytes has more than max_chars characters
NO_TOPIC = "(none)"  # eval: the pipeline predicted no topic (no editorial text left)
SHOW_ERRORS = 20  # eval without --errors: list this many invalid records on stderr, then only counts


# --------------------------------------------------------------------------------------------------------------
# argparse
# --------------------------------------------------------------------------------------------------------------

PREDICT_DESCRIPTION = """\
Run the trained pipeline (clean -> editorial/boilerplate line split -> topic) over raw articles.

Inputs are .txt files (one article each; `-` reads stdin) or, with --input, a JSONL corpus
({"id": ..., "text": ..., ...} per line, as for `newssift clean`) or a folder of .txt files.
Output is JSON Lines, one object per article (the Python API's Prediction.to_dict() plus
"source"), or with --format text the editorial text; --show-boilerplate prints every line,
removed (boilerplate) lines prefixed by "- " and kept (editorial) lines by two spaces.

Bad records never stop the batch: each failure is reported with its file and line (on stderr,
or as JSONL with id/source/reason/error in --errors FILE) and the rest is processed.
Exit status: 0 all processed; 1 some records failed; 2 usage error (missing input or models
folder, wrong model family, bad option)."""

PREDICT_EPILOG = """\
examples:
  newssift predict article.txt                         JSON result of one article on stdout
  newssift predict --format text a.txt b.txt           editorial text of each file
  newssift predict --show-boilerplate page.txt         every line, boilerplate marked "- "
  curl -s URL | newssift predict -                     read the article from stdin
  newssift predict --input corpus.jsonl --output predictions.jsonl --errors failed.jsonl
  newssift predict --model transformer --models /path/to/models --input corpus.jsonl
  newssift predict --engine ray --address ray://head:10001 --input s3://bucket/day/ --output s3://bucket/out/

Articles longer than --max-chars (default 5,000,000 characters, as clean.max_chars) fail as
one record ("text has N characters, more than the limit"); raise --max-chars to process them.
JSONL records follow the corpus format of `newssift clean` (unknown keys are rejected: put
extra data under "meta"), so a record fails here for the same reason it is rejected there."""

EVAL_DESCRIPTION = """\
Score saved models on a labelled corpus with the metrics of the pipeline's evaluate stage:
line-level boilerplate precision/recall/F1 and PR-AUC (records with "line_labels", on cleaned
lines, at the model's tuned threshold), and topic accuracy and macro-F1 (records with "topic")
of the full pipeline's topic, i.e. the topic predicted from the predicted editorial text.

Records without labels for a task are skipped for that task and counted; invalid records are
reported and counted, never fatal. Exit status: 0 scored; 1 scored but some records were
invalid; 2 usage error or nothing to score (no record has a topic or line_labels)."""

EVAL_EPILOG = """\
examples:
  newssift eval --input data/split/test.jsonl
  newssift eval --input my_labelled.jsonl --model transformer --json eval_mine.json
  newssift eval --input articles/ --labels labels.jsonl     (a folder of .txt files + labels)"""


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (one per core) or a number >= 1, got {n}")
    return n


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {n}")
    return n


def _model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument("--models", default="models", metavar="DIR",
                   help="folder holding tfidf/ and transformer/ (what `dvc repro` writes), or one family's folder "
                        "(default: %(default)s)")
    g.add_argument("--model", default="tfidf", choices=FAMILIES,
                   help="model family (default: %(default)s; transformer is slower and needs torch)")
    g.add_argument("--boilerplate-model", default=None, choices=FAMILIES, metavar="FAMILY",
                   help="family of the boilerplate split when it differs from --model: `--model transformer "
                        "--boilerplate-model tfidf` is the transformer's topics at about 4x its speed "
                        "(default: the --model family)")
    g.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                   help="device for the transformer family (default: %(default)s)")
    g.add_argument("--quantize", default=None, choices=["none", "int8"],
                   help="transformer family on CPU: int8 runs the encoders' linear layers in dynamic int8 (faster, "
                        "a small accuracy cost: see the README), none in full precision (default: as trained, "
                        "transformer.quantize)")
    g.add_argument("--batch-size", type=_positive_int, default=64, metavar="N",
                   help="articles per batch; memory stays bounded by this (default: %(default)s)")
    g.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="worker processes for the tfidf family (default: 0 = one per CPU core; the transformer "
                        "always runs in one process and uses every core itself); with --engine ray: prediction "
                        "actors (default: one per CPU of the cluster, or per GPU for a transformer model)")
    g.add_argument("--max-chars", type=_positive_int, default=DEFAULT_MAX_CHARS, metavar="N",
                   help="longer articles fail as one record (default: %(default)s)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no summary line (failures are still reported)")


def add_commands(sub) -> None:
    """Add ``predict`` and ``eval`` to the ``newssift`` subcommands (``sub`` from ``add_subparsers``)."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("predict", help="Split editorial text from boilerplate and classify the topic of articles "
                                       "(.txt files, stdin or a JSONL corpus) with trained models.",
                       description=PREDICT_DESCRIPTION, epilog=PREDICT_EPILOG, formatter_class=fmt)
    p.add_argument("files", nargs="*", metavar="FILE", help=".txt file with one article; `-` reads stdin")
    io = p.add_argument_group("batch")
    io.add_argument("--input", "-i", metavar="PATH",
                    help="JSONL corpus (one {\"id\", \"text\", ...} per line) or folder of .txt files")
    io.add_argument("--output", "-o", metavar="FILE", default="-",
                    help="write results here (atomically, when the run ends) instead of stdout")
    io.add_argument("--errors", metavar="FILE",
                    help="write failed records as JSONL (id, source, reason, error) instead of listing them "
                         "on stderr")
    out = p.add_argument_group("output")
    out.add_argument("--format", "-f", choices=["json", "text"], default=None,
                     help="json: JSON Lines, one object per article (default); text: the editorial text")
    out.add_argument("--show-boilerplate", action="store_true",
                     help="text format with every line: lines starting with \"- \" were removed as boilerplate, "
                          "indented lines are the editorial text")
    _model_options(p)
    eng = p.add_argument_group("engine (a cluster: see README, \"Running on a Ray cluster\")")
    eng.add_argument("--engine", choices=["local", "ray"], default="local",
                     help="local: this machine's processes (default); ray: Ray Data on a Ray cluster (or a local Ray "
                          "instance): reads JSONL or Parquet (local or s3://... paths), applies the clean stage's "
                          "rules (rejects and exact duplicates are rows with a reason), predicts on --jobs actors "
                          "and writes Parquet to the folder --output. Needs pip install -e \".[ray]\"")
    eng.add_argument("--address", default=None, metavar="ADDR",
                     help="--engine ray: the cluster (ray://host:10001, host:6379 or auto; default: $RAY_ADDRESS, "
                          "else a local Ray instance on this machine's cores)")
    eng.add_argument("--gpus-per-worker", type=float, default=None, metavar="G",
                     help="--engine ray: GPUs per prediction actor (default: 1 for a transformer model when the "
                          "cluster has GPUs, else 0)")
    eng.add_argument("--min-chars", type=int, default=20, metavar="N",
                     help="--engine ray: shorter cleaned text is rejected (too_short), as clean.min_chars "
                          "(default: %(default)s)")
    eng.add_argument("--input-format", choices=["auto", "jsonl", "parquet"], default="auto",
                     help="--engine ray: format of --input (default: auto, by file extension)")
    eng.add_argument("--shuffle-partitions", type=_positive_int, default=None, metavar="N",
                     help="--engine ray: partitions of the de-duplication shuffles (default: 2 per CPU of the "
                          "cluster; a corpus of many GB wants about one per GB)")
    p.set_defaults(func=_cmd_predict, _parser=p)

    e = sub.add_parser("eval", help="Score saved models on any labelled corpus (boilerplate line metrics and "
                                    "topic metrics of the full pipeline).",
                       description=EVAL_DESCRIPTION, epilog=EVAL_EPILOG, formatter_class=fmt)
    e.add_argument("--input", "-i", required=True, metavar="PATH",
                   help="labelled JSONL corpus (records with topic and/or line_labels) or folder of .txt files")
    e.add_argument("--labels", metavar="FILE",
                   help="for a folder of .txt files: JSONL of {id, topic, line_labels}")
    e.add_argument("--json", metavar="FILE", help="also write the metrics as JSON to FILE")
    e.add_argument("--errors", metavar="FILE", help="write invalid records as JSONL instead of listing them")
    _model_options(e)
    e.set_defaults(func=_cmd_eval, _parser=e)


# --------------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Item:
    """One input article, or the reason it could not be read."""

    source: str  # file, or file:line, for messages
    id: str | None
    text: str | None = None
    reason: str | None = None  # short code when the record is unusable (as in data/rejects.jsonl)
    error: str | None = None
    record: Any = None  # the corpus Record (eval needs its labels)


def _usage(message: str):
    from newssift.errors import DataError

    return DataError(message)


def _check_input(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise _usage(f"{path}: input not found")
    return p


def _check_output(path: str | None, option: str) -> None:
    """An output path must be writable as a file: fail before any work, not at the end of a long batch."""
    if not path or path == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise _usage(f"{path}: is a folder; {option} needs a file name")
    parent = p.parent if str(p.parent) else Path(".")
    existing = next((d for d in (parent, *parent.parents) if d.exists()), None)
    if existing is not None and not existing.is_dir():
        raise _usage(f"{path}: cannot write here ({existing} is not a folder)")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise _usage(f"{path}: cannot write here (no write permission in {existing})")


def _same_file(a: str | None, b: str | None) -> bool:
    if not a or not b or a == "-" or b == "-":
        return False
    return Path(a).resolve() == Path(b).resolve()


def _file_items(paths: list[str], max_chars: int):
    from newssift.corpus import decode_bytes

    limit = max_chars * MAX_BYTES_PER_CHAR
    for name in paths:
        if name == "-":
            source, rid = "<stdin>", "stdin"
            data = sys.stdin.buffer.read(limit + 1)
        else:
            source, rid = name, Path(name).stem
            try:
                size = os.path.getsize(name)
                if size > limit:
                    yield Item(source, rid, reason="too_long",
                               error=f"file has {size:,} bytes, more than --max-chars={max_chars:,} characters")
                    continue
                data = Path(name).read_bytes()
            except OSError as exc:
                yield Item(source, rid, reason="unreadable", error=f"cannot read the file ({exc.strerror})")
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


def _corpus_items(path: Path, labels: str | None = None):
    from newssift.corpus import Reject, read_records

    for rec in read_records(path, labels):  # max_chars is checked by the pipeline (its own message)
        if isinstance(rec, Reject):
            yield Item(rec.source, rec.id, reason=rec.reason, error=rec.detail)
        else:
            yield Item(rec.source, rec.id, text=rec.text, record=rec)


def _count_records(path: Path) -> int | None:
    """Number of records (for the progress bar): non-blank lines of a JSONL file, .txt files of a folder."""
    try:
        if path.is_dir():
            return sum(1 for _ in path.rglob("*.txt"))
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return None


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------------------------------------------
# Running the pipeline
# --------------------------------------------------------------------------------------------------------------

def _import_skops_without_torch() -> None:
    """Import skops.io without importing torch.

    skops builds its list of trusted scikit-learn types with ``sklearn.utils.all_estimators()``, which walks
    every sklearn module, including ``sklearn.externals.array_api_compat.torch``: that imports torch (about a
    second and hundreds of MB) although no TF-IDF model needs it. While skops is imported, ``import torch`` is
    made to fail; the walk skips that module (``pkgutil.walk_packages`` ignores packages that fail to import) and
    the trusted-type list is the same. Nothing changes when torch or skops is already imported.
    """
    if "skops.io" in sys.modules or "torch" in sys.modules:
        return
    import importlib.abc

    class _NoTorch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "torch" or name.startswith("torch."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked while importing skops)", name=name)
            return None

    blocker = _NoTorch()
    sys.meta_path.insert(0, blocker)
    try:
        import skops.io  # noqa: F401
    except ImportError:
        pass  # a skops that needs torch: imported normally below
    finally:
        sys.meta_path.remove(blocker)
    import skops.io  # noqa: F401,F811


def _load(args):
    from newssift.inference import load_pipeline

    from newssift.errors import ModelLoadError

    families = {args.model, args.boilerplate_model or args.model}
    if families == {"tfidf"}:
        _import_skops_without_torch()
    try:
        if "transformer" in families:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # transformers' "Loading weights" bars are noise on a CLI
        return load_pipeline(args.models, model=args.model, device=args.device, quantize=args.quantize,
                             max_chars=args.max_chars, n_jobs=args.jobs, boilerplate=args.boilerplate_model)
    except ImportError as exc:
        raise ModelLoadError(f"the {args.model} models need a package that is not installed ({exc})") from None


def _error_reason(message: str) -> str:
    """Short code for a Pipeline error message (Prediction.error has no code)."""
    m = message.lower()
    for key, code in (("more than the limit", "too_long"), ("binary", "binary"), ("empty after cleaning", "empty"),
                      ("empty", "empty"), ("must be a string", "text_not_string")):
        if key in m:
            return code
    return "failed"


def _pred_failure(message: str) -> tuple[str, str]:
    """(reason code, message) for a Prediction's error."""
    reason = _error_reason(message)
    if reason == "too_long" and "--max-chars" not in message:
        message += " (raise it with --max-chars)"
    return reason, message


def _predict_chunk(pipe, texts: list[str], ids: list, batch_size: int) -> list:
    """``predict_many`` with ``on_error="record"``; should the model itself raise on some input, the chunk is
    retried record by record so that one pathological article fails alone."""
    from newssift.inference import Prediction

    try:
        return pipe.predict_many(texts, ids, batch_size=batch_size, on_error="record")
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        if len(texts) == 1:
            return [Prediction(id=ids[0], error=f"the model failed on this article ({type(exc).__name__}: {exc})")]
        out = []
        for t, i in zip(texts, ids):
            out.extend(_predict_chunk(pipe, [t], [i], batch_size))
        return out


def _run(pipe, items, batch_size: int, skip=None):
    """Yield ``(item, prediction)`` in input order; ``prediction`` is None for an item that could not be read
    (``item.error`` set) and has ``.error`` set for an article the pipeline could not use. ``skip(item)`` True:
    not predicted (yielded with prediction None and no error)."""
    # with worker processes, a chunk holds a few batches per worker so that they all have work
    for chunk in _chunks(items, batch_size * 4 * pipe.max_workers if pipe.max_workers > 1 else batch_size):
        todo = [k for k, it in enumerate(chunk) if it.error is None and not (skip and skip(it))]
        preds = _predict_chunk(pipe, [chunk[k].text for k in todo], [chunk[k].id for k in todo], batch_size) \
            if todo else []
        by_pos = dict(zip(todo, preds))
        for k, it in enumerate(chunk):
            yield it, by_pos.get(k)


class _Sink:
    """Text output: stdout (streamed), or a file written to a temporary sibling and renamed into place when the
    run ends (so an interrupted run never leaves a half-written file)."""

    def __init__(self, path: str | None):
        self.path = None if path in (None, "-") else Path(path)
        self.tmp: Path | None = None
        self.fh = None

    def __enter__(self):
        if self.path is None:
            self.fh = sys.stdout
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            except OSError as exc:
                raise _usage(f"{self.path}: cannot write here ({exc.strerror})") from None
            self.tmp = Path(tmp)
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
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
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


class _Reporter:
    """Progress bar, per-record failure messages and counts."""

    def __init__(self, total: int | None, quiet: bool, errors_path: str | None, desc: str,
                 max_listed: int | None = None):
        from tqdm import tqdm

        self.quiet = quiet
        self.bar = tqdm(total=total, desc=desc, unit="article", file=sys.stderr, dynamic_ncols=True,
                        disable=quiet or not sys.stderr.isatty())
        self.errors = _Sink(errors_path) if errors_path else None
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
            from newssift.corpus import json_line

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


# --------------------------------------------------------------------------------------------------------------
# predict
# --------------------------------------------------------------------------------------------------------------

def _render_text(pred, source: str, header: bool, show_boilerplate: bool) -> str:
    out = []
    if header:
        topic = pred.topic or "(none: no editorial text)"
        if pred.topic:
            topic += f" {pred.topic_probabilities.get(pred.topic, 0.0):.2f}"
        out.append(f"==> {source} <== topic: {topic}")
    if show_boilerplate:
        out.extend((("- " if ln.boilerplate else "  ") + ln.text).rstrip() for ln in pred.lines)
    else:
        out.append(pred.editorial)
    return "\n".join(out) + "\n"


def _json_line(pred, source: str) -> str:
    from newssift.corpus import json_line  # lone surrogates (e.g. in a file name) as escapes, never a crash

    d = pred.to_dict()
    row = {"id": d.pop("id"), "source": source, **d}
    return json_line(row)


def _cmd_predict(args) -> int:
    parser: argparse.ArgumentParser = args._parser
    if getattr(args, "engine", "local") == "ray":
        from newssift.ray_engine import cli_predict

        return cli_predict(args)
    if args.files and args.input:
        parser.error("give FILE arguments or --input, not both")
    if not args.files and not args.input:
        parser.error("nothing to do: give .txt FILE arguments, `-` for stdin, or --input corpus.jsonl")
    if args.show_boilerplate and args.format == "json":
        parser.error("--show-boilerplate is for --format text (JSON output already lists every line)")
    fmt = args.format or ("text" if args.show_boilerplate else "json")
    if args.input == "-":
        parser.error("--input reads a file or folder, not stdin; for one article on stdin use `newssift predict -`")
    if args.files.count("-") > 1:
        parser.error("`-` (stdin) can be given only once")
    if _same_file(args.input, args.output) or any(_same_file(f, args.output) for f in args.files):
        parser.error("--output must not be an input file")
    if args.errors and (_same_file(args.errors, args.output) or _same_file(args.errors, args.input)):
        parser.error("--errors must differ from --input and --output")

    # check inputs and outputs before loading the models (a typo fails in a fraction of a second)
    _check_output(args.output, "--output")
    _check_output(args.errors, "--errors")
    if args.input:
        inp = _check_input(args.input)
        if inp.is_file() and inp.suffix.lower() == ".txt":
            parser.error(f"{args.input} is a .txt article: pass it as FILE (without --input); --input takes a "
                         "JSONL corpus or a folder of .txt files")
        total = _count_records(inp) if not args.quiet and sys.stderr.isatty() else None
    else:
        for f in args.files:
            if f.lower().endswith((".jsonl", ".json")):
                parser.error(f"{f}: a FILE is one raw article; for a JSONL corpus use --input {f}")
            if f != "-" and not Path(f).exists():
                raise _usage(f"{f}: file not found")
            if f != "-" and Path(f).is_dir():
                raise _usage(f"{f}: is a folder; use --input {f} for a folder of .txt files")
        inp, total = None, len(args.files)
    pipe = _load(args)
    items = _corpus_items(inp) if inp is not None else _file_items(args.files, args.max_chars)
    header = inp is not None or len(args.files) > 1
    no_editorial = 0
    try:
        with _Sink(args.output) as out, _Reporter(total, args.quiet, args.errors, "predict") as rep:
            first = True
            for item, pred in _run(pipe, items, args.batch_size):
                if item.error is not None:
                    rep.failure(item.source, item.id, item.reason or "failed", item.error)
                elif pred.error is not None:
                    rep.failure(item.source, item.id, *_pred_failure(pred.error))
                else:
                    rep.success()
                    no_editorial += pred.topic is None
                    if fmt == "json":
                        out.write(_json_line(pred, item.source))
                    else:
                        out.write(("" if first or not header else "\n")
                                  + _render_text(pred, item.source, header, args.show_boilerplate))
                        first = False
                    if out.path is None:
                        out.flush()  # stream: a reader of the pipe sees each article as it is done
    except BrokenPipeError:  # `newssift predict ... | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise
    if not args.quiet or rep.failed:
        note = f" ({no_editorial} with no editorial text left, topic null)" if no_editorial else ""
        print(f"newssift: processed {rep.ok}{note}, failed {rep.failed}{rep.failures_note()}"
              + (f"; wrote {args.output}" if args.output != "-" else ""), file=sys.stderr)
    return 1 if rep.failed else 0


# --------------------------------------------------------------------------------------------------------------
# eval
# --------------------------------------------------------------------------------------------------------------

def _finite(obj):
    """JSON-safe copy: NaN/inf (e.g. PR-AUC with one class) become null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _fmt(v) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.3f}"


def format_eval_table(result: dict) -> str:
    """The human-readable report of ``newssift eval``."""
    r = result["records"]
    family = result["family"]
    if result.get("boilerplate_family", family) != family:
        family = f"{family} topic + {result['boilerplate_family']} boilerplate"
    lines = [f"newssift eval: {family} models from {result['models']} on {result['input']}",
             f"records: {r['read']} read, {r['scored']} scored, {r['invalid']} invalid, "
             f"{r['unlabelled']} without any labels (skipped)", ""]
    b = result.get("boilerplate")
    if b:
        lines += [f"Boilerplate, line level: {b['articles']} articles with line_labels, {b['lines']} lines, "
                  f"threshold {b['threshold']:.3f}, boilerplate share {b['boilerplate_share']:.1%}",
                  f"  {'class':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'F1 (length-weighted)':>21}"]
        for name in ("editorial", "boilerplate"):
            lines.append(f"  {name:<12} {_fmt(b[f'{name}_precision']):>9} {_fmt(b[f'{name}_recall']):>7} "
                         f"{_fmt(b[f'{name}_f1']):>7} {_fmt(b[f'{name}_f1_length_weighted']):>21}")
        lines += [f"  macro F1 {_fmt(b['macro_f1'])}   PR-AUC boilerplate {_fmt(b['pr_auc_boilerplate'])}, "
                  f"editorial {_fmt(b['pr_auc_editorial'])}   editorial token F1 {_fmt(b['editorial_token_f1'])}"]
    else:
        lines.append(f"Boilerplate: not scored ({r['without_line_labels']} valid records, none with line_labels)")
    lines.append("")
    t = result.get("topic")
    if t:
        lines += [f"Topic, full pipeline (topic of the predicted editorial text): {t['n']} articles with a topic",
                  f"  accuracy {_fmt(t['accuracy'])}   macro F1 {_fmt(t['macro_f1'])}",
                  f"  {'topic':<20} {'F1':>7} {'support':>8}"]
        for lab, f in t["per_class_f1"].items():
            lines.append(f"  {lab:<20} {_fmt(f):>7} {t['support'].get(lab, 0):>8}")
        if t["no_topic_predicted"]:
            lines.append(f"  {t['no_topic_predicted']} article(s) had no editorial text left, so no topic "
                         "(counted as errors)")
        if t["unknown_topics"]:
            lines.append(f"  topics the model does not know (always errors): {', '.join(t['unknown_topics'])}")
    else:
        lines.append(f"Topic: not scored ({r['without_topic']} valid records, none with a topic)")
    return "\n".join(lines) + "\n"


def _cmd_eval(args) -> int:
    import numpy as np

    from newssift.corpus import write_json
    from newssift.metrics import boilerplate_metrics, topic_metrics

    if args.json and _same_file(args.json, args.input):
        args._parser.error("--json must not be the input file")
    _check_output(args.json, "--json")
    _check_output(args.errors, "--errors")
    inp = _check_input(args.input)
    if args.labels:
        _check_input(args.labels)
    total = _count_records(inp) if not args.quiet and sys.stderr.isatty() else None
    pipe = _load(args)

    docs, gold, proba = [], [], []
    y_true, y_pred = [], []
    counts = Counter()

    def unlabelled(it: Item) -> bool:
        return it.record is not None and it.record.topic is None and it.record.line_labels is None

    with _Reporter(total, args.quiet, args.errors, "eval", max_listed=None if args.errors else SHOW_ERRORS) as rep:
        for item, pred in _run(pipe, _corpus_items(inp, args.labels), args.batch_size, skip=unlabelled):
            counts["read"] += 1
            if item.error is not None:
                rep.failure(item.source, item.id, item.reason or "failed", item.error)
                continue
            if pred is None:  # no labels at all: not predicted
                counts["unlabelled"] += 1
                counts["without_topic"] += 1
                counts["without_line_labels"] += 1
                rep.skipped()
                continue
            if pred.error is not None:
                rep.failure(item.source, item.id, *_pred_failure(pred.error))
                continue
            rec = item.record
            if rec.line_labels is not None and len(rec.line_labels) != len(pred.lines):
                rep.failure(item.source, item.id, "line_labels_length",
                            f"'line_labels' has {len(rec.line_labels)} entries but the cleaned text has "
                            f"{len(pred.lines)} lines")
                continue
            rep.success()
            if rec.line_labels is not None:
                docs.append([ln.text for ln in pred.lines])
                gold.append(rec.line_labels)
                proba.append(np.array([ln.probability for ln in pred.lines], dtype=float))
            else:
                counts["without_line_labels"] += 1
            if rec.topic is not None:
                y_true.append(rec.topic)
                y_pred.append(pred.topic if pred.topic is not None else NO_TOPIC)
            else:
                counts["without_topic"] += 1
        if rep.failed > SHOW_ERRORS and not args.errors:
            rep.say(f"newssift: ... {rep.failed - SHOW_ERRORS} more invalid records not listed "
                    "(use --errors FILE to write them all)")

    if not docs and not y_true:
        raise _usage(f"{args.input}: nothing to score: no valid record has a 'topic' or 'line_labels' "
                     f"({counts['read']} read, {rep.failed} invalid)")
    records = {"read": counts["read"], "scored": rep.ok, "invalid": rep.failed,
               "invalid_reasons": dict(sorted(rep.reasons.items())), "unlabelled": counts["unlabelled"],
               "without_topic": counts["without_topic"], "without_line_labels": counts["without_line_labels"]}
    result: dict[str, Any] = {"family": pipe.family, "boilerplate_family": pipe.boilerplate_family,
                              "models": str(_models_folder(args)), "input": str(inp),
                              "records": records, "boilerplate": None, "topic": None}
    if docs:
        result["boilerplate"] = boilerplate_metrics(docs, gold, proba, float(pipe.boilerplate_model.threshold_))
    if y_true:
        known = list(pipe.topics)
        labels = sorted(set(known) | set(y_true))
        tm = topic_metrics(y_true, y_pred, labels)
        tm["support"] = dict(sorted(Counter(y_true).items()))
        tm["no_topic_predicted"] = sum(1 for p in y_pred if p == NO_TOPIC)
        tm["unknown_topics"] = sorted(set(y_true) - set(known))
        result["topic"] = tm
    result = _finite(result)
    sys.stdout.write(format_eval_table(result))
    sys.stdout.flush()
    if args.json:
        write_json(args.json, result)
    if not args.quiet or rep.failed:
        print(f"newssift: scored {rep.ok}, invalid {rep.failed}{rep.failures_note()}, "
              f"without labels {counts['unlabelled']}" + (f"; wrote {args.json}" if args.json else ""),
              file=sys.stderr)
    return 1 if rep.failed else 0


def _models_folder(args) -> Path:
    from newssift.inference import _family_folder

    return _family_folder(Path(args.models), args.model)
