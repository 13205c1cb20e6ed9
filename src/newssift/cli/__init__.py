"""The ``newssift`` command line.

Pipeline stages (what ``dvc.yaml`` runs): ``sample``, ``clean``, ``split-data``, ``train``, ``split-articles``,
``evaluate``. Using trained models: ``predict`` and ``eval``. Comparing experiments: ``report``. A user's mistake
(missing file, wrong folder, bad params key) is reported in one line and exit code 2, never with a traceback.
"""
from __future__ import annotations

import argparse
import sys

from newssift import __version__
from newssift.constants import FAMILIES, TASKS
from newssift.errors import NewssiftError


def _run_stage(args) -> int:
    """Run the stage module ``args.stage`` (``newssift.stages.<name>``). Params are loaded first, so that a params
    mistake is reported before the stage's heavy imports."""
    import importlib
    from pathlib import Path

    from newssift.config import load_params
    from newssift.errors import ConfigError

    path = Path(args.params)
    if path.exists() and not path.is_file():  # a FIFO or device would block the read, a folder cannot be read
        raise ConfigError(f"{path}: not a regular file (give the params file, e.g. params.yaml)")
    params = load_params(path)
    name = args.stage if args.stage != "train" else f"train_{args.family}"
    module = importlib.import_module(f"newssift.stages.{name}")
    if args.stage == "train":
        module.run(params, args.task)
    else:
        module.run(params)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newssift",
        description="Clean scraped news articles, split editorial text from boilerplate and advertising, "
                    "and classify topics. Pipeline stages are run by `dvc repro`; `predict` and `eval` use "
                    "trained models.",
    )
    parser.add_argument("--version", action="version", version=f"newssift {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def stage(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--params", default="params.yaml", help="params file (default: %(default)s)")
        p.set_defaults(func=_run_stage, stage=name.replace("-", "_"))
        return p

    stage("sample", "Write the synthetic sample corpus to data/sample/corpus.jsonl.")
    stage("clean", "Validate, repair and de-duplicate the corpus named by data.corpus; writes data/clean/, "
                   "data/rejects.jsonl and reports/clean.json.")
    stage("split-data", "Split data/clean/ into train/validation/test (stratified by topic, grouped by near "
                        "duplicates) under data/split/.")
    p = stage("train", "Train one model: a family (tfidf or transformer) for a task (topic or boilerplate).")
    p.add_argument("--family", required=True, choices=FAMILIES)
    p.add_argument("--task", required=True, choices=TASKS)
    stage("split-articles", "Run the boilerplate model over every split and write the editorial text to "
                            "data/articles/.")
    stage("evaluate", "Score every model family on the test split; writes eval/<family>/ metrics and plots "
                      "and reports/summary.md.")

    from newssift.cli import eval as eval_cmd
    from newssift.cli import predict as predict_cmd
    from newssift.report import add_command as add_report

    add_report(sub)
    predict_cmd.add_command(sub)
    eval_cmd.add_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NewssiftError as exc:
        print(f"newssift: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newssift: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system said no (permissions, a file where a folder must go, disk full, ...)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"newssift: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
