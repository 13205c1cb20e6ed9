"""The DVC stages. Each function is one stage of ``dvc.yaml``: it reads params and files, calls the library,
writes its outputs. Paths are fixed here (and in dvc.yaml); every tunable comes from ``params.yaml``."""
from __future__ import annotations

import contextlib
import json
import logging
import time
from pathlib import Path

import numpy as np

from newssift.cleaning import clean_records, split_lines
from newssift.config import Params
from newssift.corpus import read_jsonl, read_records, write_json, write_jsonl
from newssift.datasplit import SPLITS, split_rows
from newssift.errors import DataError

log = logging.getLogger("newssift")

SAMPLE = Path("data/sample/corpus.jsonl")
CLEAN = Path("data/clean/corpus.jsonl")
REJECTS = Path("data/rejects.jsonl")
CLEAN_REPORT = Path("reports/clean.json")
SPLIT_DIR = Path("data/split")
ARTICLES_DIR = Path("data/articles")
MODELS = Path("models")
EVAL_DIR = Path("eval")
TRAIN_LOGS = Path("dvclive")
SUMMARY = Path("reports/summary.md")


def open_live(folder: Path | str):
    """A DVCLive logger that writes metrics and plots only (``dvcyaml=False``: dvc.yaml declares them).

    DVCLive raises in a Git repository that has no commit yet (``git init`` without a first commit); there it is
    opened without its DVC/Git integration, which it would not use anyway (``save_dvc_exp=False``)."""
    from dvclive import Live

    kwargs = dict(dvcyaml=False, save_dvc_exp=False, report=None)
    try:
        return Live(str(folder), **kwargs)
    except Exception as exc:
        if type(exc).__name__ != "SCMError":
            raise
    import dvclive.live as dvclive_live

    original = dvclive_live.get_dvc_repo
    dvclive_live.get_dvc_repo = lambda: None
    try:
        return Live(str(folder), **kwargs)
    finally:
        dvclive_live.get_dvc_repo = original


def _say(msg: str) -> None:
    print(f"[newssift] {msg}", flush=True)


def run_sample(params: Params) -> None:
    from newssift.sample import write_corpus

    n = write_corpus(SAMPLE, n_articles=params.sample.n_articles, seed=params.sample.seed)
    _say(f"sample: wrote {n} articles to {SAMPLE}")


def run_clean(params: Params) -> dict:
    p = params.clean
    items = read_records(params.data.corpus, params.data.labels, max_chars=p.max_chars)
    kept, rejects, report = clean_records(items, min_chars=p.min_chars,
                                          near_duplicate_threshold=p.near_duplicate_threshold,
                                          num_perm=p.num_perm)
    write_jsonl(CLEAN, (r.to_json() for r in kept))
    write_jsonl(REJECTS, (r.to_json() for r in rejects))
    write_json(CLEAN_REPORT, report)
    _say(f"clean: read {report['read']}, kept {report['kept']}, rejected {report['rejected']}, "
         f"duplicates {report['duplicates']}, near duplicates flagged {report['near_duplicates_flagged']}"
         + (f"; reasons {report['reasons']} (see {REJECTS})" if rejects else ""))
    if not kept:
        raise DataError(f"{params.data.corpus}: no usable articles after cleaning (see {REJECTS})")
    return report


def load_split(name: str, folder: Path = SPLIT_DIR) -> list[dict]:
    return read_jsonl(folder / f"{name}.jsonl")


def run_split_data(params: Params) -> None:
    rows = read_jsonl(CLEAN)
    parts = split_rows(rows, params.split.validation, params.split.test, params.split.seed)
    for name, part in parts.items():
        write_jsonl(SPLIT_DIR / f"{name}.jsonl", part)
    _say("split_data: " + ", ".join(f"{k} {len(v)}" for k, v in parts.items()))


def _labelled(rows: list[dict]) -> tuple[list[list[str]], list[list[int]]]:
    docs, labels = [], []
    for r in rows:
        if r.get("line_labels") is not None:
            docs.append(split_lines(r["text"]))
            labels.append(r["line_labels"])
    return docs, labels


def _topical(rows: list[dict], field: str = "editorial") -> tuple[list[str], list[str]]:
    pairs = [(r[field], r["topic"]) for r in rows if r.get("topic")]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _need(kind: str, n: int, split: str) -> None:
    if n == 0:
        raise DataError(f"no {kind} in the {split} split: the corpus needs "
                        + ("'line_labels'" if kind == "articles with line labels" else "'topic'")
                        + " on its records to train this model")


