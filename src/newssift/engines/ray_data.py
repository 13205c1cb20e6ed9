"""Clean and predict a corpus on a Ray cluster with Ray Data (``newssift predict --engine ray``).

The same rules as the clean stage and the same trained models as ``newssift predict``, spread over the workers
of a Ray cluster (or of a local Ray instance); newssift schedules nothing itself. The steps, as Ray Data
operations:

1. **read** (one read task per file, streamed): JSONL (optionally compressed) or Parquet files, local or on an
   object store (``s3://``, ``gs://``, ``abfs://``, anything pyarrow opens). Every record goes through
   :func:`newssift.data.corpus.validate` (JSONL lines through :func:`newssift.data.corpus.parse_jsonl_lines`, the clean
   stage's reader): a bad record becomes a reject row with its reason, never an exception;
2. **clean** (``map_batches``, tasks): :func:`newssift.data.text.clean_text` and
   :func:`newssift.data.cleaning.cleaned_text_problem` (empty, shorter than ``min_chars``);
3. **duplicate ids** (``groupby(bucket).map_groups``): of the valid records sharing an id, the first in input
   order keeps it, the others are rejects ``duplicate_id``, as in the clean stage;
4. **exact duplicates** (``groupby(bucket).map_groups``) on :func:`newssift.data.dedup.fingerprint` of the cleaned
   text: the first in input order is kept, the others are rows with reason ``exact_duplicate`` and
   ``duplicate_of``;
5. **predict** (``map_batches`` with a callable class on an actor pool): each actor loads the models once with
   :func:`newssift.load_pipeline` and runs :meth:`~newssift.inference.Pipeline.predict_many`; with a transformer
   model and GPUs in the cluster each actor gets a GPU (``num_gpus``);
6. **write** Parquet: the columns ``newssift predict`` writes (``id``, ``source``, ``editorial``, ``lines``,
   ``topic``, ``topic_probabilities``, ``error``) plus ``reason`` and ``duplicate_of``. Every record read is one
   row: a processed article has ``reason`` null; a reject has its ``reason`` and the message in ``error``; so
   read = kept + rejected + duplicates.

Steps 3 and 4 hash each key into one of ``dedup_buckets`` buckets and group by bucket (all rows of one key meet
in one group); the order of a record is (file, position in the file). Step 1 to 4 and the prediction are
separated by :meth:`ray.data.Dataset.materialize` (the shuffles are barriers anyway): the prediction actors then
get the whole cluster and never wait for, or starve, the read and clean tasks.

Near-duplicate flags and the rare-topic rule of the clean stage are for training (the split) and are not applied
here. Models are read from the driver's ``models_dir`` and shipped to the workers through Ray's object store, so
the cluster needs no copy of them; the corpus and the output must be paths the workers can reach (an object
store or a shared file system) when the cluster is not this machine.

Ray is an optional dependency (``pip install -e ".[ray]"``); this module imports it only when a function runs.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newssift.errors import DataError, ModelLoadError

INPUT_FORMATS = ("auto", "jsonl", "parquet")
JSONL_EXTENSIONS = ["jsonl", "json", "jsonl.gz", "json.gz", "jsonl.bz2", "json.bz2", "jsonl.zst", "json.zst",
                    "jsonl.lz4", "json.lz4"]
PARQUET_EXTENSIONS = ["parquet", "pq"]
DEFAULT_DEDUP_BUCKETS = 1 << 16  # groups of the dedup shuffles: small groups for a small corpus, bounded for a large
ROWS_PER_BLOCK = 1000  # rows per block of the read step
ROWS_PER_CALL = 64  # rows per call of a prediction actor (at least): small enough to keep every actor busy
DUPLICATE = "exact_duplicate"  # the reason counted as a duplicate (as in reports/clean.json)
INSTALL_HINT = 'the Ray engine needs Ray Data: pip install -e ".[ray]" (or pip install "ray[data]")'


def import_ray():
    """``ray`` and ``ray.data``; a clear :class:`DataError` when the extra is not installed."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise DataError(f"{INSTALL_HINT} ({exc})") from None
    return ray


