"""Inference speed of the newssift pipeline, end to end (clean + boilerplate split + topic), on CPU.

For each trained model family (TF-IDF always; the transformer when ``models/transformer`` holds a trained
model) it measures articles per second

- batch: ``Pipeline.predict_many(texts, batch_size=64)``, the way ``newssift predict --input`` runs: for TF-IDF
  with one worker process per core (``n_jobs=0``, the CLI's default) and, for comparison, in one process;
- single: ``Pipeline.predict(text)`` in a loop, one article at a time (an API serving requests);

on the texts of the project's sample corpus (``data/sample/corpus.jsonl``, written by ``dvc repro``), repeated
to ``--articles`` articles when the corpus is smaller. Results go to ``bench/results/inference_speed.json`` with
the date, the machine (cores, GPU, torch version) and the parameters.

- cold start: ``newssift predict examples/seed_article.txt`` run as a new process (Python start, imports, model
  loading and verification, one article), wall and CPU seconds, the fastest of ``--cold-runs`` runs;

Targets on 2 CPU cores: TF-IDF >= 500 articles/s (batch), >= 300 in one process, cold start <= 2 s; transformer
>= 15 articles/s (batch). It also measures
the transformer's topics on the TF-IDF split (``load_pipeline(model="transformer", boilerplate="tfidf")``,
``newssift predict --model transformer --boilerplate-model tfidf``), which has no target of its own.

    python bench/inference_speed.py                       # models/ and data/sample/corpus.jsonl
    python bench/inference_speed.py --models /tmp/models --corpus my.jsonl --articles 500
    python bench/inference_speed.py --check               # exit 1 when a measured family misses its target
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"tfidf": 500.0, "transformer": 15.0, "transformer_int8": 15.0}  # articles/s, batch, end to end, 2 cores
ONE_PROCESS_TARGETS = {"tfidf": 300.0}  # articles/s, batch in one process
COLD_START_TARGETS = {"tfidf": 2.0}  # seconds, `newssift predict examples/seed_article.txt`
EXAMPLE = ROOT / "examples" / "seed_article.txt"
# what is measured: name -> (topic model family, boilerplate model family, quantize). "transformer" runs in full
# precision (fp32), "transformer_int8" with the encoders' linear layers in dynamic int8 (`transformer.quantize`).
# The mixed one is `load_pipeline(model="transformer", boilerplate="tfidf")`: the transformer's topics on the
# TF-IDF split (the split its topic model was trained on by default); it has no target of its own.
VARIANTS = {"tfidf": ("tfidf", "tfidf", None), "transformer": ("transformer", "transformer", "none"),
            "transformer_int8": ("transformer", "transformer", "int8"),
            "transformer_topic_tfidf_split": ("transformer", "tfidf", "none")}
BATCH_SIZE = 64


def _say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def load_texts(corpus: Path) -> list[str]:
    from newssift.data.corpus import Record, read_records

    return [r.text for r in read_records(corpus) if isinstance(r, Record)]


def family_status(models: Path, family: str) -> str | None:
    """None when ``models`` holds a trained model of ``family``, else why not."""
    folder = models / family
    if (models / "boilerplate").is_dir() and (models / "topic").is_dir():  # a family folder was given
        folder = models
    for task in ("boilerplate", "topic"):
        if (folder / task / "DISABLED").exists():
            return f"{folder / task}: not trained (transformer.enabled is false in params.yaml)"
        if not (folder / task / "manifest.json").is_file():
            return f"{folder / task}: no trained model (run `dvc repro`)"
    return None


def manifest_params(models: Path, family: str) -> dict:
    """The parameters that set the speed, from the model manifests (max_length for the transformer)."""
    folder = models / family if (models / family).is_dir() else models
    out = {}
    for task in ("boilerplate", "topic"):
        try:
            m = json.loads((folder / task / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        p = m.get("params") or {}
        if family == "transformer":
            out[task] = {"base_model": m.get("base_model"), "quantize_as_trained": p.get("quantize"),
                         **({"architecture": m["architecture"]} if "architecture" in m else
                            {"max_length": m.get("max_length")})}
        else:
            out[task] = dict(p)  # the estimator's parameters (get_params)
    return out


def bench_family(models: Path, family: str, texts: list[str], n_batch: int, n_single: int,
                 device: str) -> dict:
    from newssift.errors import DataError
    from newssift.inference import load_pipeline

    topic_family, bp_family, quantize = VARIANTS[family]
    t0 = time.perf_counter()
    pipe = load_pipeline(models, model=topic_family, device=device, n_jobs=0, boilerplate=bp_family,
                         quantize=quantize)
    load_s = time.perf_counter() - t0
    batch_texts = [texts[i % len(texts)] for i in range(n_batch)]
    # warm-up (lazy inits, caches, thread pools, worker processes)
    pipe.predict_many(batch_texts[:4 * BATCH_SIZE], batch_size=BATCH_SIZE)

    t0 = time.perf_counter()
    preds = pipe.predict_many(batch_texts, batch_size=BATCH_SIZE, on_error="record")
    batch_s = time.perf_counter() - t0
    failed = sum(1 for p in preds if p.error)
    workers = pipe.max_workers
    one_process = None
    if workers > 1:
        t0 = time.perf_counter()
        pipe.predict_many(batch_texts, batch_size=BATCH_SIZE, on_error="record", n_jobs=1)
        one_s = time.perf_counter() - t0
        one_process = {"articles": n_batch, "seconds": round(one_s, 3), "articles_per_s": round(n_batch / one_s, 1)}
    pipe.close()

    single_texts = batch_texts[:n_single]
    times = []
    for t in single_texts:
        t1 = time.perf_counter()
        try:
            pipe.predict(t)
        except DataError:
            pass
        times.append(time.perf_counter() - t1)
    single_s = sum(times)
    res = {
        "load_s": round(load_s, 3),
        "batch": {"articles": n_batch, "batch_size": BATCH_SIZE, "worker_processes": workers,
                  "seconds": round(batch_s, 3), "articles_per_s": round(n_batch / batch_s, 1), "failed": failed},
        "batch_one_process": one_process,
        "single": {"articles": len(single_texts), "seconds": round(single_s, 3),
                   "articles_per_s": round(len(single_texts) / single_s, 1),
                   "median_ms": round(1000 * statistics.median(times), 2),
                   "p95_ms": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 2)},
        "target_articles_per_s": TARGETS.get(family),
        "target_one_process_articles_per_s": ONE_PROCESS_TARGETS.get(family),
        "topic_model": topic_family, "boilerplate_model": bp_family, "quantize": quantize,
    }
    res["meets_target"] = (None if family not in TARGETS
                           else res["batch"]["articles_per_s"] >= TARGETS[family])
    if family in ONE_PROCESS_TARGETS:
        one = one_process or res["batch"]
        res["meets_one_process_target"] = one["articles_per_s"] >= ONE_PROCESS_TARGETS[family]
    return res


def cold_start(models: Path, family: str, runs: int) -> dict:
    """``newssift predict examples/seed_article.txt`` in a new process, ``runs`` times: wall and CPU seconds of
    each run (CPU: the child's user + system time), the fastest wall time against the target."""
    import resource
    import subprocess

    topic_family, bp_family, quantize = VARIANTS[family]
    cmd = [sys.executable, "-m", "newssift", "predict", "--models", str(models), "--model", topic_family,
           "--boilerplate-model", bp_family, *(["--quantize", quantize] if quantize else []), str(EXAMPLE)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                                        os.environ.get("PYTHONPATH")]))}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env)
        walls.append(round(time.perf_counter() - t0, 3))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 3))
        if proc.returncode != 0:
            return {"error": proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]}
    target = COLD_START_TARGETS.get(family)
    return {"command": " ".join(["newssift", *cmd[3:]]).replace(str(ROOT) + os.sep, ""), "runs": runs,
            "wall_s": walls, "cpu_s": cpus, "best_wall_s": min(walls), "target_s": target,
            "meets_target": None if target is None else min(walls) <= target}


