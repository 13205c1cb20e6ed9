"""Robustness of topic classification to page boilerplate and appended advertising (BBC News, TF-IDF family).

Every BBC article (title + body split into paragraphs at blank lines) is wrapped in realistic page boilerplate and,
for about half of them, an appended advertising block by ``newssift.sample.compose_article`` (seeded per article
from --seed and the article's file name; ``topic=None`` so section crumbs and teasers are random and carry no
topic signal). Texts go through the pipeline's clean_text. Then, over the same 5 folds as topic_bbc
(StratifiedGroupKFold, duplicate pairs in one fold), TF-IDF topic accuracy:

- (a) clean: trained and tested on the clean articles (title + body);
- (b) raw: trained and tested on the composed pages as they are, no split stage;
- (c) split: trained and tested on the editorial text the split stage keeps. The split stage is the TF-IDF
  boilerplate model trained as `dvc repro` trains it, on the shipped synthetic sample only
  (generate_corpus(320, 13), cleaned, its train split; threshold tuned on its validation split), never on BBC;
  the editorial text is the lines it does not flag, joined as ``split_articles`` joins them.

Check: (c) is within 0.5 accuracy points of (a) (a - c <= 0.005). The boilerplate model's line scores on the
composed pages (which are labelled by the composer) are reported too. Only the TF-IDF family is measured here (the
transformer is left out for CPU time; its split and topic models plug into the same code).

    python bench/robustness_ads.py
    python bench/robustness_ads.py --limit 400 --output /tmp/robustness.json
"""
from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common as C  # noqa: E402

NAME = "robustness_ads"
MAX_DROP = 0.005  # accuracy points (as a fraction) that (c) may lose against (a)
CONDITIONS = {"clean": "(a) clean articles", "raw": "(b) composed pages, no split stage",
              "split": "(c) composed pages through the split stage"}


