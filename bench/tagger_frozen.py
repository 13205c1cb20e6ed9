"""The line tagger with a frozen encoder on real web pages: editorial F1 against encoder depth and other settings.

Every distinct line of the 181 ScrapingHub pages is encoded ONCE by the frozen pretrained encoder (one pass with
``output_hidden_states``: the mean-pooled line vector after every layer 1..N); each setting then trains only the
tagger's new layers (line-feature projection, character n-gram bag, sequence model, head) on the cached vectors, on
the same grouped folds and validation hold-outs as ``bench/boilerplate_real.py``, and is scored with the same
metrics (``newssift.evaluation.boilerplate_metrics``, fp32 at inference). Training a setting takes seconds to a
minute per fold instead of the fine-tuned encoder's ~11 minutes, so many settings can be compared; the chosen one is
then measured end to end by ``bench/boilerplate_real.py`` (which also reports int8).

    python bench/tagger_frozen.py                                   # depths 1..6, params.yaml otherwise
    python bench/tagger_frozen.py --layers 2,3 --variant ep12:epochs=12 --variant wide:context_dim=384
    python bench/tagger_frozen.py --tf-folds 2 --output /tmp/x.json
    python bench/tagger_frozen.py --layers 6 --model-seeds 42,43,44,45    # how much the seed alone moves a score

A variant is ``NAME:KEY=VALUE[,KEY=VALUE...]`` over ``transformer.boilerplate`` keys (YAML values), run at every
depth of ``--layers``; ``freeze_encoder`` is always true here.

``--fuse-tfidf`` also fits the TF-IDF boilerplate model (params.yaml) on each fold and scores a late fusion of the
two: the weighted mean of their log-odds (the TF-IDF model's shifted to the flat class prior the tagger is trained
under), then the tagger's HMM smoothing; the weight (FUSION_WEIGHTS), smoothing strength and threshold are picked
together on the fold's validation pages by the project's tuner, and the figure sits next to each model alone.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import boilerplate_real as R  # noqa: E402
import common as C  # noqa: E402

NAME = "tagger_frozen"
FUSION_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # of the TF-IDF log-odds; 0 = the tagger alone, 1 = TF-IDF alone


SHORT_WORDS = 8  # error breakdown: a line of fewer words is "short"


def error_breakdown(docs, gold, proba, threshold: float) -> dict[str, int]:
    """Counts of non-blank lines by gold label, place (before the page's first editorial line, inside the span of
    editorial lines, after its last) and length (short: < SHORT_WORDS words), each split into right and wrong: where
    the errors are. Pages without editorial lines count as "before"."""
    out: dict[str, int] = {}
    for d, y, p in zip(docs, gold, proba):
        y = np.asarray(y, dtype=int)
        ed = np.flatnonzero(y == 0)
        first, last = (int(ed[0]), int(ed[-1])) if len(ed) else (len(d), -1)
        for t, line in enumerate(d):
            if not line.strip():
                continue
            place = "before" if t < first else ("after" if t > last else "inside")
            size = "short" if len(line.split()) < SHORT_WORDS else "long"
            kind = "editorial" if y[t] == 0 else "boilerplate"
            right = (p[t] >= threshold) == bool(y[t])
            key = f"{kind}.{place}.{size}.{'right' if right else 'wrong'}"
            out[key] = out.get(key, 0) + 1
    return out


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def fused(tfidf_raw: list[np.ndarray], tagger_raw: list[np.ndarray], prior: np.ndarray, w: float) -> list[np.ndarray]:
    """P(boilerplate) per line from ``w`` x the TF-IDF log-odds (moved from its training ``prior`` to a flat one)
    + (1 - ``w``) x the tagger's, before smoothing."""
    shift = float(np.log(prior[1] / prior[0]))
    return [1.0 / (1.0 + np.exp(-(w * (_logit(a) - shift) + (1 - w) * _logit(b)))) for a, b in zip(tfidf_raw, tagger_raw)]


