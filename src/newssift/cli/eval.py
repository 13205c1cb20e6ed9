"""``newssift eval``: score saved models on any labelled corpus with the metrics of the pipeline's ``evaluate`` stage:
line-level boilerplate metrics (model threshold, cleaned lines) and topic metrics of the *full pipeline's* topic
(the topic predicted from the predicted editorial text, which is what users get).
"""
from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newssift.cli.common import (
    Item,
    Reporter,
    check_input,
    check_output,
    column_mapping,
    columns_option,
    corpus_items,
    count_records,
    load,
    model_options,
    run,
    same_file,
    usage,
)
from newssift.constants import NO_SPLIT

SHOW_ERRORS = 20  # without --errors: list this many invalid records on stderr, then only counts


EVAL_DESCRIPTION = """\
Score saved models on a labelled corpus with the metrics of the pipeline's evaluate stage:
line-level boilerplate precision/recall/F1 and PR-AUC (records with "line_labels", on cleaned
lines, at the model's tuned threshold), and topic accuracy and macro-F1 (records with "topic")
of the full pipeline's topic, i.e. the topic predicted from the predicted editorial text.

Records without labels for a task are skipped for that task and counted; a task whose model
was not trained (a corpus with one kind of label) is not scored. Invalid records are reported
and counted, never fatal. Exit status: 0 scored; 1 scored but some records were invalid;
2 usage error or nothing to score (no record has labels for a task that has a model)."""

EVAL_EPILOG = """\
examples:
  newssift eval --input data/split/test.parquet
  newssift eval --input my_labelled.jsonl --model transformer --json eval_mine.json
  newssift eval --input articles/ --labels labels.jsonl     (a folder of .txt files + labels)"""



def add_command(sub) -> None:
    """Add ``eval`` to the ``newssift`` subcommands (``sub`` from ``add_subparsers``)."""
    fmt = argparse.RawDescriptionHelpFormatter
    e = sub.add_parser("eval", help="Score saved models on any labelled corpus (boilerplate line metrics and "
                                    "topic metrics of the full pipeline).",
                       description=EVAL_DESCRIPTION, epilog=EVAL_EPILOG, formatter_class=fmt)
    e.add_argument("--input", "-i", required=True, metavar="PATH",
                   help="labelled corpus (records with topic and/or line_labels): JSONL, CSV or Parquet file, folder "
                        "of .txt files, save_to_disk folder")
    e.add_argument("--labels", metavar="FILE",
                   help="for a folder of .txt files: JSONL of {id, topic, line_labels}")
    columns_option(e)
    e.add_argument("--json", metavar="FILE", help="also write the metrics as JSON to FILE")
    e.add_argument("--errors", metavar="FILE", help="write invalid records as JSONL instead of listing them")
    model_options(e)
    e.set_defaults(func=_cmd_eval, _parser=e)



def _fmt(v) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.3f}"


def format_eval_table(result: dict) -> str:
    """The human-readable report of ``newssift eval``."""
    r = result["records"]
    family = result["family"]
    if result.get("boilerplate_family", family) != family:
        family = f"{family} topic + {result['boilerplate_family']} boilerplate"
    lines = [f"newssift eval: {family} models from {result['models']} on {result['input']}",
             f"records: {r['read']} read, {r['scored']} scored, {r['invalid']} invalid, "
             f"{r['unlabelled']} without any labels (skipped)", ""]
    b = result.get("boilerplate")
    if b:
        lines += [f"Boilerplate, line level: {b['articles']} articles with line_labels, {b['lines']} lines, "
                  f"threshold {b['threshold']:.3f}, boilerplate share {b['boilerplate_share']:.1%}",
                  f"  {'class':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'F1 (length-weighted)':>21}"]
        for name in ("editorial", "boilerplate"):
            lines.append(f"  {name:<12} {_fmt(b[f'{name}_precision']):>9} {_fmt(b[f'{name}_recall']):>7} "
                         f"{_fmt(b[f'{name}_f1']):>7} {_fmt(b[f'{name}_f1_length_weighted']):>21}")
        lines += [f"  macro F1 {_fmt(b['macro_f1'])}   PR-AUC boilerplate {_fmt(b['pr_auc_boilerplate'])}, "
                  f"editorial {_fmt(b['pr_auc_editorial'])}   editorial token F1 {_fmt(b['editorial_token_f1'])}"]
    elif "boilerplate" in result.get("not_scored", {}):
        lines.append(f"Boilerplate: not scored ({result['not_scored']['boilerplate']})")
    else:
        lines.append(f"Boilerplate: not scored ({r['without_line_labels']} valid records, none with line_labels)")
    lines.append("")
    t = result.get("topic")
    if t:
        lines += [f"Topic, full pipeline (topic of the predicted editorial text): {t['n']} articles with a topic",
                  f"  accuracy {_fmt(t['accuracy'])}   macro F1 {_fmt(t['macro_f1'])}",
                  f"  {'topic':<20} {'F1':>7} {'support':>8}"]
        for lab, f in t["per_class_f1"].items():
            lines.append(f"  {lab:<20} {_fmt(f):>7} {t['support'].get(lab, 0):>8}")
        if t["no_topic_predicted"]:
            lines.append(f"  {t['no_topic_predicted']} article(s) had no editorial text left, so no topic "
                         "(counted as errors)")
        if t["unknown_topics"]:
            lines.append(f"  topics the model does not know (always errors): {', '.join(t['unknown_topics'])}")
    elif "topic" in result.get("not_scored", {}):
        lines.append(f"Topic: not scored ({result['not_scored']['topic']})")
    else:
        lines.append(f"Topic: not scored ({r['without_topic']} valid records, none with a topic)")
    return "\n".join(lines) + "\n"