def run_train_tfidf(params: Params, task: str) -> None:
    from newssift.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

    t0 = time.perf_counter()
    out = MODELS / "tfidf" / task
    if task == "boilerplate":
        docs, labels = _labelled(load_split("train"))
        vdocs, vlabels = _labelled(load_split("validation"))
        _need("articles with line labels", len(docs), "train")
        model = TfidfBoilerplateClassifier(params.tfidf.boilerplate, seed=params.seed)
        model.fit(docs, labels, vdocs or None, vlabels or None)
        model.save(out, {"train_articles": len(docs), "train_lines": sum(map(len, docs))})
        _say(f"train_tfidf boilerplate: {len(docs)} articles, {sum(map(len, docs))} lines, "
             f"threshold {model.threshold_:.2f}, {time.perf_counter() - t0:.1f}s -> {out}")
    elif task == "topic":
        texts, topics = _topical(load_split("train", ARTICLES_DIR))
        _need("articles with a topic", len(texts), "train")
        if len(set(topics)) < 2:
            raise DataError(f"topic training needs at least 2 topics, the train split has {sorted(set(topics))}")
        model = TfidfTopicClassifier(params.tfidf.topic, seed=params.seed).fit(texts, topics)
        model.save(out, {"train_articles": len(texts)})
        _say(f"train_tfidf topic: {len(texts)} articles, {len(model.classes_)} topics, "
             f"{time.perf_counter() - t0:.1f}s -> {out}")
    else:
        raise DataError(f"unknown task {task!r} (expected topic or boilerplate)")


def load_boilerplate_model(family: str, folder: Path | None = None, device: str = "auto",
                           quantize: str | None = None):
    folder = folder or MODELS / family / "boilerplate"
    if family == "tfidf":
        from newssift.tfidf import TfidfBoilerplateClassifier
        return TfidfBoilerplateClassifier.load(folder)
    from newssift.transformer import TransformerBoilerplateClassifier
    return TransformerBoilerplateClassifier.load(folder, device=device, quantize=quantize)


def load_topic_model(family: str, folder: Path | None = None, device: str = "auto", quantize: str | None = None):
    folder = folder or MODELS / family / "topic"
    if family == "tfidf":
        from newssift.tfidf import TfidfTopicClassifier
        return TfidfTopicClassifier.load(folder)
    from newssift.transformer import TransformerTopicClassifier
    return TransformerTopicClassifier.load(folder, device=device, quantize=quantize)


def run_split_articles(params: Params) -> None:
    family = params.split_articles.model
    model = load_boilerplate_model(family, device=params.transformer.device)
    for name in SPLITS:
        rows = load_split(name)
        docs = [split_lines(r["text"]) for r in rows]
        preds = model.predict(docs)
        out = []
        for r, lines, pred in zip(rows, docs, preds):
            editorial = "\n".join(line for line, p in zip(lines, pred) if not p)
            out.append({"id": r["id"], "topic": r.get("topic"), "editorial": editorial,
                        "lines": len(lines), "boilerplate_lines": int(np.sum(pred))})
        write_jsonl(ARTICLES_DIR / f"{name}.jsonl", out)
        removed = sum(o["boilerplate_lines"] for o in out)
        _say(f"split_articles ({family}): {name}: {len(out)} articles, {removed} of "
             f"{sum(o['lines'] for o in out)} lines set aside as boilerplate")


def _disabled_marker(params: Params, task: str) -> None:
    from newssift.artifacts import model_dir_writer

    with model_dir_writer(MODELS / "transformer" / task,
                          {"family": "transformer", "task": task, "disabled": True}) as tmp:
        (tmp / "DISABLED").write_text("transformer.enabled is false in params.yaml\n", encoding="utf-8")


def run_train_transformer(params: Params, task: str) -> None:
    logdir = TRAIN_LOGS / "transformer" / task
    tp = params.transformer
    if not tp.enabled:
        _disabled_marker(params, task)
        logdir.mkdir(parents=True, exist_ok=True)
        write_json(logdir / "metrics.json", {"enabled": False})
        _say(f"train_transformer {task}: skipped (transformer.enabled is false)")
        return
    from newssift.transformer import TransformerBoilerplateClassifier, TransformerTopicClassifier
    from newssift.transformer.base import is_main_process

    t0 = time.perf_counter()
    out = MODELS / "transformer" / task
    # under torchrun / accelerate launch every rank runs this stage; only the main one logs and writes
    main = is_main_process()
    with (open_live(logdir) if main else contextlib.nullcontext(None)) as live:
        if task == "boilerplate":
            docs, labels = _labelled(load_split("train"))
            vdocs, vlabels = _labelled(load_split("validation"))
            _need("articles with line labels", len(docs), "train")
            _need("articles with line labels", len(vdocs), "validation")
            model = TransformerBoilerplateClassifier(tp).fit(docs, labels, vdocs, vlabels, live=live)
        elif task == "topic":
            texts, topics = _topical(load_split("train", ARTICLES_DIR))
            vtexts, vtopics = _topical(load_split("validation", ARTICLES_DIR))
            _need("articles with a topic", len(texts), "train")
            _need("articles with a topic", len(vtexts), "validation")
            model = TransformerTopicClassifier(tp).fit(texts, topics, vtexts, vtopics, live=live)
        else:
            raise DataError(f"unknown task {task!r} (expected topic or boilerplate)")
        model.save(out)
    if main:
        _say(f"train_transformer {task}: {time.perf_counter() - t0:.1f}s -> {out}")