def fusion_scores(model, tfidf, val_docs, val_gold, test_docs, test_gold) -> dict:
    """The tagger ``model`` fused with the fitted ``tfidf`` model: weight, smoothing and threshold tuned together on
    the validation pages (best macro-F1 over lines), the test pages' metrics at that choice."""
    from newssift.evaluation import boilerplate_metrics
    from newssift.models.threshold import (
        SMOOTHING_GRID,
        tune_smoothing_and_threshold,
        validation_score,
    )

    tv, tt = tfidf._raw_proba(val_docs), tfidf._raw_proba(test_docs)
    mv, mt = model._raw_proba(val_docs), model._raw_proba(test_docs)
    best = None
    for w in FUSION_WEIGHTS:
        strength, th, probs = tune_smoothing_and_threshold(val_gold, fused(tv, mv, tfidf.prior_, w), model._smooth,
                                                           SMOOTHING_GRID)
        score = validation_score(val_gold, probs, th)
        if best is None or score > best[0] + 1e-12:
            best = (score, w, strength, th)
    _, w, strength, th = best
    met = boilerplate_metrics(test_docs, test_gold, model._smooth(fused(tt, mt, tfidf.prior_, w), strength), th)
    return {**met, "weight": w, "smoothing": strength, "threshold": th}


def parse_variant(text: str) -> tuple[str, list[str]]:
    name, sep, body = text.partition(":")
    if not sep or not name:
        raise SystemExit(f"--variant {text!r}: expected NAME:KEY=VALUE[,KEY=VALUE...]")
    return name, [kv for kv in body.split(",") if kv]


def save_cache(path: str, caches: dict[int, dict]) -> None:
    """The encoded line vectors to a temporary .npz (token ids, offsets, one vector array per depth): vectors of
    text, never the text; keep it outside the repository."""
    keys = list(next(iter(caches.values())))
    flat = np.fromiter((t for k in keys for t in k), dtype=np.int64)
    offsets = np.cumsum([0] + [len(k) for k in keys])
    np.savez(path, tokens=flat, offsets=offsets,
             **{f"layer{d}": np.stack([c[k] for k in keys]).astype(np.float32) for d, c in caches.items()})


def load_cache(path: str, layers: list[int]) -> dict[int, dict] | None:
    """The caches of :func:`save_cache`, or None when a depth is missing."""
    z = np.load(path)
    if any(f"layer{d}" not in z for d in layers):
        return None
    tok, off = z["tokens"], z["offsets"]
    keys = [tuple(tok[off[i]:off[i + 1]].tolist()) for i in range(len(off) - 1)]
    return {d: dict(zip(keys, z[f"layer{d}"])) for d in layers}


