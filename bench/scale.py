"""Scale on one machine: ``newssift clean`` and ``newssift predict`` over a large generated corpus, in 1 and 2
processes: throughput (articles/s, wall clock of the command, Python start-up included) and peak memory.

The corpus (default 200,000 articles) is made by the project's own synthetic generator
(:func:`newssift.synthetic.generator.write_corpus`) in a temporary folder, never in the repository. ``clean`` runs
with ``clean.num_proc`` 1 and 2, ``predict --input`` (TF-IDF models, trained by the bench on a small generated
corpus with the default params) with ``--jobs`` 1 and 2. Peak memory is measured two ways: the peak of the summed
RSS of the command's process tree (psutil, sampled every 0.2 s) and the largest single process's peak RSS
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``).

Targets: peak RSS of ``clean`` <= 3 GB; 2 processes at least 1.7x the throughput of one. The machine is shared:
the load average at the start and end of each run is recorded with it.

    python bench/scale.py                      # 200,000 articles (about an hour on 2 cores)
    python bench/scale.py --articles 5000      # a quick run
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402
from engine_speed import train_models  # noqa: E402  (TF-IDF models with the default params)

GB = 1e9
TARGET_RSS_GB = 3.0
TARGET_SPEEDUP = 1.7


def run_measured(args: list[str], cwd: Path) -> dict:
    """Run ``python -m newssift ARGS``; wall seconds, peak summed RSS of its process tree, load averages."""
    import psutil

    load_before = [round(x, 2) for x in os.getloadavg()]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newssift", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak = max(peak, total)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    secs = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"[bench] failed ({proc.returncode}): newssift {' '.join(args)}\n{err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(secs, 2), "peak_rss_tree_gb": round(peak / GB, 3),
            "max_process_rss_gb": round(max(after, before) * 1024 / GB, 3),
            "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()],
            "returncode": proc.returncode}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--train-articles", type=int, default=2000, help="generated articles the TF-IDF models train on")
    ap.add_argument("--procs", default="1,2", help="process counts to compare (default: %(default)s)")
    ap.add_argument("--skip", choices=["clean", "predict"], action="append", default=[])
    ap.add_argument("--corpus", default=None, metavar="JSONL",
                    help="a corpus generated earlier by this bench (write_corpus with --articles and --seed), to "
                         "skip the generation (about 9 minutes for 200,000 articles); it is not modified")
    ap.add_argument("--output", default=None)
    args = ap.parse_args(argv)
    from newssift.synthetic.generator import write_corpus

    timer = C.Timer()
    procs = [int(p) for p in args.procs.split(",")]
    n = args.articles
    res: dict = {"clean": {}, "predict": {}}
    with tempfile.TemporaryDirectory(prefix="newssift-scale-") as tmp_s:
        tmp = Path(tmp_s)
        t = time.perf_counter()
        if args.corpus:
            (tmp / "corpus.jsonl").symlink_to(Path(args.corpus).resolve())
            with open(tmp / "corpus.jsonl", "rb") as fh:
                n = sum(1 for line in fh if line.strip())
            C.say(f"scale: using {args.corpus} ({n:,} articles)")
        else:
            write_corpus(tmp / "corpus.jsonl", n_articles=n, seed=args.seed)
            C.say(f"scale: generated {n:,} articles in {time.perf_counter() - t:.0f}s")
            timer.lap("generate", t)
        size = (tmp / "corpus.jsonl").stat().st_size

        raw = yaml.safe_load((C.ROOT / "params.yaml").read_text(encoding="utf-8"))
        raw["data"]["corpus"] = str(tmp / "corpus.jsonl")
        if "clean" not in args.skip:
            for k in procs:
                raw["clean"]["num_proc"] = k
                (tmp / "params.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
                t = time.perf_counter()
                r = run_measured(["clean", "--params", str(tmp / "params.yaml")], tmp)
                timer.lap(f"clean_{k}", t)
                r["articles_per_s"] = round(n / r["seconds"], 1)
                res["clean"][k] = r
                C.say(f"scale: clean, num_proc {k}: {r['seconds']:.0f}s, {r['articles_per_s']:.0f} articles/s, peak "
                      f"RSS {r['peak_rss_tree_gb']:.2f} GB (tree), load {r['load_before']} -> {r['load_after']}")

        if "predict" not in args.skip:
            t = time.perf_counter()
            write_corpus(tmp / "train.jsonl", n_articles=args.train_articles, seed=args.seed + 1)
            models = train_models(tmp / "train.jsonl", tmp / "models")
            timer.lap("train_models", t)
            for k in procs:
                t = time.perf_counter()
                r = run_measured(["predict", "-q", "--input", str(tmp / "corpus.jsonl"), "--output",
                                  str(tmp / f"pred_{k}.jsonl"), "--models", str(models), "--jobs", str(k)], tmp)
                timer.lap(f"predict_{k}", t)
                r["articles_per_s"] = round(n / r["seconds"], 1)
                res["predict"][k] = r
                C.say(f"scale: predict, --jobs {k}: {r['seconds']:.0f}s, {r['articles_per_s']:.0f} articles/s, peak "
                      f"RSS {r['peak_rss_tree_gb']:.2f} GB (tree), load {r['load_before']} -> {r['load_after']}")
            if len(procs) > 1:
                outs = [(tmp / f"pred_{k}.jsonl").read_bytes() for k in procs]
                res["predict"]["outputs_identical"] = all(o == outs[0] for o in outs)

    figures = []
    for stage in ("clean", "predict"):
        for k in procs:
            r = res[stage].get(k)
            if r is None:
                continue
            figures.append(C.figure(f"{stage}.procs{k}.articles_per_s", f"{stage}, {k} process(es) (articles/s)",
                                    r["articles_per_s"], section=stage, fmt="{:.0f}"))
            figures.append(C.figure(f"{stage}.procs{k}.peak_rss_gb", f"{stage}, {k} process(es), peak RSS of the "
                                    "process tree (GB)", r["peak_rss_tree_gb"], section=stage, fmt="{:.2f}"))
        if 1 in res[stage] and 2 in res[stage]:
            speedup = res[stage][2]["articles_per_s"] / res[stage][1]["articles_per_s"]
            figures.append(C.figure(f"{stage}.speedup_2", f"{stage}: 2 processes / 1 process (throughput ratio)",
                                    speedup, section=stage, target=TARGET_SPEEDUP, fmt="{:.2f}", headline=True))
    if res["clean"]:
        peak = max(r["peak_rss_tree_gb"] for r in res["clean"].values())
        # a lower bound is what figure() checks: headroom = 3 GB - peak >= 0
        figures.append(C.figure("clean.rss_headroom_gb", f"clean: {TARGET_RSS_GB:g} GB - peak RSS (GB, >= 0 passes)",
                                TARGET_RSS_GB - peak, section="clean", target=0.0, fmt="{:.2f}", headline=True))
    C.write_result(
        "scale", title=f"clean and predict on {n:,} generated articles, 1 and 2 processes",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        params={"articles": n, "seed": args.seed, "procs": procs, "train_articles": args.train_articles,
                "corpus_given": bool(args.corpus)},
        data={"corpus": "generated (newssift.synthetic.generator.write_corpus)", "articles": n,
              "megabytes": round(size / 1e6)},
        figures=figures, details=res, timer=timer, output=args.output,
        notes=["The machine is shared with other sessions: the load average before and after each command is in "
               "details; a loaded machine lowers the 2-process speed-up."])
    return 0


if __name__ == "__main__":
    sys.exit(main())
