"""Inference speed of the newssift pipeline, end to end (clean + boilerplate split + topic), on CPU.

For each trained model family (TF-IDF always; the transformer when ``models/transformer`` holds a trained
model) it measures articles per second

- batch: ``Pipeline.predict_many(texts, batch_size=64)``, the way ``newssift predict --input`` runs: for TF-IDF
  with one worker process per core (``n_jobs=0``, the CLI's default) and, for comparison, in one process; the
  median of ``--repeats`` runs (3; the transformer 1), each on articles not used before, since the shared
  machines here vary by 10-15% from one run to the next (every run is recorded);
- single: ``Pipeline.predict(text)`` in a loop, one article at a time (an API serving requests);

on articles that the pipeline has not seen before in the run: by default a corpus of distinct articles made by
the project's own generator (:func:`newssift.synthetic.generator.generate_corpus`, seed 7; the shipped sample is
seed 13), and each measurement (warm-up, batch, one process, one at a time) takes the next unseen articles of it.
This matters because inference remembers per-line features across batches (lines repeat across a site's
articles, as in real pages): repeating the same articles would measure that memory, not the pipeline. With
``--corpus FILE`` the file's texts are used, repeated when it is too small (the result then says so). Results go
to ``bench/results/inference_speed.json`` with the date, the machine (CPU model and SIMD flags, cores, GPU, torch) and the
parameters.

- cold start: ``newssift predict examples/seed_article.txt`` run as a new process (Python start, imports, model
  loading and verification, one article), wall and CPU seconds, the fastest of ``--cold-runs`` runs;

Targets on 2 CPU cores: TF-IDF >= 500 articles/s (batch), >= 300 in one process, cold start <= 2 s; transformer
>= 15 articles/s (batch). It also measures
the transformer's topics on the TF-IDF split (``load_pipeline(model="transformer", boilerplate="tfidf")``,
``newssift predict --model transformer --boilerplate-model tfidf``), which has no target of its own.

    python bench/inference_speed.py                       # models/ and generated articles
    python bench/inference_speed.py --models /tmp/models --corpus my.jsonl --articles 500
    python bench/inference_speed.py --check               # exit 1 when a measured family misses its target
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

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


GENERATED_SEED = 7  # the generated bench corpus (the shipped sample is seed 13)


def load_texts(corpus: Path | None, n: int) -> list[str]:
    """The texts of ``corpus``, or ``n`` distinct generated articles when it is None."""
    if corpus is None:
        from newssift.synthetic.generator import generate_corpus

        return [r["text"] for r in generate_corpus(n, seed=GENERATED_SEED)]
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
                 device: str, repeats: int = 3) -> dict:
    from newssift.errors import DataError
    from newssift.inference import load_pipeline

    topic_family, bp_family, quantize = VARIANTS[family]
    t0 = time.perf_counter()
    pipe = load_pipeline(models, model=topic_family, device=device, n_jobs=0, boilerplate=bp_family,
                         quantize=quantize)
    load_s = time.perf_counter() - t0
    taken = 0

    def take(n: int) -> list[str]:  # the next n articles not used yet in this family's run (cycled if too few)
        nonlocal taken
        out = [texts[(taken + i) % len(texts)] for i in range(n)]
        taken += n
        return out

    # warm-up (lazy inits, thread pools, worker processes) on articles of its own
    pipe.predict_many(take(4 * BATCH_SIZE), batch_size=BATCH_SIZE)

    def timed(n_jobs: int | None) -> dict:
        """``repeats`` runs, each on n_batch articles not seen before; the median run is the figure."""
        runs, failed = [], 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            preds = pipe.predict_many(take(n_batch), batch_size=BATCH_SIZE, on_error="record", n_jobs=n_jobs)
            runs.append(time.perf_counter() - t0)
            failed += sum(1 for p in preds if p.error)
        median = statistics.median(runs)
        return {"articles": n_batch, "runs": len(runs), "seconds_per_run": [round(x, 3) for x in runs],
                "seconds": round(median, 3), "articles_per_s": round(n_batch / median, 1),
                "articles_per_s_runs": [round(n_batch / x, 1) for x in runs], "failed": failed}

    batch = timed(None)
    workers = pipe.max_workers
    batch.update(batch_size=BATCH_SIZE, worker_processes=workers)
    one_process = timed(1) if workers > 1 else None
    pipe.close()

    single_texts = take(n_single)
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
        "batch": batch,
        "batch_one_process": one_process,
        "single": {"articles": len(single_texts), "seconds": round(single_s, 3),
                   "articles_per_s": round(len(single_texts) / single_s, 1),
                   "median_ms": round(1000 * statistics.median(times), 2),
                   "p95_ms": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 2)},
        "target_articles_per_s": TARGETS.get(family),
        "target_one_process_articles_per_s": ONE_PROCESS_TARGETS.get(family),
        "topic_model": topic_family, "boilerplate_model": bp_family, "quantize": quantize,
        "articles_used": taken, "articles_repeated": taken > len(texts),
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=str(ROOT / "models"), help="folder with tfidf/ and transformer/")
    ap.add_argument("--corpus", default=None,
                    help="corpus of texts (default: distinct articles made by the project's generator)")
    ap.add_argument("--articles", type=int, default=1000, help="articles in the batch run (default %(default)s)")
    ap.add_argument("--single", type=int, default=None,
                    help="articles in the one-at-a-time run (default: 300 TF-IDF, 60 transformer)")
    ap.add_argument("--families", nargs="+", default=list(VARIANTS), choices=list(VARIANTS),
                    help="what to measure (default: all): tfidf, transformer (fp32), transformer_int8, and "
                         "transformer_topic_tfidf_split (transformer topics on the TF-IDF split)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="timed batch runs per figure, each on articles not seen before; the median is reported "
                         "(default %(default)s; the transformer: 1)")
    ap.add_argument("--device", default="cpu", help="device for the transformer (default %(default)s)")
    ap.add_argument("--cold-runs", type=int, default=5,
                    help="runs of `newssift predict examples/seed_article.txt` for the cold start (default "
                         "%(default)s; 0 = skip)")
    ap.add_argument("--output", default=str(ROOT / "bench/results/inference_speed.json"))
    ap.add_argument("--check", action="store_true", help="exit 1 when a measured family misses its target")
    args = ap.parse_args(argv)

    corpus, models = (None if args.corpus is None else Path(args.corpus)), Path(args.models)
    if corpus is not None and not corpus.exists():
        C.say(f"{corpus}: corpus not found")
        return 2
    single = 300 if args.single is None else args.single
    needed = 4 * BATCH_SIZE + 2 * args.repeats * args.articles + single  # warm-up, batch, one process, single
    texts = load_texts(corpus, needed)
    if not texts:
        C.say(f"{corpus}: no usable article")
        return 2
    source = str(corpus) if corpus is not None else \
        f"generated: newssift.synthetic.generator.generate_corpus({needed}, seed={GENERATED_SEED})"
    C.say(f"{len(texts)} articles from {source} (mean {statistics.mean(map(len, texts)):,.0f} characters, "
         f"{statistics.mean(t.count(chr(10)) + 1 for t in texts):.1f} lines)")

    load_before = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    if load_before is not None and load_before > 0.5 * (os.cpu_count() or 1):
        C.say(f"warning: load average {load_before} before the run: other processes share the CPU, "
             "numbers will be low")
    results: dict = {}
    for family in args.families:
        why = next(filter(None, (family_status(models, f) for f in dict.fromkeys(VARIANTS[family][:2]))), None)
        if why is not None:
            if family == "tfidf":
                C.say(f"tfidf: {why}")
                return 2
            C.say(f"{family}: skipped: {why}")
            results[family] = {"skipped": why}
            continue
        fast = not family.startswith("transformer") or family == "transformer_topic_tfidf_split"
        n_single = args.single if args.single is not None else (300 if family == "tfidf" else 60)
        n_batch = args.articles if fast else min(args.articles, 320)
        C.say(f"{family}: {n_batch} articles batch, {n_single} one at a time ...")
        res = bench_family(models, family, texts, n_batch, n_single, args.device, args.repeats if fast else 1)
        if args.cold_runs > 0 and family == "tfidf":
            res["cold_start"] = cold_start(models, family, args.cold_runs)
        topic_family, bp_family, _ = VARIANTS[family]
        manifests = {f: manifest_params(models, f) for f in {topic_family, bp_family}}
        res["params"] = {task: manifests[f][task] for task, f in (("boilerplate", bp_family), ("topic", topic_family))
                         if task in manifests[f]}
        results[family] = res
        cold = res.get("cold_start") or {}
        if "best_wall_s" in cold:
            C.say(f"{family}: cold start (newssift predict one article) {cold['best_wall_s']:.2f} s wall (best of "
                 f"{cold['runs']}), {min(cold['cpu_s']):.2f} s CPU")
        C.say(f"{family}: batch {res['batch']['articles_per_s']:.1f} articles/s, single "
             f"{res['single']['articles_per_s']:.1f} articles/s (median {res['single']['median_ms']} ms)"
             + (f", target {TARGETS[family]:.0f}: {'met' if res['meets_target'] else 'MISSED'}"
                if family in TARGETS else ""))

    used_torch = any("skipped" not in r and "transformer" in VARIANTS[f][:2] for f, r in results.items())
    out = {
        "benchmark": "inference_speed",
        "command": " ".join(["python", "bench/inference_speed.py", *(sys.argv[1:] if argv is None else argv)]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {**C.machine_info(used_torch), "load_average_1min_before": load_before},
        "params": {"corpus": source, "corpus_articles": len(texts),
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
    C.say(f"wrote {path}")
    missed = [f for f, r in results.items() if "skipped" not in r and (
        r["meets_target"] is False or r.get("meets_one_process_target") is False
        or (r.get("cold_start") or {}).get("meets_target") is False)]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