def main(argv: list[str] | None = None) -> int:
    ap = C.base_parser(__doc__)
    C.add_transformer_args(ap)
    ap.add_argument("--layers", default="1,2,3,4,5,6", help="encoder depths to run (default %(default)s)")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME:KEY=VALUE,...",
                    help="a setting to compare (repeatable); default: the params.yaml setting alone ('base')")
    ap.add_argument("--fuse-tfidf", action="store_true",
                    help="also score the TF-IDF model and a late fusion of it with each tagger (see above)")
    ap.add_argument("--model-seeds", default=None, metavar="S1,S2,...",
                    help="train every setting once per seed (transformer.seed: initialisation, batch order, composed "
                         "pages) on the same folds, and report the spread of the per-seed means (default: --seed)")
    ap.add_argument("--cache", default=None, metavar="FILE.npz",
                    help="reuse (or write) the encoded line vectors here; a temporary file outside the repository "
                         "(valid for one base model, line_max_tokens and --limit)")
    args = ap.parse_args(argv)
    data = C.data_dir(args.data)
    (path,) = C.require(data, C.SCRAPINGHUB, bench=NAME)
    timer = C.Timer()
    threads = C.set_torch_threads()

    from newssift.config import to_dict
    from newssift.evaluation import boilerplate_metrics
    from newssift.models.transformer import TransformerBoilerplateClassifier

    corpus = C.load_scrapinghub(path, args.limit)
    docs, labels, sites = corpus["docs"], corpus["labels"], corpus["sites"]
    folds = C.grouped_folds(args.folds, sites, None, args.seed)
    run_folds = C.transformer_folds(args, len(folds))
    layers = [int(x) for x in args.layers.split(",")]
    variants = [parse_variant(v) for v in args.variant] or [("base", [])]
    base_tf_set = list(args.tf_set)

    model_seeds = [int(x) for x in args.model_seeds.split(",")] if args.model_seeds else [args.seed]

    def params_for(depth: int, extra: list[str], model_seed: int | None = None):
        args.tf_set = base_tf_set + ["freeze_encoder=true", f"encoder_layers={depth}"] + extra
        return C.transformer_params(args, "boilerplate", args.seed if model_seed is None else model_seed)

    t = time.perf_counter()
    probe = TransformerBoilerplateClassifier(params_for(max(layers), []))
    caches = load_cache(args.cache, layers) if args.cache and Path(args.cache).is_file() else None
    if caches is None:  # every depth up to the deepest asked for: the same single pass
        caches = probe.encode_frozen(docs, list(range(1, max(layers) + 1)) if args.cache else layers)
        if args.cache:
            save_cache(args.cache, caches)
    encode_s = time.perf_counter() - t
    timer.lap("encode_all_lines_once", t)
    n_distinct = len(caches[layers[0]])
    C.say(f"{NAME}: {n_distinct} distinct lines at depths {sorted(caches)} ready in {encode_s:.0f} s")

    tfidf_fits: dict[int, object] = {}  # fold -> the fitted TF-IDF model (--fuse-tfidf), shared by every setting
    tfidf_runs: list[dict] = []

    def tfidf_for(k, fit_idx, val_idx, tdocs, tgold):
        if k not in tfidf_fits:
            from newssift.models.tfidf import TfidfBoilerplateClassifier

            tf = TfidfBoilerplateClassifier.from_params(C.tfidf_params(args, "boilerplate"), seed=args.seed)
            tf.fit(sel(fit_idx, docs), sel(fit_idx, labels), sel(val_idx, docs), sel(val_idx, labels))
            tfidf_fits[k] = tf
            tfidf_runs.append({"fold": k + 1, **boilerplate_metrics(tdocs, tgold, tf.predict_proba(tdocs),
                                                                    float(tf.threshold_))})
        return tfidf_fits[k]

    def sel(idx, xs):
        return [xs[i] for i in idx]

    results: dict = {}
    for name, extra in variants:
        for depth in layers:
            key = f"{name}@L{depth}"
            runs = []
            for model_seed, k in ((ms, k) for ms in model_seeds for k in run_folds):
                params = params_for(depth, extra, model_seed)
                tr, te = folds[k]
                fit_idx, val_idx = C.inner_validation(tr, sites, None, R.VALIDATION, args.seed + k)
                t = time.perf_counter()
                same_tokens = params.boilerplate.line_max_tokens == probe.bp.line_max_tokens
                model = TransformerBoilerplateClassifier(params, line_vectors=caches[depth] if same_tokens else None)
                model.fit(sel(fit_idx, docs), sel(fit_idx, labels), sel(val_idx, docs), sel(val_idx, labels))
                fit_s = time.perf_counter() - t
                tdocs, tgold = sel(te, docs), sel(te, labels)
                proba = model.predict_proba(tdocs)
                met = boilerplate_metrics(tdocs, tgold, proba, float(model.threshold_))
                epochs_run = max((h.get("epoch", 0) for h in model.history_), default=0)
                runs.append({"fold": k + 1, "model_seed": model_seed, **met,
                             "errors": error_breakdown(tdocs, tgold, proba, model.threshold_),
                             "fit_seconds": fit_s, "threshold": float(model.threshold_),
                             "smoothing": float(model.smoothing_), "span": bool(model.span_),
                             "epochs_run": epochs_run,
                             "load_average_1min": C.machine_info()["load_average_1min"]})
                C.say(f"{NAME}: {key}: seed {model_seed}, fold {k + 1}: editorial F1 {met['editorial_f1']:.3f}, "
                      f"token F1 {met['editorial_token_f1']:.3f}, fit {fit_s:.0f} s, {epochs_run:g} epochs")
                if args.fuse_tfidf:
                    tf = tfidf_for(k, fit_idx, val_idx, tdocs, tgold)
                    fu = runs[-1]["fused_with_tfidf"] = fusion_scores(
                        model, tf, sel(val_idx, docs), sel(val_idx, labels), tdocs, tgold)
                    C.say(f"{NAME}: {key}: fold {k + 1}: TF-IDF alone {tfidf_runs[-1]['editorial_f1']:.3f}, fused "
                          f"{fu['editorial_f1']:.3f} (TF-IDF weight {fu['weight']:g})")
            results[key] = {"variant": name, "settings": extra, "encoder_layers": depth, "folds": runs,
                            **{m: C.mean_std([r[m] for r in runs]) for m in
                               ("editorial_f1", "editorial_token_f1", "editorial_f1_length_weighted",
                                "fit_seconds")}}
            s = results[key]
            if len(model_seeds) > 1:  # the mean over the folds with each seed, and how far those means spread
                s["by_seed"] = {ms: C.mean_std([r["editorial_f1"] for r in runs if r["model_seed"] == ms])
                                for ms in model_seeds}
                s["seed_spread"] = C.mean_std([v["mean"] for v in s["by_seed"].values()])
                C.say(f"{NAME}: {key}: per seed " + ", ".join(f"{ms} {v['mean']:.3f}" for ms, v in s["by_seed"].items())
                      + f" (std of the seed means {s['seed_spread']['std']:.3f})")
            if args.fuse_tfidf:
                s["fused_with_tfidf"] = {m: C.mean_std([r["fused_with_tfidf"][m] for r in runs])
                                         for m in ("editorial_f1", "editorial_token_f1", "weight")}
            C.say(f"{NAME}: {key}: editorial F1 {s['editorial_f1']['mean']:.3f}, token F1 "
                  f"{s['editorial_token_f1']['mean']:.3f} (folds {', '.join(str(k + 1) for k in run_folds)})")

    figures = []
    for key, s in results.items():
        for m, label in (("editorial_f1", "editorial F1 (lines)"),
                         ("editorial_token_f1", "editorial token F1 per page (mean)")):
            figures.append(C.figure(f"{key}.{m}", label, s[m]["mean"], std=s[m]["std"], section=key,
                                    model="line tagger, frozen encoder",
                                    settings=", ".join(s["settings"]) or "params.yaml", headline=False))
            if m == "editorial_f1" and "seed_spread" in s:
                figures.append(C.figure(f"{key}.{m}.seed_spread", "editorial F1: per-seed means, mean and std",
                                        s["seed_spread"]["mean"], std=s["seed_spread"]["std"], section=key,
                                        model="line tagger, frozen encoder",
                                        settings=f"seeds {', '.join(map(str, model_seeds))}", headline=False))
            if "fused_with_tfidf" in s:
                f = s["fused_with_tfidf"][m]
                figures.append(C.figure(f"{key}.fused.{m}", label, f["mean"], std=f["std"], section=key,
                                        model="the same tagger fused with TF-IDF (weight tuned on validation)",
                                        headline=False))
    for m, label in (("editorial_f1", "editorial F1 (lines)"),
                     ("editorial_token_f1", "editorial token F1 per page (mean)")):
        if tfidf_runs:
            ms = C.mean_std([r[m] for r in tfidf_runs])
            figures.append(C.figure(f"tfidf.{m}", label, ms["mean"], std=ms["std"], section="TF-IDF on the same folds",
                                    model="TF-IDF (newssift)", settings="params.yaml", headline=False))
    C.write_result(
        NAME, title="Line tagger with a frozen encoder: depth and settings (ScrapingHub, 181 pages)",
        description=(f"Folds {', '.join(str(k + 1) for k in run_folds)} of {len(folds)} of bench/boilerplate_real.py "
                     "(grouped by site, 15% validation); each distinct line encoded once by the frozen encoder, "
                     "the new layers trained per fold; fp32 inference."),
        params={"folds": args.folds, "folds_run": [k + 1 for k in run_folds], "seed": args.seed,
                "model_seeds": model_seeds, "layers": layers,
                "variants": {n: e for n, e in variants}, "tf_set": base_tf_set,
                "fuse_tfidf": {"weights": list(FUSION_WEIGHTS)} if args.fuse_tfidf else None,
                "transformer": to_dict(params_for(max(layers), [])), "threads": threads, "limit": args.limit},
        data={"file": C.data_ref(data, C.SCRAPINGHUB), "pages": len(docs), "lines": sum(map(len, docs)),
              "distinct_lines_encoded": n_distinct, "encode_seconds": encode_s},
        figures=figures, details={"results": results, "tfidf": tfidf_runs}, timer=timer, output=args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