def paragraphs_of(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n[ \t]*\n", body) if p.strip()]


def compose_all(bbc: dict, seed: int) -> tuple[list[list[str]], list[list[int]], dict]:
    """Composed pages (cleaned lines) and their line labels (1 = boilerplate)."""
    from newssift.sample import compose_article

    docs, labels = [], []
    for title, body, file in zip(bbc["titles"], bbc["bodies"], bbc["files"]):
        rng = random.Random(f"{seed}:{file}")
        lines, lab = compose_article(paragraphs_of(body), rng, headline=title, topic=None)
        docs.append(C.clean_lines(lines))
        labels.append([int(x) for x in lab])
    n_lines = sum(map(len, docs))
    stats = {"pages": len(docs), "lines": n_lines,
             "boilerplate_line_share": float(np.mean(np.concatenate([np.asarray(y) for y in labels]))),
             "boilerplate_char_share": float(sum(len(ln) for d, y in zip(docs, labels) for ln, v in zip(d, y) if v)
                                             / max(1, sum(len(ln) for d in docs for ln in d)))}
    return docs, labels, stats


def main(argv: list[str] | None = None) -> int:
    ap = C.base_parser(__doc__)
    args = ap.parse_args(argv)
    data = C.data_dir(args.data)
    path, dup_path = C.require(data, C.BBC, C.BBC_DUPLICATES, bench=NAME)
    timer = C.Timer()

    from newssift.config import Params, to_dict
    from newssift.metrics import boilerplate_metrics, topic_metrics, token_f1
    from newssift.tfidf import TfidfTopicClassifier

    params = Params()
    t = time.perf_counter()
    bbc = C.load_bbc(path, dup_path, args.limit)
    topics, groups = bbc["topics"], bbc["groups"]
    labels_all = sorted(set(topics))
    timer.lap("load", t)

    t = time.perf_counter()
    docs, line_labels, comp_stats = compose_all(bbc, args.seed)
    timer.lap("compose", t)
    C.say(f"{NAME}: composed {len(docs)} pages, {comp_stats['lines']} lines, "
          f"{comp_stats['boilerplate_line_share']:.0%} boilerplate lines")

    t = time.perf_counter()
    C.say(f"{NAME}: training the split stage's TF-IDF boilerplate model on the shipped sample ...")
    bmodel, _splits, binfo = C.sample_boilerplate_model(params)
    timer.lap("split_model_fit", t)
    t = time.perf_counter()
    proba = bmodel.predict_proba(docs)
    timer.lap("split_model_predict", t)
    th = float(bmodel.threshold_)
    split_metrics = boilerplate_metrics(docs, line_labels, proba, th)
    editorial = ["\n".join(ln for ln, p in zip(d, pr) if p < th) for d, pr in zip(docs, proba)]
    gold_editorial = ["\n".join(ln for ln, y in zip(d, lab) if y == 0) for d, lab in zip(docs, line_labels)]
    empty = sum(1 for e in editorial if not e.strip())
    C.say(f"{NAME}: split stage on composed BBC pages: editorial F1 {split_metrics['editorial_f1']:.3f}, "
          f"boilerplate F1 {split_metrics['boilerplate_f1']:.3f}, {empty} pages left without editorial text")
    texts = {"clean": bbc["texts"], "raw": ["\n".join(d) for d in docs], "split": editorial}

    folds = C.grouped_folds(args.folds, groups, topics, args.seed)
    per_fold = {c: [] for c in CONDITIONS}
    tparams = params.tfidf.topic
    for k, (tr, te) in C.fold_iter(folds, NAME):
        for cond in CONDITIONS:
            xs = texts[cond]
            train = [i for i in tr if xs[i].strip()]  # the pipeline trains on articles with editorial text
            t = time.perf_counter()
            model = TfidfTopicClassifier(tparams, seed=params.seed).fit([xs[i] for i in train],
                                                                        [topics[i] for i in train])
            has = [i for i in te if xs[i].strip()]
            pred = dict(zip(has, model.predict([xs[i] for i in has])))
            timer.lap(f"{cond}_topic", t)
            # an article left with no editorial text gets no topic (as in the inference pipeline): counted wrong
            y_pred = [pred.get(i, "(none)") for i in te]
            met = topic_metrics([topics[i] for i in te], y_pred, labels_all)
            per_fold[cond].append(met)
            C.say(f"{NAME}: fold {k + 1}: {cond}: accuracy {met['accuracy']:.4f}")

    summary = {c: {"accuracy": C.mean_std([f["accuracy"] for f in per_fold[c]]),
                   "macro_f1": C.mean_std([f["macro_f1"] for f in per_fold[c]])} for c in CONDITIONS}
    drops = [a["accuracy"] - s["accuracy"] for a, s in zip(per_fold["clean"], per_fold["split"])]
    drop = C.mean_std(drops)
    within = drop["mean"] <= MAX_DROP + 1e-12
    kept_tokens = float(np.mean([token_f1(e, g) for e, g in zip(editorial, gold_editorial)]))
    figures = []
    for c, label in CONDITIONS.items():
        figures.append(C.figure(f"{c}.accuracy", f"topic accuracy, {label}", summary[c]["accuracy"]["mean"],
                                std=summary[c]["accuracy"]["std"], section="topic accuracy (TF-IDF, 5-fold CV)",
                                model="TF-IDF topic" + (" + TF-IDF split (trained on the sample)"
                                                        if c == "split" else ""), fmt="{:.2%}",
                                headline=True))
    figures.append(C.figure("drop_clean_minus_split", "accuracy (a) - (c), points", 100 * drop["mean"],
                            std=100 * drop["std"], section="topic accuracy (TF-IDF, 5-fold CV)",
                            model="TF-IDF", fmt="{:+.2f}", headline=True,
                            anchor=f"criterion: (c) within {100 * MAX_DROP:.1f} points of (a): "
                                   f"{'met' if within else 'MISSED'}"))
    figures[-1]["passed"] = bool(within)
    figures[-1]["target_text"] = f"<= {100 * MAX_DROP:.1f}"
    sec = "split stage on the composed BBC pages (trained on the synthetic sample only)"
    for key, label in (("editorial_f1", "editorial F1 (lines)"), ("boilerplate_f1", "boilerplate F1 (lines)"),
                       ("editorial_f1_length_weighted", "editorial F1 (length-weighted)"),
                       ("editorial_token_f1", "editorial token F1 per page (mean)")):
        figures.append(C.figure(f"split.{key}", label, split_metrics[key], section=sec, model="TF-IDF split"))
    figures.append(C.figure("split.empty_pages", "pages left without editorial text", empty, section=sec,
                            model="TF-IDF split", fmt="{:.0f}"))
    C.write_result(
        NAME, title="Topic accuracy with boilerplate and ads: clean vs raw vs through the split stage (BBC)",
        description=("BBC articles composed into pages by newssift.sample.compose_article; TF-IDF family; 5-fold "
                     "StratifiedGroupKFold as topic_bbc; mean (std) over folds."),
        params={"folds": args.folds, "seed": args.seed, "compose": "compose_article(paragraphs, "
                "random.Random(f'{seed}:{file}'), headline=title, topic=None)",
                "tfidf_topic": to_dict(tparams), "split_model": {"params": to_dict(params.tfidf.boilerplate),
                                                                 **binfo},
                "max_drop_points": 100 * MAX_DROP, "limit": args.limit},
        data={"file": C.data_ref(data, C.BBC), "articles": len(docs), "composed": comp_stats,
              "folds": C.folds_summary(folds)},
        figures=figures,
        details={"per_fold": per_fold, "summary": summary, "drop_per_fold": drops,
                 "split_stage_line_metrics": split_metrics, "editorial_token_f1_vs_gold": kept_tokens,
                 "pages_without_editorial": empty, "within_criterion": within},
        notes=["TF-IDF family only (CPU time); the transformer family is not measured here.",
               "compose_article is called with topic=None: section crumbs and teasers are random, so boilerplate "
               "adds noise but no topic signal (with topic=... it would leak the label)."],
        timer=timer, output=args.output)
    C.say(f"{NAME}: accuracy clean {summary['clean']['accuracy']['mean']:.4f}, raw "
          f"{summary['raw']['accuracy']['mean']:.4f}, split {summary['split']['accuracy']['mean']:.4f}; "
          f"(a)-(c) = {100 * drop['mean']:+.2f} points: {'within' if within else 'NOT within'} {100 * MAX_DROP} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