# --------------------------------------------------------------------------------------------------------------
# schemas (pyarrow)
# --------------------------------------------------------------------------------------------------------------

def _schemas():
    import pyarrow as pa

    s = pa.string()
    read = pa.schema([("path", s), ("seq", pa.int64()), ("source", s), ("id", s), ("reason", s), ("error", s),
                      ("raw", pa.binary())])
    work = pa.schema([("path", s), ("seq", pa.int64()), ("source", s), ("id", s), ("reason", s), ("error", s),
                      ("duplicate_of", s), ("text", s), ("problem", s), ("problem_detail", s), ("bucket", pa.int64())])
    line = pa.struct([("text", s), ("boilerplate", pa.bool_()), ("probability", pa.float64())])
    output = pa.schema([("id", s), ("source", s), ("editorial", s), ("lines", pa.list_(line)), ("topic", s),
                        ("topic_probabilities", pa.map_(s, pa.float64())), ("error", s), ("reason", s),
                        ("duplicate_of", s)])
    return read, work, output


def output_columns() -> list[str]:
    """The columns of the Parquet output."""
    return list(_schemas()[2].names)


def _safe(s: str | None) -> str | None:
    """A string Arrow can hold (lone surrogates, e.g. from an undecodable file name, as escapes)."""
    if s is None:
        return None
    from newssift.data.corpus import _printable

    return _printable(s)


def _bucket(key: str, buckets: int) -> int:
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % buckets


# --------------------------------------------------------------------------------------------------------------
# 1. read
# --------------------------------------------------------------------------------------------------------------

def _detect_format(paths: list[str], input_format: str) -> str:
    if input_format not in INPUT_FORMATS:
        raise DataError(f"unknown input format {input_format!r}; choose one of {', '.join(INPUT_FORMATS)}")
    if input_format != "auto":
        return input_format
    for p in paths:
        low = p.lower().rstrip("/")
        if low.endswith(tuple(f".{e}" for e in PARQUET_EXTENSIONS)):
            return "parquet"
        if "://" not in p and Path(p).is_dir() and any(Path(p).rglob("*.parquet")) \
                and not any(Path(p).rglob("*.jsonl*")):
            return "parquet"
    return "jsonl"


def _display_roots(paths: list[str]) -> list[tuple[str, str]]:
    """(path as the file system sees it, path as the user wrote it): sources name files the user's way."""
    roots = []
    for p in paths:
        if "://" in p:
            resolved = p.split("://", 1)[1]
        else:
            resolved = os.path.abspath(os.path.expanduser(p))
        roots.append((resolved.rstrip("/") or "/", p.rstrip("/") or p))
    return roots


