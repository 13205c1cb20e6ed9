"""The CLI never prints a traceback for a user's mistake: every case below must exit 2 with one
``newssift: error:`` line that names the problem.

Some cases run the real ``newssift`` entry point in a subprocess (started together by a module fixture, so they
run concurrently); the cases that import scikit-learn or the stages (slow to start) run ``main()``
in-process, where any exception other than the handled ones would propagate into the test and fail it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_corpus, train_tiny_tfidf

from newssift.artifacts import model_dir_writer
from newssift.files import write_jsonl

NEWSSIFT = [sys.executable, "-m", "newssift"]


def _train_models(root: Path) -> None:
    train_tiny_tfidf(root, make_corpus(30, seed=23))
    for task in ("topic", "boilerplate"):  # what `train` writes when transformer.enabled is false
        with model_dir_writer(root / "transformer" / task,
                              {"family": "transformer", "task": task, "disabled": True}) as tmp:
            (tmp / "DISABLED").write_text("transformer.enabled is false in params.yaml\n")


def _params(path: Path, **changes) -> str:
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    for dotted, value in changes.items():
        *parents, key = dotted.split(".")
        node = raw
        for p in parents:
            node = node[p]
        node[key] = value
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return str(path)


# (case id, arguments, expected words in the error line); {w} is the work folder
IN_PROCESS = {"eval-missing-input", "models-folder-missing", "models-folder-is-a-file", "models-of-wrong-task",
              "models-not-a-model-folder", "transformer-not-trained", "corpus-missing", "labels-missing",
              "train-before-split", "split-articles-before-train"}
CASES = [
    ("predict-missing-file", ["predict", "--models", "{w}/models", "{w}/missing.txt"], "missing.txt: file not found"),
    ("eval-missing-input", ["eval", "--models", "{w}/models", "--input", "{w}/nope.jsonl"], "nope.jsonl: input not found"),
    ("models-folder-missing", ["predict", "--models", "{w}/nowhere", "{w}/a.txt"], "no trained tfidf models"),
    ("models-folder-is-a-file", ["predict", "--models", "{w}/a.txt", "{w}/a.txt"], "no trained tfidf models"),
    ("models-of-wrong-task", ["predict", "--models", "{w}/swapped", "{w}/a.txt"],
     "trained for task 'topic', expected 'boilerplate'"),
    ("models-tampered", ["predict", "--models", "{w}/tampered", "{w}/a.txt"],
     "tampered/tfidf/topic/model.safetensors: checksum mismatch"),
    ("models-not-a-model-folder", ["predict", "--models", "{w}/empty-models", "{w}/a.txt"],
     "not a newssift model folder (no manifest.json)"),
    ("transformer-not-trained", ["predict", "--model", "transformer", "--models", "{w}/models", "{w}/a.txt"],
     "the transformer model was not trained"),
    ("params-unknown-key", ["clean", "--params", "{w}/unknown_key.yaml"],
     "unknown key 'clean.max_char' (did you mean 'clean.max_chars'?)"),
    ("params-wrong-type", ["split-data", "--params", "{w}/wrong_type.yaml"],
     "split.test: expected a number in (0, 1), got 'a lot'"),
    ("params-wrong-type-train", ["train", "--family", "tfidf", "--task", "topic", "--params", "{w}/wrong_c.yaml"],
     "tfidf.boilerplate.C: expected a number > 0, got 'ten'"),
    ("params-bad-value", ["evaluate", "--params", "{w}/bad_value.yaml"],
     "evaluate.families[1]: expected 'tfidf' or 'transformer', got 'bert'"),
    ("params-invalid-yaml", ["clean", "--params", "{w}/invalid.yaml"], "invalid.yaml: not valid YAML at line 3, column 1"),
    ("params-not-utf8", ["clean", "--params", "{w}/utf16.yaml"], "utf16.yaml: not UTF-8 text"),
    ("params-missing", ["clean", "--params", "{w}/nope.yaml"], "nope.yaml: params file not found"),
    ("corpus-missing", ["clean", "--params", "{w}/no_corpus.yaml"], "no/such/corpus.jsonl: corpus not found"),
    ("labels-missing", ["clean", "--params", "{w}/no_labels.yaml"], "no_labels.jsonl: file not found"),
    ("train-before-split", ["train", "--family", "tfidf", "--task", "boilerplate", "--params", "{w}/ok.yaml"],
     "data/split/train.parquet: file not found"),
    ("split-articles-before-train", ["split-articles", "--params", "{w}/ok.yaml"],
     "models/tfidf/boilerplate: model folder not found"),
    ("output-folder-blocked", ["clean", "--params", "{w}/ok_abs.yaml"], "data/clean: Not a directory"),
    ("train-task-nonsense", ["train", "--family", "tfidf", "--task", "nonsense"],
     "argument --task: invalid choice: 'nonsense'"),
    ("train-family-nonsense", ["train", "--family", "bert", "--task", "topic"],
     "argument --family: invalid choice: 'bert'"),
    ("unknown-command", ["clena"], "invalid choice: 'clena'"),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    w = tmp_path_factory.mktemp("cli-errors")
    _train_models(w / "models")
    (w / "a.txt").write_text(make_corpus(1, seed=5)[0]["text"], encoding="utf-8")
    shutil.copytree(w / "models", w / "swapped")
    shutil.rmtree(w / "swapped" / "tfidf" / "boilerplate")
    shutil.copytree(w / "swapped" / "tfidf" / "topic", w / "swapped" / "tfidf" / "boilerplate")
    shutil.copytree(w / "models", w / "tampered")
    target = w / "tampered" / "tfidf" / "topic" / "model.safetensors"
    data = bytearray(target.read_bytes())
    data[len(data) // 3] ^= 0x10
    target.write_bytes(bytes(data))
    for task in ("boilerplate", "topic"):
        (w / "empty-models" / "tfidf" / task).mkdir(parents=True)
    _params(w / "unknown_key.yaml", **{"clean.max_char": 10})
    _params(w / "wrong_type.yaml", **{"split.test": "a lot"})
    _params(w / "wrong_c.yaml", **{"tfidf.boilerplate.C": "ten"})
    _params(w / "bad_value.yaml", **{"evaluate.families": ["tfidf", "bert"]})
    (w / "invalid.yaml").write_text("clean:\n  min_chars: [1, 2\n", encoding="utf-8")
    (w / "utf16.yaml").write_text("seed: 1\n", encoding="utf-16")
    _params(w / "no_corpus.yaml", **{"data.corpus": "no/such/corpus.jsonl"})
    (w / "txt").mkdir()
    _params(w / "no_labels.yaml", **{"data.corpus": str(w / "txt"), "data.labels": "no_labels.jsonl"})
    _params(w / "ok.yaml")
    _params(w / "ok_abs.yaml", **{"data.corpus": str(w / "corpus.jsonl")})
    write_jsonl(w / "corpus.jsonl", make_corpus(3))

    procs = {}
    for case, args, _ in CASES:
        if case in IN_PROCESS:
            continue
        cwd = w / "runs" / case  # each command in its own folder: stages write relative paths
        cwd.mkdir(parents=True)
        if case == "output-folder-blocked":
            (cwd / "data").write_text("a file where the data/ folder should be")
        procs[case] = subprocess.Popen(NEWSSIFT + [a.format(w=w) for a in args], cwd=cwd, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
    out = {"work": w}
    for case, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        out[case] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return out


def _in_process(args: list[str], capsys) -> subprocess.CompletedProcess:
    from newssift.cli import main

    capsys.readouterr()
    try:
        rc = main(args)
    except SystemExit as exc:  # argparse
        rc = exc.code
    cap = capsys.readouterr()
    return subprocess.CompletedProcess(args, rc, cap.out, cap.err)


@pytest.mark.parametrize("case, args, expected", CASES, ids=[c for c, _, _ in CASES])
def test_user_mistake_is_one_clear_line_and_exit_2(results, case, args, expected, capsys, monkeypatch):
    if case in IN_PROCESS:
        cwd = results["work"] / "runs" / case
        cwd.mkdir(parents=True)
        monkeypatch.chdir(cwd)
        proc = _in_process([a.format(w=results["work"]) for a in args], capsys)
    else:
        proc = results[case]
    err = proc.stderr
    assert "Traceback" not in err and "Error:" not in err.replace("error:", ""), err
    assert proc.returncode == 2, (proc.returncode, err)
    error_lines = [line for line in err.splitlines() if "error:" in line]
    assert len(error_lines) == 1, err
    line = error_lines[0]
    if "invalid choice" in expected:  # argparse's own usage error: "usage: ..." and "newssift ...: error: ..."
        assert line.startswith("newssift") and ": error: " in line
    else:
        assert line.startswith("newssift: error: ") and err == line + "\n", err
    assert expected in line, line


def test_stage_commands_report_params_mistakes_before_heavy_imports(tmp_path):
    """A typo in params.yaml fails fast: the stage's imports (scikit-learn, numpy) come after the params check."""
    params = _params(tmp_path / "p.yaml", **{"clean.max_char": 1})
    proc = subprocess.run(NEWSSIFT + ["clean", "--params", params], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPROFILEIMPORTTIME": "1", "PATH": ""}, timeout=120)
    assert proc.returncode == 2
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "newssift.config" in imported and not {"numpy", "sklearn", "newssift.stages"} & imported


def test_eval_and_predict_bad_lone_surrogate_id_is_a_failed_record_not_a_crash(results, tmp_path):
    """A JSONL record whose id holds an escaped lone surrogate used to crash `predict` while writing output."""
    w = results["work"]
    rows = make_corpus(2, seed=31)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "bad\ud800id", "text": rows[0]["text"]}) + "\n"
                   + json.dumps({"id": "good", "text": rows[1]["text"], "title": "fine"}) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    proc = subprocess.run(NEWSSIFT + ["predict", "-q", "--models", str(w / "models"), "--input", str(src), "-o",
                                      str(out), "--errors", str(errors)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["good"]
    (failed,) = [json.loads(line) for line in errors.read_bytes().decode("utf-8").splitlines()]
    assert failed["reason"] == "encoding" and failed["id"] == "bad\\ud800id" and "'id'" in failed["error"]


def test_params_that_is_a_fifo_or_a_folder_is_one_error_line_and_never_blocks(tmp_path, capsys):
    import os

    from newssift.cli import main

    fifo = tmp_path / "params.fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        assert main(["clean", "--params", str(path)]) == 2
        err = capsys.readouterr().err
        assert err == f"newssift: error: {path}: not a regular file (give the params file, e.g. params.yaml)\n"