def _cmd_eval(args) -> int:
    import numpy as np

    from newssift.evaluation import boilerplate_metrics, finite, topic_report
    from newssift.files import write_json
    from newssift.inference import failure as pred_failure

    if args.json and same_file(args.json, args.input):
        args._parser.error("--json must not be the input file")
    check_output(args.json, "--json")
    check_output(args.errors, "--errors")
    inp = check_input(args.input)
    columns = column_mapping(args.columns)
    if args.labels:
        check_input(args.labels)
    total = count_records(inp) if not args.quiet and sys.stderr.isatty() else None
    pipe = load(args)

    docs, gold, proba = [], [], []
    y_true, y_pred = [], []
    counts = Counter()

    def unlabelled(it: Item) -> bool:
        return it.record is not None and it.record.topic is None and it.record.line_labels is None

    with Reporter(total, args.quiet, args.errors, "eval", max_listed=None if args.errors else SHOW_ERRORS) as rep:
        for item, pred in run(pipe, corpus_items(inp, args.labels, columns), args.batch_size, skip=unlabelled):
            counts["read"] += 1
            if item.error is not None:
                rep.failure(item.source, item.id, item.reason or "failed", item.error)
                continue
            if pred is None:  # no labels at all: not predicted
                counts["unlabelled"] += 1
                counts["without_topic"] += 1
                counts["without_line_labels"] += 1
                rep.skipped()
                continue
            if pred.error is not None:
                rep.failure(item.source, item.id, *pred_failure(pred.error))
                continue
            rec = item.record
            if rec.line_labels is not None and len(rec.line_labels) != len(pred.lines):
                rep.failure(item.source, item.id, "line_labels_length",
                            f"'line_labels' has {len(rec.line_labels)} entries but the cleaned text has "
                            f"{len(pred.lines)} lines")
                continue
            rep.success()
            if rec.line_labels is not None:
                docs.append([ln.text for ln in pred.lines])
                gold.append(rec.line_labels)
                proba.append(np.array([ln.probability for ln in pred.lines], dtype=float))
            else:
                counts["without_line_labels"] += 1
            if rec.topic is not None:
                y_true.append(rec.topic)
                y_pred.append(pred.topic)
            else:
                counts["without_topic"] += 1
        if rep.failed > SHOW_ERRORS and not args.errors:
            rep.say(f"newssift: ... {rep.failed - SHOW_ERRORS} more invalid records not listed "
                    "(use --errors FILE to write them all)")

    if not docs and not y_true:
        raise usage(f"{args.input}: nothing to score: no valid record has a 'topic' or 'line_labels' "
                     f"({counts['read']} read, {rep.failed} invalid)")
    missing = {}  # task -> why it has labels but no model to score
    if docs and pipe.boilerplate_model is None:
        missing["boilerplate"] = ("no boilerplate split (the topic model was trained on full text; choose one with "
                                  "--boilerplate-model)" if pipe.boilerplate_family == NO_SPLIT else
                                  f"no trained {pipe.boilerplate_family} boilerplate model in {_models_folder(args)}")
    if y_true and pipe.topic_model is None:
        missing["topic"] = f"no trained {pipe.family} topic model in {_models_folder(args)}"
    if (not docs or "boilerplate" in missing) and (not y_true or "topic" in missing):
        raise usage(f"{args.input}: nothing to score: " + "; ".join(
            f"{len(docs) if t == 'boilerplate' else len(y_true)} records have "
            f"{'line_labels' if t == 'boilerplate' else 'a topic'} but there is {why}" for t, why in missing.items()))
    records = {"read": counts["read"], "scored": rep.ok, "invalid": rep.failed,
               "invalid_reasons": dict(sorted(rep.reasons.items())), "unlabelled": counts["unlabelled"],
               "without_topic": counts["without_topic"], "without_line_labels": counts["without_line_labels"]}
    result: dict[str, Any] = {"family": pipe.family, "boilerplate_family": pipe.boilerplate_family,
                              "models": str(_models_folder(args)), "input": str(inp),
                              "records": records, "boilerplate": None, "topic": None, "not_scored": missing}
    if docs and "boilerplate" not in missing:
        result["boilerplate"] = boilerplate_metrics(docs, gold, proba, float(pipe.boilerplate_model.threshold_))
    if y_true and "topic" not in missing:
        result["topic"] = topic_report(y_true, y_pred, list(pipe.topics))
    result = finite(result)
    sys.stdout.write(format_eval_table(result))
    sys.stdout.flush()
    if args.json:
        write_json(args.json, result)
    if not args.quiet or rep.failed:
        print(f"newssift: scored {rep.ok}, invalid {rep.failed}{rep.failures_note()}, "
              f"without labels {counts['unlabelled']}" + (f"; wrote {args.json}" if args.json else ""),
              file=sys.stderr)
    return 1 if rep.failed else 0


def _models_folder(args) -> Path:
    from newssift.models.registry import family_folder

    return family_folder(Path(args.models), args.model)