def _make_datasource(paths: list[str], fmt: str, max_chars: int | None, rows_per_block: int):
    from ray.data.datasource import FileBasedDatasource

    from newssift.data.corpus import (
        Record,
        iter_jsonl_lines,
        parse_jsonl_lines,
        validate,
    )

    roots = _display_roots(paths)

    def display(path: str) -> str:
        for resolved, given in roots:
            if path == resolved:
                return given
            if path.startswith(resolved + "/"):
                return given + path[len(resolved):]
        return path

    def parquet_records(f, name: str):
        import pyarrow.parquet as pq

        n = 0
        for batch in pq.ParquetFile(f).iter_batches(batch_size=rows_per_block):
            for row in batch.to_pylist():
                n += 1
                # a null in a column is an absent key (columnar files have every column in every row)
                yield validate({k: v for k, v in row.items() if v is not None}, f"{name}:{n}", max_chars)

    class CorpusDatasource(FileBasedDatasource):
        """Validated records of newssift corpus files, in file order (``seq``); text as UTF-8 bytes."""

        def __init__(self):
            super().__init__(paths, file_extensions=JSONL_EXTENSIONS if fmt == "jsonl" else PARQUET_EXTENSIONS)

        def _open_input_source(self, filesystem, path, **open_args):
            if fmt == "parquet":  # Parquet needs random access
                return filesystem.open_input_file(path)
            return super()._open_input_source(filesystem, path, **open_args)

        def _read_stream(self, f, path: str) -> Iterator[Any]:
            import pyarrow as pa

            read_schema = _schemas()[0]
            name = display(path)
            if fmt == "jsonl":
                items = parse_jsonl_lines(iter_jsonl_lines(io.BufferedReader(f)), name, max_chars)
            else:
                items = parquet_records(f, name)
            rows: list[dict] = []
            for seq, item in enumerate(items):
                if isinstance(item, Record):
                    rows.append({"path": _safe(name), "seq": seq, "source": _safe(item.source), "id": item.id,
                                 "reason": None, "error": None,
                                 # the raw text may hold lone surrogates (cleaning removes them): bytes, losslessly
                                 "raw": item.text.encode("utf-8", "surrogatepass")})
                else:
                    rows.append({"path": _safe(name), "seq": seq, "source": _safe(item.source),
                                 "id": _safe(item.id), "reason": item.reason, "error": _safe(item.detail),
                                 "raw": None})
                if len(rows) >= rows_per_block:
                    yield pa.Table.from_pylist(rows, schema=read_schema)
                    rows = []
            if rows:
                yield pa.Table.from_pylist(rows, schema=read_schema)

    return CorpusDatasource()


def read_corpus(paths: str | list[str], *, input_format: str = "auto", max_chars: int | None = 5_000_000,
                rows_per_block: int = ROWS_PER_BLOCK):
    """A Ray Dataset of the validated records of ``paths`` (files, folders, globs of the file system or an object
    store): columns ``path``, ``seq`` (order in the file), ``source``, ``id``, ``reason``/``error`` (rejects) and
    ``raw`` (the text as UTF-8 bytes)."""
    ray = import_ray()
    paths = [paths] if isinstance(paths, str) else list(paths)
    if not paths:
        raise DataError("no input paths given")
    remote = ray.util.client.ray.is_connected()  # over ray://, a local path is the cluster's, not ours
    for p in paths:
        if not remote and "://" not in p and not any(c in p for c in "*?[") and not Path(p).exists():
            raise DataError(f"{p}: input not found")
    fmt = _detect_format(paths, input_format)
    return ray.data.read_datasource(_make_datasource(paths, fmt, max_chars, rows_per_block))


# --------------------------------------------------------------------------------------------------------------
# 2-4. clean and de-duplicate
# --------------------------------------------------------------------------------------------------------------

def _clean_batch(batch, min_chars: int, buckets: int):
    """Read rows -> work rows: the cleaned text and its problem (empty, too short), bucket of the id."""
    import pyarrow as pa

    from newssift.data.cleaning import cleaned_text_problem
    from newssift.data.text import clean_text

    work_schema = _schemas()[1]
    out = []
    for row in batch.to_pylist():
        text = problem = detail = None
        if row["reason"] is None:
            text = clean_text(row["raw"].decode("utf-8", "surrogatepass"))
            found = cleaned_text_problem(text, min_chars)
            if found is not None:
                (problem, detail), text = found, None
        key = row["id"] if row["reason"] is None else "\0" + row["source"]
        out.append({"path": row["path"], "seq": row["seq"], "source": row["source"], "id": row["id"],
                    "reason": row["reason"], "error": row["error"], "duplicate_of": None, "text": text,
                    "problem": problem, "problem_detail": detail, "bucket": _bucket(key, buckets)})
    return pa.Table.from_pylist(out, schema=work_schema)


