"""Transformer speed on this machine: fine-tuning throughput and inference throughput, both tasks.

Runs the project's own :class:`~newssift.models.transformer.TransformerTopicClassifier` and
:class:`~newssift.models.transformer.TransformerBoilerplateClassifier` at the parameters of ``params.yaml`` (default
``max_length``, batch sizes, base model) on the shipped sample corpus (``data/sample/corpus.jsonl``, cleaned as the
pipeline cleans it):

- training: one epoch over ``--train-articles`` articles (no validation), samples/s and articles/s as the
  transformers Trainer reports them (a sample is an article for both tasks);
- inference: ``predict_proba`` over ``--infer-articles`` articles, articles/s, for each task, and the whole
  pipeline (clean + boilerplate + topic) when ``models/transformer`` holds trained models;
- encoder depth: boilerplate inference with 1, 2, 3 and 6 encoder layers, in fp32 and with the encoder in int8.

Results go to ``bench/results/transformer_speed.json`` with the date, the machine and the parameters.

    python bench/transformer_speed.py
    python bench/transformer_speed.py --train-articles 32 --infer-articles 64   # quicker
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def articles(corpus: Path) -> list[dict]:
    from newssift.data.corpus import Record, read_records
    from newssift.data.text import clean_text, split_lines

    out = []
    for r in read_records(corpus):
        if isinstance(r, Record) and r.topic and r.line_labels:
            text = clean_text(r.text)
            lines = split_lines(text)
            if len(lines) == len(r.line_labels):
                out.append({"text": text, "lines": lines, "labels": list(r.line_labels), "topic": r.topic,
                            "editorial": "\n".join(ln for ln, y in zip(lines, r.line_labels) if not y)})
    return out


DEPTHS = (1, 2, 3, 6)  # encoder layers of all-MiniLM-L6-v2 measured for boilerplate inference


def _train_stats(model) -> dict:
    final = next((h for h in reversed(model.history_) if "train_runtime" in h), {})
    return {"seconds": round(float(final.get("train_runtime", float("nan"))), 2),
            "samples_per_s": round(float(final.get("train_samples_per_second", float("nan"))), 2)}


def _inference(predict, inputs: list, **kwargs) -> dict:
    """Seconds and items/s of ``predict(inputs)``, after a warm-up call on the first 8 inputs."""
    predict(inputs[:8], **kwargs)
    t0 = time.perf_counter()
    predict(inputs, **kwargs)
    s = time.perf_counter() - t0
    return {"articles": len(inputs), "seconds": round(s, 2), "articles_per_s": round(len(inputs) / s, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "data/sample/corpus.jsonl"))
    ap.add_argument("--params", default=str(ROOT / "params.yaml"))
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--train-articles", type=int, default=64)
    ap.add_argument("--infer-articles", type=int, default=128)
    ap.add_argument("--output", default=str(ROOT / "bench/results/transformer_speed.json"))
    args = ap.parse_args(argv)

    from newssift.config import load_params, replace
    from newssift.models.transformer import (
        TransformerBoilerplateClassifier,
        TransformerTopicClassifier,
    )

    corpus = Path(args.corpus)
    if not corpus.is_file():
        C.say(f"{corpus} not found: run `dvc repro` (or `newssift sample`) first, or pass --corpus")
        return 2
    params = load_params(args.params)
    tp = params.transformer
    rows = articles(corpus)
    train = rows[: args.train_articles]
    infer = [rows[i % len(rows)] for i in range(args.infer_articles)]
    one_epoch = {task: replace(getattr(tp, task), epochs=1.0, max_train_samples=None, early_stopping_patience=0)
                 for task in ("topic", "boilerplate")}
    tp1 = replace(tp, **one_epoch)
    results: dict = {}

    C.say(f"topic: training 1 epoch on {len(train)} articles at max_length {tp.topic.max_length} ...")
    topic = TransformerTopicClassifier(tp1).fit([r["editorial"] for r in train], [r["topic"] for r in train],
                                                [], [])
    results["topic_training"] = {**_train_stats(topic), "articles": len(train)}
    results["topic_training"]["articles_per_s"] = results["topic_training"]["samples_per_s"]
    results["topic_inference"] = _inference(topic.predict_proba, [r["editorial"] for r in infer])
    C.say(f"topic: {results['topic_training']} / {results['topic_inference']}")

    C.say(f"boilerplate: training 1 epoch on {len(train)} articles ...")
    bp = TransformerBoilerplateClassifier(tp1)
    t0 = time.perf_counter()
    bp.fit([r["lines"] for r in train], [r["labels"] for r in train], [], [])
    wall = time.perf_counter() - t0
    stats = _train_stats(bp)
    results["boilerplate_training"] = {**stats, "articles": len(train), "samples": "articles (chunks of lines)",
                                       "articles_per_s": round(len(train) / stats["seconds"], 2),
                                       "wall_seconds_with_setup": round(wall, 2)}
    results["boilerplate_inference"] = _inference(bp.predict_proba, [r["lines"] for r in infer])
    C.say(f"boilerplate: {results['boilerplate_training']} / {results['boilerplate_inference']}")

    # encoder depth and int8: boilerplate inference at 1, 2, 3 and all 6 encoder layers, fp32 and int8 (each depth
    # trained 1 epoch on 16 articles first: the speed does not depend on how well it is trained)
    depth = {}
    docs = [r["lines"] for r in infer]
    for layers in DEPTHS:
        bpl = replace(tp1.boilerplate, encoder_layers=layers, max_train_samples=16)
        m = TransformerBoilerplateClassifier(replace(tp1, boilerplate=bpl))
        m.fit([r["lines"] for r in train], [r["labels"] for r in train], [], [])
        row = {}
        for mode in ("none", "int8"):
            m.quantize(mode)
            row["fp32" if mode == "none" else "int8"] = _inference(m.predict_proba, docs)["articles_per_s"]
        depth[str(layers)] = row
        C.say(f"boilerplate inference, {layers} encoder layer(s): {row} articles/s")
    results["boilerplate_inference_by_encoder_layers"] = depth

    models = Path(args.models) / "transformer"
    if (models / "topic" / "manifest.json").is_file() and (models / "boilerplate" / "manifest.json").is_file():
        from newssift.inference import load_pipeline

        pipe = load_pipeline(args.models, model="transformer", boilerplate="transformer", device="cpu")
        texts = [r["text"] for r in infer]
        results["pipeline_inference"] = {**_inference(pipe.predict_many, texts, batch_size=64),
                                         "what": "clean + boilerplate + topic, trained models from models/"}
        C.say(f"pipeline: {results['pipeline_inference']}")
    else:
        results["pipeline_inference"] = {"skipped": f"{models}: no trained transformer models (run dvc repro)"}

    out = {
        "benchmark": "transformer_speed",
        "command": "python bench/transformer_speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": C.machine_info(),
        "params": {"base_model": tp.base_model, "topic_max_length": tp.topic.max_length,
                   "boilerplate": {k: getattr(tp.boilerplate, k) for k in (
                       "encoder_layers", "line_max_tokens", "context", "context_layers", "context_dim", "max_lines")},
                   "topic_batch_size": tp.topic.batch_size, "boilerplate_batch_size": tp.boilerplate.batch_size,
                   "mixed_precision": tp.mixed_precision, "device": tp.device, "corpus": str(corpus),
                   "mean_lines_per_article": round(sum(len(r["lines"]) for r in rows) / len(rows), 1)},
        "results": results,
    }
    path = Path(args.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    C.say(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