def machine_info(used_torch: bool) -> dict:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    info = {"platform": platform.platform(), "python": platform.python_version(), "cpu": platform.processor()
            or platform.machine(), "cores_available": cores, "cpu_count": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None}
    try:
        import sklearn

        info["sklearn"] = sklearn.__version__
    except ImportError:
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["gpu"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
        info["torch_threads"] = torch.get_num_threads() if used_torch else None
    except ImportError:
        info["torch"], info["gpu"] = None, None
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=str(ROOT / "models"), help="folder with tfidf/ and transformer/")
    ap.add_argument("--corpus", default=str(ROOT / "data/sample/corpus.jsonl"), help="JSONL corpus of texts")
    ap.add_argument("--articles", type=int, default=1000, help="articles in the batch run (default %(default)s)")
    ap.add_argument("--single", type=int, default=None,
                    help="articles in the one-at-a-time run (default: 300 TF-IDF, 60 transformer)")
    ap.add_argument("--families", nargs="+", default=list(VARIANTS), choices=list(VARIANTS),
                    help="what to measure (default: all): tfidf, transformer (fp32), transformer_int8, and "
                         "transformer_topic_tfidf_split (transformer topics on the TF-IDF split)")
    ap.add_argument("--device", default="cpu", help="device for the transformer (default %(default)s)")
    ap.add_argument("--cold-runs", type=int, default=5,
                    help="runs of `newssift predict examples/seed_article.txt` for the cold start (default "
                         "%(default)s; 0 = skip)")
    ap.add_argument("--output", default=str(ROOT / "bench/results/inference_speed.json"))
    ap.add_argument("--check", action="store_true", help="exit 1 when a measured family misses its target")
    args = ap.parse_args(argv)

    corpus, models = Path(args.corpus), Path(args.models)
    if not corpus.is_file():
        _say(f"{corpus}: sample corpus not found; run `dvc repro` (or `newssift sample`) first, "
             "or pass --corpus FILE")
        return 2
    texts = load_texts(corpus)
    if not texts:
        _say(f"{corpus}: no usable article")
        return 2
    _say(f"{len(texts)} articles from {corpus} (mean {statistics.mean(map(len, texts)):,.0f} characters, "
         f"{statistics.mean(t.count(chr(10)) + 1 for t in texts):.1f} lines)")

    load_before = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    if load_before is not None and load_before > 0.5 * (os.cpu_count() or 1):
        _say(f"warning: load average {load_before} before the run: other processes share the CPU, "
             "numbers will be low")
    results: dict = {}
    for family in args.families:
        why = next(filter(None, (family_status(models, f) for f in dict.fromkeys(VARIANTS[family][:2]))), None)
        if why is not None:
            if family == "tfidf":
                _say(f"tfidf: {why}")
                return 2
            _say(f"{family}: skipped: {why}")
            results[family] = {"skipped": why}
            continue
        fast = not family.startswith("transformer") or family == "transformer_topic_tfidf_split"
        n_single = args.single if args.single is not None else (300 if family == "tfidf" else 60)
        n_batch = args.articles if fast else min(args.articles, 320)
        _say(f"{family}: {n_batch} articles batch, {n_single} one at a time ...")
        res = bench_family(models, family, texts, n_batch, n_single, args.device)
        if args.cold_runs > 0 and family == "tfidf":
            res["cold_start"] = cold_start(models, family, args.cold_runs)
        topic_family, bp_family, _ = VARIANTS[family]
        manifests = {f: manifest_params(models, f) for f in {topic_family, bp_family}}
        res["params"] = {task: manifests[f][task] for task, f in (("boilerplate", bp_family), ("topic", topic_family))
                         if task in manifests[f]}
        results[family] = res
        cold = res.get("cold_start") or {}
        if "best_wall_s" in cold:
            _say(f"{family}: cold start (newssift predict one article) {cold['best_wall_s']:.2f} s wall (best of "
                 f"{cold['runs']}), {min(cold['cpu_s']):.2f} s CPU")
        _say(f"{family}: batch {res['batch']['articles_per_s']:.1f} articles/s, single "
             f"{res['single']['articles_per_s']:.1f} articles/s (median {res['single']['median_ms']} ms)"
             + (f", target {TARGETS[family]:.0f}: {'met' if res['meets_target'] else 'MISSED'}"
                if family in TARGETS else ""))

    used_torch = any("skipped" not in r and "transformer" in VARIANTS[f][:2] for f, r in results.items())
    out = {
        "benchmark": "inference_speed",
        "command": " ".join(["python", "bench/inference_speed.py", *(sys.argv[1:] if argv is None else argv)]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {**machine_info(used_torch), "load_average_1min_before": load_before},
        "params": {"corpus": str(corpus), "corpus_articles": len(texts),
                   "mean_chars": round(statistics.mean(map(len, texts)), 1),
                   "mean_lines": round(statistics.mean(t.count("\n") + 1 for t in texts), 2),
                   "batch_size": BATCH_SIZE, "device": args.device, "models": str(models),
                   "end_to_end": "clean_text + boilerplate line split + topic of the editorial text"},
        "targets_articles_per_s": TARGETS,
        "results": results,
    }
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    _say(f"wrote {path}")
    missed = [f for f, r in results.items() if "skipped" not in r and (
        r["meets_target"] is False or r.get("meets_one_process_target") is False
        or (r.get("cold_start") or {}).get("meets_target") is False)]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