def _dedup_ids(group, buckets: int):
    """One bucket of ids: the first valid record of each id (input order) keeps it; then the problems found by
    cleaning become rejects; survivors are bucketed by the fingerprint of their text."""
    import pyarrow as pa

    from newssift.data.cleaning import duplicate_id_reject
    from newssift.data.dedup import fingerprint

    rows = sorted(group.to_pylist(), key=lambda r: (r["path"], r["seq"]))
    first_source: dict[str, str] = {}
    for r in rows:
        if r["reason"] is not None:
            r["bucket"] = _bucket("\0" + r["source"], buckets)
            continue
        if r["id"] in first_source:
            rej = duplicate_id_reject(r["source"], r["id"], first_source[r["id"]])
            r.update(reason=rej.reason, error=rej.detail, text=None)
        else:
            first_source[r["id"]] = r["source"]
            if r["problem"] is not None:
                r.update(reason=r["problem"], error=r["problem_detail"], text=None)
        if r["reason"] is None:
            r["bucket"] = int(fingerprint(r["text"])[:15], 16) % buckets
        else:
            r["bucket"] = _bucket("\0" + r["source"], buckets)
    return pa.Table.from_pylist(rows, schema=_schemas()[1])


def _dedup_texts(group):
    """One bucket of fingerprints: the first record of each cleaned text (input order) is kept, the later ones
    are exact duplicates of it."""
    import pyarrow as pa

    from newssift.data.cleaning import exact_duplicate_reject
    from newssift.data.dedup import fingerprint

    rows = sorted(group.to_pylist(), key=lambda r: (r["path"], r["seq"]))
    first_id: dict[str, str] = {}
    for r in rows:
        if r["reason"] is not None:
            continue
        fp = fingerprint(r["text"])
        if fp in first_id:
            rej = exact_duplicate_reject(r["source"], r["id"], first_id[fp])
            r.update(reason=rej.reason, error=rej.detail, duplicate_of=rej.extra["duplicate_of"], text=None)
        else:
            first_id[fp] = r["id"]
    return pa.Table.from_pylist(rows, schema=_schemas()[1])


def default_shuffle_partitions() -> int:
    """Partitions of the two dedup shuffles when not given: two per CPU of the cluster (Ray's own default, 200,
    makes a small corpus wait for hundreds of tiny tasks; a corpus of many GB wants about one per GB)."""
    ray = import_ray()
    return max(1, 2 * int(ray.cluster_resources().get("CPU", 1)))


def clean_corpus(ds, *, min_chars: int = 20, dedup_buckets: int = DEFAULT_DEDUP_BUCKETS,
                 shuffle_partitions: int | None = None):
    """The clean stage's rules on a dataset of :func:`read_corpus`: cleaning, duplicate ids, exact duplicates.
    Rows keep their order key (``path``, ``seq``); ``text`` is the cleaned text of the rows kept (``reason``
    null)."""
    parts = shuffle_partitions or default_shuffle_partitions()
    ds = ds.map_batches(_clean_batch, batch_format="pyarrow", fn_kwargs={"min_chars": min_chars,
                                                                         "buckets": dedup_buckets})
    ds = ds.groupby("bucket", num_partitions=parts).map_groups(_dedup_ids, batch_format="pyarrow",
                                                                fn_kwargs={"buckets": dedup_buckets})
    return ds.groupby("bucket", num_partitions=parts).map_groups(_dedup_texts, batch_format="pyarrow")


# --------------------------------------------------------------------------------------------------------------
# 5. predict
# --------------------------------------------------------------------------------------------------------------

def _task_folders(models_dir: Path, model: str, boilerplate: str | None) -> tuple[dict[str, Path], str]:
    """(task -> model folder, boilerplate family), checked (manifest and checksums) on the driver before any work
    starts; the boilerplate family defaults as in :func:`newssift.load_pipeline` (``"none"``: no boilerplate
    folder, every line kept)."""
    from newssift.artifacts import read_manifest
    from newssift.models.registry import task_folders

    folders, boilerplate = task_folders(models_dir, model, boilerplate)
    folders = {task: folder for task, folder in folders.items() if folder is not None}
    for task, folder in folders.items():
        family = boilerplate if task == "boilerplate" else model
        if not folder.is_dir():
            raise ModelLoadError(f"{folder}: no trained {family} model here (run `dvc repro`, or pass the folder "
                                 "that holds tfidf/ and transformer/)")
        read_manifest(folder, family=family, task=task)
    return folders, boilerplate


