"""Cross-domain boilerplate detection: synthetic sample <-> real web pages.

- sample -> real: the TF-IDF boilerplate model trained exactly as ``dvc repro`` trains it on the shipped sample
  (generate_corpus(320, 13), validated, cleaned and de-duplicated by clean_records, split by split_rows; fit on
  the train split, threshold tuned on the validation split), scored on all 181 real ScrapingHub pages (cleaned
  with clean_text). Its in-domain score on the sample's test split is given beside it.
- real -> sample: the same model class trained on the real pages (all 181, 15% of the sites held out to tune the
  threshold), scored on the whole cleaned sample (every record with line labels). Its in-domain score is the
  cross-validated figure of bench/boilerplate_real.py.

- the transformer's line tagger (params.yaml, or ``--tf-set``), trained on the same sample splits as
  ``train_transformer@boilerplate`` trains it, scored on the same real pages and test split, in fp32 and with its
  encoder in int8 (``--skip-transformer``: TF-IDF only). Real -> sample is TF-IDF only.

The short-line heuristic and the all-boilerplate guess (see boilerplate_real.py) are scored on both test sets as
anchors.

    python bench/cross_domain.py
    python bench/cross_domain.py --tf-set freeze_encoder=true --tf-set encoder_layers=null --output /tmp/x.json
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import boilerplate_real as BR  # noqa: E402
import common as C  # noqa: E402

NAME = "cross_domain"
VALIDATION = 0.15
KEYS = [("editorial_f1", "editorial F1 (lines)"), ("editorial_f1_length_weighted", "editorial F1 (length-weighted)"),
        ("boilerplate_f1", "boilerplate F1 (lines)"), ("editorial_token_f1", "editorial token F1 per page (mean)")]


def main(argv: list[str] | None = None) -> int:
    ap = C.base_parser(__doc__)
    C.add_tfidf_args(ap)
    C.add_transformer_args(ap)
    args = ap.parse_args(argv)
    data = C.data_dir(args.data)
    (path,) = C.require(data, C.SCRAPINGHUB, bench=NAME)
    timer = C.Timer()

    from newssift.config import Params, to_dict
    from newssift.evaluation import boilerplate_metrics
    from newssift.models.tfidf import TfidfBoilerplateClassifier

    params = Params().model_copy(update={"tfidf": Params().tfidf.model_copy(
        update={"boilerplate": C.tfidf_params(args, "boilerplate")})})
    t = time.perf_counter()
    real = C.load_scrapinghub(path, args.limit)
    rdocs, rlabels, sites = real["docs"], real["labels"], real["sites"]
    timer.lap("load", t)

    t = time.perf_counter()
    C.say(f"{NAME}: training on the shipped sample (as dvc repro) ...")
    smodel, splits, sinfo = C.sample_boilerplate_model(params)
    timer.lap("sample_model_fit", t)
    sdocs_all, slabels_all = C.docs_labels(splits["train"] + splits["validation"] + splits["test"])
    sdocs_test, slabels_test = C.docs_labels(splits["test"])

    t = time.perf_counter()
    C.say(f"{NAME}: training on the {len(rdocs)} real pages ...")
    idx = np.arange(len(rdocs))
    fit_idx, val_idx = C.inner_validation(idx, sites, None, VALIDATION, args.seed)
    rmodel = TfidfBoilerplateClassifier.from_params(params.tfidf.boilerplate, seed=params.seed).fit(
        [rdocs[i] for i in fit_idx], [rlabels[i] for i in fit_idx],
        [rdocs[i] for i in val_idx], [rlabels[i] for i in val_idx])
    timer.lap("real_model_fit", t)

    t = time.perf_counter()
    res = {
        "sample_to_real": boilerplate_metrics(rdocs, rlabels, smodel.predict_proba(rdocs), smodel.threshold_),
        "sample_to_sample_test": boilerplate_metrics(sdocs_test, slabels_test, smodel.predict_proba(sdocs_test),
                                                     smodel.threshold_),
        "real_to_sample": boilerplate_metrics(sdocs_all, slabels_all, rmodel.predict_proba(sdocs_all),
                                              rmodel.threshold_),
    }
    tagger_info = None
    if not args.skip_transformer:
        from newssift.models.transformer import TransformerBoilerplateClassifier

        t = time.perf_counter()
        C.say(f"{NAME}: training the line tagger on the shipped sample (as dvc repro) ...")
        tagger = TransformerBoilerplateClassifier(C.transformer_params(args, "boilerplate", params.transformer.seed))
        tagger.fit(*C.docs_labels(splits["train"]), *C.docs_labels(splits["validation"]))
        fit_s = time.perf_counter() - t
        timer.lap("sample_tagger_fit", t)
        tagger_info = {"transformer_boilerplate": to_dict(tagger.bp), "threshold": float(tagger.threshold_),
                       "smoothing": float(tagger.smoothing_), "span": bool(tagger.span_), "fit_seconds": fit_s}
        for tag, mode in (("tagger", "none"), ("tagger_int8", "int8")):
            t = time.perf_counter()
            tagger.quantize(mode)
            res[f"{tag}_sample_to_real"] = boilerplate_metrics(rdocs, rlabels, tagger.predict_proba(rdocs),
                                                               tagger.threshold_)
            res[f"{tag}_sample_to_sample_test"] = boilerplate_metrics(
                sdocs_test, slabels_test, tagger.predict_proba(sdocs_test), tagger.threshold_)
            timer.lap(f"{tag}_score", t)
    for name, docs, labels in (("real", rdocs, rlabels), ("sample", sdocs_all, slabels_all)):
        res[f"heuristic_on_{name}"] = boilerplate_metrics(docs, labels, BR.heuristic(docs), 0.5)
        res[f"all_boilerplate_on_{name}"] = boilerplate_metrics(docs, labels, BR.all_boilerplate(docs), 0.5)
    timer.lap("score", t)

    tagger_rows = [] if tagger_info is None else [
        (f"{tag}_{key}", section, f"line tagger trained on the synthetic sample, {mode}")
        for tag, mode in (("tagger", "fp32"), ("tagger_int8", "int8 encoder"))
        for key, section in (("sample_to_real", "sample -> real pages (181)"),
                             ("sample_to_sample_test", "sample -> sample test split (in-domain)"))]
    rows = [
        ("sample_to_real", "sample -> real pages (181)", "TF-IDF trained on the synthetic sample"),
        ("sample_to_sample_test", "sample -> sample test split (in-domain)", "TF-IDF trained on the synthetic sample"),
        *tagger_rows,
        ("heuristic_on_real", "anchor on real pages", "short-line heuristic"),
        ("all_boilerplate_on_real", "anchor on real pages", "all-boilerplate guess"),
        ("real_to_sample", f"real pages -> whole sample ({len(sdocs_all)} pages)", "TF-IDF trained on the real pages"),
        ("heuristic_on_sample", "anchor on the sample", "short-line heuristic"),
        ("all_boilerplate_on_sample", "anchor on the sample", "all-boilerplate guess"),
    ]
    figures = []
    for key, section, model in rows:
        for mkey, label in KEYS:
            figures.append(C.figure(f"{key}.{mkey}", label, res[key][mkey], section=section, model=model,
                                    headline=mkey == "editorial_f1" and key in (
                                        "sample_to_real", "real_to_sample", "sample_to_sample_test",
                                        "tagger_int8_sample_to_real")))
    C.write_result(
        NAME, title="Cross-domain boilerplate detection: synthetic sample <-> real pages",
        description="One model trained per direction (no folds needed: train and test are different corpora).",
        params={"seed": args.seed, "tfidf_boilerplate": to_dict(params.tfidf.boilerplate),
                "sample_model": sinfo, "sample_tagger": tagger_info,
                "real_model": {"train_pages": len(fit_idx), "validation_pages": len(val_idx),
                               "threshold": float(rmodel.threshold_), "span": bool(rmodel.span_),
                               "validation_grouping": "site"},
                "limit": args.limit},
        data={"real_file": C.data_ref(data, C.SCRAPINGHUB), "real_pages": len(rdocs),
              "real_lines": sum(map(len, rdocs)), "sample_pages_scored": len(sdocs_all),
              "sample_lines_scored": sum(map(len, sdocs_all))},
        figures=figures, details=res,
        notes=["In-domain real -> real figure: see boilerplate_real (5-fold CV, TF-IDF)."],
        timer=timer, output=args.output)
    for key in ("sample_to_real", "sample_to_sample_test", "real_to_sample") + tuple(r[0] for r in tagger_rows):
        C.say(f"{NAME}: {key}: editorial F1 {res[key]['editorial_f1']:.3f}, boilerplate F1 "
              f"{res[key]['boilerplate_f1']:.3f}, token F1 {res[key]['editorial_token_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
