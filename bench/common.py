"""Shared helpers of the real-data benchmarks (``bench/*.py``).

- where the real data lives (``--data``, else ``$NEWSSIFT_DATA``, else ``../shared/data`` next to the project) and
  a clean skip (exit code 0, a message naming the missing file) where it is absent;
- readers for the corpora, cleaned with the pipeline's own :func:`newssift.data.text.clean_text`;
- seeded, grouped cross-validation folds and an inner validation hold-out;
- the machine description and the JSON result file (command, UTC date, machine, parameters, figures).

No data is ever written by these helpers: result files hold figures only.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shlex
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_DATA = Path("..") / "shared" / "data"  # relative to the project root
ENV_DATA = "NEWSSIFT_DATA"

SCRAPINGHUB = "scrapinghub/lines.jsonl"
BBC = "bbc/bbc_fulltext.csv"
BBC_DUPLICATES = "bbc/exact_duplicates.tsv"
AG_NEWS = "ag_news/test.csv"


def say(msg: str) -> None:
    """Progress to stderr (stdout stays free)."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------------------
# data location and skipping
# --------------------------------------------------------------------------------------------------------------

def data_dir(arg: str | None = None) -> Path:
    """``--data`` if given, else ``$NEWSSIFT_DATA``, else ``../shared/data`` relative to the project root."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env).expanduser()
    return (ROOT / DEFAULT_DATA).resolve()


def require(data: Path, *relpaths: str, bench: str) -> list[Path]:
    """The paths of the given data files; when one is missing print why and exit with code 0 (a skip)."""
    paths = [data / r for r in relpaths]
    for p in paths:
        if not p.is_file():
            print(f"[bench] {bench}: SKIPPED: data file {p} not found (the real data is not shipped with newssift; "
                  f"pass --data DIR or set ${ENV_DATA} to the folder that holds {Path(*Path(p).parts[-2:])})",
                  file=sys.stderr, flush=True)
            sys.exit(0)
    return paths


def base_parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None,
                    help=f"folder with the real data (default: ${ENV_DATA}, else {DEFAULT_DATA} from the project root)")
    ap.add_argument("--output", default=None, help="result JSON (default: bench/results/<name>.json)")
    ap.add_argument("--seed", type=int, default=42, help="seed of folds, models and composition (default %(default)s)")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds (default %(default)s)")
    ap.add_argument("--limit", type=int, default=None,
                    help="use only this many items (smoke tests; figures are then not comparable)")
    return ap


def add_transformer_args(ap: argparse.ArgumentParser, *, max_length: int | None = None, epochs: float | None = None,
                         batch_size: int | None = None, learning_rate: float | None = None,
                         max_train_samples: int | None = None, folds: int | None = None) -> None:
    """Transformer options of a bench. A default of None means the project's default (config.py = params.yaml)."""
    g = ap.add_argument_group("transformer (the settings are reported with the figures)")
    g.add_argument("--skip-transformer", action="store_true", help="TF-IDF and anchors only")
    g.add_argument("--tf-max-length", type=int, default=max_length, help="default %(default)s (None: params.yaml)")
    g.add_argument("--tf-epochs", type=float, default=epochs, help="default %(default)s (None: params.yaml)")
    g.add_argument("--tf-batch-size", type=int, default=batch_size, help="default %(default)s (None: params.yaml)")
    g.add_argument("--tf-learning-rate", type=float, default=learning_rate,
                   help="default %(default)s (None: params.yaml)")
    g.add_argument("--tf-max-train-samples", type=int, default=max_train_samples,
                   help="training items per fold (default %(default)s; 0 or None = all)")
    g.add_argument("--tf-folds", type=int, default=folds,
                   help="run the transformer on the first K folds only (default: all folds)")
    g.add_argument("--tf-fold", type=int, action="append", default=[], metavar="K",
                   help="run the transformer on fold K (1-based) only (repeatable; instead of --tf-folds), e.g. "
                        "to finish the folds a long earlier run left out")
    g.add_argument("--tf-set", action="append", default=[], metavar="KEY=VALUE",
                   help="any other key of transformer.<task> in params.yaml, as YAML (repeatable), "
                        "e.g. --tf-set encoder_layers=3 --tf-set context=transformer")