def pack_models(models_dir: str | Path, model: str = "tfidf", boilerplate: str | None = None) -> dict[str, bytes]:
    """The files of the two model folders a pipeline needs, as ``{"<family>/<task>/<file>": bytes}`` (a
    ``models/`` layout that :func:`newssift.load_pipeline` reads once unpacked)."""
    files: dict[str, bytes] = {}
    folders, boilerplate = _task_folders(Path(models_dir), model, boilerplate)
    for task, folder in folders.items():
        family = boilerplate if task == "boilerplate" else model
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                files[f"{family}/{task}/{f.relative_to(folder).as_posix()}"] = f.read_bytes()
    return files


def unpack_models(files: dict[str, bytes], folder: str | Path) -> Path:
    folder = Path(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


class Predictor:
    """Ray Data callable class: one per actor; loads the pipeline once, then predicts batches of rows of
    :func:`clean_corpus` into rows of the output schema."""

    def __init__(self, models_ref: list, model: str, boilerplate: str, device: str, max_chars: int,
                 batch_size: int):
        import ray

        from newssift.inference import load_pipeline

        files = ray.get(models_ref[0])  # nested in a list: Ray resolves the reference here, once per actor
        self._dir = tempfile.mkdtemp(prefix="newssift-models-")
        try:
            unpack_models(files, self._dir)
            self.pipe = load_pipeline(self._dir, model=model, device=device, max_chars=max_chars, n_jobs=1,
                                      boilerplate=boilerplate)
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)  # loaded into memory: the files are not needed any more
        self.batch_size = batch_size

    def __call__(self, batch):
        import pyarrow as pa

        from newssift.inference import failure, predict_chunk

        rows = batch.to_pylist()
        todo = [r for r in rows if r["reason"] is None]
        preds = predict_chunk(self.pipe, [r["text"] for r in todo], [r["id"] for r in todo], self.batch_size) \
            if todo else []
        by_pos = {id(r): p for r, p in zip(todo, preds)}
        out = []
        for r in rows:
            row = {"id": r["id"], "source": r["source"], "editorial": None, "lines": None, "topic": None,
                   "topic_probabilities": None, "error": r["error"], "reason": r["reason"],
                   "duplicate_of": r["duplicate_of"]}
            pred = by_pos.get(id(r))
            if pred is not None and pred.error is not None:
                row["reason"], row["error"] = failure(pred.error)
            elif pred is not None:
                d = pred.to_dict()
                row.update(editorial=d["editorial"], lines=d["lines"], topic=d["topic"],
                           topic_probabilities=list(d["topic_probabilities"].items()))
            out.append(row)
        return pa.Table.from_pylist(out, schema=_schemas()[2])


def cluster_resources() -> dict[str, float]:
    ray = import_ray()
    return dict(ray.cluster_resources())


