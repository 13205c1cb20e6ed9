"""Topic classification on BBC News (Greene & Cunningham 2006): 2,225 full articles, 5 topics.

5-fold stratified cross-validation; the 98 byte-identical article pairs (bbc/exact_duplicates.tsv) are kept in one
fold (StratifiedGroupKFold), so no test article has its twin in training. Text = title + newline + body, cleaned
with the pipeline's clean_text (BBC articles are pure editorial text: no boilerplate split here).

Models: TfidfTopicClassifier (params.yaml defaults) and TransformerTopicClassifier (all-MiniLM-L6-v2; in each fold
10% of the training articles, stratified and grouped, are held out for validation / best epoch; CPU-time settings
are reported with the figure). Targets: accuracy >= 97.5% TF-IDF, >= 98% transformer.

    python bench/topic_bbc.py
    python bench/topic_bbc.py --skip-transformer
    python bench/topic_bbc.py --tf-max-length 256 --tf-epochs 2
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

NAME = "topic_bbc"
TARGETS = {"tfidf": 0.979, "transformer": 0.98}
TFIDF_SECONDS = 120.0  # the whole TF-IDF part (5 folds: fit + predict) at most, 2 cores
VALIDATION = 0.10
MODEL_NAMES = {"tfidf": "TF-IDF (newssift)", "transformer": "transformer (newssift)"}


def main(argv: list[str] | None = None) -> int:
    ap = C.base_parser(__doc__)
    # CPU-time settings (about 4 min per fold on 2 cores): 800 training articles per fold, 128 tokens, 2 epochs
    C.add_tfidf_args(ap)
    C.add_transformer_args(ap, max_length=128, epochs=2.0, batch_size=8, learning_rate=1e-4, max_train_samples=800)
    args = ap.parse_args(argv)
    data = C.data_dir(args.data)
    path, dup_path = C.require(data, C.BBC, C.BBC_DUPLICATES, bench=NAME)
    timer = C.Timer()
    threads = C.set_torch_threads()

    from newssift.config import to_dict
    from newssift.evaluation import topic_metrics

    t = time.perf_counter()
    bbc = C.load_bbc(path, dup_path, args.limit)
    timer.lap("load", t)
    texts, topics, groups = bbc["texts"], bbc["topics"], bbc["groups"]
    labels = sorted(set(topics))
    C.say(f"{NAME}: {len(texts)} articles, {len(labels)} topics, {bbc['duplicate_pairs']} duplicate pairs grouped")
    folds = C.grouped_folds(args.folds, groups, topics, args.seed)
    tf_run = C.transformer_folds(args, len(folds))
    models = ["tfidf"] + ([] if args.skip_transformer else ["transformer"])
    tparams = C.tfidf_params(args, "topic")
    trparams = None if args.skip_transformer else C.transformer_params(args, "topic", args.seed)
    per_fold, oof = C.topic_cv(NAME, folds, models, texts, topics, groups, labels, tparams, trparams,
                                 tf_run=tf_run, validation=VALIDATION, seed=args.seed, timer=timer)

    tr_settings = None
    if trparams is not None:
        tp = trparams.topic
        tr_settings = (f"all-MiniLM-L6-v2, max_length {tp.max_length} (head+tail), {tp.epochs:g} epoch(s), "
                       f"batch {tp.batch_size}, lr {tp.learning_rate:g}, max_train_samples "
                       f"{tp.max_train_samples or 'all'}, 10% of training held out for validation, CPU {threads} "
                       "threads" + C.folds_note(tf_run, len(folds)))
    tf_settings = "newssift defaults (TfidfTopicParams = params.yaml)" + (
        f", with {', '.join(args.tfidf_set)}" if args.tfidf_set else "")
    settings = {"tfidf": tf_settings, "transformer": tr_settings}
    figures, summary = [], {}
    for m in models:
        acc = C.mean_std([f["accuracy"] for f in per_fold[m]])
        mf1 = C.mean_std([f["macro_f1"] for f in per_fold[m]])
        summary[m] = {"accuracy": acc, "macro_f1": mf1}
        done = [i for i, p in enumerate(oof[m]) if p is not None]
        summary[m]["pooled"] = topic_metrics([topics[i] for i in done], [oof[m][i] for i in done], labels)
        figures.append(C.figure(f"{m}.accuracy", "accuracy", acc["mean"], std=acc["std"], model=MODEL_NAMES[m],
                                target=TARGETS[m], settings=settings[m], fmt="{:.2%}", headline=True))
        figures.append(C.figure(f"{m}.macro_f1", "macro F1", mf1["mean"], std=mf1["std"], model=MODEL_NAMES[m]))
    if "tfidf" in models:
        secs = timer.parts.get("tfidf_fit", 0.0) + timer.parts.get("tfidf_predict", 0.0)
        figures.append(C.figure("tfidf.seconds", f"seconds, all {len(folds)} folds (fit + predict)", secs,
                                model=MODEL_NAMES["tfidf"], ceiling=TFIDF_SECONDS, fmt="{:.1f}", headline=True))
    C.write_result(
        NAME, title="Topic classification on BBC News (2,225 articles, 5 topics)",
        description="5-fold StratifiedGroupKFold (duplicate pairs in one fold); mean (std) over folds.",
        params={"folds": args.folds, "seed": args.seed, "tfidf": to_dict(tparams),
                "transformer": None if trparams is None else {**to_dict(trparams), "folds_run": [k + 1 for k in tf_run],
                                                              "validation_fraction": VALIDATION},
                "text": "title + newline + body, clean_text", "limit": args.limit},
        data={"file": C.data_ref(data, C.BBC), "duplicates_file": C.data_ref(data, C.BBC_DUPLICATES),
              "articles": len(texts), "topics": {t: topics.count(t) for t in labels},
              "duplicate_pairs_grouped": bbc["duplicate_pairs"], "folds": C.folds_summary(folds)},
        figures=figures, details={"per_fold": per_fold, "summary": summary},
        timer=timer, output=args.output)
    for m in models:
        C.say(f"{NAME}: {m}: accuracy {summary[m]['accuracy']['mean']:.4f} (target {TARGETS[m]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