def add_tfidf_args(ap: argparse.ArgumentParser) -> None:
    """``--tfidf-set KEY=VALUE``: a bench's TF-IDF settings other than the project's defaults."""
    ap.add_argument("--tfidf-set", action="append", default=[], metavar="KEY=VALUE",
                    help="any key of tfidf.<task> in params.yaml, as YAML (repeatable), e.g. --tfidf-set alpha=2e-5 "
                         "--tfidf-set char_ngram_max=0 (default: params.yaml's values)")


def tfidf_params(args: argparse.Namespace, task: str):
    """config.TfidfTopicParams / TfidfBoilerplateParams for a bench run: the project defaults (config.py =
    params.yaml) with ``--tfidf-set`` overrides, validated by the same schema as params.yaml."""
    from newssift.config import TfidfParams, params_from_dict, to_dict, yaml_value

    raw = to_dict(TfidfParams())
    for item in getattr(args, "tfidf_set", []) or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--tfidf-set {item!r}: expected KEY=VALUE")
        raw[task][key.strip()] = yaml_value(value)
    return getattr(params_from_dict({"tfidf": raw}).tfidf, task)


def transformer_params(args: argparse.Namespace, task: str, seed: int):
    """config.TransformerParams for a bench run: the project defaults, with the bench's settings for ``task``
    (validated by the same schema as params.yaml)."""
    from newssift.config import TransformerParams, params_from_dict, to_dict, yaml_value

    over: dict = {"epochs": args.tf_epochs, "learning_rate": args.tf_learning_rate, "batch_size": args.tf_batch_size,
                  "max_train_samples": args.tf_max_train_samples or None}
    over = {k: v for k, v in over.items() if v is not None or k == "max_train_samples"}
    for item in getattr(args, "tf_set", []) or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--tf-set {item!r}: expected KEY=VALUE")
        over[key.strip()] = yaml_value(value)
    raw = to_dict(TransformerParams())
    raw.update(device="cpu", seed=seed, num_threads=torch_threads())
    if args.tf_max_length is not None:
        raw["topic"]["max_length"] = int(args.tf_max_length)
    raw[task].update(over)
    return params_from_dict({"transformer": raw}).transformer


def torch_threads() -> int:
    return max(1, available_cores())


def set_torch_threads() -> int:
    n = torch_threads()
    try:
        import torch

        torch.set_num_threads(n)
    except ImportError:
        pass
    return n


# --------------------------------------------------------------------------------------------------------------
# corpora (each text cleaned with the pipeline's clean_text, as `dvc repro` does)
# --------------------------------------------------------------------------------------------------------------

def clean_lines(lines: Sequence[str]) -> list[str]:
    """clean_text over a page's lines; the number of lines never changes (checked)."""
    from newssift.data.text import clean_text, split_lines

    out = split_lines(clean_text("\n".join(lines)))
    if len(out) != len(lines):  # a line held a line break of its own: clean it alone, breaks become spaces
        out = [" ".join(split_lines(clean_text(line))) for line in lines]
    return out