def worker_plan(model: str, boilerplate: str, device: str, workers: int | None,
                gpus_per_worker: float | None, resources: dict[str, float]) -> tuple[int, float]:
    """(actors, GPUs per actor). GPUs go to the transformer family only, when the cluster has them and the
    device allows it; ``workers`` None or < 1: one actor per GPU share, else one per CPU of the cluster."""
    uses_transformer = "transformer" in (model, boilerplate)
    gpus = float(resources.get("GPU", 0))
    if gpus_per_worker is None:
        gpus_per_worker = 1.0 if uses_transformer and gpus >= 1 and device in ("auto", "cuda") else 0.0
    if gpus_per_worker > 0 and gpus < gpus_per_worker:
        raise DataError(f"{gpus_per_worker:g} GPU per worker asked for, but the Ray cluster has {gpus:g} GPU")
    if not workers or workers < 1:
        if gpus_per_worker > 0:
            workers = int(gpus // gpus_per_worker)
        else:
            workers = int(resources.get("CPU", 1))
    return max(1, workers), gpus_per_worker


def predict_corpus(ds, models_dir: str | Path = "models", *, model: str = "tfidf", boilerplate: str | None = None,
                   device: str = "auto", workers: int | None = None, gpus_per_worker: float | None = None,
                   max_chars: int = 5_000_000, batch_size: int = 64, packed: dict[str, bytes] | None = None):
    """Predict the rows of :func:`clean_corpus` on an actor pool (``workers`` actors, models loaded once per
    actor). Returns the dataset of output rows (schema :func:`output_columns`). ``packed``: the result of
    :func:`pack_models` when the caller has it already."""
    ray = import_ray()
    boilerplate = _task_folders(Path(models_dir), model, boilerplate)[1]
    files = packed if packed is not None else pack_models(models_dir, model, boilerplate)
    actors, gpus = worker_plan(model, boilerplate, device, workers, gpus_per_worker, dict(ray.cluster_resources()))
    if gpus > 0 and device == "auto":
        device = "cuda"
    models_ref = ray.put(files)
    return ds.map_batches(
        Predictor, batch_format="pyarrow", batch_size=max(batch_size, ROWS_PER_CALL),
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1, num_gpus=gpus or None,
        fn_constructor_kwargs={"models_ref": [models_ref], "model": model, "boilerplate": boilerplate,
                               "device": device, "max_chars": max_chars, "batch_size": batch_size})


# --------------------------------------------------------------------------------------------------------------
# the whole run
# --------------------------------------------------------------------------------------------------------------

def _count_batch(batch):
    import pyarrow as pa

    counts = Counter("" if r is None else r for r in batch.column("reason").to_pylist())
    return pa.table({"reason": list(counts), "n": list(counts.values())})


def count_output(output: str) -> dict[str, Any]:
    """Counts of a written output (read back from its ``reason`` column): read = kept + rejected + duplicates."""
    ray = import_ray()
    reasons: Counter = Counter()
    parts = ray.data.read_parquet(output).select_columns(["reason"]).map_batches(_count_batch,
                                                                                batch_format="pyarrow")
    for row in parts.take_all():
        reasons[row["reason"]] += row["n"]
    kept = reasons.pop("", 0)
    duplicates = reasons.get(DUPLICATE, 0)
    read = kept + sum(reasons.values())
    return {"read": read, "kept": kept, "rejected": read - kept - duplicates, "duplicates": duplicates,
            "reasons": dict(sorted(reasons.items()))}


def ensure_ray(address: str | None = None, num_cpus: int | None = None, quiet: bool = False) -> bool:
    """Connect to the Ray cluster at ``address`` (``ray://host:10001``, ``host:6379``, ``auto``; default
    ``$RAY_ADDRESS``), or start a local Ray instance. True when this call started or connected Ray (the caller
    then shuts it down)."""
    ray = import_ray()
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"address": address or os.environ.get("RAY_ADDRESS") or None}
    if kwargs["address"] is None and num_cpus:
        kwargs["num_cpus"] = num_cpus
    if quiet:
        kwargs.update(logging_level="ERROR", log_to_driver=False)
    try:
        ray.init(**kwargs)
    except ConnectionError as exc:
        raise DataError(f"cannot connect to the Ray cluster at {kwargs['address']} ({exc})") from None
    return True