def _family_enabled(family: str) -> bool:
    folder = MODELS / family
    if not (folder / "topic").is_dir() or not (folder / "boilerplate").is_dir():
        return False
    return not ((folder / "topic" / "DISABLED").exists() or (folder / "boilerplate" / "DISABLED").exists())


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def evaluate_family(family: str, device: str = "auto") -> dict:
    """Score one model family on the test split; returns metrics plus data for plots."""
    from newssift.metrics import boilerplate_metrics, topic_metrics

    res: dict = {}
    bmodel = load_boilerplate_model(family, device=device)
    docs, gold = _labelled(load_split("test"))
    if docs:
        t0 = time.perf_counter()
        proba = bmodel.predict_proba(docs)
        secs = time.perf_counter() - t0
        m = boilerplate_metrics(docs, gold, proba, bmodel.threshold_)
        # speed goes to reports/summary.md, not metrics.json: metrics must be identical for identical runs
        res["boilerplate"] = {"metrics": m, "articles_per_s": len(docs) / max(secs, 1e-9),
                              "y": np.concatenate(gold), "p": np.concatenate(proba),
                              "size_mb": _folder_mb(MODELS / family / "boilerplate")}
    tmodel = load_topic_model(family, device=device)
    texts, topics = _topical(load_split("test", ARTICLES_DIR))
    if texts:
        t0 = time.perf_counter()
        proba = tmodel.predict_proba(texts)
        secs = time.perf_counter() - t0
        pred = [tmodel.classes_[i] for i in np.asarray(proba).argmax(axis=1)]
        labels = sorted(set(tmodel.classes_) | set(topics))
        m = topic_metrics(topics, pred, labels)
        res["topic"] = {"metrics": m, "articles_per_s": len(texts) / max(secs, 1e-9), "y": topics, "pred": pred,
                        "size_mb": _folder_mb(MODELS / family / "topic")}
    return res


def run_evaluate(params: Params) -> None:
    results = {}
    for family in ("tfidf", "transformer"):
        outdir = EVAL_DIR / family
        with open_live(outdir) as live:
            if family not in params.evaluate.families or not _family_enabled(family):
                live.log_metric("enabled", 0, plot=False)
                _say(f"evaluate: {family} skipped")
                continue
            res = evaluate_family(family, params.transformer.device)
            results[family] = res
            live.log_metric("enabled", 1, plot=False)
            if "topic" in res:
                r = res["topic"]
                for k in ("accuracy", "macro_f1"):
                    live.log_metric(f"topic/{k}", r["metrics"][k], plot=False)
                for lab, f in r["metrics"]["per_class_f1"].items():
                    live.log_metric(f"topic/f1/{lab}", f, plot=False)
                live.log_sklearn_plot("confusion_matrix", r["y"], r["pred"], name="topic_confusion.json",
                                      normalized=True)
            if "boilerplate" in res:
                r = res["boilerplate"]
                for k, v in r["metrics"].items():
                    live.log_metric(f"boilerplate/{k}", v, plot=False)
                live.log_sklearn_plot("precision_recall", r["y"], r["p"], name="boilerplate_pr.json",
                                      drop_intermediate=True)
                pred = (r["p"] >= r["metrics"]["threshold"]).astype(int)
                names = np.array(["editorial", "boilerplate"])
                live.log_sklearn_plot("confusion_matrix", names[r["y"]].tolist(), names[pred].tolist(),
                                      name="boilerplate_confusion.json", normalized=True)
        _say(f"evaluate: {family}: " + json.dumps(
            {t: {k: round(v, 4) for k, v in res[t]["metrics"].items() if k in (
                "accuracy", "macro_f1", "editorial_f1", "boilerplate_f1", "pr_auc_boilerplate")}
             for t in res}) if family in results else f"evaluate: {family}: not evaluated")
    write_summary(results, SUMMARY)


def write_summary(results: dict, path: Path) -> None:
    lines = ["# Model comparison (test split)", "",
             "Generated by the `evaluate` stage; sizes are the model folders on disk, speeds are measured on "
             "this machine while scoring the test split (batch inference of that task's model alone, one process; "
             "not part of metrics.json, so that identical runs have identical metrics).", "",
             "| task | model | key metrics | size (MB) | articles/s |", "|---|---|---|---:|---:|"]
    for task in ("topic", "boilerplate"):
        for family, res in results.items():
            if task not in res:
                continue
            m = res[task]["metrics"]
            if task == "topic":
                key = f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}"
            else:
                key = (f"editorial F1 {m['editorial_f1']:.3f}, boilerplate F1 {m['boilerplate_f1']:.3f}, "
                       f"PR-AUC {m['pr_auc_boilerplate']:.3f}, editorial token F1 {m['editorial_token_f1']:.3f}")
            speed = res[task]["articles_per_s"]
            lines.append(f"| {task} | {family} | {key} | {res[task]['size_mb']:.1f} | {speed:.0f} |")
    if not results:
        lines.append("| - | - | no model family was evaluated | | |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