def site_of(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def load_scrapinghub(path: Path, limit: int | None = None) -> dict:
    """Pages of scrapinghub/lines.jsonl: cleaned lines, labels (1 = boilerplate), site of each page."""
    docs, labels, sites, ids = [], [], [], []
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            rec = json.loads(raw)
            lines, lab = rec["lines"], [int(x) for x in rec["labels"]]
            if len(lines) != len(lab):
                raise ValueError(f"{path}: page {rec.get('id')}: {len(lines)} lines but {len(lab)} labels")
            docs.append(clean_lines(lines))
            labels.append(lab)
            sites.append(site_of(rec.get("url") or rec["id"]))
            ids.append(rec["id"])
            if limit and len(docs) >= limit:
                break
    return {"docs": docs, "labels": labels, "sites": sites, "ids": ids}


def load_bbc(path: Path, dup_path: Path | None = None, limit: int | None = None) -> dict:
    """BBC articles: ``title + "\\n" + body`` cleaned, topic, file name, and the duplicate group of each."""
    from newssift.data.text import clean_text

    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(r)
    group = {}
    if dup_path is not None:
        with dup_path.open(encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                parts = line.rstrip("\n").split("\t")
                if k == 0 and parts[0] == "keep" or len(parts) < 2:
                    continue
                group[parts[1]] = parts[0]
    if limit:
        rng = np.random.default_rng(0)
        rows = [rows[i] for i in sorted(rng.choice(len(rows), size=min(limit, len(rows)), replace=False))]
    return {
        "titles": [clean_text(r["title"]) for r in rows],
        "bodies": [clean_text(r["body"]) for r in rows],
        "texts": [clean_text(r["title"] + "\n" + r["body"]) for r in rows],
        "topics": [r["category"] for r in rows],
        "files": [r["file"] for r in rows],
        "groups": [group.get(r["file"], r["file"]) for r in rows],
        "duplicate_pairs": len(group),
    }


def load_agnews(path: Path, limit: int | None = None) -> dict:
    """AG News rows (no header: label,title,description); text = title + newline + description, cleaned.
    The data set's literal backslashes (its stand-in for line breaks) become spaces."""
    from newssift.data.text import clean_text

    names = {"1": "World", "2": "Sports", "3": "Business", "4": "Sci/Tech"}
    texts, topics = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 3:
                continue
            label, title, desc = row[0], row[1], " ".join(row[2:])
            texts.append(clean_text(title.replace("\\", " ") + "\n" + desc.replace("\\", " ")))
            topics.append(names.get(label, label))
    if limit:
        rng = np.random.default_rng(0)
        keep = sorted(rng.choice(len(texts), size=min(limit, len(texts)), replace=False))
        texts, topics = [texts[i] for i in keep], [topics[i] for i in keep]
    return {"texts": texts, "topics": topics}


# --------------------------------------------------------------------------------------------------------------
# folds
# --------------------------------------------------------------------------------------------------------------

def grouped_folds(n_splits: int, groups: Sequence[str], y: Sequence[str] | None = None,
                  seed: int = 42) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index arrays of ``n_splits`` folds; a group never spans two folds. Stratified by ``y`` when
    given (StratifiedGroupKFold), else GroupKFold; shuffled with ``seed``."""
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    x = np.zeros(len(groups))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if y is not None:
            cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
            return [(tr, te) for tr, te in cv.split(x, list(y), list(groups))]
        cv = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        return [(tr, te) for tr, te in cv.split(x, groups=list(groups))]


def inner_validation(train_idx: np.ndarray, groups: Sequence[str], y: Sequence[str] | None = None,
                     fraction: float = 0.15, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Split a fold's training indices into (fit, validation), grouped (and stratified when ``y`` is given)."""
    n_splits = max(2, round(1 / fraction))
    sub_groups = [groups[i] for i in train_idx]
    sub_y = None if y is None else [y[i] for i in train_idx]
    if sub_y is not None:  # tiny data (smoke runs): stratification needs n_splits members per class
        from collections import Counter

        smallest = min(Counter(sub_y).values())
        if smallest < n_splits:
            sub_y = None if smallest < 2 else sub_y
            n_splits = n_splits if sub_y is None else smallest
    fit_rel, val_rel = grouped_folds(n_splits, sub_groups, sub_y, seed)[0]
    return train_idx[fit_rel], train_idx[val_rel]


def folds_summary(folds: list[tuple[np.ndarray, np.ndarray]]) -> list[dict]:
    return [{"train": int(len(tr)), "test": int(len(te))} for tr, te in folds]


def mean_std(values: Sequence[float]) -> dict:
    a = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    if not len(a):
        return {"mean": None, "std": None, "folds": list(values)}
    return {"mean": float(a.mean()), "std": float(a.std(ddof=1)) if len(a) > 1 else 0.0,
            "folds": [None if v is None or np.isnan(v) else float(v) for v in values]}


# --------------------------------------------------------------------------------------------------------------
# machine and results
# --------------------------------------------------------------------------------------------------------------

def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# the instruction sets that decide how fast the numeric kernels run (int8 matrix products above all), so that runs
# on different machines can be told apart: the same code measured 2x apart on two CPUs of this project's VMs
SIMD_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_int8")


def cpu_description() -> dict:
    """The CPU's model name and which of ``SIMD_FLAGS`` it has (Linux ``/proc/cpuinfo``; empty elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in text.splitlines()[:40] if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    flags = set(fields.get("flags", "").split())
    return {"cpu_model": fields.get("model name"), "cpu_simd": [f for f in SIMD_FLAGS if f in flags]}


def machine_info(torch_used: bool = True) -> dict:
    """The machine a bench ran on: platform, CPU and its instruction sets, cores, load, library versions, GPU;
    ``torch_threads`` only when the bench used torch (None otherwise)."""
    info = {"platform": platform.platform(), "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(), **cpu_description(),
            "cores_available": available_cores(), "cpu_count": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None}
    for mod in ("sklearn", "numpy", "transformers"):
        try:
            info[mod] = __import__(mod).__version__
        except ImportError:
            info[mod] = None
    try:
        import torch

        info["torch"] = torch.__version__
        info["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
        info["torch_threads"] = torch.get_num_threads() if torch_used else None
    except ImportError:
        info["torch"], info["gpu"], info["torch_threads"] = None, None, None
    return info


def command_line() -> str:
    """The command that ran this bench, relative to the project root when possible."""
    script = Path(sys.argv[0]).resolve()
    try:
        script_s = str(script.relative_to(ROOT))
    except ValueError:
        script_s = str(script)
    args, hide = [], False
    for a in sys.argv[1:]:  # the data folder is the user's: recorded as DATA
        if hide:
            args.append("DATA")
        elif a.startswith("--data="):
            args.append("--data=DATA")
        else:
            args.append(a)
        hide = a == "--data"
    return " ".join(["python", shlex.quote(script_s), *map(shlex.quote, args)])


def figure(key: str, label: str, value: float | None, *, section: str = "", model: str = "", std: float | None = None,
           target: float | None = None, anchor: str | None = None, settings: str | None = None,
           fmt: str = "{:.3f}", headline: bool = False, ceiling: float | None = None) -> dict:
    """One reported figure. ``target`` is a lower bound: ``passed`` is value >= target; ``ceiling`` an upper
    bound (times): ``passed`` is value <= ceiling. ``headline`` figures also go to the summary table of
    RESULTS.md."""
    out = {"key": key, "section": section, "model": model, "label": label,
           "value": None if value is None else float(value), "std": None if std is None else float(std),
           "format": fmt, "headline": bool(headline)}
    if target is not None:
        out["target"] = float(target)
        out["passed"] = None if value is None else bool(value >= target - 1e-12)
    if ceiling is not None:
        out["ceiling"] = float(ceiling)
        out["passed"] = None if value is None else bool(value <= ceiling + 1e-12)
    if anchor:
        out["anchor"] = anchor
    if settings:
        out["settings"] = settings
    return out


class Timer:
    def __init__(self):
        self.t0 = time.perf_counter()
        self.parts: dict[str, float] = {}

    def lap(self, name: str, since: float) -> float:
        secs = time.perf_counter() - since
        self.parts[name] = round(self.parts.get(name, 0.0) + secs, 2)
        return secs

    @property
    def total(self) -> float:
        return round(time.perf_counter() - self.t0, 2)


def write_result(name: str, *, title: str, description: str, params: dict, data: dict, figures: list[dict],
                 details: dict, timer: Timer, output: str | None = None, notes: list[str] | None = None) -> Path:
    """bench/results/<name>.json with the command, UTC date, machine, parameters and figures."""
    out = {
        "benchmark": name,
        "title": title,
        "description": description,
        "command": command_line(),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "seconds": timer.total,
        "seconds_by_part": timer.parts,
        "params": params,
        "data": data,
        "figures": figures,
        "notes": notes or [],
        "details": details,
    }
    path = Path(output) if output else RESULTS_DIR / f"{name}.json"
    out["figures"] = figures + _carried_over(path, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_finite(out), indent=2, default=_json_default, allow_nan=False) + "\n",
                    encoding="utf-8")
    say(f"{name}: wrote {path} ({timer.total:.0f}s)")
    return path


def _carried_over(path: Path, new: dict) -> list[dict]:
    """Figures of models (or sections) this run did not run (``--skip-transformer``, ``--transformer-only``,
    ``scale.py --skip clean``) kept from the previous result file, when it was measured on the same data (same
    pages, same folds), each marked with the date and command of the run that measured it; a run on other data
    replaces the file whole."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if old.get("benchmark") != new["benchmark"] or old.get("data") != _finite(new["data"]):
        return []
    ran = {(f.get("section"), f.get("model")) for f in new["figures"]}
    kept = []
    for f in old.get("figures", []):
        if (f.get("section"), f.get("model")) in ran:
            continue
        f = dict(f)
        f.setdefault("carried_over", {"date": old.get("date"), "command": old.get("command")})
        kept.append(f)
    return kept


def _finite(o):
    """NaN/inf become null (strict JSON)."""
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return float(o) if np.isfinite(o) else None
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.ndarray):
        return _finite(o.tolist())
    return o


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def data_ref(data: Path, rel: str) -> str:
    """How a data file is named in results: relative to the data folder, never an absolute user path."""
    return f"<data>/{rel}"


def fold_iter(folds: list, desc: str) -> Iterator[tuple[int, tuple[np.ndarray, np.ndarray]]]:
    for k, f in enumerate(folds):
        say(f"{desc}: fold {k + 1}/{len(folds)} (train {len(f[0])}, test {len(f[1])})")
        yield k, f


def transformer_folds(args: argparse.Namespace, n_folds: int) -> list[int]:
    """The folds (0-based, sorted) a bench runs the transformer on: those of ``--tf-fold`` (1-based), else the
    first ``--tf-folds``, else all ``n_folds``. A fold that does not exist is a one-line exit."""
    bad = [k for k in args.tf_fold if not 1 <= k <= n_folds]
    if bad:
        raise SystemExit(f"--tf-fold {bad[0]}: there are folds 1 to {n_folds}")
    if args.tf_fold:
        return sorted({k - 1 for k in args.tf_fold})
    return list(range(n_folds if args.tf_folds is None else min(args.tf_folds, n_folds)))


def folds_note(run: Sequence[int], n_folds: int) -> str:
    """``, folds 1, 3 of 5`` for a partial run of ``run`` (0-based) out of ``n_folds``; empty for all of them."""
    return "" if len(run) == n_folds else f", folds {', '.join(str(k + 1) for k in run)} of {n_folds}"


def topic_cv(name: str, folds: list, models: list[str], texts: Sequence[str], topics: Sequence[str],
             groups: Sequence[str], labels: list[str], tparams, trparams, *, tf_run: Sequence[int],
             validation: float, seed: int, timer: Timer) -> tuple[dict[str, list[dict]], dict[str, list]]:
    """Cross-validate the topic models (``tfidf`` and/or ``transformer``) on ``folds``: the TF-IDF model trains on
    the whole training part, the transformer on it less a grouped, stratified ``validation`` share (its best epoch
    is picked there) and only on the folds of ``tf_run`` (0-based; :func:`transformer_folds`). Returns (per model: the topic metrics of each fold,
    per model: the out-of-fold prediction of each text, None where not run)."""
    from newssift.evaluation import topic_metrics
    from newssift.models.tfidf import TfidfTopicClassifier

    per_fold: dict[str, list[dict]] = {m: [] for m in models}
    oof: dict[str, list] = {m: [None] * len(texts) for m in models}
    sel = lambda idx, xs: [xs[i] for i in idx]  # noqa: E731
    for k, (tr, te) in fold_iter(folds, name):
        for m in models:
            if m == "transformer" and k not in tf_run:
                continue
            t = time.perf_counter()
            if m == "tfidf":
                model = TfidfTopicClassifier.from_params(tparams, seed=seed).fit(sel(tr, texts), sel(tr, topics))
            else:
                from newssift.models.transformer import TransformerTopicClassifier

                fit_idx, val_idx = inner_validation(tr, groups, topics, validation, seed + k)
                model = TransformerTopicClassifier(trparams).fit(sel(fit_idx, texts), sel(fit_idx, topics),
                                                                 sel(val_idx, texts), sel(val_idx, topics))
            timer.lap(f"{m}_fit", t)
            t = time.perf_counter()
            pred = model.predict(sel(te, texts))
            timer.lap(f"{m}_predict", t)
            for i, p in zip(te, pred):
                oof[m][i] = p
            met = topic_metrics(sel(te, topics), pred, labels)
            per_fold[m].append(met)
            say(f"{name}: fold {k + 1}: {m}: accuracy {met['accuracy']:.4f}")
    return per_fold, oof


# --------------------------------------------------------------------------------------------------------------
# the shipped synthetic sample, prepared as the pipeline prepares it
# --------------------------------------------------------------------------------------------------------------

def sample_splits(params=None) -> tuple[dict[str, list[dict]], dict]:
    """The shipped sample corpus, as ``dvc repro`` prepares it: ``generate_corpus(n_articles, seed)`` (320, 13),
    records validated, cleaned and de-duplicated by ``clean_records`` (clean_text, exact duplicates dropped, near
    duplicates grouped), then ``split_rows`` into train / validation / test. Returns (splits, clean report)."""
    from newssift.config import Params
    from newssift.data.cleaning import clean_records
    from newssift.data.corpus import validate
    from newssift.data.split import split_rows
    from newssift.synthetic.generator import generate_corpus

    p = params or Params()
    recs = generate_corpus(p.sample.n_articles, p.sample.seed)
    items = (validate(r, f"sample:{k + 1}", p.clean.max_chars) for k, r in enumerate(recs))
    kept, _rejects, report = clean_records(items, min_chars=p.clean.min_chars,
                                           near_duplicate_threshold=p.clean.near_duplicate_threshold,
                                           num_perm=p.clean.num_perm)
    rows = [r.to_json() for r in kept]
    return split_rows(rows, p.split.validation, p.split.test, p.split.seed), report


def docs_labels(rows: list[dict]) -> tuple[list[list[str]], list[list[int]]]:
    from newssift.data.text import split_lines

    pairs = [(split_lines(r["text"]), list(r["line_labels"])) for r in rows if r.get("line_labels") is not None]
    return [d for d, _ in pairs], [y for _, y in pairs]


def sample_boilerplate_model(params=None):
    """TF-IDF boilerplate model trained exactly like the pipeline's ``train_tfidf boilerplate`` stage: on the
    sample's train split, threshold tuned on its validation split. Returns (model, splits, info)."""
    from newssift.config import Params
    from newssift.models.tfidf import TfidfBoilerplateClassifier

    p = params or Params()
    splits, report = sample_splits(p)
    docs, labels = docs_labels(splits["train"])
    vdocs, vlabels = docs_labels(splits["validation"])
    model = TfidfBoilerplateClassifier.from_params(p.tfidf.boilerplate, seed=p.seed).fit(docs, labels, vdocs or None,
                                                                                         vlabels or None)
    info = {"generator": f"newssift.synthetic.generator.generate_corpus({p.sample.n_articles}, {p.sample.seed})",
            "clean_report": {k: report[k] for k in ("read", "kept", "rejected", "duplicates",
                                                    "near_duplicates_flagged")},
            "split_sizes": {k: len(v) for k, v in splits.items()}, "threshold": float(model.threshold_),
            "train_lines": sum(map(len, docs))}
    return model, splits, info
