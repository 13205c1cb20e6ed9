"""``newssift predict``: run trained models over articles from the command line.

``predict`` runs the full pipeline (clean -> boilerplate split -> topic) over ``.txt`` files, stdin, or a JSONL
corpus / folder of ``.txt`` files (``--input``). Bad input never stops a batch: each unusable record (not JSON,
no ``text``, empty, binary, not UTF-8, longer than ``--max-chars``) is reported with its file and line, the rest
is processed, and the exit code says what happened:

- 0: every record was processed;
- 1: the batch ran to the end but some records failed (listed on stderr or in ``--errors FILE``);
- 2: usage error (missing input, models folder not found, wrong model family, bad option), in one line, before
  any record is processed. Never a traceback for a user's mistake.

Articles longer than ``--max-chars`` (default 5,000,000 characters, the same limit as ``clean.max_chars``)
fail cleanly as one failed record; raise the limit to process them (a 10 MB article then takes a few seconds
with TF-IDF). Files are size-checked before they are read, so an accidental multi-GB file is never loaded.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newssift.cli.common import (
    Reporter,
    Sink,
    check_input,
    check_output,
    column_mapping,
    columns_option,
    corpus_items,
    count_records,
    file_items,
    load,
    model_options,
    positive_int,
    run,
    same_file,
    usage,
)

PREDICT_DESCRIPTION = """\
Run the trained pipeline (clean -> editorial/boilerplate line split -> topic) over raw articles.

Inputs are .txt files (one article each; `-` reads stdin) or, with --input, a JSONL corpus
({"id": ..., "text": ..., ...} per line, as for `newssift clean`) or a folder of .txt files.
Output is JSON Lines, one object per article (the Python API's Prediction.to_dict() plus
"source"), or with --format text the editorial text; --show-boilerplate prints every line,
removed (boilerplate) lines prefixed by "- " and kept (editorial) lines by two spaces.

Bad records never stop the batch: each failure is reported with its file and line (on stderr,
or as JSONL with id/source/reason/error in --errors FILE) and the rest is processed.
Exit status: 0 all processed; 1 some records failed; 2 usage error (missing input or models
folder, wrong model family, bad option)."""

PREDICT_EPILOG = """\
examples:
  newssift predict article.txt                         JSON result of one article on stdout
  newssift predict --format text a.txt b.txt           editorial text of each file
  newssift predict --show-boilerplate page.txt         every line, boilerplate marked "- "
  curl -s URL | newssift predict -                     read the article from stdin
  newssift predict --input corpus.jsonl --output predictions.jsonl --errors failed.jsonl
  newssift predict --model transformer --models /path/to/models --input corpus.jsonl
  newssift predict --engine ray --address ray://head:10001 --input s3://bucket/day/ --output s3://bucket/out/

Articles longer than --max-chars (default 5,000,000 characters, as clean.max_chars) fail as
one record ("text has N characters, more than the limit"); raise --max-chars to process them.
JSONL records follow the corpus format of `newssift clean` (unknown keys are rejected: put
extra data under "meta"), so a record fails here for the same reason it is rejected there."""


def add_command(sub) -> None:
    """Add ``predict`` to the ``newssift`` subcommands (``sub`` from ``add_subparsers``)."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("predict", help="Split editorial text from boilerplate and classify the topic of articles "
                                       "(.txt files, stdin or a JSONL corpus) with trained models.",
                       description=PREDICT_DESCRIPTION, epilog=PREDICT_EPILOG, formatter_class=fmt)
    p.add_argument("files", nargs="*", metavar="FILE", help=".txt file with one article; `-` reads stdin")
    io = p.add_argument_group("batch")
    io.add_argument("--input", "-i", metavar="PATH",
                    help="JSONL corpus (one {\"id\", \"text\", ...} per line), CSV or Parquet file (e.g. "
                         "data/split/test.parquet), folder of .txt files, or save_to_disk folder")
    io.add_argument("--output", "-o", metavar="FILE", default="-",
                    help="write results here (atomically, when the run ends) instead of stdout")
    columns_option(io)
    io.add_argument("--errors", metavar="FILE",
                    help="write failed records as JSONL (id, source, reason, error) instead of listing them "
                         "on stderr")
    out = p.add_argument_group("output")
    out.add_argument("--format", "-f", choices=["json", "text"], default=None,
                     help="json: JSON Lines, one object per article (default); text: the editorial text")
    out.add_argument("--show-boilerplate", action="store_true",
                     help="text format with every line: lines starting with \"- \" were removed as boilerplate, "
                          "indented lines are the editorial text")
    model_options(p)
    eng = p.add_argument_group("engine (a cluster: see README, \"Running on a Ray cluster\")")
    eng.add_argument("--engine", choices=["local", "ray"], default="local",
                     help="local: this machine's processes (default); ray: Ray Data on a Ray cluster (or a local Ray "
                          "instance): reads JSONL or Parquet (local or s3://... paths), applies the clean stage's "
                          "rules (rejects and exact duplicates are rows with a reason), predicts on --jobs actors "
                          "and writes Parquet to the folder --output. Needs pip install -e \".[ray]\"")
    eng.add_argument("--address", default=None, metavar="ADDR",
                     help="--engine ray: the cluster (ray://host:10001, host:6379 or auto; default: $RAY_ADDRESS, "
                          "else a local Ray instance on this machine's cores)")
    eng.add_argument("--gpus-per-worker", type=float, default=None, metavar="G",
                     help="--engine ray: GPUs per prediction actor (default: 1 for a transformer model when the "
                          "cluster has GPUs, else 0)")
    eng.add_argument("--min-chars", type=int, default=20, metavar="N",
                     help="--engine ray: shorter cleaned text is rejected (too_short), as clean.min_chars "
                          "(default: %(default)s)")
    eng.add_argument("--input-format", choices=["auto", "jsonl", "parquet"], default="auto",
                     help="--engine ray: format of --input (default: auto, by file extension)")
    eng.add_argument("--shuffle-partitions", type=positive_int, default=None, metavar="N",
                     help="--engine ray: partitions of the de-duplication shuffles (default: 2 per CPU of the "
                          "cluster; a corpus of many GB wants about one per GB)")
    p.set_defaults(func=_cmd_predict, _parser=p)