def run_predict(inputs: str | list[str], output: str, models_dir: str | Path = "models", *, model: str = "tfidf",
                boilerplate: str | None = None, device: str = "auto", workers: int | None = None,
                gpus_per_worker: float | None = None, batch_size: int = 64, max_chars: int = 5_000_000,
                min_chars: int = 20, input_format: str = "auto", dedup_buckets: int = DEFAULT_DEDUP_BUCKETS,
                shuffle_partitions: int | None = None, quiet: bool = False) -> dict[str, Any]:
    """Read, clean, de-duplicate and predict ``inputs`` on the connected Ray cluster (see :func:`ensure_ray`)
    and write Parquet to the folder ``output``, which must not exist yet. Returns the counts (read, kept,
    rejected, duplicates, reasons), the number of workers and the seconds taken."""
    ray = import_ray()
    from ray.data import DataContext

    if not ray.is_initialized():
        raise DataError("Ray is not running: call newssift.engines.ray_data.ensure_ray() (or ray.init()) first")
    if "://" not in output and not ray.util.client.ray.is_connected() and Path(output).exists():
        raise DataError(f"{output}: already exists; the Ray engine writes a new folder of Parquet files")
    ctx = DataContext.get_current()
    if quiet:
        ctx.enable_progress_bars = False
    t0 = time.perf_counter()
    boilerplate = _task_folders(Path(models_dir), model, boilerplate)[1]
    packed = pack_models(models_dir, model, boilerplate)  # a bad model folder fails before anything is read
    cleaned = clean_corpus(read_corpus(inputs, input_format=input_format, max_chars=max_chars),
                           min_chars=min_chars, dedup_buckets=dedup_buckets,
                           shuffle_partitions=shuffle_partitions).materialize()
    t_clean = time.perf_counter()
    if cleaned.count() == 0:  # (metadata of the materialized blocks) nothing read: nothing to write
        raise DataError(f"{inputs}: no records found (no non-blank JSONL line or Parquet row in the input)")
    actors, gpus = worker_plan(model, boilerplate, device, workers, gpus_per_worker, dict(ray.cluster_resources()))
    out = predict_corpus(cleaned, models_dir, model=model, boilerplate=boilerplate, device=device, workers=actors,
                         gpus_per_worker=gpus, max_chars=max_chars, batch_size=batch_size, packed=packed)
    out.write_parquet(output, mode="error")
    t_pred = time.perf_counter()
    counts = count_output(output)
    counts.update(workers=actors, gpus_per_worker=gpus, seconds=round(time.perf_counter() - t0, 3),
                  seconds_clean=round(t_clean - t0, 3), seconds_predict=round(t_pred - t_clean, 3))
    assert counts["read"] == counts["kept"] + counts["rejected"] + counts["duplicates"]
    return counts


def cli_predict(args) -> int:
    """``newssift predict --engine ray``: exit 0 all kept or duplicates, 1 some records rejected, 2 usage."""
    parser = args._parser
    if args.files:
        parser.error("--engine ray reads --input (a JSONL/Parquet file, folder or object-store path), not FILE "
                     "arguments")
    if not args.input:
        parser.error("--engine ray needs --input (JSONL or Parquet: a file, folder, glob or s3://... path)")
    if not args.output or args.output == "-":
        parser.error("--engine ray needs --output FOLDER (Parquet files are written there)")
    if args.errors:
        parser.error("--engine ray writes rejects as rows of the output (column reason), not to --errors")
    if args.format == "text" or args.show_boilerplate:
        parser.error("--engine ray writes Parquet; --format text and --show-boilerplate are for the local engine")
    import_ray()
    started = ensure_ray(args.address, quiet=args.quiet)
    try:
        counts = run_predict(args.input, args.output, args.models, model=args.model,
                             boilerplate=args.boilerplate_model, device=args.device, workers=args.jobs or None,
                             gpus_per_worker=args.gpus_per_worker, batch_size=args.batch_size,
                             max_chars=args.max_chars, min_chars=args.min_chars, input_format=args.input_format,
                             shuffle_partitions=args.shuffle_partitions, quiet=args.quiet)
    finally:
        if started:
            import ray

            ray.shutdown()
    if not args.quiet or counts["rejected"]:
        reasons = ", ".join(f"{k} {v}" for k, v in counts["reasons"].items())
        print(f"newssift: read {counts['read']}, processed {counts['kept']}, rejected {counts['rejected']}, "
              f"duplicates {counts['duplicates']}" + (f" ({reasons})" if reasons else "")
              + f"; {counts['workers']} worker(s); wrote {args.output}", file=sys.stderr)
    return 1 if counts["rejected"] else 0