def _render_text(pred, source: str, header: bool, show_boilerplate: bool) -> str:
    out = []
    if header:
        topic = pred.topic or "(none: no editorial text)"
        if pred.topic:
            topic += f" {pred.topic_probabilities.get(pred.topic, 0.0):.2f}"
        out.append(f"==> {source} <== topic: {topic}")
    if show_boilerplate:
        out.extend((("- " if ln.boilerplate else "  ") + ln.text).rstrip() for ln in pred.lines)
    else:
        out.append(pred.editorial)
    return "\n".join(out) + "\n"


def _json_line(pred, source: str) -> str:
    from newssift.files import (
        json_line,  # lone surrogates (e.g. in a file name) as escapes, never a crash
    )

    d = pred.to_dict()
    row = {"id": d.pop("id"), "source": source, **d}
    return json_line(row)


def _cmd_predict(args) -> int:
    parser: argparse.ArgumentParser = args._parser
    if args.columns and getattr(args, "engine", "local") == "ray":
        parser.error("--columns is for the local engine (--engine ray reads id and text columns)")
    if getattr(args, "engine", "local") == "ray":
        from newssift.engines.ray_data import cli_predict

        return cli_predict(args)
    from newssift.inference import failure as pred_failure

    if args.files and args.input:
        parser.error("give FILE arguments or --input, not both")
    if not args.files and not args.input:
        parser.error("nothing to do: give .txt FILE arguments, `-` for stdin, or --input corpus.jsonl")
    if args.show_boilerplate and args.format == "json":
        parser.error("--show-boilerplate is for --format text (JSON output already lists every line)")
    fmt = args.format or ("text" if args.show_boilerplate else "json")
    if args.input == "-":
        parser.error("--input reads a file or folder, not stdin; for one article on stdin use `newssift predict -`")
    if args.columns and not args.input:
        parser.error("--columns maps the columns of an --input table; FILE arguments are raw articles")
    columns = column_mapping(args.columns)
    if args.files.count("-") > 1:
        parser.error("`-` (stdin) can be given only once")
    if same_file(args.input, args.output) or any(same_file(f, args.output) for f in args.files):
        parser.error("--output must not be an input file")
    if args.errors and (same_file(args.errors, args.output) or same_file(args.errors, args.input)):
        parser.error("--errors must differ from --input and --output")

    # check inputs and outputs before loading the models (a typo fails in a fraction of a second)
    check_output(args.output, "--output")
    check_output(args.errors, "--errors")
    if args.input:
        inp = check_input(args.input)
        if inp.is_file() and inp.suffix.lower() == ".txt":
            parser.error(f"{args.input} is a .txt article: pass it as FILE (without --input); --input takes a "
                         "JSONL corpus or a folder of .txt files")
        total = count_records(inp) if not args.quiet and sys.stderr.isatty() else None
    else:
        for f in args.files:
            if f.lower().endswith((".jsonl", ".json")):
                parser.error(f"{f}: a FILE is one raw article; for a JSONL corpus use --input {f}")
            if f != "-" and not Path(f).exists():
                raise usage(f"{f}: file not found")
            if f != "-" and Path(f).is_dir():
                raise usage(f"{f}: is a folder; use --input {f} for a folder of .txt files")
        inp, total = None, len(args.files)
    pipe = load(args)
    items = corpus_items(inp, columns=columns) if inp is not None else file_items(args.files, args.max_chars)
    header = inp is not None or len(args.files) > 1
    no_editorial = 0
    try:
        with Sink(args.output) as out, Reporter(total, args.quiet, args.errors, "predict") as rep:
            first = True
            for item, pred in run(pipe, items, args.batch_size):
                if item.error is not None:
                    rep.failure(item.source, item.id, item.reason or "failed", item.error)
                elif pred.error is not None:
                    rep.failure(item.source, item.id, *pred_failure(pred.error))
                else:
                    rep.success()
                    no_editorial += pred.topic is None
                    if fmt == "json":
                        out.write(_json_line(pred, item.source))
                    else:
                        out.write(("" if first or not header else "\n")
                                  + _render_text(pred, item.source, header, args.show_boilerplate))
                        first = False
                    if out.path is None:
                        out.flush()  # stream: a reader of the pipe sees each article as it is done
    except BrokenPipeError:  # `newssift predict ... | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise
    if not args.quiet or rep.failed:
        note = f" ({no_editorial} with no editorial text left, topic null)" if no_editorial else ""
        print(f"newssift: processed {rep.ok}{note}, failed {rep.failed}{rep.failures_note()}"
              + (f"; wrote {args.output}" if args.output != "-" else ""), file=sys.stderr)
    return 1 if rep.failed else 0


